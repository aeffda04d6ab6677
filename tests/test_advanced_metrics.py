"""Advanced metrics through the API (issue 22): stored with the upload, the match screen's
`statistics.advanced`, the player-match `advanced` section, recompute-stats and deletion."""

from __future__ import annotations

import io
import uuid

import orjson
import pytest
from sqlalchemy import func, select

from spinta import analytics
from spinta.extensions import db
from spinta.models import AdvancedMetric, Player
from spinta.services.matches import reanalyse_club
from tests.conftest import statsbomb_file
from tests.factories import register_coach

CROATIA = "argentina-croatia-2022-12-13.json"
ARGENTINA, CROATIA_ID = 779, 785
MESSI = 5503


def _upload(client, coach, name=CROATIA, date="2022-12-13"):
    response = client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data={
            "match_date": date,
            "events_file": (io.BytesIO(statsbomb_file(name).read_bytes()), "events.json"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["match_id"]


@pytest.fixture
def uploaded(client, app):
    coach = register_coach(client, club_name="Argentina", country="Argentina")
    match_id = _upload(client, coach)
    report = analytics.analyse_match(
        orjson.loads(statsbomb_file(CROATIA).read_bytes()), club_name="Argentina"
    )
    return coach, match_id, report


def _squad_id(app, club_id: str, statsbomb_id: int) -> str:
    with app.app_context():
        return str(
            db.session.scalar(
                select(Player.id).where(
                    Player.club_id == uuid.UUID(club_id),
                    Player.statsbomb_player_id == statsbomb_id,
                )
            )
        )


def test_match_screen_has_the_advanced_section(client, uploaded):
    coach, match_id, report = uploaded
    body = client.get(f"/api/coach/matches/{match_id}", headers=coach.headers).get_json()
    advanced = body["statistics"]["advanced"]
    assert list(advanced) == [
        "progressive_passes",
        "progressive_carries",
        "ppda",
        "field_tilt",
        "expected_threat",
        "pass_strings_3_5",
        "pass_strings_6_8",
        "pass_strings_9_plus",
    ]
    assert advanced["progressive_passes"] == {"our_team": 23, "opponent": 46}
    assert advanced["progressive_carries"] == {"our_team": 33, "opponent": 38}
    assert advanced["ppda"] == {"our_team": 13.4, "opponent": 14.7}
    assert advanced["field_tilt"] == {"our_team": 36.1, "opponent": 63.9}
    assert advanced["expected_threat"] == {"our_team": 1.349, "opponent": 1.131}
    assert advanced["pass_strings_9_plus"] == {"our_team": 9, "opponent": 21}
    # the existing sections are as before
    assert list(body["statistics"]) == [
        "match_overview",
        "attacking",
        "passing",
        "defending",
        "advanced",
    ]
    assert body["statistics"]["passing"]["total_passes"]["our_team"] == (
        report.our_team_stats.total_passes
    )


def test_player_match_has_his_advanced_values(client, app, uploaded):
    coach, match_id, report = uploaded
    messi = _squad_id(app, coach.club_id, MESSI)
    body = client.get(
        f"/api/coach/players/{messi}/matches/{match_id}", headers=coach.headers
    ).get_json()
    mine = report.advanced.player(ARGENTINA, MESSI)
    assert body["statistics"]["advanced"] == {
        "progressive_passes": mine["progressive_passes"],
        "progressive_carries": mine["progressive_carries"],
        "expected_threat": round(mine["expected_threat"], 3),
    }
    assert body["statistics"]["advanced"]["progressive_carries"] > 0


def test_rows_are_stored_once_per_team_and_player_and_rebuilt_by_recompute(client, app, uploaded):
    coach, match_id, report = uploaded
    teams = 2 * 12
    players = 3 * len(report.player_stats)

    def count():
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(AdvancedMetric))

    assert count() == teams + players
    with app.app_context():
        from spinta.models import Club

        club = db.session.get(Club, uuid.UUID(coach.club_id))
        reanalyse_club(club=club)
    assert count() == teams + players
    response = client.delete(f"/api/coach/matches/{match_id}", headers=coach.headers)
    assert response.status_code == 200
    assert count() == 0
