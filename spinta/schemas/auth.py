"""Request and response bodies of the /api/auth endpoints (api.md "Auth")."""

from marshmallow import fields, validate

from spinta.models import AGE_GROUPS, User
from spinta.models.accounts import MAX_HEIGHT_CM, MIN_HEIGHT_CM
from spinta.schemas.common import (
    NewPassword,
    Normalised,
    NormalisedEmail,
    OptionalDate,
    Password,
    RequestSchema,
    ResponseSchema,
    http_url,
    optional_string,
)
from spinta.services.auth import normalise_email
from spinta.services.invites import normalise_invite_code

EMAIL_LENGTH = User.__table__.c.email.type.length  # 254


def Email(**kwargs):  # a field factory, used like a field class
    """An email, lower-cased before its format and length (the column's) are checked."""
    return NormalisedEmail(normalise_email, validate=validate.Length(max=EMAIL_LENGTH), **kwargs)


def InviteCode(**kwargs):
    """An invite code, upper-cased before its length is checked."""
    return Normalised(normalise_invite_code, validate=validate.Length(min=1, max=40), **kwargs)


class ClubInSchema(RequestSchema):
    club_name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    country = optional_string(80)
    age_group = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(AGE_GROUPS)
    )
    stadium = optional_string(120)
    logo_url = http_url()


class JoinClubSchema(RequestSchema):
    """A coach joining an existing club with a staff invite code (instead of ``club``)."""

    email = Email(required=True)
    password = NewPassword(required=True)
    full_name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    birth_date = OptionalDate()
    gender = optional_string(30)
    invite_code = InviteCode(required=True)


class RegisterCoachSchema(RequestSchema):
    """A coach founding his club (``club``), or joining one with a staff ``invite_code``: a
    body with a non-empty ``invite_code`` is read as :class:`JoinClubSchema` (``club`` is then
    not needed); every other body exactly as before staff existed."""

    email = Email(required=True)
    password = NewPassword(required=True)
    full_name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    birth_date = OptionalDate()
    gender = optional_string(30)
    club = fields.Nested(ClubInSchema, required=True)
    invite_code = InviteCode(
        load_default=None,
        allow_none=True,
        metadata={"description": "A staff invite code: join that club (then no `club`)"},
    )

    def load(self, data, *args, **kwargs):
        code = data.get("invite_code") if isinstance(data, dict) else None
        if isinstance(code, str) and code.strip():
            return JoinClubSchema().load(data, *args, **kwargs)
        return super().load(data, *args, **kwargs)


class LoginSchema(RequestSchema):
    # Not validated as an address: any string is looked up (and answers 401 when unknown).
    email = Normalised(
        normalise_email, required=True, validate=validate.Length(min=1, max=EMAIL_LENGTH)
    )
    password = Password(required=True)


class InviteCodeSchema(RequestSchema):
    invite_code = InviteCode(required=True)


class RegisterPlayerSchema(RequestSchema):
    invite_code = InviteCode(required=True)
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
    birth_date = fields.Date(
        allow_none=True,
        metadata={"description": "null for a minor: only his birth month is kept"},
    )
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
