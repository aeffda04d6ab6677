"""The advanced metrics (issue 22) beside the assistant's season and match rows.

The assistant reads a statistic as an attribute of a player row (`stat_value`); the advanced
metrics live in `advanced_metrics`, so each row is wrapped with them: season totals and per-90
values or one match's values. Each row also carries `missing_statistics` {statistic: reason}:
what the files of its matches cannot give (data_source.missing_statistics, the screens' rule):
for a match row its match's list, for a season row the statistics none of the player's matches
in the question's scope gives. An advanced season total counts the matches that give it and
its per 90 their minutes only."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from spinta.analytics import per90
from spinta.analytics.advanced import ADVANCED_PLAYER_FIELDS
from spinta.analytics.data_source import missing_names, missing_reasons
from spinta.extensions import db
from spinta.models import AdvancedMetric, Match, PlayerMatchStatistics

__all__ = ["with_advanced"]


class _Row:
    """A player row with the advanced metrics as extra attributes."""

    __slots__ = ("_extra", "_row")

    def __init__(self, row: Any, extra: dict[str, float | None]) -> None:
        self._row = row
        self._extra = extra

    def __getattr__(self, name: str) -> Any:
        extra = object.__getattribute__(self, "_extra")
        if name in extra:
            return extra[name]
        return getattr(object.__getattribute__(self, "_row"), name)


def _gaps(
    club_id: uuid.UUID, ids: Sequence[Any], match_id: Any, matches: Sequence[Any]
) -> tuple[dict[Any, dict[str, str]], dict[Any, dict[str, float]]]:
    """Per player: the statistics none of his matches gives (with a reason) and, for each
    advanced metric some of them lack, his minutes in those that give it (one query)."""
    stmt = (
        select(
            PlayerMatchStatistics.player_id,
            PlayerMatchStatistics.minutes_played,
            Match.data_source,
        )
        .join(Match, Match.id == PlayerMatchStatistics.match_id)
        .where(Match.club_id == club_id, PlayerMatchStatistics.player_id.in_(ids), *matches)
    )
    if match_id is not None:
        stmt = stmt.where(Match.id == uuid.UUID(str(match_id)))
    played: dict[Any, list[tuple[float, Any]]] = defaultdict(list)
    for player_id, minutes, source in db.session.execute(stmt):
        played[player_id].append((minutes or 0.0, source))
    gaps: dict[Any, dict[str, str]] = {}
    minutes_given: dict[Any, dict[str, float]] = {}
    for player_id, mine in played.items():
        lists = [missing_names(source) for _, source in mine]
        none = frozenset.intersection(*lists)
        reasons = missing_reasons(source for _, source in mine)
        gaps[player_id] = {name: reasons[name] for name in none}
        lacking = frozenset.union(*lists) & frozenset(ADVANCED_PLAYER_FIELDS)
        minutes_given[player_id] = {  # only where some match lacks it: else the row's minutes
            metric: sum(m for (m, _), names in zip(mine, lists, strict=True) if metric not in names)
            for metric in lacking
        }
    return gaps, minutes_given


def with_advanced(
    club_id: uuid.UUID, rows: Sequence[Any], match_id: Any = None, matches: Sequence[Any] = ()
) -> list[Any]:
    """`rows` (season rows over the matches meeting the conditions `matches`, or match rows of
    `match_id`) with each player's advanced values and `missing_statistics`."""
    ids = [row.player_id for row in rows if row.player_id is not None]
    if not ids:
        return list(rows)
    stmt = (
        select(AdvancedMetric.player_id, AdvancedMetric.metric, func.sum(AdvancedMetric.value))
        .join(Match, Match.id == AdvancedMetric.match_id)
        .where(
            Match.club_id == club_id,
            AdvancedMetric.player_id.in_(ids),
            AdvancedMetric.metric.in_(ADVANCED_PLAYER_FIELDS),
            *matches,
        )
        .group_by(AdvancedMetric.player_id, AdvancedMetric.metric)
    )
    if match_id is not None:
        stmt = stmt.where(AdvancedMetric.match_id == uuid.UUID(str(match_id)))
    values: dict[Any, dict[str, float]] = defaultdict(dict)
    for player_id, metric, total in db.session.execute(stmt):
        values[player_id][metric] = float(total or 0)
    gaps, minutes_given = _gaps(club_id, ids, match_id, matches)
    wrapped = []
    for row in rows:
        mine = values.get(row.player_id, {})
        given = minutes_given.get(row.player_id, {})
        extra: dict[str, Any] = {"missing_statistics": gaps.get(row.player_id, {})}
        for metric in ADVANCED_PLAYER_FIELDS:
            minutes = given.get(metric, row.minutes_played or 0.0)
            extra[metric] = mine.get(metric, 0.0)
            extra[f"{metric}_per90"] = per90(extra[metric] or 0.0, minutes or 0.0)
        wrapped.append(_Row(row, extra))
    return wrapped
