"""The assistant by team and season (issue 17): "this season", "last season", a season's name
("2022/23", "22/23") and a team's name or age group ("the U12s"), answered from the season rows
of that team and season."""

from __future__ import annotations

import io
import uuid

import pytest
from sqlalchemy import select, update

from spinta.assistant.parser import SeasonName, TeamName, Vocabulary, parse_question
from spinta.extensions import db
from spinta.models import Club, Match, Team
from spinta.screen_cache import commit_club_write
from spinta.services.seasons import recompute_club
from spinta.services.teams import new_team
from tests.conftest import statsbomb_file
from tests.factories import register_coach, register_staff


def upload(client, coach, name: str, match_date: str) -> str:
    response = client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data={
            "events_file": (io.BytesIO(statsbomb_file(name).read_bytes()), name),
            "match_date": match_date,
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["match_id"]


@pytest.fixture
def club(client, app):
    """Argentina's U12s (the first team): 2-0 Mexico in 2022/23, 3-0 Croatia in 2023/24; its
    U14s: 2-2 Netherlands in 2023/24."""
    coach = register_coach(client, club_name="Argentina", age_group="U12")
    upload(client, coach, "argentina-mexico-2022-11-26.json", "2022-11-26")
    upload(client, coach, "argentina-croatia-2022-12-13.json", "2023-12-13")
    netherlands = upload(client, coach, "netherlands-argentina-2022-12-09.json", "2023-12-09")
    with app.app_context():
        club_id = uuid.UUID(coach.club_id)
        u14 = new_team(db.session.get(Club, club_id), name="Argentina U14", age_group="U14")
        db.session.flush()
        db.session.execute(
            update(Match).where(Match.id == uuid.UUID(netherlands)).values(team_id=u14.id)
        )
        recompute_club(club_id)
        commit_club_write(club_id)
    return client, coach


def ask(client, coach, message: str) -> str:
    response = client.post("/api/chat/messages", headers=coach.headers, json={"message": message})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["message"]


FIGURES = [
    (
        "How many goals did the U12s score last season?",
        ("**Argentina, last season (2022/23)** (1 match)", "Goals: 2 scored, 0 conceded"),
    ),
    (
        "how many goals did the U12s score this season?",
        ("**Argentina, this season** (1 match)", "Goals: 3 scored, 0 conceded"),
    ),
    (
        "How many goals did the U14s score in 2023/24?",
        ("**Argentina U14, in 2023/24** (1 match)", "Goals: 2 scored, 2 conceded"),
    ),
    (
        "how did Argentina U14 do in 23/24",
        ("**Argentina U14, in 2023/24** (1 match)", "Record: 0 W, 1 D, 0 L"),
    ),
    ("How many goals did the U14s score in 22/23?", ("**Argentina U14** has no matches",)),
    ("How did we do all time?", ("**Argentina, over all seasons** (2 matches)", "5 scored")),
    ("How did we do last season?", ("Goals: 2 scored",)),
]


def test_team_season_figures(club):
    client, coach = club
    for question, expected in FIGURES:
        answer = ask(client, coach, question)
        for text in expected:
            assert text in answer, (question, answer)


def test_a_players_goals_by_season_and_team(club):
    client, coach = club
    messi = "Lionel Andrés Messi Cuccittini"
    # His goals for the first team: one against Mexico (2022/23), one against Croatia (2023/24);
    # his goal against the Netherlands counts for the U14s.
    this = ask(client, coach, "How many goals has Messi scored this season?")
    assert f"**{messi}** this season (1 match" in this and "Goals: **1**" in this
    last = ask(client, coach, "how many goals did Messi score last season")
    assert "last season (2022/23)" in last and "Goals: **1**" in last
    everything = ask(client, coach, "How many goals has Messi scored?")
    assert f"**{messi}** this season (2 matches" in everything and "Goals: **2**" in everything
    u14 = ask(client, coach, "How many goals has Messi scored for the U14s in 2023/24?")
    assert "for Argentina U14 in 2023/24" in u14 and "Goals: **1**" in u14


def test_a_leaderboard_of_one_season(club):
    client, coach = club
    answer = ask(client, coach, "Who scored the most goals in 22/23?")
    assert "most goals in 2022/23: **1**" in answer, answer
    assert "Enzo Fernandez" in answer and "Messi" in answer
    answer = ask(client, coach, "Who scored the most goals for the U12s this season?")
    assert "**Julián Álvarez** has the most goals for Argentina this season: **2**" in (answer), (
        answer
    )


def test_a_follow_up_keeps_the_team_and_season(club):
    client, coach = club
    first = client.post(
        "/api/chat/messages",
        headers=coach.headers,
        json={"message": "How many goals did the U12s score last season?"},
    ).get_json()
    follow = client.post(
        "/api/chat/messages",
        headers=coach.headers,
        json={"message": "and Messi?", "session_id": first["session_id"]},
    ).get_json()["message"]
    assert "for Argentina last season (2022/23)" in follow and "Matches: 1 (1 starts)" in follow


def test_match_references_look_in_the_team_and_season(club):
    client, coach = club
    u14 = ask(client, coach, "How did the U14s do in their last match?")
    assert "Netherlands" in u14 and "Croatia" not in u14, u14
    last = ask(client, coach, "what was the result of the last match last season?")
    assert "Mexico" in last and "Croatia" not in last, last


def test_a_coach_of_one_team_asks_about_his_team_only(club, app):
    client, admin = club
    with app.app_context():
        u14 = db.session.scalar(
            select(Team.id).where(Team.club_id == uuid.UUID(admin.club_id), Team.age_group == "U14")
        )
    coach = register_staff(client, admin, team_ids=[str(u14)])
    mine = ask(client, coach, "How did we do this season?")
    assert "Goals: 2 scored, 2 conceded" in mine, mine  # his default team: the U14s
    assert "There is no team **U12**" in ask(client, coach, "goals of the U12s last season?")
    assert "Netherlands" in ask(client, coach, "how did we do in the last match?")


def test_teams_and_seasons_the_club_does_not_have(club):
    client, coach = club
    assert "There is no team **U16** in the club" in ask(client, coach, "goals of the U16s?")
    assert "There is no season **2019/20**" in ask(client, coach, "How did we do in 2019/20?")


@pytest.mark.parametrize(
    ("text", "team", "season"),
    [
        ("goals by the U12s last season", "t12", ("last", None)),
        ("the under-14s in 2023/2024", "t14", ("named", "s2")),
        ("Lions U14's record 22/23", "t14", ("named", "s1")),
        ("record in the current season", None, ("this", None)),
        ("all-time top scorers", None, ("all", None)),
        ("who played under 10 minutes on 12/13/2022", None, None),  # no team, a date
        ("goals on 2022-12-13", None, None),
        ("he completed 20/21 passes", None, None),  # no such season: a count
        ("the 2020/21 season", None, ("named", None)),  # no such season: said so
    ],
)
def test_the_parser_finds_team_and_season(text, team, season):
    vocabulary = Vocabulary(
        club_name="Lions",
        teams=(TeamName("t12", "Lions", "U12"), TeamName("t14", "Lions U14", "U14")),
        seasons=(SeasonName("s2", "2023/24"), SeasonName("s1", "2022/23")),
    )
    parsed = parse_question(text, vocabulary)
    assert (parsed.team.team_id if parsed.team else None) == team
    found = (parsed.season.kind, parsed.season.season_id) if parsed.season else None
    assert found == season
