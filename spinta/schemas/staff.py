"""Bodies of the staff endpoints (api.md "Seasons, teams and staff": Staff)."""

from marshmallow import fields, validate

from spinta.models import STAFF_ROLES
from spinta.schemas.auth import Email
from spinta.schemas.common import RequestSchema, ResponseSchema

MAX_TEAMS = 100


class StaffInviteSchema(RequestSchema):
    role = fields.String(required=True, validate=validate.OneOf(STAFF_ROLES))
    # The teams a `coach` will coach (at least one); ignored for an `admin` (he sees every team).
    team_ids = fields.List(
        fields.UUID(), load_default=list, validate=validate.Length(max=MAX_TEAMS)
    )
    # When given, only this address can register with the code.
    email = Email(load_default=None, allow_none=True)


class StaffInviteIssuedSchema(ResponseSchema):
    invite_code = fields.String()
    role = fields.String(metadata={"enum": list(STAFF_ROLES)})
    team_ids = fields.List(fields.UUID())
    expires_at = fields.DateTime()


class StaffMemberSchema(ResponseSchema):
    coach_id = fields.UUID()
    full_name = fields.String()
    email = fields.String()
    role = fields.String(metadata={"enum": list(STAFF_ROLES)})
    team_ids = fields.List(fields.UUID(), metadata={"description": "[] for an admin"})


class StaffListSchema(ResponseSchema):
    staff = fields.List(fields.Nested(StaffMemberSchema))


class StaffRemovedSchema(ResponseSchema):
    deleted = fields.Boolean()
    coach_id = fields.UUID()
    message = fields.String()
