"""Training plans over HTTP: the coach's CRUD, the player's list/detail/toggle, ownership, the
derived plan status, lenient numeric fields and the suggested plan endpoint."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

import pytest
from sqlalchemy import func, select

from spinta.extensions import db
from spinta.models import TrainingExercise, TrainingPlan
from spinta.plans.generator import load_library
from tests.conftest import recorded_statements
from tests.factories import add_player, register_coach, register_player

PLANS = "/api/coach/training-plans"
PLAYER_PLANS = "/api/player/training"

CREATED_KEYS = {
    "plan_id",
    "player_id",
    "plan_name",
    "duration",
    "status",
    "coach_notes",
    "exercise_count",
    "created_at",
}
HEADER_KEYS = {
    "plan_id",
    "plan_name",
    "duration",
    "status",
    "created_at",
    "player_id",
    "player_name",
    "player_jersey",
}
EXERCISE_KEYS = {
    "exercise_id",
    "exercise_name",
    "description",
    "sets",
    "reps",
    "duration_minutes",
    "exercise_order",
    "completed",
    "completed_at",
}


def assert_error(response, status, fields=()):
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert isinstance(body["detail"], str) and body["detail"] == body["message"]
    for field in fields:
        assert field in body.get("errors", {}), body
    return body


def exercise(name="Rondo", **fields):
    return {"exercise_name": name, **fields}


@pytest.fixture
def squad(client, app):
    """A coach with a signed-up player, and a second club with its own coach and player."""
    coach = register_coach(client, club_name="Home FC")
    player = register_player(client, app, coach.club_id, name="Home Player", jersey=7)
    other_coach = register_coach(client, club_name="Away FC")
    other_player = register_player(client, app, other_coach.club_id, name="Away Player")
    return coach, player, other_coach, other_player


def create_plan(client, coach, player_id, **overrides):
    body = {
        "player_id": player_id,
        "plan_name": "Passing week",
        "duration": "2 weeks",
        "coach_notes": "Focus on the first touch.",
        "exercises": [
            exercise("Rondo", sets=3, reps=10, exercise_order=0),
            exercise("Wall passes", description="Against a wall", duration_minutes=15),
            exercise("Long passes", sets="4", reps="8"),
        ],
    }
    body.update(overrides)
    response = client.post(PLANS, json=body, headers=coach.headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def detail(client, account, plan_id, *, player=False):
    url = f"{PLAYER_PLANS}/{plan_id}" if player else f"{PLANS}/{plan_id}"
    response = client.get(url, headers=account.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def toggle(client, player, exercise_id, **body):
    return client.put(
        f"{PLAYER_PLANS}/exercises/{exercise_id}/toggle",
        json=body if body else None,
        headers=player.headers,
    )


def count_rows(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- create and read


def test_create_plan_response_shape(client, app, squad):
    coach, player, *_ = squad
    body = create_plan(client, coach, player.player_id)
    assert set(body) == CREATED_KEYS
    assert body["player_id"] == player.player_id
    assert body["plan_name"] == "Passing week"
    assert body["duration"] == "2 weeks"
    assert body["status"] == "pending"
    assert body["coach_notes"] == "Focus on the first touch."
    assert body["exercise_count"] == 3
    created = datetime.fromisoformat(body["created_at"])
    assert created.utcoffset() is not None and created.utcoffset().total_seconds() == 0
    uuid.UUID(body["plan_id"])
    with app.app_context():
        plan = db.session.get(TrainingPlan, uuid.UUID(body["plan_id"]))
        assert plan.created_by is not None
        assert plan.created_by == plan.player.club.coach_id


def test_plan_detail_shape_and_order(client, squad):
    coach, player, *_ = squad
    created = create_plan(client, coach, player.player_id)
    body = detail(client, coach, created["plan_id"])
    assert set(body) == {"plan", "progress", "coach_notes", "exercises"}
    assert set(body["plan"]) == HEADER_KEYS
    assert body["plan"]["player_name"] == "Home Player"
    assert body["plan"]["player_jersey"] == 7
    assert body["plan"]["created_at"] == created["created_at"]
    assert body["progress"] == {"percentage": 0, "completed_exercises": 0, "total_exercises": 3}
    assert body["coach_notes"] == "Focus on the first touch."
    assert [e["exercise_name"] for e in body["exercises"]] == [
        "Rondo",
        "Wall passes",
        "Long passes",
    ]
    assert all(set(e) == EXERCISE_KEYS for e in body["exercises"])
    first, second, third = body["exercises"]
    assert (first["sets"], first["reps"], first["duration_minutes"]) == (3, 10, None)
    assert (second["description"], second["duration_minutes"]) == ("Against a wall", 15)
    assert (third["sets"], third["reps"]) == (4, 8)
    assert [e["exercise_order"] for e in body["exercises"]] == [0, 1, 2]
    assert not any(e["completed"] or e["completed_at"] for e in body["exercises"])
    # The player sees the same body.
    assert detail(client, player, created["plan_id"], player=True) == body


def test_minimal_plan_without_exercises(client, squad):
    coach, player, *_ = squad
    response = client.post(
        PLANS,
        json={"player_id": player.player_id, "plan_name": "  Rest week  ", "duration": ""},
        headers=coach.headers,
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["plan_name"] == "Rest week"
    assert body["duration"] is None and body["coach_notes"] is None
    assert body["exercise_count"] == 0 and body["status"] == "pending"
    shown = detail(client, coach, body["plan_id"])
    assert shown["progress"] == {"percentage": 0, "completed_exercises": 0, "total_exercises": 0}


def test_exercise_order_is_respected_and_duplicates_renumbered(client, squad):
    coach, player, *_ = squad
    created = create_plan(
        client,
        coach,
        player.player_id,
        exercises=[
            exercise("third", exercise_order=5),
            exercise("first", exercise_order="1"),
            exercise("second", exercise_order=3),
        ],
    )
    shown = detail(client, coach, created["plan_id"])["exercises"]
    assert [(e["exercise_name"], e["exercise_order"]) for e in shown] == [
        ("first", 1),
        ("second", 3),
        ("third", 5),
    ]
    # All at 1: kept in list order, renumbered from 1 so the order is never ambiguous.
    created = create_plan(
        client,
        coach,
        player.player_id,
        exercises=[exercise(name, exercise_order=1) for name in ("a", "b", "c")],
    )
    shown = detail(client, coach, created["plan_id"])["exercises"]
    assert [(e["exercise_name"], e["exercise_order"]) for e in shown] == [
        ("a", 1),
        ("b", 2),
        ("c", 3),
    ]


# ---------------------------------------------------------------- lenient numbers


@pytest.mark.parametrize(
    ("sent", "stored"),
    [(3, 3), ("3", 3), (" 12 ", 12), (3.0, 3), (1, 1), (1000, 1000), ("1000", 1000),
     ("", None), (None, None)],
)  # fmt: skip
def test_numeric_fields_accept_integers_strings_empty_and_null(client, app, squad, sent, stored):
    coach, player, *_ = squad
    created = create_plan(
        client,
        coach,
        player.player_id,
        exercises=[exercise(sets=sent, reps=sent, duration_minutes=sent)],
    )
    shown = detail(client, coach, created["plan_id"])["exercises"][0]
    assert (shown["sets"], shown["reps"], shown["duration_minutes"]) == (stored, stored, stored)
    with app.app_context():
        row = db.session.scalar(select(TrainingExercise))
        assert (row.sets, row.reps, row.duration_minutes) == (stored, stored, stored)


def test_numeric_fields_may_be_absent(client, squad):
    coach, player, *_ = squad
    created = create_plan(client, coach, player.player_id, exercises=[exercise()])
    shown = detail(client, coach, created["plan_id"])["exercises"][0]
    assert (shown["sets"], shown["reps"], shown["duration_minutes"]) == (None, None, None)
    assert shown["description"] is None


@pytest.mark.parametrize("field", ["sets", "reps", "duration_minutes"])
@pytest.mark.parametrize(
    "value", ["abc", 0, "0", -1, "-3", 1001, "1001", 2.5, "2.5", True, False, [], {}, "1e3",
              "99999999999999999999"],
)  # fmt: skip
def test_invalid_numeric_values_are_rejected(client, app, squad, field, value):
    coach, player, *_ = squad
    response = client.post(
        PLANS,
        json={
            "player_id": player.player_id,
            "plan_name": "Bad",
            "exercises": [exercise("ok", sets=2), exercise("bad", **{field: value})],
        },
        headers=coach.headers,
    )
    body = assert_error(response, 422, fields=[f"exercises.1.{field}"])
    assert set(body["errors"]) == {f"exercises.1.{field}"}
    assert f"exercises.1.{field}" in body["detail"]
    assert count_rows(app, TrainingPlan) == 0
    assert count_rows(app, TrainingExercise) == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"plan_name": ""}, "plan_name"),
        ({"plan_name": "x" * 121}, "plan_name"),
        ({"plan_name": None}, "plan_name"),
        ({"player_id": "not-a-uuid"}, "player_id"),
        ({"duration": "x" * 51}, "duration"),
        ({"coach_notes": "x" * 2001}, "coach_notes"),
        ({"exercises": [exercise("x" * 121)]}, "exercises.0.exercise_name"),
        ({"exercises": [{"description": "no name"}]}, "exercises.0.exercise_name"),
        ({"exercises": [exercise("")]}, "exercises.0.exercise_name"),
        ({"exercises": [exercise(description="x" * 2001)]}, "exercises.0.description"),
        ({"exercises": [exercise(exercise_order=-1)]}, "exercises.0.exercise_order"),
        ({"exercises": [exercise(exercise_order="first")]}, "exercises.0.exercise_order"),
        ({"exercises": [exercise()] * 101}, "exercises"),
        ({"exercises": "Rondo"}, "exercises"),
    ],
)
def test_invalid_plans_are_rejected(client, app, squad, payload, field):
    coach, player, *_ = squad
    body = {"player_id": player.player_id, "plan_name": "Plan", **payload}
    response = client.post(PLANS, json=body, headers=coach.headers)
    assert_error(response, 422, fields=[field])
    assert count_rows(app, TrainingPlan) == 0


def test_missing_required_fields_and_bad_bodies(client, squad):
    coach, player, *_ = squad
    response = client.post(PLANS, json={"player_id": player.player_id}, headers=coach.headers)
    assert assert_error(response, 422, ["plan_name"])["detail"] == "'plan_name' is required."
    response = client.post(PLANS, json={"plan_name": "x"}, headers=coach.headers)
    assert_error(response, 422, ["player_id"])
    assert_error(client.post(PLANS, json=[1, 2], headers=coach.headers), 400)
    response = client.post(
        PLANS, data="{not json", content_type="application/json", headers=coach.headers
    )
    assert_error(response, 400)


def test_exactly_100_exercises_are_fine(client, squad):
    coach, player, *_ = squad
    created = create_plan(
        client, coach, player.player_id, exercises=[exercise(f"E{i}") for i in range(100)]
    )
    assert created["exercise_count"] == 100


# ---------------------------------------------------------------- toggle and status


def test_status_follows_the_exercises(client, app, squad):
    coach, player, *_ = squad
    created = create_plan(client, coach, player.player_id)
    plan_id = created["plan_id"]
    ids = [e["exercise_id"] for e in detail(client, coach, plan_id)["exercises"]]

    response = toggle(client, player, ids[0])
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"exercise_id", "completed", "completed_at", "plan_progress"}
    assert body["exercise_id"] == ids[0] and body["completed"] is True
    assert datetime.fromisoformat(body["completed_at"]).utcoffset().total_seconds() == 0
    assert body["plan_progress"] == {
        "plan_id": plan_id,
        "total_exercises": 3,
        "completed_exercises": 1,
        "progress_percentage": 33.3,
        "plan_status": "in_progress",
    }
    assert detail(client, coach, plan_id)["plan"]["status"] == "in_progress"

    toggle(client, player, ids[1], completed=True)
    body = toggle(client, player, ids[2], completed=True).get_json()
    assert body["plan_progress"]["plan_status"] == "completed"
    assert body["plan_progress"]["progress_percentage"] == 100
    shown = detail(client, player, plan_id, player=True)
    assert shown["plan"]["status"] == "completed"
    assert shown["progress"] == {"percentage": 100, "completed_exercises": 3, "total_exercises": 3}
    assert all(e["completed"] and e["completed_at"] for e in shown["exercises"])

    # Unchecking one moves the plan back.
    body = toggle(client, player, ids[1]).get_json()
    assert body["completed"] is False and body["completed_at"] is None
    assert body["plan_progress"]["plan_status"] == "in_progress"
    assert body["plan_progress"]["progress_percentage"] == 66.7

    toggle(client, player, ids[0], completed=False)
    body = toggle(client, player, ids[2], completed=False).get_json()
    assert body["plan_progress"] == {
        "plan_id": plan_id,
        "total_exercises": 3,
        "completed_exercises": 0,
        "progress_percentage": 0,
        "plan_status": "pending",
    }
    listed = client.get(PLAYER_PLANS, headers=player.headers).get_json()["training_plans"]
    assert listed[0]["status"] == "pending"
    with app.app_context():
        assert db.session.get(TrainingPlan, uuid.UUID(plan_id)).status == "pending"


def test_setting_the_same_state_twice_keeps_completed_at(client, squad):
    coach, player, *_ = squad
    created = create_plan(client, coach, player.player_id, exercises=[exercise()])
    exercise_id = detail(client, coach, created["plan_id"])["exercises"][0]["exercise_id"]
    first = toggle(client, player, exercise_id, completed=True).get_json()
    again = toggle(client, player, exercise_id, completed=True).get_json()
    assert again["completed"] is True and again["completed_at"] == first["completed_at"]
    assert again["plan_progress"]["plan_status"] == "completed"
    off = toggle(client, player, exercise_id, completed=False).get_json()
    assert off["completed"] is False
    assert toggle(client, player, exercise_id, completed=False).get_json()["completed"] is False


def test_toggle_body_forms(client, squad):
    coach, player, *_ = squad
    created = create_plan(client, coach, player.player_id, exercises=[exercise()])
    exercise_id = detail(client, coach, created["plan_id"])["exercises"][0]["exercise_id"]
    assert toggle(client, player, exercise_id).get_json()["completed"] is True  # no body: flip
    flipped = toggle(client, player, exercise_id, completed=None).get_json()  # null: flip
    assert flipped["completed"] is False
    response = toggle(client, player, exercise_id, completed="maybe")
    assert_error(response, 422, ["completed"])
    response = client.put(
        f"{PLAYER_PLANS}/exercises/{exercise_id}/toggle", json={}, headers=player.headers
    )
    assert response.get_json()["completed"] is True


def test_toggle_unknown_exercise(client, squad):
    _, player, *_ = squad
    assert_error(toggle(client, player, uuid.uuid4()), 404)
    response = client.put(f"{PLAYER_PLANS}/exercises/nope/toggle", headers=player.headers)
    assert_error(response, 404)


# ---------------------------------------------------------------- update and delete


def test_update_only_given_fields(client, squad):
    coach, player, *_ = squad
    created = create_plan(client, coach, player.player_id)
    url = f"{PLANS}/{created['plan_id']}"
    before = detail(client, coach, created["plan_id"])
    response = client.put(url, json={"plan_name": "Renamed"}, headers=coach.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["plan"]["plan_name"] == "Renamed"
    assert body["plan"]["duration"] == "2 weeks" and body["coach_notes"] == before["coach_notes"]
    assert body["exercises"] == before["exercises"]
    assert body == detail(client, coach, created["plan_id"])
    # null / "" clear the optional texts; a null exercise list means "not given".
    body = client.put(
        url, json={"duration": None, "coach_notes": "", "exercises": None}, headers=coach.headers
    ).get_json()
    assert body["plan"]["duration"] is None and body["coach_notes"] is None
    assert body["exercises"] == before["exercises"]
    assert_error(client.put(url, json={"plan_name": ""}, headers=coach.headers), 422, ["plan_name"])
    assert_error(client.put(url, json={"duration": "x" * 51}, headers=coach.headers), 422)


def test_update_keeps_completion_of_exercises_sent_with_their_id(client, app, squad):
    coach, player, *_ = squad
    created = create_plan(client, coach, player.player_id)
    plan_id = created["plan_id"]
    rondo, wall, _ = detail(client, coach, plan_id)["exercises"]
    done = toggle(client, player, rondo["exercise_id"], completed=True).get_json()
    toggle(client, player, wall["exercise_id"], completed=True)

    # Keep rondo (renamed, moved last), drop the others, add a new one with a foreign id.
    foreign_id = str(uuid.uuid4())
    response = client.put(
        f"{PLANS}/{plan_id}",
        json={
            "exercises": [
                exercise("Fresh drill", sets="2", exercise_id=foreign_id),
                exercise("Rondo 5v2", sets=5, exercise_id=rondo["exercise_id"]),
            ]
        },
        headers=coach.headers,
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    fresh, kept = body["exercises"]
    assert kept["exercise_id"] == rondo["exercise_id"]
    assert kept["exercise_name"] == "Rondo 5v2" and kept["sets"] == 5
    assert kept["completed"] is True and kept["completed_at"] == done["completed_at"]
    assert kept["exercise_order"] == 1
    assert fresh["exercise_id"] not in (foreign_id, wall["exercise_id"])
    assert fresh["completed"] is False and fresh["sets"] == 2 and fresh["exercise_order"] == 0
    assert body["plan"]["status"] == "in_progress"
    assert body["progress"] == {"percentage": 50, "completed_exercises": 1, "total_exercises": 2}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TrainingExercise)) == 2

    # Only the completed one left -> completed; an empty list -> pending.
    body = client.put(
        f"{PLANS}/{plan_id}",
        json={"exercises": [{"exercise_id": rondo["exercise_id"], "exercise_name": "Rondo"}]},
        headers=coach.headers,
    ).get_json()
    assert body["plan"]["status"] == "completed"
    body = client.put(f"{PLANS}/{plan_id}", json={"exercises": []}, headers=coach.headers)
    assert body.get_json()["plan"]["status"] == "pending"
    assert body.get_json()["exercises"] == []


def test_update_adding_exercises_reopens_a_completed_plan(client, squad):
    coach, player, *_ = squad
    created = create_plan(client, coach, player.player_id, exercises=[exercise("only")])
    only = detail(client, coach, created["plan_id"])["exercises"][0]
    toggle(client, player, only["exercise_id"])
    body = client.put(
        f"{PLANS}/{created['plan_id']}",
        json={"exercises": [{**only, "exercise_order": None}, exercise("new one")]},
        headers=coach.headers,
    ).get_json()
    assert body["plan"]["status"] == "in_progress"
    assert [e["completed"] for e in body["exercises"]] == [True, False]


def test_update_rejects_one_exercise_twice_and_bad_values(client, app, squad):
    coach, player, *_ = squad
    created = create_plan(client, coach, player.player_id)
    first = detail(client, coach, created["plan_id"])["exercises"][0]["exercise_id"]
    response = client.put(
        f"{PLANS}/{created['plan_id']}",
        json={"exercises": [exercise("a", exercise_id=first), exercise("b", exercise_id=first)]},
        headers=coach.headers,
    )
    assert_error(response, 422, ["exercises.1.exercise_id"])
    response = client.put(
        f"{PLANS}/{created['plan_id']}",
        json={"plan_name": "Changed", "exercises": [exercise(reps="ten")]},
        headers=coach.headers,
    )
    assert_error(response, 422, ["exercises.0.reps"])
    response = client.put(
        f"{PLANS}/{created['plan_id']}",
        json={"exercises": [exercise(exercise_id="nope")]},
        headers=coach.headers,
    )
    assert_error(response, 422, ["exercises.0.exercise_id"])
    shown = detail(client, coach, created["plan_id"])
    assert shown["plan"]["plan_name"] == "Passing week" and len(shown["exercises"]) == 3


def test_update_can_move_the_plan_to_another_player_of_the_club(client, app, squad):
    coach, player, _, other_player = squad
    teammate = add_player(app, coach.club_id, name="Team Mate", jersey=8)
    created = create_plan(client, coach, player.player_id)
    url = f"{PLANS}/{created['plan_id']}"
    body = client.put(url, json={"player_id": str(teammate.id)}, headers=coach.headers).get_json()
    assert body["plan"]["player_id"] == str(teammate.id)
    assert body["plan"]["player_name"] == "Team Mate" and body["plan"]["player_jersey"] == 8
    response = client.put(url, json={"player_id": other_player.player_id}, headers=coach.headers)
    assert_error(response, 404)
    assert detail(client, coach, created["plan_id"])["plan"]["player_id"] == str(teammate.id)


def test_delete_plan(client, app, squad):
    coach, player, *_ = squad
    created = create_plan(client, coach, player.player_id)
    keep = create_plan(client, coach, player.player_id, plan_name="Keep me")
    response = client.delete(f"{PLANS}/{created['plan_id']}", headers=coach.headers)
    assert response.status_code == 200
    assert response.get_json() == {"deleted": True, "plan_id": created["plan_id"]}
    assert_error(client.get(f"{PLANS}/{created['plan_id']}", headers=coach.headers), 404)
    assert_error(client.delete(f"{PLANS}/{created['plan_id']}", headers=coach.headers), 404)
    assert count_rows(app, TrainingPlan) == 1
    assert count_rows(app, TrainingExercise) == 3
    listed = client.get(PLAYER_PLANS, headers=player.headers).get_json()["training_plans"]
    assert [p["plan_id"] for p in listed] == [keep["plan_id"]]


def test_deleting_a_player_deletes_his_plans(client, app, squad):
    coach, player, *_ = squad
    create_plan(client, coach, player.player_id)
    with app.app_context():
        from spinta.models import Player

        db.session.delete(db.session.get(Player, uuid.UUID(player.player_id)))
        db.session.commit()
    assert count_rows(app, TrainingPlan) == 0
    assert count_rows(app, TrainingExercise) == 0


# ---------------------------------------------------------------- the player's list


def test_player_list_newest_first_and_paginated(client, squad):
    coach, player, _, other_player = squad
    names = [f"Plan {i}" for i in range(4)]
    created = [create_plan(client, coach, player.player_id, plan_name=n) for n in names]
    body = client.get(PLAYER_PLANS, headers=player.headers).get_json()
    assert body["total_count"] == 4
    assert [p["plan_name"] for p in body["training_plans"]] == names[::-1]
    first = body["training_plans"][0]
    assert set(first) == {"plan_id", "plan_name", "created_at", "status"}
    assert first["plan_id"] == created[-1]["plan_id"] and first["status"] == "pending"
    assert first["created_at"] == created[-1]["created_at"]
    page = client.get(f"{PLAYER_PLANS}?limit=2&offset=1", headers=player.headers).get_json()
    assert [p["plan_name"] for p in page["training_plans"]] == ["Plan 2", "Plan 1"]
    assert page["total_count"] == 4
    assert_error(client.get(f"{PLAYER_PLANS}?limit=0", headers=player.headers), 422, ["limit"])
    other = client.get(PLAYER_PLANS, headers=other_player.headers).get_json()
    assert other == {"total_count": 0, "training_plans": []}


# ---------------------------------------------------------------- ownership and roles


def test_coach_of_another_club_gets_404_everywhere(client, app, squad):
    coach, player, other_coach, other_player = squad
    created = create_plan(client, coach, player.player_id)
    url = f"{PLANS}/{created['plan_id']}"
    headers = other_coach.headers
    assert_error(client.get(url, headers=headers), 404)
    assert_error(client.put(url, json={"plan_name": "Mine now"}, headers=headers), 404)
    assert_error(client.delete(url, headers=headers), 404)
    response = client.post(
        PLANS, json={"player_id": player.player_id, "plan_name": "Sneaky"}, headers=headers
    )
    assert_error(response, 404)
    response = client.post(
        f"{PLANS}/generate-ai", json={"player_id": player.player_id}, headers=headers
    )
    assert_error(response, 404)
    # Nothing changed, nothing stored for the other club.
    shown = detail(client, coach, created["plan_id"])
    assert shown["plan"]["plan_name"] == "Passing week"
    assert count_rows(app, TrainingPlan) == 1
    # And the owner cannot reach the other club's player either.
    response = client.post(
        PLANS,
        json={"player_id": other_player.player_id, "plan_name": "x"},
        headers=coach.headers,
    )
    assert_error(response, 404)


def test_unknown_plan_or_player_is_404(client, squad):
    coach, *_ = squad
    unknown = uuid.uuid4()
    for method in ("get", "put", "delete"):
        response = getattr(client, method)(f"{PLANS}/{unknown}", json={}, headers=coach.headers)
        assert_error(response, 404)
    assert_error(client.get(f"{PLANS}/not-a-uuid", headers=coach.headers), 404)
    response = client.post(
        PLANS, json={"player_id": str(unknown), "plan_name": "x"}, headers=coach.headers
    )
    assert_error(response, 404)
    response = client.post(
        f"{PLANS}/generate-ai", json={"player_id": str(unknown)}, headers=coach.headers
    )
    assert_error(response, 404)


def test_another_player_gets_403(client, app, squad):
    coach, player, *_ = squad
    teammate = register_player(client, app, coach.club_id, name="Team Mate", jersey=8)
    created = create_plan(client, coach, player.player_id)
    exercise_id = detail(client, coach, created["plan_id"])["exercises"][0]["exercise_id"]
    for intruder in (teammate, squad[3]):
        response = client.get(f"{PLAYER_PLANS}/{created['plan_id']}", headers=intruder.headers)
        assert_error(response, 403)
        assert_error(toggle(client, intruder, exercise_id), 403)
    assert detail(client, coach, created["plan_id"])["exercises"][0]["completed"] is False
    assert_error(client.get(f"{PLAYER_PLANS}/{uuid.uuid4()}", headers=player.headers), 404)


def test_roles_are_enforced(client, squad):
    coach, player, *_ = squad
    created = create_plan(client, coach, player.player_id)
    plan_id = created["plan_id"]
    exercise_id = detail(client, coach, plan_id)["exercises"][0]["exercise_id"]
    coach_calls = [
        ("post", PLANS, {"player_id": player.player_id, "plan_name": "x"}),
        ("post", f"{PLANS}/generate-ai", {"player_id": player.player_id}),
        ("get", f"{PLANS}/{plan_id}", None),
        ("put", f"{PLANS}/{plan_id}", {"plan_name": "x"}),
        ("delete", f"{PLANS}/{plan_id}", None),
    ]
    player_calls = [
        ("get", PLAYER_PLANS, None),
        ("get", f"{PLAYER_PLANS}/{plan_id}", None),
        ("put", f"{PLAYER_PLANS}/exercises/{exercise_id}/toggle", {"completed": True}),
    ]
    for method, url, body in coach_calls:
        assert_error(getattr(client, method)(url, json=body, headers=player.headers), 403)
        assert_error(getattr(client, method)(url, json=body), 401)
    for method, url, body in player_calls:
        assert_error(getattr(client, method)(url, json=body, headers=coach.headers), 403)
        assert_error(getattr(client, method)(url, json=body), 401)
    shown = detail(client, coach, plan_id)
    assert shown["plan"]["plan_name"] == "Passing week"
    assert not shown["exercises"][0]["completed"]


# ---------------------------------------------------------------- suggested plans


def test_generate_plan_without_statistics_is_a_balanced_general_plan(client, squad):
    coach, player, *_ = squad
    response = client.post(
        f"{PLANS}/generate-ai", json={"player_id": player.player_id}, headers=coach.headers
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert {
        "player_name",
        "jersey_number",
        "plan_name",
        "duration",
        "focus_areas",
        "exercises",
    } <= set(body)
    assert body["player_name"] == "Home Player" and body["jersey_number"] == 7
    assert body["plan_name"] == "Balanced Development Plan"
    assert len(body["focus_areas"]) >= 3
    assert all("no match statistics yet" in f for f in body["focus_areas"])
    library = {e.id: e for e in load_library().exercises}
    assert body["exercises"]
    for item in body["exercises"]:
        assert {"exercise_name", "description", "sets", "reps", "duration_minutes"} <= set(item)
        source = library[item["library_id"]]
        assert (item["exercise_name"], item["description"]) == (source.name, source.description)
        assert (item["sets"], item["reps"], item["duration_minutes"]) == (
            source.sets,
            source.reps,
            source.duration_minutes,
        )
    # Deterministic, and nothing is saved.
    again = client.post(
        f"{PLANS}/generate-ai", json={"player_id": player.player_id}, headers=coach.headers
    )
    assert again.get_json() == body
    assert client.get(PLAYER_PLANS, headers=player.headers).get_json()["total_count"] == 0


def test_generate_plan_uses_the_club_age_group_and_position(client, app):
    coach = register_coach(client, age_group="U8")
    keeper = add_player(app, coach.club_id, name="Little Keeper", jersey=1, position="Goalkeeper")
    body = client.post(
        f"{PLANS}/generate-ai", json={"player_id": str(keeper.id)}, headers=coach.headers
    ).get_json()
    assert body["age_group"] == "U8"
    assert body["focus_areas"][0].startswith("Goalkeeping")
    library = {e.id: e for e in load_library().exercises}
    assert all("U8" in library[e["library_id"]].age_groups for e in body["exercises"])
    assert any(e["area"] == "goalkeeping" for e in body["exercises"])


def test_generate_plan_validates_its_body(client, squad):
    coach, *_ = squad
    response = client.post(f"{PLANS}/generate-ai", json={}, headers=coach.headers)
    assert_error(response, 422, ["player_id"])


# ---------------------------------------------------------------- concurrency


def test_concurrent_toggles_leave_a_consistent_status(client, app, squad):
    """Every exercise of one plan toggled at once: the plan must end up completed.

    Without the plan lock two toggles could each count only their own exercise and the last
    commit would leave the plan in_progress with every exercise done.
    """
    coach, player, *_ = squad
    size = 6
    created = create_plan(
        client, coach, player.player_id, exercises=[exercise(f"E{i}") for i in range(size)]
    )
    ids = [e["exercise_id"] for e in detail(client, coach, created["plan_id"])["exercises"]]
    barrier = threading.Barrier(size)
    results: list[tuple[int, dict]] = []

    def tick(exercise_id):
        with app.test_client() as own_client:
            barrier.wait()
            response = own_client.put(
                f"{PLAYER_PLANS}/exercises/{exercise_id}/toggle",
                json={"completed": True},
                headers=player.headers,
            )
            results.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=tick, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [200] * size, results
    # Serialized: the counts the toggles saw are 1..size, each exactly once.
    seen = sorted(body["plan_progress"]["completed_exercises"] for _, body in results)
    assert seen == list(range(1, size + 1))
    shown = detail(client, coach, created["plan_id"])
    assert shown["plan"]["status"] == "completed"
    assert shown["progress"]["completed_exercises"] == size


def test_toggle_locks_the_plan_before_reading_exercises(client, app, squad):
    coach, player, *_ = squad
    created = create_plan(client, coach, player.player_id, exercises=[exercise()])
    exercise_id = detail(client, coach, created["plan_id"])["exercises"][0]["exercise_id"]
    with recorded_statements(app) as sent:
        assert toggle(client, player, exercise_id).status_code == 200
    statements = [" ".join(statement.split()).upper() for statement in sent]
    lock = next(i for i, s in enumerate(statements) if s.startswith("UPDATE TRAINING_PLANS"))
    exercise_reads = [
        i for i, s in enumerate(statements) if s.startswith("SELECT") and "TRAINING_EXERCISES." in s
    ]
    # Only the ownership look-up (plan id and player id, no completion state) precedes the lock.
    assert [i for i in exercise_reads if i > lock]
    assert all("COMPLETED" not in statements[i] for i in exercise_reads if i < lock)


def test_generated_plans_follow_the_stored_season_statistics(client, app):
    """With real uploaded matches the plan is tailored: numbers in the focus areas, and a
    centre-back and a forward of the same squad get different focus areas."""
    import io

    from sqlalchemy import select

    from spinta.models import Player, PlayerSeasonStatistics
    from tests.conftest import statsbomb_file

    coach = register_coach(client, club_name="Argentina", age_group="U18")
    for name, day in (
        ("argentina-mexico-2022-11-26.json", "2022-11-26"),
        ("argentina-croatia-2022-12-13.json", "2022-12-13"),
    ):
        raw = statsbomb_file(name).read_bytes()
        response = client.post(
            "/api/coach/matches",
            headers=coach.headers,
            data={"match_date": day, "events_file": (io.BytesIO(raw), "e.json")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 201
    with app.app_context():
        rated = db.session.execute(
            select(Player.id, Player.position, PlayerSeasonStatistics.pass_completion_rate)
            .join(PlayerSeasonStatistics, PlayerSeasonStatistics.player_id == Player.id)
            .where(PlayerSeasonStatistics.minutes_played >= 90)
        ).all()
    by_position = {row.position: row for row in rated}
    defender = next(r for p, r in by_position.items() if p and "Center Back" in p)
    forward = next(r for p, r in by_position.items() if p and "Forward" in p)
    plans = {}
    for label, row in (("defender", defender), ("forward", forward)):
        response = client.post(
            f"{PLANS}/generate-ai", json={"player_id": str(row.id)}, headers=coach.headers
        )
        assert response.status_code == 200
        plans[label] = response.get_json()
    assert plans["defender"]["focus_areas"] != plans["forward"]["focus_areas"]
    for plan in plans.values():
        assert "general" not in plan["plan_name"].lower()
        # Each focus area is explained with the player's own numbers.
        assert all(any(ch.isdigit() for ch in area) for area in plan["focus_areas"])
