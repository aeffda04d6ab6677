"""SQLAlchemy models, one module per domain. Importing this package registers every table."""

from spinta.models.accounts import AGE_GROUPS, USER_TYPES, Club, Coach, Player, User
from spinta.models.base import Base, JSONType, Timestamps, UUIDPrimaryKey, utcnow

__all__ = [
    "AGE_GROUPS",
    "USER_TYPES",
    "Base",
    "Club",
    "Coach",
    "JSONType",
    "Player",
    "Timestamps",
    "UUIDPrimaryKey",
    "User",
    "utcnow",
]
