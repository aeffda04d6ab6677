"""Training plans: a coach writes them for his own players, the player ticks exercises off.

Every use case commits once or raises. A plan's status is derived from its exercises after every
change (create, update, toggle); the writes that change exercises lock the plan row first
(:func:`lock_plan`) so concurrent toggles on one plan cannot leave a stale status.

Ownership: a coach only reaches plans of his club's players (anything else -> 404, existence not
revealed); a player only reaches his own plans (another player's plan or exercise -> 403, as
api.md says for the plan detail).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import selectinload

from spinta.analytics import rate
from spinta.errors import Forbidden, NotFound, ValidationFailed
from spinta.extensions import db
from spinta.models import (
    Club,
    Player,
    TrainingExercise,
    TrainingPlan,
    utcnow,
)
from spinta.plans.generator import (
    GeneratedPlan,
    SeasonProfile,
    age_group_for_birth_date,
    generate_plan,
)
from spinta.screen_cache import commit_club_write
from spinta.services.consent import birthday, refuse_if_withdrawn
from spinta.services.seasons import player_views

TRAINING_WITHDRAWN = "Consent to training plans was withdrawn for this player."
PLAYER_NOT_FOUND = "Player not found."
PLAN_NOT_FOUND = "Training plan not found."
EXERCISE_NOT_FOUND = "Exercise not found."
NOT_YOUR_PLAN = "This training plan belongs to another player."

EXERCISE_FIELDS = ("exercise_name", "description", "sets", "reps", "duration_minutes")


@dataclass(frozen=True)
class PlanPage:
    total_count: int
    plans: list[TrainingPlan]


@dataclass(frozen=True)
class ToggleResult:
    """An exercise's new state and its plan's progress, captured inside the transaction."""

    exercise_id: uuid.UUID
    completed: bool
    completed_at: datetime | None
    plan_id: uuid.UUID
    total_exercises: int
    completed_exercises: int
    progress_percentage: float
    plan_status: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise_id": self.exercise_id,
            "completed": self.completed,
            "completed_at": self.completed_at,
            "plan_progress": {
                "plan_id": self.plan_id,
                "total_exercises": self.total_exercises,
                "completed_exercises": self.completed_exercises,
                "progress_percentage": self.progress_percentage,
                "plan_status": self.plan_status,
            },
        }


# ---------------------------------------------------------------- lookups


def club_player(club: Club, player_id: uuid.UUID) -> Player:
    """A player of this club, or 404 (also for players of other clubs)."""
    player = db.session.scalar(
        select(Player).where(Player.id == player_id, Player.club_id == club.id)
    )
    if player is None:
        raise NotFound(PLAYER_NOT_FOUND)
    return player


def _with_details(stmt: Select) -> Select:
    return stmt.options(selectinload(TrainingPlan.exercises), selectinload(TrainingPlan.player))


def lock_plan(plan_id: uuid.UUID, *, owner: Any) -> bool:
    """Take the plan row's write lock for the rest of the transaction; False when no such plan.

    ``owner`` is an extra SQL condition (whose plan it must be). The lock is a real UPDATE
    (of ``updated_at``) rather than ``SELECT ... FOR UPDATE`` because it works on every
    database: PostgreSQL row-locks it (a second writer waits, then reads the committed state),
    and SQLite, where FOR UPDATE is a no-op, starts its single write transaction here, before
    anything is read. Writers to one plan therefore run one after the other.
    """
    result = db.session.execute(
        update(TrainingPlan)
        .where(TrainingPlan.id == plan_id, owner)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _coach_plan(club: Club, plan_id: uuid.UUID, *, lock: bool = False) -> TrainingPlan:
    of_club = TrainingPlan.player_id.in_(select(Player.id).where(Player.club_id == club.id))
    if lock and not lock_plan(plan_id, owner=of_club):
        raise NotFound(PLAN_NOT_FOUND)
    stmt = select(TrainingPlan).where(TrainingPlan.id == plan_id, of_club)
    plan = db.session.scalar(_with_details(stmt).execution_options(populate_existing=lock))
    if plan is None:
        raise NotFound(PLAN_NOT_FOUND)
    return plan


# ---------------------------------------------------------------- exercises


def exercise_orders(specs: Sequence[Mapping[str, Any]]) -> list[int]:
    """The stored order of each submitted exercise.

    An absent ``exercise_order`` means the exercise's position in the list. When two
    exercises would share a place, the list is renumbered (from the smallest given value, in
    the order the client asked for, ties by list position) so reads are always deterministic.
    """
    orders = [
        spec["exercise_order"] if spec.get("exercise_order") is not None else index
        for index, spec in enumerate(specs)
    ]
    if len(set(orders)) == len(orders):
        return orders
    start = min(orders)
    ranked = sorted(range(len(orders)), key=lambda i: (orders[i], i))
    renumbered = [0] * len(orders)
    for rank, index in enumerate(ranked):
        renumbered[index] = start + rank
    return renumbered


def _apply(exercise: TrainingExercise, spec: Mapping[str, Any], order: int) -> TrainingExercise:
    for name in EXERCISE_FIELDS:
        setattr(exercise, name, spec.get(name))
    exercise.exercise_order = order
    return exercise


def _new_exercises(specs: Sequence[Mapping[str, Any]]) -> list[TrainingExercise]:
    orders = exercise_orders(specs)
    return [
        _apply(TrainingExercise(completed=False), spec, order)
        for spec, order in zip(specs, orders, strict=True)
    ]


def _replace_exercises(plan: TrainingPlan, specs: Sequence[Mapping[str, Any]]) -> None:
    """Replace the list; an item carrying one of this plan's exercise ids updates that exercise
    in place and keeps its completion. An id this plan does not have is a new exercise (a new
    id, not completed): the coach saves what he sees, even if the list changed meanwhile."""
    seen: dict[uuid.UUID, int] = {}
    errors: dict[str, str] = {}
    for index, spec in enumerate(specs):
        exercise_id = spec.get("exercise_id")
        if exercise_id is None:
            continue
        if exercise_id in seen:
            errors[f"exercises.{index}.exercise_id"] = (
                f"The same exercise is already at position {seen[exercise_id]}."
            )
        seen.setdefault(exercise_id, index)
    if errors:
        raise ValidationFailed("An exercise appears twice in the list.", errors=errors)

    existing = {exercise.id: exercise for exercise in plan.exercises}
    orders = exercise_orders(specs)
    plan.exercises = [
        _apply(existing.get(spec.get("exercise_id")) or TrainingExercise(completed=False), spec, o)
        for spec, o in zip(specs, orders, strict=True)
    ]


# ---------------------------------------------------------------- coach use cases


def create_plan(
    *,
    club: Club,
    player_id: uuid.UUID,
    plan_name: str,
    duration: str | None = None,
    coach_notes: str | None = None,
    exercises: Sequence[Mapping[str, Any]] | None = None,
    created_by: uuid.UUID | None = None,
) -> TrainingPlan:
    """Write a plan for one of the club's players (409 when consent to training plans was
    withdrawn); ``created_by``: the staff member writing it (default: the club's founder)."""
    player = club_player(club, player_id)
    refuse_if_withdrawn(player, "training", TRAINING_WITHDRAWN)
    plan = TrainingPlan(
        player=player,
        created_by=created_by or club.coach_id,
        plan_name=plan_name,
        duration=duration,
        coach_notes=coach_notes,
        exercises=_new_exercises(exercises or []),
    )
    plan.refresh_status()
    db.session.add(plan)
    commit_club_write(club.id)
    return plan


def get_plan(*, club: Club, plan_id: uuid.UUID) -> TrainingPlan:
    """A plan of one of the club's players, with its player and exercises."""
    return _coach_plan(club, plan_id)


def update_plan(*, club: Club, plan_id: uuid.UUID, changes: Mapping[str, Any]) -> TrainingPlan:
    """Apply the given fields; ``exercises`` replaces the list (see :func:`_replace_exercises`).

    Absent keys are kept; ``duration`` / ``coach_notes`` set to None are cleared; a None
    ``player_id`` or ``exercises`` means "not given".
    """
    plan = _coach_plan(club, plan_id, lock=True)
    new_player_id = changes.get("player_id")
    if new_player_id is not None and new_player_id != plan.player_id:
        plan.player = club_player(club, new_player_id)
    for name in ("plan_name", "duration", "coach_notes"):
        if name in changes and not (name == "plan_name" and changes[name] is None):
            setattr(plan, name, changes[name])
    if changes.get("exercises") is not None:
        _replace_exercises(plan, changes["exercises"])
    plan.refresh_status()
    commit_club_write(club.id)
    return get_plan(club=club, plan_id=plan_id)


def delete_plan(*, club: Club, plan_id: uuid.UUID) -> uuid.UUID:
    """Delete a plan and its exercises."""
    plan = _coach_plan(club, plan_id)
    db.session.delete(plan)
    commit_club_write(club.id)
    return plan_id


def load_season_profile(player: Player) -> SeasonProfile | None:
    """The player's season figures for the plan generator, or None while he has none."""
    season = player_views(player.club_id).get(player.id)
    if season is None or not season.matches_played:
        return None
    return SeasonProfile(
        minutes_played=season.minutes_played,
        matches_played=season.matches_played,
        position=player.position,
        attacking_rating=season.attacking_rating,
        technique_rating=season.technique_rating,
        tactical_rating=season.tactical_rating,
        defending_rating=season.defending_rating,
        creativity_rating=season.creativity_rating,
        pass_completion_rate=season.pass_completion_rate,
        passes_completed_per90=season.passes_completed_per90,
        key_passes_per90=season.key_passes_per90,
        tackle_success_rate=season.tackle_success_rate,
        tackles_won_per90=season.tackles_won_per90,
        interceptions_per90=season.interceptions_per90,
        clearances_per90=season.clearances_per90,
        ball_recoveries_per90=season.ball_recoveries_per90,
        shots_per90=season.total_shots_per90,
        shots_on_target_rate=rate(season.shots_on_target, season.total_shots),
        goals_per90=season.goals_per90,
        expected_goals_per90=season.expected_goals_per90,
        dribble_success_rate=season.dribble_success_rate,
        dribbles_per90=season.total_dribbles_per90,
        goalkeeper_saves_per90=season.goalkeeper_saves_per90,
    )


def suggest_plan(*, club: Club, player_id: uuid.UUID, today: date | None = None) -> GeneratedPlan:
    """A suggested plan (not saved) from the player's weakest areas, drills fit for his age."""
    player = club_player(club, player_id)
    refuse_if_withdrawn(player, "training", TRAINING_WITHDRAWN)
    age_group = club.age_group or age_group_for_birth_date(
        birthday(player), today or utcnow().date()
    )
    return generate_plan(
        player_name=player.player_name,
        jersey_number=player.jersey_number,
        position=player.position,
        age_group=age_group,
        profile=load_season_profile(player),
    )


# ---------------------------------------------------------------- player use cases


def list_player_plans(*, player: Player, limit: int | None = None, offset: int = 0) -> PlanPage:
    """The player's plans, newest first (all of them when ``limit`` is None)."""
    where = TrainingPlan.player_id == player.id
    total = db.session.scalar(select(func.count()).select_from(TrainingPlan).where(where)) or 0
    stmt = (
        select(TrainingPlan)
        .where(where)
        .order_by(TrainingPlan.created_at.desc(), TrainingPlan.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return PlanPage(total_count=total, plans=list(db.session.scalars(stmt)))


def get_player_plan(*, player: Player, plan_id: uuid.UUID) -> TrainingPlan:
    """One of the player's own plans (404 unknown, 403 another player's)."""
    plan = db.session.scalar(_with_details(select(TrainingPlan).where(TrainingPlan.id == plan_id)))
    if plan is None:
        raise NotFound(PLAN_NOT_FOUND)
    if plan.player_id != player.id:
        raise Forbidden(NOT_YOUR_PLAN)
    return plan


def toggle_exercise(
    *, player: Player, exercise_id: uuid.UUID, completed: bool | None = None
) -> ToggleResult:
    """Set (or, with ``completed`` None, flip) an exercise and re-derive its plan's status.

    The plan row is locked before the exercises are read, so two toggles on one plan run one
    after the other and the second counts the first one's exercise.
    """
    owner = db.session.execute(
        select(TrainingExercise.plan_id, TrainingPlan.player_id)
        .join(TrainingPlan, TrainingPlan.id == TrainingExercise.plan_id)
        .where(TrainingExercise.id == exercise_id)
    ).first()
    if owner is None:
        raise NotFound(EXERCISE_NOT_FOUND)
    if owner.player_id != player.id:
        raise Forbidden(NOT_YOUR_PLAN)

    if not lock_plan(owner.plan_id, owner=TrainingPlan.player_id == player.id):
        raise NotFound(EXERCISE_NOT_FOUND)  # deleted or reassigned meanwhile
    plan = db.session.scalar(
        _with_details(
            select(TrainingPlan).where(TrainingPlan.id == owner.plan_id)
        ).execution_options(populate_existing=True)
    )
    exercise = next((e for e in plan.exercises if e.id == exercise_id), None)
    if exercise is None:  # the coach replaced the list meanwhile
        raise NotFound(EXERCISE_NOT_FOUND)

    done = (not exercise.completed) if completed is None else completed
    if done != exercise.completed:
        exercise.completed = done
        exercise.completed_at = utcnow() if done else None
    plan.refresh_status()
    result = ToggleResult(
        exercise_id=exercise.id,
        completed=exercise.completed,
        completed_at=exercise.completed_at,
        plan_id=plan.id,
        total_exercises=plan.total_exercises,
        completed_exercises=plan.completed_exercises,
        progress_percentage=plan.progress_percentage,
        plan_status=plan.status,
    )
    commit_club_write(player.club_id)
    return result
