"""Test data builders: accounts through the real API, squad entries straight into the database."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass

from spinta.extensions import db
from spinta.models import Player
from spinta.services.invites import generate_invite_code

_counter = itertools.count(1)
PASSWORD = "correct-horse-9"


@dataclass
class Account:
    user_id: str
    email: str
    token: str
    club_id: str | None = None
    player_id: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def register_coach(client, *, club_name: str | None = None, **club: object) -> Account:
    n = next(_counter)
    email = f"coach{n}-{uuid.uuid4().hex[:6]}@example.com"
    response = client.post(
        "/api/auth/register/coach",
        json={
            "email": email,
            "password": PASSWORD,
            "full_name": f"Coach Number{n}",
            "club": {"club_name": club_name or f"Club {n}", **club},
        },
    )
    return coach_account(response, email)


def coach_account(response, email: str) -> Account:
    """The account a coach registration answered (201)."""
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return Account(
        user_id=body["user"]["user_id"],
        email=email,
        token=body["token"],
        club_id=body["user"]["club"]["club_id"],
    )


def invite_staff(client, admin: Account, *, role: str = "coach", team_ids=(), **extra) -> str:
    """A staff invite code issued by ``admin`` (POST /api/coach/staff-invites)."""
    response = client.post(
        "/api/coach/staff-invites",
        headers=admin.headers,
        json={"role": role, "team_ids": [str(t) for t in team_ids], **extra},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["invite_code"]


def register_staff(
    client, admin: Account, *, role: str = "coach", team_ids=(), name: str = "Staff Member"
) -> Account:
    """A coach who joined ``admin``'s club with a staff invite code (his role and teams)."""
    code = invite_staff(client, admin, role=role, team_ids=team_ids)
    email = f"staff-{uuid.uuid4().hex[:8]}@example.com"
    response = client.post(
        "/api/auth/register/coach",
        json={"email": email, "password": PASSWORD, "full_name": name, "invite_code": code},
    )
    return coach_account(response, email)


def add_team(app, club_id: str, name: str) -> str:
    """A second team of the club, written directly (no teams endpoint needed)."""
    from spinta.models import Team

    with app.app_context():
        team = Team(club_id=uuid.UUID(club_id), name=name, format="9v9")
        db.session.add(team)
        db.session.commit()
        team_id = str(team.id)
        db.session.remove()
        return team_id


def default_team_id(client, coach: Account) -> str:
    teams = client.get("/api/coach/teams", headers=coach.headers).get_json()["teams"]
    return next(team["team_id"] for team in teams if team["is_default"])


def add_player(
    app,
    club_id: str,
    *,
    name: str = "Lionel Messi",
    jersey: int | None = 10,
    position: str | None = "Right Wing",
    statsbomb_id: int | None = None,
) -> Player:
    """A squad entry as an upload or a coach would create it (unlinked, with an invite code)."""
    with app.app_context():
        player = Player(
            club_id=uuid.UUID(str(club_id)),
            player_name=name,
            jersey_number=jersey,
            position=position,
            provider=None if statsbomb_id is None else "statsbomb",
            external_id=statsbomb_id,
            invite_code=generate_invite_code(name),
        )
        db.session.add(player)
        db.session.commit()
        db.session.refresh(player)
        db.session.expunge(player)
        return player


def register_player(client, app, club_id: str, **player_kwargs: object) -> Account:
    """A squad entry plus the player's own signup with its invite code."""
    player = add_player(app, club_id, **player_kwargs)
    email = f"player{next(_counter)}-{uuid.uuid4().hex[:6]}@example.com"
    response = client.post(
        "/api/auth/register/player",
        json={
            "invite_code": player.invite_code,
            "player_name": player.player_name,
            "email": email,
            "password": PASSWORD,
            "birth_date": "2010-05-01",
            "height": 170,
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return Account(
        user_id=body["user"]["user_id"],
        email=email,
        token=body["token"],
        club_id=str(club_id),
        player_id=str(player.id),
    )
