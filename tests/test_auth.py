"""Accounts: registration, login, invite codes, player signup, password change, tokens, roles."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import jwt as pyjwt
import pytest
from flask_jwt_extended import create_access_token, decode_token
from flask_jwt_extended import jwt_manager as flask_jwt_manager
from sqlalchemy import func, select

from config import TestingConfig
from spinta import extensions
from spinta.app import create_app
from spinta.extensions import db
from spinta.models import Club, Coach, Player, User
from spinta.services.invites import ALPHABET, generate_invite_code, unique_invite_codes
from tests.conftest import POSTGRES_URL
from tests.factories import PASSWORD, add_player, register_coach, register_player


def coach_body(**overrides):
    body = {
        "email": "Coach@Example.com",
        "password": "long-enough-1",
        "full_name": "Pep Trainer",
        "birth_date": "1980-01-02",
        "gender": "male",
        "club": {
            "club_name": "FC Barcelona",
            "country": "Spain",
            "age_group": "U16",
            "stadium": "Camp Nou",
            "logo_url": "https://example.com/logo.png",
        },
    }
    body.update(overrides)
    return body


def assert_error(response, status, fields=()):
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert isinstance(body["detail"], str) and body["detail"] == body["message"]
    for field in fields:
        assert field in body["errors"], body
    return body


# ---------------------------------------------------------------- coach registration


def test_register_coach(client, app):
    response = client.post("/api/auth/register/coach", json=coach_body())
    assert response.status_code == 201
    body = response.get_json()
    user = body["user"]
    assert user["email"] == "coach@example.com"
    assert user["user_type"] == "coach"
    assert user["full_name"] == "Pep Trainer"
    assert set(user["club"]) == {"club_id", "club_name", "age_group", "stadium", "logo_url"}
    assert user["club"]["club_name"] == "FC Barcelona"
    assert user["club"]["age_group"] == "U16"
    uuid.UUID(user["user_id"])
    uuid.UUID(user["club"]["club_id"])
    with app.app_context():
        stored = db.session.scalar(select(User).where(User.email == "coach@example.com"))
        assert stored.password_hash.startswith("$argon2id$")
        assert PASSWORD not in stored.password_hash
        assert stored.coach.club.country == "Spain"
        assert str(stored.coach.birth_date) == "1980-01-02"


@pytest.mark.parametrize("blank", [None, ""])
def test_register_coach_optional_fields_absent_null_or_empty(client, blank):
    minimal = {
        "email": "a@b.co",
        "password": "long-enough-1",
        "full_name": "Al",
        "club": {"club_name": "FC"},
    }
    assert client.post("/api/auth/register/coach", json=minimal).status_code == 201
    blanks = coach_body(email="c@d.co", birth_date=blank, gender=blank)
    blanks["club"].update(country=blank, age_group=blank, stadium=blank, logo_url=blank)
    response = client.post("/api/auth/register/coach", json=blanks)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["user"]["club"]["logo_url"] is None


def test_register_coach_duplicate_email_in_other_case(client, app):
    assert client.post("/api/auth/register/coach", json=coach_body()).status_code == 201
    response = client.post("/api/auth/register/coach", json=coach_body(email="COACH@example.COM"))
    assert_error(response, 409)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1
        assert db.session.scalar(select(func.count(Club.id))) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "short"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"full_name": "A"}, "full_name"),
        ({"birth_date": "02/01/1980"}, "birth_date"),
        ({"club": {"club_name": "FC", "logo_url": "ftp://example.com/x.png"}}, "club.logo_url"),
        ({"club": {"club_name": "FC", "logo_url": "javascript:alert(1)"}}, "club.logo_url"),
        ({"club": {"club_name": "FC", "age_group": "U15"}}, "club.age_group"),
        ({"club": {"club_name": "X"}}, "club.club_name"),
        ({"club": None}, "club"),
        ({"email": 42}, "email"),
    ],
)
def test_register_coach_validation(client, app, change, field):
    response = client.post("/api/auth/register/coach", json=coach_body(**change))
    body = assert_error(response, 422, [field])
    assert field in body["detail"]
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_register_coach_missing_fields(client):
    body = assert_error(client.post("/api/auth/register/coach", json={}), 422)
    assert {"email", "password", "full_name", "club"} <= set(body["errors"])


def test_body_must_be_a_json_object(client):
    assert_error(client.post("/api/auth/login", json=["a"]), 400)
    assert_error(client.post("/api/auth/login", data="{nope", content_type="application/json"), 400)


# ---------------------------------------------------------------- login


def test_login(client):
    coach = register_coach(client)
    response = client.post(
        "/api/auth/login", json={"email": coach.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"] == {
        "user_id": coach.user_id,
        "email": coach.email,
        "user_type": "coach",
        "full_name": body["user"]["full_name"],
    }
    me = client.get("/api/coach/profile", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.get_json()["coach"]["email"] == coach.email


def test_login_same_answer_for_unknown_email_and_wrong_password(client, monkeypatch):
    import spinta.security as security

    coach = register_coach(client)
    calls = []
    original = security._hasher

    def counting_hasher():
        hasher = original()
        calls.append(1)
        return hasher

    monkeypatch.setattr(security, "_hasher", counting_hasher)
    wrong = client.post("/api/auth/login", json={"email": coach.email, "password": "nope-nope"})
    work_wrong = len(calls)
    calls.clear()
    unknown = client.post("/api/auth/login", json={"email": "x@y.zz", "password": "nope-nope"})
    for response in (wrong, unknown):
        body = assert_error(response, 401)
        assert body["detail"] == "Invalid email or password."
        assert response.headers["WWW-Authenticate"] == "Bearer"
    # The unknown email still runs a full argon2 verification (timing does not reveal accounts).
    assert len(calls) == work_wrong >= 1


def test_auth_header_is_ignored_on_auth_endpoints(client):
    coach = register_coach(client)
    for header in ("Bearer garbage", "Bearer " + "x" * 40, "Basic abc"):
        response = client.post(
            "/api/auth/login",
            json={"email": coach.email, "password": PASSWORD},
            headers={"Authorization": header},
        )
        assert response.status_code == 200


# ---------------------------------------------------------------- tokens and roles


def test_roles(client, app):
    coach = register_coach(client)
    player = register_player(client, app, coach.club_id)
    ok = client.get("/api/coach/profile", headers=coach.headers)
    assert ok.status_code == 200 and ok.get_json()["coach"]["email"] == coach.email
    ok = client.get("/api/player/profile", headers=player.headers)
    assert ok.status_code == 200 and ok.get_json()["player"]["email"] == player.email
    assert_error(client.get("/api/coach/profile", headers=player.headers), 403)
    assert_error(client.get("/api/player/profile", headers=coach.headers), 403)


def forge(app, **claims):
    payload = {
        "sub": claims.get("user_id", str(uuid.uuid4())),
        "type": "access",
        "iat": datetime.now(UTC),
        "nbf": datetime.now(UTC),
        "exp": datetime.now(UTC) + timedelta(days=1),
        "token_version": 0,
        "user_type": "coach",
        **claims,
    }
    key = claims.pop("_key", None) or app.config["JWT_SECRET_KEY"]
    payload.pop("_key", None)
    return pyjwt.encode(payload, key, algorithm="HS256")


def test_bad_tokens_get_401(client, app):
    coach = register_coach(client)
    _header, payload, _sig = coach.token.split(".")
    import base64
    import json

    none_header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    tokens = {
        "missing": None,
        "malformed": "not.a.token",
        "garbage": "abc",
        "bad signature": forge(app, user_id=coach.user_id, _key="another-secret-key-of-32-chars!!"),
        "alg none": none_header.decode().rstrip("=") + "." + payload + ".",
        "expired": forge(app, user_id=coach.user_id, exp=datetime.now(UTC) - timedelta(seconds=1)),
        "unknown user": forge(app),
        "old version": forge(app, user_id=coach.user_id, token_version=-1),
    }
    for name, token in tokens.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = client.get("/api/coach/profile", headers=headers)
        body = assert_error(response, 401)
        assert response.headers.get("WWW-Authenticate") == "Bearer", name
        assert body["detail"], name


def test_tokens_expire_after_configured_days(client, app):
    coach = register_coach(client)
    claims = pyjwt.decode(coach.token, app.config["JWT_SECRET_KEY"], algorithms=["HS256"])
    assert claims["user_id"] == coach.user_id
    assert claims["email"] == coach.email
    assert claims["user_type"] == "coach"
    lifetime = claims["exp"] - claims["iat"]
    assert lifetime == app.config["JWT_EXPIRES_DAYS"] * 86400


def test_token_of_deleted_user_gets_401_and_cascade(client, app):
    coach = register_coach(client)
    player = add_player(app, coach.club_id)
    with app.app_context():
        db.session.delete(db.session.get(User, uuid.UUID(coach.user_id)))
        db.session.commit()
        assert db.session.scalar(select(func.count(Coach.id))) == 0
        assert db.session.scalar(select(func.count(Club.id))) == 0
        assert db.session.get(Player, player.id) is None
    assert_error(client.get("/api/coach/profile", headers=coach.headers), 401)


# ---------------------------------------------------------------- change password


def test_change_password_revokes_old_tokens(client):
    coach = register_coach(client)
    second_login = client.post(
        "/api/auth/login", json={"email": coach.email, "password": PASSWORD}
    ).get_json()["token"]
    response = client.post(
        "/api/auth/change-password",
        headers=coach.headers,
        json={"current_password": PASSWORD, "new_password": "brand-new-pass"},
    )
    assert response.status_code == 200
    fresh = response.get_json()["token"]
    for old in (coach.token, second_login):
        assert_error(
            client.get("/api/coach/profile", headers={"Authorization": f"Bearer {old}"}), 401
        )
    assert (
        client.get("/api/coach/profile", headers={"Authorization": f"Bearer {fresh}"}).status_code
        == 200
    )
    assert_error(
        client.post("/api/auth/login", json={"email": coach.email, "password": PASSWORD}), 401
    )
    assert (
        client.post(
            "/api/auth/login", json={"email": coach.email, "password": "brand-new-pass"}
        ).status_code
        == 200
    )


def test_change_password_errors(client):
    coach = register_coach(client)
    assert_error(
        client.post(
            "/api/auth/change-password",
            headers=coach.headers,
            json={"current_password": "wrong-one", "new_password": "brand-new-pass"},
        ),
        401,
    )
    assert_error(
        client.post(
            "/api/auth/change-password",
            headers=coach.headers,
            json={"current_password": PASSWORD, "new_password": "short"},
        ),
        422,
        ["new_password"],
    )
    assert_error(
        client.post(
            "/api/auth/change-password",
            json={"current_password": PASSWORD, "new_password": "brand-new-pass"},
        ),
        401,
    )
    # The old password still works: nothing changed.
    assert (
        client.post(
            "/api/auth/login", json={"email": coach.email, "password": PASSWORD}
        ).status_code
        == 200
    )


# ---------------------------------------------------------------- invite codes


def test_invite_codes_are_readable_unguessable_and_unique():
    code = generate_invite_code("Lionel Messi")
    prefix, random_part = code.split("-")
    assert prefix == "LIO"
    assert len(random_part) == 8 and set(random_part) <= set(ALPHABET)
    assert len(ALPHABET) == 32 and not set("ILOU") & set(ALPHABET)  # 8 x 5 = 40 bits
    assert generate_invite_code("Ñú").startswith("NUX-")
    codes = {generate_invite_code("Same Name") for _ in range(2000)}
    assert len(codes) == 2000


def test_unique_invite_codes_avoids_stored_codes(app, monkeypatch):
    import spinta.services.invites as invites

    coach_club = None
    with app.test_client() as client:
        coach_club = register_coach(client).club_id
    stored = add_player(app, coach_club, name="Ana")
    sequence = iter([stored.invite_code, stored.invite_code, "ANA-NEWCODE1", "BOB-NEWCODE2"])
    monkeypatch.setattr(invites, "generate_invite_code", lambda name: next(sequence))
    with app.app_context():
        assert unique_invite_codes(["Ana", "Bob"]) == ["ANA-NEWCODE1", "BOB-NEWCODE2"]


def test_verify_invite(client, app):
    coach = register_coach(client, club_name="Inter Miami", logo_url="https://x.example/l.png")
    player = add_player(app, coach.club_id, name="Lionel Messi", jersey=10, position="RW")
    messy = f"  {player.invite_code.lower()}  "
    response = client.post("/api/auth/verify-invite", json={"invite_code": messy})
    assert response.status_code == 200
    assert response.get_json() == {
        "valid": True,
        "player_data": {
            "player_id": str(player.id),
            "player_name": "Lionel Messi",
            "jersey_number": 10,
            "position": "RW",
            "club_name": "Inter Miami",
            "club_logo_url": "https://x.example/l.png",
        },
    }
    assert_error(client.post("/api/auth/verify-invite", json={"invite_code": "NOP-00000000"}), 404)
    assert_error(client.post("/api/auth/verify-invite", json={}), 422, ["invite_code"])


def player_body(code, **overrides):
    body = {
        "invite_code": code,
        "player_name": "Leo Messi",
        "email": "Leo@Example.com",
        "password": "long-enough-1",
        "birth_date": "2009-06-24",
        "height": "170",
        "profile_image_url": "",
    }
    body.update(overrides)
    return body


def test_register_player(client, app):
    coach = register_coach(client, club_name="Rosario", age_group="U16")
    player = add_player(app, coach.club_id, jersey=None, position="Center Forward")
    response = client.post(
        "/api/auth/register/player", json=player_body(player.invite_code.lower())
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    user = body["user"]
    assert user["user_type"] == "player"
    assert user["email"] == "leo@example.com"
    assert user["full_name"] == "Leo Messi"
    assert user["jersey_number"] is None
    assert user["position"] == "Center Forward"
    assert user["birth_date"] == "2009-06-24"
    assert user["profile_image_url"] is None
    assert user["club"]["club_name"] == "Rosario" and user["club"]["age_group"] == "U16"
    with app.app_context():
        stored = db.session.get(Player, player.id)
        assert stored.is_linked and stored.linked_at is not None
        assert str(stored.user_id) == user["user_id"]
        assert stored.height == 170
    # The code is used now.
    assert_error(
        client.post("/api/auth/verify-invite", json={"invite_code": player.invite_code}), 409
    )
    again = client.post(
        "/api/auth/register/player", json=player_body(player.invite_code, email="other@example.com")
    )
    assert_error(again, 409)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"height": 99}, "height"),
        ({"height": 251}, "height"),
        ({"height": "tall"}, "height"),
        ({"birth_date": None}, "birth_date"),
        ({"password": "1234567"}, "password"),
        ({"email": "nope"}, "email"),
        ({"profile_image_url": "file:///etc/passwd"}, "profile_image_url"),
    ],
)
def test_register_player_validation_leaves_code_unused(client, app, change, field):
    coach = register_coach(client)
    player = add_player(app, coach.club_id)
    response = client.post(
        "/api/auth/register/player", json=player_body(player.invite_code, **change)
    )
    assert_error(response, 422, [field])
    with app.app_context():
        assert not db.session.get(Player, player.id).is_linked


def test_register_player_unknown_code_and_taken_email(client, app):
    coach = register_coach(client)
    player = add_player(app, coach.club_id)
    assert_error(client.post("/api/auth/register/player", json=player_body("ZZZ-00000000")), 404)
    response = client.post(
        "/api/auth/register/player", json=player_body(player.invite_code, email=coach.email.upper())
    )
    assert_error(response, 409)
    with app.app_context():
        assert not db.session.get(Player, player.id).is_linked
        assert db.session.scalar(select(func.count(User.id))) == 1


@pytest.mark.skipif(not POSTGRES_URL, reason="real concurrency needs PostgreSQL")
def test_concurrent_signups_with_one_code(client, app):
    coach = register_coach(client)
    player = add_player(app, coach.club_id)
    barrier = threading.Barrier(2)
    statuses = []

    def signup(n):
        with app.test_client() as own_client:
            barrier.wait()
            response = own_client.post(
                "/api/auth/register/player",
                json=player_body(player.invite_code, email=f"racer{n}@example.com"),
            )
            statuses.append(response.status_code)

    threads = [threading.Thread(target=signup, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409]
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.user_type == "player")) == 1


def test_register_player_links_atomically_when_code_is_taken_meanwhile(client, app, monkeypatch):
    """Simulate the race deterministically: the code is linked between the check and the update."""
    import spinta.services.auth as auth_service

    coach = register_coach(client)
    player = add_player(app, coach.club_id)
    other = register_coach(client)  # any existing user id will do
    original = auth_service.find_invited_player

    def stale_check(code):
        found = original(code)
        # Another signup wins the code right after our check (committed on its own connection).
        with db.engine.begin() as conn:
            conn.execute(
                Player.__table__.update()
                .where(Player.id == found.id)
                .values(is_linked=True, user_id=uuid.UUID(other.user_id))
            )
        return found

    monkeypatch.setattr(auth_service, "find_invited_player", stale_check)
    response = client.post("/api/auth/register/player", json=player_body(player.invite_code))
    assert_error(response, 409)
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.email == "leo@example.com")) is None


# ---------------------------------------------------------------- rate limits


def test_login_rate_limit_then_recovery(client, app):
    from spinta.extensions import limiter

    coach = register_coach(client)
    other_coach = register_coach(client)
    limiter.reset()
    statuses = [
        client.post("/api/auth/login", json={"email": coach.email, "password": "bad-pass"})
        for _ in range(11)
    ]
    assert [r.status_code for r in statuses[:10]] == [401] * 10
    blocked = statuses[10]
    body = assert_error(blocked, 429)
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Too many" in body["detail"]
    # Other clients (addresses) are not affected (on another account: this one is at its own
    # per-account limit now).
    other = client.post(
        "/api/auth/login",
        json={"email": other_coach.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert other.status_code == 200
    limiter.reset()  # the window passing
    assert (
        client.post(
            "/api/auth/login", json={"email": coach.email, "password": PASSWORD}
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    "path", ["/api/auth/verify-invite", "/api/auth/register/player", "/api/auth/register/coach"]
)
def test_other_auth_endpoints_are_rate_limited(client, path):
    statuses = [client.post(path, json={}).status_code for _ in range(11)]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429


def test_nul_characters_and_script_urls_are_refused(client, app):
    body = coach_body(full_name="Pep\x00Trainer")
    assert_error(client.post("/api/auth/register/coach", json=body), 422, ["full_name"])
    body = coach_body()
    body["club"]["logo_url"] = "javascript:alert(document.cookie)"
    assert_error(client.post("/api/auth/register/coach", json=body), 422, ["club.logo_url"])
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_openapi_documents_lenient_optional_fields(client):
    spec = client.get("/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    coach = next(s for name, s in schemas.items() if name.startswith("RegisterCoach"))
    import re

    pattern = coach["properties"]["birth_date"]["pattern"]
    assert re.match(pattern, "") and re.match(pattern, "2010-05-01")
    club = next(s for name, s in schemas.items() if name.startswith("ClubIn"))
    url = club["properties"]["logo_url"]["pattern"]
    assert re.match(url, "") and re.match(url, "https://x.org/a.png")
    assert not re.match(url, "javascript:alert(1)")


def test_production_password_cost_and_rehash_on_login(client, app):
    """Production hashes use the configured argon2id cost; a weaker stored hash is upgraded."""
    from argon2 import PasswordHasher

    from config import DevelopmentConfig

    production = DevelopmentConfig({})
    assert (production.ARGON2_TIME_COST, production.ARGON2_MEMORY_KIB) == (2, 19456)
    coach = register_coach(client)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == coach.email))
        assert user.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
        # A hash made with other (older) parameters ...
        user.password_hash = PasswordHasher(time_cost=2, memory_cost=8, parallelism=1).hash(
            PASSWORD
        )
        db.session.commit()
    login = client.post("/api/auth/login", json={"email": coach.email, "password": PASSWORD})
    assert login.status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == coach.email))
        # ... is re-hashed with the configured ones at the next successful login.
        assert user.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")


def _redis_available() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


REDIS_DB3 = "redis://127.0.0.1:6379/3"  # the tests' own Redis database
WORKER = """
import sys
from config import TestingConfig
from spinta.app import create_app
from spinta.extensions import db

config = TestingConfig({"SPINTA_TEST_DATABASE_URL": "sqlite://", "RATELIMIT_AUTH": "100/minute",
                        "RATELIMIT_ACCOUNT": "3/minute"})
config.RATELIMIT_STORAGE_URI, config.RATELIMIT_KEY_PREFIX = sys.argv[1], sys.argv[2]
app = create_app(config)
with app.app_context():
    db.create_all(bind_key=None)
client = app.test_client()
body = {"email": "Nobody@Example.com", "password": "wrong-password-1"}
print(",".join(str(client.post("/api/auth/login", json=body).status_code) for _ in range(2)))
"""


@pytest.mark.skipif(not _redis_available(), reason="no Redis on 127.0.0.1:6379")
def test_rate_limit_counters_are_shared_by_workers_through_redis(app, database_url):
    """Two workers (separate processes) with RATELIMIT_STORAGE_URI=redis://... count together:
    2 login attempts in another process + 1 here reach a limit of 3; the 4th is refused."""
    import subprocess
    import sys
    from pathlib import Path

    import redis

    from config import TestingConfig
    from spinta.app import create_app
    from spinta.extensions import limiter

    prefix = f"spinta-test-{uuid.uuid4().hex}"
    server = redis.Redis.from_url(REDIS_DB3)
    config = TestingConfig(
        {
            "SPINTA_TEST_DATABASE_URL": database_url,
            "RATELIMIT_AUTH": "100/minute",
            "RATELIMIT_ACCOUNT": "3/minute",
        }
    )
    config.RATELIMIT_STORAGE_URI, config.RATELIMIT_KEY_PREFIX = REDIS_DB3, prefix
    try:
        other = subprocess.run(
            [sys.executable, "-c", WORKER, REDIS_DB3, prefix],
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert other.stdout.strip().splitlines()[-1] == "401,401"
        assert server.keys(f"*{prefix}*")  # the counter is in Redis
        client = create_app(config).test_client()
        body = {"email": "nobody@example.com ", "password": "wrong-password-1"}
        statuses = [client.post("/api/auth/login", json=body).status_code for _ in range(2)]
        assert statuses == [401, 429]
    finally:
        keys = server.keys(f"*{prefix}*")
        if keys:
            server.delete(*keys)
        limiter.init_app(app)  # back to the session app's in-memory storage


def test_login_is_limited_per_account_from_any_address(client):
    """Ten addresses cannot try one account more often than one address can, and an unknown
    email gets the very same 429 (nothing says whether an account exists)."""
    coach = register_coach(client)

    def attempt(email, n, password="bad-pass-word"):
        return client.post(
            "/api/auth/login",
            json={"email": email, "password": password},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        )

    for email in (coach.email, "nobody@example.com"):
        statuses = [attempt(email, n).status_code for n in range(10)]
        assert statuses == [401] * 10
        blocked = attempt(email.upper(), 11)  # the same account, however it is spelt
        body = assert_error(blocked, 429)
        assert int(blocked.headers["Retry-After"]) > 0
        assert "Too many" in body["detail"]
    # The right password is refused too while the account is over its limit ...
    assert attempt(coach.email, 12, PASSWORD).status_code == 429
    # ... and other accounts are not affected.
    other = register_coach(client)
    assert attempt(other.email, 13, PASSWORD).status_code == 200


def test_change_password_is_limited_like_login(client):
    coach = register_coach(client)

    def attempt(n):
        return client.post(
            "/api/auth/change-password",
            headers=coach.headers,
            json={"current_password": f"guess-number-{n}", "new_password": "brand-new-pass"},
            environ_base={"REMOTE_ADDR": f"10.0.1.{n}"},
        )

    assert [attempt(n).status_code for n in range(10)] == [401] * 10
    blocked = attempt(11)
    assert_error(blocked, 429)
    assert int(blocked.headers["Retry-After"]) > 0


def test_change_password_is_limited_per_address(client):
    from spinta.extensions import limiter

    coaches = [register_coach(client) for _ in range(6)]
    limiter.reset()  # registrations from this address have their own limit
    coaches += [register_coach(client) for _ in range(5)]
    limiter.reset()
    statuses = [
        client.post(
            "/api/auth/change-password",
            headers=coach.headers,
            json={"current_password": "wrong-guess-1", "new_password": "brand-new-pass"},
        ).status_code
        for coach in coaches
    ]
    assert statuses == [401] * 10 + [429]


def test_trusted_proxy_header_sets_the_client_address(database_url):
    """Behind one trusted proxy the limit applies per X-Forwarded-For client, not per proxy."""
    from config import TestingConfig
    from spinta.app import create_app

    config = TestingConfig(
        {
            "SPINTA_TEST_DATABASE_URL": database_url,
            "TRUSTED_PROXIES": "1",
            "RATELIMIT_AUTH": "2/minute",
        }
    )
    client = create_app(config).test_client()
    from spinta.extensions import limiter

    limiter.reset()

    def attempt(ip):
        return client.post(
            "/api/auth/verify-invite", json={}, headers={"X-Forwarded-For": ip}
        ).status_code

    assert [attempt("203.0.113.1") for _ in range(3)] == [422, 422, 429]
    assert attempt("203.0.113.2") == 422  # another client behind the same proxy


def test_rate_limited_endpoints_answer_503_while_the_shared_store_is_down(app, database_url):
    """Redis (the shared counters) not answering: login is neither run unlimited nor a 500, but a
    retryable 503 with a sentence; endpoints without a limit keep working."""
    from bench._harness import free_port
    from config import TestingConfig
    from spinta.app import create_app
    from spinta.extensions import limiter

    config = TestingConfig({"SPINTA_TEST_DATABASE_URL": database_url})
    config.RATELIMIT_STORAGE_URI = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    try:
        client = create_app(config).test_client()
        body = {"email": "nobody@example.com", "password": "wrong-password-1"}
        response = client.post("/api/auth/login", json=body)
        assert_error(response, 503)
        assert "rate-limit store does not answer" in response.get_json()["detail"]
        assert int(response.headers["Retry-After"]) > 0
        assert client.get("/api/health").status_code == 200
    finally:
        limiter.init_app(app)  # back to the session app's in-memory storage


# ---------------------------------------------------------------- verified tokens remembered


def _token(app, seconds: int) -> str:
    with app.test_request_context():
        return create_access_token(
            identity=str(uuid.uuid4()), expires_delta=timedelta(seconds=seconds)
        )


def test_a_remembered_token_is_refused_once_it_expires(app, monkeypatch):
    token = _token(app, 60)
    with app.test_request_context():
        claims = decode_token(token)
        assert decode_token(token) is claims  # remembered: not decoded again
        monkeypatch.setattr(extensions, "time", SimpleNamespace(time=lambda: claims["exp"] - 1))
        assert decode_token(token) is claims
        monkeypatch.setattr(extensions, "time", SimpleNamespace(time=lambda: claims["exp"]))
        monkeypatch.setattr(pyjwt.api_jwt, "datetime", _Clock(claims["exp"]))  # decoded in full
        with pytest.raises(pyjwt.ExpiredSignatureError):
            decode_token(token)


def _counting_decodes(monkeypatch) -> list[str]:
    """The tokens flask-jwt-extended verifies in full (signature and claims)."""
    decoded: list[str] = []
    full = flask_jwt_manager._decode_jwt

    def counted(**kwargs):
        decoded.append(kwargs["encoded_token"])
        return full(**kwargs)

    monkeypatch.setattr(flask_jwt_manager, "_decode_jwt", counted)
    return decoded


def test_a_guard_verifies_a_token_once(client, monkeypatch):
    coach = register_coach(client)
    decoded = _counting_decodes(monkeypatch)
    headers = {"Authorization": f"Bearer {coach.token}"}
    for _ in range(3):  # a guarded view that is not a cached screen
        assert client.get("/api/coach/profile", headers=headers).status_code == 200
    assert decoded == [coach.token]  # the first request only
    changed = coach.token[:-2] + ("AA" if coach.token[-2:] != "AA" else "BB")
    assert_error(
        client.get("/api/coach/profile", headers={"Authorization": f"Bearer {changed}"}), 401
    )
    assert decoded.count(coach.token) == 1 and changed in decoded  # any other: in full


class _Clock:
    """PyJWT's ``datetime`` at a fixed moment (its expiry check reads ``datetime.now``)."""

    def __init__(self, at: float) -> None:
        self.at = at

    def now(self, tz=None):
        return datetime.fromtimestamp(self.at, tz)


def test_a_guard_answers_an_expired_remembered_token_as_expired(client, monkeypatch):
    coach = register_coach(client)
    headers = {"Authorization": f"Bearer {coach.token}"}
    assert client.get("/api/coach/profile", headers=headers).status_code == 200
    expires = pyjwt.decode(coach.token, options={"verify_signature": False})["exp"]
    monkeypatch.setattr(extensions, "time", SimpleNamespace(time=lambda: expires + 1))
    monkeypatch.setattr(pyjwt.api_jwt, "datetime", _Clock(expires + 1))
    body = assert_error(client.get("/api/coach/profile", headers=headers), 401)
    assert body["detail"] == "Your session has expired. Please log in again."


def test_a_token_is_remembered_only_by_the_app_that_verified_it(app, database_url):
    token = _token(app, 60)
    with app.test_request_context():
        decode_token(token)
    other = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": database_url}))
    other.config["JWT_SECRET_KEY"] = "another-secret-key-of-at-least-32-chars"
    with other.test_request_context(), pytest.raises(pyjwt.InvalidSignatureError):
        decode_token(token)


def test_a_changed_token_is_verified_in_full(app):
    token = _token(app, 60)
    header, payload, signature = token.split(".")
    with app.test_request_context():
        decode_token(token)
        forged = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
        with pytest.raises(pyjwt.InvalidSignatureError):
            decode_token(forged)
