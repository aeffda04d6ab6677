"""A match's neutral events with their locations, for clients that draw their own pictures.

The events are the provider's reading of the stored raw file (the same neutral events the
statistics count), on the 120 x 80 pitch with our team attacking left to right: the
opponent's coordinates are turned (x -> 120 - x, y -> 80 - y).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from spinta.analytics import domain
from spinta.charts.data import PITCH_LENGTH, PITCH_WIDTH
from spinta.errors import NotFound
from spinta.extensions import db
from spinta.models import Club, MatchLineup
from spinta.services.charts import club_match, neutral_match

NOT_IN_MATCH = "This player did not play in this match."


def _turn(value: float | None, size: float, turned: bool) -> float | None:
    if value is None:
        return None
    return round(size - value, 2) if turned else value


def _outcome(event: domain.Event) -> str | None:
    if isinstance(event, domain.CardEvent):
        return event.card.value.lower()
    result = event.result
    return result.value.lower() if result is not None else None


def _clock(raw: dict[str, Any] | None) -> tuple[int | None, int | None]:
    if raw is None:
        return None, None
    minute, second = raw.get("minute"), raw.get("second")
    return (
        minute if isinstance(minute, int) else None,
        second if isinstance(second, int) else None,
    )


def neutral_event(
    event: domain.Event, *, our_team_id: int, players: dict[int, uuid.UUID], clock: tuple
) -> dict[str, Any]:
    turned = event.team.id != our_team_id
    provider_player = event.player.id if event.player is not None else None
    return {
        "event_id": event.event_id,
        "index": event.index,
        "period": event.period,
        "minute": clock[0],
        "second": clock[1],
        "type": event.type.value.lower(),
        "outcome": _outcome(event),
        "team_id": event.team.id,
        "is_our_team": not turned,
        "player_id": players.get(provider_player) if not turned else None,
        "player_name": (event.player.name or None) if event.player is not None else None,
        "x": _turn(event.x, PITCH_LENGTH, turned),
        "y": _turn(event.y, PITCH_WIDTH, turned),
        "end_x": _turn(getattr(event, "end_x", None), PITCH_LENGTH, turned),
        "end_y": _turn(getattr(event, "end_y", None), PITCH_WIDTH, turned),
        "xg": getattr(event, "xg", None),
    }


def match_events(
    *,
    club: Club,
    match_id: uuid.UUID,
    types: str | None,
    player_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    match = club_match(club.id, match_id)
    neutral = neutral_match(match, club.data_version)
    rows = db.session.execute(
        select(MatchLineup.external_id, MatchLineup.player_id).where(
            MatchLineup.match_id == match.id, MatchLineup.is_our_team.is_(True)
        )
    ).all()
    players = {row.external_id: row.player_id for row in rows if row.player_id}
    selected = list(neutral.events)
    if types:
        wanted = {t.strip().upper() for t in types.split(",")}
        selected = [e for e in selected if e.type.value in wanted]
    if player_id is not None:
        provider_ids = {pid for pid, uid in players.items() if uid == player_id}
        if not provider_ids:
            raise NotFound(NOT_IN_MATCH)
        selected = [
            e
            for e in selected
            if e.player is not None
            and e.player.id in provider_ids
            and e.team.id == match.our_external_id
        ]
    raw_by_id = {raw.get("id"): raw for raw in neutral.raw_events}
    page = selected[offset : offset + limit]
    return {
        "total_count": len(selected),
        "events": [
            neutral_event(
                e,
                our_team_id=match.our_external_id,
                players=players,
                clock=_clock(raw_by_id.get(e.event_id)),
            )
            for e in page
        ],
    }
