"""Identity: users, coaches, their clubs and the players of a club (with invite codes)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spinta.models.base import Base, JSONType, Timestamps, UUIDPrimaryKey, utcnow
from spinta.models.limits import JERSEY_NUMBERS, JERSEY_RANGE
from spinta.models.seasons import Team

USER_TYPES = ("coach", "player", "guardian")
# A club's staff: an ``admin`` sees and changes everything of the club and manages the staff; a
# ``coach`` sees and changes only the teams he coaches (``coach_teams``).
STAFF_ROLES = ("admin", "coach")
AGE_GROUPS = ("U6", "U8", "U10", "U12", "U14", "U16", "U18", "U21", "Senior")
MIN_HEIGHT_CM, MAX_HEIGHT_CM = 100, 250
DEFAULT_INVITE_CODE_TTL_DAYS = 30


def invite_code_expiry() -> datetime:
    """When a code issued now expires (``INVITE_CODE_TTL_DAYS`` after now, default 30 days).

    The column default, so every way a squad entry is inserted (ORM or Core) gets it."""
    days = DEFAULT_INVITE_CODE_TTL_DAYS
    if has_app_context():
        days = current_app.config.get("INVITE_CODE_TTL_DAYS", days)
    return utcnow() + timedelta(days=days)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class User(UUIDPrimaryKey, Timestamps, Base):
    """A login. ``email`` is stored lower-cased, so uniqueness is case-insensitive."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("user_type", USER_TYPES), name="user_type"),)

    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120))
    user_type: Mapped[str] = mapped_column(String(10))
    # Bumped on password change: every token carrying an older version is refused.
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    coach: Mapped[Coach | None] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True, uselist=False
    )
    player: Mapped[Player | None] = relationship(back_populates="user", uselist=False)


class Coach(UUIDPrimaryKey, Timestamps, Base):
    """A staff member of one club: ``club_id`` and ``role`` (``STAFF_ROLES``).

    ``club_id`` is NULL only for the instant of his registration (the row is written before the
    club he founds, then pointed at it in the same transaction) or when his club was deleted."""

    __tablename__ = "coaches"
    __table_args__ = (CheckConstraint(_in("role", STAFF_ROLES), name="role"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    # Checked at commit (clubs.coach_id points back here): rows of both tables can be written
    # in any order within a transaction (a registration, a restore).
    club_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey(
            "clubs.id",
            ondelete="SET NULL",
            use_alter=True,
            deferrable=True,
            initially="DEFERRED",
        ),
        index=True,
    )
    role: Mapped[str] = mapped_column(String(10), default="admin", server_default="admin")
    birth_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(30))

    user: Mapped[User] = relationship(back_populates="coach")
    # The club he works for (``club_id``). post_update: his row is written before the club he
    # founds (clubs.coach_id points at him) and pointed at it right after.
    club: Mapped[Club | None] = relationship(foreign_keys=[club_id], post_update=True)
    # The club he founded (clubs.coach_id); deleting the founder's account deletes the club.
    founded_club: Mapped[Club | None] = relationship(
        foreign_keys="Club.coach_id",
        back_populates="coach",
        cascade="all, delete-orphan",
        passive_deletes=True,
        uselist=False,
    )


class CoachTeam(Base):
    """A team a ``coach`` coaches (an ``admin`` sees every team and has no rows here)."""

    __tablename__ = "coach_teams"
    __table_args__ = (Index("ix_coach_teams_team_id", "team_id"),)

    coach_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coaches.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )


class Club(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "clubs"
    __table_args__ = (
        CheckConstraint(f"age_group IS NULL OR {_in('age_group', AGE_GROUPS)}", name="age_group"),
    )

    # The founding coach (the first admin); every staff member has ``Coach.club_id``.
    coach_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coaches.id", ondelete="CASCADE"), unique=True
    )
    club_name: Mapped[str] = mapped_column(String(120))
    # The club's team id in a provider's data (`provider`: "statsbomb"), set from the club's
    # first successful upload, so later files match by id. Not unique: a provider team id
    # names a team in the provider's data, not a club of Spinta (two clubs may load the same
    # public match, e.g. the World Cup demo).
    provider: Mapped[str | None] = mapped_column(String(20))
    external_id: Mapped[int | None] = mapped_column(Integer)
    country: Mapped[str | None] = mapped_column(String(80))
    age_group: Mapped[str | None] = mapped_column(String(10))
    stadium: Mapped[str | None] = mapped_column(String(120))
    logo_url: Mapped[str | None] = mapped_column(String(500))
    # Replaced by a new random value in every transaction that changes what the club's screens
    # show (spinta.screen_cache.commit_club_write); part of every cached screen's key.
    data_version: Mapped[uuid.UUID] = mapped_column(default=uuid.uuid4)
    # Month-day each season starts ("08-01": August to July) and the playing-time share under
    # which a player is flagged.
    season_start: Mapped[str] = mapped_column(String(5), default="08-01", server_default="08-01")
    min_playing_share: Mapped[float] = mapped_column(Float, default=0.5, server_default="0.5")

    coach: Mapped[Coach] = relationship(foreign_keys=[coach_id], back_populates="founded_club")
    players: Mapped[list[Player]] = relationship(
        back_populates="club", cascade="all, delete-orphan", passive_deletes=True
    )
    teams: Mapped[list[Team]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Team.created_at"
    )


class Player(UUIDPrimaryKey, Timestamps, Base):
    """A squad member, created by the coach (or an upload) and linked to a user on signup."""

    __tablename__ = "players"
    __table_args__ = (
        CheckConstraint(
            "jersey_number IS NULL OR jersey_number BETWEEN {} AND {}".format(*JERSEY_NUMBERS),
            name="jersey",
        ),
        CheckConstraint(
            f"height IS NULL OR height BETWEEN {MIN_HEIGHT_CM} AND {MAX_HEIGHT_CM}", name="height"
        ),
        # A provider's id names one player of the club (two providers may share numbers).
        UniqueConstraint(
            "club_id", "provider", "external_id", name="uq_players_club_provider_external_id"
        ),
        Index("ix_players_club_id_player_name", "club_id", "player_name"),
    )

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    player_name: Mapped[str] = mapped_column(String(120))
    # The player's id in a provider's data (`provider`), from his first upload.
    provider: Mapped[str | None] = mapped_column(String(20))
    external_id: Mapped[int | None] = mapped_column(Integer, index=True)
    jersey_number: Mapped[int | None] = mapped_column(Integer, info=JERSEY_RANGE)
    position: Mapped[str | None] = mapped_column(String(60))
    invite_code: Mapped[str] = mapped_column(String(20), unique=True)
    # After it the code answers 410; the coach can issue a new one (services.invites).
    invite_expires_at: Mapped[datetime] = mapped_column(default=invite_code_expiry)
    is_linked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    linked_at: Mapped[datetime | None] = mapped_column()
    # Data minimisation (README "Children's data"): the birth month (its first day) is what
    # Spinta keeps; the full date only for a player at or over the consent age when he gave it
    # (his own profile shows it back). Ages are counted from the month (services.consent).
    birth_date: Mapped[date | None] = mapped_column(Date)
    birth_month: Mapped[date | None] = mapped_column(Date)
    height: Mapped[int | None] = mapped_column(Integer)
    profile_image_url: Mapped[str | None] = mapped_column(String(500))
    # Children's data (spinta.services.privacy): when he left the club (the retention clock),
    # whether the club keeps him past the retention period, and when he was erased.
    left_at: Mapped[datetime | None] = mapped_column()
    retention_kept: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    erased_at: Mapped[datetime | None] = mapped_column()

    club: Mapped[Club] = relationship(back_populates="players")
    user: Mapped[User | None] = relationship(back_populates="player")


class StaffInvite(UUIDPrimaryKey, Base):
    """A code an admin issued for a new staff member: his role and teams (single use, expires
    like a player's code; ``used_at`` is set when a coach registers with it)."""

    __tablename__ = "staff_invites"
    __table_args__ = (CheckConstraint(_in("role", STAFF_ROLES), name="role"),)

    club_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), index=True
    )
    invite_code: Mapped[str] = mapped_column(String(20), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    # The team ids (strings) a ``coach`` will coach; teams deleted meanwhile are skipped.
    team_ids: Mapped[list] = mapped_column(JSONType, default=list)
    email: Mapped[str | None] = mapped_column(String(254))
    invite_expires_at: Mapped[datetime] = mapped_column(default=invite_code_expiry)
    used_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RevokedToken(Base):
    """A token ended by logout before it expired (its ``jti``); refused by every guard.

    Rows are useless once the token expires and are deleted at the next logout after that."""

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
