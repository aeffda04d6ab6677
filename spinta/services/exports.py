"""Statistics exports: a match (one row per player of both teams) and a player (one row per
match he played), as JSON or CSV, with the columns of the statistic catalogue.

The advanced metrics a player has (statistics.md "Advanced metrics": progressive passes and
carries, expected threat) follow the box-score columns; a match stored before them (not yet
recomputed) has empty cells there. Numbers are the stored ones, floats rounded to 2 decimals
(expected threat to 3, as the screens show it); a statistic the match's data source cannot give
(``data_source.missing_statistics``) is null in JSON and an empty cell in CSV, never its stored 0.
In CSV a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading ``'`` so a spreadsheet never runs it as a formula (OWASP's CSV injection advice).
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from sqlalchemy import select

from spinta.analytics.advanced import ADVANCED_PLAYER_FIELDS
from spinta.analytics.catalogue import player_row
from spinta.analytics.data_source import missing_names
from spinta.extensions import db
from spinta.models import Club, Match, PlayerMatchStatistics
from spinta.services.charts import club_match, club_player
from spinta.services.seasons import Scope
from spinta.store import advanced

# every player statistic, in the catalogue's order, then the player's advanced metrics
STATISTICS = player_row()
ADVANCED = ADVANCED_PLAYER_FIELDS
MATCH_COLUMNS = (
    "player_id",
    "player_name",
    "team",
    "is_our_team",
    "is_starter",
    *STATISTICS,
    *ADVANCED,
)
PLAYER_COLUMNS = (
    "match_id",
    "match_date",
    "opponent_name",
    "our_score",
    "opponent_score",
    "is_starter",
    *STATISTICS,
    *ADVANCED,
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _value(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _stats(
    row: PlayerMatchStatistics, extra: dict[str, Any] | None, missing: frozenset[str]
) -> dict[str, Any]:
    values = {name: None if name in missing else _value(getattr(row, name)) for name in STATISTICS}
    values.update(
        {name: None if name in missing else _value((extra or {}).get(name)) for name in ADVANCED}
    )
    threat = (extra or {}).get("expected_threat")
    # 3 decimals, as on the screens (a match's xT is often < 0.05)
    if isinstance(threat, float) and "expected_threat" not in missing:
        values["expected_threat"] = round(threat, 3)
    return values


def match_rows(*, club: Club, match_id: uuid.UUID) -> tuple[tuple[str, ...], list[dict]]:
    match = club_match(club.id, match_id)
    rows = db.session.scalars(
        select(PlayerMatchStatistics)
        .where(PlayerMatchStatistics.match_id == match.id)
        .order_by(
            PlayerMatchStatistics.is_our_team.desc(),
            PlayerMatchStatistics.is_starter.desc(),
            PlayerMatchStatistics.player_name,
        )
    ).all()
    extra = advanced.players_of_match(match.id)
    missing = missing_names(match.data_source)
    return MATCH_COLUMNS, [
        {
            "player_id": _value(row.player_id) if row.is_our_team else None,
            "player_name": row.player_name,
            "team": club.club_name if row.is_our_team else match.opponent_name,
            "is_our_team": row.is_our_team,
            "is_starter": row.is_starter,
            **_stats(row, extra.get((row.is_our_team, row.external_id)), missing),
        }
        for row in rows
    ]


def player_rows(
    *, club: Club, player_id: uuid.UUID, scope: Scope | None = None
) -> tuple[tuple[str, ...], list[dict]]:
    """One row per match he played (``scope``: its team and season's only; None: every one)."""
    player = club_player(club.id, player_id)
    rows = db.session.execute(
        select(PlayerMatchStatistics, Match)
        .join(Match, Match.id == PlayerMatchStatistics.match_id)
        .where(
            PlayerMatchStatistics.player_id == player.id,
            Match.club_id == club.id,
            *(scope.matches() if scope is not None else ()),
        )
        .order_by(Match.match_date, Match.created_at)
    ).all()
    extra = advanced.matches_of_player(player.id)
    return PLAYER_COLUMNS, [
        {
            "match_id": str(match.id),
            "match_date": match.match_date.isoformat(),
            "opponent_name": match.opponent_name,
            "our_score": match.our_score,
            "opponent_score": match.opponent_score,
            "is_starter": stats.is_starter,
            **_stats(stats, extra.get(match.id), missing_names(match.data_source)),
        }
        for stats, match in rows
    ]


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if value is None:
        return ""
    return value


def as_csv(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[name]) for name in columns])
    return buffer.getvalue().encode("utf-8")
