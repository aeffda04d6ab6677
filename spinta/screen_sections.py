"""What the coach and player screens show of the statistic catalogue.

Each statistics section of a screen is a tuple of :class:`Leaf`: the response field, the
stored column it shows and how it is shown. For a catalogue statistic (:func:`stat`) the column
is the catalogue key and the presentation follows from its kind (a count is a whole number, xG
two decimals, a ratio or share a percentage with one decimal, minutes whole minutes); a season
figure per match played is an average. Figures that are not match statistics (matches played,
clean sheets, goals conceded) are named with :func:`figure`.

The response schemas (:mod:`spinta.schemas.screens`) take their fields from these tables and the
read use cases (:mod:`spinta.services.screens`) fill them from the stored rows, so showing one
more statistic on a screen is one leaf here. Pure: imports nothing of Flask or SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from spinta.analytics.catalogue import BY_KEY, Kind


class _NotAvailable:
    """A statistic the match's data source cannot give (data_source.missing_statistics)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_AVAILABLE"


# What a read use case puts in place of a statistic its match's file cannot give: the response
# field shows it as null (a stored 0 of such a statistic means "not available", never "none").
NOT_AVAILABLE = _NotAvailable()


class Show(StrEnum):
    COUNT = "count"  # a whole number, 0 without data
    MINUTES = "minutes"  # minutes played, whole minutes
    XG = "xg"  # two decimals
    RATE = "rate"  # a percentage, one decimal
    AVERAGE = "average"  # a per-match average, two decimals


_BY_KIND = {
    Kind.COUNT: Show.COUNT,
    Kind.SHOOTOUT: Show.COUNT,
    Kind.DURATION: Show.MINUTES,
    Kind.XG: Show.XG,
    Kind.RATIO: Show.RATE,
    Kind.SHARE: Show.RATE,
}


@dataclass(frozen=True, slots=True)
class Leaf:
    name: str  # the response field
    column: str  # the stored column it shows
    show: Show
    per_match: bool = False  # the season total divided by the matches played


@dataclass(frozen=True, slots=True)
class Section:
    name: str  # the response field of the section
    schema: str  # the name of its response schema (OpenAPI component)
    leaves: tuple[Leaf, ...]


def stat(name: str, key: str | None = None, *, per_match: bool = False) -> Leaf:
    """A catalogue statistic (``key``, default ``name``), shown as its kind says."""
    entry = BY_KEY[key or name]
    show = Show.AVERAGE if per_match else _BY_KIND[entry.kind]
    return Leaf(name, entry.key, show, per_match)


def club_average(name: str, key: str) -> Leaf:
    """A club season's mean per match of a team statistic (column ``avg_<key>``)."""
    entry = BY_KEY[key]
    assert entry.team, key
    show = Show.AVERAGE if entry.kind in (Kind.COUNT, Kind.XG) else _BY_KIND[entry.kind]
    return Leaf(name, f"avg_{entry.key}", show)


def figure(name: str, column: str | None = None, *, per_match: bool = False) -> Leaf:
    """A stored figure outside the catalogue (matches played, clean sheets, ...)."""
    return Leaf(name, column or name, Show.AVERAGE if per_match else Show.COUNT, per_match)


# Figures that sum a catalogue statistic under another name.
_FIGURE_STATISTICS = {"total_assists": "assists"}


def statistic(leaf: Leaf) -> str:
    """The catalogue statistic a leaf shows (a club average ``avg_<key>`` shows ``key``): what
    a match's ``data_source.missing_statistics`` names."""
    return _FIGURE_STATISTICS.get(leaf.column, leaf.column.removeprefix("avg_"))


def columns(sections: tuple[Section, ...]) -> tuple[str, ...]:
    """Every stored column the sections show, once, sorted."""
    return tuple(sorted({leaf.column for s in sections for leaf in s.leaves}))


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


# ---------------------------------------------------------------- coach dashboard (club season)

DASHBOARD: tuple[Section, ...] = (
    Section(
        "season_summary",
        "SeasonSummarySchema",
        (
            figure("matches_played"),
            figure("goals_scored"),
            figure("goals_conceded"),
            figure("total_assists"),
        ),
    ),
    Section(
        "attacking",
        "DashboardAttackingSchema",
        (
            # Official scores (like goals_scored), so the two figures always agree.
            figure("avg_goals_per_match", "goals_scored", per_match=True),
            club_average("avg_xg_per_match", "expected_goals"),
            club_average("avg_total_shots", "total_shots"),
            club_average("avg_shots_on_target", "shots_on_target"),
            club_average("avg_dribbles", "total_dribbles"),
            club_average("avg_successful_dribbles", "successful_dribbles"),
        ),
    ),
    Section(
        "passes",
        "DashboardPassesSchema",
        (
            club_average("avg_possession_percentage", "possession_percentage"),
            club_average("avg_passes", "total_passes"),
            stat("pass_completion_percentage", "pass_completion_rate"),
            club_average("avg_final_third_passes", "final_third_passes"),
            club_average("avg_crosses", "crosses"),
        ),
    ),
    Section(
        "defending",
        "DashboardDefendingSchema",
        (
            figure("total_clean_sheets", "clean_sheets"),
            figure("avg_goals_conceded_per_match", "goals_conceded", per_match=True),
            club_average("avg_tackles", "total_tackles"),
            stat("tackle_success_percentage", "tackle_success_rate"),
            club_average("avg_interceptions", "interceptions"),
            stat("interception_success_percentage", "interception_success_rate"),
            club_average("avg_ball_recoveries", "ball_recoveries"),
            club_average("avg_saves_per_match", "goalkeeper_saves"),
        ),
    ),
)

# ---------------------------------------------------------------- match detail (both teams)

MATCH: tuple[Section, ...] = (
    Section(
        "match_overview",
        "MatchOverview",
        (
            stat("ball_possession", "possession_percentage"),
            stat("expected_goals"),
            stat("total_shots"),
            stat("goalkeeper_saves"),
            stat("total_dribbles"),
            stat("total_passes"),
        ),
    ),
    Section(
        "attacking",
        "MatchAttacking",
        (
            stat("total_shots"),
            stat("shots_on_target"),
            stat("shots_off_target"),
            stat("total_dribbles"),
            stat("successful_dribbles"),
        ),
    ),
    Section(
        "passing",
        "MatchPassing",
        (
            stat("total_passes"),
            stat("passes_completed"),
            stat("passes_in_final_third", "final_third_passes"),
            stat("long_passes"),
            stat("crosses"),
        ),
    ),
    Section(
        "defending",
        "MatchDefending",
        (
            stat("tackle_success_percentage", "tackle_success_rate"),
            stat("total_tackles"),
            stat("interceptions"),
            stat("ball_recoveries"),
            stat("goalkeeper_saves"),
        ),
    ),
)

# ---------------------------------------------------------------- a player in one match

PLAYER_MATCH: tuple[Section, ...] = (
    Section(
        "attacking",
        "PlayerMatchAttackingSchema",
        (
            stat("goals"),
            stat("assists"),
            stat("xg", "expected_goals"),
            stat("total_shots"),
            stat("shots_on_target"),
            stat("total_dribbles"),
            stat("successful_dribbles"),
        ),
    ),
    Section(
        "passing",
        "PlayerMatchPassingSchema",
        (
            stat("total_passes"),
            stat("passes_completed"),
            stat("short_passes"),
            stat("long_passes"),
            stat("final_third", "final_third_passes"),
            stat("crosses"),
        ),
    ),
    Section(
        "defending",
        "PlayerMatchDefendingSchema",
        (
            stat("tackles", "total_tackles"),
            stat("tackle_success_rate"),
            stat("interceptions"),
            stat("interception_success_rate"),
        ),
    ),
)

# ---------------------------------------------------------------- a player's season

PLAYER_SEASON: tuple[Section, ...] = (
    Section(
        "general",
        "SeasonGeneralSchema",
        (figure("matches_played"), stat("minutes_played")),
    ),
    Section(
        "attacking",
        "SeasonAttackingSchema",
        (
            stat("goals"),
            stat("assists"),
            stat("expected_goals"),
            stat("shots_per_game", "total_shots", per_match=True),
            stat("shots_on_target_per_game", "shots_on_target", per_match=True),
        ),
    ),
    Section(
        "passing",
        "SeasonPassingSchema",
        (stat("total_passes"), stat("passes_completed")),
    ),
    Section(
        "dribbling",
        "SeasonDribblingSchema",
        (stat("total_dribbles"), stat("successful_dribbles")),
    ),
    Section(
        "defending",
        "SeasonDefendingSchema",
        (
            stat("tackles", "total_tackles"),
            stat("tackle_success_rate"),
            stat("interceptions"),
            stat("interception_success_rate"),
        ),
    ),
)
