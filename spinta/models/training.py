"""Training plans a coach writes for one player, and their exercises the player ticks off.

A plan's ``status`` is never set by hand: it is derived from its exercises after every change
(:meth:`TrainingPlan.refresh_status`): pending (none done), in_progress, completed (all done).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spinta.models.accounts import Coach, Player
from spinta.models.base import Base, Timestamps, UUIDPrimaryKey

PLAN_STATUSES = ("pending", "in_progress", "completed")
MIN_COUNT, MAX_COUNT = 1, 1000  # sets, reps and duration_minutes, when given


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _count_between(column: str) -> CheckConstraint:
    return CheckConstraint(
        f"{column} IS NULL OR {column} BETWEEN {MIN_COUNT} AND {MAX_COUNT}", name=column
    )


def status_for(completed: int, total: int) -> str:
    """pending when nothing is done (or there is nothing to do), completed when all is done."""
    if completed <= 0 or total <= 0:
        return "pending"
    return "completed" if completed >= total else "in_progress"


def percentage(completed: int, total: int) -> float:
    return round(100 * completed / total, 1) if total else 0.0


class TrainingPlan(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "training_plans"
    __table_args__ = (CheckConstraint(_in("status", PLAN_STATUSES), name="status"),)

    player_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("players.id", ondelete="CASCADE"), index=True
    )
    # The coach who wrote it; kept as NULL if that coach account ever goes away on its own.
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("coaches.id", ondelete="SET NULL"), index=True
    )
    plan_name: Mapped[str] = mapped_column(String(120))
    duration: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending")
    coach_notes: Mapped[str | None] = mapped_column(Text)

    player: Mapped[Player] = relationship()
    coach: Mapped[Coach | None] = relationship()
    exercises: Mapped[list[TrainingExercise]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(TrainingExercise.exercise_order, TrainingExercise.id)",
    )

    @property
    def completed_exercises(self) -> int:
        return sum(1 for exercise in self.exercises if exercise.completed)

    @property
    def total_exercises(self) -> int:
        return len(self.exercises)

    @property
    def progress_percentage(self) -> float:
        return percentage(self.completed_exercises, self.total_exercises)

    def refresh_status(self) -> str:
        """Derive ``status`` from the exercises (call after any change to them)."""
        self.status = status_for(self.completed_exercises, self.total_exercises)
        return self.status


class TrainingExercise(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "training_exercises"
    __table_args__ = (
        _count_between("sets"),
        _count_between("reps"),
        _count_between("duration_minutes"),
        CheckConstraint("exercise_order >= 0", name="exercise_order"),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_plans.id", ondelete="CASCADE"), index=True
    )
    exercise_order: Mapped[int] = mapped_column(Integer, default=0)
    exercise_name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    sets: Mapped[int | None] = mapped_column(Integer)
    reps: Mapped[int | None] = mapped_column(Integer)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    completed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    completed_at: Mapped[datetime | None] = mapped_column()

    plan: Mapped[TrainingPlan] = relationship(back_populates="exercises")
