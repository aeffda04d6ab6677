"""Jersey numbers fall back to the squad's, and a coach corrects a squad player (issue 15, 17).

A substitute the file never lists in a Tactical Shift has no number in that match's file
(Croatia 2022: Palacios, Dybala). Every screen shows the squad's number instead; the coach
sets the ones no file carries with ``PATCH /api/coach/players/{id}``.
"""

from __future__ import annotations

import io
import logging
import uuid

import pytest
from sqlalchemy import select

from spinta.extensions import db
from spinta.models import MatchLineup, Player
from spinta.plans.generator import position_group
from spinta.schemas.players import POSITIONS
from tests.conftest import statsbomb_file
from tests.factories import register_coach, register_player
from tests.world import assert_contract, assert_unchanged, seeded_world, snapshot

MEXICO = ("argentina-mexico-2022-11-26.json", "2022-11-26")
NETHERLANDS = ("netherlands-argentina-2022-12-09.json", "2022-12-09")
CROATIA = ("argentina-croatia-2022-12-13.json", "2022-12-13")
PALACIOS = "Exequiel Alejandro Palacios"
DYBALA = "Paulo Bruno Exequiel Dybala"
MESSI = "Lionel Andrés Messi Cuccittini"


def upload(client, coach, file: tuple[str, str]) -> str:
    name, day = file
    response = client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data={
            "match_date": day,
            "events_file": (io.BytesIO(statsbomb_file(name).read_bytes()), "events.json"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["match_id"]


def lineup_numbers(client, coach, match_id: str) -> dict[str, int | None]:
    body = client.get(f"/api/coach/matches/{match_id}", headers=coach.headers).get_json()
    return {p["player_name"]: p["jersey_number"] for p in body["lineup"]["our_team"]}


def squad(client, coach) -> dict[str, dict]:
    body = client.get("/api/coach/players?limit=100", headers=coach.headers).get_json()
    return {p["player_name"]: p for p in body["players"]}


def patch(client, coach, player_id: str, body: dict):
    return client.patch(f"/api/coach/players/{player_id}", headers=coach.headers, json=body)


def stored_lineup_number(app, match_id: str, name: str) -> int | None:
    with app.app_context():
        return db.session.scalar(
            select(MatchLineup.jersey_number).where(
                MatchLineup.match_id == uuid.UUID(match_id), MatchLineup.player_name == name
            )
        )


def test_a_substitute_without_a_number_in_the_file_shows_the_squads(client, app):
    coach = register_coach(client, club_name="Argentina")
    upload(client, coach, MEXICO)
    upload(client, coach, NETHERLANDS)
    croatia = upload(client, coach, CROATIA)
    assert stored_lineup_number(app, croatia, PALACIOS) is None  # the file has no number
    assert squad(client, coach)[PALACIOS]["jersey_number"] == 14  # an earlier file had it
    assert lineup_numbers(client, coach, croatia)[PALACIOS] == 14

    # Dybala's number is in none of the files: the coach sets it, and every screen shows it.
    dybala = squad(client, coach)[DYBALA]
    assert dybala["jersey_number"] is None
    response = patch(client, coach, dybala["player_id"], {"jersey_number": 21})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["jersey_number"] == 21
    assert response.get_json()["player_id"] == dybala["player_id"]
    assert lineup_numbers(client, coach, croatia)[DYBALA] == 21
    assert squad(client, coach)[DYBALA]["jersey_number"] == 21
    with app.app_context():
        code = db.session.get(Player, uuid.UUID(dybala["player_id"])).invite_code
    invite = client.post("/api/auth/verify-invite", json={"invite_code": code}).get_json()
    assert invite["player_data"]["jersey_number"] == 21
    plan = client.post(
        "/api/coach/training-plans/generate-ai",
        headers=coach.headers,
        json={"player_id": dybala["player_id"]},
    ).get_json()
    assert plan["jersey_number"] == 21
    chat = client.post(
        "/api/chat/messages", headers=coach.headers, json={"message": "show the squad"}
    ).get_json()
    assert f"#21 {DYBALA}" in chat["message"]


def test_the_files_number_for_its_match_and_the_squads_everywhere_else(client, app):
    coach = register_coach(client, club_name="Argentina")
    mexico = upload(client, coach, MEXICO)
    messi = squad(client, coach)[MESSI]
    assert messi["jersey_number"] == 10
    corrected = patch(client, coach, messi["player_id"], {"jersey_number": 19})
    assert corrected.status_code == 200, corrected.get_json()
    croatia = upload(client, coach, CROATIA)  # the file says 10 again
    # The squad keeps the coach's number; each match shows what the file gave for it.
    assert squad(client, coach)[MESSI]["jersey_number"] == 19
    assert lineup_numbers(client, coach, mexico)[MESSI] == 10
    assert lineup_numbers(client, coach, croatia)[MESSI] == 10


def test_patch_changes_name_number_and_position(client, app, caplog):
    coach = register_coach(client, club_name="Home FC")
    player = register_player(client, app, coach.club_id, name="Kid One", jersey=4, position=None)
    caplog.set_level(logging.INFO, logger="spinta.services.players")
    response = patch(
        client,
        coach,
        player.player_id,
        {"player_name": "  Kid Number One ", "jersey_number": "7", "position": "left wing"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["player_name"], body["jersey_number"], body["position"]) == (
        "Kid Number One",
        7,
        "Left Wing",
    )
    assert body["is_linked"] is True
    detail = client.get(f"/api/coach/players/{player.player_id}", headers=coach.headers)
    assert detail.get_json()["player"] == body
    # The audit line: who, which player, which fields; never the values.
    audits = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    audit = next(a for a in audits if a.get("event") == "squad_player_updated")
    assert audit["coach_user_id"] == coach.user_id and audit["player_id"] == player.player_id
    assert audit["fields"] == ["player_name", "jersey_number", "position"]
    assert "Kid" not in str(audits)

    # Absent, null and "" leave a field as it is; an unchanged value is no change.
    caplog.clear()
    response = patch(client, coach, player.player_id, {"jersey_number": None, "position": ""})
    assert response.status_code == 200 and response.get_json() == body
    assert patch(client, coach, player.player_id, {"jersey_number": 7}).get_json() == body
    assert not [r for r in caplog.records if isinstance(r.msg, dict)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"player_name": "   "}, "player_name"),
        ({"player_name": "x" * 121}, "player_name"),
        ({"jersey_number": 100}, "jersey_number"),
        ({"jersey_number": -1}, "jersey_number"),
        ({"jersey_number": 2**40}, "jersey_number"),
        ({"jersey_number": 7.5}, "jersey_number"),
        ({"position": "Keeper of the flame"}, "position"),
        # All or nothing: a valid number next to a bad position changes nothing.
        ({"jersey_number": 9, "position": "Nowhere"}, "position"),
    ],
)
def test_patch_validates_and_changes_nothing(client, app, change, field):
    w = seeded_world(client, app)
    before = snapshot(app)
    response = patch(client, w.coach_a, w.a1.player_id, change)
    body = assert_contract(response, 422)
    assert field in body["errors"]
    assert_unchanged(before, snapshot(app))


def test_patch_is_club_scoped_and_coach_only(client, app):
    w = seeded_world(client, app)
    before = snapshot(app)
    change = {"jersey_number": 42}
    assert_contract(patch(client, w.coach_b, w.a1.player_id, change), 404)  # another club
    assert_contract(patch(client, w.coach_a, str(uuid.uuid4()), change), 404)
    assert_contract(patch(client, w.a1, w.a1.player_id, change), 403)  # a player's token
    assert_unchanged(before, snapshot(app))


def test_every_position_is_one_the_plan_generator_knows():
    assert all(position_group(name) != "unknown" for name in POSITIONS)
