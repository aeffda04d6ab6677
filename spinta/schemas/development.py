"""Trends, percentiles and development goals (api.md "Advanced metrics and development").

Numbers are numbers: a per-90 value under the minimum rule (15 minutes or 10 actions) is 0
with `qualified: false`. Null means "not available from the file": none of the matches a
value counts gives the metric (each lists it in its data_source.missing_statistics, with the
reason: e.g. a tagging CSV without x/y gives no progressive passes), never a silent 0."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from spinta.schemas.common import RequestSchema, ResponseSchema
from spinta.schemas.screens import SEASON_ID_PATTERN, XT, GoalSchema, Stat

TREND = XT  # decimals of trend values (xT per 90 needs three)

_NOT_AVAILABLE = (
    "null when none of the matches it counts gives the metric (each lists it in its"
    " data_source.missing_statistics, with the reason)"
)


def _value(places: int = TREND, description: str = _NOT_AVAILABLE) -> Stat:
    return Stat(places, allow_none=True, metadata={"description": description})


class TrendsQuerySchema(Schema):
    class Meta:
        unknown = "exclude"

    metrics = fields.String(
        load_default=None,
        validate=validate.Length(max=500),
        metadata={
            "description": "Comma-separated catalogue metrics (e.g. goals,xg,progressive_passes);"
            " default progressive_passes,progressive_carries,expected_threat",
            "example": "goals,xg,progressive_passes",
        },
    )
    season_id = fields.String(
        load_default=None,
        validate=validate.Length(max=40),
        metadata={
            "description": "A season of the club (its per-season entry and the rolling values"
            " of its matches only); 'all' or none: every season he played in"
        },
    )


class PercentileQuerySchema(Schema):
    class Meta:
        unknown = "exclude"

    metrics = TrendsQuerySchema._declared_fields["metrics"]
    team_id = fields.UUID(
        load_default=None,
        metadata={
            "description": "A team of the club: the group is its age group's squads (default:"
            " the club's first team; a staff coach's first team)"
        },
    )
    season_id = fields.String(
        load_default=None,
        validate=validate.Regexp(SEASON_ID_PATTERN, error="Must be a season id or 'all'."),
        metadata={
            "description": "A season of the club, or 'all'; default: the team's latest season"
            " with a match"
        },
    )


class SeasonValueSchema(ResponseSchema):
    season_id = fields.String()
    season_name = fields.String()
    value = _value()
    per90 = _value()
    qualified = fields.Boolean()


class RollingValueSchema(ResponseSchema):
    match_id = fields.UUID()
    match_date = fields.Date()
    value = _value(
        description="null when this match's file cannot give the metric (its"
        " data_source.missing_statistics lists it); such a match enters no window"
    )
    qualified = fields.Boolean()


class MetricTrendSchema(ResponseSchema):
    per_season = fields.List(fields.Nested(SeasonValueSchema))
    rolling = fields.List(fields.Nested(RollingValueSchema))


class TrendsSchema(ResponseSchema):
    player_id = fields.UUID()
    metrics = fields.Dict(keys=fields.String(), values=fields.Nested(MetricTrendSchema))


class MetricPercentileSchema(ResponseSchema):
    per90 = _value()
    percentile = _value(1)
    qualified = fields.Boolean()


class PercentilesSchema(ResponseSchema):
    player_id = fields.UUID()
    position_group = fields.String()
    group_size = fields.Integer(
        metadata={"description": "members of the group meeting the minimum rule"}
    )
    team_id = fields.UUID()
    age_group = fields.String(
        allow_none=True,
        metadata={"description": "the team's age group (null: the team's own squad only)"},
    )
    season_id = fields.String(metadata={"description": "the season's id, or 'all'"})
    season_name = fields.String(allow_none=True, metadata={"description": "null for 'all'"})
    metrics = fields.Dict(keys=fields.String(), values=fields.Nested(MetricPercentileSchema))


class GoalCreateSchema(RequestSchema):
    metric = fields.String(required=True, validate=validate.Length(min=1, max=40))
    target_per90 = fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=0, max=1000),
    )
    due_date = fields.Date(required=True)
    season_id = fields.UUID(
        load_default=None,
        metadata={
            "description": "the club season whose matches (up to the due date) the goal counts;"
            " default: the club's season holding the due date"
        },
    )


class GoalListSchema(ResponseSchema):
    goals = fields.List(fields.Nested(GoalSchema))


class PossessionSchema(ResponseSchema):
    sequence = fields.Integer()
    team_id = fields.Integer(allow_none=True)
    is_our_team = fields.Boolean()
    period = fields.Integer()
    start = fields.Float(metadata={"description": "seconds into the period"})
    end = fields.Float()
    first_index = fields.Integer()
    last_index = fields.Integer()
    events = fields.Integer()
    passes = fields.Integer()
    completed_passes = fields.Integer()
    pass_string = fields.Integer(
        metadata={"description": "longest run of consecutive completed passes"}
    )


class PossessionListSchema(ResponseSchema):
    total_count = fields.Integer()
    possessions = fields.List(fields.Nested(PossessionSchema))
