"""Playing time per team and season (issue 17): minutes as statistics.md measures them, to the
second, each player's share of the team's minutes and the club's minimum share."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from sqlalchemy import update

from spinta.extensions import db
from spinta.models import Club, Player, Season, TeamPlayer
from spinta.screen_cache import commit_club_write
from tests.factories import add_player, register_coach
from tests.world import tiny_match, upload_json

SHARED = Path(__file__).resolve().parents[2] / "shared" / "statsbomb"
MEXICO = "argentina-mexico-2022-11-26.json"
CROATIA = "argentina-croatia-2022-12-13.json"

# argentina-mexico-2022-11-26.json, read by hand: period 1 ends at 00:50:28.654 and period 2 at
# 00:51:29.394 (their latest timestamps), so the match lasts 3028.654 + 3089.394 seconds.
LENGTH_SECONDS = 3028.654 + 3089.394
# Enzo Fernández comes on for Guido Rodríguez at 00:11:46.892 of period 2 (Left Defensive
# Midfield) and stays on; Guido played period 1 and 706.892 s of period 2.
ENZO_SECONDS = 3089.394 - 706.892
GUIDO_SECONDS = 3028.654 + 706.892
# Julián Álvarez on for Lautaro Martínez at 00:17:26.561 of period 2.
JULIAN_SECONDS = 3089.394 - (17 * 60 + 26.561)


def upload_file(client, coach, name: str, match_date: str) -> dict:
    response = client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data={
            "events_file": (io.BytesIO((SHARED / name).read_bytes()), name),
            "match_date": match_date,
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def team_of(client, coach) -> str:
    return client.get("/api/coach/teams", headers=coach.headers).get_json()["teams"][0]["team_id"]


def playing_time(client, coach, team_id: str, **query) -> dict:
    response = client.get(
        f"/api/coach/teams/{team_id}/playing-time", headers=coach.headers, query_string=query
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def by_name(body: dict) -> dict[str, dict]:
    return {player["player_name"]: player for player in body["players"]}


@pytest.fixture
def argentina(client):
    coach = register_coach(client, club_name="Argentina")
    upload_file(client, coach, MEXICO, "2022-11-26")
    return coach, team_of(client, coach)


def test_minutes_and_shares_to_the_second_on_a_real_match(client, argentina):
    coach, team = argentina
    body = playing_time(client, coach, team)
    assert body["team_id"] == team and body["matches"] == 1
    assert body["available_minutes"] == pytest.approx(LENGTH_SECONDS / 60, abs=1e-9)
    assert body["min_playing_share"] == 0.5
    players = by_name(body)
    assert len(players) == 16  # the starting eleven and five substitutes
    enzo = players["Enzo Fernandez"]
    assert (enzo["matches"], enzo["starts"]) == (1, 0)
    assert enzo["minutes_played"] == pytest.approx(ENZO_SECONDS / 60, abs=1e-9)
    assert enzo["share"] == pytest.approx(ENZO_SECONDS / LENGTH_SECONDS, abs=1e-12)
    assert enzo["below_minimum"] is True
    assert enzo["by_position"] == [
        {"position": "Left Defensive Midfield", "minutes_played": enzo["minutes_played"]}
    ]
    guido = players["Guido Rodríguez"]
    assert (guido["matches"], guido["starts"]) == (1, 1)
    assert guido["share"] == pytest.approx(GUIDO_SECONDS / LENGTH_SECONDS, abs=1e-12)
    assert guido["below_minimum"] is False
    assert players["Julián Álvarez"]["minutes_played"] == pytest.approx(
        JULIAN_SECONDS / 60, abs=1e-9
    )
    messi = players["Lionel Andrés Messi Cuccittini"]
    assert messi["share"] == pytest.approx(1.0) and messi["below_minimum"] is False
    # The same minutes as the match screen's lineup (one stored figure).
    detail = client.get(f"/api/coach/players/{enzo['player_id']}", headers=coach.headers)
    assert detail.get_json()["season_statistics"]["general"]["minutes_played"] == round(
        ENZO_SECONDS / 60
    )


def test_lowest_share_first_ties_by_name_and_positions_add_up(client, argentina):
    coach, team = argentina
    players = playing_time(client, coach, team)["players"]
    assert [(p["share"], p["player_name"]) for p in players] == sorted(
        (p["share"], p["player_name"]) for p in players
    )
    assert players[0]["share"] < players[-1]["share"]
    full = [p["player_name"] for p in players if p["share"] == pytest.approx(1.0)]
    assert len(full) >= 2 and full == sorted(full)
    for player in players:
        assert sum(p["minutes_played"] for p in player["by_position"]) == pytest.approx(
            player["minutes_played"], abs=1e-9
        )


def _set_minimum(app, club_id: str, share: float) -> None:
    with app.app_context():
        club_id = uuid.UUID(club_id)
        db.session.execute(update(Club).where(Club.id == club_id).values(min_playing_share=share))
        commit_club_write(club_id)


def test_the_flag_at_the_boundary(client, app, argentina):
    """Exactly the minimum share is enough; a hair less is flagged."""
    coach, team = argentina
    guido = by_name(playing_time(client, coach, team))["Guido Rodríguez"]
    _set_minimum(app, coach.club_id, guido["share"])
    body = playing_time(client, coach, team)
    assert body["min_playing_share"] == guido["share"]
    assert by_name(body)["Guido Rodríguez"]["below_minimum"] is False
    _set_minimum(app, coach.club_id, guido["share"] + 1e-9)
    assert by_name(playing_time(client, coach, team))["Guido Rodríguez"]["below_minimum"] is True


def test_squad_players_without_a_minute_are_listed(client, app, argentina):
    coach, team = argentina
    season = playing_time(client, coach, team)["season_id"]
    bench = add_player(app, coach.club_id, name="Aaron Bench", jersey=30)
    gone = add_player(app, coach.club_id, name="Aaron Gone", jersey=31)
    with app.app_context():
        for player in (bench, gone):
            db.session.add(
                TeamPlayer(
                    team_id=uuid.UUID(team), season_id=uuid.UUID(season), player_id=player.id
                )
            )
        db.session.execute(update(Player).where(Player.id == gone.id).values(left_at=db.func.now()))
        commit_club_write(uuid.UUID(coach.club_id))
    players = playing_time(client, coach, team)["players"]
    assert players[0]["player_name"] == "Aaron Bench"
    assert {k: players[0][k] for k in ("matches", "starts", "minutes_played", "share")} == {
        "matches": 0,
        "starts": 0,
        "minutes_played": 0.0,
        "share": 0.0,
    }
    assert players[0]["below_minimum"] is True and players[0]["by_position"] == []
    assert "Aaron Gone" not in {p["player_name"] for p in players}


def test_who_played_stays_listed_after_leaving_and_an_erased_bench_player_does_not(
    client, app, argentina
):
    """The list is everyone who played (also after he left the club) and the squad without a
    minute who is still there: a bench player whose data was erased is not listed."""
    coach, team = argentina
    season = playing_time(client, coach, team)["season_id"]
    before = by_name(playing_time(client, coach, team))["Guido Rodríguez"]
    erased = add_player(app, coach.club_id, name="Aaron Erased", jersey=32)
    with app.app_context():
        db.session.add(
            TeamPlayer(team_id=uuid.UUID(team), season_id=uuid.UUID(season), player_id=erased.id)
        )
        db.session.execute(
            update(Player).where(Player.id == erased.id).values(erased_at=db.func.now())
        )
        db.session.execute(
            update(Player)
            .where(Player.id == uuid.UUID(before["player_id"]))
            .values(left_at=db.func.now())
        )
        commit_club_write(uuid.UUID(coach.club_id))
    listed = by_name(playing_time(client, coach, team))
    assert listed["Guido Rodríguez"] == before
    assert "Aaron Erased" not in listed


def test_seasons_default_to_the_latest_and_all_adds_them_up(client, app, argentina):
    coach, team = argentina
    upload_file(client, coach, CROATIA, "2023-08-20")  # the next season
    latest = playing_time(client, coach, team)
    everything = playing_time(client, coach, team, season_id="all")
    with app.app_context():
        seasons = {s.name: str(s.id) for s in db.session.scalars(db.select(Season))}
    assert latest["season_id"] == seasons["2023/24"] and latest["matches"] == 1
    first = playing_time(client, coach, team, season_id=seasons["2022/23"])
    assert first["available_minutes"] == pytest.approx(LENGTH_SECONDS / 60, abs=1e-9)
    assert everything["season_id"] == "all" and everything["matches"] == 2
    assert everything["available_minutes"] == pytest.approx(
        first["available_minutes"] + latest["available_minutes"], abs=1e-9
    )
    messi = "Lionel Andrés Messi Cuccittini"
    total = by_name(everything)[messi]
    assert total["matches"] == 2 and total["minutes_played"] == pytest.approx(
        by_name(first)[messi]["minutes_played"] + by_name(latest)[messi]["minutes_played"]
    )
    enzo = by_name(everything)["Enzo Fernandez"]
    assert enzo["share"] == pytest.approx(enzo["minutes_played"] / everything["available_minutes"])


def test_a_team_without_matches_and_another_clubs_team_or_season(client, app):
    coach = register_coach(client, club_name="Home FC")
    team = team_of(client, coach)
    empty = playing_time(client, coach, team)
    assert (empty["matches"], empty["available_minutes"], empty["season_id"]) == (0, 0.0, None)
    other = register_coach(client, club_name="Home FC")
    assert upload_json(client, other, tiny_match(), match_date="2024-01-01").status_code == 201
    other_team = team_of(client, other)
    with app.app_context():
        other_season = str(
            db.session.scalar(
                db.select(Season.id).where(Season.club_id == uuid.UUID(other.club_id))
            )
        )
    for path, query in (
        (f"/api/coach/teams/{other_team}/playing-time", {}),
        (f"/api/coach/teams/{team}/playing-time", {"season_id": other_season}),
        (f"/api/coach/teams/{uuid.uuid4()}/playing-time", {}),
    ):
        response = client.get(path, headers=coach.headers, query_string=query)
        assert response.status_code == 404, (path, response.get_json())
    response = client.get(
        f"/api/coach/teams/{team}/playing-time",
        headers=coach.headers,
        query_string={"season_id": "last"},
    )
    assert response.status_code == 422 and "season_id" in response.get_json()["errors"]
