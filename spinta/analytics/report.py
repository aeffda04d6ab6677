"""The analysis report of one match: frozen dataclasses and the statistic field names.

The field-name constants are the single source for the database models and the API: one team
row per team per match holds every `TEAM_STAT_FIELDS` value, one player row per player per match
every `PLAYER_STAT_FIELDS` value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from . import catalogue

__all__ = [
    "PLAYER_COUNT_FIELDS",
    "PLAYER_RATE_FIELDS",
    "PLAYER_STAT_FIELDS",
    "RATE_PARTS",
    "TEAM_COUNT_FIELDS",
    "TEAM_RATE_FIELDS",
    "TEAM_STAT_FIELDS",
    "Goal",
    "LineupPlayer",
    "MatchReport",
    "OurTeam",
    "PlayerStats",
    "Score",
    "Team",
    "TeamLineup",
    "TeamStats",
    "per90",
    "rate",
    "round_half_up",
]

# Derived from the catalogue (spinta/analytics/catalogue.py), the one list of statistics.
# Team counting statistics (summable; the season averages them per match).
TEAM_COUNT_FIELDS: Final[tuple[str, ...]] = catalogue.team_counts()
TEAM_RATE_FIELDS: Final[tuple[str, ...]] = catalogue.team_rates()
# Every team field, in the order of statistics.md (one DB row per team per match).
TEAM_STAT_FIELDS: Final[tuple[str, ...]] = catalogue.team_row()

# Player counting statistics: each also has a per-90 value.
PLAYER_COUNT_FIELDS: Final[tuple[str, ...]] = catalogue.player_counts()
PLAYER_RATE_FIELDS: Final[tuple[str, ...]] = catalogue.player_rates()
# Every player field (one DB row per player per match, besides ids, names and is_starter).
PLAYER_STAT_FIELDS: Final[tuple[str, ...]] = catalogue.player_row()

# rate field -> (part, whole): rate = 100 * part / whole, null when whole is 0.
RATE_PARTS: Final[Mapping[str, tuple[str, str]]] = catalogue.rate_parts()


def rate(part: float, whole: float) -> float | None:
    """100 * part / whole at full precision; None when whole is 0."""
    return 100 * part / whole if whole else None


def per90(value: float, minutes: float) -> float | None:
    """value * 90 / minutes; None when minutes < 1."""
    return value * 90 / minutes if minutes >= 1 else None


def round_half_up(value: float, ndigits: int = 0) -> float | int:
    """Round for presentation, halves away from zero (2.5 -> 3); an int when ndigits is 0."""
    if not math.isfinite(value):
        return value
    exponent = Decimal(1).scaleb(-ndigits)
    rounded = Decimal(repr(value)).quantize(exponent, rounding=ROUND_HALF_UP)
    return int(rounded) if ndigits <= 0 else float(rounded)


@dataclass(frozen=True, slots=True)
class Team:
    id: int
    name: str
    is_our_team: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "is_our_team": self.is_our_team}


@dataclass(frozen=True, slots=True)
class OurTeam:
    id: int
    name: str
    matched_by: str  # one of the teams.MATCHED_BY_* values

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "matched_by": self.matched_by}


@dataclass(frozen=True, slots=True)
class Score:
    our: int
    opponent: int

    def to_dict(self) -> dict[str, int]:
        return {"our": self.our, "opponent": self.opponent}


class _TeamStatsMethods:
    """The methods of `TeamStats` (its fields come from the catalogue)."""

    __slots__ = ()

    def stats(self) -> dict[str, Any]:
        """Every team field by name (the values of one team row)."""
        return {name: getattr(self, name) for name in TEAM_STAT_FIELDS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "team_id": self.team_id,  # type: ignore[attr-defined]
            "team_name": self.team_name,  # type: ignore[attr-defined]
            "is_our_team": self.is_our_team,  # type: ignore[attr-defined]
            **self.stats(),
        }


# One team's statistics in one match: its identity, then every `TEAM_STAT_FIELDS` value with
# the type its catalogue kind gives (catalogue.value_type).
TeamStats = catalogue.stats_dataclass(
    "TeamStats",
    __name__,
    (("team_id", int), ("team_name", str), ("is_our_team", bool)),
    TEAM_STAT_FIELDS,
    _TeamStatsMethods,
)


@dataclass(frozen=True, slots=True)
class Goal:
    """One goal of the timeline (periods 1-4). Own goals come from the `Own Goal For` event."""

    minute: int
    second: int
    period: int
    team_id: int  # the team credited with the goal
    team_name: str
    scorer_id: int | None
    scorer_name: str | None
    assist_id: int | None
    assist_name: str | None
    is_our_goal: bool
    own_goal: bool
    penalty: bool
    event_id: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "minute": self.minute,
            "second": self.second,
            "period": self.period,
            "scorer_name": self.scorer_name,
            "assist_name": self.assist_name,
            "is_our_goal": self.is_our_goal,
            "own_goal": self.own_goal,
            "penalty": self.penalty,
            "team_id": self.team_id,
            "team_name": self.team_name,
        }


@dataclass(frozen=True, slots=True)
class LineupPlayer:
    player_id: int
    player_name: str
    team_id: int
    jersey_number: int | None
    position: str | None
    is_starter: bool
    minutes_played: float  # full precision; present rounded half-up

    def to_dict(self) -> dict[str, Any]:
        return {
            "player_id": self.player_id,
            "player_name": self.player_name,
            "jersey_number": self.jersey_number,
            "position": self.position,
            "is_starter": self.is_starter,
            "minutes_played": self.minutes_played,
        }


@dataclass(frozen=True, slots=True)
class TeamLineup:
    team_id: int
    team_name: str
    players: tuple[LineupPlayer, ...]  # starters in Starting XI order, then substitutes

    def to_dict(self) -> dict[str, Any]:
        return {
            "team_id": self.team_id,
            "team_name": self.team_name,
            "players": [player.to_dict() for player in self.players],
        }


class _PlayerStatsMethods:
    """The methods of `PlayerStats` (its fields come from the catalogue)."""

    __slots__ = ()

    @property
    def per90(self) -> dict[str, float | None]:
        """Every counting statistic per 90 minutes (None when minutes_played < 1)."""
        minutes = self.minutes_played  # type: ignore[attr-defined]
        return {name: per90(getattr(self, name), minutes) for name in PLAYER_COUNT_FIELDS}

    def stats(self) -> dict[str, Any]:
        """Every player field by name (the values of one player row, minutes included)."""
        return {name: getattr(self, name) for name in PLAYER_STAT_FIELDS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "player_id": self.player_id,  # type: ignore[attr-defined]
            "player_name": self.player_name,  # type: ignore[attr-defined]
            "team_id": self.team_id,  # type: ignore[attr-defined]
            "team_name": self.team_name,  # type: ignore[attr-defined]
            "is_starter": self.is_starter,  # type: ignore[attr-defined]
            **self.stats(),
            "per90": self.per90,
        }


# One player's statistics in one match: who he is, his minutes, then every other
# `PLAYER_STAT_FIELDS` value (counts, ratios, the rest), typed by its catalogue kind.
PlayerStats = catalogue.stats_dataclass(
    "PlayerStats",
    __name__,
    (
        ("player_id", int),
        ("player_name", str),
        ("team_id", int),
        ("team_name", str),
        ("is_our_team", bool),
        ("is_starter", bool),
        ("jersey_number", int | None),
        ("position", str | None),
    ),
    ("minutes_played", *(name for name in PLAYER_STAT_FIELDS if name != "minutes_played")),
    _PlayerStatsMethods,
)


@dataclass(frozen=True, slots=True)
class MatchReport:
    """The analysis of one StatsBomb match from the club's side."""

    teams: tuple[Team, ...]  # file order (first appearance)
    our_team: OurTeam
    opponent: Team
    score: Score  # official: the typed score when given, else derived
    derived_score: Score  # from the events
    result: str  # "W", "D" or "L" on the official score
    penalty_shootout: Score | None
    team_stats: tuple[TeamStats, ...]  # same order as teams
    goals: tuple[Goal, ...]
    lineups: tuple[TeamLineup, ...]  # same order as teams
    player_stats: tuple[PlayerStats, ...]  # everyone who played, in lineup order
    warnings: tuple[str, ...]
    fingerprint: str  # sha256 of the sorted unique event ids
    events: tuple[dict[str, Any], ...] = field(default=(), repr=False, compare=False)
    advanced: Any = field(default=None, repr=False, compare=False)  # advanced.AdvancedReport
    # The match's length in minutes: each period 1-4 from 00:00 to its latest timestamp, as
    # minutes_played measures (a starter who stays on plays all of it). Not in to_dict().
    length_minutes: float = field(default=0.0, compare=False)

    @property
    def our_team_stats(self) -> TeamStats:
        return next(stats for stats in self.team_stats if stats.is_our_team)

    @property
    def opponent_stats(self) -> TeamStats:
        return next(stats for stats in self.team_stats if not stats.is_our_team)

    @property
    def our_lineup(self) -> TeamLineup:
        return next(lineup for lineup in self.lineups if lineup.team_id == self.our_team.id)

    @property
    def opponent_lineup(self) -> TeamLineup:
        return next(lineup for lineup in self.lineups if lineup.team_id != self.our_team.id)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able report of statistics.md "The analysis report" (full precision)."""
        return {
            "teams": [team.to_dict() for team in self.teams],
            "our_team": self.our_team.to_dict(),
            "opponent": {"id": self.opponent.id, "name": self.opponent.name},
            "score": self.score.to_dict(),
            "derived_score": self.derived_score.to_dict(),
            "result": self.result,
            "penalty_shootout": (
                self.penalty_shootout.to_dict() if self.penalty_shootout is not None else None
            ),
            "team_statistics": [stats.to_dict() for stats in self.team_stats],
            "goals": [goal.to_dict() for goal in self.goals],
            "lineups": [lineup.to_dict() for lineup in self.lineups],
            "player_statistics": [stats.to_dict() for stats in self.player_stats],
            "warnings": list(self.warnings),
            "fingerprint": self.fingerprint,
        }
