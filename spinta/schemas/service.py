"""Schemas of the service endpoints (root and health)."""

from marshmallow import Schema, fields


class WelcomeSchema(Schema):
    message = fields.String(required=True)
    docs = fields.String(required=True)
    health = fields.String(required=True)


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "healthy"})
    database = fields.String(required=True, metadata={"enum": ["connected", "disconnected"]})


class DatabaseStatusSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["connected", "disconnected"]})
    version = fields.String(allow_none=True, required=True)


class DetailedHealthSchema(Schema):
    status = fields.String(required=True)
    database = fields.Nested(DatabaseStatusSchema, required=True)
    api_version = fields.String(required=True)
    replica = fields.Nested(
        DatabaseStatusSchema,
        metadata={"description": "The read replica (DATABASE_REPLICA_URL); absent without one"},
    )


class ReadySchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ready", "unavailable"]})
    database = fields.String(required=True)


class ErrorSchema(Schema):
    """The error contract every endpoint follows."""

    detail = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.String())
