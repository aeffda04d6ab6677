"""Request and response bodies of the training-plan endpoints (api.md "Training plans")."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, fields, pre_dump, validate

from spinta.models.training import MAX_COUNT, MIN_COUNT, PLAN_STATUSES
from spinta.schemas.common import RequestSchema, ResponseSchema, optional_string
from spinta.schemas.screens import GoalSchema

MAX_EXERCISES = 100
MAX_EXERCISE_ORDER = 10_000
_DIGITS = re.compile(r"[0-9]{1,9}")


class WholeNumber(fields.Field):
    """An optional whole number sent as a JSON integer or as a numeric string.

    ``3``, ``3.0`` and ``"3"`` load as 3; ``""`` and ``null`` load as None (not given).
    Anything else (``"abc"``, ``2.5``, booleans, out of range) is a validation error on the field.
    The mobile app sends form inputs as strings, hence the leniency on strings of digits.
    """

    def __init__(self, *, minimum: int, maximum: int, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", None)
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum
        self.error_messages["invalid"] = (
            f"Must be a whole number from {minimum} to {maximum}, or empty."
        )

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | None:
        number: int | None = None
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            text = value.strip()
            if text == "":
                return None
            if _DIGITS.fullmatch(text):
                number = int(text)
        if number is None or not self.minimum <= number <= self.maximum:
            raise self.make_error("invalid")
        return number

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> int | None:
        return None if value is None else int(value)


def count_field(**kwargs: Any) -> WholeNumber:
    """sets, reps, duration_minutes: 1 to 1000 or none."""
    return WholeNumber(minimum=MIN_COUNT, maximum=MAX_COUNT, **kwargs)


class UTCDateTime(fields.DateTime):
    """An ISO 8601 UTC timestamp to the second (``2025-03-01T17:30:00+00:00``).

    SQLite hands timestamps back without a zone; they were written in UTC, so say so.
    """

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            zoned = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
            return zoned.isoformat(timespec="seconds")
        return super()._serialize(value, attr, obj, **kwargs)


# ---------------------------------------------------------------- requests


class ExerciseInSchema(RequestSchema):
    exercise_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    description = optional_string(2000)
    sets = count_field()
    reps = count_field()
    duration_minutes = count_field()
    # Absent -> the exercise's position in the submitted list.
    exercise_order = WholeNumber(minimum=0, maximum=MAX_EXERCISE_ORDER)


class ExerciseUpdateSchema(ExerciseInSchema):
    # An exercise of this plan keeps its completion; an id this plan does not have -> new exercise.
    exercise_id = fields.UUID(load_default=None, allow_none=True)


def exercise_list(schema: type[Schema], **kwargs: Any) -> fields.List:
    return fields.List(
        fields.Nested(schema),
        allow_none=True,
        validate=validate.Length(max=MAX_EXERCISES),
        metadata={"description": f"Up to {MAX_EXERCISES} exercises, in order."},
        **kwargs,
    )


class PlanCreateSchema(RequestSchema):
    player_id = fields.UUID(required=True)
    plan_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    duration = optional_string(50, metadata={"example": "2 weeks"})
    coach_notes = optional_string(2000)
    exercises = exercise_list(ExerciseInSchema, load_default=list)


class PlanUpdateSchema(RequestSchema):
    """Every field optional: an absent field is kept; null or "" clears duration / coach_notes.

    ``exercises`` (when given and not null) replaces the whole list; a null ``player_id`` or
    ``exercises`` means "not given", as everywhere else.
    """

    player_id = fields.UUID(allow_none=True)
    plan_name = fields.String(validate=validate.Length(min=1, max=120))
    duration = fields.String(allow_none=True, validate=validate.Length(max=50))
    coach_notes = fields.String(allow_none=True, validate=validate.Length(max=2000))
    exercises = exercise_list(ExerciseUpdateSchema)


class GeneratePlanSchema(RequestSchema):
    player_id = fields.UUID(required=True)


class ToggleExerciseSchema(RequestSchema):
    completed = fields.Boolean(
        load_default=None,
        allow_none=True,
        metadata={"description": "true / false sets it; absent or null flips it."},
    )


# ---------------------------------------------------------------- responses


class PlanCreatedSchema(ResponseSchema):
    plan_id = fields.UUID(attribute="id")
    player_id = fields.UUID()
    plan_name = fields.String()
    duration = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(PLAN_STATUSES)})
    coach_notes = fields.String(allow_none=True)
    exercise_count = fields.Integer(attribute="total_exercises")
    created_at = UTCDateTime()


class PlanHeaderSchema(ResponseSchema):
    plan_id = fields.UUID()
    plan_name = fields.String()
    duration = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(PLAN_STATUSES)})
    created_at = UTCDateTime()
    player_id = fields.UUID()
    player_name = fields.String()
    player_jersey = fields.Integer(allow_none=True)


class ProgressSchema(ResponseSchema):
    percentage = fields.Float()
    completed_exercises = fields.Integer()
    total_exercises = fields.Integer()


class ExerciseOutSchema(ResponseSchema):
    exercise_id = fields.UUID(attribute="id")
    exercise_name = fields.String()
    description = fields.String(allow_none=True)
    sets = fields.Integer(allow_none=True)
    reps = fields.Integer(allow_none=True)
    duration_minutes = fields.Integer(allow_none=True)
    exercise_order = fields.Integer()
    completed = fields.Boolean()
    completed_at = UTCDateTime(allow_none=True)


class PlanDetailSchema(ResponseSchema):
    """Dumped from a TrainingPlan whose player and exercises are loaded (and, set by the view,
    ``goals``: the player's development goals)."""

    plan = fields.Nested(PlanHeaderSchema)
    progress = fields.Nested(ProgressSchema)
    coach_notes = fields.String(allow_none=True)
    exercises = fields.List(fields.Nested(ExerciseOutSchema))
    development_goals = fields.List(
        fields.Nested(GoalSchema),
        required=False,
        metadata={
            "description": "the player's development goals with his progress (as on his"
            " screens); absent when he has none"
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["development_goals"].required = False

    @pre_dump
    def _shape(self, plan: Any, **_kwargs: Any) -> dict[str, Any]:
        return {
            "plan": {
                "plan_id": plan.id,
                "plan_name": plan.plan_name,
                "duration": plan.duration,
                "status": plan.status,
                "created_at": plan.created_at,
                "player_id": plan.player_id,
                "player_name": plan.player.player_name,
                "player_jersey": plan.player.jersey_number,
            },
            "progress": {
                "percentage": plan.progress_percentage,
                "completed_exercises": plan.completed_exercises,
                "total_exercises": plan.total_exercises,
            },
            "coach_notes": plan.coach_notes,
            "exercises": plan.exercises,
            **({"development_goals": goals} if (goals := getattr(plan, "goals", None)) else {}),
        }


class DeletedPlanSchema(ResponseSchema):
    deleted = fields.Boolean()
    plan_id = fields.UUID()


class PlanSummarySchema(ResponseSchema):
    plan_id = fields.UUID(attribute="id")
    plan_name = fields.String()
    created_at = UTCDateTime()
    status = fields.String(metadata={"enum": list(PLAN_STATUSES)})


class PlayerPlansSchema(ResponseSchema):
    total_count = fields.Integer()
    training_plans = fields.List(fields.Nested(PlanSummarySchema))


class PlanProgressSchema(ResponseSchema):
    plan_id = fields.UUID()
    total_exercises = fields.Integer()
    completed_exercises = fields.Integer()
    progress_percentage = fields.Float()
    plan_status = fields.String(metadata={"enum": list(PLAN_STATUSES)})


class ToggleResultSchema(ResponseSchema):
    exercise_id = fields.UUID()
    completed = fields.Boolean()
    completed_at = UTCDateTime(allow_none=True)
    plan_progress = fields.Nested(PlanProgressSchema)


class SuggestedExerciseSchema(ResponseSchema):
    exercise_name = fields.String()
    description = fields.String()
    sets = fields.Integer(allow_none=True)
    reps = fields.Integer(allow_none=True)
    duration_minutes = fields.Integer(allow_none=True)
    area = fields.String(metadata={"description": "The focus area the exercise trains."})
    library_id = fields.String(metadata={"description": "The exercise's id in the library."})


class SuggestedPlanSchema(ResponseSchema):
    player_name = fields.String()
    jersey_number = fields.Integer(allow_none=True)
    plan_name = fields.String()
    duration = fields.String()
    focus_areas = fields.List(
        fields.String(), metadata={"example": ["Passing: 68.2% pass completion (target 75%)"]}
    )
    exercises = fields.List(fields.Nested(SuggestedExerciseSchema))
    age_group = fields.String(metadata={"description": "The age group the drills were picked for."})
    library_version = fields.String()
