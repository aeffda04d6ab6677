"""The advanced metrics (issue 22) beside the assistant's season and match rows.

The assistant reads a statistic as an attribute of a player row (`stat_value`); the advanced
metrics live in `advanced_metrics`, so each row is wrapped with them: season totals and per-90
values (over the row's minutes) or one match's values."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from spinta.analytics import per90
from spinta.analytics.advanced import ADVANCED_PLAYER_FIELDS
from spinta.extensions import db
from spinta.models import AdvancedMetric, Match

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


def with_advanced(
    club_id: uuid.UUID, rows: Sequence[Any], match_id: Any = None, matches: Sequence[Any] = ()
) -> list[Any]:
    """`rows` (season rows over the matches meeting the conditions `matches`, or match rows of
    `match_id`) with each player's advanced values."""
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
    wrapped = []
    for row in rows:
        mine = values.get(row.player_id, {})
        extra: dict[str, float | None] = {}
        for metric in ADVANCED_PLAYER_FIELDS:
            extra[metric] = mine.get(metric, 0.0)
            extra[f"{metric}_per90"] = per90(extra[metric] or 0.0, row.minutes_played or 0.0)
        wrapped.append(_Row(row, extra))
    return wrapped
