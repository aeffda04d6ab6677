"""Staff (issue 17): roles, invite codes, joining a club, the staff list, removal, and what a
staff member with the ``coach`` role sees (his teams only; the cached screens keep them apart).

The route-by-route checks of both roles are in tests/test_authorization_matrix.py.
"""

from __future__ import annotations

import re
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update

from spinta.extensions import db
from spinta.models import Club, Coach, CoachTeam, StaffInvite
from tests.conftest import POSTGRES_URL
from tests.factories import (
    PASSWORD,
    add_player,
    add_team,
    default_team_id,
    invite_staff,
    register_coach,
    register_staff,
)
from tests.world import tiny_match, upload_json

CODE = re.compile(r"^[A-Z]{3}-[0-9A-HJKMNP-TV-Z]{8}$")


def _join(client, code: str, email: str | None = None, **extra):
    return client.post(
        "/api/auth/register/coach",
        json={
            "email": email or f"joiner-{uuid.uuid4().hex[:8]}@example.com",
            "password": PASSWORD,
            "full_name": "Joining Coach",
            "invite_code": code,
            **extra,
        },
    )


@pytest.fixture
def club(client, app):
    """An admin (the founder) with one uploaded match in his first team and a second team."""
    admin = register_coach(client, club_name="Home FC")
    uploaded = upload_json(client, admin, tiny_match(), opponent_name="Away United")
    assert uploaded.status_code == 201, uploaded.get_json()
    first = default_team_id(client, admin)
    second = add_team(app, admin.club_id, "Home FC U12")
    return admin, first, second, uploaded.get_json()["match_id"]


# ---------------------------------------------------------------- the model and registration


def test_the_founder_is_the_admin_and_a_new_club_registers_as_before(client, app):
    admin = register_coach(client, club_name="Founders FC")
    staff = client.get("/api/coach/staff", headers=admin.headers).get_json()["staff"]
    assert staff == [
        {
            "coach_id": staff[0]["coach_id"],
            "full_name": staff[0]["full_name"],
            "email": admin.email,
            "role": "admin",
            "team_ids": [],
        }
    ]
    with app.app_context():
        coach = db.session.scalar(select(Coach).where(Coach.id == uuid.UUID(staff[0]["coach_id"])))
        club = db.session.get(Club, uuid.UUID(admin.club_id))
        assert coach.club_id == club.id and club.coach_id == coach.id


def test_an_invite_code_has_the_player_code_format_and_expiry(client, app, club):
    admin, first, _second, _match = club
    response = client.post(
        "/api/coach/staff-invites",
        headers=admin.headers,
        json={"role": "coach", "team_ids": [first]},
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert CODE.match(body["invite_code"]) and body["invite_code"].startswith("HOM-")
    assert body["role"] == "coach" and body["team_ids"] == [first]
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30)


def test_a_coach_joins_with_the_codes_role_and_teams_and_logs_in(client, app, club):
    admin, first, second, _match = club
    code = invite_staff(client, admin, team_ids=[second])
    email = "New.Coach@Example.com"
    joined = _join(client, code.lower() + "  ", email=email)  # trimmed, any case
    assert joined.status_code == 201, joined.get_json()
    body = joined.get_json()
    assert body["user"]["user_type"] == "coach"
    assert body["user"]["club"]["club_id"] == admin.club_id
    login = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200
    token = {"Authorization": f"Bearer {login.get_json()['token']}"}
    teams = client.get("/api/coach/teams", headers=token).get_json()["teams"]
    assert [(t["team_id"], t["is_default"]) for t in teams] == [(second, True)]
    staff = client.get("/api/coach/staff", headers=admin.headers).get_json()["staff"]
    assert {(m["email"], m["role"], tuple(m["team_ids"])) for m in staff} == {
        (admin.email, "admin", ()),
        ("new.coach@example.com", "coach", (second,)),
    }
    assert first not in str(teams)


def test_an_invited_admin_sees_every_team_and_may_invite(client, app, club):
    admin, first, second, _match = club
    other_admin = register_staff(client, admin, role="admin", name="Second Admin")
    teams = client.get("/api/coach/teams", headers=other_admin.headers).get_json()["teams"]
    assert [t["team_id"] for t in teams] == [first, second]
    assert invite_staff(client, other_admin, team_ids=[first])


def test_a_code_works_once(client, app, club):
    admin, first, _second, _match = club
    code = invite_staff(client, admin, team_ids=[first])
    assert _join(client, code).status_code == 201
    again = _join(client, code)
    assert again.status_code == 409 and "already been used" in again.get_json()["detail"]


def test_an_expired_unknown_or_other_email_code_is_refused(client, app, club):
    admin, first, _second, _match = club
    code = invite_staff(client, admin, team_ids=[first])
    with app.app_context():
        db.session.execute(
            update(StaffInvite).values(invite_expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
    assert _join(client, code).status_code == 410
    assert _join(client, "HOM-00000000").status_code == 404
    bound = invite_staff(client, admin, team_ids=[first], email="Only.Her@example.com")
    assert _join(client, bound, email="someone.else@example.com").status_code == 422
    assert _join(client, bound, email="only.her@example.com").status_code == 201
    with app.app_context():  # nothing half-written by the refusals
        assert db.session.scalar(select(db.func.count(Coach.id))) == 2


def test_an_invite_needs_teams_of_the_club_for_a_coach(client, app, club):
    admin, _first, _second, _match = club
    other = register_coach(client, club_name="Other FC")
    foreign = default_team_id(client, other)
    post = lambda body: client.post("/api/coach/staff-invites", headers=admin.headers, json=body)  # noqa: E731
    assert post({"role": "coach", "team_ids": []}).status_code == 422
    assert post({"role": "coach", "team_ids": [foreign]}).status_code == 404
    assert post({"role": "owner", "team_ids": []}).status_code == 422
    assert post({"role": "admin"}).get_json()["team_ids"] == []


def test_invite_codes_are_never_logged(client, app, club, caplog, capsys):
    admin, first, _second, _match = club
    with caplog.at_level("DEBUG"):
        code = invite_staff(client, admin, team_ids=[first])
        _join(client, code)
        _join(client, code)  # the 409 too
    logged = caplog.text + "".join(capsys.readouterr())
    assert code not in logged and code.lower() not in logged


# ---------------------------------------------------------------- removal


def test_the_last_admin_cannot_be_removed(client, app, club):
    admin, _first, _second, _match = club
    staff = client.get("/api/coach/staff", headers=admin.headers).get_json()["staff"]
    response = client.delete(f"/api/coach/staff/{staff[0]['coach_id']}", headers=admin.headers)
    assert response.status_code == 409
    assert client.get("/api/coach/dashboard", headers=admin.headers).status_code == 200


def test_removing_a_member_ends_his_tokens_and_the_founder_hands_the_club_on(client, app, club):
    admin, first, _second, _match = club
    coach = register_staff(client, admin, team_ids=[first])
    heir = register_staff(client, admin, role="admin", name="Heir Admin")
    staff = client.get("/api/coach/staff", headers=admin.headers).get_json()["staff"]
    ids = {m["email"]: m["coach_id"] for m in staff}

    refused = client.delete(f"/api/coach/staff/{ids[admin.email]}", headers=coach.headers)
    assert refused.status_code == 403
    removed = client.delete(f"/api/coach/staff/{ids[coach.email]}", headers=admin.headers)
    assert removed.status_code == 200 and removed.get_json()["coach_id"] == ids[coach.email]
    assert client.get("/api/coach/dashboard", headers=coach.headers).status_code == 401

    # The heir removes the founder: the club (and its match) stays, the heir founds it now.
    founder = client.delete(f"/api/coach/staff/{ids[admin.email]}", headers=heir.headers)
    assert founder.status_code == 200, founder.get_json()
    assert client.get("/api/coach/dashboard", headers=admin.headers).status_code == 401
    matches = client.get("/api/coach/matches", headers=heir.headers).get_json()
    assert matches["total_count"] == 1
    with app.app_context():
        club_row = db.session.get(Club, uuid.UUID(admin.club_id))
        assert club_row.coach_id == uuid.UUID(ids[heir.email])
    other = register_coach(client, club_name="Else FC")
    foreign = client.delete(f"/api/coach/staff/{ids[heir.email]}", headers=other.headers)
    assert foreign.status_code == 404


# ---------------------------------------------------------------- what a coach sees


def test_a_coach_sees_his_teams_only(client, app, club):
    admin, first, second, match_id = club
    reserves = register_staff(client, admin, team_ids=[second])
    first_team = register_staff(client, admin, team_ids=[first])
    assert client.get(f"/api/coach/matches/{match_id}", headers=reserves.headers).status_code == 404
    assert (
        client.get(f"/api/coach/matches/{match_id}", headers=first_team.headers).status_code == 200
    )
    assert client.get("/api/coach/matches", headers=reserves.headers).get_json()["total_count"] == 0
    assert (
        client.get(f"/api/coach/matches?team_id={first}", headers=reserves.headers).status_code
        == 404
    )
    assert (
        client.get(f"/api/coach/matches?team_id={second}", headers=admin.headers).status_code == 200
    )
    squad = client.get("/api/coach/players", headers=first_team.headers).get_json()
    assert squad["total_count"] > 0
    assert client.get("/api/coach/players", headers=reserves.headers).get_json()["total_count"] == 0


def test_a_coachs_upload_goes_to_his_team(client, app, club):
    admin, _first, second, _match = club
    reserves = register_staff(client, admin, team_ids=[second])
    uploaded = upload_json(
        client, reserves, tiny_match(variant=3), opponent_name="Cup Rivals", match_date="2024-05-01"
    )
    assert uploaded.status_code == 201, uploaded.get_json()
    listed = client.get(f"/api/coach/matches?team_id={second}", headers=admin.headers).get_json()
    assert [m["match_id"] for m in listed["matches"]] == [uploaded.get_json()["match_id"]]
    detail = client.get(
        f"/api/coach/matches/{listed['matches'][0]['match_id']}", headers=reserves.headers
    )
    assert detail.status_code == 200


def test_chat_sessions_are_each_staff_members_own(client, app, club):
    admin, first, _second, _match = club
    coach = register_staff(client, admin, team_ids=[first])
    asked = client.post("/api/chat/messages", headers=admin.headers, json={"message": "Hello"})
    session = asked.get_json()["session_id"]
    mine = client.get(f"/api/chat/sessions/{session}/messages", headers=admin.headers)
    theirs = client.get(f"/api/chat/sessions/{session}/messages", headers=coach.headers)
    assert mine.status_code == 200 and theirs.status_code == 404


# ---------------------------------------------------------------- cached screens


def test_a_cached_screen_never_crosses_team_sets(client, app, club):
    """The cache key holds the reader's team set: a screen cached for one set is never served
    for another, even with the club's data version unchanged (no write went through
    commit_club_write)."""
    admin, first, second, match_id = club
    coach = register_staff(client, admin, team_ids=[first, second])
    path = f"/api/coach/matches/{match_id}"
    assert client.get(path, headers=coach.headers).status_code == 200  # cached for {first, second}
    assert client.get(path, headers=coach.headers).status_code == 200  # a hit
    with app.app_context():
        db.session.execute(delete(CoachTeam).where(CoachTeam.team_id == uuid.UUID(first)))
        db.session.commit()
    assert client.get(path, headers=coach.headers).status_code == 404

    # An admin's cached dashboard is not the dashboard of the same login as a coach.
    admin_dashboard = client.get("/api/coach/dashboard", headers=admin.headers)
    assert admin_dashboard.get_json()["matches"]["total_count"] == 1
    with app.app_context():
        db.session.execute(update(Coach).where(Coach.role == "admin").values(role="coach"))
        db.session.execute(
            CoachTeam.__table__.insert().from_select(
                ["coach_id", "team_id"],
                select(Coach.id, db.literal(uuid.UUID(second), db.Uuid())).where(
                    Coach.user_id == uuid.UUID(admin.user_id)
                ),
            )
        )
        db.session.commit()
    demoted = client.get("/api/coach/dashboard", headers=admin.headers)
    assert demoted.status_code == 200 and demoted.get_json()["matches"]["total_count"] == 0


def test_a_code_used_between_the_check_and_the_signup_is_refused(client, app, club, monkeypatch):
    """The race, deterministically: another signup uses the code right after our check."""
    import spinta.services.auth as auth_service

    admin, first, _second, _match = club
    code = invite_staff(client, admin, team_ids=[first])
    original = auth_service._open_staff_invite

    def stale_check(invite_code):
        found = original(invite_code)
        with db.engine.begin() as conn:
            conn.execute(
                StaffInvite.__table__.update()
                .where(StaffInvite.id == found.id)
                .values(used_at=datetime.now(UTC))
            )
        return found

    monkeypatch.setattr(auth_service, "_open_staff_invite", stale_check)
    assert _join(client, code).status_code == 409
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Coach.id))) == 1


@pytest.mark.skipif(not POSTGRES_URL, reason="real concurrency needs PostgreSQL")
def test_concurrent_signups_with_one_staff_code(client, app, club):
    admin, first, _second, _match = club
    code = invite_staff(client, admin, team_ids=[first])
    barrier = threading.Barrier(2)
    statuses = []

    def signup(n):
        with app.test_client() as own_client:
            barrier.wait()
            statuses.append(_join(own_client, code, email=f"racer{n}@example.com").status_code)

    threads = [threading.Thread(target=signup, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409]
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Coach.id))) == 2


def test_a_player_in_no_squad_is_listed_for_admins_only(client, app, club):
    admin, first, _second, _match = club
    coach = register_staff(client, admin, team_ids=[first])
    loose = add_player(app, admin.club_id, name="Loose Newcomer", jersey=88)
    admins = client.get("/api/coach/players?limit=100", headers=admin.headers).get_data(
        as_text=True
    )
    coachs = client.get("/api/coach/players?limit=100", headers=coach.headers).get_data(
        as_text=True
    )
    assert "Loose Newcomer" in admins and "Loose Newcomer" not in coachs
    assert client.get(f"/api/coach/players/{loose.id}", headers=coach.headers).status_code == 404


def test_issuing_invites_is_rate_limited_per_account(client, app, club):
    from spinta.extensions import limiter

    admin, first, _second, _match = club
    other_admin = register_staff(client, admin, role="admin", name="Other Admin")
    limiter.reset()
    body = {"role": "coach", "team_ids": [first]}
    statuses = [
        client.post("/api/coach/staff-invites", headers=admin.headers, json=body).status_code
        for _ in range(11)
    ]
    assert statuses == [201] * 10 + [429]
    other = client.post("/api/coach/staff-invites", headers=other_admin.headers, json=body)
    assert other.status_code == 201


def test_the_profiles_player_count_is_the_squad_the_coach_sees(client, app, club):
    admin, first, second, _match = club
    reserves = register_staff(client, admin, team_ids=[second])
    first_team = register_staff(client, admin, team_ids=[first])
    add_player(app, admin.club_id, name="Loose Newcomer", jersey=88)
    for member in (admin, reserves, first_team):
        squad = client.get("/api/coach/players", headers=member.headers).get_json()
        profile = client.get("/api/coach/profile", headers=member.headers).get_json()
        assert profile["club_stats"]["total_players"] == squad["summary"]["total_players"]
    assert (
        client.get("/api/coach/profile", headers=reserves.headers).get_json()["club_stats"][
            "total_players"
        ]
        == 0
    )
