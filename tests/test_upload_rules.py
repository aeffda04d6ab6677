"""The match upload's data rules: values no column takes (422 naming the event and field),
concurrent first uploads (PostgreSQL), same file / same day (409 naming the stored match)."""

from __future__ import annotations

import io
import threading
import uuid

import orjson
import pytest
from sqlalchemy import BigInteger, Column, SmallInteger, String, func, select

from spinta.extensions import db
from spinta.models import (
    Club,
    Event,
    Goal,
    Match,
    MatchLineup,
    Player,
    PlayerSeasonStatistics,
)
from spinta.models.limits import JERSEY_NUMBERS, int_range, storage_problem, text_length
from spinta.services.seasons import club_view
from tests.analytics.analytics_builder import AWAY, HOME, MatchBuilder
from tests.conftest import POSTGRES_URL
from tests.factories import register_coach
from tests.test_matches import (
    CROATIA,
    DATES,
    MEXICO,
    NETHERLANDS,
    assert_nothing_stored,
    raw_file,
    upload,
)

HUGE = 2**31
pg_only = pytest.mark.skipif(not POSTGRES_URL, reason="real concurrency needs PostgreSQL")


# ---------------------------------------------------------------- limits read from the columns


def test_limits_come_from_the_column_types():
    assert int_range(Event.event_index) == (-(2**31), 2**31 - 1)
    assert int_range(Column("n", SmallInteger)) == (-(2**15), 2**15 - 1)
    assert int_range(Column("n", BigInteger)) == (-(2**63), 2**63 - 1)
    assert text_length(Goal.event_id) == 64
    assert text_length(Column("s", String)) is None
    # The contract's jersey range, on every jersey column and in the players' CHECK.
    for column in (Player.jersey_number, MatchLineup.jersey_number):
        assert int_range(column) == JERSEY_NUMBERS == (0, 99)
    checks = [
        str(c.sqltext) for c in Player.__table__.constraints if str(c.name).endswith("jersey")
    ]
    assert checks == ["jersey_number IS NULL OR jersey_number BETWEEN 0 AND 99"]
    assert (
        storage_problem(Goal.minute, 2**31)
        == "is 2147483648, outside the range -2147483648 to 2147483647"
    )
    assert storage_problem(Goal.minute, 2**31 - 1) is None
    assert storage_problem(Player.jersey_number, 100) is not None
    assert storage_problem(Goal.event_id, "e" * 65).startswith("is longer than 64 characters")
    assert storage_problem(Goal.event_id, "a\x00b") == "contains a NUL character (\\u0000)"
    assert storage_problem(Goal.event_id, None) is None


# ---------------------------------------------------------------- out-of-range values -> 422


def _base() -> MatchBuilder:
    builder = MatchBuilder(HOME, AWAY)
    builder.pass_(HOME, 5, at=10)
    return builder


def _xi(builder: MatchBuilder, team: dict) -> dict:
    return next(
        e for e in builder.events if e["type"]["name"] == "Starting XI" and e["team"] == team
    )


def _team_id():
    builder = MatchBuilder({"id": HUGE, "name": "Home FC"}, AWAY)
    builder.end_period(1, 2700)
    return builder, builder.events[0], "team.id"


def _player_id():
    builder = _base()
    _xi(builder, HOME)["tactics"]["lineup"][4]["player"]["id"] = HUGE
    builder.end_period(1, 2700)
    return builder, builder.events[0], "tactics.lineup[4].player.id"


def _substitute_id():
    builder = _base()
    event = builder.substitution(AWAY, 9, 14, at=600)
    event["substitution"]["replacement"]["id"] = HUGE
    builder.end_period(1, 2700)
    return builder, event, "substitution.replacement.id"


def _goal(field: str, value: object):
    def case():
        builder = _base()
        event = builder.shot(HOME, 9, "Goal", at=1200)
        event[field] = value
        builder.end_period(1, 2700)
        return builder, event, field

    return case


def _jersey(team: dict, value: int):
    def case():
        builder = _base()
        xi = _xi(builder, team)
        xi["tactics"]["lineup"][2]["jersey_number"] = value
        builder.end_period(1, 2700)
        return builder, xi, "tactics.lineup[2].jersey_number"

    return case


def _substitute_jersey():
    builder = _base()
    builder.substitution(HOME, 9, 14, at=600)
    shift = builder.tactical_shift(HOME, [(n, n) for n in range(1, 9)] + [(14, 2**40)], at=700)
    builder.end_period(1, 2700)
    return builder, shift, "tactics.lineup[8].jersey_number"


OUT_OF_RANGE = {
    "team_id": _team_id,
    "player_id": _player_id,
    "substitute_id": _substitute_id,
    "goal_minute": _goal("minute", HUGE),
    "goal_second": _goal("second", HUGE),
    "goal_event_id": _goal("id", "g" * 100),
    "jersey_2_40": _jersey(HOME, 2**40),
    "jersey_100": _jersey(HOME, 100),
    "jersey_minus_1": _jersey(HOME, -1),
    "opponent_jersey_100": _jersey(AWAY, 100),
    "substitute_jersey_2_40": _substitute_jersey,
}


@pytest.mark.parametrize("as_json", [False, True], ids=["multipart", "json"])
@pytest.mark.parametrize("case", list(OUT_OF_RANGE))
def test_values_no_column_takes_are_422_naming_event_and_field(client, app, case, as_json):
    builder, event, path = OUT_OF_RANGE[case]()
    coach = register_coach(client, club_name="Home FC")
    response = upload(client, coach, raw=orjson.dumps(builder.events), as_json=as_json)
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    detail = body["detail"]
    assert body["message"] == detail
    assert f"index {event['index']} " in detail
    assert repr(event["id"][:40]) in detail or f"'{event['id'][:40]}..." in detail
    assert f"'{path}'" in detail, detail
    assert list(body["errors"]) == ["statsbomb_events" if as_json else "events_file"]
    assert_nothing_stored(app)
    with app.app_context():
        assert db.session.scalar(select(func.count(Player.id))) == 0
        assert db.session.get(Club, uuid.UUID(coach.club_id)).external_id is None


def test_an_event_row_a_column_refuses_names_event_and_field(client, app):
    builder = _base()
    event = builder.pass_(AWAY, 3, at=30)
    event["index"] = 2**40
    builder.end_period(1, 2700)
    coach = register_coach(client, club_name="Home FC")
    response = upload(client, coach, raw=orjson.dumps(builder.events))
    assert response.status_code == 422, response.get_json()
    detail = response.get_json()["detail"]
    assert f"index {2**40} and id {event['id']!r}" in detail and "'index'" in detail
    assert_nothing_stored(app)


# ---------------------------------------------------------------- concurrent first uploads


def _together(app, calls) -> list:
    """Run each (account, name, fields) upload on its own thread and connection, released
    at once by a barrier; returns the responses in call order."""
    barrier = threading.Barrier(len(calls))
    responses: list = [None] * len(calls)

    def go(position, account, name, fields):
        with app.test_client() as own:
            barrier.wait()
            responses[position] = upload(own, account, name, **fields)

    threads = [
        threading.Thread(target=go, args=(position, *call)) for position, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


@pg_only
def test_a_new_club_uploading_two_matches_at_once_keeps_both(client, app):
    coach = register_coach(client, club_name="Argentina")
    responses = _together(app, [(coach, MEXICO, {}), (coach, CROATIA, {})])
    assert [r.status_code for r in responses] == [201, 201], [r.get_json() for r in responses]
    created = sum(r.get_json()["summary"]["our_players_created"] for r in responses)
    with app.app_context():
        squad = db.session.scalars(select(Player.external_id)).all()
        assert len(squad) == len(set(squad)) == created  # shared players created once
        season = club_view(uuid.UUID(coach.club_id))
        assert season.matches_played == 2  # each season recompute saw the other match
        messi = db.session.scalar(
            select(PlayerSeasonStatistics.matches_played)
            .join(Player, Player.id == PlayerSeasonStatistics.player_id)
            .where(Player.external_id == 5503)
        )
        assert messi == 2
        assert db.session.get(Club, uuid.UUID(coach.club_id)).external_id == 779


@pg_only
def test_two_new_clubs_with_the_same_team_id_both_upload_and_both_keep_it(client, app):
    first = register_coach(client, club_name="Argentina")
    second = register_coach(client, club_name="Argentina")
    responses = _together(app, [(first, MEXICO, {}), (second, MEXICO, {})])
    assert [r.status_code for r in responses] == [201, 201], [r.get_json() for r in responses]
    with app.app_context():
        for coach in (first, second):
            assert db.session.get(Club, uuid.UUID(coach.club_id)).external_id == 779


def test_a_team_id_another_club_holds_is_still_remembered(client, app):
    first = register_coach(client, club_name="Argentina")
    second = register_coach(client, club_name="Argentina")
    assert upload(client, first, MEXICO).status_code == 201
    assert upload(client, second, NETHERLANDS).status_code == 201
    with app.app_context():
        for coach in (first, second):
            assert db.session.get(Club, uuid.UUID(coach.club_id)).external_id == 779


# ---------------------------------------------------------------- same match, same day


def _one_id_changed(name: str) -> bytes:
    events = orjson.loads(raw_file(name))
    events[-1]["id"] = str(uuid.uuid4())
    return orjson.dumps(events)


def _stored_matches(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Match.id)))


@pytest.mark.parametrize("as_json", [False, True], ids=["multipart", "json"])
def test_same_match_with_an_event_id_changed_is_409_naming_it(client, app, as_json):
    coach = register_coach(client, club_name="Argentina")
    first = upload(client, coach, MEXICO).get_json()["match_id"]
    again = upload(
        client, coach, raw=_one_id_changed(MEXICO), match_date=DATES[MEXICO], as_json=as_json
    )
    assert again.status_code == 409, again.get_json()
    body = again.get_json()
    assert body["match_id"] == first and first in body["detail"]
    assert "Mexico" in body["detail"] and "allow_same_day=true" in body["detail"]
    assert _stored_matches(app) == 1
    with app.app_context():
        season = club_view(uuid.UUID(coach.club_id))
        assert season.matches_played == 1


def test_same_opponent_same_day_typed_names_compare_normalised(client, app):
    coach = register_coach(client, club_name="Home FC")
    builder = _base()
    builder.end_period(1, 2700)
    first = upload(
        client, coach, raw=orjson.dumps(builder.events), opponent_name="Deportivo Alavés"
    )
    assert first.status_code == 201, first.get_json()
    other = _base()
    other.pass_(HOME, 6, at=20)
    other.end_period(1, 2700)
    raw = orjson.dumps(other.events)
    refused = upload(client, coach, raw=raw, opponent_name="  deportivo  ALAVES ")
    assert refused.status_code == 409, refused.get_json()
    assert refused.get_json()["match_id"] == first.get_json()["match_id"]
    # Another opponent, or another day, is fine.
    assert upload(client, coach, raw=raw, opponent_name="Getafe").status_code == 201
    assert _stored_matches(app) == 2


@pytest.mark.parametrize(("as_json", "flag"), [(False, "true"), (True, True)])
def test_allow_same_day_stores_a_second_match_that_day(client, app, as_json, flag):
    coach = register_coach(client, club_name="Argentina")
    assert upload(client, coach, MEXICO).status_code == 201
    raw = _one_id_changed(MEXICO)
    second = upload(
        client, coach, raw=raw, match_date=DATES[MEXICO], as_json=as_json, allow_same_day=flag
    )
    assert second.status_code == 201, second.get_json()
    # The very same file is still the same match, whatever the flag says.
    again = upload(client, coach, raw=raw, match_date=DATES[MEXICO], allow_same_day="true")
    assert again.status_code == 409
    assert again.get_json()["match_id"] == second.get_json()["match_id"]
    assert "already uploaded" in again.get_json()["detail"]
    assert _stored_matches(app) == 2


def test_a_typed_name_meets_the_files_opponent_name(client, app):
    """Stored without a typed name (the file's "Mexico"), then typed "MÉXICO": same opponent."""
    coach = register_coach(client, club_name="Argentina")
    first = upload(client, coach, MEXICO).get_json()["match_id"]
    again = upload(
        client, coach, raw=_one_id_changed(MEXICO), opponent_name="MÉXICO", match_date=DATES[MEXICO]
    )
    assert again.status_code == 409 and again.get_json()["match_id"] == first
    assert _stored_matches(app) == 1


def test_same_day_is_refused_before_the_file_is_read(client, app, monkeypatch):
    """The typed fields decide the same-day 409 before the events are parsed or analysed:
    a file that is not even JSON gets it, and the analysis never runs."""
    from spinta.services import matches as matches_service

    coach = register_coach(client, club_name="Argentina")
    first = upload(client, coach, MEXICO, opponent_name="Mexico").get_json()["match_id"]

    def no_analysis(*_args, **_kwargs):
        raise AssertionError("analysed")

    monkeypatch.setattr(matches_service, "analyse", no_analysis)
    response = client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data={
            "match_date": DATES[MEXICO],
            "opponent_name": "mexico",
            "events_file": (io.BytesIO(b"not json at all"), "events.json"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["match_id"] == first
    assert upload(client, coach, MEXICO, opponent_name="Mexico", as_json=True).status_code == 409


def test_same_day_from_the_files_teams_before_the_analysis(client, app, monkeypatch):
    """No typed name: the file's first two teams name the opponent, so the 409 still comes
    before the analysis."""
    from spinta.services import matches as matches_service

    coach = register_coach(client, club_name="Argentina")
    first = upload(client, coach, MEXICO).get_json()["match_id"]

    def no_analysis(*_args, **_kwargs):
        raise AssertionError("analysed")

    monkeypatch.setattr(matches_service, "analyse", no_analysis)
    for as_json in (False, True):
        again = upload(
            client, coach, raw=_one_id_changed(MEXICO), match_date=DATES[MEXICO], as_json=as_json
        )
        assert again.status_code == 409, again.get_json()
        assert again.get_json()["match_id"] == first
        assert "allow_same_day=true" in again.get_json()["detail"]
    # The very same file is told apart by its fingerprint, still before the analysis.
    same = upload(client, coach, MEXICO)
    assert same.status_code == 409 and same.get_json()["match_id"] == first
    assert "already uploaded" in same.get_json()["detail"]


@pg_only
def test_two_same_day_uploads_at_once_store_one(client, app):
    coach = register_coach(client, club_name="Argentina")
    changed = {"raw": _one_id_changed(MEXICO), "match_date": DATES[MEXICO]}
    responses = _together(app, [(coach, MEXICO, {}), (coach, None, changed)])
    assert sorted(r.status_code for r in responses) == [201, 409]
    assert _stored_matches(app) == 1
