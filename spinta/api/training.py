"""Training plans: the coach's side (/api/coach/training-plans) and the player's
(/api/player/training). Thin views: schema in, one service call, schema out."""

from uuid import UUID

from flask_smorest import Blueprint

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
from spinta.security import coach_required, current_club, current_player, player_required
from spinta.services import training

coach_blp = Blueprint(
    "coach_training", __name__, description="Training plans a coach writes for his players"
)
player_blp = Blueprint("player_training", __name__, description="A player's own training plans")

BEARER = [{"bearerAuth": []}]


# ---------------------------------------------------------------- coach


@coach_blp.route("", methods=["POST"])
@coach_required
@coach_blp.arguments(PlanCreateSchema)
@coach_blp.response(201, PlanCreatedSchema)
@coach_blp.alt_response(404, description="No such player in your club")
@coach_blp.doc(security=BEARER)
def create_plan(body):
    """Create a training plan for one of your players."""
    return training.create_plan(club=current_club(), **body)


@coach_blp.route("/generate-ai", methods=["POST"])
@coach_required
@coach_blp.arguments(GeneratePlanSchema)
@coach_blp.response(200, SuggestedPlanSchema)
@coach_blp.alt_response(404, description="No such player in your club")
@coach_blp.doc(security=BEARER)
def generate_plan(body):
    """Suggest a plan (not saved) from the player's weakest areas."""
    return training.suggest_plan(club=current_club(), player_id=body["player_id"]).to_dict()


@coach_blp.route("/<uuid:plan_id>", methods=["GET"])
@coach_required
@coach_blp.response(200, PlanDetailSchema)
@coach_blp.alt_response(404, description="No such plan for your players")
@coach_blp.doc(security=BEARER)
def get_plan(plan_id: UUID):
    """A plan with its progress and exercises."""
    return training.get_plan(club=current_club(), plan_id=plan_id)


@coach_blp.route("/<uuid:plan_id>", methods=["PUT"])
@coach_required
@coach_blp.arguments(PlanUpdateSchema)
@coach_blp.response(200, PlanDetailSchema)
@coach_blp.alt_response(404, description="No such plan (or player) for your club")
@coach_blp.doc(security=BEARER)
def update_plan(body, plan_id: UUID):
    """Update a plan; a given exercise list replaces the old one (ids keep their completion)."""
    return training.update_plan(club=current_club(), plan_id=plan_id, changes=body)


@coach_blp.route("/<uuid:plan_id>", methods=["DELETE"])
@coach_required
@coach_blp.response(200, DeletedPlanSchema)
@coach_blp.alt_response(404, description="No such plan for your players")
@coach_blp.doc(security=BEARER)
def delete_plan(plan_id: UUID):
    """Delete a plan and its exercises."""
    return {"deleted": True, "plan_id": training.delete_plan(club=current_club(), plan_id=plan_id)}


# ---------------------------------------------------------------- player


@player_blp.route("", methods=["GET"])
@player_required
@player_blp.arguments(PaginationSchema, location="query")
@player_blp.response(200, PlayerPlansSchema)
@player_blp.doc(security=BEARER)
def list_plans(query):
    """Your training plans, newest first."""
    page = training.list_player_plans(player=current_player(), **query)
    return {"total_count": page.total_count, "training_plans": page.plans}


@player_blp.route("/<uuid:plan_id>", methods=["GET"])
@player_required
@player_blp.response(200, PlanDetailSchema)
@player_blp.alt_response(403, description="The plan belongs to another player")
@player_blp.alt_response(404, description="No such plan")
@player_blp.doc(security=BEARER)
def get_plan_for_player(plan_id: UUID):
    """One of your plans with its progress and exercises."""
    return training.get_player_plan(player=current_player(), plan_id=plan_id)


@player_blp.route("/exercises/<uuid:exercise_id>/toggle", methods=["PUT"])
@player_required
@player_blp.arguments(ToggleExerciseSchema)
@player_blp.response(200, ToggleResultSchema)
@player_blp.alt_response(403, description="The exercise belongs to another player's plan")
@player_blp.alt_response(404, description="No such exercise")
@player_blp.doc(security=BEARER)
def toggle_exercise(body, exercise_id: UUID):
    """Mark an exercise done or not done (no body: flip it); the plan's status follows."""
    result = training.toggle_exercise(
        player=current_player(), exercise_id=exercise_id, completed=body.get("completed")
    )
    return result.to_dict()
