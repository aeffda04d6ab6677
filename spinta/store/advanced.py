"""Advanced metrics (issue 22): storing them with a match and reading them for the screens.

The rows are written with the match (one bulk insert, same transaction) and read by metric
key; season totals and per-90 values are summed from the match rows when asked (the season
dimension is a parameter: today every match of the club, the all-time season; seasons and
teams, issue 17, plug in through `match_ids`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import Subquery, delete, func, select

from spinta import analytics
from spinta.analytics.advanced import (
    ADVANCED_PLAYER_FIELDS,
    ADVANCED_PLAYER_PER90,
    ADVANCED_TEAM_FIELDS,
    team_values,
)
from spinta.extensions import db
from spinta.models import AdvancedMetric, PlayerMatchStatistics
from spinta.store.copy import insert_rows

__all__ = [
    "MATCH_SECTION",
    "delete_for_match",
    "insert_for_match",
    "match_section",
    "match_section_values",
    "matches_of_player",
    "player_match_columns",
    "player_match_section",
    "player_totals",
    "players_of_match",
]

# the match screen's `statistics.advanced` leaves, in the order of api.md
MATCH_SECTION = (
    "progressive_passes",
    "progressive_carries",
    "ppda",
    "field_tilt",
    "expected_threat",
    "pass_strings_3_5",
    "pass_strings_6_8",
    "pass_strings_9_plus",
)
PLAYER_SECTION = ADVANCED_PLAYER_FIELDS  # progressive_passes, progressive_carries, expected_threat


def _rows(
    match_id: uuid.UUID, report: analytics.MatchReport, our_ids: Mapping[int, uuid.UUID]
) -> Iterator[dict[str, Any]]:
    advanced = report.advanced
    our_team = report.our_team.id
    for team_id, values in advanced.teams.items():
        for metric in ADVANCED_TEAM_FIELDS:
            yield {
                "id": uuid.uuid4(),
                "match_id": match_id,
                "is_our_team": team_id == our_team,
                "player_id": None,
                "external_id": None,
                "metric": metric,
                "value": values[metric],
            }
    for stats in report.player_stats:
        is_ours = stats.team_id == our_team
        values = advanced.player(stats.team_id, stats.player_id)
        for metric in ADVANCED_PLAYER_FIELDS:
            yield {
                "id": uuid.uuid4(),
                "match_id": match_id,
                "is_our_team": is_ours,
                "player_id": our_ids.get(stats.player_id) if is_ours else None,
                "external_id": stats.player_id,
                "metric": metric,
                "value": values[metric],
            }


def insert_for_match(
    match_id: uuid.UUID, report: analytics.MatchReport, our_ids: Mapping[int, uuid.UUID]
) -> None:
    if report.advanced is not None:
        insert_rows(AdvancedMetric.__table__, list(_rows(match_id, report, our_ids)))


def delete_for_match(match_id: uuid.UUID) -> None:
    db.session.execute(delete(AdvancedMetric).where(AdvancedMetric.match_id == match_id))


def _value(match_id: Any, *conditions: Any) -> Any:
    return (
        select(AdvancedMetric.value)
        .where(AdvancedMetric.match_id == match_id, *conditions)
        .limit(1)
        .scalar_subquery()
    )


def match_section_values(match_id: Any) -> Subquery:
    """Both sides' team metrics of one match as one row, for the match screen's query to join
    (``adv_our_<metric>``, ``adv_their_<metric>``; NULL where none is stored): one pass over
    the match's team rows. A lookup per value read the side's rows, players' included, once for
    each of the sixteen values (bench/ratios.py, match detail cold)."""
    values = [
        func.max(AdvancedMetric.value)
        .filter(AdvancedMetric.is_our_team.is_(is_ours), AdvancedMetric.metric == metric)
        .label(f"adv_{side}_{metric}")
        for side, is_ours in (("our", True), ("their", False))
        for metric in MATCH_SECTION
    ]
    team_rows = (AdvancedMetric.match_id == match_id, AdvancedMetric.external_id.is_(None))
    return select(*values).where(*team_rows).subquery("advanced")


def match_section(row: Any) -> dict[str, dict[str, float | None]]:
    """`statistics.advanced` of the match screen from a row with `match_section_values`:
    {metric: {our_team, opponent}}, unrounded (the schema rounds; a match stored before the
    metrics has none until `flask spinta recompute-stats`)."""
    return {
        metric: {
            "our_team": getattr(row, f"adv_our_{metric}"),
            "opponent": getattr(row, f"adv_their_{metric}"),
        }
        for metric in MATCH_SECTION
    }


def player_match_columns(match_id: Any, player_id: Any) -> list[Any]:
    """Columns to add to the player-match query: the player's advanced values."""
    return [
        _value(
            match_id, AdvancedMetric.player_id == player_id, AdvancedMetric.metric == metric
        ).label(f"adv_{metric}")
        for metric in PLAYER_SECTION
    ]


def player_match_section(row: Any) -> dict[str, float]:
    """A squad player's advanced values in one match (0 when stored before the metrics)."""
    return {metric: getattr(row, f"adv_{metric}") or 0 for metric in PLAYER_SECTION}


def players_of_match(match_id: uuid.UUID) -> dict[tuple[bool, int], dict[str, float | None]]:
    """Every player's advanced values in one match (both teams), by (is_our_team, provider id)."""
    found: dict[tuple[bool, int], dict[str, float | None]] = {}
    for is_ours, external_id, metric, value in db.session.execute(
        select(
            AdvancedMetric.is_our_team,
            AdvancedMetric.external_id,
            AdvancedMetric.metric,
            AdvancedMetric.value,
        ).where(AdvancedMetric.match_id == match_id, AdvancedMetric.external_id.is_not(None))
    ):
        found.setdefault((is_ours, external_id), {})[metric] = value
    return found


def matches_of_player(player_id: uuid.UUID) -> dict[uuid.UUID, dict[str, float | None]]:
    """A squad player's advanced values in each match he played, by match id."""
    found: dict[uuid.UUID, dict[str, float | None]] = {}
    for match_id, metric, value in db.session.execute(
        select(AdvancedMetric.match_id, AdvancedMetric.metric, AdvancedMetric.value).where(
            AdvancedMetric.player_id == player_id
        )
    ):
        found.setdefault(match_id, {})[metric] = value
    return found


def player_totals(
    player_id: uuid.UUID, match_ids: Iterable[uuid.UUID] | None = None
) -> dict[str, Any]:
    """A player's totals and per-90 values over `match_ids` (None: every match of his, the
    all-time season until seasons exist)."""
    metric_query = select(AdvancedMetric.metric, func.sum(AdvancedMetric.value)).where(
        AdvancedMetric.player_id == player_id
    )
    minutes_query = select(func.coalesce(func.sum(PlayerMatchStatistics.minutes_played), 0)).where(
        PlayerMatchStatistics.player_id == player_id
    )
    if match_ids is not None:
        ids = list(match_ids)
        metric_query = metric_query.where(AdvancedMetric.match_id.in_(ids))
        minutes_query = minutes_query.where(PlayerMatchStatistics.match_id.in_(ids))
    sums = dict(db.session.execute(metric_query.group_by(AdvancedMetric.metric)).all())
    minutes = float(db.session.scalar(minutes_query) or 0)
    totals = {metric: float(sums.get(metric) or 0) for metric in PLAYER_SECTION}
    return {
        "minutes_played": minutes,
        "totals": totals,
        "per90": {m: analytics.per90(totals[m], minutes) for m in ADVANCED_PLAYER_PER90},
    }


def team_totals(counts: Mapping[str, float]) -> dict[str, float | None]:
    """Team metrics over several matches, PPDA and field tilt from summed parts."""
    return team_values({key: counts.get(key, 0) for key in ADVANCED_TEAM_FIELDS})
