"""Schemathesis against the app's own /openapi.json: every operation, as a coach, as a linked
player and without a token.

Checks on every response: no 5xx, the status is documented, the body matches the documented
schema and content type, and every error body follows the contract (string ``detail`` equal to
``message``, ``errors`` a map of strings).

The app under test is built once for this module on its own SQLite file (or on the
PostgreSQL database of SPINTA_TEST_DATABASE_URL, after the rest of the suite created the
schema), with rate limiting off, and seeded once: a coach of "Home FC" with one tiny uploaded
match, a linked player who played in it, a training plan and a chat session. Path parameters
(and body ``player_id`` / ``session_id``) are sometimes those real ids, sometimes random ones.
A successful DELETE re-creates what it removed, so later cases still find real ids.

Deterministic (``derandomize``) and bounded: a quick sample runs by default; the exhaustive
run is marked slow (``make test-slow``).
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config import TestingConfig
from spinta.app import create_app
from spinta.extensions import db as _db
from spinta.schemas.common import MAX_OFFSET
from tests.analytics.analytics_builder import AWAY, HOME, MatchBuilder
from tests.conftest import POSTGRES_URL, truncate_all
from tests.factories import PASSWORD, Account, register_coach, register_player

# The file is created on first connection (in the fixture), never at collection.
SQLITE_PATH = Path(tempfile.gettempdir()) / f"spinta-fuzz-{os.getpid()}-{uuid.uuid4().hex[:8]}.db"
DATABASE_URL = POSTGRES_URL or f"sqlite:///{SQLITE_PATH}"

fuzz_app = create_app(
    TestingConfig(
        {
            "SPINTA_TEST_DATABASE_URL": DATABASE_URL,
            "LOG_LEVEL": "CRITICAL",
            "RATELIMIT_ENABLED": "0",
        }
    )
)
schema = schemathesis.openapi.from_wsgi("/openapi.json", fuzz_app)

QUICK_EXAMPLES = 25
EXHAUSTIVE_EXAMPLES = 100


# ---------------------------------------------------------------- the seeded club


def tiny_match() -> bytes:
    builder = MatchBuilder(HOME, AWAY)
    builder.pass_(HOME, 5, at=10)
    builder.end_period(1, 2700)
    return orjson.dumps(builder.events)


class World:
    """The seeded club: accounts and the real ids path parameters are drawn from.

    Every seeding request is checked against the document too, so the success responses the
    random cases rarely reach (upload, signups, login) are held to their schemas as well.
    """

    def __init__(self) -> None:
        self.client = fuzz_app.test_client()
        self.coach: Account | None = None
        self.player: Account | None = None
        self.ids: dict[str, str] = {}

    @property
    def identities(self) -> dict[str, dict[str, str]]:
        assert self.coach and self.player
        return {"coach": self.coach.headers, "player": self.player.headers, "anonymous": {}}

    def call(
        self, method: str, template: str, expected: int, *, as_: Account | None = None, **kwargs
    ) -> dict[str, Any]:
        """One request by ``as_`` (default: the coach), validated against its operation."""
        path = template.format(**self.ids)
        headers = (as_ or self.coach).headers if (as_ or self.coach) else {}
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        assert response.status_code == expected, (method, path, response.get_json())
        schema[template][method].validate_response(response)
        return response.get_json()

    def signup(self, entry: dict[str, Any]) -> Account:
        self.call(
            "POST", "/api/auth/verify-invite", 200, json={"invite_code": entry["invite_code"]}
        )
        email = f"fuzz-player-{uuid.uuid4().hex[:8]}@example.com"
        body = self.call(
            "POST",
            "/api/auth/register/player",
            201,
            json={
                "invite_code": entry["invite_code"],
                "player_name": entry["player_name"],
                "email": email,
                "password": PASSWORD,
                "birth_date": "2010-05-01",
                "height": 170,
            },
        )
        return Account(body["user"]["user_id"], email, body["token"], player_id=entry["player_id"])

    def seed(self) -> None:
        self.coach = register_coach(self.client, club_name="Home FC")
        squad = self.upload_match()["details"]["our_players"]
        self.player = self.signup(squad[0])
        self.ids["player_id"] = squad[0]["player_id"]
        self.ids["other_player_id"] = squad[1]["player_id"]
        self.create_plan()
        self.start_chat()
        self.ids["team_id"] = self.call("GET", "/api/coach/teams", 200)["teams"][0]["team_id"]
        seasons = self.call("GET", "/api/coach/seasons", 200)["seasons"]
        self.ids["season_id"] = seasons[0]["season_id"]

    def upload_match(self) -> dict[str, Any]:
        body = self.call(
            "POST",
            "/api/coach/matches",
            201,
            json={
                "match_date": "2024-09-01",
                "opponent_name": "Away United",
                "statsbomb_events": orjson.loads(tiny_match()),
            },
        )
        self.ids["match_id"] = body["match_id"]
        return body

    def create_plan(self) -> None:
        body = self.call(
            "POST",
            "/api/coach/training-plans",
            201,
            json={
                "player_id": self.ids["player_id"],
                "plan_name": "Fuzz plan",
                "duration": "1 week",
                "exercises": [
                    {"exercise_name": "Rondo", "sets": 3, "reps": "10"},
                    {"exercise_name": "Sprints", "duration_minutes": 15},
                ],
            },
        )
        self.ids["plan_id"] = body["plan_id"]
        detail = self.call("GET", "/api/coach/training-plans/{plan_id}", 200)
        self.ids["exercise_id"] = detail["exercises"][0]["exercise_id"]

    def start_chat(self) -> None:
        body = self.call("POST", "/api/chat/messages", 200, json={"message": "Top scorers?"})
        self.ids["session_id"] = body["session_id"]

    def after(self, method: str, path: str, status: int) -> None:
        """Keep the real ids real: re-create what a DELETE removed, follow a plan's new list."""
        if status != 200:
            return
        if method == "DELETE":
            self.restore(path)
        elif method == "PATCH" and path == "/api/coach/club":
            # Uploads find our side by the club's name: keep it.
            self.call("PATCH", "/api/coach/club", 200, json={"club_name": "Home FC"})
        elif method == "PUT" and path.startswith("/api/coach/training-plans/"):
            detail = self.call("GET", "/api/coach/training-plans/{plan_id}", 200)
            if detail["exercises"]:
                self.ids["exercise_id"] = detail["exercises"][0]["exercise_id"]

    def restore(self, path: str) -> None:
        """Re-create what a successful DELETE took away."""
        if path.startswith("/api/coach/matches/"):
            self.upload_match()
        elif path.startswith("/api/coach/training-plans/"):
            self.create_plan()
        elif path.startswith("/api/chat/sessions/"):
            self.start_chat()
        elif path.startswith("/api/coach/teams/"):
            self.ids["team_id"] = self.call("POST", "/api/coach/teams", 201, json={"name": "T"})[
                "team_id"
            ]


WORLD = World()


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Keep the generated (random) ids, or put the seeded ones in, at Hypothesis' choice."""
    if not path_parameters:
        return st.just(path_parameters)
    real = {name: WORLD.ids.get(name, value) for name, value in path_parameters.items()}
    return st.sampled_from([path_parameters, real])


@schema.hook
def flatmap_body(context, body):
    """Sometimes point a JSON body's player_id / session_id at the seeded ones."""
    if not isinstance(body, dict):
        return st.just(body)
    keys = [key for key in ("player_id", "session_id") if key in body]
    if not keys:
        return st.just(body)
    return st.sampled_from([body, {**body, **{key: WORLD.ids[key] for key in keys}}])


@pytest.fixture(scope="module")
def world():
    with fuzz_app.app_context():
        if POSTGRES_URL:
            _db.create_all(bind_key=None)  # the session app fixture may not have run yet
            truncate_all()
        else:
            _db.drop_all(bind_key=None)
            _db.create_all(bind_key=None)
        WORLD.seed()
    yield WORLD
    with fuzz_app.app_context():
        if POSTGRES_URL:
            truncate_all()
        _db.session.remove()
        _db.engine.dispose()
    SQLITE_PATH.unlink(missing_ok=True)


# ---------------------------------------------------------------- checks


def error_contract(ctx, response, case):
    """4xx/5xx bodies: {"detail": str, "message": same str, "errors"?: {str: str}}."""
    if response.status_code < 400:
        return None
    body = response.json()
    assert isinstance(body, dict), f"error body is not an object: {body!r}"
    detail, message = body.get("detail"), body.get("message")
    assert isinstance(detail, str) and detail, f"'detail' is not a sentence: {detail!r}"
    assert message == detail, f"'message' {message!r} differs from 'detail' {detail!r}"
    errors = body.get("errors")
    if errors is not None:
        assert isinstance(errors, dict) and errors, f"'errors' is not a map: {errors!r}"
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in errors.items()), errors
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def exercise(case, world: World) -> None:
    for headers in world.identities.values():
        response = case.call_and_validate(
            headers=headers, checks=CHECKS, additional_checks=[error_contract]
        )
        world.after(case.method, case.formatted_path, response.status_code)


PUBLIC_PATHS = {"/", "/api/health", "/api/health/detailed", "/api/health/ready"}


AUTH_WITH_TOKEN = {"/api/auth/change-password", "/api/auth/logout"}


def test_every_operation_documents_its_errors():
    """No catch-all "default": each operation lists its statuses, errors with the Error schema."""
    document = fuzz_app.test_client().get("/openapi.json").get_json()
    error_ref = {"$ref": "#/components/schemas/Error"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            where = f"{method.upper()} {path}"
            responses = operation["responses"]
            assert "default" not in responses, where
            for status, response in responses.items():
                if int(status) >= 400 and status != "503":
                    assert response["content"]["application/json"]["schema"] == error_ref, where
            if "requestBody" in operation:
                assert {"400", "413", "415", "422"} <= set(responses), where
            if "{" in path:
                assert "404" in responses, where
            protected = path not in PUBLIC_PATHS and not path.startswith("/api/auth/")
            if protected or path in AUTH_WITH_TOKEN:
                assert operation["security"] == [{"bearerAuth": []}], where
                assert "401" in responses, where
            if protected:
                assert "403" in responses, where
            elif path.startswith("/api/auth/") and path != "/api/auth/logout":
                assert "429" in responses, where


def test_success_responses_match_the_document(world):
    """Every operation's success path once, with real ids and the right role."""
    call = world.call
    for path in ("/", "/api/health", "/api/health/detailed", "/api/health/ready"):
        schema[path]["GET"].validate_response(world.client.get(path))
    coach, player = world.coach, world.player
    call("POST", "/api/auth/login", 200, json={"email": coach.email, "password": PASSWORD})
    spare = register_coach(world.client, club_name="Spare FC")
    call(
        "POST",
        "/api/auth/change-password",
        200,
        as_=spare,
        json={"current_password": PASSWORD, "new_password": "another-horse-10"},
    )
    for template in (
        "/api/coach/matches",
        "/api/coach/matches/{match_id}",
        "/api/coach/dashboard",
        "/api/coach/players",
        "/api/coach/players/{player_id}",
        "/api/coach/players/{other_player_id}",
        "/api/coach/players/{player_id}/matches/{match_id}",
        "/api/coach/profile",
        "/api/coach/teams/{team_id}/playing-time",
        "/api/coach/training-plans/{plan_id}",
        "/api/chat/sessions/{session_id}/messages",
    ):
        operation = template.replace("{other_player_id}", "{player_id}")
        response = world.client.get(template.format(**world.ids), headers=coach.headers)
        assert response.status_code == 200, (template, response.get_json())
        schema[operation]["GET"].validate_response(response)
    call("PUT", "/api/coach/training-plans/{plan_id}", 200, json={"coach_notes": "Keep going"})
    _teams_and_seasons(world)
    call(
        "POST",
        "/api/coach/training-plans/generate-ai",
        200,
        json={"player_id": world.ids["player_id"]},
    )
    call(
        "POST",
        "/api/chat/messages",
        200,
        json={"message": "How did we do in the last match?", "session_id": world.ids["session_id"]},
    )
    for template in (
        "/api/player/dashboard",
        "/api/player/matches",
        "/api/player/matches/{match_id}",
        "/api/player/profile",
        "/api/player/training",
        "/api/player/training/{plan_id}",
    ):
        call("GET", template, 200, as_=player)
    for _ in range(2):
        call("PUT", "/api/player/training/exercises/{exercise_id}/toggle", 200, as_=player, json={})
    for template in (
        "/api/chat/sessions/{session_id}",
        "/api/coach/training-plans/{plan_id}",
        "/api/coach/matches/{match_id}",
    ):
        call("DELETE", template, 200)
        world.restore(template.format(**world.ids))


def _teams_and_seasons(world) -> None:
    """The success path of the team, squad, season and club endpoints."""
    call, ids = world.call, world.ids
    call("GET", "/api/coach/club", 200)
    call("PATCH", "/api/coach/club", 200, json={"country": "Spain", "min_playing_share": 0.4})
    call(
        "PUT",
        "/api/coach/teams/{team_id}/players",
        200,
        json={"player_ids": [ids["player_id"]]},
    )
    later = call(
        "POST",
        "/api/coach/seasons",
        201,
        json={"name": "Later", "start_date": "2040-01-01", "end_date": "2040-12-31"},
    )
    rollover = {"team_id": ids["team_id"], "to_season_id": later["season_id"]}
    call("POST", "/api/coach/seasons/{season_id}/rollover", 200, json=rollover)
    call("PATCH", "/api/coach/seasons/{season_id}", 200, json={"name": "This one"})
    default_team = ids["team_id"]
    ids["team_id"] = call("POST", "/api/coach/teams", 201, json={"name": "Spare"})["team_id"]
    call("PATCH", "/api/coach/teams/{team_id}", 200, json={"age_group": "U10", "format": "7v7"})
    call("DELETE", "/api/coach/teams/{team_id}", 200)
    ids["team_id"] = default_team


FUZZ_SETTINGS = {
    "derandomize": True,
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "database": None,
}


@schema.parametrize()
@settings(max_examples=QUICK_EXAMPLES, **FUZZ_SETTINGS)
def test_api_quick(case, world):
    exercise(case, world)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=EXHAUSTIVE_EXAMPLES, **FUZZ_SETTINGS)
def test_api_exhaustive(case, world):
    exercise(case, world)


# ---------------------------------------------------------------- what the fuzzer found


@pytest.mark.parametrize(
    ("role", "path", "name"),
    [
        ("coach", "/api/coach/matches", "offset"),
        ("coach", "/api/coach/dashboard", "matches_offset"),
        ("coach", "/api/coach/players/{player_id}", "offset"),
        ("player", "/api/player/matches", "offset"),
        ("player", "/api/player/training", "offset"),
    ],
)
def test_an_offset_past_what_a_database_takes_is_a_422_not_a_500(client, app, role, path, name):
    # An offset of 2**74 answered 500 (SQLite: "Python int too large to convert"; PostgreSQL:
    # bigint out of range). The largest accepted one still answers an empty page.
    coach = register_coach(client)
    player = register_player(client, app, coach.club_id)
    account = coach if role == "coach" else player
    url = path.format(player_id=player.player_id)
    too_far = client.get(url, query_string={name: 2**74}, headers=account.headers)
    assert too_far.status_code == 422, too_far.get_json()
    assert name in too_far.get_json()["errors"]
    furthest = client.get(url, query_string={name: MAX_OFFSET}, headers=account.headers)
    assert furthest.status_code == 200, furthest.get_json()
