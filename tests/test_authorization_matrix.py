"""The authorization matrix, generated from the route table.

Every protected /api endpoint (all but health, the four public auth endpoints, / and the docs)
needs an entry in MATRIX: the role it requires, how to build its path parameters (and body)
from the seeded world, and what another club and a squad mate get. Each endpoint is then called,
with path parameters pointing at club A's resources, by every attacker:

- no token, a malformed one, a bad signature, alg=none, an expired one, one revoked by a password
  change and one of a deleted user -> 401 (error contract, ``WWW-Authenticate: Bearer``);
- a valid token of the wrong role -> 403, and a guardian's token on every coach and player
  endpoint -> 403 (a guardian only reads his children's screens under /api/guardian);
- another club (coach B, or player B1 on player endpoints) -> 404, or 200 without a single
  identifier or name of club A on list-like endpoints;
- a squad mate (player A2 on A1's resources, or A2's guardian on A1's) -> 404 (403 for training
  plans and exercises, as api.md says), or 200 without A1's identifiers;
- the owner -> 2xx;
- club A's staff with the ``coach`` role (coach endpoints): the coach of the first team (where
  A1 and the match are) gets what the admin gets, the coach of the reserves gets exactly the
  404 another club's coach gets (same body), or 200 without the first team's players, match
  and plans on list-like endpoints; both get 403 on admin-only endpoints.

Every attacker leaves every row of every table exactly as it was.
"""

from __future__ import annotations

import base64
import io
import json
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt as pyjwt
import orjson
import pytest
from sqlalchemy import select

from spinta.extensions import db
from spinta.models import User
from tests.factories import PASSWORD, Account, register_coach, register_player
from tests.world import (
    PUBLIC_ENDPOINTS,
    World,
    add_guardian,
    api_routes,
    assert_contract,
    assert_unchanged,
    leaked,
    protected_routes,
    seeded_world,
    snapshot,
    tiny_match,
    url,
)

LIST = "list"  # 200, but nothing of the victim in the body


@dataclass(frozen=True)
class Case:
    role: str  # "coach", "player", "guardian" or "any" (any valid token)
    params: Callable[[World], dict[str, Any]] = lambda w: {}
    body: Callable[[World], Any] | None = None
    other_club: int | str = 404
    peer: int | str | None = None  # player/guardian endpoints: A2 (his guardian) on A1's
    owner: int = 200
    admin_only: bool = False  # a staff member with the ``coach`` role -> 403
    own_team: int | str | None = None  # the first team's coach (default: as the owner)
    other_team: int | str | None = None  # the reserves' coach (default: as another club)


def _plan_body(w: World) -> dict:
    return {
        "player_id": w.a1.player_id,
        "plan_name": "Changed by someone",
        "exercises": [{"exercise_name": "Injected drill"}],
    }


def _unlinked_player(w: World) -> str:
    """A squad entry of club A that no one has joined with yet (it has an invite code)."""
    return next(p["player_id"] for p in w.squad_a if p["player_id"] != w.a1.player_id)


def _a1(w: World) -> dict[str, Any]:
    return {"player_id": w.a1.player_id}


def _guardian_body(w: World) -> dict:
    return {"full_name": "New Guardian", "email": "new-g@example.com", "relation": "father"}


def _consent_body(w: World) -> dict:
    return {
        "purpose": "statistics",
        "given_by": w.guardian_a1_id,
        "method": "written",
        "text_version": "2",
    }


def _child(screen: str) -> Case:
    return Case("guardian", params=_a1, peer=404)


MATRIX: dict[str, Case] = {
    # ------------------------------------------------ any token
    "auth.logout": Case("any", other_club=LIST),  # ends the caller's own token only
    "auth.change_password": Case(
        "any",
        body=lambda w: {"current_password": PASSWORD, "new_password": "a-brand-new-one"},
        other_club=LIST,  # acts on the caller's own account only
    ),
    # ------------------------------------------------ coach
    "coach.upload_match": Case(
        "coach",
        # A "Home FC" match: coach B cannot attach it to club A (his club is not in it).
        body=lambda w: {
            "match_date": "2024-04-01",
            "statsbomb_events": tiny_match(variant=7),
        },
        other_club=422,
        owner=201,
        other_team=201,  # the reserves' coach uploads it to his own team
    ),
    "coach.list_matches": Case("coach", other_club=LIST),
    # Jobs are the club's (a re-analysis covers every team): any staff member reads them.
    # A club-wide re-analysis job: the club's admins see it, a staff coach of any team does not
    # (a team's upload jobs: tests/test_jobs.py).
    "coach.get_job": Case("coach", params=lambda w: {"job_id": w.job_a}, own_team=404),
    "coach.delete_match": Case("coach", params=lambda w: {"match_id": w.match_a}),
    "coach.match_detail": Case("coach", params=lambda w: {"match_id": w.match_a}),
    "coach.dashboard": Case("coach", other_club=LIST),
    "coach.list_players": Case("coach", other_club=LIST),
    "coach.player_detail": Case("coach", params=lambda w: {"player_id": w.a1.player_id}),
    "coach.update_player": Case(
        "coach",
        params=lambda w: {"player_id": w.a1.player_id},
        body=lambda w: {"player_name": "Renamed", "jersey_number": 42, "position": "Left Wing"},
    ),
    "coach.player_match": Case(
        "coach", params=lambda w: {"player_id": w.a1.player_id, "match_id": w.match_a}
    ),
    "coach.profile": Case("coach", other_club=LIST),
    "coach.tagging_template": Case("coach", other_club=LIST),  # the same file for every club
    "coach.list_teams": Case("coach", other_club=LIST),
    "coach.list_seasons": Case("coach", other_club=LIST),
    "coach.team_playing_time": Case("coach", params=lambda w: {"team_id": w.team_a}),
    # ------------------------------------------------ teams, squads, seasons, club (admin writes)
    "coach_teams.create_team": Case(
        "coach",
        body=lambda w: {"name": "Alpha U10", "age_group": "U10", "format": "7v7"},
        other_club=LIST,  # a team of his own club
        owner=201,
        admin_only=True,
    ),
    "coach_teams.update_team": Case(
        "coach",
        params=lambda w: {"team_id": w.spare_team_a},
        body=lambda w: {"format": "9v9"},
        admin_only=True,
    ),
    "coach_teams.delete_team": Case(
        "coach", params=lambda w: {"team_id": w.spare_team_a}, admin_only=True
    ),
    "coach_teams.replace_squad": Case(
        "coach",
        params=lambda w: {"team_id": w.spare_team_a},
        body=lambda w: {"player_ids": [w.a1.player_id, w.a2.player_id]},
        own_team=404,  # the spare team is not the first team's coach's
    ),
    "coach_teams.create_season": Case(
        "coach",
        body=lambda w: {"name": "2030/31", "start_date": "2030-08-01", "end_date": "2031-07-31"},
        other_club=LIST,  # a season of his own club
        owner=201,
        admin_only=True,
    ),
    "coach_teams.update_season": Case(
        "coach",
        params=lambda w: {"season_id": w.season_a},
        # match_a (2024-03-02) leaves the season: it moves, the statistics follow.
        body=lambda w: {"name": "Autumn", "end_date": "2024-03-01"},
        admin_only=True,
    ),
    "coach_teams.rollover": Case(
        "coach",
        params=lambda w: {"season_id": w.season_a},
        body=lambda w: {
            "team_id": w.team_a,
            "to_season_id": w.season_a,
            "promote_to_team_id": w.spare_team_a,
        },
        admin_only=True,
    ),
    "coach_teams.club_settings": Case("coach", other_club=LIST),
    "coach_teams.update_club": Case(
        "coach",
        body=lambda w: {"country": "Spain", "season_start": "07-01", "min_playing_share": 0.6},
        other_club=LIST,  # his own club
        admin_only=True,
    ),
    "coach.list_staff": Case("coach", other_club=LIST),
    "coach.issue_staff_invite": Case(
        "coach",
        body=lambda w: {"role": "coach", "team_ids": [w.team_a]},
        owner=201,
        admin_only=True,
    ),
    "coach.remove_staff": Case(
        "coach", params=lambda w: {"coach_id": w.coach_reserves_id}, admin_only=True
    ),
    "coach.reissue_invite_code": Case(
        "coach", params=lambda w: {"player_id": _unlinked_player(w)}, owner=201
    ),
    "coach_charts.match_chart": Case(
        "coach", params=lambda w: {"match_id": w.match_a, "kind": "shot-map"}
    ),
    "coach_charts.player_match_chart": Case(
        "coach",
        params=lambda w: {"player_id": w.a1.player_id, "match_id": w.match_a, "kind": "heatmap"},
    ),
    "coach_charts.player_radar": Case("coach", params=lambda w: {"player_id": w.a1.player_id}),
    "coach_charts.match_events": Case("coach", params=lambda w: {"match_id": w.match_a}),
    "coach_charts.match_report": Case("coach", params=lambda w: {"match_id": w.match_a}),
    "coach_charts.player_report": Case("coach", params=lambda w: {"player_id": w.a1.player_id}),
    "coach_charts.match_export": Case("coach", params=lambda w: {"match_id": w.match_a}),
    "coach_charts.player_export": Case("coach", params=lambda w: {"player_id": w.a1.player_id}),
    "coach_training.create_plan": Case("coach", body=_plan_body, owner=201),
    "coach_training.generate_plan": Case("coach", body=lambda w: {"player_id": w.a1.player_id}),
    "coach_training.get_plan": Case("coach", params=lambda w: {"plan_id": w.plan_a1}),
    "coach_training.update_plan": Case(
        "coach", params=lambda w: {"plan_id": w.plan_a1}, body=_plan_body
    ),
    "coach_training.delete_plan": Case("coach", params=lambda w: {"plan_id": w.plan_a1}),
    # A chat session is its staff member's own (coach A's here): another one's -> 404.
    "chat.ask": Case(
        "coach",
        body=lambda w: {"message": "Who scored the most goals?", "session_id": w.session_a},
        own_team=404,
    ),
    "chat.session_messages": Case(
        "coach", params=lambda w: {"session_id": w.session_a}, own_team=404
    ),
    "chat.delete_session": Case(
        "coach", params=lambda w: {"session_id": w.session_a}, own_team=404
    ),
    # ------------------------------------------------ children's data (coach)
    "coach_privacy.add_guardian": Case("coach", params=_a1, body=_guardian_body, owner=201),
    "coach_privacy.list_guardians": Case("coach", params=_a1),
    "coach_privacy.delete_guardian": Case(
        "coach", params=lambda w: {"player_id": w.a1.player_id, "guardian_id": w.guardian_a1_id}
    ),
    "coach_privacy.record_consent": Case("coach", params=_a1, body=_consent_body, owner=201),
    "coach_privacy.consents": Case("coach", params=_a1),
    "coach_privacy.withdraw_consent": Case(
        "coach", params=lambda w: {"player_id": w.a1.player_id, "purpose": "assistant"}
    ),
    "coach_privacy.data_export": Case("coach", params=_a1),
    "coach_privacy.request_erasure": Case("coach", params=_a1, owner=202),
    "coach_privacy.remove_player": Case("coach", params=_a1),
    "coach_privacy.access_log": Case("coach", params=_a1, admin_only=True),
    # ------------------------------------------------ children's data (player)
    "player_privacy.own_data_export": Case("player", other_club=LIST, peer=LIST),
    "player_privacy.own_erasure_request": Case("player", other_club=LIST, peer=LIST, owner=202),
    # ------------------------------------------------ guardian (his children only)
    "guardian.children": Case("guardian", other_club=LIST, peer=LIST),
    "guardian.child_dashboard": _child("dashboard"),
    "guardian.child_matches": _child("matches"),
    "guardian.child_match": Case(
        "guardian", params=lambda w: {"player_id": w.a1.player_id, "match_id": w.match_a}, peer=404
    ),
    "guardian.child_training": _child("training"),
    "guardian.child_profile": _child("profile"),
    "guardian.child_withdraw_consent": Case(
        "guardian", params=lambda w: {"player_id": w.a1.player_id, "purpose": "assistant"}, peer=404
    ),
    "guardian.child_data_export": _child("data-export"),
    "guardian.child_erasure_request": Case("guardian", params=_a1, peer=404, owner=202),
    "development.coach_trends": Case("coach", params=lambda w: {"player_id": w.a1.player_id}),
    "development.coach_percentiles": Case("coach", params=lambda w: {"player_id": w.a1.player_id}),
    "development.create_goal": Case(
        "coach",
        params=lambda w: {"player_id": w.a1.player_id},
        body=lambda w: {
            "metric": "progressive_passes",
            "target_per90": 8,
            "due_date": "2027-03-01",
        },
        owner=201,
    ),
    "development.match_possessions": Case("coach", params=lambda w: {"match_id": w.match_a}),
    "development.list_goals": Case("coach", params=lambda w: {"player_id": w.a1.player_id}),
    # ------------------------------------------------ player
    "development.player_trends": Case("player", other_club=LIST, peer=LIST),
    "development.player_goals": Case("player", other_club=LIST, peer=LIST),
    "player.dashboard": Case("player", other_club=LIST, peer=LIST),
    "player.list_matches": Case("player", other_club=LIST, peer=LIST),
    "player.match_detail": Case("player", params=lambda w: {"match_id": w.match_a}, peer=404),
    "player.profile": Case("player", other_club=LIST, peer=LIST),
    "player_charts.own_match_chart": Case(
        "player", params=lambda w: {"match_id": w.match_a, "kind": "passes"}, peer=404
    ),
    "player_charts.own_radar": Case("player", other_club=LIST, peer=LIST),
    "player_training.list_plans": Case("player", other_club=LIST, peer=LIST),
    "player_training.get_plan_for_player": Case(
        "player", params=lambda w: {"plan_id": w.plan_a1}, other_club=403, peer=403
    ),
    "player_training.toggle_exercise": Case(
        "player",
        params=lambda w: {"exercise_id": w.exercises_a1[0]},
        body=lambda w: {"completed": True},
        other_club=403,
        peer=403,
    ),
}

UNAUTHENTICATED = (
    "no_token",
    "malformed",
    "bad_signature",
    "alg_none",
    "expired",
    "revoked",
    "deleted_user",
)
STAFF = ("team_coach", "other_team_coach")
ATTACKERS = (*UNAUTHENTICATED, "wrong_role", "guardian", "other_club", "peer", *STAFF, "owner")


def applicable(case: Case | None, attacker: str) -> bool:
    if case is None:
        return attacker == "owner"  # one failing test id for an endpoint without an entry
    if attacker == "wrong_role":
        return case.role != "any"
    if attacker == "guardian":  # a guardian's token on coach and player endpoints
        return case.role in {"coach", "player"}
    if attacker == "peer":
        return case.peer is not None
    if attacker in STAFF:
        return case.role == "coach"
    return True


def staff_expects(case: Case, attacker: str) -> int | str:
    """What club A's staff member with the ``coach`` role gets."""
    if case.admin_only:
        return 403
    if attacker == "team_coach":
        return case.own_team if case.own_team is not None else case.owner
    return case.other_team if case.other_team is not None else case.other_club


MATRIX_PARAMS = [
    pytest.param(endpoint, method, attacker, id=f"{endpoint}-{method}-{attacker}")
    for endpoint, method, _rule in protected_routes()
    for attacker in ATTACKERS
    if applicable(MATRIX.get(endpoint), attacker)
]


# ---------------------------------------------------------------- the route table


def test_every_protected_route_has_a_matrix_entry():
    protected = {endpoint for endpoint, _method, _rule in protected_routes()}
    assert protected == set(MATRIX), {
        "missing from MATRIX": sorted(protected - set(MATRIX)),
        "not a protected route any more": sorted(set(MATRIX) - protected),
    }


def test_public_endpoints_exist_and_need_no_token(client):
    endpoints = {endpoint: (method, rule) for endpoint, method, rule in api_routes()}
    assert PUBLIC_ENDPOINTS <= set(endpoints), sorted(PUBLIC_ENDPOINTS - set(endpoints))
    for endpoint in sorted(PUBLIC_ENDPOINTS):
        method, rule = endpoints[endpoint]
        response = client.open(rule, method=method, json={} if method == "POST" else None)
        assert response.status_code != 401, (endpoint, response.get_json())


# ---------------------------------------------------------------- tokens


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _claims(app, token: str) -> dict:
    return pyjwt.decode(token, app.config["JWT_SECRET_KEY"], algorithms=["HS256"])


def bad_token(app, kind: str, owner: Account) -> str:
    claims = _claims(app, owner.token)
    if kind == "malformed":
        return "not.a.token"
    if kind == "bad_signature":
        return pyjwt.encode(claims, "another-secret-key-of-at-least-32-chars", algorithm="HS256")
    if kind == "alg_none":
        return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{owner.token.split('.')[1]}."
    if kind == "expired":
        now = datetime.now(UTC)
        expired = {**claims, "iat": now - timedelta(days=31), "nbf": now - timedelta(days=31)}
        expired["exp"] = now - timedelta(seconds=1)
        return pyjwt.encode(expired, app.config["JWT_SECRET_KEY"], algorithm="HS256")
    raise AssertionError(kind)


def owner_of(case: Case, w: World) -> Account:
    if case.role == "guardian":
        return w.g_a1
    return w.a1 if case.role == "player" else w.coach_a


def revoke(client, account: Account) -> str:
    """Change the account's password; its old token is now revoked."""
    response = client.post(
        "/api/auth/change-password",
        headers=account.headers,
        json={"current_password": PASSWORD, "new_password": "changed-password-1"},
    )
    assert response.status_code == 200, response.get_json()
    return account.token


def deleted_user_token(client, app, case: Case, w: World) -> str:
    """A valid token whose user was deleted afterwards (a throwaway account of the right role,
    so club A itself stays intact)."""
    if case.role == "player":
        doomed = register_player(client, app, w.coach_a.club_id, name="Doomed Player", jersey=99)
    elif case.role == "guardian":
        _, doomed = add_guardian(client, w.coach_a, w.a1.player_id, "Doomed Guardian")
    else:
        doomed = register_coach(client, club_name="Doomed FC")
    with app.app_context():
        db.session.delete(db.session.get(User, uuid.UUID(doomed.user_id)))
        db.session.commit()
        db.session.remove()
    return doomed.token


def token_for(client, app, case: Case, w: World, attacker: str) -> str | None:
    owner = owner_of(case, w)
    if attacker == "no_token":
        return None
    if attacker in {"malformed", "bad_signature", "alg_none", "expired"}:
        return bad_token(app, attacker, owner)
    if attacker == "revoked":
        return revoke(client, owner)
    if attacker == "deleted_user":
        return deleted_user_token(client, app, case, w)
    if attacker == "wrong_role":
        return w.coach_a.token if case.role in {"player", "guardian"} else w.a1.token
    if attacker == "guardian":
        return w.g_a1.token
    if attacker == "other_club":
        others = {"player": w.b1, "guardian": w.g_b1}
        return others.get(case.role, w.coach_b).token
    if attacker == "peer":
        return w.g_a2.token if case.role == "guardian" else w.a2.token
    if attacker == "team_coach":
        return w.coach_team_a.token
    if attacker == "other_team_coach":
        return w.coach_reserves.token
    if attacker == "owner":
        return owner.token
    raise AssertionError(attacker)


def call(client, method: str, path: str, token: str | None, body: Any):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is None:
        return client.open(path, method=method, headers=headers)
    return client.open(
        path,
        method=method,
        headers=headers,
        data=orjson.dumps(body),
        content_type="application/json",
    )


def body_text(response) -> str:
    """The response body as text; a ZIP (a data export) as the text of every file in it."""
    if response.mimetype == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(response.data))
        return "\n".join(archive.read(name).decode() for name in archive.namelist())
    return response.get_data(as_text=True)


# ---------------------------------------------------------------- the matrix


@pytest.mark.parametrize(("endpoint", "method", "attacker"), MATRIX_PARAMS)
def test_authorization_matrix(client, app, endpoint, method, attacker):
    case = MATRIX.get(endpoint)
    if case is None:
        pytest.fail(f"{endpoint} ({method}) is a protected route without a MATRIX entry")
    w = seeded_world(client, app)
    token = token_for(client, app, case, w, attacker)
    path = url(endpoint, **case.params(w))
    body = case.body(w) if case.body else None
    before = snapshot(app)
    if attacker in STAFF:
        check_staff(client, app, w, case, attacker, (method, path, token, body), before)
        return

    response = call(client, method, path, token, body)

    if attacker == "owner":
        assert 200 <= response.status_code < 300, response.get_json()
        assert response.status_code == case.owner, response.get_json()
        return
    if attacker in UNAUTHENTICATED:
        assert_contract(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"
    elif attacker in {"wrong_role", "guardian"}:
        assert_contract(response, 403)
    else:
        expected = case.other_club if attacker == "other_club" else case.peer
        victim = w.club_a_secrets if attacker == "other_club" else w.a1_secrets
        # What the attacker sent himself (e.g. the team names of an uploaded file) is no leak.
        sent = orjson.dumps(body).decode().lower() if body is not None else ""
        victim = {secret for secret in victim if secret.lower() not in sent}
        if expected == LIST:  # 200 (or the owner's 2xx) about the caller's own data only
            assert response.status_code in {200, case.owner}, response.get_json()
            assert not leaked(body_text(response), victim)
            if method != "GET":
                return  # the caller's own write (checked for leaks above)
        else:
            body_out = assert_contract(response, expected)
            assert not leaked(orjson.dumps(body_out).decode(), victim)
    assert_unchanged(before, snapshot(app))


def check_staff(client, app, w: World, case: Case, attacker: str, request, before) -> None:
    """Club A's staff with the ``coach`` role: see the module docstring."""
    method, path, token, body = request
    expected = staff_expects(case, attacker)
    # Another club's coach first (his call changes nothing): the reserves' coach must get the
    # very same 404 body for the first team's resources.
    reference = None
    if expected == 404 and case.other_club == 404:
        reference = assert_contract(call(client, method, path, w.coach_b.token, body), 404)
    response = call(client, method, path, token, body)
    if isinstance(expected, int) and 200 <= expected < 300:
        assert response.status_code == expected, response.get_json()
        return  # his own team's resources (a write of his may change rows)
    sent = orjson.dumps(body).decode().lower() if body is not None else ""
    victim = {s for s in w.team_a_secrets if s.lower() not in sent}
    if attacker == "team_coach":
        victim = set()  # the first team is his: only the status matters
    if expected == LIST:
        assert response.status_code in {200, case.owner}, response.get_json()
        assert not leaked(body_text(response), victim)
        if method != "GET":
            return
    else:
        body_out = assert_contract(response, expected)
        assert not leaked(orjson.dumps(body_out).decode(), victim)
        if reference is not None:
            assert body_out == reference
    assert_unchanged(before, snapshot(app))


# ---------------------------------------------------------------- writes that smuggle ids


def test_coach_cannot_move_his_plan_to_another_clubs_player(client, app):
    w = seeded_world(client, app)
    before = snapshot(app)
    response = client.put(
        url("coach_training.update_plan", plan_id=w.plan_b1),
        headers=w.coach_b.headers,
        json={"player_id": w.a1.player_id},
    )
    assert_contract(response, 404)
    assert_unchanged(before, snapshot(app))


def test_coach_cannot_generate_or_create_for_another_clubs_player_by_id(client, app):
    w = seeded_world(client, app)
    before = snapshot(app)
    for squad_entry in w.squad_a:
        response = client.post(
            url("coach_training.create_plan"),
            headers=w.coach_b.headers,
            json={"player_id": squad_entry["player_id"], "plan_name": "Poach"},
        )
        assert_contract(response, 404)
    assert_unchanged(before, snapshot(app))


def test_chat_answers_never_mention_another_club(client, app):
    w = seeded_world(client, app)
    questions = [
        "Who are the top scorers?",
        "Show me the squad",
        f"How did {w.squad_a[0]['player_name']} play this season?",
        "What happened in the last match?",
        "Compare Home FC #5 and Home FC #4",
        "How is the season going?",
    ]
    session_id = None
    for question in questions:
        response = client.post(
            "/api/chat/messages",
            headers=w.coach_b.headers,
            json={"message": question, "session_id": session_id},
        )
        assert response.status_code == 200, response.get_json()
        session_id = response.get_json()["session_id"]
        answer = response.get_json()["message"]
        # The question itself may name them; the answer must not reveal anything else.
        secrets = {s for s in w.club_a_secrets if s.lower() not in question.lower()}
        assert not leaked(answer, secrets), (question, answer)


def test_owner_sees_his_own_resources(client, app):
    """The leak check is meaningful: the victim's identifiers do show up for the owner."""
    w = seeded_world(client, app)
    squad = client.get("/api/coach/players", headers=w.coach_a.headers).get_data(as_text=True)
    assert leaked(squad, w.club_a_secrets) >= {w.a1.player_id, "Alpha Fivesson"}
    plans = client.get("/api/player/training", headers=w.a1.headers).get_data(as_text=True)
    assert w.plan_a1 in plans
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.email == w.a1.email))
