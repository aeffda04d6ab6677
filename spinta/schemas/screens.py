"""Response shapes of the coach and player screens (api.md "Coach" and "Player").

The presentation rules live in three field types, so no view or service rounds by hand:

- :class:`Count`: a whole number; a missing value (no data yet) is 0.
- :class:`Stat`: a number rounded half-up (rates and percentages 1 decimal, xG and averages
  2 decimals); a missing value (no data, a rate with a zero whole) is 0.
- :class:`Minutes`: minutes played, rounded half-up to whole minutes.

A statistic the match's data source cannot give (``data_source.missing_statistics``) is put
as :data:`~spinta.screen_sections.NOT_AVAILABLE` by the read use case and shown as ``null``;
only the fields of statistics a file can lack (:data:`MAY_BE_MISSING`) are nullable.
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields, validate

from spinta import screen_sections
from spinta.analytics import round_half_up
from spinta.analytics.data_source import MAY_BE_MISSING
from spinta.schemas.common import MAX_OFFSET, ResponseSchema, UTCDateTime
from spinta.schemas.matches import DataSourceSchema, MatchSummarySchema
from spinta.screen_sections import NOT_AVAILABLE, Leaf, Section, Show
from spinta.screen_sections import PERIOD_ENDS as PERIOD_ENDS  # re-exported: a goal's minute
from spinta.screen_sections import reported_minute as reported_minute

RATE = 1  # decimals of rates and percentages
XG = 2  # decimals of expected goals
AVERAGE = 2  # decimals of per-match averages
XT = 3  # decimals of expected threat (a player's match xT is often below 0.05)


class Count(fields.Integer):
    """A counting statistic: always a JSON integer, 0 when there is no data."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        super().__init__(**kwargs)

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> int | None:
        if value is NOT_AVAILABLE:
            return None
        return 0 if value is None else int(value)


class Minutes(Count):
    """Minutes played, kept at full precision in the database, shown as whole minutes."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> int | None:
        if value is NOT_AVAILABLE:
            return None
        return 0 if value is None else int(round_half_up(float(value)))


class Stat(fields.Float):
    """A fractional statistic rounded half-up to ``places`` decimals; 0 when there is no data."""

    def __init__(self, places: int, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        super().__init__(**kwargs)
        self.places = places

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> float | None:
        if value is NOT_AVAILABLE:
            return None
        return 0.0 if value is None else float(round_half_up(float(value), self.places))


def _nullable_string(**kwargs: Any) -> fields.String:
    return fields.String(required=True, allow_none=True, **kwargs)


# ---------------------------------------------------------------- statistics sections
#
# The statistics blocks of the screens are built from spinta.screen_sections: one field per
# leaf, its type from the leaf's presentation (the catalogue kind of its statistic).


NOT_AVAILABLE_NOTE = (
    "null when the match's data source cannot give this statistic "
    "(it is listed in the match's data_source.missing_statistics, with the reason)"
)


def _may_be_missing(leaf: Leaf) -> dict[str, Any]:
    """The keyword arguments of a field whose statistic a provider's file can lack."""
    if screen_sections.statistic(leaf) not in MAY_BE_MISSING:
        return {}
    return {"allow_none": True, "metadata": {"description": NOT_AVAILABLE_NOTE}}


def _leaf_field(leaf: Leaf) -> fields.Field:
    extra = _may_be_missing(leaf)
    if leaf.show is Show.COUNT:
        return Count(**extra)
    if leaf.show is Show.MINUTES:
        return Minutes(**extra)
    places = {Show.XG: XG, Show.RATE: RATE, Show.AVERAGE: AVERAGE}[leaf.show]
    return Stat(places, **extra)


def _statistics_schema(
    name: str,
    sections: tuple[Section, ...],
    leaf_field: Any = _leaf_field,
) -> type[Schema]:
    """A schema with one nested schema per section, each with one field per leaf."""
    nested = {
        section.name: fields.Nested(
            Schema.from_dict(
                {leaf.name: leaf_field(leaf) for leaf in section.leaves}, name=section.schema
            ),
            required=True,
        )
        for section in sections
    }
    return Schema.from_dict(nested, name=name)


# ---------------------------------------------------------------- shared blocks


class ClubHeaderSchema(Schema):
    club_id = fields.UUID(required=True)
    club_name = fields.String(required=True)
    logo_url = _nullable_string()


class OpponentHeaderSchema(Schema):
    opponent_name = fields.String(required=True)
    logo_url = _nullable_string()


class TeamsSchema(Schema):
    our_club = fields.Nested(ClubHeaderSchema, required=True)
    opponent = fields.Nested(OpponentHeaderSchema, required=True)


class PagedMatchesSchema(Schema):
    total_count = Count()
    matches = fields.List(fields.Nested(MatchSummarySchema), required=True)


class AttributesSchema(Schema):
    """Ratings 0-100; 0 until the player has 90 season minutes."""

    attacking_rating = Count()
    technique_rating = Count()
    tactical_rating = Count()
    defending_rating = Count()
    creativity_rating = Count()


SeasonStatisticsSchema = _statistics_schema("SeasonStatisticsSchema", screen_sections.PLAYER_SEASON)


class PlayerCardSchema(Schema):
    player_id = fields.UUID(required=True)
    player_name = fields.String(required=True)
    jersey_number = fields.Integer(required=True, allow_none=True)
    position = _nullable_string()
    height = fields.Integer(required=True, allow_none=True)
    age = _nullable_string(metadata={"example": "16 years"})
    profile_image_url = _nullable_string(
        metadata={"description": "null while his photos consent is withdrawn (a minor: not given)"}
    )


class CoachPlayerCardSchema(PlayerCardSchema):
    is_linked = fields.Boolean(required=True)


# ---------------------------------------------------------------- coach dashboard


SEASON_ID_PATTERN = (
    "^(all|[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})$"
)


class SeasonQuerySchema(Schema):
    """``season_id``: a season of the club, or ``all`` (every season); default: the latest
    season with a match of the team."""

    class Meta:
        unknown = EXCLUDE

    season_id = fields.String(
        load_default=None,
        validate=validate.Regexp(SEASON_ID_PATTERN, error="Must be a season id or 'all'."),
        metadata={"description": "A season id, or 'all' for every season"},
    )


class ScopeQuerySchema(SeasonQuerySchema):
    """``team_id`` (default: the club's first team) and ``season_id``."""

    team_id = fields.UUID(load_default=None, metadata={"description": "A team of the club"})


class ScopedPaginationSchema(ScopeQuerySchema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_OFFSET))


class SeasonPaginationSchema(SeasonQuerySchema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_OFFSET))


class DashboardQuerySchema(ScopeQuerySchema):
    """``matches_limit`` (1-100, default 20) and ``matches_offset`` (0 to 2**31-1)."""

    class Meta:
        unknown = EXCLUDE

    matches_limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    matches_offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_OFFSET))


class CoachNameSchema(Schema):
    full_name = fields.String(required=True)


class SeasonRecordSchema(Schema):
    wins = Count()
    draws = Count()
    losses = Count()


DashboardStatisticsSchema = _statistics_schema(
    "DashboardStatisticsSchema", screen_sections.DASHBOARD
)


class CoachDashboardSchema(Schema):
    coach = fields.Nested(CoachNameSchema, required=True)
    club = fields.Nested(ClubHeaderSchema, required=True)
    season_record = fields.Nested(SeasonRecordSchema, required=True)
    team_form = fields.String(required=True, metadata={"example": "WDWLW"})
    matches = fields.Nested(PagedMatchesSchema, required=True)
    statistics = fields.Nested(DashboardStatisticsSchema, required=True)


# ---------------------------------------------------------------- match detail


def _pair_schema(name: str, field: type[fields.Field], *args: Any) -> type[Schema]:
    """``{our_team, opponent}`` of one statistic."""
    return Schema.from_dict({"our_team": field(*args), "opponent": field(*args)}, name=name)


CountPairSchema = _pair_schema("CountPair", Count)
RatePairSchema = _pair_schema("RatePair", Stat, RATE)
XGPairSchema = _pair_schema("ExpectedGoalsPair", Stat, XG)


_PAIRS = {Show.COUNT: CountPairSchema, Show.RATE: RatePairSchema, Show.XG: XGPairSchema}


def _pair_field(leaf: Leaf) -> fields.Nested:
    """``{our_team, opponent}`` of one team statistic; the whole pair is null when the match's
    data source cannot give the statistic (both teams come from the same file)."""
    return fields.Nested(_PAIRS[leaf.show], required=True, **_may_be_missing(leaf))


XTPairSchema = _pair_schema("ExpectedThreatPair", Stat, XT)


def _missing_advanced(key: str) -> dict[str, Any]:
    """The keyword arguments of an advanced metric's field (a file without locations cannot
    give most of them: data_source's table); the pass strings are always given."""
    return _may_be_missing(Leaf(key, key, Show.COUNT))


MatchAdvancedSchema = Schema.from_dict(
    {
        leaf: fields.Nested(schema, required=True, **_missing_advanced(leaf))
        for leaf, schema in (
            ("progressive_passes", CountPairSchema),
            ("progressive_carries", CountPairSchema),
            ("ppda", RatePairSchema),
            ("field_tilt", RatePairSchema),
            ("expected_threat", XTPairSchema),
            ("pass_strings_3_5", CountPairSchema),
            ("pass_strings_6_8", CountPairSchema),
            ("pass_strings_9_plus", CountPairSchema),
        )
    },
    name="MatchAdvanced",
)


_MatchStatisticsBase = _statistics_schema("MatchStatisticsBase", screen_sections.MATCH, _pair_field)


class MatchStatisticsSchema(_MatchStatisticsBase):  # type: ignore[misc, valid-type]
    advanced = fields.Nested(MatchAdvancedSchema, required=True)


class ShootoutSchema(Schema):
    our = Count()
    opponent = Count()


class MatchHeaderSchema(Schema):
    match_id = fields.UUID(required=True)
    match_date = fields.Date(required=True)
    our_score = Count()
    opponent_score = Count()
    result = fields.String(required=True, metadata={"enum": ["W", "D", "L"]})


class MatchDetailHeaderSchema(MatchHeaderSchema):
    penalty_shootout = fields.Nested(ShootoutSchema, required=True, allow_none=True)


class GoalScorerSchema(Schema):
    goal_id = fields.UUID(required=True)
    scorer_name = _nullable_string()
    assist_name = _nullable_string()
    minute = Count(metadata={"description": "As reported: clock minute + 1"})
    display_minute = fields.String(required=True, metadata={"example": "45+2'"})
    second = Count()
    is_our_goal = fields.Boolean(required=True)
    own_goal = fields.Boolean(required=True)
    penalty = fields.Boolean(required=True)


class MatchSummaryBlockSchema(Schema):
    goal_scorers = fields.List(fields.Nested(GoalScorerSchema), required=True)


class LineupEntrySchema(Schema):
    player_name = fields.String(required=True)
    jersey_number = fields.Integer(required=True, allow_none=True)
    position = _nullable_string()
    is_starter = fields.Boolean(required=True)
    minutes_played = Minutes()


class OurLineupEntrySchema(LineupEntrySchema):
    player_id = fields.UUID(required=True)


class OpponentLineupEntrySchema(LineupEntrySchema):
    opponent_player_id = fields.UUID(required=True)


class LineupSchema(Schema):
    our_team = fields.List(fields.Nested(OurLineupEntrySchema), required=True)
    opponent_team = fields.List(fields.Nested(OpponentLineupEntrySchema), required=True)


class MatchDetailSchema(Schema):
    match = fields.Nested(MatchDetailHeaderSchema, required=True)
    teams = fields.Nested(TeamsSchema, required=True)
    summary = fields.Nested(MatchSummaryBlockSchema, required=True)
    statistics = fields.Nested(MatchStatisticsSchema, required=True)
    lineup = fields.Nested(LineupSchema, required=True)
    data_source = fields.Nested(
        DataSourceSchema,
        metadata={"description": "Where the file came from; absent for a plain StatsBomb upload"},
    )


# ---------------------------------------------------------------- squad and players


class SquadSummarySchema(Schema):
    total_players = Count()
    joined = Count()
    pending = Count()


class SquadPlayerSchema(Schema):
    player_id = fields.UUID(attribute="id", required=True)
    player_name = fields.String(required=True)
    jersey_number = fields.Integer(required=True, allow_none=True)
    position = _nullable_string()
    profile_image_url = _nullable_string(
        metadata={"description": "null while his photos consent is withdrawn (a minor: not given)"}
    )
    is_linked = fields.Boolean(required=True)
    # Children's data: present only when they apply (a minor without consent to some purposes;
    # a pending erasure request and when it is due).
    consent_missing = fields.List(
        fields.String(), metadata={"description": "Purposes a minor has no consent for"}
    )
    erasure_due_at = UTCDateTime(
        metadata={"description": "A pending erasure request is carried out then"}
    )


class SquadSchema(Schema):
    total_count = Count(metadata={"description": "Players in the squad (every page)"})
    summary = fields.Nested(SquadSummarySchema, required=True)
    players = fields.List(fields.Nested(SquadPlayerSchema), required=True)


class PlanItemSchema(Schema):
    plan_id = fields.UUID(required=True)
    plan_name = fields.String(required=True)
    created_at = fields.Date(required=True)
    status = fields.String(
        required=True, metadata={"enum": ["pending", "in_progress", "completed"]}
    )


class GoalSchema(ResponseSchema):
    """A development goal with the player's current per-90 value in its season (api.md
    "Advanced metrics and development")."""

    goal_id = fields.UUID()
    metric = fields.String()
    target_per90 = Stat(XT)
    due_date = fields.Date()
    season_id = fields.UUID(
        allow_none=True,
        metadata={
            "description": "the club season the current value counts (his matches of it up to"
            " the due date); null only for a goal stored before goals had seasons"
        },
    )
    season_name = fields.String(allow_none=True)
    current_per90 = Stat(
        XT,
        allow_none=True,
        metadata={
            "description": "0 while under the minimum rule; null when none of the counted"
            " matches' files gives the metric (each lists it in its"
            " data_source.missing_statistics)"
        },
    )
    progress = Stat(3, metadata={"description": "0-1"})
    achieved = fields.Boolean()


def _development_goals() -> fields.List:
    return fields.List(
        fields.Nested(GoalSchema),
        metadata={
            "description": "the player's development goals, nearest due date first; absent when"
            " he has none"
        },
    )


class PlayerDetailSchema(Schema):
    player = fields.Nested(CoachPlayerCardSchema, required=True)
    invite_code = _nullable_string()
    invite_expires_at = fields.DateTime(required=True, allow_none=True)
    attributes = fields.Nested(AttributesSchema, required=True)
    season_statistics = fields.Nested(SeasonStatisticsSchema, required=True)
    matches = fields.Nested(PagedMatchesSchema, required=True)
    training_plans = fields.List(fields.Nested(PlanItemSchema), required=True)
    development_goals = _development_goals()


class PlayerSummarySchema(Schema):
    player_name = fields.String(required=True)
    goals = Count()
    assists = Count(allow_none=True, metadata={"description": NOT_AVAILABLE_NOTE})
    minutes_played = Minutes()


class PlayerMatchAdvancedSchema(Schema):
    progressive_passes = Count(**_missing_advanced("progressive_passes"))
    progressive_carries = Count(**_missing_advanced("progressive_carries"))
    expected_threat = Stat(XT, **_missing_advanced("expected_threat"))


_PlayerMatchStatisticsBase = _statistics_schema(
    "PlayerMatchStatisticsBase", screen_sections.PLAYER_MATCH
)


class PlayerMatchStatisticsSchema(_PlayerMatchStatisticsBase):  # type: ignore[misc, valid-type]
    advanced = fields.Nested(PlayerMatchAdvancedSchema, required=True)


class PlayerMatchSchema(Schema):
    match = fields.Nested(MatchHeaderSchema, required=True)
    teams = fields.Nested(TeamsSchema, required=True)
    player_summary = fields.Nested(PlayerSummarySchema, required=True)
    statistics = fields.Nested(PlayerMatchStatisticsSchema, required=True)


# ---------------------------------------------------------------- coach profile


class CoachInfoSchema(Schema):
    full_name = fields.String(required=True)
    email = fields.String(required=True)
    gender = _nullable_string()
    birth_date = fields.Date(required=True, allow_none=True)


class ClubInfoSchema(Schema):
    club_name = fields.String(required=True)
    logo_url = _nullable_string()
    country = _nullable_string()
    age_group = _nullable_string()
    stadium = _nullable_string()


class ClubStatsSchema(Schema):
    total_players = Count()
    total_matches = Count()
    win_rate_percentage = Stat(RATE)


class CoachProfileSchema(Schema):
    coach = fields.Nested(CoachInfoSchema, required=True)
    club = fields.Nested(ClubInfoSchema, required=True)
    club_stats = fields.Nested(ClubStatsSchema, required=True)


# ---------------------------------------------------------------- player screens


class PlayerDashboardSchema(Schema):
    player = fields.Nested(PlayerCardSchema, required=True)
    attributes = fields.Nested(AttributesSchema, required=True)
    season_statistics = fields.Nested(SeasonStatisticsSchema, required=True)
    development_goals = _development_goals()


class PlayerInfoSchema(Schema):
    player_name = fields.String(required=True)
    email = fields.String(required=True)
    jersey_number = fields.Integer(required=True, allow_none=True)
    position = _nullable_string()
    birth_date = fields.Date(
        required=True,
        allow_none=True,
        metadata={"description": "null for a minor: only his birth month is kept"},
    )
    height = fields.Integer(required=True, allow_none=True)
    profile_image_url = _nullable_string(
        metadata={"description": "null while his photos consent is withdrawn (a minor: not given)"}
    )


class PlayerClubSchema(Schema):
    club_name = fields.String(required=True)
    logo_url = _nullable_string()


class PlayerSeasonSummarySchema(Schema):
    matches_played = Count()
    goals = Count()
    assists = Count(allow_none=True, metadata={"description": NOT_AVAILABLE_NOTE})


class PlayerProfileSchema(Schema):
    player = fields.Nested(PlayerInfoSchema, required=True)
    club = fields.Nested(PlayerClubSchema, required=True)
    season_summary = fields.Nested(PlayerSeasonSummarySchema, required=True)


class TeamSchema(Schema):
    team_id = fields.UUID(required=True)
    name = fields.String(required=True)
    age_group = fields.String(allow_none=True, required=True)
    format = fields.String(required=True)
    player_count = fields.Integer(required=True)
    match_count = fields.Integer(required=True)
    is_default = fields.Boolean(required=True)


class TeamListSchema(Schema):
    teams = fields.List(fields.Nested(TeamSchema), required=True)


class SeasonSchema(Schema):
    season_id = fields.UUID(required=True)
    name = fields.String(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    match_count = fields.Integer(required=True)
    is_current = fields.Boolean(required=True)


class SeasonListSchema(Schema):
    seasons = fields.List(fields.Nested(SeasonSchema), required=True)


# ---------------------------------------------------------------- playing time


class PlayingTimeQuerySchema(SeasonQuerySchema):
    """``season_id`` only: the team is in the path."""


class PositionMinutesSchema(Schema):
    position = fields.String(required=True, allow_none=True, metadata={"example": "Left Wing"})
    minutes_played = fields.Float(
        required=True, metadata={"description": "Minutes at full precision (to the second)"}
    )


class PlayingTimePlayerSchema(Schema):
    player_id = fields.UUID(required=True)
    player_name = fields.String(required=True)
    jersey_number = fields.Integer(required=True, allow_none=True)
    matches = fields.Integer(required=True)
    starts = fields.Integer(required=True)
    minutes_played = fields.Float(
        required=True, metadata={"description": "Minutes at full precision (to the second)"}
    )
    share = fields.Float(
        required=True, metadata={"description": "minutes_played / available_minutes (0..1)"}
    )
    below_minimum = fields.Boolean(
        required=True, metadata={"description": "share < the club's min_playing_share"}
    )
    by_position = fields.List(fields.Nested(PositionMinutesSchema), required=True)


class PlayingTimeSchema(Schema):
    team_id = fields.UUID(required=True)
    season_id = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The season shown, 'all', or null before the team's first match"},
    )
    matches = fields.Integer(required=True)
    available_minutes = fields.Float(
        required=True, metadata={"description": "The team's matches' lengths (periods 1-4)"}
    )
    min_playing_share = fields.Float(required=True)
    players = fields.List(fields.Nested(PlayingTimePlayerSchema), required=True)
