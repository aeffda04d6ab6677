"""Charts, event locations and possessions of a match read through kloppy: its stored events
(the reduced neutral form, `providers/stored.py`) read back into the same neutral events the
statistics counted, so the charts draw what the provider's file holds."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from provider_files import case_bytes

from spinta.analytics.domain import EventType, Team
from spinta.analytics.providers import read_file
from spinta.analytics.providers.stored import read_stored
from spinta.analytics.providers.xg import shot_xg
from spinta.analytics.rules.sequences import possession_sequences
from spinta.charts import data
from spinta.extensions import db
from spinta.models import Match, MatchLineup
from tests.factories import register_coach

pytestmark = pytest.mark.filterwarnings("ignore")
CASE = "statsperform_json"


def _same(ours, theirs) -> None:
    """A read-back event equals the provider's reading (locations to 2 decimals)."""
    assert (ours.event_id, ours.type, ours.team.id, ours.period) == (
        theirs.event_id,
        theirs.type,
        theirs.team.id,
        theirs.period,
    )
    assert ours.timestamp == pytest.approx(theirs.timestamp, abs=0.001)
    assert (ours.player and ours.player.id) == (theirs.player and theirs.player.id)
    assert (ours.result, ours.qualifiers) == (theirs.result, theirs.qualifiers)
    for field in ("x", "y", "end_x", "end_y", "xg"):
        mine, reference = getattr(ours, field, None), getattr(theirs, field, None)
        assert (mine is None) == (reference is None), field
        if mine is not None:
            assert mine == pytest.approx(reference, abs=0.006), field
    assert (ours.possession is None) == (theirs.possession is None)
    if ours.possession is not None:
        assert ours.possession.team.id == theirs.possession.team.id


def test_the_stored_form_reads_back_into_the_same_neutral_events():
    provider, events, meta = case_bytes(CASE)
    match = read_file(provider, events, meta).match
    again = read_stored(match.raw_events, match.starting, match.teams)
    assert len(again.events) == len(match.events) > 1000
    for ours, theirs in zip(again.events, match.events, strict=True):
        _same(ours, theirs)
    assert [t.id for t in again.teams] == [t.id for t in match.teams]
    assert len(again.possessions) == len(match.possessions)
    assert len(possession_sequences(again.events)) == len(possession_sequences(match.events))
    shots = [e for e in again.events if e.type is EventType.SHOT and e.x is not None]
    assert shots


def test_events_stored_before_the_details_still_read_back():
    """Matches stored before xG and end locations were kept: the shot model's xG from the
    location, passes without an end."""
    shot = {
        "id": "s1",
        "index": 1,
        "period": 1,
        "timestamp": "00:10:05.500",
        "minute": 10,
        "second": 5,
        "type": {"name": "Shot"},
        "team": {"id": 7, "name": "Home"},
        "player": {"id": 70, "name": "Nine"},
        "location": [108.0, 40.0],
        "result": "GOAL",
        "provider": "opta",
    }
    pass_ = {**shot, "id": "p1", "index": 2, "type": {"name": "Pass"}, "result": "COMPLETE"}
    match = read_stored([shot, pass_], {}, (Team(7, ""), Team(8, "Away")))
    read_shot, read_pass = match.events
    assert read_shot.xg == shot_xg(108.0, 40.0) and read_shot.timestamp == 605.5
    assert (read_shot.minute, read_shot.second) == (10, 5)
    assert (read_pass.end_x, read_pass.end_y) == (None, None)
    assert [t.name for t in match.teams] == ["Home", "Away"]


def _post(client, coach, events: bytes, meta: bytes) -> str:
    form = {
        "match_date": "2024-05-01",
        "our_team": "away",
        "events_file": (io.BytesIO(events), "events"),
        "meta_file": (io.BytesIO(meta), "meta"),
    }
    response = client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data=form,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["match_id"]


def _ids(svg: bytes, prefix: str) -> int:
    return len(re.findall(rb'id="' + re.escape(prefix.encode()) + rb'\d+"', svg))


def test_a_kloppy_providers_match_has_its_charts_events_and_possessions(client, app):
    coach = register_coach(client, club_name="Grassroots United")
    provider, events, meta = case_bytes(CASE)
    reference = read_file(provider, events, meta).match
    match_id = _post(client, coach, events, meta)
    with app.app_context():
        match = db.session.get(Match, uuid.UUID(match_id))
        ours, theirs = match.our_external_id, match.opponent_external_id
        starter = db.session.scalar(
            db.select(MatchLineup).where(
                MatchLineup.match_id == match.id,
                MatchLineup.is_our_team.is_(True),
                MatchLineup.is_starter.is_(True),
            )
        )
        squad_id, provider_id = str(starter.player_id), starter.external_id
    base = f"/api/coach/matches/{match_id}"
    get = lambda path: client.get(path, headers=coach.headers)  # noqa: E731
    for team, team_id in (("our", ours), ("opponent", theirs)):
        shot_map = get(f"{base}/charts/shot-map?team={team}")
        assert shot_map.status_code == 200, shot_map.get_json()
        assert _ids(shot_map.data, "shot-") == len(data.shots(reference, team_id)) > 0
        network = get(f"{base}/charts/pass-network?team={team}")
        assert network.status_code == 200
        assert _ids(network.data, "node-") == len(data.pass_network(reference, team_id).nodes)
        assert _ids(network.data, "node-") == 11
    assert get(f"{base}/charts/xg-race").status_code == 200
    passes = get(f"/api/coach/players/{squad_id}/matches/{match_id}/charts/passes")
    assert passes.status_code == 200
    assert _ids(passes.data, "pass-") == len(data.passes(reference, provider_id)) > 0
    heatmap = get(f"/api/coach/players/{squad_id}/matches/{match_id}/charts/heatmap")
    assert heatmap.status_code == 200
    listed = get(f"{base}/events?type=shot&limit=100").get_json()
    shots = [e for e in reference.events if e.type is EventType.SHOT]
    assert listed["total_count"] == len(shots)
    assert sorted(e["xg"] for e in listed["events"]) == pytest.approx(sorted(s.xg for s in shots))
    possessions = get(f"{base}/possessions?limit=1").get_json()
    assert possessions["total_count"] == len(possession_sequences(reference.events))
    report = get(f"{base}/report")
    assert report.status_code == 200 and b"<svg" in report.data
