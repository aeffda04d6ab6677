"""Query arguments of charts, event lists, reports and exports."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates

from spinta.charts import DEFAULT_WIDTH, FORMATS, MAX_WIDTH, MIN_WIDTH
from spinta.schemas.common import PaginationSchema, ResponseSchema
from spinta.schemas.screens import ScopeQuerySchema, SeasonQuerySchema

EVENT_TYPES = (
    "pass",
    "shot",
    "take_on",
    "carry",
    "clearance",
    "interception",
    "duel",
    "recovery",
    "miscontrol",
    "goalkeeper",
    "ball_receipt",
    "pressure",
    "foul_committed",
    "card",
    "substitution",
    "ball_out",
    "own_goal_for",
    "formation_change",
    "player_on",
    "player_off",
    "generic",
)


class ChartQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    format = fields.String(
        load_default="svg",
        validate=validate.OneOf(FORMATS),
        metadata={"description": "svg (default) or png"},
    )
    width = fields.Integer(
        load_default=DEFAULT_WIDTH,
        validate=validate.Range(min=MIN_WIDTH, max=MAX_WIDTH),
        metadata={"description": f"pixels, {MIN_WIDTH}-{MAX_WIDTH}"},
    )


class SeasonChartQuerySchema(ChartQuerySchema, SeasonQuerySchema):
    """A season chart's query (the player's own radar): format, width and ``season_id``."""


class ScopedChartQuerySchema(ChartQuerySchema, ScopeQuerySchema):
    """The coach's radar: format, width, ``team_id`` and ``season_id`` as the screens."""


class MatchChartQuerySchema(ChartQuerySchema):
    team = fields.String(
        load_default="our",
        validate=validate.OneOf(("our", "opponent")),
        metadata={"description": "whose chart (xg-race shows both)"},
    )


class EventQuerySchema(PaginationSchema):
    type = fields.String(
        load_default=None,
        validate=validate.Length(max=500),
        metadata={"description": "comma-separated event types, e.g. shot,pass"},
    )
    player_id = fields.UUID(load_default=None, metadata={"description": "one of our players"})

    @validates("type")
    def _known_types(self, value: str | None, **_kwargs) -> None:
        if value is None:
            return
        unknown = [t for t in value.split(",") if t.strip().lower() not in EVENT_TYPES]
        if unknown:
            raise ValidationError(
                f"Unknown event type {unknown[0][:40]!r}; types: {', '.join(EVENT_TYPES)}."
            )


class NeutralEventSchema(ResponseSchema):
    event_id = fields.String()
    index = fields.Integer()
    period = fields.Integer()
    minute = fields.Integer(allow_none=True)
    second = fields.Integer(allow_none=True)
    type = fields.String()
    outcome = fields.String(allow_none=True)
    team_id = fields.Integer()
    is_our_team = fields.Boolean()
    player_id = fields.UUID(allow_none=True)
    player_name = fields.String(allow_none=True)
    x = fields.Float(
        allow_none=True,
        metadata={
            "description": "null where the file gives no location (a tagging CSV without x, y)"
        },
    )
    y = fields.Float(allow_none=True, metadata={"description": "null with x"})
    end_x = fields.Float(allow_none=True)
    end_y = fields.Float(allow_none=True)
    xg = fields.Float(allow_none=True)


class EventListSchema(ResponseSchema):
    total_count = fields.Integer()
    events = fields.List(fields.Nested(NeutralEventSchema))


class ReportQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    format = fields.String(
        load_default="html",
        validate=validate.OneOf(("html", "pdf")),
        metadata={"description": "html (default) or pdf"},
    )


class ExportQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    format = fields.String(
        load_default="json",
        validate=validate.OneOf(("json", "csv")),
        metadata={"description": "json (default) or csv"},
    )


class ExportSchema(ResponseSchema):
    columns = fields.List(fields.String(), metadata={"description": "the column names, in order"})
    rows = fields.List(
        fields.Dict(keys=fields.String()),
        metadata={
            "description": "one object per row, keyed by the column names; a statistic the "
            "match's data source cannot give (its data_source.missing_statistics) is null "
            "(an empty cell in CSV), never 0"
        },
    )


class PlayerReportQuerySchema(ReportQuerySchema, ScopeQuerySchema):
    """A player's season report: format, ``team_id`` and ``season_id`` as the screens."""
