"""Assistant chat request and response shapes (api.md "Assistant chat")."""

from marshmallow import Schema, fields, validate

from spinta.schemas.common import RequestSchema

MAX_MESSAGE_LENGTH = 2000


class ChatQuestionSchema(RequestSchema):
    """A question; ``message`` is trimmed, then must hold 1 to 2000 characters."""

    message = fields.String(required=True, validate=validate.Length(min=1, max=MAX_MESSAGE_LENGTH))
    session_id = fields.UUID(load_default=None, allow_none=True)


class ChatReplySchema(Schema):
    session_id = fields.UUID(required=True)
    message = fields.String(required=True, metadata={"description": "Markdown answer"})
    timestamp = fields.DateTime(required=True, format="iso")


class ChatMessageSchema(Schema):
    role = fields.String(required=True, metadata={"enum": ["user", "assistant"]})
    message = fields.String(required=True)
    timestamp = fields.DateTime(required=True, format="iso")


class ChatHistorySchema(Schema):
    session_id = fields.UUID(required=True)
    total_count = fields.Integer(
        required=True, metadata={"description": "Messages in the session (every page)"}
    )
    messages = fields.List(fields.Nested(ChatMessageSchema), required=True)


class DeletedChatSessionSchema(Schema):
    message = fields.String(required=True)
    deleted_messages = fields.Integer(required=True)
    deleted = fields.Boolean(required=True)
    session_id = fields.UUID(required=True)
