"""The assistant answers a figure the files of the matches asked about cannot give as not
available from the file, with the reason (data_source.missing_statistics, the screens' rule),
never as 0: a player's season and match figures, comparisons, leaderboards, the club season."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from test_providers_csv_locations import WITHOUT_XY
from test_providers_upload import post

from spinta.extensions import db
from spinta.models import Match
from tests.conftest import statsbomb_file
from tests.factories import register_coach

pytestmark = pytest.mark.filterwarnings("ignore")

NO_LOCATION = "the file's passes have no start and end location"


def _ask(client, coach, message: str) -> str:
    response = client.post("/api/chat/messages", json={"message": message}, headers=coach.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["message"]


def _csv_club(client):
    coach = register_coach(client, club_name="Spinta FC")
    response = post(client, coach, WITHOUT_XY.encode(), our_team="Spinta FC")
    assert response.status_code == 201, response.get_json()
    return coach


def test_player_figures_the_file_cannot_give_are_not_available_not_0(client):
    coach = _csv_club(client)
    answer = _ask(client, coach, "How many progressive passes has Sam Ortiz this season?")
    assert "not available from the file" in answer and NO_LOCATION in answer, answer
    assert "**0**" not in answer
    answer = _ask(client, coach, "Sam Ortiz dribbles this season")
    assert "not available from the file" in answer, answer
    board = _ask(client, coach, "Who has the most progressive passes this season?")
    assert "not available from the file" in board and NO_LOCATION in board, board
    card = _ask(client, coach, "How is Sam Ortiz doing this season?")
    assert "Dribbles: n/a," in card and "not available from the file" in card, card


def test_the_club_season_says_not_available_for_what_no_file_gives(client):
    coach = _csv_club(client)
    answer = _ask(client, coach, "How many dribbles do we average per match this season?")
    assert "not available from the file" in answer, answer
    assert "dribble" in answer.lower()


def test_a_statsbomb_club_is_answered_as_before(client):
    coach = register_coach(client, club_name="Argentina", country="Argentina")
    raw = statsbomb_file("argentina-mexico-2022-11-26.json").read_bytes()
    response = post(client, coach, raw, match_date="2022-11-26", opponent_name="Mexico")
    assert response.status_code == 201, response.get_json()
    answer = _ask(client, coach, "Who has the most progressive passes this season?")
    assert "not available" not in answer and "**" in answer, answer


def test_a_season_of_both_kinds_counts_per_90_over_the_matches_that_give_it(client):
    """Messi's StatsBomb match and a tagging CSV without x/y (he is matched by name): his
    progressive passes per 90 count the StatsBomb minutes only, in the chat as in the trends."""
    import uuid

    from sqlalchemy import select

    from spinta.extensions import db
    from spinta.models import Player

    coach = register_coach(client, club_name="Argentina", country="Argentina")
    raw = statsbomb_file("argentina-mexico-2022-11-26.json").read_bytes()
    assert post(client, coach, raw, match_date="2022-11-26").status_code == 201
    messi = db.session.scalar(
        select(Player).where(Player.club_id == uuid.UUID(coach.club_id), Player.external_id == 5503)
    )
    name, messi_id = messi.player_name, str(messi.id)
    csv = WITHOUT_XY.replace("Sam Ortiz", name).encode()
    response = post(client, coach, csv, match_date="2022-11-30", our_team="Spinta FC")
    assert response.status_code == 201, response.get_json()
    trends = client.get(
        f"/api/coach/players/{messi_id}/trends",
        headers=coach.headers,
        query_string={"metrics": "progressive_passes"},
    ).get_json()["metrics"]["progressive_passes"]
    (season,) = trends["per_season"]
    assert season["value"] > 0 and season["per90"] > 0
    answer = _ask(client, coach, f"{name} progressive passes per 90 this season")
    assert f"**{season['per90']:.2f}**" in answer, (answer, season)
    assert "2 matches" in answer, answer
    rows = client.get(f"/api/coach/players/{messi_id}/export", headers=coach.headers).get_json()
    minutes = {row["match_date"]: row["minutes_played"] for row in rows["rows"]}
    assert minutes["2022-11-30"] > 0  # the CSV's minutes exist but do not count
    assert season["per90"] == pytest.approx(season["value"] * 90 / minutes["2022-11-26"], 1e-3)


def test_the_match_summary_shows_what_the_file_cannot_give_as_not_available(client, app):
    """The summary's team table and an asked-for team figure follow the match's data_source:
    a statistic it lists is "n/a" / not available with the reason, the others their values."""
    coach = _csv_club(client)
    with app.app_context():
        source = db.session.scalars(select(Match.data_source)).one()
    missing = {item["statistic"]: item["reason"] for item in source["missing_statistics"]}
    assert "possession_percentage" in missing and "total_passes" not in missing
    table = _ask(client, coach, "How did we do in the last match?")
    assert "| Possession | n/a | n/a |" in table, table
    assert "| Passes | n/a" not in table and "| Passes | " in table
    asked = _ask(client, coach, "What was our possession in the last match?")
    reason = missing["possession_percentage"]
    assert f"Possession: not available from the file ({reason})" in asked, asked
