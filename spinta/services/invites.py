"""Invite codes: readable, unguessable, unique.

A code is a three-letter prefix from the player's name and eight characters of Crockford
base32 (no I, L, O, U): ``MES-7K2QX9AB``, 40 random bits from :mod:`secrets`.
"""

from __future__ import annotations

import secrets
import unicodedata

from sqlalchemy import select

from spinta.extensions import db
from spinta.models import Player

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
