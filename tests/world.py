"""A small seeded "world" of two clubs, and the route table, for the authorization matrix and the
bad-input corpus.

Club A ("Home FC"): coach A, one uploaded tiny match, two signed-up players (A1 played in the
match, A2 did not), a training plan with two exercises for A1 and a chat session of coach A.
Club B ("Bravo FC"): coach B, its own tiny match, a signed-up player B1 and a plan for B1.
Guardians (signed up): G_A1 of A1, G_A2 of A2, G_B1 of B1; A1 and B1 gave consent to the
assistant. Club A has a second team ("Home FC Reserves", no matches) and two more staff members
with the ``coach`` role: one of the first team (where the match and A1 are), one of the reserves.

Everything goes through the real API (tiny matches and the cheap argon2 profile keep it fast).
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import select, text

from config import TestingConfig
from spinta.app import create_app
from spinta.extensions import db
from tests.analytics.analytics_builder import AWAY, HOME, MatchBuilder
from tests.factories import (
    PASSWORD,
    Account,
    add_team,
    register_coach,
    register_player,
    register_staff,
)

BRAVO = {"id": 3, "name": "Bravo FC"}
CHARLIE = {"id": 4, "name": "Charlie Town"}
A1_NAME = "Alpha Fivesson"
A2_NAME = "Beta Peerson"
B1_NAME = "Bravo Keeperman"
A1_PLAN_NAME = "Alpha secret plan"
A1_EXERCISES = ("Alpha rondo drill", "Alpha sprint drill")

# The public /api endpoints (no token); every other /api endpoint is protected.
PUBLIC_ENDPOINTS = frozenset(
    {
        "health.health",
        "health.health_detailed",
        "health.health_ready",
        "auth.register_coach",
        "auth.login",
        "auth.verify_invite",
        "auth.register_player",
        "auth.register_guardian",
    }
)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# A pristine app (no test-only routes) whose url_map the suites are generated from.
ROUTE_APP = create_app(TestingConfig({"LOG_LEVEL": "WARNING"}))


def api_routes() -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) of every /api route, sorted."""
    routes = []
    for rule in ROUTE_APP.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, rule.rule))
    return sorted(routes)


def protected_routes() -> list[tuple[str, str, str]]:
    return [route for route in api_routes() if route[0] not in PUBLIC_ENDPOINTS]


def write_routes() -> list[tuple[str, str, str]]:
    return [route for route in api_routes() if route[1] in WRITE_METHODS]


def url(endpoint: str, **params: Any) -> str:
    with ROUTE_APP.test_request_context():
        from flask import url_for

        return url_for(endpoint, **params)


# ---------------------------------------------------------------- matches


def tiny_match(home: dict = HOME, away: dict = AWAY, *, variant: int = 0) -> list[dict]:
    """A valid two-team match; ``variant`` makes a different file (another fingerprint)."""
    builder = MatchBuilder(home, away)
    builder.pass_(home, 5, at=10 + variant)
    builder.shot(home, 5, "Goal", at=30 + variant)
    builder.new_possession(away)
    builder.pass_(away, 4, at=60 + variant)
    builder.end_period(1, 2700)
    if variant:
        for event in builder.events:
            event["id"] = f"{event['id']}-v{variant}"
    return builder.events


def upload_json(client, coach: Account, events: list[dict], **fields: Any):
    body = {"match_date": "2024-03-02", **fields, "statsbomb_events": events}
    return client.post(
        "/api/coach/matches",
        data=orjson.dumps(body),
        content_type="application/json",
        headers=coach.headers,
    )


def signup(client, invite_code: str, name: str) -> Account:
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.com"
    response = client.post(
        "/api/auth/register/player",
        json={
            "invite_code": invite_code,
            "player_name": name,
            "email": email,
            "password": PASSWORD,
            "birth_date": "2010-05-01",
            "height": 170,
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    player_id = db_player_id(client.application, body["user"]["user_id"])
    return Account(
        user_id=body["user"]["user_id"],
        email=email,
        token=body["token"],
        club_id=body["user"]["club"]["club_id"],
        player_id=player_id,
    )


def db_player_id(app, user_id: str) -> str:
    from spinta.models import Player

    with app.app_context():
        return str(db.session.scalar(select(Player.id).where(Player.user_id == uuid.UUID(user_id))))


def create_plan(client, coach: Account, player_id: str, name: str, exercises) -> dict:
    response = client.post(
        "/api/coach/training-plans",
        headers=coach.headers,
        json={
            "player_id": player_id,
            "plan_name": name,
            "duration": "2 weeks",
            "coach_notes": f"{name} notes",
            "exercises": [
                {"exercise_name": e, "description": f"{e} text", "sets": 3, "reps": "10"}
                for e in exercises
            ],
        },
    )
    assert response.status_code == 201, response.get_json()
    plan_id = response.get_json()["plan_id"]
    detail = client.get(f"/api/coach/training-plans/{plan_id}", headers=coach.headers)
    return detail.get_json()


# ---------------------------------------------------------------- the world


@dataclass
class World:
    coach_a: Account
    coach_b: Account
    a1: Account
    a2: Account
    b1: Account
    match_a: str
    match_b: str
    plan_a1: str
    exercises_a1: list[str]
    plan_b1: str
    exercises_b1: list[str]
    session_a: str
    job_a: str
    g_a1: Account | None = None
    g_a2: Account | None = None
    g_b1: Account | None = None
    guardian_a1_id: str = ""
    guardian_code_unused: str = ""
    squad_a: list[dict] = field(default_factory=list)
    team_a: str = ""  # club A's default team (it holds match_a)
    spare_team_a: str = ""  # a second team of club A, without matches
    season_a: str = ""  # the season of match_a
    club_a_secrets: set[str] = field(default_factory=set)
    a1_secrets: set[str] = field(default_factory=set)
    # Club A's staff with the ``coach`` role: of the first team, and of the reserves only.
    team_reserves: str = ""
    coach_team_a: Account | None = None
    coach_reserves: Account | None = None
    coach_reserves_id: str = ""
    # What only the first team's staff may see (the reserves' coach must not).
    team_a_secrets: set[str] = field(default_factory=set)


def _finished_job(app, club_id: str) -> str:
    """A re-analysis job of the club, done (the jobs endpoint's resource)."""
    from spinta.models import Job

    with app.app_context():
        job = Job(club_id=uuid.UUID(club_id), kind="reanalyse", status="done", progress=1.0)
        job.result = {"matches": 1}
        db.session.add(job)
        db.session.commit()
        return str(job.id)


G_A1_NAME = "Gamma Guardianson"
SPARE_TEAM = "Alpha Juniors"


def _team_and_season(app, match_id: str) -> tuple[str, str]:
    from spinta.models import Match

    with app.app_context():
        match = db.session.get(Match, uuid.UUID(match_id))
        ids = str(match.team_id), str(match.season_id)
        db.session.remove()
        return ids


def add_guardian(client, coach: Account, player_id: str, name: str) -> tuple[str, Account]:
    """A guardian invited by the coach, signed up: (guardian id, his account)."""
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.com"
    invited = client.post(
        f"/api/coach/players/{player_id}/guardians",
        headers=coach.headers,
        json={"full_name": name, "email": email, "relation": "mother", "is_primary": True},
    )
    assert invited.status_code == 201, invited.get_json()
    body = invited.get_json()
    response = client.post(
        "/api/auth/register/guardian",
        json={
            "invite_code": body["invite_code"],
            "email": email,
            "password": PASSWORD,
            "full_name": name,
        },
    )
    assert response.status_code == 201, response.get_json()
    user = response.get_json()
    return body["guardian_id"], Account(
        user_id=user["user"]["user_id"], email=email, token=user["token"]
    )


def consent_to(client, coach: Account, player_id: str, purpose: str) -> None:
    response = client.post(
        f"/api/coach/players/{player_id}/consents",
        headers=coach.headers,
        json={"purpose": purpose, "given_by": "player", "method": "written", "text_version": "1"},
    )
    assert response.status_code == 201, response.get_json()


def build_world(client, app) -> World:
    coach_a = register_coach(client, club_name=HOME["name"], stadium="Alpha Arena")
    uploaded = upload_json(client, coach_a, tiny_match(), opponent_name="Away United")
    assert uploaded.status_code == 201, uploaded.get_json()
    match_a = uploaded.get_json()["match_id"]
    squad_a = uploaded.get_json()["details"]["our_players"]
    number5 = next(p for p in squad_a if p["jersey_number"] == 5)
    codes_a = {p["invite_code"] for p in squad_a}
    a1 = signup(client, number5["invite_code"], A1_NAME)
    a2 = register_player(client, app, coach_a.club_id, name=A2_NAME, jersey=77, position="Keeper")

    coach_b = register_coach(client, club_name=BRAVO["name"])
    uploaded_b = upload_json(client, coach_b, tiny_match(BRAVO, CHARLIE), opponent_name="Charlie")
    assert uploaded_b.status_code == 201, uploaded_b.get_json()
    match_b = uploaded_b.get_json()["match_id"]
    b1 = register_player(client, app, coach_b.club_id, name=B1_NAME, jersey=1)

    plan_a1 = create_plan(client, coach_a, a1.player_id, A1_PLAN_NAME, A1_EXERCISES)
    plan_b1 = create_plan(client, coach_b, b1.player_id, "Bravo plan", ("Bravo drill",))
    chat = client.post(
        "/api/chat/messages",
        headers=coach_a.headers,
        json={"message": "Who are the top scorers this season?"},
    )
    assert chat.status_code == 200, chat.get_json()
    job_a = _finished_job(app, coach_a.club_id)
    guardian_a1_id, g_a1 = add_guardian(client, coach_a, a1.player_id, G_A1_NAME)
    _, g_a2 = add_guardian(client, coach_a, a2.player_id, "Delta Guardianson")
    _, g_b1 = add_guardian(client, coach_b, b1.player_id, "Echo Guardianson")
    unused_invite = client.post(
        f"/api/coach/players/{a2.player_id}/guardians",
        headers=coach_a.headers,
        json={"full_name": "Foxtrot Guardianson", "email": "fox@example.com", "relation": "aunt"},
    )
    assert unused_invite.status_code == 201, unused_invite.get_json()
    consent_to(client, coach_a, a1.player_id, "assistant")
    consent_to(client, coach_b, b1.player_id, "assistant")
    spare = client.post("/api/coach/teams", headers=coach_a.headers, json={"name": SPARE_TEAM})
    assert spare.status_code == 201, spare.get_json()
    team_a, season_a = _team_and_season(app, match_a)
    team_reserves = add_team(app, coach_a.club_id, "Home FC Reserves")
    coach_team_a = register_staff(client, coach_a, team_ids=[team_a], name="Firstteam Coach")
    coach_reserves = register_staff(client, coach_a, team_ids=[team_reserves], name="Res Coach")
    staff = client.get("/api/coach/staff", headers=coach_a.headers).get_json()["staff"]
    coach_reserves_id = next(m["coach_id"] for m in staff if m["email"] == coach_reserves.email)

    world = World(
        coach_a=coach_a,
        coach_b=coach_b,
        a1=a1,
        a2=a2,
        b1=b1,
        match_a=match_a,
        match_b=match_b,
        plan_a1=plan_a1["plan"]["plan_id"],
        exercises_a1=[e["exercise_id"] for e in plan_a1["exercises"]],
        plan_b1=plan_b1["plan"]["plan_id"],
        exercises_b1=[e["exercise_id"] for e in plan_b1["exercises"]],
        session_a=chat.get_json()["session_id"],
        job_a=job_a,
        g_a1=g_a1,
        g_a2=g_a2,
        g_b1=g_b1,
        guardian_a1_id=guardian_a1_id,
        guardian_code_unused=unused_invite.get_json()["invite_code"],
        squad_a=squad_a,
        team_a=team_a,
        spare_team_a=spare.get_json()["team_id"],
        season_a=season_a,
        team_reserves=team_reserves,
        coach_team_a=coach_team_a,
        coach_reserves=coach_reserves,
        coach_reserves_id=coach_reserves_id,
    )
    a1_secrets = {
        a1.user_id,
        a1.player_id,
        a1.email,
        A1_NAME,
        number5["invite_code"],
        world.plan_a1,
        A1_PLAN_NAME,
        *world.exercises_a1,
        *A1_EXERCISES,
        match_a,
        G_A1_NAME,
        g_a1.email,
        guardian_a1_id,
    }
    world.a1_secrets = a1_secrets
    world.team_a_secrets = {
        *a1_secrets,
        *(p["player_id"] for p in squad_a),
        *(p["player_name"] for p in squad_a),
        *codes_a,
    }
    world.club_a_secrets = {
        *a1_secrets,
        coach_a.club_id,
        coach_a.user_id,
        coach_a.email,
        a2.user_id,
        a2.player_id,
        a2.email,
        A2_NAME,
        HOME["name"],
        "Alpha Arena",
        world.session_a,
        world.job_a,
        *(p["player_id"] for p in squad_a),
        *(p["player_name"] for p in squad_a),
        *codes_a,
        world.team_a,
        world.spare_team_a,
        world.season_a,
        SPARE_TEAM,
        team_a,
        team_reserves,
        coach_team_a.email,
        coach_reserves.email,
        coach_reserves_id,
    }
    return world


def leaked(text: str, secrets: set[str]) -> set[str]:
    """The secrets that appear in a response body (case-insensitive)."""
    lowered = text.lower()
    return {secret for secret in secrets if secret and secret.lower() in lowered}


# The access log records every successful read of personal data (an attacker's own data
# included), so it is the one table a read may add to.
NOT_SNAPSHOT = frozenset({"access_log"})


def snapshot(app) -> dict[str, list[str]]:
    """Every row of every table (but the access log), for "nothing changed" checks."""
    with app.app_context():
        state = {}
        for table in db.metadata.sorted_tables:
            if table.name in NOT_SNAPSHOT:
                continue
            rows = db.session.execute(select(table)).all()
            state[table.name] = sorted(repr(tuple(row)) for row in rows)
        db.session.remove()
        return state


def assert_unchanged(before: dict[str, list[str]], after: dict[str, list[str]]) -> None:
    changed = {
        name: (len(before[name]), len(after[name]))
        for name in before
        if before[name] != after[name]
    }
    assert not changed, f"rows changed (table: before, after counts): {changed}"


def assert_contract(response, status: int | set[int]) -> dict:
    """The error contract: JSON, string detail == message, errors a str->str map when present."""
    statuses = {status} if isinstance(status, int) else status
    body = response.get_json(silent=True)
    assert response.status_code in statuses, (response.status_code, body or response.data[:300])
    assert response.mimetype == "application/json", response.mimetype
    assert isinstance(body, dict), body
    assert isinstance(body.get("detail"), str) and body["detail"], body
    assert body["detail"] == body.get("message"), body
    if "errors" in body:
        assert isinstance(body["errors"], dict) and body["errors"], body
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in body["errors"].items())
    if response.status_code == 401:
        assert response.headers.get("WWW-Authenticate") == "Bearer"
    return body


def spare_app(database_url: str, **environ: str):
    """A second app on the test database with other settings (e.g. MAX_UPLOAD_MB=1)."""
    return create_app(
        TestingConfig(
            {
                "SPINTA_TEST_DATABASE_URL": database_url,
                "LOG_LEVEL": "WARNING",
                # Rate limiting stays on: the limiter is one shared object, and turning it
                # off here would turn it off for the main test app too.
                **environ,
            }
        )
    )


# ---------------------------------------------------------------- one world, restored per test

_SEEDS: dict[str, tuple[World, dict[str, list[dict]]]] = {}


def _dump(app) -> dict[str, list[dict]]:
    with app.app_context():
        rows = {
            table.name: [dict(row._mapping) for row in db.session.execute(select(table))]
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
        return rows


def _restore(app, rows: dict[str, list[dict]]) -> None:
    with app.app_context():
        with db.engine.begin() as conn:
            for table in db.metadata.sorted_tables:
                if rows[table.name]:
                    conn.execute(table.insert(), rows[table.name])
            if conn.dialect.name == "postgresql":
                # Rows came with their ids: move the serial counters past them.
                for table in db.metadata.sorted_tables:
                    for column in table.primary_key.columns:
                        if column.autoincrement is True and rows[table.name]:
                            conn.execute(
                                text(
                                    f"SELECT setval(pg_get_serial_sequence('{table.name}', "
                                    f"'{column.name}'), (SELECT max({column.name}) "
                                    f"FROM {table.name}))"
                                )
                            )
        db.session.remove()


def seeded_world(client, app) -> World:
    """The world, built through the API once per database, then re-inserted row by row into
    the freshly emptied tables of every test (same ids, same still-valid tokens)."""
    key = app.config["SQLALCHEMY_DATABASE_URI"]
    if key not in _SEEDS:
        world = build_world(client, app)
        _SEEDS[key] = (world, _dump(app))
        return copy.deepcopy(world)
    world, rows = _SEEDS[key]
    _restore(app, rows)
    return copy.deepcopy(world)
