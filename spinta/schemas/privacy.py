"""Bodies of the children's-data endpoints (api.md "Children's data")."""

from __future__ import annotations

from marshmallow import fields, validate

from spinta.models import PURPOSES
from spinta.models.privacy import CONSENT_METHODS, RELATIONS_MAX
from spinta.schemas.auth import Email, InviteCode
from spinta.schemas.common import NewPassword, RequestSchema, ResponseSchema, UTCDateTime


class GuardianInSchema(RequestSchema):
    full_name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    email = Email(required=True)
    relation = fields.String(required=True, validate=validate.Length(min=2, max=RELATIONS_MAX))
    is_primary = fields.Boolean(load_default=False)


class GuardianInviteSchema(ResponseSchema):
    guardian_id = fields.UUID(attribute="id")
    invite_code = fields.String()
    expires_at = UTCDateTime(attribute="invite_expires_at")


class GuardianSchema(ResponseSchema):
    guardian_id = fields.UUID(attribute="id")
    full_name = fields.String()
    email = fields.String()
    relation = fields.String()
    is_primary = fields.Boolean()
    has_joined = fields.Function(lambda g: g.user_id is not None, dump_only=True)
    invite_expires_at = UTCDateTime()


class GuardianListSchema(ResponseSchema):
    guardians = fields.List(fields.Nested(GuardianSchema))


class DeletedSchema(ResponseSchema):
    deleted = fields.Boolean()
    message = fields.String()


class RegisterGuardianSchema(RequestSchema):
    invite_code = InviteCode(required=True)
    email = Email(required=True)
    password = NewPassword(required=True)
    full_name = fields.String(required=True, validate=validate.Length(min=2, max=120))


class GuardianUserSchema(ResponseSchema):
    user_id = fields.UUID()
    email = fields.String()
    user_type = fields.String()
    full_name = fields.String()


class GuardianAuthSchema(ResponseSchema):
    user = fields.Nested(GuardianUserSchema)
    token = fields.String()


class ConsentInSchema(RequestSchema):
    purpose = fields.String(required=True, validate=validate.OneOf(PURPOSES))
    given_by = fields.String(required=True, validate=validate.Length(min=1, max=40))
    method = fields.String(required=True, validate=validate.OneOf(CONSENT_METHODS))
    text_version = fields.String(required=True, validate=validate.Length(min=1, max=40))


class ConsentSchema(ResponseSchema):
    purpose = fields.String()
    given_by = fields.String()
    method = fields.String()
    text_version = fields.String()
    given_at = UTCDateTime()
    withdrawn_at = UTCDateTime(allow_none=True)


class ConsentStatusSchema(ResponseSchema):
    consent_age = fields.Integer()
    is_minor = fields.Boolean(allow_none=True)
    consents = fields.List(fields.Nested(ConsentSchema))
    missing = fields.List(fields.String())


class WithdrawnSchema(ResponseSchema):
    purpose = fields.String()
    withdrawn = fields.Boolean()
    message = fields.String()


class ErasureSchema(ResponseSchema):
    erasure_id = fields.UUID(attribute="id")
    status = fields.String()
    due_at = UTCDateTime()


class RemovedSchema(ResponseSchema):
    player_id = fields.UUID()
    removed = fields.Boolean()
    retained_until = UTCDateTime(allow_none=True)
    message = fields.String()


class AccessEntrySchema(ResponseSchema):
    at = UTCDateTime()
    actor_role = fields.String()
    actor_id = fields.UUID(allow_none=True)
    action = fields.String()
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")


class AccessLogSchema(ResponseSchema):
    entries = fields.List(fields.Nested(AccessEntrySchema))


class ChildSchema(ResponseSchema):
    player_id = fields.UUID()
    player_name = fields.String()
    club_name = fields.String()


class ChildrenSchema(ResponseSchema):
    children = fields.List(fields.Nested(ChildSchema))
