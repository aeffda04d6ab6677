"""Matches and everything derived from an uploaded StatsBomb file.

The statistic columns are generated from the field names in :mod:`spinta.analytics` (the one
source for what a team row, a player row and a season row hold), so a new statistic is added
there, then in a migration.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, MappedColumn, mapped_column, relationship

from spinta.analytics import (
    CLUB_SEASON_FIELDS,
    PLAYER_COUNT_FIELDS,
    PLAYER_RATE_FIELDS,
    PLAYER_STAT_FIELDS,
    RATING_FIELDS,
    TEAM_COUNT_FIELDS,
    TEAM_STAT_FIELDS,
)
from spinta.analytics.totals import total_column
from spinta.models.base import Base, JSONType, Timestamps, UUIDPrimaryKey, utcnow
from spinta.models.limits import JERSEY_RANGE

RESULTS = ("W", "D", "L")
# Counting statistics that are not whole numbers.
FRACTIONAL = frozenset({"expected_goals", "minutes_played", "possession_percentage"})
NULLABLE = frozenset({"penalty_shootout_goals", "possession_percentage"})


def stat_columns(names: tuple[str, ...], *, suffix: str = "") -> dict[str, MappedColumn[Any]]:
    """One column per statistic: whole counts as integers (0 by default), the rest as floats.

    Rates, per-90 values and averages are floats that may be null (a rate with a zero whole).
    """
    columns: dict[str, MappedColumn[Any]] = {}
    for name in names:
        column = f"{name}{suffix}"
        if suffix or name.endswith("_rate") or name.startswith("avg_") or name in RATING_FIELDS:
            kind = Integer if name in RATING_FIELDS else Float
            columns[column] = mapped_column(kind, nullable=True)
        elif name in NULLABLE:
            kind = Float if name in FRACTIONAL else Integer
            columns[column] = mapped_column(kind, nullable=True)
        else:
            kind = Float if name in FRACTIONAL else Integer
            columns[column] = mapped_column(kind, nullable=False, default=0, server_default="0")
    return columns


class OpponentClub(UUIDPrimaryKey, Timestamps, Base):
    """A team the club played against (kept per club: clubs never share rows)."""

    __tablename__ = "opponent_clubs"
    __table_args__ = (UniqueConstraint("club_id", "statsbomb_team_id"),)

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    statsbomb_team_id: Mapped[int | None] = mapped_column(Integer)
    logo_url: Mapped[str | None] = mapped_column(String(500))


class OpponentPlayer(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "opponent_players"
    __table_args__ = (UniqueConstraint("opponent_club_id", "statsbomb_player_id"),)

    opponent_club_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("opponent_clubs.id", ondelete="CASCADE")
    )
    player_name: Mapped[str] = mapped_column(String(120))
    statsbomb_player_id: Mapped[int | None] = mapped_column(Integer)
    jersey_number: Mapped[int | None] = mapped_column(Integer, info=JERSEY_RANGE)
    position: Mapped[str | None] = mapped_column(String(60))


class Match(UUIDPrimaryKey, Base):
    __tablename__ = "matches"
    __table_args__ = (
        CheckConstraint("result IN ('W', 'D', 'L')", name="result"),
        CheckConstraint("our_score >= 0 AND opponent_score >= 0", name="scores"),
        UniqueConstraint("club_id", "source_fingerprint"),
        Index("ix_matches_club_id_match_date", "club_id", "match_date"),
        Index("ix_matches_team_id_season_id_match_date", "team_id", "season_id", "match_date"),
        Index("ix_matches_season_id", "season_id"),
    )

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"))
    opponent_club_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("opponent_clubs.id", ondelete="SET NULL"), index=True
    )
    # The team that played it and the season containing match_date (spinta.services.seasons).
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    season_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("seasons.id"))
    opponent_name: Mapped[str] = mapped_column(String(120))
    match_date: Mapped[date] = mapped_column(Date)
    # Official score: typed by the coach, else derived from the events.
    our_score: Mapped[int] = mapped_column(Integer)
    opponent_score: Mapped[int] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(String(1))
    our_penalty_score: Mapped[int | None] = mapped_column(Integer)
    opponent_penalty_score: Mapped[int | None] = mapped_column(Integer)
    derived_our_score: Mapped[int] = mapped_column(Integer)
    derived_opponent_score: Mapped[int] = mapped_column(Integer)
    our_statsbomb_team_id: Mapped[int] = mapped_column(Integer)
    opponent_statsbomb_team_id: Mapped[int] = mapped_column(Integer)
    opponent_logo_url: Mapped[str | None] = mapped_column(String(500))
    source_fingerprint: Mapped[str] = mapped_column(String(64))
    warnings: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lineups: Mapped[list[MatchLineup]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    goals: Mapped[list[Goal]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Goal.sequence"
    )
    team_statistics: Mapped[list[MatchStatistics]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class MatchPlayer:
    """Who a per-match player row is about: our squad player or an opponent player."""

    match_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
    is_our_team: Mapped[bool] = mapped_column(Boolean)
    player_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("players.id", ondelete="CASCADE"), index=True
    )
    opponent_player_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("opponent_players.id", ondelete="CASCADE"), index=True
    )
    statsbomb_player_id: Mapped[int] = mapped_column(Integer)
    player_name: Mapped[str] = mapped_column(String(120))


class MatchLineup(UUIDPrimaryKey, MatchPlayer, Base):
    """Everyone who played, both teams: starters and substitutes with their minutes."""

    __tablename__ = "match_lineups"
    __table_args__ = (UniqueConstraint("match_id", "statsbomb_player_id"),)

    jersey_number: Mapped[int | None] = mapped_column(Integer, info=JERSEY_RANGE)
    position: Mapped[str | None] = mapped_column(String(60))
    is_starter: Mapped[bool] = mapped_column(Boolean)
    minutes_played: Mapped[float] = mapped_column(Float)


class Goal(UUIDPrimaryKey, Base):
    """One goal of the timeline (periods 1-4); an own goal is one entry."""

    __tablename__ = "goals"

    match_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("matches.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(String(64))
    minute: Mapped[int] = mapped_column(Integer)
    second: Mapped[int] = mapped_column(Integer)
    period: Mapped[int] = mapped_column(Integer)
    team_statsbomb_id: Mapped[int] = mapped_column(Integer)
    team_name: Mapped[str] = mapped_column(String(120))
    scorer_statsbomb_id: Mapped[int | None] = mapped_column(Integer)
    scorer_name: Mapped[str | None] = mapped_column(String(120))
    assist_statsbomb_id: Mapped[int | None] = mapped_column(Integer)
    assist_name: Mapped[str | None] = mapped_column(String(120))
    is_our_goal: Mapped[bool] = mapped_column(Boolean)
    own_goal: Mapped[bool] = mapped_column(Boolean)
    penalty: Mapped[bool] = mapped_column(Boolean)


class Event(Base):
    """Every raw StatsBomb event of a match, stored once (bulk-loaded with COPY on PostgreSQL).

    Keyed by the match and the event's position in the analysed order (``ordinal``: the file's
    order, sorted by StatsBomb ``index``, each event id once; ``index`` values may repeat).
    ``match_id`` has no foreign key: checking one per row was a third of the COPY (4,708
    events: 86 -> 56 ms). Integrity holds without it: events are only written by the upload,
    in the transaction that inserts their match, and the trigger ``matches_delete_events``
    (:data:`EVENTS_CASCADE`) deletes a match's events with it, whichever way the match goes
    (its own delete, or a cascade from its club).
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_player_id", "player_id"),
        Index("ix_events_type_name", "type_name"),
    )

    match_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    statsbomb_id: Mapped[str] = mapped_column(String(64))
    event_index: Mapped[int] = mapped_column(Integer)
    type_name: Mapped[str] = mapped_column(String(60))
    period: Mapped[int] = mapped_column(Integer)
    minute: Mapped[int | None] = mapped_column(Integer)
    second: Mapped[int | None] = mapped_column(Integer)
    timestamp: Mapped[str | None] = mapped_column(String(20))
    possession: Mapped[int | None] = mapped_column(Integer)
    team_id: Mapped[int] = mapped_column(Integer)
    team_name: Mapped[str] = mapped_column(String(120))
    player_id: Mapped[int | None] = mapped_column(Integer)
    player_name: Mapped[str | None] = mapped_column(String(120))
    # The raw event, verbatim. Plain JSON (not JSONB) on purpose: it is archived and re-read
    # whole, never searched inside (the columns above are what queries use), and COPY into
    # JSON is about twice as fast (79 -> 35 ms for 4,708 events, bench/upload.py).
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


# The cascade from matches to events, as a trigger (see Event). Migration 9d3e1f4a7b20 creates
# it (a frozen copy of these statements); create_all (tests, benchmarks) runs them after
# creating the tables.
EVENTS_CASCADE = {
    "postgresql": (
        "CREATE OR REPLACE FUNCTION delete_match_events() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN DELETE FROM events WHERE match_id = OLD.id; RETURN OLD; END $$",
        "CREATE TRIGGER matches_delete_events AFTER DELETE ON matches "
        "FOR EACH ROW EXECUTE FUNCTION delete_match_events()",
    ),
    "sqlite": (
        "CREATE TRIGGER matches_delete_events AFTER DELETE ON matches FOR EACH ROW "
        "BEGIN DELETE FROM events WHERE match_id = OLD.id; END",
    ),
}
EVENTS_CASCADE_DROP = {
    "postgresql": (
        "DROP TRIGGER IF EXISTS matches_delete_events ON matches",
        "DROP FUNCTION IF EXISTS delete_match_events()",
    ),
    "sqlite": ("DROP TRIGGER IF EXISTS matches_delete_events",),
}


@event.listens_for(Base.metadata, "after_create")
def _create_events_cascade(_metadata, connection, **_kw) -> None:
    dialect = connection.dialect.name
    for statement in (*EVENTS_CASCADE_DROP.get(dialect, ()), *EVENTS_CASCADE.get(dialect, ())):
        connection.exec_driver_sql(statement)


class MatchStatistics(UUIDPrimaryKey, Base):
    """One row per team per match with every team statistic."""

    __tablename__ = "match_statistics"
    __table_args__ = (UniqueConstraint("match_id", "is_our_team"),)

    match_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
    is_our_team: Mapped[bool] = mapped_column(Boolean)
    team_statsbomb_id: Mapped[int] = mapped_column(Integer)
    team_name: Mapped[str] = mapped_column(String(120))
    locals().update(stat_columns(TEAM_STAT_FIELDS))


class PlayerMatchStatistics(UUIDPrimaryKey, MatchPlayer, Base):
    """One row per player who played, per match (both teams), with per-90 values."""

    __tablename__ = "player_match_statistics"
    __table_args__ = (UniqueConstraint("match_id", "statsbomb_player_id"),)

    is_starter: Mapped[bool] = mapped_column(Boolean)
    locals().update(stat_columns(PLAYER_STAT_FIELDS))
    locals().update(stat_columns(PLAYER_COUNT_FIELDS, suffix="_per90"))


class ClubSeasonStatistics(Base):
    """A team's aggregates for one season: additive sums (``*_total``, the counts) that one
    match is added to or taken from (spinta.services.seasons), and the averages, rates and form
    derived from them. All-time is the aggregate of a team's season rows, not a row."""

    __tablename__ = "club_season_statistics"

    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    season_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seasons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    club_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    team_form: Mapped[str] = mapped_column(String(5), default="")
    locals().update(stat_columns(tuple(f for f in CLUB_SEASON_FIELDS if f != "team_form")))
    locals().update(
        {
            total_column(name): mapped_column(Float, nullable=False, default=0, server_default="0")
            for name in TEAM_COUNT_FIELDS
        }
    )
    possession_total: Mapped[float] = mapped_column(Float, default=0, server_default="0")
    possession_matches: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PlayerSeasonStatistics(Base):
    """A player's totals, rates, per-90 values and attribute ratings for one team and season
    (ratings rank the players of that team and season)."""

    __tablename__ = "player_season_statistics"

    player_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("players.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    season_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seasons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    club_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    matches_played: Mapped[int] = mapped_column(Integer, default=0)
    starts: Mapped[int] = mapped_column(Integer, default=0)
    minutes_played: Mapped[float] = mapped_column(Float, default=0)
    locals().update(stat_columns(PLAYER_COUNT_FIELDS))
    locals().update(stat_columns(PLAYER_RATE_FIELDS))
    locals().update(stat_columns(PLAYER_COUNT_FIELDS, suffix="_per90"))
    locals().update(stat_columns(RATING_FIELDS))


__all__ = [
    "RESULTS",
    "ClubSeasonStatistics",
    "Event",
    "Goal",
    "Match",
    "MatchLineup",
    "MatchStatistics",
    "OpponentClub",
    "OpponentPlayer",
    "PlayerMatchStatistics",
    "PlayerSeasonStatistics",
]
