"""A tagging CSV's match: its events are stored in the neutral form, so the event list,
possessions and charts read them back; without x and y the events answer x/y null and every
chart of where things happened answers 422 with the reason (never a 500, never an empty
picture); a CSV match stored in the old reduced form answers a clear 422."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from test_providers_upload import post

from spinta.analytics.providers.csv_tagging import TEMPLATE
from spinta.extensions import db
from spinta.models import Event, MatchLineup
from tests.factories import register_coach

pytestmark = pytest.mark.filterwarnings("ignore")

WITHOUT_XY = (
    "\n".join(
        ",".join(line.split(",")[:7]) + ",," if n else line
        for n, line in enumerate(TEMPLATE.split("\n"))
        if line
    )
    + "\n"
)


def _upload(client, text: str):
    coach = register_coach(client, club_name="Spinta FC")
    response = post(client, coach, text.encode(), our_team="Spinta FC")
    assert response.status_code == 201, response.get_json()
    return coach, response.get_json()["match_id"]


def _starter(match_id: str) -> str:
    return str(
        db.session.scalar(
            select(MatchLineup.player_id).where(
                MatchLineup.match_id == uuid.UUID(match_id),
                MatchLineup.is_our_team.is_(True),
                MatchLineup.player_name == "Sam Ortiz",
            )
        )
    )


def test_without_coordinates_events_answer_null_and_charts_422_with_the_reason(client):
    assert "x,y" in WITHOUT_XY.split("\n")[0] and ",91,48" not in WITHOUT_XY
    coach, match_id = _upload(client, WITHOUT_XY)
    get = lambda path: client.get(path, headers=coach.headers)  # noqa: E731
    base = f"/api/coach/matches/{match_id}"
    listed = get(f"{base}/events?limit=100")
    assert listed.status_code == 200, listed.get_json()
    events = listed.get_json()["events"]
    assert listed.get_json()["total_count"] == len(events) >= 11
    assert {(e["x"], e["y"]) for e in events} == {(None, None)}
    assert {"pass", "shot", "substitution"} <= {e["type"] for e in events}
    for kind in ("shot-map", "pass-network", "xt-by-zone"):
        response = get(f"{base}/charts/{kind}?team=our")
        assert response.status_code == 422, kind
        assert f"The {kind} chart needs where things happened" in response.get_json()["detail"]
    race = get(f"{base}/charts/xg-race")
    assert race.status_code == 422
    assert "no shot of this match has one" in race.get_json()["detail"]
    player = _starter(match_id)
    for kind in ("heatmap", "passes", "shots"):
        response = get(f"/api/coach/players/{player}/matches/{match_id}/charts/{kind}")
        assert response.status_code == 422, kind
        assert "have no locations" in response.get_json()["detail"]
    assert get(f"{base}/possessions").status_code == 200
    report = get(f"{base}/report")
    assert report.status_code == 200
    assert b"needs where things happened" in report.data  # the reason in place of a chart


def test_with_coordinates_the_charts_and_events_read_the_csv(client):
    coach, match_id = _upload(client, TEMPLATE)
    get = lambda path: client.get(path, headers=coach.headers)  # noqa: E731
    base = f"/api/coach/matches/{match_id}"
    shots = get(f"{base}/events?type=shot").get_json()["events"]
    assert shots and all(e["x"] is not None and e["xg"] is not None for e in shots)
    saves = get(f"{base}/events?type=goalkeeper").get_json()["events"]
    assert [(e["x"], e["y"]) for e in saves] == [(None, None)]  # the save row has no x, y
    for kind in ("shot-map", "pass-network", "xt-by-zone", "xg-race"):
        response = get(f"{base}/charts/{kind}")
        assert response.status_code == 200, (kind, response.get_json())
        assert b"<svg" in response.data


def test_a_csv_match_stored_in_the_old_reduced_form_answers_a_clear_422(client):
    coach, match_id = _upload(client, TEMPLATE)
    for row in db.session.scalars(select(Event).where(Event.match_id == uuid.UUID(match_id))):
        row.data = {**row.data, "type": {"name": "Goal"}}  # the action's name, as stored before
    db.session.commit()
    response = client.get(f"/api/coach/matches/{match_id}/events", headers=coach.headers)
    assert response.status_code == 422
    assert "stored before its events were kept" in response.get_json()["detail"]
