"""Invite codes: readable, unguessable, unique.

A code is a three-letter prefix from the player's name and eight characters of Crockford
base32 (no I, L, O, U): ``MES-7K2QX9AB``, 40 random bits from :mod:`secrets`. It expires
``INVITE_CODE_TTL_DAYS`` after it was issued (410 then); until the player has joined, his coach
can revoke it and issue a new one.
"""

from __future__ import annotations

import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update

from spinta.errors import Conflict, NotFound
from spinta.extensions import db
from spinta.models import Club, Player
from spinta.models.accounts import invite_code_expiry
from spinta.screen_cache import commit_club_write

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: 32 symbols, 5 bits each
RANDOM_LENGTH = 8  # 40 bits
PREFIX_LENGTH = 3


def name_prefix(player_name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", player_name).encode("ascii", "ignore").decode()
    letters = [c for c in ascii_name.upper() if "A" <= c <= "Z"]
    return ("".join(letters) + "XXX")[:PREFIX_LENGTH]


def generate_invite_code(player_name: str) -> str:
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{name_prefix(player_name)}-{random_part}"


def normalise_invite_code(code: str) -> str:
    """Compare codes trimmed and case-insensitively."""
    return code.strip().upper()


def unique_invite_codes(player_names: list[str], *, taken: set[str] | None = None) -> list[str]:
    """One new code per name, distinct from each other and from every stored code.

    Collisions are astronomically rare (40 bits); the check costs one query for the batch.
    """
    codes = [generate_invite_code(name) for name in player_names]
    while True:
        existing = set(
            db.session.scalars(select(Player.invite_code).where(Player.invite_code.in_(codes)))
        ) | (taken or set())
        clashes = [i for i, code in enumerate(codes) if code in existing or codes.index(code) != i]
        if not clashes:
            return codes
        for i in clashes:
            codes[i] = generate_invite_code(player_names[i])


NO_PLAYER = "Player not found."
ALREADY_JOINED = "This player has already joined with his invite code; there is none to reissue."


@dataclass(frozen=True)
class InviteCode:
    invite_code: str
    expires_at: datetime


def as_utc(moment: datetime) -> datetime:
    """SQLite gives a stored UTC time back without its zone; PostgreSQL with it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_expired(expires_at: datetime) -> bool:
    return as_utc(expires_at) <= datetime.now(UTC)


def reissue_invite_code(*, club: Club, player_id: uuid.UUID) -> InviteCode:
    """Replace an unlinked squad entry's code (the old one stops working) with a fresh one.

    One conditional update: a signup that links the player first wins (409 here), and a
    signup still holding the old code finds it gone.
    """
    player_name = db.session.scalar(
        select(Player.player_name).where(Player.id == player_id, Player.club_id == club.id)
    )
    if player_name is None:
        raise NotFound(NO_PLAYER)
    issued = InviteCode(unique_invite_codes([player_name])[0], invite_code_expiry())
    changed = db.session.execute(
        update(Player)
        .where(Player.id == player_id, Player.club_id == club.id, Player.is_linked.is_(False))
        .values(invite_code=issued.invite_code, invite_expires_at=issued.expires_at)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.rollback()
        raise Conflict(ALREADY_JOINED)
    commit_club_write(club.id)  # the coach's player screen shows the code
    return issued
