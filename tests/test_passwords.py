"""Passwords are used byte for byte as typed (never trimmed) and common ones are refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from spinta.extensions import db
from spinta.models import User
from tests.factories import PASSWORD, add_player, register_coach

SPACED = ["  correct-horse-9", "correct-horse-9  ", " correct horse 9 ", "\tcorrect-horse-9\n"]


def _coach_body(password: str, email: str = "spaced@example.com") -> dict:
    return {
        "email": email,
        "password": password,
        "full_name": "Pep Trainer",
        "club": {"club_name": "Spaced FC"},
    }


def _login(client, email: str, password: str):
    return client.post("/api/auth/login", json={"email": email, "password": password})


@pytest.mark.parametrize("password", SPACED)
def test_coach_with_spaces_around_his_password_can_log_in_with_it(client, password):
    assert client.post("/api/auth/register/coach", json=_coach_body(password)).status_code == 201
    assert _login(client, "spaced@example.com", password).status_code == 200
    # The trimmed password is another password.
    assert _login(client, "spaced@example.com", password.strip()).status_code == 401


@pytest.mark.parametrize("password", SPACED)
def test_player_with_spaces_around_his_password_can_log_in_with_it(client, app, password):
    coach = register_coach(client)
    player = add_player(app, coach.club_id)
    response = client.post(
        "/api/auth/register/player",
        json={
            "invite_code": player.invite_code,
            "player_name": "Lionel Messi",
            "email": "leo@example.com",
            "password": password,
            "birth_date": "2010-05-01",
            "height": 170,
        },
    )
    assert response.status_code == 201, response.get_json()
    assert _login(client, "leo@example.com", password).status_code == 200
    assert _login(client, "leo@example.com", password.strip()).status_code == 401


@pytest.mark.parametrize("password", SPACED)
def test_change_password_keeps_spaces_in_current_and_new_password(client, password):
    assert client.post("/api/auth/register/coach", json=_coach_body(password)).status_code == 201
    token = _login(client, "spaced@example.com", password).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    wrong = client.post(
        "/api/auth/change-password",
        headers=headers,
        json={"current_password": password.strip(), "new_password": " " + PASSWORD + " "},
    )
    assert wrong.status_code == 401
    changed = client.post(
        "/api/auth/change-password",
        headers=headers,
        json={"current_password": password, "new_password": " " + PASSWORD + " "},
    )
    assert changed.status_code == 200, changed.get_json()
    assert _login(client, "spaced@example.com", " " + PASSWORD + " ").status_code == 200
    assert _login(client, "spaced@example.com", PASSWORD).status_code == 401


def test_create_coach_cli_keeps_the_password_as_typed(runner, client):
    result = runner.invoke(
        args=[
            "spinta",
            "create-coach",
            "--email",
            "cli@example.com",
            "--full-name",
            "Cli Coach",
            "--club-name",
            "Cli FC",
            "--age-group",
            "",
        ],
        input="  correct-horse-9 \n  correct-horse-9 \n",
    )
    assert result.exit_code == 0, result.output
    assert _login(client, "cli@example.com", "  correct-horse-9 ").status_code == 200
    assert _login(client, "cli@example.com", "correct-horse-9").status_code == 401


COMMON = {
    "12345678": "one of the most common passwords",
    "password": "one of the most common passwords",
    "        ": "repeats",
    "qwertyuiop": "one of the most common passwords",
    "abcdefghij": "sequences",
}


@pytest.mark.parametrize(("password", "reason"), COMMON.items())
def test_common_passwords_are_refused_with_the_reason(client, app, password, reason):
    response = client.post("/api/auth/register/coach", json=_coach_body(password))
    assert response.status_code == 422
    body = response.get_json()
    sentence = body["errors"]["password"]
    assert sentence.startswith("This password is too easy to guess: ")
    assert reason in sentence.lower(), sentence
    assert sentence in body["detail"] and body["detail"] == body["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_common_passwords_are_refused_at_player_signup_and_password_change(client, app):
    coach = register_coach(client)
    player = add_player(app, coach.club_id)
    signup = client.post(
        "/api/auth/register/player",
        json={
            "invite_code": player.invite_code,
            "player_name": "Lionel Messi",
            "email": "leo@example.com",
            "password": "password",
            "birth_date": "2010-05-01",
            "height": 170,
        },
    )
    assert signup.status_code == 422
    assert "most common" in signup.get_json()["errors"]["password"]
    change = client.post(
        "/api/auth/change-password",
        headers=coach.headers,
        json={"current_password": PASSWORD, "new_password": "12345678"},
    )
    assert change.status_code == 422
    assert "most common" in change.get_json()["errors"]["new_password"]
    assert _login(client, coach.email, PASSWORD).status_code == 200


def test_login_with_a_common_password_is_still_checked_not_refused(client, app):
    """Accounts made before the check keep working: only new passwords are judged."""
    from spinta.security import hash_password

    coach = register_coach(client)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == coach.email))
        user.password_hash = hash_password("12345678")
        db.session.commit()
    assert _login(client, coach.email, "12345678").status_code == 200


def test_an_empty_new_password_is_a_length_error_not_a_crash(client):
    response = client.post("/api/auth/register/coach", json=_coach_body(""))
    assert response.status_code == 422
    assert "password" in response.get_json()["errors"]
