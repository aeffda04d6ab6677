"""A coach's corrections to his squad (``PATCH /api/coach/players/{player_id}``).

The squad row is where a player's jersey number and position live: uploads fill them in when
the squad does not know them yet and never overwrite them (services/matches.py), the coach
corrects them here, and every screen falls back to them when a file left a number out.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import structlog
from sqlalchemy import select

from spinta.errors import NotFound
from spinta.extensions import db
from spinta.models import Club, Player
from spinta.screen_cache import commit_club_write

log = structlog.get_logger(__name__)

PLAYER_NOT_FOUND = "Player not found."
EDITABLE = ("player_name", "jersey_number", "position")


def update_player(
    *, club: Club, coach_user_id: uuid.UUID, player_id: uuid.UUID, changes: Mapping[str, Any]
) -> Player:
    """Apply the given fields (None: unchanged) to one of the club's players, in one commit.

    The audit line names the coach's user id, the player id and the changed fields, never
    their values (names are personal data).
    """
    player = db.session.scalar(
        select(Player).where(Player.id == player_id, Player.club_id == club.id).with_for_update()
    )
    if player is None:
        raise NotFound(PLAYER_NOT_FOUND)
    changed = [
        name
        for name in EDITABLE
        if changes.get(name) is not None and changes[name] != getattr(player, name)
    ]
    if not changed:
        db.session.rollback()  # release the row lock
        return player
    for name in changed:
        setattr(player, name, changes[name])
    commit_club_write(club.id)
    log.info(
        "squad_player_updated",
        coach_user_id=str(coach_user_id),
        player_id=str(player.id),
        fields=changed,
    )
    return player
