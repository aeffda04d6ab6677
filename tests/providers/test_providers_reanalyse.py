"""Re-analysis (``flask spinta recompute-stats``, the reanalyse job) of every provider's match
gives the report the upload gave: the same team and player rows, lineups and goals; a match
stored in an earlier form of its events is skipped with a message and keeps its rows."""

from __future__ import annotations

import uuid

import pytest
from provider_files import CASES, case_bytes
from sqlalchemy import select
from test_providers_upload import post

from spinta.extensions import db
from spinta.models import Club, Goal, MatchLineup, MatchStatistics, PlayerMatchStatistics
from spinta.services.matches import reanalyse_club
from tests.factories import register_coach

pytestmark = pytest.mark.filterwarnings("ignore")

_SKIP = {"id", "match_id", "created_at", "updated_at"}


def _rows(model, match_id: uuid.UUID) -> list[tuple]:
    columns = [c for c in model.__table__.columns if c.name not in _SKIP]
    rows = db.session.execute(select(*columns).where(model.match_id == match_id)).all()
    return sorted((tuple(map(_cell, row)) for row in rows), key=str)


def _cell(value) -> str:
    # The stored clock keeps milliseconds: a possession share may move in its 6th decimal.
    return repr(round(value, 4) if isinstance(value, float) else value)


def _snapshot(match_id: uuid.UUID) -> dict[str, list[tuple]]:
    models = (MatchStatistics, PlayerMatchStatistics, MatchLineup, Goal)
    return {model.__tablename__: _rows(model, match_id) for model in models}


@pytest.mark.parametrize("case", sorted(CASES))
def test_reanalysis_of_every_provider_gives_the_uploads_report(client, app, case):
    coach = register_coach(client, club_name="Grassroots United")
    _provider, events, meta = case_bytes(case)
    response = post(client, coach, events, meta, our_team="away")
    assert response.status_code == 201, response.get_json()
    match_id = uuid.UUID(response.get_json()["match_id"])
    before = _snapshot(match_id)
    assert before["match_statistics"] and before["player_match_statistics"]
    club = db.session.get(Club, uuid.UUID(coach.club_id))
    assert reanalyse_club(club=club) == 1
    db.session.expire_all()
    after = _snapshot(match_id)
    for table in before:
        assert after[table] == before[table], (case, table)


def test_a_tagging_csv_match_of_the_old_form_is_skipped_with_a_message(client, runner):
    from spinta.analytics.providers.csv_tagging import TEMPLATE
    from spinta.models import Event

    coach = register_coach(client, club_name="Spinta FC")
    response = post(client, coach, TEMPLATE.encode(), our_team="Spinta FC")
    assert response.status_code == 201, response.get_json()
    match_id = uuid.UUID(response.get_json()["match_id"])
    for row in db.session.scalars(select(Event).where(Event.match_id == match_id)):
        if row.data["type"]["name"] == "Goalkeeper":
            row.data = {**row.data, "type": {"name": "Save"}}  # the action's name, as before
    db.session.commit()
    before = _snapshot(match_id)
    result = runner.invoke(args=["spinta", "recompute-stats", "--club", coach.club_id])
    assert result.exit_code == 0, result.output
    assert f"Match {match_id} (csv) is not re-analysed: it was stored in an earlier" in (
        result.output
    )
    assert "Re-analysed 0 matches in 1 clubs. 1 skipped." in result.output
    db.session.expire_all()
    assert _snapshot(match_id) == before


def test_a_match_stored_before_the_whole_form_is_skipped_and_kept(client, app):
    """Events stored without a shot's key pass (before this form) cannot give the upload's
    assists again: the match is skipped with a sentence and keeps its rows."""
    from spinta.models import Event

    coach = register_coach(client, club_name="Grassroots United")
    _provider, events, meta = case_bytes("wyscout_v3")
    match_id = uuid.UUID(post(client, coach, events, meta, our_team="away").get_json()["match_id"])
    rows = db.session.scalars(select(Event).where(Event.match_id == match_id)).all()
    shots = [row for row in rows if row.data["type"]["name"] == "Shot"]
    assert shots
    for row in shots:  # the old stored form
        row.data = {k: v for k, v in row.data.items() if k != "key_pass"}
    db.session.commit()
    before = _snapshot(match_id)
    told: list[str] = []
    club = db.session.get(Club, uuid.UUID(coach.club_id))
    assert reanalyse_club(club=club, skipped=told.append) == 0
    assert told == [
        f"Match {match_id} (wyscout) is not re-analysed: it was stored in an earlier form of "
        "its events, which lacks what a re-analysis needs (a shot's key pass, a substitute, a "
        "tagging CSV's event types); its statistics stay as uploaded (upload its file again to "
        "re-derive it)."
    ]
    db.session.expire_all()
    assert _snapshot(match_id) == before
