"""Logout revokes exactly its token; invite codes expire and a coach can reissue them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from spinta.extensions import db
from spinta.models import Player, RevokedToken
from tests.factories import PASSWORD, add_player, register_coach, register_player
from tests.world import assert_contract


def _login(client, email: str) -> str:
    response = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# ---------------------------------------------------------------- logout


def test_logout_revokes_only_the_token_it_is_called_with(client, app):
    coach = register_coach(client)
    other_session = _login(client, coach.email)
    response = client.post("/api/auth/logout", headers=coach.headers)
    assert response.status_code == 200, response.get_json()
    for path in ("/api/coach/profile", "/api/coach/players"):
        assert_contract(client.get(path, headers=coach.headers), 401)
        assert client.get(path, headers=_bearer(other_session)).status_code == 200
    assert_contract(client.post("/api/auth/logout", headers=coach.headers), 401)
    # A logged-out token cannot change the password either.
    change = client.post(
        "/api/auth/change-password",
        headers=coach.headers,
        json={"current_password": PASSWORD, "new_password": "another-horse-10"},
    )
    assert_contract(change, 401)


def test_logout_works_for_players_and_needs_a_token(client, app):
    coach = register_coach(client)
    player = register_player(client, app, coach.club_id)
    assert client.post("/api/auth/logout", headers=player.headers).status_code == 200
    assert_contract(client.get("/api/player/profile", headers=player.headers), 401)
    assert_contract(client.post("/api/auth/logout"), 401)


def test_revoked_tokens_are_deleted_once_they_have_expired(client, app):
    coach = register_coach(client)
    with app.app_context():
        db.session.add(RevokedToken(jti="old", expires_at=datetime.now(UTC) - timedelta(days=1)))
        db.session.commit()
    assert client.post("/api/auth/logout", headers=coach.headers).status_code == 200
    with app.app_context():
        assert list(db.session.scalars(select(RevokedToken.jti))) != ["old"]
        assert db.session.scalar(select(func.count()).select_from(RevokedToken)) == 1


# ---------------------------------------------------------------- invite codes expire


def _expire(app, player_id) -> None:
    with app.app_context():
        player = db.session.get(Player, player_id)
        player.invite_expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()


def _signup_body(code: str) -> dict:
    return {
        "invite_code": code,
        "player_name": "Lionel Messi",
        "email": "leo@example.com",
        "password": PASSWORD,
        "birth_date": "2010-05-01",
        "height": 170,
    }


def test_new_codes_expire_after_the_configured_days(client, app):
    coach = register_coach(client)
    player = add_player(app, coach.club_id)
    expires = player.invite_expires_at.replace(tzinfo=player.invite_expires_at.tzinfo or UTC)
    assert abs(expires - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=1)
    app.config["INVITE_CODE_TTL_DAYS"] = 2
    try:
        short = add_player(app, coach.club_id, name="Short Lived", jersey=11)
    finally:
        app.config["INVITE_CODE_TTL_DAYS"] = 30
    expires = short.invite_expires_at.replace(tzinfo=short.invite_expires_at.tzinfo or UTC)
    assert abs(expires - (datetime.now(UTC) + timedelta(days=2))) < timedelta(minutes=1)


def test_an_expired_code_answers_410_and_links_nobody(client, app):
    coach = register_coach(client)
    player = add_player(app, coach.club_id)
    _expire(app, player.id)
    verify = client.post("/api/auth/verify-invite", json={"invite_code": player.invite_code})
    body = assert_contract(verify, 410)
    assert "expired" in body["detail"] and "coach" in body["detail"]
    signup = client.post("/api/auth/register/player", json=_signup_body(player.invite_code))
    assert_contract(signup, 410)
    with app.app_context():
        assert not db.session.get(Player, player.id).is_linked


# ---------------------------------------------------------------- reissue


def _reissue(client, coach, player_id):
    return client.post(f"/api/coach/players/{player_id}/invite-code", headers=coach.headers)


def test_coach_reissues_an_expired_code_and_the_old_one_stops_working(client, app):
    coach = register_coach(client)
    player = add_player(app, coach.club_id)
    _expire(app, player.id)
    response = _reissue(client, coach, player.id)
    assert response.status_code == 201, response.get_json()
    issued = response.get_json()
    assert issued["invite_code"].startswith("LIO-") and issued["invite_code"] != player.invite_code
    expires = datetime.fromisoformat(issued["expires_at"])
    assert expires.tzinfo is not None
    assert abs(expires - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=1)
    old = client.post("/api/auth/verify-invite", json={"invite_code": player.invite_code})
    assert_contract(old, 404)
    new = client.post("/api/auth/verify-invite", json={"invite_code": issued["invite_code"]})
    assert new.status_code == 200, new.get_json()
    detail = client.get(f"/api/coach/players/{player.id}", headers=coach.headers).get_json()
    assert detail["invite_code"] == issued["invite_code"]
    signup = client.post("/api/auth/register/player", json=_signup_body(issued["invite_code"]))
    assert signup.status_code == 201, signup.get_json()


def test_reissue_is_refused_once_joined_and_for_other_clubs(client, app):
    coach = register_coach(client)
    joined = register_player(client, app, coach.club_id)
    with app.app_context():
        joined_player = db.session.scalar(
            select(Player).where(Player.user_id == uuid.UUID(joined.user_id))
        )
        code = joined_player.invite_code
    body = assert_contract(_reissue(client, coach, joined_player.id), 409)
    assert "already joined" in body["detail"]
    other = register_coach(client)
    pending = add_player(app, coach.club_id, name="Pending Player", jersey=12)
    assert_contract(_reissue(client, other, pending.id), 404)
    assert_contract(_reissue(client, coach, uuid.uuid4()), 404)
    with app.app_context():
        assert db.session.get(Player, joined_player.id).invite_code == code
        assert db.session.get(Player, pending.id).invite_code == pending.invite_code


def test_a_signup_with_a_code_replaced_meanwhile_is_refused(client, app, monkeypatch):
    """The code is read, then the coach reissues it, then the signup links: refused."""
    from spinta.services import auth as auth_service

    coach = register_coach(client)
    player = add_player(app, coach.club_id)
    found = auth_service.find_invited_player

    def reissued_meanwhile(code):
        squad_entry = found(code)
        db.session.execute(
            Player.__table__.update()
            .where(Player.__table__.c.id == squad_entry.id)
            .values(invite_code="NEW-00000000")
        )
        return squad_entry

    monkeypatch.setattr(auth_service, "find_invited_player", reissued_meanwhile)
    response = client.post("/api/auth/register/player", json=_signup_body(player.invite_code))
    assert_contract(response, 409)
    with app.app_context():
        assert not db.session.get(Player, player.id).is_linked
