"""Teams and seasons of a club, and which players a team's squad holds in a season.

A club has teams (an age group, a format); a match belongs to one team and to the season
that contains its date. Seasons are named date ranges of a club that never overlap; they are
created as matches arrive, from the club's season start (``Club.season_start``, "08-01").
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from spinta.models.base import Base, Timestamps, UUIDPrimaryKey

TEAM_FORMATS = ("11v11", "9v9", "7v7", "5v5")
TEAM_AGE_GROUPS = ("U6", "U8", "U10", "U12", "U14", "U16", "U18", "U21", "Senior")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Team(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "teams"
    __table_args__ = (
        CheckConstraint(_in("format", TEAM_FORMATS), name="format"),
        CheckConstraint(
            f"age_group IS NULL OR {_in('age_group', TEAM_AGE_GROUPS)}", name="age_group"
        ),
    )

    club_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    age_group: Mapped[str | None] = mapped_column(String(10))
    format: Mapped[str] = mapped_column(String(5), default="11v11", server_default="11v11")


class Season(UUIDPrimaryKey, Timestamps, Base):
    """A named date range of a club, both ends included; a club's seasons never overlap."""

    __tablename__ = "seasons"
    __table_args__ = (
        UniqueConstraint("club_id", "start_date"),
        CheckConstraint("end_date >= start_date", name="range"),
        Index("ix_seasons_club_id_end_date", "club_id", "end_date"),
    )

    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)


class TeamPlayer(Base):
    """A player in a team's squad for a season (a player may be in several teams)."""

    __tablename__ = "team_players"
    __table_args__ = (Index("ix_team_players_player_id", "player_id"),)

    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    season_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seasons.id", ondelete="CASCADE"), primary_key=True
    )
    player_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("players.id", ondelete="CASCADE"), primary_key=True
    )


__all__ = ["TEAM_AGE_GROUPS", "TEAM_FORMATS", "Season", "Team", "TeamPlayer"]
