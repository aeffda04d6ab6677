"""The write side of teams, squads, seasons and club settings (issue 17): what the admin
changes, what is refused, and where the matches and season rows end up."""

from __future__ import annotations

import io
import uuid
from datetime import date

import orjson
import pytest
from sqlalchemy import select

from spinta.extensions import db
from spinta.models import Club, ClubSeasonStatistics, Match, Season, TeamPlayer
from spinta.services.seasons import recompute_club
from spinta.services.teams import default_team, new_team
from tests.factories import add_player, register_coach
from tests.test_season_totals import _same, _snapshot, _store
from tests.world import tiny_match, upload_json


def _call(client, coach, method, path, body=None, **query):
    response = client.open(
        path, method=method, headers=coach.headers, json=body, query_string=query
    )
    return response.status_code, response.get_json()


def _team(client, coach, **body):
    status, created = _call(client, coach, "POST", "/api/coach/teams", {"name": "U10 Blue", **body})
    assert status == 201, created
    return created


def _data_version(app, coach):
    with app.app_context():
        return db.session.get(Club, uuid.UUID(coach.club_id)).data_version


# ---------------------------------------------------------------- teams


def test_a_team_is_created_changed_and_deleted(client, app):
    coach = register_coach(client, club_name="Lions", age_group="U12")
    before = _data_version(app, coach)
    team = _team(client, coach, age_group="U10", format="7v7")
    assert (team["name"], team["age_group"], team["format"]) == ("U10 Blue", "U10", "7v7")
    assert (team["player_count"], team["match_count"], team["is_default"]) == (0, 0, False)
    assert _data_version(app, coach) != before

    path = f"/api/coach/teams/{team['team_id']}"
    status, changed = _call(client, coach, "PATCH", path, {"format": "9v9"})
    assert status == 200 and (changed["name"], changed["format"]) == ("U10 Blue", "9v9")
    listed = _call(client, coach, "GET", "/api/coach/teams")[1]["teams"]
    assert [t["name"] for t in listed] == ["Lions", "U10 Blue"]

    status, body = _call(client, coach, "DELETE", path)
    assert status == 200 and body["deleted"] is True
    assert _call(client, coach, "DELETE", path)[0] == 404
    assert len(_call(client, coach, "GET", "/api/coach/teams")[1]["teams"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "format": "8v8"}, "format"),
        ({"name": "X", "age_group": "U11"}, "age_group"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"age_group": "U10"}, "name"),
    ],
)
def test_a_team_with_a_bad_field_is_refused(client, app, body, field):
    coach = register_coach(client)
    status, answer = _call(client, coach, "POST", "/api/coach/teams", body)
    assert status == 422 and field in answer["errors"], answer
    assert len(_call(client, coach, "GET", "/api/coach/teams")[1]["teams"]) == 1


def test_a_team_with_matches_or_the_last_team_is_not_deleted(client, app):
    coach = register_coach(client, club_name="Home FC")
    assert upload_json(client, coach, tiny_match()).status_code == 201
    (only,) = _call(client, coach, "GET", "/api/coach/teams")[1]["teams"]
    status, body = _call(client, coach, "DELETE", f"/api/coach/teams/{only['team_id']}")
    assert status == 409 and "1 match" in body["detail"]

    lone = register_coach(client, club_name="Lone FC")
    (team,) = _call(client, lone, "GET", "/api/coach/teams")[1]["teams"]
    status, body = _call(client, lone, "DELETE", f"/api/coach/teams/{team['team_id']}")
    assert status == 409 and "at least one team" in body["detail"]


def test_another_clubs_team_is_not_found(client, app):
    coach = register_coach(client)
    other = register_coach(client, club_name="Other FC")
    theirs = _team(client, other)["team_id"]
    for method, path, body in (
        ("PATCH", f"/api/coach/teams/{theirs}", {"name": "Mine now"}),
        ("DELETE", f"/api/coach/teams/{theirs}", None),
        ("PUT", f"/api/coach/teams/{theirs}/players", {"player_ids": []}),
    ):
        status, answer = _call(client, coach, method, path, body)
        assert status == 404 and answer["detail"] == "Team not found.", (method, answer)
    assert [t["name"] for t in _call(client, other, "GET", "/api/coach/teams")[1]["teams"]][1] == (
        "U10 Blue"
    )


def test_only_the_clubs_admin_changes_teams_seasons_and_settings(client, app, monkeypatch):
    coach = register_coach(client)
    team = _team(client, coach)["team_id"]
    monkeypatch.setattr("spinta.security.is_club_admin", lambda user, club: False)
    for method, path, body in (
        ("POST", "/api/coach/teams", {"name": "B"}),
        ("PATCH", f"/api/coach/teams/{team}", {"name": "B"}),
        ("DELETE", f"/api/coach/teams/{team}", None),
        (
            "POST",
            "/api/coach/seasons",
            {"name": "S", "start_date": "2020-01-01", "end_date": "2020-02-01"},
        ),
        ("PATCH", f"/api/coach/seasons/{uuid.uuid4()}", {"name": "S"}),
        (
            "POST",
            f"/api/coach/seasons/{uuid.uuid4()}/rollover",
            {"team_id": team, "to_season_id": team},
        ),
        ("PATCH", "/api/coach/club", {"country": "Spain"}),
    ):
        status, answer = _call(client, coach, method, path, body)
        assert status == 403 and "admin" in answer["detail"], (method, path, answer)
    assert _call(client, coach, "GET", "/api/coach/club")[0] == 200
    assert len(_call(client, coach, "GET", "/api/coach/teams")[1]["teams"]) == 2


# ---------------------------------------------------------------- squads


def test_a_squad_is_replaced_for_a_season(client, app):
    coach = register_coach(client)
    players = [str(add_player(app, coach.club_id, name=f"P{n}", jersey=n).id) for n in range(3)]
    team = _team(client, coach)["team_id"]
    path = f"/api/coach/teams/{team}/players"
    status, body = _call(client, coach, "PUT", path, {"player_ids": players[:2] + players[:1]})
    assert status == 200, body
    assert sorted(body["player_ids"]) == sorted(players[:2]) and body["team_id"] == team
    with app.app_context():  # the current season was created for it
        season = db.session.get(Season, uuid.UUID(body["season_id"]))
        assert season.start_date <= date.today() <= season.end_date
    status, body = _call(client, coach, "PUT", path, {"player_ids": players[1:]})
    assert status == 200 and sorted(body["player_ids"]) == sorted(players[1:])
    # Also in the default team: a player may be in several teams.
    default = _call(client, coach, "GET", "/api/coach/teams")[1]["teams"][0]["team_id"]
    status, _ = _call(
        client, coach, "PUT", f"/api/coach/teams/{default}/players", {"player_ids": players[1:2]}
    )
    assert status == 200
    counts = {
        t["name"]: t["player_count"]
        for t in _call(client, coach, "GET", "/api/coach/teams")[1]["teams"]
    }
    assert counts["U10 Blue"] == 2 and next(iter(counts.values())) == 1


def test_a_squad_refuses_another_clubs_player_and_season(client, app):
    coach = register_coach(client)
    other = register_coach(client, club_name="Other FC")
    mine = str(add_player(app, coach.club_id, name="Mine").id)
    theirs = str(add_player(app, other.club_id, name="Theirs").id)
    team = _team(client, coach)["team_id"]
    path = f"/api/coach/teams/{team}/players"
    status, body = _call(client, coach, "PUT", path, {"player_ids": [mine, theirs]})
    assert status == 404 and body["detail"] == "Player not found."
    other_season = _season(client, other, "2020/21", "2020-08-01", "2021-07-31")["season_id"]
    status, body = _call(client, coach, "PUT", path, {"player_ids": [mine]}, season_id=other_season)
    assert status == 404
    with app.app_context():
        assert db.session.scalar(select(TeamPlayer.player_id)) is None


# ---------------------------------------------------------------- seasons


def _season(client, coach, name, start, end):
    status, body = _call(
        client,
        coach,
        "POST",
        "/api/coach/seasons",
        {"name": name, "start_date": start, "end_date": end},
    )
    assert status == 201, body
    return body


def test_seasons_are_created_without_overlaps(client, app):
    coach = register_coach(client)
    season = _season(client, coach, "Spring 2023", "2023-03-01", "2023-06-30")
    assert (season["name"], season["match_count"], season["is_current"]) == (
        "Spring 2023",
        0,
        False,
    )
    for start, end in (
        ("2023-06-30", "2023-09-01"),
        ("2023-01-01", "2023-03-01"),
        ("2023-04-01", "2023-04-02"),
    ):
        body = {"name": "X", "start_date": start, "end_date": end}
        status, answer = _call(client, coach, "POST", "/api/coach/seasons", body)
        assert status == 409 and "Spring 2023" in answer["detail"], answer
    body = {"name": "X", "start_date": "2023-09-02", "end_date": "2023-09-01"}
    status, answer = _call(client, coach, "POST", "/api/coach/seasons", body)
    assert status == 422 and "end_date" in answer["errors"]
    assert _season(client, coach, "Summer", "2023-07-01", "2023-07-31")["name"] == "Summer"


def _seasons(client, coach) -> dict[str, dict]:
    return {s["name"]: s for s in _call(client, coach, "GET", "/api/coach/seasons")[1]["seasons"]}


def test_moving_a_boundary_moves_the_matches_and_their_statistics(client, app):
    coach = register_coach(client, club_name="Home FC")
    for variant, day in enumerate(("2022-09-01", "2023-03-01", "2023-07-15", "2023-09-01"), 1):
        response = upload_json(client, coach, tiny_match(variant=variant), match_date=day)
        assert response.status_code == 201, response.get_json()
    seasons = _seasons(client, coach)
    assert {n: s["match_count"] for n, s in seasons.items()} == {"2022/23": 3, "2023/24": 1}
    before = _data_version(app, coach)
    dashboard = client.get("/api/coach/dashboard", headers=coach.headers).get_json()
    assert dashboard["statistics"]["season_summary"]["matches_played"] == 1

    # 2022/23 ends in 2022: the matches of March and July are left outside every season and
    # get their natural season, cut short of its neighbours.
    path = f"/api/coach/seasons/{seasons['2022/23']['season_id']}"
    change = {"end_date": "2022-12-31", "name": "Autumn"}
    status, body = _call(client, coach, "PATCH", path, change)
    assert status == 200 and (body["name"], body["match_count"]) == ("Autumn", 1), body
    after = _seasons(client, coach)
    assert set(after) == {"Autumn", "2022/23", "2023/24"}
    created = after["2022/23"]
    assert (created["start_date"], created["end_date"], created["match_count"]) == (
        "2023-01-01",
        "2023-07-31",
        2,
    )
    assert _data_version(app, coach) != before
    dashboard = client.get(
        "/api/coach/dashboard", headers=coach.headers, query_string={"season_id": body["season_id"]}
    ).get_json()
    assert dashboard["statistics"]["season_summary"]["matches_played"] == 1
    # Overlapping a neighbour, or ending before the start, changes nothing.
    for change, status_code in (
        ({"end_date": "2023-01-01"}, 409),
        ({"end_date": "2022-07-31"}, 422),
    ):
        status, answer = _call(client, coach, "PATCH", path, change)
        assert status == status_code, answer
    assert _seasons(client, coach) == after
    with app.app_context():  # the rows kept one change at a time equal a full rebuild
        club_id = uuid.UUID(coach.club_id)
        kept = _snapshot(club_id)
        recompute_club(club_id)
        assert _same(kept, _snapshot(club_id))
        db.session.rollback()
        days = db.session.execute(
            select(Match.match_date, Season.name).join(Season, Season.id == Match.season_id)
        ).all()
        assert sorted((str(d), n) for d, n in days) == [
            ("2022-09-01", "Autumn"),
            ("2023-03-01", "2022/23"),
            ("2023-07-15", "2022/23"),
            ("2023-09-01", "2023/24"),
        ]


@pytest.fixture
def club_with_history(client, app):
    """Two teams, matches in three seasons (statistics stored directly)."""
    coach = register_coach(client, club_name="Lions")
    players = [add_player(app, coach.club_id, name=f"Player {n}", jersey=n).id for n in range(3)]
    with app.app_context():
        club = db.session.get(Club, uuid.UUID(coach.club_id))
        teams = [default_team(club.id).id, new_team(club, name="Lions B").id]
        line = {"is_starter": True, "minutes_played": 90.0, "goals": 1, "assists": 0}
        stats = {"total_passes": 300, "passes_completed": 250, "expected_goals": 1.2}
        for n, day in enumerate((10, 100, 380, 420, 750)):  # from 2022-06-01
            spec = {
                "day": day,
                "score": (n % 3, 1),
                "stats": stats,
                "players": {0: line, n % 3: line},
            }
            match_id = _store(club, teams[n % 2], players, spec, n)
        recompute_club(club.id)
        db.session.commit()
        del match_id
    return coach


def test_a_boundary_change_rebuilds_only_the_affected_seasons(
    client, app, club_with_history, monkeypatch
):
    coach = club_with_history
    seasons = _seasons(client, coach)
    assert set(seasons) == {"2021/22", "2022/23", "2023/24"}
    with app.app_context():  # a mark on a season the change does not touch
        untouched = uuid.UUID(seasons["2021/22"]["season_id"])
        row = db.session.scalar(
            select(ClubSeasonStatistics).where(ClubSeasonStatistics.season_id == untouched)
        )
        row.team_form = "MARK"
        db.session.commit()
    rebuilt = []
    import spinta.services.season_admin as season_admin

    def recording(club_id, pairs=None):
        rebuilt.append(set(pairs))
        return recompute_club(club_id, pairs)

    monkeypatch.setattr(season_admin, "recompute_club", recording)
    path = f"/api/coach/seasons/{seasons['2023/24']['season_id']}"
    status, body = _call(client, coach, "PATCH", path, {"start_date": "2023-06-01"})
    assert status == 409 and not rebuilt  # 2022/23 still holds June
    # 2022/23 ends on 30 June: the match of 26 July gets a season of its own (July).
    old = seasons["2022/23"]["season_id"]
    change = {"end_date": "2023-06-30", "name": "Year 22"}
    status, body = _call(client, coach, "PATCH", f"/api/coach/seasons/{old}", change)
    assert status == 200 and body["match_count"] == 2, body
    july = _seasons(client, coach)["2022/23"]
    assert (july["start_date"], july["end_date"], july["match_count"]) == (
        "2023-07-01",
        "2023-07-31",
        1,
    )
    (pairs,) = rebuilt
    assert {str(season) for _, season in pairs} == {old, july["season_id"]}
    with app.app_context():
        assert (
            db.session.scalar(
                select(ClubSeasonStatistics.team_form).where(
                    ClubSeasonStatistics.season_id == untouched
                )
            )
            == "MARK"
        )
        club_id = uuid.UUID(coach.club_id)
        kept = {k: v for k, v in _snapshot(club_id).items() if k[2] != untouched}
        recompute_club(club_id)
        full = {k: v for k, v in _snapshot(club_id).items() if k[2] != untouched}
        assert _same(kept, full)
        db.session.rollback()


def test_a_rename_moves_nothing_and_rebuilds_nothing(client, app, club_with_history, monkeypatch):
    coach = club_with_history
    season = _seasons(client, coach)["2022/23"]
    import spinta.services.season_admin as season_admin

    monkeypatch.setattr(season_admin, "recompute_club", lambda *a: pytest.fail("rebuilt"))
    status, body = _call(
        client, coach, "PATCH", f"/api/coach/seasons/{season['season_id']}", {"name": "Year 2"}
    )
    assert status == 200 and body == {**season, "name": "Year 2"}


# ---------------------------------------------------------------- rollover


def test_rollover_copies_a_squad_into_the_next_season(client, app):
    coach = register_coach(client)
    players = [str(add_player(app, coach.club_id, name=f"P{n}", jersey=n).id) for n in range(3)]
    u10 = _team(client, coach, age_group="U10")["team_id"]
    u12 = _team(client, coach, name="U12", age_group="U12")["team_id"]
    old = _season(client, coach, "2022/23", "2022-08-01", "2023-07-31")["season_id"]
    new = _season(client, coach, "2023/24", "2023-08-01", "2024-07-31")["season_id"]
    path = f"/api/coach/teams/{u10}/players"
    assert _call(client, coach, "PUT", path, {"player_ids": players[:2]}, season_id=old)[0] == 200

    rollover = f"/api/coach/seasons/{old}/rollover"
    status, body = _call(client, coach, "POST", rollover, {"team_id": u10, "to_season_id": new})
    assert status == 200 and (body["team_id"], body["season_id"]) == (u10, new)
    assert sorted(body["player_ids"]) == sorted(players[:2])
    body = {"team_id": u10, "to_season_id": new, "promote_to_team_id": u12}
    status, body = _call(client, coach, "POST", rollover, body)
    assert (
        status == 200
        and body["team_id"] == u12
        and sorted(body["player_ids"]) == sorted(players[:2])
    )
    other = register_coach(client, club_name="Other FC")
    their_team = _team(client, other)["team_id"]
    for bad in (
        {"team_id": their_team},
        {"to_season_id": str(uuid.uuid4())},
        {"promote_to_team_id": their_team},
    ):
        status, _ = _call(
            client, coach, "POST", rollover, {"team_id": u10, "to_season_id": new, **bad}
        )
        assert status == 404, bad


# ---------------------------------------------------------------- club settings


def test_club_settings_are_read_and_changed(client, app):
    coach = register_coach(client, club_name="Lions")
    status, club = _call(client, coach, "GET", "/api/coach/club")
    assert status == 200
    assert (club["club_name"], club["season_start"], club["min_playing_share"]) == (
        "Lions",
        "08-01",
        0.5,
    )
    change = {
        "club_name": "Lions FC",
        "country": "Spain",
        "season_start": "07-01",
        "min_playing_share": 0.6,
        "logo_url": "https://example.com/l.png",
    }
    status, club = _call(client, coach, "PATCH", "/api/coach/club", change)
    assert status == 200 and {k: club[k] for k in change} == change
    for field, value in (
        ("season_start", "02-29"),
        ("season_start", "13-01"),
        ("season_start", "7-1"),
        ("min_playing_share", 1.5),
        ("min_playing_share", -0.1),
        ("logo_url", "javascript:x"),
        ("club_name", " "),
    ):
        status, answer = _call(client, coach, "PATCH", "/api/coach/club", {field: value})
        assert status == 422 and field in answer["errors"], (field, value, answer)
    # Seasons created from now on start on 1 July.
    assert (
        upload_json(client, coach, tiny_match(), match_date="2024-07-02").status_code == 422
    )  # club renamed
    assert (
        upload_json(
            client, coach, tiny_match(), match_date="2024-07-02", our_team="home"
        ).status_code
        == 201
    )
    assert _seasons(client, coach)["2024/25"]["start_date"] == "2024-07-01"


# ---------------------------------------------------------------- uploads and the CLI


def test_an_upload_goes_to_the_team_it_names(client, app):
    coach = register_coach(client, club_name="Home FC")
    u10 = _team(client, coach)["team_id"]
    form = {
        "match_date": "2024-03-02",
        "team_id": u10,
        "events_file": (io.BytesIO(orjson.dumps(tiny_match())), "m.json"),
    }
    response = client.post("/api/coach/matches", data=form, headers=coach.headers)
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        match = db.session.get(Match, uuid.UUID(response.get_json()["match_id"]))
        assert str(match.team_id) == u10
        squad = db.session.scalars(
            select(TeamPlayer.team_id).where(TeamPlayer.season_id == match.season_id)
        ).all()
        assert squad and {str(t) for t in squad} == {u10}
    teams = _call(client, coach, "GET", "/api/coach/teams")[1]["teams"]
    assert [t["match_count"] for t in teams] == [0, 1]
    # The same day's match is another team's own: only a match of the same team is refused.
    again = upload_json(client, coach, tiny_match(variant=2), opponent_name="Away United")
    assert again.status_code == 201, again.get_json()

    other = register_coach(client, club_name="Home FC")
    theirs = _team(client, other)["team_id"]
    refused = upload_json(client, coach, tiny_match(variant=3), team_id=theirs)
    assert refused.status_code == 404 and refused.get_json()["detail"] == "Team not found."
    bad = upload_json(client, coach, tiny_match(variant=3), team_id="not-a-team")
    assert bad.status_code == 422 and "team_id" in bad.get_json()["errors"]


def test_cli_imports_for_a_team_and_recomputes_a_season(runner, app, client, tmp_path):
    coach = register_coach(client, club_name="Home FC")
    u10 = _team(client, coach)
    path = tmp_path / "match-2024-03-02.json"
    path.write_bytes(orjson.dumps(tiny_match()))
    args = ["spinta", "import-match", str(path), "--coach", coach.email]
    unknown = runner.invoke(args=[*args, "--team", "U11"])
    assert unknown.exit_code != 0 and "U11" in unknown.output
    result = runner.invoke(args=[*args, "--team", "u10 blue"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        match = db.session.scalar(select(Match))
        assert str(match.team_id) == u10["team_id"]
        club_id = uuid.UUID(coach.club_id)
        row = db.session.scalar(select(ClubSeasonStatistics))
        row.matches_played = 99
        db.session.commit()
    result = runner.invoke(args=["spinta", "recompute-stats", "--season", "2023/24"])
    assert result.exit_code == 0 and "Rebuilt 1 team seasons of 2023/24 in 1 clubs" in result.output
    with app.app_context():
        assert db.session.scalar(select(ClubSeasonStatistics.matches_played)) == 1
        season_id = db.session.scalar(select(Season.id).where(Season.club_id == club_id))
    result = runner.invoke(
        args=["spinta", "recompute-stats", "--season", str(season_id), "--club", coach.club_id]
    )
    assert result.exit_code == 0, result.output
    missing = runner.invoke(args=["spinta", "recompute-stats", "--season", "1999/00"])
    assert missing.exit_code != 0 and "1999/00" in missing.output


def test_an_upload_in_the_background_goes_to_the_team_it_names(client, app):
    from tests.test_jobs import job_of, upload_async

    coach = register_coach(client, club_name="Home FC")
    u10 = _team(client, coach)["team_id"]
    response = upload_async(client, coach, tiny_match(), team_id=u10)
    assert response.status_code == 202, response.get_json()
    job = job_of(client, coach, response)
    assert job["status"] == "done", job
    with app.app_context():
        match = db.session.get(Match, uuid.UUID(job["result"]["match_id"]))
        assert str(match.team_id) == u10
    other = register_coach(client, club_name="Other FC")
    refused = upload_async(
        client, coach, tiny_match(variant=2), team_id=_team(client, other)["team_id"]
    )
    assert refused.status_code == 404
