"""SQLAlchemy models, one module per domain. Importing this package registers every table."""

from spinta.models.base import Base, JSONType, Timestamps, UUIDPrimaryKey, utcnow

__all__ = ["Base", "JSONType", "Timestamps", "UUIDPrimaryKey", "utcnow"]
