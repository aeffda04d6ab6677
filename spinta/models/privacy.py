"""Children's data: guardians, consent per purpose, erasure requests and the access log.

Most players are minors. A player under the consent age (``CONSENT_AGE``, default 16) has
guardians; the club records consent per purpose (:data:`PURPOSES`) and a withdrawal stops that
processing from that moment. Erasure requests are carried out by ``flask spinta purge`` when
due; the access log records who read or changed a player's personal data.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from spinta.models.base import Base, JSONType, UUIDPrimaryKey, utcnow

PURPOSES = ("statistics", "training", "assistant", "photos")
CONSENT_METHODS = ("written", "link")
RELATIONS_MAX = 40
ERASURE_STATUSES = ("pending", "done")
ACTOR_ROLES = ("coach", "player", "guardian", "system")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Guardian(UUIDPrimaryKey, Base):
    """A parent or other guardian of one player, invited by the club (one row per child).

    ``user_id`` is set when he signs up with his invite code (a ``guardian`` login that reads
    his child's screens); a primary guardian may give consent, a view-only one only reads."""

    __tablename__ = "guardians"

    player_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("players.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    relation: Mapped[str] = mapped_column(String(RELATIONS_MAX))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    invite_code: Mapped[str] = mapped_column(String(20), unique=True)
    invite_expires_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Consent(UUIDPrimaryKey, Base):
    """Consent to one purpose for one player: who gave it, when, how, to which text version.

    A withdrawal sets ``withdrawn_at``; a new consent for the purpose is a new row."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint(_in("purpose", PURPOSES), name="purpose"),
        CheckConstraint(_in("method", CONSENT_METHODS), name="method"),
        Index("ix_consents_player_id_purpose", "player_id", "purpose"),
    )

    player_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("players.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(20))
    # "player" or the id of one of his guardians (kept as text: the record outlives a guardian).
    given_by: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(10))
    text_version: Mapped[str] = mapped_column(String(40))
    given_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column()


class ErasureRequest(UUIDPrimaryKey, Base):
    """A request to erase a player (by the player, a guardian or the coach), due at ``due_at``.

    Kept after the erasure (no personal data in it) as the record that it was carried out."""

    __tablename__ = "erasure_requests"
    __table_args__ = (
        CheckConstraint(_in("status", ERASURE_STATUSES), name="status"),
        CheckConstraint(_in("requested_by", ACTOR_ROLES), name="requested_by"),
    )

    player_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("players.id", ondelete="CASCADE"), index=True
    )
    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"))
    requested_by: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="pending", server_default="pending")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column(index=True)
    completed_at: Mapped[datetime | None] = mapped_column()


class AccessLogEntry(UUIDPrimaryKey, Base):
    """Who read or changed a player's personal data, and when (ids and field names only)."""

    __tablename__ = "access_log"
    __table_args__ = (CheckConstraint(_in("actor_role", ACTOR_ROLES), name="actor_role"),)

    player_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("players.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_role: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[uuid.UUID | None] = mapped_column()
    action: Mapped[str] = mapped_column(String(40))
    fields: Mapped[list[Any]] = mapped_column(JSONType, default=list)


__all__ = [
    "ACTOR_ROLES",
    "CONSENT_METHODS",
    "ERASURE_STATUSES",
    "PURPOSES",
    "AccessLogEntry",
    "Consent",
    "ErasureRequest",
    "Guardian",
]
