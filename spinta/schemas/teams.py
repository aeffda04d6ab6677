"""Request and response bodies of the club's teams, squads, seasons and settings (issue 17)."""

from __future__ import annotations

from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from spinta.models import Season, Team
from spinta.models.seasons import TEAM_AGE_GROUPS, TEAM_FORMATS
from spinta.schemas.common import RequestSchema, http_url, optional_string
from spinta.services.teams import parse_season_start

MAX_TEAM_NAME = Team.__table__.c.name.type.length
MAX_SEASON_NAME = Season.__table__.c.name.type.length
MAX_SQUAD = 500
_TEXT_FIELDS = ("name", "club_name")


class _NoBlankNames(RequestSchema):
    """A name sent blank is a mistake, not "not given" (other fields: "" means not given)."""

    @pre_load
    def _blank_is_none(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, dict):
            for key in _TEXT_FIELDS:
                value = data.get(key)
                if key in self.fields and isinstance(value, str) and not value.strip():
                    raise ValidationError({key: ["Must not be blank."]})
        return super()._blank_is_none(data, **kwargs)


def _choice(values: tuple[str, ...], **kwargs: Any) -> fields.String:
    return fields.String(
        allow_none=True, validate=validate.OneOf(values), metadata={"enum": list(values)}, **kwargs
    )


class TeamCreateSchema(_NoBlankNames):
    name = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEAM_NAME))
    age_group = _choice(TEAM_AGE_GROUPS, load_default=None)
    format = _choice(TEAM_FORMATS, load_default="11v11")


class TeamUpdateSchema(_NoBlankNames):
    """Every field optional (absent or null: unchanged)."""

    name = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=MAX_TEAM_NAME)
    )
    age_group = _choice(TEAM_AGE_GROUPS, load_default=None)
    format = _choice(TEAM_FORMATS, load_default=None)


class DeletedTeamSchema(Schema):
    deleted = fields.Boolean(required=True)
    team_id = fields.UUID(required=True)
    message = fields.String(required=True)


class SquadInSchema(RequestSchema):
    player_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(max=MAX_SQUAD))


class SquadQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    season_id = fields.UUID(
        load_default=None, metadata={"description": "A season of the club; default: the current"}
    )


class SquadOutSchema(Schema):
    team_id = fields.UUID(required=True)
    season_id = fields.UUID(required=True)
    player_ids = fields.List(fields.UUID(), required=True)


def _end_after_start(data: dict) -> None:
    start, end = data.get("start_date"), data.get("end_date")
    if start is not None and end is not None and end < start:
        raise ValidationError("Must not be before start_date.", field_name="end_date")


class SeasonCreateSchema(_NoBlankNames):
    name = fields.String(required=True, validate=validate.Length(min=1, max=MAX_SEASON_NAME))
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)

    @validates_schema
    def _range(self, data, **_kwargs):
        _end_after_start(data)


class SeasonUpdateSchema(_NoBlankNames):
    """Every field optional (absent or null: unchanged)."""

    name = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=MAX_SEASON_NAME)
    )
    start_date = fields.Date(load_default=None, allow_none=True)
    end_date = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _range(self, data, **_kwargs):
        _end_after_start(data)


class RolloverSchema(RequestSchema):
    team_id = fields.UUID(required=True)
    to_season_id = fields.UUID(required=True)
    promote_to_team_id = fields.UUID(load_default=None, allow_none=True)


def _season_start(value: str) -> None:
    try:
        parse_season_start(value)
    except ValueError:
        raise ValidationError("Must be a day every year has, as MM-DD (not 02-29).") from None


class ClubSchema(Schema):
    club_id = fields.UUID(attribute="id", required=True)
    club_name = fields.String(required=True)
    logo_url = fields.String(allow_none=True, required=True)
    country = fields.String(allow_none=True, required=True)
    season_start = fields.String(required=True, metadata={"example": "08-01"})
    min_playing_share = fields.Float(required=True, metadata={"example": 0.5})


class ClubUpdateSchema(_NoBlankNames):
    """Every field optional (absent or null: unchanged)."""

    club_name = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=2, max=120)
    )
    logo_url = http_url()
    country = optional_string(80)
    season_start = fields.String(
        load_default=None,
        allow_none=True,
        validate=[
            validate.Regexp(r"^[0-9]{2}-[0-9]{2}$", error="Must be MM-DD."),
            _season_start,
        ],
        metadata={"pattern": r"^[0-9]{2}-[0-9]{2}$", "example": "08-01"},
    )
    min_playing_share = fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=1)
    )
