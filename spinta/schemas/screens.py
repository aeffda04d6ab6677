"""Response shapes of the coach and player screens (api.md "Coach" and "Player").

The presentation rules live in three field types, so no view or service rounds by hand:

- :class:`Count`: a whole number; a missing value (no data yet) is 0.
- :class:`Stat`: a number rounded half-up (rates and percentages 1 decimal, xG and averages
  2 decimals); a missing value (no data, a rate with a zero whole) is 0.
- :class:`Minutes`: minutes played, rounded half-up to whole minutes.
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields, validate

from spinta.analytics import round_half_up
from spinta.schemas.common import MAX_OFFSET
from spinta.schemas.matches import MatchSummarySchema

RATE = 1  # decimals of rates and percentages
XG = 2  # decimals of expected goals
AVERAGE = 2  # decimals of per-match averages


class Count(fields.Integer):
    """A counting statistic: always a JSON integer, 0 when there is no data."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        super().__init__(**kwargs)

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> int:
        return 0 if value is None else int(value)


class Minutes(Count):
    """Minutes played, kept at full precision in the database, shown as whole minutes."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> int:
        return 0 if value is None else int(round_half_up(float(value)))


class Stat(fields.Float):
    """A fractional statistic rounded half-up to ``places`` decimals; 0 when there is no data."""

    def __init__(self, places: int, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        super().__init__(**kwargs)
        self.places = places

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> float:
        return 0.0 if value is None else float(round_half_up(float(value), self.places))


# The regular end of periods 1-4 in minutes (statistics.md, "Goal minutes as football reports
# them"); a later minute of the period is added time ("45+2'").
PERIOD_ENDS = {1: 45, 2: 90, 3: 105, 4: 120}


def reported_minute(period: int, clock_minute: int) -> tuple[int, str]:
    """A goal's minute as football reports it, and its label: clock minute 22 -> (23, "23'");
    46 in period 1 -> (47, "45+2'"); 97 in period 2 -> (98, "90+8'").

    The stored goals are periods 1-4 (shootout kicks are not goals of the timeline); a period
    without a regular end (5, the shootout) gets no added time.
    """
    minute = clock_minute + 1
    end = PERIOD_ENDS.get(period)
    if end is not None and minute > end:
        return minute, f"{end}+{minute - end}'"
    return minute, f"{minute}'"


def _nullable_string(**kwargs: Any) -> fields.String:
    return fields.String(required=True, allow_none=True, **kwargs)


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


class SeasonGeneralSchema(Schema):
    matches_played = Count()
    minutes_played = Minutes()


class SeasonAttackingSchema(Schema):
    goals = Count()
    assists = Count()
    expected_goals = Stat(XG)
    shots_per_game = Stat(AVERAGE)
    shots_on_target_per_game = Stat(AVERAGE)


class SeasonPassingSchema(Schema):
    total_passes = Count()
    passes_completed = Count()


class SeasonDribblingSchema(Schema):
    total_dribbles = Count()
    successful_dribbles = Count()


class SeasonDefendingSchema(Schema):
    tackles = Count()
    tackle_success_rate = Stat(RATE)
    interceptions = Count()
    interception_success_rate = Stat(RATE)


class SeasonStatisticsSchema(Schema):
    general = fields.Nested(SeasonGeneralSchema, required=True)
    attacking = fields.Nested(SeasonAttackingSchema, required=True)
    passing = fields.Nested(SeasonPassingSchema, required=True)
    dribbling = fields.Nested(SeasonDribblingSchema, required=True)
    defending = fields.Nested(SeasonDefendingSchema, required=True)


class PlayerCardSchema(Schema):
    player_id = fields.UUID(required=True)
    player_name = fields.String(required=True)
    jersey_number = fields.Integer(required=True, allow_none=True)
    position = _nullable_string()
    height = fields.Integer(required=True, allow_none=True)
    age = _nullable_string(metadata={"example": "16 years"})
    profile_image_url = _nullable_string()


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


class SeasonSummarySchema(Schema):
    matches_played = Count()
    goals_scored = Count()
    goals_conceded = Count()
    total_assists = Count()


class DashboardAttackingSchema(Schema):
    avg_goals_per_match = Stat(AVERAGE)
    avg_xg_per_match = Stat(XG)
    avg_total_shots = Stat(AVERAGE)
    avg_shots_on_target = Stat(AVERAGE)
    avg_dribbles = Stat(AVERAGE)
    avg_successful_dribbles = Stat(AVERAGE)


class DashboardPassesSchema(Schema):
    avg_possession_percentage = Stat(RATE)
    avg_passes = Stat(AVERAGE)
    pass_completion_percentage = Stat(RATE)
    avg_final_third_passes = Stat(AVERAGE)
    avg_crosses = Stat(AVERAGE)


class DashboardDefendingSchema(Schema):
    total_clean_sheets = Count()
    avg_goals_conceded_per_match = Stat(AVERAGE)
    avg_tackles = Stat(AVERAGE)
    tackle_success_percentage = Stat(RATE)
    avg_interceptions = Stat(AVERAGE)
    interception_success_percentage = Stat(RATE)
    avg_ball_recoveries = Stat(AVERAGE)
    avg_saves_per_match = Stat(AVERAGE)


class DashboardStatisticsSchema(Schema):
    season_summary = fields.Nested(SeasonSummarySchema, required=True)
    attacking = fields.Nested(DashboardAttackingSchema, required=True)
    passes = fields.Nested(DashboardPassesSchema, required=True)
    defending = fields.Nested(DashboardDefendingSchema, required=True)


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


def _pairs(name: str, **leaves: type[Schema]) -> type[Schema]:
    return Schema.from_dict(
        {leaf: fields.Nested(schema, required=True) for leaf, schema in leaves.items()}, name=name
    )


MatchOverviewSchema = _pairs(
    "MatchOverview",
    ball_possession=RatePairSchema,
    expected_goals=XGPairSchema,
    total_shots=CountPairSchema,
    goalkeeper_saves=CountPairSchema,
    total_dribbles=CountPairSchema,
    total_passes=CountPairSchema,
)
MatchAttackingSchema = _pairs(
    "MatchAttacking",
    total_shots=CountPairSchema,
    shots_on_target=CountPairSchema,
    shots_off_target=CountPairSchema,
    total_dribbles=CountPairSchema,
    successful_dribbles=CountPairSchema,
)
MatchPassingSchema = _pairs(
    "MatchPassing",
    total_passes=CountPairSchema,
    passes_completed=CountPairSchema,
    passes_in_final_third=CountPairSchema,
    long_passes=CountPairSchema,
    crosses=CountPairSchema,
)
MatchDefendingSchema = _pairs(
    "MatchDefending",
    tackle_success_percentage=RatePairSchema,
    total_tackles=CountPairSchema,
    interceptions=CountPairSchema,
    ball_recoveries=CountPairSchema,
    goalkeeper_saves=CountPairSchema,
)


class MatchStatisticsSchema(Schema):
    match_overview = fields.Nested(MatchOverviewSchema, required=True)
    attacking = fields.Nested(MatchAttackingSchema, required=True)
    passing = fields.Nested(MatchPassingSchema, required=True)
    defending = fields.Nested(MatchDefendingSchema, required=True)


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
    profile_image_url = _nullable_string()
    is_linked = fields.Boolean(required=True)


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


class PlayerDetailSchema(Schema):
    player = fields.Nested(CoachPlayerCardSchema, required=True)
    invite_code = _nullable_string()
    invite_expires_at = fields.DateTime(required=True, allow_none=True)
    attributes = fields.Nested(AttributesSchema, required=True)
    season_statistics = fields.Nested(SeasonStatisticsSchema, required=True)
    matches = fields.Nested(PagedMatchesSchema, required=True)
    training_plans = fields.List(fields.Nested(PlanItemSchema), required=True)


class PlayerSummarySchema(Schema):
    player_name = fields.String(required=True)
    goals = Count()
    assists = Count()
    minutes_played = Minutes()


class PlayerMatchAttackingSchema(Schema):
    goals = Count()
    assists = Count()
    xg = Stat(XG)
    total_shots = Count()
    shots_on_target = Count()
    total_dribbles = Count()
    successful_dribbles = Count()


class PlayerMatchPassingSchema(Schema):
    total_passes = Count()
    passes_completed = Count()
    short_passes = Count()
    long_passes = Count()
    final_third = Count()
    crosses = Count()


class PlayerMatchDefendingSchema(Schema):
    tackles = Count()
    tackle_success_rate = Stat(RATE)
    interceptions = Count()
    interception_success_rate = Stat(RATE)


class PlayerMatchStatisticsSchema(Schema):
    attacking = fields.Nested(PlayerMatchAttackingSchema, required=True)
    passing = fields.Nested(PlayerMatchPassingSchema, required=True)
    defending = fields.Nested(PlayerMatchDefendingSchema, required=True)


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


class PlayerInfoSchema(Schema):
    player_name = fields.String(required=True)
    email = fields.String(required=True)
    jersey_number = fields.Integer(required=True, allow_none=True)
    position = _nullable_string()
    birth_date = fields.Date(required=True, allow_none=True)
    height = fields.Integer(required=True, allow_none=True)
    profile_image_url = _nullable_string()


class PlayerClubSchema(Schema):
    club_name = fields.String(required=True)
    logo_url = _nullable_string()


class PlayerSeasonSummarySchema(Schema):
    matches_played = Count()
    goals = Count()
    assists = Count()


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
