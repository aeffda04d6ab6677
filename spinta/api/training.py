"""Training plans: the coach's side (/api/coach/training-plans) and the player's
(/api/player/training). Thin views: schema in, one service call, schema out."""

from typing import Any
from uuid import UUID

from spinta.api.blueprint import Blueprint
from spinta.api.docs import COACH, PLAYER, errors
from spinta.schemas.common import PaginationSchema
from spinta.schemas.training import (
    DeletedPlanSchema,
    GeneratePlanSchema,
    PlanCreatedSchema,
    PlanCreateSchema,
    PlanDetailSchema,
    PlanUpdateSchema,
    PlayerPlansSchema,
    SuggestedPlanSchema,
    ToggleExerciseSchema,
    ToggleResultSchema,
)
from spinta.security import (
    coach_required,
    current_account,
    current_club,
    current_player,
    player_required,
    seen_body,
)
from spinta.services import development, training

coach_blp = Blueprint(
    "coach_training", __name__, description="Training plans a coach writes for his players"
)
player_blp = Blueprint("player_training", __name__, description="A player's own training plans")

NO_PLAYER = (404, "No such player in your club")
NO_PLAN = (404, "No such plan for your players")
TRAINING_WITHDRAWN = (409, "Consent to training plans was withdrawn for this player")


def _with_goals(plan: Any) -> Any:
    """The plan with its player's development goals (``goals``, shown when he has any)."""
    plan.goals = development.goal_list(plan.player.club_id, plan.player_id)
    return plan


# ---------------------------------------------------------------- coach


@coach_blp.route("", methods=["POST"])
@coach_required
@coach_blp.arguments(PlanCreateSchema)
@coach_blp.response(201, PlanCreatedSchema)
@errors(coach_blp, NO_PLAYER, TRAINING_WITHDRAWN, body=True, auth=COACH)
def create_plan(body):
    """Create a training plan for one of your players."""
    return training.create_plan(
        club=current_club(), created_by=current_account().coach.id, **seen_body(body)
    )


@coach_blp.route("/generate-ai", methods=["POST"])
@coach_required
@coach_blp.arguments(GeneratePlanSchema)
@coach_blp.response(200, SuggestedPlanSchema)
@errors(coach_blp, NO_PLAYER, TRAINING_WITHDRAWN, body=True, auth=COACH)
def generate_plan(body):
    """Suggest a plan (not saved) from the player's weakest areas."""
    player_id = seen_body(body)["player_id"]
    return training.suggest_plan(club=current_club(), player_id=player_id).to_dict()


@coach_blp.route("/<uuid:plan_id>", methods=["GET"])
@coach_required
@coach_blp.response(200, PlanDetailSchema)
@errors(coach_blp, NO_PLAN, auth=COACH)
def get_plan(plan_id: UUID):
    """A plan with its progress and exercises, and the player's development goals."""
    return _with_goals(training.get_plan(club=current_club(), plan_id=plan_id))


@coach_blp.route("/<uuid:plan_id>", methods=["PUT"])
@coach_required
@coach_blp.arguments(PlanUpdateSchema)
@coach_blp.response(200, PlanDetailSchema)
@errors(coach_blp, (404, "No such plan (or player) for your club"), body=True, auth=COACH)
def update_plan(body, plan_id: UUID):
    """Update a plan; a given exercise list replaces the old one (ids keep their completion)."""
    club = current_club()
    return _with_goals(training.update_plan(club=club, plan_id=plan_id, changes=seen_body(body)))


@coach_blp.route("/<uuid:plan_id>", methods=["DELETE"])
@coach_required
@coach_blp.response(200, DeletedPlanSchema)
@errors(coach_blp, NO_PLAN, auth=COACH)
def delete_plan(plan_id: UUID):
    """Delete a plan and its exercises."""
    return {"deleted": True, "plan_id": training.delete_plan(club=current_club(), plan_id=plan_id)}


# ---------------------------------------------------------------- player


@player_blp.route("", methods=["GET"])
@player_required
@player_blp.arguments(PaginationSchema, location="query")
@player_blp.response(200, PlayerPlansSchema)
@errors(player_blp, query=True, auth=PLAYER)
def list_plans(query):
    """Your training plans, newest first."""
    page = training.list_player_plans(player=current_player(), **query)
    return {"total_count": page.total_count, "training_plans": page.plans}


@player_blp.route("/<uuid:plan_id>", methods=["GET"])
@player_required
@player_blp.response(200, PlanDetailSchema)
@errors(
    player_blp,
    (403, "A coach's token, or the plan belongs to another player"),
    (404, "No such plan"),
    auth=PLAYER,
)
def get_plan_for_player(plan_id: UUID):
    """One of your plans with its progress and exercises, and your development goals."""
    return _with_goals(training.get_player_plan(player=current_player(), plan_id=plan_id))


@player_blp.route("/exercises/<uuid:exercise_id>/toggle", methods=["PUT"])
@player_required
@player_blp.arguments(ToggleExerciseSchema)
@player_blp.response(200, ToggleResultSchema)
@errors(
    player_blp,
    (403, "A coach's token, or the exercise belongs to another player's plan"),
    (404, "No such exercise"),
    body=True,
    auth=PLAYER,
)
def toggle_exercise(body, exercise_id: UUID):
    """Mark an exercise done or not done (no body: flip it); the plan's status follows."""
    result = training.toggle_exercise(
        player=current_player(), exercise_id=exercise_id, completed=body.get("completed")
    )
    return result.to_dict()
