"""Every statistic of a match report, once: key, kind, scope, per-90 and season treatment,
label, unit and the phrases the assistant understands for it.

The report's field-name tuples (`report.TEAM_STAT_FIELDS`, `PLAYER_COUNT_FIELDS`, the per-90
list, `RATE_PARTS` ...) and the season sums (`season.py`) are derived from `CATALOGUE`; the
report dataclasses are checked against it when the package is imported. Order matters: it is
the column order of a team row (statistics.md), and a player row takes its counts, then its
ratios, then the rest, in this order too (`player_after` places one entry elsewhere there).

Adding a counting statistic: one entry here, the rule that counts it (`rules/`), its field in
the report dataclasses (`report.py`), and a migration for its columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, make_dataclass
from enum import StrEnum
from typing import Final

__all__ = [
    "BY_KEY",
    "CATALOGUE",
    "Kind",
    "Scope",
    "Season",
    "Stat",
    "player_counts",
    "player_rates",
    "player_row",
    "rate_parts",
    "stats_dataclass",
    "team_counts",
    "team_means",
    "team_rates",
    "team_row",
    "value_type",
]


class Kind(StrEnum):
    COUNT = "count"  # a whole number of events
    XG = "xg"  # expected goals: a sum of probabilities
    RATIO = "ratio"  # 100 * part / whole, from two counts (null when whole is 0)
    SHARE = "share"  # a percentage of the match (possession)
    SHOOTOUT = "shootout"  # a count of the penalty shootout only: null without one
    DURATION = "duration"  # minutes on the pitch


class Scope(StrEnum):
    TEAM = "team"
    PLAYER = "player"
    BOTH = "both"


class Season(StrEnum):
    """How the season aggregates a statistic."""

    SUM = "sum"  # summed (player totals; the club shows the average per match)
    RATIO_OF_SUMS = "ratio_of_sums"  # recomputed from the summed part and whole
    MEAN = "mean"  # the mean of the match values
    NONE = "none"  # not aggregated


@dataclass(frozen=True, slots=True)
class Stat:
    key: str  # the report field, the column and the response field
    kind: Kind
    scope: Scope
    per90: bool  # a player gets it per 90 minutes
    season: Season
    label: str
    unit: str
    phrases: tuple[str, ...] = ()  # what a coach may call it (() : the assistant does not yet)
    parts: tuple[str, str] | None = None  # a ratio's (part, whole) keys
    lower_is_better: bool = False
    player_after: str | None = None  # in a player row, right after this key instead

    @property
    def team(self) -> bool:
        return self.scope is not Scope.PLAYER

    @property
    def player(self) -> bool:
        return self.scope is not Scope.TEAM


def _count(
    key: str, scope: Scope, label: str, phrases: tuple[str, ...] = (), **options: object
) -> Stat:
    return Stat(key, Kind.COUNT, scope, True, Season.SUM, label, "", phrases, **options)  # type: ignore[arg-type]


def _ratio(
    key: str, scope: Scope, label: str, parts: tuple[str, str], phrases: tuple[str, ...] = ()
) -> Stat:
    return Stat(key, Kind.RATIO, scope, False, Season.RATIO_OF_SUMS, label, "%", phrases, parts)


BOTH, TEAM, PLAYER = Scope.BOTH, Scope.TEAM, Scope.PLAYER

CATALOGUE: Final[tuple[Stat, ...]] = (
    _count("goals", BOTH, "goals", ("goals", "goal", "scored", "scoring", "netted")),
    Stat(
        "penalty_shootout_goals",
        Kind.SHOOTOUT,
        BOTH,
        False,
        Season.NONE,
        "penalty shootout goals",
        "",
    ),
    _count("own_goals", PLAYER, "own goals", ("own goals", "own goal", "og"), lower_is_better=True),
    _count(
        "assists",
        PLAYER,
        "assists",
        ("assists", "assist", "assisted", "set up", "setup", "assister", "assisters"),
    ),
    _count(
        "key_passes",
        PLAYER,
        "key passes",
        ("key passes", "key pass", "chances created", "chance created", "chances"),
    ),
    _count("shots", PLAYER, "shots"),  # the player's own name for total_shots
    Stat(
        "expected_goals",
        Kind.XG,
        BOTH,
        True,
        Season.SUM,
        "xG",
        "xG",
        ("expected goals", "expected goal", "xg", "x g"),
        player_after="blocked_shots",
    ),
    _count(
        "total_shots",
        BOTH,
        "shots",
        ("shots", "shot", "shooting", "attempts", "shooter", "shooters"),
    ),
    _count(
        "shots_on_target",
        BOTH,
        "shots on target",
        ("shots on target", "shot on target", "on target", "on goal"),
    ),
    _count("shots_off_target", BOTH, "shots off target"),
    _count("blocked_shots", BOTH, "blocked shots"),
    _count("goalkeeper_saves", BOTH, "saves", ("saves", "save", "goalkeeper saves")),
    _count("total_passes", BOTH, "passes", ("passes", "pass", "passing", "passer", "passers")),
    _count(
        "passes_completed",
        BOTH,
        "completed passes",
        ("completed passes", "passes completed", "successful passes", "accurate passes"),
    ),
    _ratio(
        "pass_completion_rate",
        BOTH,
        "pass completion",
        ("passes_completed", "total_passes"),
        (
            "pass completion rate",
            "pass completion",
            "passing accuracy",
            "pass accuracy",
            "passing percentage",
            "pass percentage",
            "completion rate",
            "completion",
            "pass success rate",
            "pass success",
            "passing success",
            "accurate passer",
        ),
    ),
    _count("short_passes", PLAYER, "short passes", ("short passes", "short pass")),
    _count(
        "final_third_passes",
        BOTH,
        "final-third passes",
        ("final third passes", "passes into the final third", "final third"),
    ),
    _count("long_passes", BOTH, "long passes", ("long passes", "long pass", "long balls")),
    _count("crosses", BOTH, "crosses", ("crosses", "cross", "crossing", "crossers")),
    _count("corners", BOTH, "corners", ("corners", "corner kicks", "corner")),
    _count(
        "total_dribbles",
        BOTH,
        "dribbles",
        ("dribbles", "dribble", "dribbling", "dribbler", "dribblers"),
    ),
    _count(
        "successful_dribbles",
        BOTH,
        "successful dribbles",
        ("successful dribbles", "completed dribbles", "dribbles completed"),
    ),
    _ratio(
        "dribble_success_rate",
        PLAYER,
        "dribble success",
        ("successful_dribbles", "total_dribbles"),
        ("dribble success rate", "dribble success", "dribbling success"),
    ),
    _count(
        "total_tackles", BOTH, "tackles", ("tackles", "tackle", "tackling", "tackler", "tacklers")
    ),
    _count(
        "tackles_won", BOTH, "tackles won", ("tackles won", "won tackles", "successful tackles")
    ),
    _ratio(
        "tackle_success_rate",
        BOTH,
        "tackle success",
        ("tackles_won", "total_tackles"),
        ("tackle success rate", "tackle success", "tackling success", "tackle rate"),
    ),
    _count(
        "interceptions", BOTH, "interceptions", ("interceptions", "interception", "intercepted")
    ),
    _count("interceptions_won", BOTH, "interceptions won"),
    _ratio(
        "interception_success_rate",
        BOTH,
        "interception success",
        ("interceptions_won", "interceptions"),
        ("interception success rate", "interception success"),
    ),
    _count(
        "ball_recoveries",
        BOTH,
        "ball recoveries",
        ("ball recoveries", "recoveries", "recovery", "recovered"),
    ),
    _count("clearances", BOTH, "clearances", ("clearances", "clearance", "cleared")),
    _count(
        "fouls_committed",
        BOTH,
        "fouls",
        ("fouls committed", "fouls", "foul", "fouled"),
        lower_is_better=True,
    ),
    _count(
        "yellow_cards",
        BOTH,
        "yellow cards",
        ("yellow cards", "yellow card", "yellows", "booked", "bookings"),
        lower_is_better=True,
    ),
    _count(
        "red_cards",
        BOTH,
        "red cards",
        ("red cards", "red card", "sent off"),
        lower_is_better=True,
    ),
    _count("pressures", PLAYER, "pressures", ("pressures", "pressure", "pressing")),
    Stat(
        "possession_percentage",
        Kind.SHARE,
        TEAM,
        False,
        Season.MEAN,
        "possession",
        "%",
        ("ball possession", "possession"),
    ),
    Stat(
        "minutes_played",
        Kind.DURATION,
        PLAYER,
        False,
        Season.SUM,
        "minutes",
        "min",
        ("minutes played", "playing time", "minutes", "minute", "mins"),
    ),
)

BY_KEY: Final[Mapping[str, Stat]] = {stat.key: stat for stat in CATALOGUE}

_SUMMED = (Kind.COUNT, Kind.XG)


def team_row() -> tuple[str, ...]:
    """Every team statistic, in the column order of a team row."""
    return tuple(stat.key for stat in CATALOGUE if stat.team)


def team_counts() -> tuple[str, ...]:
    return tuple(stat.key for stat in CATALOGUE if stat.team and stat.kind in _SUMMED)


def team_rates() -> tuple[str, ...]:
    return tuple(stat.key for stat in CATALOGUE if stat.team and stat.kind is Kind.RATIO)


def _player_order(stats: list[Stat]) -> tuple[str, ...]:
    keys = [stat.key for stat in stats if stat.player_after is None]
    for stat in stats:
        if stat.player_after is not None:
            keys.insert(keys.index(stat.player_after) + 1, stat.key)
    return tuple(keys)


def player_counts() -> tuple[str, ...]:
    """The player's per-90 statistics: his counts, each also summed over a season."""
    return _player_order([s for s in CATALOGUE if s.player and s.per90])


def player_rates() -> tuple[str, ...]:
    return _player_order([s for s in CATALOGUE if s.player and s.kind is Kind.RATIO])


def player_row() -> tuple[str, ...]:
    """Every player statistic: counts, ratios, then the others (in catalogue order)."""
    others = [s for s in CATALOGUE if s.player and s.kind not in (*_SUMMED, Kind.RATIO)]
    return (*player_counts(), *player_rates(), *_player_order(others))


def team_means() -> tuple[str, ...]:
    """Team statistics the club season averages over its matches as they are (possession)."""
    return tuple(stat.key for stat in CATALOGUE if stat.team and stat.season is Season.MEAN)


def rate_parts() -> dict[str, tuple[str, str]]:
    """ratio key -> (part, whole), in catalogue order."""
    return {stat.key: stat.parts for stat in CATALOGUE if stat.parts is not None}


# The Python type of a value of each kind (report fields; the database column follows it).
_VALUE_TYPES: Final[Mapping[Kind, object]] = {
    Kind.COUNT: int,
    Kind.XG: float,
    Kind.RATIO: float | None,  # null when the whole is 0
    Kind.SHARE: float | None,  # null without any possession
    Kind.SHOOTOUT: int | None,  # null without a shootout
    Kind.DURATION: float,
}


def value_type(key: str) -> object:
    """The type of a statistic's value in a report (`int`, `float`, `float | None` ...)."""
    return _VALUE_TYPES[BY_KEY[key].kind]


def stats_dataclass(
    name: str,
    module: str,
    identity: Iterable[tuple[str, object]],
    keys: Iterable[str],
    methods: type,
) -> type:
    """A frozen report dataclass: the identity fields, then one field per statistic key (in
    that order), typed by its kind; `methods` gives it its methods."""
    fields = [*identity, *((key, value_type(key)) for key in keys)]
    cls = make_dataclass(name, fields, bases=(methods,), frozen=True, slots=True)
    cls.__module__ = module
    return cls
