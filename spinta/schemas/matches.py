"""Match upload fields and the match list shapes (api.md "Coach")."""

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from spinta.analytics.providers import PROVIDER_NAMES
from spinta.schemas.common import RequestSchema, ResponseSchema, http_url


class MatchUploadFieldsSchema(RequestSchema):
    """The typed fields that come with an events file (form fields or JSON keys).

    The events themselves are parsed with orjson, never through marshmallow.
    """

    opponent_name = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=120)
    )
    match_date = fields.Date(required=True)
    our_score = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=99)
    )
    opponent_score = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=99)
    )
    opponent_logo_url = http_url()
    # "true"/"false" as a form field, a boolean in JSON; absent, "" or null: false.
    allow_same_day = fields.Boolean(load_default=False, allow_none=True)
    # The file's provider; absent: detected from the file's content.
    provider = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(PROVIDER_NAMES)
    )
    # Our side when the club's name is not in the file: "home", "away" or a team's name.
    our_team = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=120)
    )
    # The club's team the match is for; absent: the coach's default team.
    team_id = fields.UUID(load_default=None, allow_none=True)

    @validates_schema
    def _both_scores_or_none(self, data, **_kwargs):
        if (data.get("our_score") is None) != (data.get("opponent_score") is None):
            missing = "opponent_score" if data.get("opponent_score") is None else "our_score"
            raise ValidationError("Give both scores or neither.", field_name=missing)


class MatchSummarySchema(Schema):
    match_id = fields.UUID(attribute="id", required=True)
    opponent_name = fields.String(required=True)
    match_date = fields.Date(required=True)
    our_score = fields.Integer(required=True)
    opponent_score = fields.Integer(required=True)
    result = fields.String(required=True, metadata={"enum": ["W", "D", "L"]})


class MatchListSchema(Schema):
    total_count = fields.Integer(required=True)
    matches = fields.List(fields.Nested(MatchSummarySchema), required=True)


class UploadSummarySchema(Schema):
    events_inserted = fields.Integer(required=True)
    goals_inserted = fields.Integer(required=True)
    our_players_created = fields.Integer(required=True)
    our_players_updated = fields.Integer(required=True)
    opponent_players_created = fields.Integer(required=True)
    lineups_created = fields.Integer(required=True)
    player_statistics_created = fields.Integer(required=True)
    warnings = fields.List(fields.String(), required=True)


class UploadedPlayerSchema(ResponseSchema):
    player_id = fields.UUID(attribute="id", required=True)
    player_name = fields.String(required=True)
    jersey_number = fields.Integer(allow_none=True)
    position = fields.String(allow_none=True)
    invite_code = fields.Method("_invite_code", allow_none=True)

    def _invite_code(self, player):
        # Only an unused code is worth handing out.
        return None if getattr(player, "is_linked", True) else player.invite_code


class UploadedOpponentSchema(ResponseSchema):
    opponent_player_id = fields.UUID(attribute="id", required=True)
    player_name = fields.String(required=True)
    jersey_number = fields.Integer(allow_none=True)
    position = fields.String(allow_none=True)


class UploadDetailsSchema(Schema):
    our_players = fields.List(fields.Nested(UploadedPlayerSchema), required=True)
    opponent_players = fields.List(fields.Nested(UploadedOpponentSchema), required=True)


class MissingStatisticSchema(Schema):
    statistic = fields.String(required=True)
    reason = fields.String(required=True)


class DataSourceSchema(Schema):
    """Where the match's data came from (statistics.md "Providers")."""

    provider = fields.String(required=True, metadata={"enum": list(PROVIDER_NAMES)})
    detected = fields.Boolean(
        required=True, metadata={"description": "Recognised from the file (not named)"}
    )
    xg_model = fields.Boolean(
        required=True, metadata={"description": "Some xG comes from Spinta's shot model"}
    )
    missing_statistics = fields.List(
        fields.Nested(MissingStatisticSchema),
        required=True,
        metadata={
            "description": "Statistics this file cannot give, with the reason: null on the "
            "match screen, the player match statistics and the exports (stored as 0)"
        },
    )


class UploadResultSchema(Schema):
    success = fields.Boolean(required=True)
    match_id = fields.UUID(required=True)
    message = fields.String(required=True)
    summary = fields.Nested(UploadSummarySchema, required=True)
    details = fields.Nested(UploadDetailsSchema, required=True)
    # Only when the upload used provider, meta_file or our_team, or was not StatsBomb's JSON:
    # a plain StatsBomb upload answers exactly as before.
    data_source = fields.Nested(DataSourceSchema)


class DeletedMatchSchema(Schema):
    deleted = fields.Boolean(required=True)
    match_id = fields.UUID(required=True)
    message = fields.String(required=True)


def upload_body(result: Any) -> dict[str, Any]:
    """The 201 answer to an upload (an ``ImportResult``), before UploadResultSchema dumps it."""
    answer = {
        "success": True,
        "match_id": result.match.id,
        "message": result.message,
        "summary": result.summary,
        "details": {
            "our_players": result.our_players,
            "opponent_players": result.opponent_players,
        },
    }
    if result.data_source is not None:  # a file of another provider than StatsBomb
        answer["data_source"] = result.data_source.to_dict()
    return answer
