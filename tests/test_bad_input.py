"""A bad-input corpus for every write endpoint (POST/PUT/DELETE), generated from the route table.

Every write endpoint needs a CORPUS entry: a valid request built from the seeded world and the
type of each field. From it the suite derives, each as its own test id:

- wrong types for every field (numbers for strings, strings for numbers, lists/objects where
  scalars are expected, booleans) and every missing required field -> 422 naming the field;
- huge strings (100k characters) and NUL characters -> 422 naming the field;
- unicode (emoji, RTL, combining marks), SQL and script injection: free text is stored as plain
  text and read back unchanged; constrained fields answer a clean 4xx;
- extra fields are ignored (the request behaves as without them, no mass assignment);
- bodies that are not JSON, not an object, sent as text/plain or as a form, or over the upload
  limit (a second app with MAX_UPLOAD_MB=1) -> 400 / 4xx / 413;
- text that is not UTF-8: a lone surrogate escape ("\\ud800") in any string field, nested or
  not, in an ignored extra field or in a key -> 400 "not valid UTF-8 text" (the whole body is
  refused, whatever the field: spinta.json); a surrogate *pair* is its character, stored and
  read back;
- nesting: 32 levels are read, 33 or 1,000 or 5,000 -> 400 "nested more than 32 levels";
- values that grow when normalised (an email of 205 "İ..." is 405 characters lower-cased, an
  invite code of "ß" doubles upper-cased) -> 422 naming the field;
- bodies over their limit, with or without Content-Length (chunked) -> 413 naming the limit;
  multipart forms with too many parts or a text field over 1 MB -> 413 naming that limit;
- events files (multipart and JSON) with a lone surrogate, too deep, far denser than a match
  or with more than MAX_EVENTS events -> 400 / 400 / 413 / 422;
- garbage in path parameters -> 404.

Every error answer follows the contract (string detail == message; 422 names the field in
``errors``), nothing is ever a 5xx, and a rejected request changes no row of any table.
"""

from __future__ import annotations

import io
import tracemalloc
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from spinta.extensions import db
from spinta.models import (
    Club,
    Event,
    Match,
    Player,
    Team,
    TrainingExercise,
    TrainingPlan,
    User,
)
from tests.conftest import statsbomb_file
from tests.factories import PASSWORD, register_coach
from tests.world import (
    World,
    assert_contract,
    assert_unchanged,
    seeded_world,
    snapshot,
    spare_app,
    tiny_match,
    url,
    write_routes,
)

HUGE = "x" * 100_000
NUL = "before\x00after"
# Values free text must store and return unchanged; constrained fields must refuse cleanly.
CONTENT = {
    "emoji": "Gol ⚽🏆 Ñandú 👩‍👩‍👧",
    "rtl": "\u0645\u0631\u062d\u0628\u0627 \u202e\u0628\u0627\u0644\u0639\u0627\u0644\u0645",
    "combining": "Ze\u0301ro Z\u0336a\u0337l\u0338g\u0335o",
    "sql_drop": "'; DROP TABLE users; --",
    "sql_or": "1 OR 1=1",
    "script": "<script>alert(1)</script>",
}
STRING_WRONG = {"int": 42, "float": 4.5, "bool": True, "list": ["x"], "object": {"a": "b"}}
WRONG: dict[str, dict[str, Any]] = {
    "text": STRING_WRONG,
    "secret": STRING_WRONG,
    "credential": STRING_WRONG,
    "code": STRING_WRONG,
    "email": STRING_WRONG,
    "url": STRING_WRONG,
    "choice": STRING_WRONG,
    "date": {**STRING_WRONG, "us_format": "02/01/2024", "impossible": "2024-02-30"},
    "uuid": {**STRING_WRONG, "not_uuid": "not-a-uuid", "sql": "1 OR 1=1"},
    "int": {
        "string": "abc",
        "bool": True,
        "list": [1],
        "object": {},
        "negative": -1,
        "fraction": 1.5,
    },
    "count": {
        "string": "abc",
        "bool": True,
        "list": [3],
        "object": {},
        "fraction": 2.5,
        "negative": -1,
        "huge": 10**12,
    },
    "number": {
        "string": "abc",
        "bool": True,
        "list": [3],
        "object": {},
        "negative": -1,
        "huge": 10**12,
    },
    "bool": {"string": "maybe", "int": 42, "list": [True], "object": {}},
    "list": {"string": "abc", "int": 42, "bool": True, "object": {"x": 1}, "not_objects": [1]},
    "object": {"string": "abc", "int": 42, "bool": True, "list": []},
    "events": {"object": {"events": []}, "string": "abc", "int": 42, "bool": True, "null": None},
}
STRING_KINDS = {"text", "secret", "credential", "code", "email", "url", "choice", "date", "uuid"}
# Values that grow when normalised: lower-cased ("İ" -> "i̇", two characters), upper-cased
# ("ß" -> "SS"). Typed, each is within the field's limit; normalised, it is over it.
GROWS_WHEN_NORMALISED = {"email": "İ" * 200 + "@x.io", "code": "ß" * 30}
NOT_UTF8 = "not valid UTF-8 text"
TOO_DEEP = "nested more than 32 levels deep"
# Escapes written into the JSON text as is (orjson would not write a lone surrogate).
LONE_SURROGATES = {"lone_surrogate": b"\\ud800", "lone_low_surrogate": b"x\\udfffy"}
SURROGATE_PAIR = (b"Gol \\ud83d\\ude00", "Gol \U0001f600")
# What a constrained string answers when its content is not acceptable.
CONTENT_STATUS = {"credential": 401, "code": 404}


@dataclass(frozen=True)
class Field:
    kind: str
    required: bool = False


@dataclass(frozen=True)
class Spec:
    who: str | None  # World attribute of the caller (None: public endpoint)
    params: Callable[[World], dict[str, Any]] = lambda w: {}
    body: Callable[[World], dict[str, Any]] | None = None  # a valid JSON body
    fields: dict[str, Field] = field(default_factory=dict)
    ok: int = 200
    # Read the stored value of each free-text field back through the API after a success.
    read: Callable[[Any, World, Any, dict], dict[str, Any]] | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    # Invariants of a success that extra fields must not break.
    check: Callable[[Any, Any, World, Any], None] | None = None


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# ---------------------------------------------------------------- per-endpoint readers / checks


def read_coach_profile(client, w, response, body):
    token = response.get_json()["token"]
    profile = client.get("/api/coach/profile", headers=_headers(token)).get_json()
    return {
        "full_name": profile["coach"]["full_name"],
        "gender": profile["coach"]["gender"],
        "club.club_name": profile["club"]["club_name"],
        "club.country": profile["club"]["country"],
        "club.stadium": profile["club"]["stadium"],
    }


def check_coach_registration(client, app, w, response):
    user = response.get_json()["user"]
    assert user["user_type"] == "coach"
    with app.app_context():
        stored = db.session.get(User, uuid.UUID(user["user_id"]))
        assert (stored.user_type, stored.token_version) == ("coach", 0)
        club = db.session.get(Club, uuid.UUID(user["club"]["club_id"]))
        assert club.external_id is None and club.coach.user_id == stored.id
        db.session.remove()


def read_player_profile(client, w, response, body):
    token = response.get_json()["token"]
    profile = client.get("/api/player/profile", headers=_headers(token)).get_json()
    return {"player_name": profile["player"]["player_name"]}


def check_player_registration(client, app, w, response):
    user = response.get_json()["user"]
    assert user["user_type"] == "player"
    assert user["club"]["club_id"] == w.coach_a.club_id
    with app.app_context():
        stored = db.session.get(User, uuid.UUID(user["user_id"]))
        assert (stored.user_type, stored.token_version) == ("player", 0)
        assert stored.player.club_id == uuid.UUID(w.coach_a.club_id)
        assert stored.player.jersey_number != 99
        db.session.remove()


def login_works(client, email: str, password: str) -> bool:
    response = client.post("/api/auth/login", json={"email": email, "password": password})
    return response.status_code == 200


def check_login(client, app, w, response):
    assert response.get_json()["user"]["user_type"] == "coach"


def check_password_change(client, app, w, response):
    assert login_works(client, w.coach_b.email, PASSWORD)  # another account is untouched
    with app.app_context():
        stored = db.session.get(User, uuid.UUID(w.coach_a.user_id))
        assert stored.email == w.coach_a.email and stored.token_version == 1
        db.session.remove()


def read_chat(client, w, response, body):
    session_id = response.get_json()["session_id"]
    history = client.get(
        f"/api/chat/sessions/{session_id}/messages", headers=w.coach_a.headers
    ).get_json()
    return {"message": history["messages"][-2]["message"]}


def check_chat(client, app, w, response):
    session_id = response.get_json()["session_id"]
    mine = client.get(f"/api/chat/sessions/{session_id}/messages", headers=w.coach_a.headers)
    assert mine.status_code == 200
    theirs = client.get(f"/api/chat/sessions/{session_id}/messages", headers=w.coach_b.headers)
    assert theirs.status_code == 404


def read_match(client, w, response, body):
    match_id = response.get_json()["match_id"]
    listing = client.get("/api/coach/matches", headers=w.coach_a.headers).get_json()
    match = next(m for m in listing["matches"] if m["match_id"] == match_id)
    return {"opponent_name": match["opponent_name"]}


def check_match(client, app, w, response):
    with app.app_context():
        match = db.session.get(Match, uuid.UUID(response.get_json()["match_id"]))
        assert match.club_id == uuid.UUID(w.coach_a.club_id)
        assert match.source_fingerprint != "forged"
        db.session.remove()


def read_plan(client, w, response, body):
    plan_id = response.get_json().get("plan_id") or response.get_json()["plan"]["plan_id"]
    detail = client.get(f"/api/coach/training-plans/{plan_id}", headers=w.coach_a.headers)
    detail = detail.get_json()
    values = {
        "plan_name": detail["plan"]["plan_name"],
        "duration": detail["plan"]["duration"],
        "coach_notes": detail["coach_notes"],
    }
    if detail["exercises"]:
        first = detail["exercises"][0]
        values["exercises.0.exercise_name"] = first["exercise_name"]
        values["exercises.0.description"] = first["description"]
    return values


def check_plan(client, app, w, response):
    body = response.get_json()
    plan_id = body.get("plan_id") or body["plan"]["plan_id"]
    with app.app_context():
        plan = db.session.get(TrainingPlan, uuid.UUID(plan_id))
        assert plan.status == "pending"
        assert plan.created_by is not None
        assert plan.player.club_id == uuid.UUID(w.coach_a.club_id)
        assert not any(e.completed for e in plan.exercises)
        other = db.session.get(TrainingPlan, uuid.UUID(w.plan_b1))
        assert other.plan_name == "Bravo plan"
        db.session.remove()


def read_squad_player(client, w, response, body):
    detail = client.get(f"/api/coach/players/{w.a1.player_id}", headers=w.coach_a.headers)
    return {"player_name": detail.get_json()["player"]["player_name"]}


def check_squad_player(client, app, w, response):
    with app.app_context():
        player = db.session.get(Player, uuid.UUID(w.a1.player_id))
        assert player.is_linked and player.club_id == uuid.UUID(w.coach_a.club_id)
        assert player.invite_code != "X-1"
        db.session.remove()


def check_toggle(client, app, w, response):
    body = response.get_json()
    assert body["completed"] is True and not body["completed_at"].startswith("2000")
    with app.app_context():
        other = db.session.get(TrainingExercise, uuid.UUID(w.exercises_b1[0]))
        assert other.completed is False
        db.session.remove()


def read_team(client, w, response, body):
    teams = client.get("/api/coach/teams", headers=w.coach_a.headers).get_json()["teams"]
    team = next(t for t in teams if t["team_id"] == response.get_json()["team_id"])
    return {"name": team["name"]}


def check_team(client, app, w, response):
    body = response.get_json()
    assert body["team_id"] != w.team_a and body["is_default"] is False
    assert body["match_count"] == 0
    with app.app_context():
        team = db.session.get(Team, uuid.UUID(body["team_id"]))
        assert team.club_id == uuid.UUID(w.coach_a.club_id)
        db.session.remove()


def read_season(client, w, response, body):
    seasons = client.get("/api/coach/seasons", headers=w.coach_a.headers).get_json()["seasons"]
    season = next(s for s in seasons if s["season_id"] == response.get_json()["season_id"])
    return {"name": season["name"]}


def read_club(client, w, response, body):
    club = client.get("/api/coach/club", headers=w.coach_a.headers).get_json()
    return {"club_name": club["club_name"], "country": club["country"]}


def check_club(client, app, w, response):
    assert response.get_json()["club_id"] == w.coach_a.club_id
    with app.app_context():
        club = db.session.get(Club, uuid.UUID(w.coach_a.club_id))
        assert str(club.data_version) != "x" and str(club.coach.user_id) == w.coach_a.user_id
        db.session.remove()


# ---------------------------------------------------------------- the corpus

EXERCISE_FIELDS = {
    "exercises": Field("list"),
    "exercises.0": Field("object"),
    "exercises.0.exercise_name": Field("text", required=True),
    "exercises.0.description": Field("text"),
    "exercises.0.sets": Field("count"),
    "exercises.0.reps": Field("count"),
    "exercises.0.duration_minutes": Field("count"),
    "exercises.0.exercise_order": Field("count"),
}
UPLOAD_FIELDS = {
    "match_date": Field("date", required=True),
    "opponent_name": Field("text"),
    "our_score": Field("int"),
    "opponent_score": Field("int"),
    "opponent_logo_url": Field("url"),
}


def unused_code(w: World) -> str:
    return next(p["invite_code"] for p in w.squad_a if p["jersey_number"] == 7)


CORPUS: dict[str, Spec] = {
    "auth.register_coach": Spec(
        who=None,
        body=lambda w: {
            "email": "gamma@example.com",
            "password": PASSWORD,
            "full_name": "Gamma Coach",
            "birth_date": "1980-01-02",
            "gender": "female",
            "club": {
                "club_name": "Gamma FC",
                "country": "Spain",
                "age_group": "U16",
                "stadium": "Gamma Park",
                "logo_url": "https://example.com/logo.png",
            },
        },
        fields={
            "email": Field("email", required=True),
            "password": Field("secret", required=True),
            "full_name": Field("text", required=True),
            "birth_date": Field("date"),
            "gender": Field("text"),
            "club": Field("object", required=True),
            "club.club_name": Field("text", required=True),
            "club.country": Field("text"),
            "club.age_group": Field("choice"),
            "club.stadium": Field("text"),
            "club.logo_url": Field("url"),
        },
        ok=201,
        read=read_coach_profile,
        extras={
            "user_type": "player",
            "token_version": 7,
            "is_admin": True,
            "club": {"statsbomb_team_id": 1, "coach_id": str(uuid.uuid4())},
        },
        check=check_coach_registration,
    ),
    "auth.login": Spec(
        who=None,
        body=lambda w: {"email": w.coach_a.email, "password": PASSWORD},
        fields={"email": Field("credential", True), "password": Field("credential", True)},
        extras={"user_type": "player", "remember_me": True},
        check=check_login,
    ),
    "auth.verify_invite": Spec(
        who=None,
        body=lambda w: {"invite_code": unused_code(w)},
        fields={"invite_code": Field("code", required=True)},
        extras={"player_id": str(uuid.uuid4()), "club_id": str(uuid.uuid4())},
    ),
    "auth.register_player": Spec(
        who=None,
        body=lambda w: {
            "invite_code": unused_code(w),
            "player_name": "Gamma Kid",
            "email": "gamma-kid@example.com",
            "password": PASSWORD,
            "birth_date": "2011-02-03",
            "height": 150,
            "profile_image_url": "https://example.com/me.png",
        },
        fields={
            "invite_code": Field("code", required=True),
            "player_name": Field("text", required=True),
            "email": Field("email", required=True),
            "password": Field("secret", required=True),
            "birth_date": Field("date", required=True),
            "height": Field("int", required=True),
            "profile_image_url": Field("url"),
        },
        ok=201,
        read=read_player_profile,
        extras={"user_type": "coach", "club_id": str(uuid.uuid4()), "jersey_number": 99},
        check=check_player_registration,
    ),
    "auth.change_password": Spec(
        who="coach_a",
        body=lambda w: {"current_password": PASSWORD, "new_password": "new-password-1"},
        fields={
            "current_password": Field("credential", required=True),
            "new_password": Field("secret", required=True),
        },
        extras={"user_id": str(uuid.uuid4()), "email": "someone@example.com"},
        check=check_password_change,
    ),
    "chat.ask": Spec(
        who="coach_a",
        body=lambda w: {"message": "Who are the top scorers?"},
        fields={"message": Field("text", required=True), "session_id": Field("uuid")},
        read=read_chat,
        extras={"coach_id": str(uuid.uuid4()), "role": "assistant", "club_id": str(uuid.uuid4())},
        check=check_chat,
    ),
    "chat.delete_session": Spec(who="coach_a", params=lambda w: {"session_id": w.session_a}),
    "auth.logout": Spec(who="coach_a"),
    "coach.reissue_invite_code": Spec(
        who="coach_a",
        params=lambda w: {
            "player_id": next(p["player_id"] for p in w.squad_a if p["player_id"] != w.a1.player_id)
        },
        ok=201,
    ),
    "coach.upload_match": Spec(
        who="coach_a",
        body=lambda w: {
            "match_date": "2024-05-05",
            "opponent_name": "Delta Rovers",
            "our_score": 1,
            "opponent_score": 0,
            "opponent_logo_url": "https://example.com/o.png",
            "statsbomb_events": tiny_match(variant=3),
        },
        fields={**UPLOAD_FIELDS, "statsbomb_events": Field("events", required=True)},
        ok=201,
        read=read_match,
        extras={"club_id": str(uuid.uuid4()), "result": "L", "source_fingerprint": "forged"},
        check=check_match,
    ),
    "coach.delete_match": Spec(who="coach_a", params=lambda w: {"match_id": w.match_a}),
    "coach.issue_staff_invite": Spec(
        who="coach_a",
        body=lambda w: {
            "role": "coach",
            "team_ids": [w.team_a],
            "email": "gamma-staff@example.com",
        },
        fields={
            "role": Field("choice", required=True),
            "team_ids": Field("list"),
            "team_ids.0": Field("uuid"),
            "email": Field("email"),
        },
        ok=201,
        extras={"club_id": str(uuid.uuid4()), "used_at": "2020-01-01T00:00:00Z"},
    ),
    "coach.remove_staff": Spec(who="coach_a", params=lambda w: {"coach_id": w.coach_reserves_id}),
    "coach_training.create_plan": Spec(
        who="coach_a",
        body=lambda w: {
            "player_id": w.a2.player_id,
            "plan_name": "Gamma plan",
            "duration": "1 week",
            "coach_notes": "Keep it light",
            "exercises": [
                {
                    "exercise_name": "Cone weave",
                    "description": "Weave through cones",
                    "sets": 3,
                    "reps": "12",
                    "duration_minutes": "",
                    "exercise_order": 0,
                }
            ],
        },
        fields={
            "player_id": Field("uuid", required=True),
            "plan_name": Field("text", required=True),
            "duration": Field("text"),
            "coach_notes": Field("text"),
            **EXERCISE_FIELDS,
        },
        ok=201,
        read=read_plan,
        extras={
            "status": "completed",
            "created_by": str(uuid.uuid4()),
            "plan_id": str(uuid.uuid4()),
            "club_id": str(uuid.uuid4()),
        },
        check=check_plan,
    ),
    "coach_training.generate_plan": Spec(
        who="coach_a",
        body=lambda w: {"player_id": w.a1.player_id},
        fields={"player_id": Field("uuid", required=True)},
        extras={"club_id": str(uuid.uuid4()), "age_group": "U6"},
    ),
    "coach_training.update_plan": Spec(
        who="coach_a",
        params=lambda w: {"plan_id": w.plan_a1},
        body=lambda w: {
            "plan_name": "Renamed plan",
            "duration": "3 weeks",
            "coach_notes": "New notes",
            "exercises": [
                {
                    "exercise_id": w.exercises_a1[0],
                    "exercise_name": "Alpha rondo v2",
                    "description": "Tighter",
                    "sets": "4",
                }
            ],
        },
        fields={
            "player_id": Field("uuid"),
            "plan_name": Field("text"),
            "duration": Field("text"),
            "coach_notes": Field("text"),
            **EXERCISE_FIELDS,
            "exercises.0.exercise_id": Field("uuid"),
        },
        read=read_plan,
        extras={"status": "completed", "created_by": str(uuid.uuid4()), "club_id": "x"},
        check=check_plan,
    ),
    "coach.update_player": Spec(
        who="coach_a",
        params=lambda w: {"player_id": w.a1.player_id},
        body=lambda w: {
            "player_name": "Alpha Renamed",
            "jersey_number": 42,
            "position": "Center Forward",
        },
        fields={
            "player_name": Field("text"),
            "jersey_number": Field("int"),
            "position": Field("choice"),
        },
        read=read_squad_player,
        extras={"is_linked": False, "invite_code": "X-1", "club_id": str(uuid.uuid4())},
        check=check_squad_player,
    ),
    "coach_training.delete_plan": Spec(who="coach_a", params=lambda w: {"plan_id": w.plan_a1}),
    # ------------------------------------------------ teams, squads, seasons, club
    "coach_teams.create_team": Spec(
        who="coach_a",
        body=lambda w: {"name": "Alpha U10", "age_group": "U10", "format": "7v7"},
        fields={
            "name": Field("text", required=True),
            "age_group": Field("choice"),
            "format": Field("choice"),
        },
        ok=201,
        read=read_team,
        extras={"team_id": str(uuid.uuid4()), "club_id": str(uuid.uuid4()), "is_default": True},
        check=check_team,
    ),
    "coach_teams.update_team": Spec(
        who="coach_a",
        params=lambda w: {"team_id": w.spare_team_a},
        body=lambda w: {"name": "Alpha U12", "age_group": "U12", "format": "9v9"},
        fields={"name": Field("text"), "age_group": Field("choice"), "format": Field("choice")},
        read=read_team,
        extras={"club_id": str(uuid.uuid4()), "is_default": True, "match_count": 9},
        check=check_team,
    ),
    "coach_teams.delete_team": Spec(who="coach_a", params=lambda w: {"team_id": w.spare_team_a}),
    "coach_teams.replace_squad": Spec(
        who="coach_a",
        params=lambda w: {"team_id": w.spare_team_a},
        body=lambda w: {"player_ids": [w.a1.player_id]},
        fields={"player_ids": Field("list", required=True), "player_ids.0": Field("uuid")},
        extras={"team_id": str(uuid.uuid4()), "season_id": str(uuid.uuid4())},
    ),
    "coach_teams.create_season": Spec(
        who="coach_a",
        body=lambda w: {"name": "2030/31", "start_date": "2030-08-01", "end_date": "2031-07-31"},
        fields={
            "name": Field("text", required=True),
            "start_date": Field("date", required=True),
            "end_date": Field("date", required=True),
        },
        ok=201,
        read=read_season,
        extras={"season_id": str(uuid.uuid4()), "club_id": str(uuid.uuid4()), "match_count": 9},
    ),
    "coach_teams.update_season": Spec(
        who="coach_a",
        params=lambda w: {"season_id": w.season_a},
        body=lambda w: {"name": "Spring", "start_date": "2023-08-01", "end_date": "2024-07-31"},
        fields={"name": Field("text"), "start_date": Field("date"), "end_date": Field("date")},
        read=read_season,
        extras={"club_id": str(uuid.uuid4()), "season_id": str(uuid.uuid4())},
    ),
    "coach_teams.rollover": Spec(
        who="coach_a",
        params=lambda w: {"season_id": w.season_a},
        body=lambda w: {
            "team_id": w.team_a,
            "to_season_id": w.season_a,
            "promote_to_team_id": w.spare_team_a,
        },
        fields={
            "team_id": Field("uuid", required=True),
            "to_season_id": Field("uuid", required=True),
            "promote_to_team_id": Field("uuid"),
        },
        extras={"club_id": str(uuid.uuid4()), "player_ids": [str(uuid.uuid4())]},
    ),
    "coach_teams.update_club": Spec(
        who="coach_a",
        body=lambda w: {
            "club_name": "Home FC",
            "logo_url": "https://example.com/club.png",
            "country": "Spain",
            "season_start": "07-01",
            "min_playing_share": 0.6,
        },
        fields={
            "club_name": Field("text"),
            "logo_url": Field("url"),
            "country": Field("text"),
            "season_start": Field("choice"),
            "min_playing_share": Field("number"),
        },
        read=read_club,
        extras={"club_id": str(uuid.uuid4()), "coach_id": str(uuid.uuid4()), "data_version": "x"},
        check=check_club,
    ),
    "development.create_goal": Spec(
        who="coach_a",
        params=lambda w: {"player_id": w.a1.player_id},
        body=lambda w: {
            "metric": "progressive_passes",
            "target_per90": 8.5,
            "due_date": "2027-03-01",
        },
        fields={
            "metric": Field("choice", required=True),
            "target_per90": Field("number", required=True),
            "due_date": Field("date", required=True),
        },
        ok=201,
        extras={"goal_id": str(uuid.uuid4()), "achieved": True, "player_id": str(uuid.uuid4())},
    ),
    "player_training.toggle_exercise": Spec(
        who="a1",
        params=lambda w: {"exercise_id": w.exercises_a1[0]},
        body=lambda w: {"completed": True},
        fields={"completed": Field("bool")},
        extras={"completed_at": "2000-01-01T00:00:00+00:00", "plan_id": str(uuid.uuid4())},
        check=check_toggle,
    ),
    # ------------------------------------------------ children's data
    "auth.register_guardian": Spec(
        who=None,
        body=lambda w: {
            "invite_code": w.guardian_code_unused,
            "email": "gamma-parent@example.com",
            "password": PASSWORD,
            "full_name": "Gamma Parent",
        },
        fields={
            "invite_code": Field("code", required=True),
            "email": Field("email", required=True),
            "password": Field("secret", required=True),
            "full_name": Field("text", required=True),
        },
        ok=201,
        extras={"user_type": "coach", "player_id": str(uuid.uuid4())},
    ),
    "coach_privacy.add_guardian": Spec(
        who="coach_a",
        params=lambda w: {"player_id": w.a1.player_id},
        body=lambda w: {
            "full_name": "Gamma Parent",
            "email": "gamma-parent@example.com",
            "relation": "father",
            "is_primary": True,
        },
        fields={
            "full_name": Field("text", required=True),
            "email": Field("email", required=True),
            "relation": Field("text", required=True),
            "is_primary": Field("bool"),
        },
        ok=201,
        extras={"user_id": str(uuid.uuid4()), "invite_code": "GUA-0000", "player_id": "x"},
    ),
    "coach_privacy.delete_guardian": Spec(
        who="coach_a",
        params=lambda w: {"player_id": w.a1.player_id, "guardian_id": w.guardian_a1_id},
    ),
    "coach_privacy.record_consent": Spec(
        who="coach_a",
        params=lambda w: {"player_id": w.a1.player_id},
        body=lambda w: {
            "purpose": "statistics",
            "given_by": w.guardian_a1_id,
            "method": "link",
            "text_version": "2026-02",
        },
        fields={
            "purpose": Field("choice", required=True),
            "given_by": Field("choice", required=True),
            "method": Field("choice", required=True),
            "text_version": Field("text", required=True),
        },
        ok=201,
        extras={"given_at": "2000-01-01T00:00:00+00:00", "withdrawn_at": "x", "player_id": "x"},
    ),
    "coach_privacy.withdraw_consent": Spec(
        who="coach_a", params=lambda w: {"player_id": w.a1.player_id, "purpose": "assistant"}
    ),
    "coach_privacy.request_erasure": Spec(
        who="coach_a", params=lambda w: {"player_id": w.a1.player_id}, ok=202
    ),
    "coach_privacy.remove_player": Spec(
        who="coach_a", params=lambda w: {"player_id": w.a1.player_id}
    ),
    "player_privacy.own_erasure_request": Spec(who="a1", ok=202),
    "guardian.child_withdraw_consent": Spec(
        who="g_a1", params=lambda w: {"player_id": w.a1.player_id, "purpose": "assistant"}
    ),
    "guardian.child_erasure_request": Spec(
        who="g_a1", params=lambda w: {"player_id": w.a1.player_id}, ok=202
    ),
}

# ---------------------------------------------------------------- generating the cases


@dataclass(frozen=True)
class Mutation:
    name: str
    # The expected status (or statuses) and the field a 422 must name.
    expect: int | set[int]
    field: str | None = None
    apply: Callable[[dict], Any] | None = None  # JSON body -> JSON body
    raw: Callable[[dict], dict] | None = None  # JSON body -> client.open kwargs
    secret: str | None = None  # a password to log in with afterwards
    path: str | None = None  # replacement of the last path parameter
    sentence: str | None = None  # a part of the error sentence the answer must hold
    # (field path, JSON escape written into the body as is, the value it decodes to)
    escape: tuple[str, bytes, Any] | None = None


_MISSING = object()


def _set(body: Any, path: str, value: Any) -> Any:
    body = orjson.loads(orjson.dumps(body))
    *parents, last = path.split(".")
    node = body
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if value is _MISSING:
        del node[key]
    else:
        node[key] = value
    return body


def _merge_extras(body: dict, extras: dict) -> dict:
    merged = orjson.loads(orjson.dumps(body))
    for key, value in extras.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _json(data: bytes, content_type: str = "application/json") -> dict:
    return {"data": data, "content_type": content_type}


def _form(body: dict) -> dict:
    flat = {k: str(v) for k, v in body.items() if isinstance(v, str | int | bool)}
    flat = flat or {k: str(v) for k, v in body.items()}  # a body of lists only is no empty form
    return {"data": flat, "content_type": "application/x-www-form-urlencoded"}


PATH_GARBAGE = {
    "not_uuid": "not-a-uuid",
    "sql_drop": "'; DROP TABLE users; --",
    "sql_or": "1 OR 1=1",
    "script": "<script>alert(1)</script>",
    "emoji": "⚽🏆",
    "nul": "\x00",
    "huge": "9" * 5000,
    "unknown_uuid": str(uuid.UUID(int=12345)),
}


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def _with_json(body: dict, path: str, value: bytes) -> bytes:
    """The JSON text of ``body`` with the value at ``path`` written as the JSON text ``value``
    (which orjson would not write: a lone surrogate, 1,000 levels)."""
    return orjson.dumps(_set(body, path, _PLACEHOLDER)).replace(orjson.dumps(_PLACEHOLDER), value)


def _with_escape(body: dict, path: str, escape: bytes) -> bytes:
    """The JSON text of ``body`` with the string at ``path`` holding a raw escape."""
    return _with_json(body, path, b'"' + escape + b'"')


def _deep_json(depth: int) -> bytes:
    return b"[" * depth + b'"x"' + b"]" * depth


_PLACEHOLDER = "@@escape@@"


def mutations(spec: Spec) -> list[Mutation]:
    cases = [Mutation("valid", spec.ok)]
    for name, garbage in PATH_GARBAGE.items() if spec.params(_PARAM_PROBE) else []:
        cases.append(Mutation(f"path-{name}", 404, path=garbage))
    if spec.body is None:
        return cases
    cases.append(Mutation("extra_fields", spec.ok, apply=lambda b: _merge_extras(b, spec.extras)))
    for path, f in spec.fields.items():
        for label, wrong in WRONG[f.kind].items():
            cases.append(
                Mutation(
                    f"{path}-type-{label}",
                    422,
                    path,
                    apply=lambda b, p=path, v=wrong: _set(b, p, v),
                )
            )
        if f.required:
            cases.append(
                Mutation(
                    f"{path}-missing",
                    422,
                    path,
                    apply=lambda b, p=path: _set(b, p, _MISSING),
                )
            )
        for depth in (1000, 5000):
            cases.append(
                Mutation(
                    f"{path}-nested_{depth}",
                    400,
                    sentence=TOO_DEEP,
                    raw=lambda b, p=path, d=depth: _json(_with_json(b, p, _deep_json(d))),
                )
            )
        if f.kind not in STRING_KINDS:
            continue
        for label, escape in LONE_SURROGATES.items():
            cases.append(
                Mutation(f"{path}-{label}", 400, sentence=NOT_UTF8, escape=(path, escape, None))
            )
        if f.kind == "text":
            escape, character = SURROGATE_PAIR
            cases.append(
                Mutation(f"{path}-surrogate_pair", spec.ok, escape=(path, escape, character))
            )
        grows = GROWS_WHEN_NORMALISED.get("email" if path.endswith("email") else f.kind)
        if grows is not None:
            cases.append(
                Mutation(
                    f"{path}-grows_when_normalised",
                    422,
                    path,
                    apply=lambda b, p=path, v=grows: _set(b, p, v),
                )
            )
        cases.append(Mutation(f"{path}-huge", 422, path, apply=lambda b, p=path: _set(b, p, HUGE)))
        cases.append(Mutation(f"{path}-nul", 422, path, apply=lambda b, p=path: _set(b, p, NUL)))
        for label, text in CONTENT.items():
            apply = lambda b, p=path, v=text: _set(b, p, v)  # noqa: E731
            if f.kind == "text":
                # Stored as plain text: read back unchanged (spec.read) after the success.
                cases.append(Mutation(f"{path}-{label}", spec.ok, apply=apply))
            elif f.kind == "secret":
                cases.append(Mutation(f"{path}-{label}", spec.ok, apply=apply, secret=text))
            elif f.kind in CONTENT_STATUS:
                cases.append(Mutation(f"{path}-{label}", CONTENT_STATUS[f.kind], apply=apply))
            else:
                cases.append(Mutation(f"{path}-{label}", 422, path, apply=apply))
    required = any(f.required for path, f in spec.fields.items() if "." not in path)
    cases += [
        Mutation("body-not_json", 400, raw=lambda b: _json(b'{"message": "unterminated')),
        Mutation("body-json_array", 400, raw=lambda b: _json(orjson.dumps([b]))),
        Mutation("body-json_string", 400, raw=lambda b: _json(b'"just a string"')),
        Mutation("body-json_number", 400, raw=lambda b: _json(b"42")),
        Mutation("body-json_null", 400, raw=lambda b: _json(b"null")),
        Mutation("body-text_plain", 415, raw=lambda b: _json(orjson.dumps(b), "text/plain")),
        Mutation("body-form", 415, raw=_form),
    ]
    extra = "zz_extra"
    cases += [
        Mutation(
            "body-surrogate_in_ignored_field",
            400,
            sentence=NOT_UTF8,
            raw=lambda b: _json(_with_escape({**b, extra: ""}, extra, b"\\ud800")),
        ),
        Mutation(
            "body-surrogate_in_key",
            400,
            sentence=NOT_UTF8,
            raw=lambda b: _json(orjson.dumps(b)[:-1] + b', "\\ud800": 1}'),
        ),
        Mutation(
            "body-surrogate_as_utf8_bytes",
            400,
            sentence=NOT_UTF8,
            raw=lambda b: _json(orjson.dumps(b)[:-1] + b', "zz": "\xed\xa0\x80"}'),
        ),
        # 32 levels (the body and 31 in an ignored field) are read; 33 are refused.
        Mutation("body-nested_32", spec.ok, apply=lambda b: {**b, extra: _nested(31)}),
        Mutation(
            "body-nested_33", 400, sentence=TOO_DEEP, apply=lambda b: {**b, extra: _nested(32)}
        ),
        Mutation(
            "body-nested_1000_unparsed",
            400,
            sentence=TOO_DEEP,
            raw=lambda b: _json(b"[" * 1000 + b"]" * 1000),
        ),
    ]
    if required:
        cases.append(Mutation("body-empty_object", 422, raw=lambda b: _json(b"{}")))
        cases.append(Mutation("body-none", {400, 415, 422}, raw=lambda b: {}))
    return cases


class _Probe:
    """Stands in for a World to learn whether an endpoint has path parameters."""

    def __getattr__(self, name: str) -> Any:
        return _Probe()

    def __getitem__(self, index: int) -> Any:
        return _Probe()


_PARAM_PROBE: Any = _Probe()

CASES = []
for _endpoint, _method, _rule in write_routes():
    _spec = CORPUS.get(_endpoint)
    if _spec is None:
        CASES.append(pytest.param(_endpoint, _method, None, id=f"{_endpoint}-NO-CORPUS"))
        continue
    for _mutation in mutations(_spec):
        CASES.append(
            pytest.param(_endpoint, _method, _mutation, id=f"{_endpoint}-{_mutation.name}")
        )


def test_every_write_route_has_a_corpus_entry():
    writes = {endpoint for endpoint, _method, _rule in write_routes()}
    assert writes == set(CORPUS), {
        "missing from CORPUS": sorted(writes - set(CORPUS)),
        "not a write route any more": sorted(set(CORPUS) - writes),
    }


# ---------------------------------------------------------------- running a case


def request_kwargs(spec: Spec, w: World, mutation: Mutation) -> dict:
    kwargs: dict[str, Any] = {}
    if spec.who:
        kwargs["headers"] = getattr(w, spec.who).headers
    if spec.body is None:
        return kwargs
    body = spec.body(w)
    if mutation.raw is not None:
        kwargs.update(mutation.raw(body))
        return kwargs
    if mutation.escape is not None:
        path, escape, decoded = mutation.escape
        kwargs.update(_json(_with_escape(body, path, escape)))
        kwargs["_body"] = None if decoded is None else _set(body, path, decoded)
        return kwargs
    if mutation.apply is not None:
        body = mutation.apply(body)
    kwargs.update(_json(orjson.dumps(body)))
    kwargs["_body"] = body
    return kwargs


def path_for(endpoint: str, spec: Spec, w: World, mutation: Mutation) -> str:
    params = spec.params(w)
    path = url(endpoint, **params)
    if mutation.path is not None and params:
        last = str(list(params.values())[-1])
        path = path.replace(last, urllib.parse.quote(mutation.path, safe=""))
    return path


@pytest.mark.parametrize(("endpoint", "method", "mutation"), CASES)
def test_bad_input(client, app, endpoint, method, mutation):
    if mutation is None:
        pytest.fail(f"{method} {endpoint} is a write endpoint without a CORPUS entry")
    spec = CORPUS[endpoint]
    w = seeded_world(client, app)
    kwargs = request_kwargs(spec, w, mutation)
    sent = kwargs.pop("_body", None)
    path = path_for(endpoint, spec, w, mutation)
    before = snapshot(app)

    response = client.open(path, method=method, **kwargs)

    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    statuses = {mutation.expect} if isinstance(mutation.expect, int) else mutation.expect
    if 200 <= min(statuses) < 300:
        assert response.status_code in statuses, response.get_json()
        assert response.mimetype == "application/json"
        if mutation.name == "extra_fields" and spec.check:
            spec.check(client, app, w, response)
        if spec.read and sent is not None:
            stored = spec.read(client, w, response, sent)
            for path_name, value in stored.items():
                expected = _get(sent, path_name)
                if expected is not _MISSING:
                    assert value == expected, (path_name, value, expected)
        if mutation.secret is not None:
            email = (sent or {}).get("email") or w.coach_a.email
            assert login_works(client, email, mutation.secret)
        return
    body = assert_contract(response, statuses)
    if response.status_code == 422 and mutation.field:
        assert names(body, mutation.field), body
    if mutation.sentence:
        assert mutation.sentence in body["detail"], body
    assert_unchanged(before, snapshot(app))


def names(body: dict, field_path: str) -> bool:
    """The 422 names the field (or one of its sub-fields, e.g. ``exercises.0``)."""
    errors = body.get("errors", {})
    return any(key == field_path or key.startswith(field_path + ".") for key in errors)


def _get(body: Any, path: str) -> Any:
    node = body
    for part in path.split("."):
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError):
            return _MISSING
    return node


# ---------------------------------------------------------------- the match upload as multipart


def multipart(w: World, *, events: bytes | None = None, **fields: str) -> dict:
    form: dict[str, Any] = {"match_date": "2024-05-05", "opponent_name": "Delta Rovers", **fields}
    form = {k: v for k, v in form.items() if v is not None}
    if events is not None:
        form["events_file"] = (io.BytesIO(events), "events.json")
    return {
        "data": form,
        "content_type": "multipart/form-data",
        "headers": w.coach_a.headers,
    }


VALID_EVENTS = orjson.dumps(tiny_match(variant=5))
MULTIPART = {
    "valid": (201, None, lambda w: multipart(w, events=VALID_EVENTS)),
    "missing_file": (422, "events_file", lambda w: multipart(w)),
    "file_as_text_field": (
        422,
        "events_file",
        lambda w: multipart(w, events_file=VALID_EVENTS.decode()[:100]),
    ),
    "file_not_json": (400, None, lambda w: multipart(w, events=b"\x89PNG not json")),
    "file_object": (422, None, lambda w: multipart(w, events=b'{"events": []}')),
    "file_empty": (400, None, lambda w: multipart(w, events=b"")),
    "missing_match_date": (
        422,
        "match_date",
        lambda w: multipart(w, events=VALID_EVENTS, match_date=None),
    ),
    "bad_match_date": (
        422,
        "match_date",
        lambda w: multipart(w, events=VALID_EVENTS, match_date="'; DROP TABLE users; --"),
    ),
    "score_not_number": (
        422,
        "our_score",
        lambda w: multipart(w, events=VALID_EVENTS, our_score="abc", opponent_score="1"),
    ),
    "nul_opponent": (
        422,
        "opponent_name",
        lambda w: multipart(w, events=VALID_EVENTS, opponent_name=NUL),
    ),
    "huge_opponent": (
        422,
        "opponent_name",
        lambda w: multipart(w, events=VALID_EVENTS, opponent_name=HUGE),
    ),
    "script_logo_url": (
        422,
        "opponent_logo_url",
        lambda w: multipart(w, events=VALID_EVENTS, opponent_logo_url="javascript:alert(1)"),
    ),
}


@pytest.mark.parametrize("name", list(MULTIPART))
def test_bad_multipart_upload(client, app, name):
    status, field_name, build = MULTIPART[name]
    w = seeded_world(client, app)
    before = snapshot(app)
    response = client.post("/api/coach/matches", **build(w))
    if status == 201:
        assert response.status_code == 201, response.get_json()
        return
    body = assert_contract(response, status)
    if field_name:
        assert names(body, field_name), body
    assert_unchanged(before, snapshot(app))


@pytest.mark.parametrize("label", list(CONTENT))
def test_multipart_free_text_round_trips(client, app, label):
    w = seeded_world(client, app)
    text = CONTENT[label]
    response = client.post(
        "/api/coach/matches", **multipart(w, events=VALID_EVENTS, opponent_name=text)
    )
    assert response.status_code == 201, response.get_json()
    assert read_match(client, w, response, {}) == {"opponent_name": text}


# ---------------------------------------------------------------- odd events inside a valid file


def _events_with(change: Callable[[list[dict]], None]) -> list[dict]:
    events = tiny_match(variant=11)
    change(events)
    return events


def _rename_player(name: str) -> Callable[[list[dict]], None]:
    def change(events: list[dict]) -> None:
        for event in events:
            for entry in event.get("tactics", {}).get("lineup", []):
                if entry["player"]["id"] == 105:
                    entry["player"]["name"] = name
            if event.get("player", {}).get("id") == 105:
                event["player"]["name"] = name

    return change


def _set_first_id(value: str) -> Callable[[list[dict]], None]:
    return _set_in_third("id", value)


def _set_in_third(*path_and_value: Any) -> Callable[[list[dict]], None]:
    """Set a (nested) key of the third event, e.g. ("team", "id", 2**40)."""
    *path, value = path_and_value

    def change(events: list[dict]) -> None:
        target = events[2]
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


EVENT_CORPUS = {
    "items_not_objects": (lambda events: events.extend([1, "x", None]), {422}),
    "nul_in_player_name": (_rename_player("Nul\x00Name"), {422}),
    "nul_in_event_id": (_set_first_id("ev\x00id"), {422}),
    "long_player_name": (_rename_player("N" * 300), {422}),
    "long_event_id": (_set_first_id("e" * 5000), {422}),
    # Beyond a 4-byte integer column: required numbers are refused, optional ones stored NULL.
    "huge_index": (_set_in_third("index", 2**40), {422}),
    "huge_team_id": (_set_in_third("team", "id", 2**40), {422}),
    "huge_minute": (_set_in_third("minute", 2**40), {201}),
    "huge_possession": (_set_in_third("possession", -(2**40)), {201}),
    "backslash_u0000_text": (_rename_player("C:\\u0000 Backslash"), {201}),
    "unicode_player_name": (_rename_player(CONTENT["emoji"]), {201}),
    "script_player_name": (_rename_player(CONTENT["script"]), {201}),
    "sql_player_name": (_rename_player(CONTENT["sql_drop"]), {201}),
}


@pytest.mark.parametrize("name", list(EVENT_CORPUS))
def test_odd_events_are_stored_verbatim_or_refused_cleanly(client, app, name):
    change, statuses = EVENT_CORPUS[name]
    w = seeded_world(client, app)
    before = snapshot(app)
    body = {"match_date": "2024-06-01", "statsbomb_events": _events_with(change)}
    response = client.post(
        "/api/coach/matches",
        data=orjson.dumps(body),
        content_type="application/json",
        headers=w.coach_a.headers,
    )
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert response.status_code in statuses, response.get_json()
    if response.status_code != 201:
        assert_contract(response, statuses)
        assert_unchanged(before, snapshot(app))
        return
    # Stored exactly as sent.
    match_id = uuid.UUID(response.get_json()["match_id"])
    with app.app_context():
        stored = db.session.execute(
            select(Event.external_id, Event.player_name, Event.data).where(
                Event.match_id == match_id
            )
        ).all()
        db.session.remove()
    sent = body["statsbomb_events"]
    assert sorted(row.external_id for row in stored) == sorted(e["id"] for e in sent)
    by_id = {row.external_id: row for row in stored}
    for event in sent:
        assert by_id[event["id"]].data == event
        if "player" in event:
            assert by_id[event["id"]].player_name == event["player"]["name"]


# ---------------------------------------------------------------- oversized bodies -> 413


@pytest.fixture(scope="module")
def small_app(database_url):
    spare = spare_app(database_url, MAX_UPLOAD_MB="1")
    yield spare
    with spare.app_context():
        db.engine.dispose()


OVERSIZED = [route for route in write_routes() if CORPUS.get(route[0]) and CORPUS[route[0]].body]


def chunked(data: bytes, content_type: str) -> dict:
    """client.open kwargs sending ``data`` without Content-Length (Transfer-Encoding: chunked),
    as a server that terminates the input stream (gunicorn) hands it over."""
    return {
        "input_stream": io.BytesIO(data),
        "content_type": content_type,
        "headers": {"Transfer-Encoding": "chunked"},
        "environ_overrides": {"wsgi.input_terminated": True},
    }


def encoded_form(fields: dict[str, Any]) -> tuple[bytes, str]:
    """A multipart body as a browser sends it, and its content type."""
    environ = EnvironBuilder(method="POST", data=fields).get_environ()
    return environ["wsgi.input"].read(), environ["CONTENT_TYPE"]


def oversized_request(spec: Spec, w: World, how: str, padding: str) -> dict:
    if how.startswith("multipart"):
        data, content_type = encoded_form({"padding": (io.BytesIO(padding.encode()), "big.json")})
    else:
        data, content_type = orjson.dumps({**spec.body(w), "padding": padding}), "application/json"
    kwargs = (
        chunked(data, content_type)
        if how.endswith("chunked")
        else {"data": data, "content_type": content_type}
    )
    if spec.who:
        kwargs["headers"] = {**kwargs.get("headers", {}), **getattr(w, spec.who).headers}
    return kwargs


HOW = ["json", "json_chunked", "multipart", "multipart_chunked"]


@pytest.mark.parametrize(
    ("endpoint", "method"),
    [pytest.param(e, m, id=f"{e}-oversized") for e, m, _r in OVERSIZED],
)
@pytest.mark.parametrize("how", HOW)
def test_oversized_bodies_get_413(client, app, small_app, endpoint, method, how):
    """Over MAX_UPLOAD_MB (1 here), with or without Content-Length: 413 naming the limit (a
    chunked body was cut at the limit and answered 400 "not valid JSON")."""
    spec = CORPUS[endpoint]
    w = seeded_world(client, app)
    before = snapshot(app)
    path = url(endpoint, **spec.params(w))
    kwargs = oversized_request(spec, w, how, "p" * (1024 * 1024 + 10))
    with small_app.test_client() as small:
        response = small.open(path, method=method, **kwargs)
    body = assert_contract(response, 413)
    assert "larger than" in body["detail"] and "1 MB" in body["detail"], body
    assert_unchanged(before, snapshot(app))


JSON_BODIES = [route for route in OVERSIZED if route[0] != "coach.upload_match"]


@pytest.mark.parametrize(
    ("endpoint", "method"),
    [pytest.param(e, m, id=f"{e}-over_1_mb") for e, m, _r in JSON_BODIES],
)
@pytest.mark.parametrize("how", HOW)
def test_bodies_over_1_mb_get_413(client, app, endpoint, method, how):
    """Every body but a match upload's is at most 1 MB (a 50 MB login body was parsed)."""
    spec = CORPUS[endpoint]
    w = seeded_world(client, app)
    before = snapshot(app)
    kwargs = oversized_request(spec, w, how, "p" * (1024 * 1024))
    response = client.open(url(endpoint, **spec.params(w)), method=method, **kwargs)
    body = assert_contract(response, 413)
    assert body["detail"] == (
        "The request body is larger than the 1 MB limit of this endpoint "
        "(only a match upload may be larger)."
    )
    assert_unchanged(before, snapshot(app))


def test_a_chunked_body_within_the_limit_is_read_whole(client, app, small_app):
    w = seeded_world(client, app)
    body = orjson.dumps(
        {
            "match_date": "2024-05-05",
            "statsbomb_events": tiny_match(variant=21),
            "pad": "p" * 900_000,
        }
    )
    with small_app.test_client() as small:
        response = small.post(
            "/api/coach/matches",
            **{
                **chunked(body, "application/json"),
                "headers": {"Transfer-Encoding": "chunked", **w.coach_a.headers},
            },
        )
    assert response.status_code == 201, response.get_json()


# ---------------------------------------------------------------- multipart form limits


def test_a_form_of_2000_parts_names_the_parts_limit(client, app):
    """2,000 parts in 3 MB answered "larger than the 50 MB limit"; the limit hit is the parts."""
    w = seeded_world(client, app)
    before = snapshot(app)
    fields: dict[str, Any] = {f"field{i}": "x" * 1500 for i in range(2000)}
    fields["events_file"] = (io.BytesIO(VALID_EVENTS), "events.json")
    data, content_type = encoded_form(fields)
    assert 3_000_000 < len(data) < 4_000_000
    response = client.post(
        "/api/coach/matches", data=data, content_type=content_type, headers=w.coach_a.headers
    )
    body = assert_contract(response, 413)
    assert body["detail"] == (
        "The form has more than 1,000 parts (fields and files); "
        "send the events file and the match fields only."
    )
    assert_unchanged(before, snapshot(app))


def test_a_text_field_over_1_mb_names_the_field_limit(client, app):
    w = seeded_world(client, app)
    before = snapshot(app)
    response = client.post(
        "/api/coach/matches",
        **multipart(w, events=VALID_EVENTS, opponent_name="o" * (1024 * 1024 + 1)),
    )
    body = assert_contract(response, 413)
    assert body["detail"].startswith("A form field is larger than the 1 MB limit for text fields")
    assert_unchanged(before, snapshot(app))


# ---------------------------------------------------------------- events files: text, depth, size


def _surrogate_in_an_event() -> bytes:
    events = tiny_match(variant=23)
    events[2]["player"]["name"] = _PLACEHOLDER
    return orjson.dumps(events).replace(orjson.dumps(_PLACEHOLDER), b'"Mes\\ud800si"')


def _deep_in_an_event(depth: int) -> bytes:
    events = tiny_match(variant=24)
    events[2]["extra"] = _PLACEHOLDER
    return orjson.dumps(events).replace(orjson.dumps(_PLACEHOLDER), _deep_json(depth))


def _empty_objects(size: int) -> bytes:
    return b"[" + b"{}," * (size // 3) + b"{}]"


def _one_event_of_empty_objects(size: int) -> bytes:
    events = tiny_match(variant=25)
    events[2]["extra"] = _PLACEHOLDER
    return orjson.dumps(events).replace(orjson.dumps(_PLACEHOLDER), _empty_objects(size))


# name: (file bytes, status, part of the sentence)
EVENT_FILES: dict[str, tuple[Callable[[], bytes], int, str]] = {
    "lone_surrogate_in_a_name": (_surrogate_in_an_event, 400, NOT_UTF8),
    "invalid_utf8_bytes": (lambda: VALID_EVENTS.replace(b"Pass", b"P\xffss"), 400, NOT_UTF8),
    "nested_33_in_an_event": (lambda: _deep_in_an_event(31), 400, TOO_DEEP),
    "nested_300_in_an_event": (lambda: _deep_in_an_event(300), 400, TOO_DEEP),
    "nested_5000_in_an_event": (lambda: _deep_in_an_event(5000), 400, TOO_DEEP),
    "nested_5000_alone": (lambda: _deep_json(5000), 400, TOO_DEEP),
    "empty_objects_2_mb": (lambda: _empty_objects(2_000_000), 413, "far more than a match"),
    "one_event_of_empty_objects": (
        lambda: _one_event_of_empty_objects(2_000_000),
        413,
        "far more than a match",
    ),
    "ones_4_mb": (lambda: b"[" + b"1," * 2_000_000 + b"1]", 413, "far more than a match"),
}


def _send_events(client, w: World, raw: bytes, as_json: bool):
    if not as_json:
        return client.post("/api/coach/matches", **multipart(w, events=raw))
    body = b'{"match_date": "2024-05-05", "statsbomb_events": ' + raw + b"}"
    return client.post(
        "/api/coach/matches", data=body, content_type="application/json", headers=w.coach_a.headers
    )


@pytest.mark.parametrize("name", list(EVENT_FILES))
@pytest.mark.parametrize("as_json", [False, True], ids=["multipart", "json"])
def test_unreadable_event_files_are_refused_before_analysis(client, app, name, as_json):
    build, status, sentence = EVENT_FILES[name]
    w = seeded_world(client, app)
    before = snapshot(app)
    response = _send_events(client, w, build(), as_json)
    body = assert_contract(response, status)
    assert sentence in body["detail"], body
    what = "request body" if as_json else "events file"
    assert body["detail"].startswith(f"The {what} "), body
    assert_unchanged(before, snapshot(app))


@pytest.fixture(scope="module")
def few_events_app(database_url):
    spare = spare_app(database_url, MAX_EVENTS="5")
    yield spare
    with spare.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("as_json", [False, True], ids=["multipart", "json"])
def test_more_events_than_max_events_get_422(client, app, few_events_app, as_json):
    w = seeded_world(client, app)
    before = snapshot(app)
    events = tiny_match(variant=26)
    assert len(events) > 5
    with few_events_app.test_client() as small:
        response = _send_events(small, w, orjson.dumps(events), as_json)
    body = assert_contract(response, 422)
    field = "statsbomb_events" if as_json else "events_file"
    assert body["detail"].startswith("The events file holds more than 5 events (MAX_EVENTS)")
    assert names(body, field), body
    assert_unchanged(before, snapshot(app))


def _largest_shared_file() -> bytes:
    return statsbomb_file("netherlands-argentina-2022-12-09.json").read_bytes()


MEMORY_CASES = {
    "largest_shared_file": (_largest_shared_file, 201),
    "empty_objects_8_mb": (lambda: _empty_objects(8_000_000), 413),
}


@pytest.mark.parametrize("name", list(MEMORY_CASES))
def test_upload_memory_stays_under_10x_the_file(client, app, name):
    """Python's peak allocations during one upload: under 10 times the file (49 MB of
    `[{},{},...]` grew a worker by 1.45 GB; orjson alone reserved 12x any file it parsed).
    bench/upload_memory.py measures the RSS of the same on files near the 50 MB limit."""
    build, status = MEMORY_CASES[name]
    raw = build()
    coach = register_coach(client, club_name="Argentina")
    data, content_type = encoded_form(
        {"events_file": (io.BytesIO(raw), "events.json"), "match_date": "2022-12-09"}
    )
    tracemalloc.start()
    try:
        response = client.post(
            "/api/coach/matches", data=data, content_type=content_type, headers=coach.headers
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == status, response.get_json()
    assert peak < 10 * len(raw), f"{peak / 2**20:.1f} MiB for a {len(raw) / 2**20:.1f} MiB file"


# ---------------------------------------------------------------- SQL parameters are never logged


class _Unstorable:
    """A "password hash" no database driver can bind, marked so it can be looked for."""

    def __repr__(self) -> str:
        return "'$argon2id$v=19$m=8,t=1,p=1$SECRET-HASH-MARKER'"

    __str__ = __repr__


def test_a_failing_statement_never_logs_its_parameters(client, app, caplog, monkeypatch):
    """The 500 of a failed insert logged the statement's parameters, the argon2 hash among
    them; the engine hides them (hide_parameters) in every environment."""
    from spinta.services import auth

    monkeypatch.setattr(auth, "hash_password", lambda password: _Unstorable())
    before = snapshot(app)
    with caplog.at_level("ERROR"):
        response = client.post(
            "/api/auth/register/coach",
            json={
                "email": "hidden@example.com",
                "password": PASSWORD,
                "full_name": "Hidden Params",
                "club": {"club_name": "Hidden FC"},
            },
        )
    assert_contract(response, 500)
    logged = caplog.text
    assert "unhandled_exception" in logged and "Traceback" in logged
    assert "SQL parameters hidden" in logged
    assert "SECRET-HASH-MARKER" not in logged and "hidden@example.com" not in logged
    assert_unchanged(before, snapshot(app))


# ---------------------------------------------------------------- script injection is inert


def test_script_text_is_returned_as_json_only(client, app):
    w = seeded_world(client, app)
    script = CONTENT["script"]
    created = client.post(
        "/api/coach/training-plans",
        headers=w.coach_a.headers,
        json={"player_id": w.a1.player_id, "plan_name": script, "coach_notes": script},
    )
    assert created.status_code == 201, created.get_json()
    detail = client.get(
        f"/api/coach/training-plans/{created.get_json()['plan_id']}", headers=w.a1.headers
    )
    for response in (created, detail):
        assert response.mimetype == "application/json"
        assert "text/html" not in response.headers["Content-Type"]
    player_view = client.get(
        f"/api/player/training/{created.get_json()['plan_id']}", headers=w.a1.headers
    )
    assert player_view.mimetype == "application/json"
    assert player_view.get_json()["plan"]["plan_name"] == script
    assert player_view.get_json()["coach_notes"] == script
