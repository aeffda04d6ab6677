"""Request and response bodies of the /api/auth endpoints (api.md "Auth")."""

from marshmallow import fields, validate

from spinta.models import AGE_GROUPS
from spinta.models.accounts import MAX_HEIGHT_CM, MIN_HEIGHT_CM
from spinta.schemas.common import (
    NewPassword,
    OptionalDate,
    Password,
    RequestSchema,
    ResponseSchema,
    http_url,
    optional_string,
)

Email = lambda **kw: fields.Email(validate=validate.Length(max=254), **kw)  # noqa: E731


class ClubInSchema(RequestSchema):
    club_name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    country = optional_string(80)
    age_group = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(AGE_GROUPS)
    )
    stadium = optional_string(120)
    logo_url = http_url()


class RegisterCoachSchema(RequestSchema):
    email = Email(required=True)
    password = NewPassword(required=True)
    full_name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    birth_date = OptionalDate()
    gender = optional_string(30)
    club = fields.Nested(ClubInSchema, required=True)


class LoginSchema(RequestSchema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = Password(required=True)


class InviteCodeSchema(RequestSchema):
    invite_code = fields.String(required=True, validate=validate.Length(min=1, max=40))


class RegisterPlayerSchema(RequestSchema):
    invite_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    player_name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    email = Email(required=True)
    password = NewPassword(required=True)
    birth_date = fields.Date(required=True)
    height = fields.Integer(
        required=True, strict=False, validate=validate.Range(MIN_HEIGHT_CM, MAX_HEIGHT_CM)
    )
    profile_image_url = http_url()


class ChangePasswordSchema(RequestSchema):
    current_password = Password(required=True)
    new_password = NewPassword(required=True)


# ---------------------------------------------------------------- responses


class ClubOutSchema(ResponseSchema):
    club_id = fields.UUID(attribute="id")
    club_name = fields.String()
    age_group = fields.String(allow_none=True)
    stadium = fields.String(allow_none=True)
    logo_url = fields.String(allow_none=True)


class UserOutSchema(ResponseSchema):
    user_id = fields.UUID()
    email = fields.String()
    user_type = fields.String(metadata={"enum": ["coach", "player"]})
    full_name = fields.String()


class CoachUserOutSchema(UserOutSchema):
    club = fields.Nested(ClubOutSchema)


class PlayerUserOutSchema(UserOutSchema):
    jersey_number = fields.Integer(allow_none=True)
    position = fields.String(allow_none=True)
    birth_date = fields.Date(allow_none=True)
    profile_image_url = fields.String(allow_none=True)
    club = fields.Nested(ClubOutSchema)


class CoachAuthSchema(ResponseSchema):
    user = fields.Nested(CoachUserOutSchema, required=True)
    token = fields.String(required=True)


class PlayerAuthSchema(ResponseSchema):
    user = fields.Nested(PlayerUserOutSchema, required=True)
    token = fields.String(required=True)


class LoginResultSchema(ResponseSchema):
    user = fields.Nested(UserOutSchema, required=True)
    token = fields.String(required=True)


class InvitePlayerDataSchema(ResponseSchema):
    player_id = fields.UUID()
    player_name = fields.String()
    jersey_number = fields.Integer(allow_none=True)
    position = fields.String(allow_none=True)
    club_name = fields.String()
    club_logo_url = fields.String(allow_none=True)


class InviteResultSchema(ResponseSchema):
    valid = fields.Boolean(required=True)
    player_data = fields.Nested(InvitePlayerDataSchema, required=True)


class TokenSchema(ResponseSchema):
    token = fields.String(required=True)


class LoggedOutSchema(ResponseSchema):
    message = fields.String()


class IssuedInviteCodeSchema(ResponseSchema):
    invite_code = fields.String()
    expires_at = fields.DateTime()
