"""Advanced metrics per match (issue 22): one row per team or player, match and metric.

A long table (not columns) so a new metric is a catalogue entry and a rule, without a
migration, and so it stays apart from the box-score rows. `external_id` (the provider's player
id) is null on a team row; `player_id` names our squad player (null for a team row or an
opponent player).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from spinta.models.base import Base, UUIDPrimaryKey, utcnow


class AdvancedMetric(UUIDPrimaryKey, Base):
    __tablename__ = "advanced_metrics"
    __table_args__ = (
        Index("ix_advanced_metrics_match", "match_id", "is_our_team"),
        Index("ix_advanced_metrics_player_metric", "player_id", "metric"),
    )

    match_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
    is_our_team: Mapped[bool] = mapped_column(Boolean)
    player_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("players.id", ondelete="CASCADE")
    )
    external_id: Mapped[int | None] = mapped_column(Integer)  # the provider's player id
    metric: Mapped[str] = mapped_column(String(40))
    value: Mapped[float | None] = mapped_column(Float)


class DevelopmentGoal(UUIDPrimaryKey, Base):
    """A coach's target for one player on one metric, per 90 minutes, by a date (issue 22).

    Its current value counts the player's matches of the goal's club season up to the due
    date (`season_id`: the season asked for, by default the one holding the due date); a goal
    stored before goals had a season and due outside every season has none and counts none."""

    __tablename__ = "development_goals"

    player_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("players.id", ondelete="CASCADE"), index=True
    )
    metric: Mapped[str] = mapped_column(String(40))
    target_per90: Mapped[float] = mapped_column(Float)
    due_date: Mapped[date] = mapped_column(Date)
    season_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("seasons.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


__all__ = ["AdvancedMetric", "DevelopmentGoal"]
