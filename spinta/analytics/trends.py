"""Player development over time (issue 22): per-season values, rolling five-match per-90
values, percentiles within a group and progress towards a goal. Pure: rows in, numbers out.

Minimum rule (InStat's): a match counts for a player's per-90 values when he played at least
15 minutes or made at least 10 actions in it; a season or group member needs the same over his
total. Actions: his passes, shots, dribbles, tackles, interceptions, clearances, ball
recoveries and pressures (the on-ball and defending events the box score counts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from .catalogue import ADVANCED, BY_KEY, CATALOGUE
from .report import per90
from .season import percentile_ranks

__all__ = [
    "ACTION_FIELDS",
    "ALIASES",
    "MIN_ACTIONS",
    "MIN_MINUTES",
    "ROLLING_MATCHES",
    "TREND_METRICS",
    "MatchValues",
    "giving",
    "goal_progress",
    "metric_key",
    "percentiles",
    "qualifies",
    "rolling",
    "season_value",
]

MIN_MINUTES: Final = 15.0
MIN_ACTIONS: Final = 10
ROLLING_MATCHES: Final = 5
ACTION_FIELDS: Final = (
    "total_passes",
    "total_shots",
    "total_dribbles",
    "total_tackles",
    "interceptions",
    "clearances",
    "ball_recoveries",
    "pressures",
)
# every player metric with a per-90 value: the box score's counts and the advanced ones
TREND_METRICS: Final = tuple(
    stat.key for stat in (*CATALOGUE, *ADVANCED) if stat.player and stat.per90
)
ALIASES: Final = {"xg": "expected_goals", "xt": "expected_threat", "shots": "total_shots"}


def metric_key(name: str) -> str | None:
    """The catalogue key a coach's metric name stands for (None when it is none)."""
    name = name.strip().lower()
    key = ALIASES.get(name, name)
    return key if key in TREND_METRICS else None


def lower_is_better(key: str) -> bool:
    stat = BY_KEY.get(key)
    return bool(stat and stat.lower_is_better)


@dataclass(frozen=True, slots=True)
class MatchValues:
    """One player's numbers in one match."""

    match_id: Any
    match_date: date
    season_id: Any  # the club season the match is in
    minutes: float
    actions: int
    values: Mapping[str, float]  # metric key -> his value
    # the metrics the match's file cannot give (data_source.missing_statistics): their stored
    # 0 is "not available", so the match counts for none of them (neither value nor minutes)
    missing: frozenset[str] = frozenset()


def giving(matches: Iterable[MatchValues], key: str) -> list[MatchValues]:
    """The matches whose file gives the metric."""
    return [m for m in matches if key not in m.missing]


def qualifies(minutes: float, actions: float) -> bool:
    return minutes >= MIN_MINUTES or actions >= MIN_ACTIONS


def season_value(matches: Iterable[MatchValues], key: str) -> tuple[float | None, float | None]:
    """(total, per 90) over the matches whose file gives the metric; per 90 is None under the
    minimum rule; both None when there are matches and none of them gives it."""
    matches = list(matches)
    given = giving(matches, key)
    if matches and not given:
        return None, None
    matches = given
    total = sum(m.values.get(key, 0) or 0 for m in matches)
    minutes = sum(m.minutes for m in matches)
    actions = sum(m.actions for m in matches)
    return total, per90(total, minutes) if qualifies(minutes, actions) else None


def rolling(matches: Sequence[MatchValues], key: str) -> list[tuple[MatchValues, float | None]]:
    """For each match in date order, the per-90 value over it and the previous four matches
    that met the minimum rule (their summed value * 90 / their summed minutes); a match under
    the rule is listed with the window as it stood (None before any counted match). A match
    whose file cannot give the metric never enters a window."""
    counted: list[MatchValues] = []
    out = []
    for match in matches:
        if key not in match.missing and qualifies(match.minutes, match.actions):
            counted.append(match)
        window = counted[-ROLLING_MATCHES:]
        minutes = sum(m.minutes for m in window)
        total = sum(m.values.get(key, 0) or 0 for m in window)
        out.append((match, per90(total, minutes) if window else None))
    return out


def percentiles(per90_by_player: Mapping[Any, float | None]) -> dict[Any, float | None]:
    """Percentile (0-100) of each player's per-90 value within the group: pandas'
    rank(pct=True) with ties sharing the mean rank, as the attribute ratings use; None for a
    player without a value (under the minimum rule)."""
    ranked = {p: v for p, v in per90_by_player.items() if v is not None}
    ranks = percentile_ranks(list(ranked.values())) if ranked else []
    result: dict[Any, float | None] = dict.fromkeys(per90_by_player)
    for player, rank in zip(ranked, ranks, strict=True):
        result[player] = float(100 * rank)
    return result


def goal_progress(key: str, target: float, current: float | None) -> tuple[float, bool]:
    """(progress 0..1, achieved) of a per-90 target; lower-is-better metrics (fouls, cards)
    are achieved at or below the target."""
    if current is None:
        return 0.0, False
    if lower_is_better(key):
        achieved = current <= target
        progress = 1.0 if achieved else (target / current if current else 0.0)
    else:
        achieved = current >= target
        progress = 1.0 if achieved or target <= 0 else current / target
    return max(0.0, min(1.0, progress)), achieved
