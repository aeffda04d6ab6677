"""Season aggregates as sums that a match can be added to or taken from (issue 21).

A club season is kept as additive totals (`CLUB_TOTAL_FIELDS`); its averages and rates are
derived from them (`club_season_from_totals`), so adding or removing one match costs the same
however long the history is. `club_season_from_totals(sum of club_match_totals(m), form)`
equals `compute_club_season(matches)` (tests/analytics/test_totals.py). A player season is
kept as `PlayerTotals` sums (season.py), additive in the same way (`add_player_totals`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from .report import RATE_PARTS, TEAM_COUNT_FIELDS, TEAM_RATE_FIELDS, rate
from .season import (
    FORM_LENGTH,
    ClubMatch,
    ClubSeason,
    PlayerTotals,
    _amount,
    _club_match,
    _result,
)

__all__ = [
    "CLUB_TOTAL_FIELDS",
    "add_player_totals",
    "add_totals",
    "club_match_totals",
    "club_season_from_totals",
    "team_form",
    "total_column",
]

FORM: Final = FORM_LENGTH


def total_column(name: str) -> str:
    """The stored season total of a team count statistic."""
    return f"{name}_total"


CLUB_TOTAL_FIELDS: Final[tuple[str, ...]] = (
    "matches_played",
    "wins",
    "draws",
    "losses",
    "goals_scored",
    "goals_conceded",
    "clean_sheets",
    "total_assists",
    *(total_column(name) for name in TEAM_COUNT_FIELDS),
    "possession_total",
    "possession_matches",
)


def club_match_totals(item: ClubMatch | Mapping[str, Any]) -> dict[str, float]:
    """One match's share of every CLUB_TOTAL_FIELDS sum."""
    match = _club_match(item)
    result = _result(match)
    possession = match.team_stats.get("possession_percentage")
    return {
        "matches_played": 1,
        "wins": int(result == "W"),
        "draws": int(result == "D"),
        "losses": int(result == "L"),
        "goals_scored": match.our_score,
        "goals_conceded": match.opponent_score,
        "clean_sheets": int(match.opponent_score == 0),
        "total_assists": int(_amount(match.assists)),
        **{total_column(name): _amount(match.team_stats.get(name)) for name in TEAM_COUNT_FIELDS},
        "possession_total": _amount(possession) if possession is not None else 0,
        "possession_matches": int(possession is not None),
    }


def add_totals(
    base: Mapping[str, float], change: Mapping[str, float], sign: int = 1
) -> dict[str, float]:
    """base + sign * change, field by field (fields missing from either count as 0)."""
    names = dict.fromkeys([*base, *change])
    return {name: (base.get(name) or 0) + sign * (change.get(name) or 0) for name in names}


def team_form(results_latest_first: Iterable[str]) -> str:
    """The last FORM_LENGTH results, most recent first."""
    return "".join(list(results_latest_first)[:FORM])


def club_season_from_totals(totals: Mapping[str, float], form: str) -> ClubSeason:
    """The club season from its sums (and its form, which sums cannot hold)."""
    count = int(totals.get("matches_played") or 0)
    sums = {name: float(totals.get(total_column(name)) or 0) for name in TEAM_COUNT_FIELDS}
    rates = {
        name: rate(sums[RATE_PARTS[name][0]], sums[RATE_PARTS[name][1]])
        for name in TEAM_RATE_FIELDS
    }
    possessions = int(totals.get("possession_matches") or 0)
    return ClubSeason(
        matches_played=count,
        wins=int(totals.get("wins") or 0),
        draws=int(totals.get("draws") or 0),
        losses=int(totals.get("losses") or 0),
        goals_scored=int(totals.get("goals_scored") or 0),
        goals_conceded=int(totals.get("goals_conceded") or 0),
        clean_sheets=int(totals.get("clean_sheets") or 0),
        total_assists=int(totals.get("total_assists") or 0),
        team_form=form,
        averages={
            f"avg_{name}": (sums[name] / count if count else None) for name in TEAM_COUNT_FIELDS
        },
        avg_possession_percentage=(
            float(totals.get("possession_total") or 0) / possessions if possessions else None
        ),
        pass_completion_rate=rates["pass_completion_rate"],
        tackle_success_rate=rates["tackle_success_rate"],
        interception_success_rate=rates["interception_success_rate"],
    )


def add_player_totals(
    base: PlayerTotals | None, change: PlayerTotals, sign: int = 1
) -> PlayerTotals:
    """base + sign * change (a player's season sums with one match added or taken away)."""
    if base is None:
        base = PlayerTotals(0, 0, 0.0, {})
    return PlayerTotals(
        matches=base.matches + sign * change.matches,
        starts=base.starts + sign * change.starts,
        minutes=base.minutes + sign * change.minutes,
        totals=add_totals(base.totals, change.totals, sign),
    )
