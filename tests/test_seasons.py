"""Teams and seasons (issue 17): every club has a team, every match a team and the season that
contains its date; seasons are created as matches arrive and never overlap."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from spinta.extensions import db
from spinta.models import Match, Season, Team, TeamPlayer
from spinta.services import seasons
from spinta.services.screens import PLAYER_NOT_FOUND
from spinta.services.seasons import SEASON_NOT_FOUND, TEAM_NOT_FOUND, scope_for, scoped_statement
from spinta.services.seasons import _club_rows as club_rows_statement
from spinta.services.teams import natural_season, season_for
from tests.factories import register_coach
from tests.world import tiny_match, upload_json


@pytest.mark.parametrize(
    ("day", "start", "expected"),
    [
        (date(2022, 12, 18), "08-01", ("2022/23", date(2022, 8, 1), date(2023, 7, 31))),
        (date(2022, 8, 1), "08-01", ("2022/23", date(2022, 8, 1), date(2023, 7, 31))),
        (date(2022, 7, 31), "08-01", ("2021/22", date(2021, 8, 1), date(2022, 7, 31))),
        (date(1999, 12, 31), "08-01", ("1999/00", date(1999, 8, 1), date(2000, 7, 31))),
        (date(2024, 2, 29), "03-01", ("2023/24", date(2023, 3, 1), date(2024, 2, 29))),
        (date(2022, 5, 5), "01-01", ("2022", date(2022, 1, 1), date(2022, 12, 31))),
    ],
)
def test_a_date_falls_in_the_season_named_after_its_years(day, start, expected):
    assert natural_season(day, start) == expected


def test_a_new_club_has_one_team_named_after_it(client, app):
    coach = register_coach(client, club_name="Lions", age_group="U12")
    with app.app_context():
        teams = db.session.scalars(select(Team).where(Team.club_id == uuid.UUID(coach.club_id)))
        assert [(t.name, t.age_group, t.format) for t in teams] == [("Lions", "U12", "11v11")]


def test_matches_get_the_team_and_the_season_of_their_date(client, app):
    coach = register_coach(client, club_name="Home FC")
    for variant, day in enumerate(("2023-07-31", "2023-08-01", "2024-05-05"), start=1):
        response = upload_json(client, coach, tiny_match(variant=variant), match_date=day)
        assert response.status_code == 201, response.get_json()
    with app.app_context():
        club_id = uuid.UUID(coach.club_id)
        (team,) = db.session.scalars(select(Team).where(Team.club_id == club_id))
        rows = db.session.execute(
            select(Match.match_date, Season.name, Match.team_id)
            .join(Season, Season.id == Match.season_id)
            .order_by(Match.match_date)
        ).all()
        assert [(str(d), name) for d, name, _ in rows] == [
            ("2023-07-31", "2022/23"),
            ("2023-08-01", "2023/24"),
            ("2024-05-05", "2023/24"),
        ]
        assert {team_id for *_, team_id in rows} == {team.id}
        seasons = db.session.scalars(select(Season).where(Season.club_id == club_id)).all()
        assert len(seasons) == 2
        # Every lineup player of ours is in the team's squad for the season he played in.
        squad = db.session.execute(select(TeamPlayer.season_id, TeamPlayer.player_id)).all()
        assert squad and {season for season, _ in squad} == {s.id for s in seasons}


def test_an_automatic_season_stops_short_of_its_neighbours(client, app):
    coach = register_coach(client)
    with app.app_context():
        club_id = uuid.UUID(coach.club_id)
        from spinta.models import Club

        club = db.session.get(Club, club_id)
        db.session.add(
            Season(
                club_id=club_id,
                name="Spring",
                start_date=date(2023, 3, 1),
                end_date=date(2023, 9, 30),
            )
        )
        db.session.flush()
        before = season_for(club, date(2023, 1, 10))
        after = season_for(club, date(2023, 12, 1))
        assert (before.name, before.start_date, before.end_date) == (
            "2022/23",
            date(2022, 8, 1),
            date(2023, 2, 28),
        )
        assert (after.name, after.start_date, after.end_date) == (
            "2023/24",
            date(2023, 10, 1),
            date(2024, 7, 31),
        )
        assert season_for(club, date(2023, 6, 1)).name == "Spring"
        db.session.rollback()


def _get(client, coach, path, **query):
    response = client.get(path, headers=coach.headers, query_string=query)
    return response.status_code, response.get_json()


def test_screens_default_to_the_latest_season_and_take_team_and_season(client, app):
    """Two matches in 2022/23 and one in 2023/24: the screens show 2023/24 unless asked for
    another season or ``all``; another club's team or season is not found."""
    coach = register_coach(client, club_name="Home FC")
    for variant, day in enumerate(("2022-09-01", "2023-03-01", "2023-09-01"), start=1):
        response = upload_json(client, coach, tiny_match(variant=variant), match_date=day)
        assert response.status_code == 201, response.get_json()
    with app.app_context():
        seasons = {
            s.name: str(s.id)
            for s in db.session.scalars(
                select(Season).where(Season.club_id == uuid.UUID(coach.club_id))
            )
        }
        team = str(
            db.session.scalar(select(Team.id).where(Team.club_id == uuid.UUID(coach.club_id)))
        )

    def played(path, key, **query):
        status, body = _get(client, coach, path, **query)
        assert status == 200, body
        return key(body)

    dashboard = "/api/coach/dashboard"
    count = lambda b: b["statistics"]["season_summary"]["matches_played"]  # noqa: E731
    assert played(dashboard, count) == 1
    assert played(dashboard, count, season_id="all") == 3
    assert played(dashboard, count, season_id=seasons["2022/23"], team_id=team) == 2
    assert played(dashboard, lambda b: b["team_form"], season_id="all") == "WWW"
    assert played("/api/coach/matches", lambda b: b["total_count"]) == 1
    assert played("/api/coach/matches", lambda b: b["total_count"], season_id="all") == 3
    profile = played("/api/coach/profile", lambda b: b["club_stats"], season_id="all")
    assert profile["total_matches"] == 3

    other = register_coach(client, club_name="Home FC")  # another club of the same name
    uploaded = upload_json(client, other, tiny_match(variant=9), match_date="2023-01-01")
    assert uploaded.status_code == 201
    with app.app_context():
        other_team = str(
            db.session.scalar(select(Team.id).where(Team.club_id == uuid.UUID(other.club_id)))
        )
        other_season = str(
            db.session.scalar(select(Season.id).where(Season.club_id == uuid.UUID(other.club_id)))
        )
    for query in ({"team_id": other_team}, {"season_id": other_season}):
        for path in (dashboard, "/api/coach/matches", "/api/coach/players", "/api/coach/profile"):
            status, body = _get(client, coach, path, **query)
            assert status == 404 and isinstance(body["detail"], str), (path, query)
    status, body = _get(client, coach, dashboard, season_id="last")
    assert status == 422 and "season_id" in body["errors"]


def test_teams_and_seasons_lists(client, app):
    coach = register_coach(client, club_name="Home FC", age_group="U12")
    for variant, day in enumerate(("2022-09-01", "2023-09-01", "2023-10-01"), start=1):
        assert (
            upload_json(client, coach, tiny_match(variant=variant), match_date=day).status_code
            == 201
        )
    status, body = _get(client, coach, "/api/coach/teams")
    assert status == 200
    (team,) = body["teams"]
    assert (team["name"], team["age_group"], team["format"], team["is_default"]) == (
        "Home FC",
        "U12",
        "11v11",
        True,
    )
    assert team["match_count"] == 3 and team["player_count"] > 0
    status, body = _get(client, coach, "/api/coach/seasons")
    assert status == 200
    assert [
        (s["name"], s["start_date"], s["end_date"], s["match_count"]) for s in body["seasons"]
    ] == [
        ("2023/24", "2023-08-01", "2024-07-31", 2),
        ("2022/23", "2022-08-01", "2023-07-31", 1),
    ]
    assert all(isinstance(s["is_current"], bool) for s in body["seasons"])


def test_a_team_and_season_asked_together_are_checked_with_the_screens_statement(client, app):
    """The screens read a team and season asked for together with their first statement
    (`asked_scope`): another club's team or season, or an unknown id, still answers exactly
    the 404 a separate check answers, on every screen, with or without rows to read."""
    coach = register_coach(client, club_name="Home FC")
    uploaded = upload_json(client, coach, tiny_match(variant=1), match_date="2023-09-01")
    assert uploaded.status_code == 201, uploaded.get_json()
    other = register_coach(client, club_name="Home FC")
    uploaded = upload_json(client, other, tiny_match(variant=2), match_date="2023-09-01")
    assert uploaded.status_code == 201, uploaded.get_json()

    def ids(who):
        with app.app_context():
            club = uuid.UUID(who.club_id)
            team = db.session.scalar(select(Team.id).where(Team.club_id == club))
            season = db.session.scalar(select(Season.id).where(Season.club_id == club))
            return str(team), str(season)

    team, season = ids(coach)
    other_team, other_season = ids(other)
    player = _get(client, coach, "/api/coach/players")[1]["players"][0]["player_id"]
    paths = (
        "/api/coach/dashboard",
        "/api/coach/players",
        f"/api/coach/players/{player}",
        "/api/coach/teams/{team}/playing-time",
    )
    for path in paths:
        status, body = _get(client, coach, path.format(team=team), team_id=team, season_id=season)
        assert status == 200, (path, body)
        for asked_team, asked_season, detail in (
            (other_team, other_season, TEAM_NOT_FOUND),
            (other_team, season, TEAM_NOT_FOUND),
            (str(uuid.uuid4()), season, TEAM_NOT_FOUND),
            (team, other_season, SEASON_NOT_FOUND),
            (team, str(uuid.uuid4()), SEASON_NOT_FOUND),
        ):
            query = {"season_id": asked_season}
            if "playing-time" not in path:
                query["team_id"] = asked_team
            status, body = _get(client, coach, path.format(team=asked_team), **query)
            assert (status, body["detail"]) == (404, detail), (path, query)
    # Another club's player with the coach's own team and season: the player is not found.
    stranger = _get(client, other, "/api/coach/players")[1]["players"][0]["player_id"]
    status, body = _get(
        client, coach, f"/api/coach/players/{stranger}", team_id=team, season_id=season
    )
    assert (status, body["detail"]) == (404, PLAYER_NOT_FOUND)


def test_screens_built_once_answer_each_club_and_scope_its_own(client, app):
    """A screen's statements are built once per form of scope (`scoped_statement`) and run
    with each request's values: two clubs, each with a second team of other figures and a
    match of the season before, read in turn by default, by team, every season and by team
    and season, each get their own figures."""
    count = lambda b: b["statistics"]["season_summary"]["matches_played"]  # noqa: E731
    clubs = []
    for first in (1, 2):  # the first team's matches; the second team has one more
        coach = register_coach(client, club_name="Home FC")
        created = client.post("/api/coach/teams", headers=coach.headers, json={"name": "B"})
        assert created.status_code == 201, created.get_json()
        second = created.get_json()["team_id"]
        for variant in range(2 * first + 2):  # and one match of the season before
            team = {} if variant <= first else {"team_id": second}
            day = f"{2022 if variant == first else 2023}-09-{variant + 1:02d}"
            uploaded = upload_json(
                client, coach, tiny_match(variant=variant), match_date=day, **team
            )
            assert uploaded.status_code == 201, uploaded.get_json()
        with app.app_context():
            season = db.session.scalar(
                select(Season.id)
                .where(Season.club_id == uuid.UUID(coach.club_id))
                .order_by(Season.start_date.desc())
                .limit(1)
            )
        clubs.append((coach, first, second, str(season)))
    for _ in range(2):
        for coach, first, second, season in clubs:
            for query, expected in (
                ({}, first),
                ({"season_id": "all"}, first + 1),
                ({"team_id": second}, first + 1),
                ({"team_id": second, "season_id": "all"}, first + 1),
                ({"team_id": second, "season_id": season}, first + 1),
            ):
                status, body = _get(client, coach, "/api/coach/dashboard", **query)
                assert (status, count(body)) == (200, expected), query
            playing_time = f"/api/coach/teams/{second}/playing-time"
            for query in ({}, {"season_id": season}):  # the latest season resolved, then asked
                status, body = _get(client, coach, playing_time, **query)
                assert (status, body["matches"]) == (200, first + 1), query
    with app.app_context():  # and one statement served both clubs' default scope
        first_club, second_club = (scope_for(uuid.UUID(c[0].club_id)) for c in clubs)
        statement, params = scoped_statement(club_rows_statement, first_club)
        again, other = scoped_statement(club_rows_statement, second_club)
        assert statement is again and params["scope_club"] != other["scope_club"]


def test_statements_built_once_are_bounded(monkeypatch):
    """`scoped_statement` keeps at most `_BUILT_MAX` statements (a shape holds a date, so old
    ones would pile up): a full store starts afresh and the statement asked for still comes
    back, built for its form."""
    full = {("old", n): object() for n in range(seasons._BUILT_MAX)}
    monkeypatch.setattr(seasons, "_BUILT", full)
    scope = seasons.Scope(uuid.uuid4(), uuid.uuid4())
    statement, params = scoped_statement(club_rows_statement, scope)
    assert list(full.values()) == [statement]
    assert params == {"scope_club": None, "scope_team": scope.team, "scope_season": scope.season}
    assert scoped_statement(club_rows_statement, scope)[0] is statement
