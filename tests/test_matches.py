"""Match upload, listing and removal: stored numbers equal the analysis, nothing partial."""

from __future__ import annotations

import gc
import io
import threading
import uuid
import weakref
from functools import cache

import orjson
import pytest
from sqlalchemy import func, select

from spinta import analytics
from spinta.extensions import db
from spinta.models import (
    AdvancedMetric,
    Event,
    Goal,
    Match,
    MatchLineup,
    MatchStatistics,
    OpponentClub,
    OpponentPlayer,
    Player,
    PlayerMatchStatistics,
    PlayerSeasonStatistics,
    Season,
    TeamPlayer,
    User,
)
from spinta.services import matches as matches_service
from spinta.services.seasons import club_view
from tests.analytics.analytics_builder import AWAY, HOME, MatchBuilder
from tests.conftest import POSTGRES_URL, statsbomb_file
from tests.factories import add_player, register_coach

MEXICO = "argentina-mexico-2022-11-26.json"
NETHERLANDS = "netherlands-argentina-2022-12-09.json"
CROATIA = "argentina-croatia-2022-12-13.json"
BARCELONA = "barcelona-alaves-2018-08-18.json"
DATES = {
    MEXICO: "2022-11-26",
    NETHERLANDS: "2022-12-09",
    CROATIA: "2022-12-13",
    BARCELONA: "2018-08-18",
}
DERIVED_ROWS = (
    Match,
    MatchLineup,
    Goal,
    Event,
    MatchStatistics,
    PlayerMatchStatistics,
    OpponentClub,
    OpponentPlayer,
    PlayerSeasonStatistics,
    AdvancedMetric,
    Season,
    TeamPlayer,
)


@cache
def raw_file(name: str) -> bytes:
    return statsbomb_file(name).read_bytes()


def upload(client, coach, name=None, *, raw=None, as_json=False, buffered=True, **fields):
    raw = raw if raw is not None else raw_file(name)
    form = {"match_date": DATES.get(name, "2022-12-01"), **fields}
    if as_json:
        body = {**form, "statsbomb_events": orjson.loads(raw)}
        return client.post(
            "/api/coach/matches",
            data=orjson.dumps(body),
            content_type="application/json",
            headers=coach.headers,
            buffered=buffered,
        )
    form = {k: str(v) for k, v in form.items() if v is not None}
    return client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data={**form, "events_file": (io.BytesIO(raw), "events.json")},
        content_type="multipart/form-data",
        buffered=buffered,
    )


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in DERIVED_ROWS
        }


def assert_nothing_stored(app):
    assert set(row_counts(app).values()) == {0}, row_counts(app)


@pytest.fixture
def argentina(client):
    return register_coach(client, club_name="Argentina")


# ---------------------------------------------------------------- stored numbers = analysis


@pytest.mark.parametrize("as_json", [False, True], ids=["multipart", "json"])
@pytest.mark.parametrize(
    ("name", "club"),
    [
        (NETHERLANDS, "Argentina"),
        (MEXICO, "Argentina"),
        (CROATIA, "Argentina"),
        (BARCELONA, "Barcelona"),
    ],
)
def test_upload_stores_exactly_the_analysis(client, app, name, club, as_json):
    coach = register_coach(client, club_name=club)
    response = upload(client, coach, name, as_json=as_json, opponent_name="Rivals")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    report = analytics.analyse_match(orjson.loads(raw_file(name)), club_name=club)
    events = orjson.loads(raw_file(name))
    assert body["success"] is True
    summary = body["summary"]
    assert summary["events_inserted"] == len({e["id"] for e in events})
    assert summary["goals_inserted"] == len(report.goals)
    assert summary["lineups_created"] == sum(len(team.players) for team in report.lineups)
    assert summary["player_statistics_created"] == len(report.player_stats)
    assert summary["our_players_created"] == len(report.our_lineup.players)
    assert summary["opponent_players_created"] == len(report.opponent_lineup.players)
    assert summary["warnings"] == []
    assert "Rivals" in body["message"]
    assert ("on penalties" in body["message"]) == (report.penalty_shootout is not None)
    ours = body["details"]["our_players"]
    assert {p["player_name"] for p in ours} == {p.player_name for p in report.our_lineup.players}
    assert all(p["invite_code"] for p in ours)

    match_id = uuid.UUID(body["match_id"])
    with app.app_context():
        match = db.session.get(Match, match_id)
        assert (match.our_score, match.opponent_score, match.result) == (
            report.score.our,
            report.score.opponent,
            report.result,
        )
        shootout = report.penalty_shootout
        assert (match.our_penalty_score, match.opponent_penalty_score) == (
            (shootout.our, shootout.opponent) if shootout else (None, None)
        )
        assert match.opponent_name == "Rivals"
        assert str(match.match_date) == DATES[name]
        stored = {
            row.is_our_team: row
            for row in db.session.scalars(
                select(MatchStatistics).where(MatchStatistics.match_id == match_id)
            )
        }
        for stats in report.team_stats:
            row = stored[stats.is_our_team]
            for name, value in stats.stats().items():
                assert getattr(row, name) == pytest.approx(value), name
        players = {
            row.external_id: row
            for row in db.session.scalars(
                select(PlayerMatchStatistics).where(PlayerMatchStatistics.match_id == match_id)
            )
        }
        assert len(players) == len(report.player_stats)
        for stats in report.player_stats:
            row = players[stats.player_id]
            for name, value in stats.stats().items():
                assert getattr(row, name) == pytest.approx(value), (stats.player_name, name)
            for name, value in stats.per90.items():
                assert getattr(row, f"{name}_per90") == pytest.approx(value), name
            assert (row.player_id is not None) == stats.is_our_team
        goals = db.session.scalars(
            select(Goal).where(Goal.match_id == match_id).order_by(Goal.sequence)
        ).all()
        assert [
            (g.minute, g.scorer_name, g.assist_name, g.is_our_goal, g.penalty) for g in goals
        ] == [
            (g.minute, g.scorer_name, g.assist_name, g.is_our_goal, g.penalty) for g in report.goals
        ]
        lineup = db.session.scalars(select(MatchLineup).where(MatchLineup.match_id == match_id))
        by_id = {row.external_id: row for row in lineup}
        for team in report.lineups:
            for player in team.players:
                row = by_id[player.player_id]
                assert (row.is_starter, row.jersey_number, row.position) == (
                    player.is_starter,
                    player.jersey_number,
                    player.position,
                )
                assert row.minutes_played == pytest.approx(player.minutes_played)
        stored_events = db.session.scalar(
            select(func.count(Event.ordinal)).where(Event.match_id == match_id)
        )
        assert stored_events == summary["events_inserted"]
        in_file_order = db.session.scalars(
            select(Event.data).where(Event.match_id == match_id).order_by(Event.ordinal)
        ).all()
        assert in_file_order == events  # every event, verbatim, in the order of the file
        first = db.session.scalar(
            select(Event).where(Event.match_id == match_id).order_by(Event.event_index).limit(1)
        )
        original = min(events, key=lambda e: e["index"])
        assert first.data == original
        assert first.type_name == original["type"]["name"]
        club_players = db.session.scalars(
            select(Player).where(Player.club_id == uuid.UUID(coach.club_id))
        ).all()
        assert len(club_players) == len(report.our_lineup.players)
        assert len({p.invite_code for p in club_players}) == len(club_players)


@pytest.mark.parametrize(
    ("name", "club", "score", "shootout"),
    [
        (BARCELONA, "Barcelona", (3, 0), None),
        (MEXICO, "Argentina", (2, 0), None),
        (CROATIA, "Argentina", (3, 0), None),
    ],
)
def test_known_results(client, app, name, club, score, shootout):
    coach = register_coach(client, club_name=club)
    body = upload(client, coach, name).get_json()
    with app.app_context():
        match = db.session.get(Match, uuid.UUID(body["match_id"]))
        assert (match.our_score, match.opponent_score) == score
        assert match.our_penalty_score is shootout
        assert match.result == "W"


def test_same_team_id_is_remembered(client, app, argentina):
    upload(client, argentina, MEXICO)
    with app.app_context():
        club = club_view(uuid.UUID(argentina.club_id))
        from spinta.models import Club

        assert db.session.get(Club, uuid.UUID(argentina.club_id)).external_id == 779
        assert club.matches_played == 1


# ---------------------------------------------------------------- players


def test_known_players_are_updated_not_duplicated(client, app, argentina):
    # A squad entry the coach made before any upload, matched by name (accents ignored).
    messi = add_player(
        app, argentina.club_id, name="Lionel Andres Messi Cuccittini", jersey=None, position=None
    )
    first = upload(client, argentina, MEXICO).get_json()
    second = upload(client, argentina, CROATIA).get_json()
    assert first["summary"]["our_players_updated"] == 1
    assert second["summary"]["our_players_updated"] >= 11
    with app.app_context():
        stored = db.session.get(Player, messi.id)
        assert stored.external_id == 5503
        assert stored.jersey_number == 10
        names = db.session.scalars(
            select(Player.player_name).where(Player.club_id == uuid.UUID(argentina.club_id))
        ).all()
        assert len(names) == len(set(names))
        opponents = db.session.scalar(select(func.count(OpponentClub.id)))
        assert opponents == 2


# ---------------------------------------------------------------- season aggregates


def expected_season(reports):
    our = [r.our_team_stats for r in reports]
    n = len(reports)
    return {
        "matches_played": n,
        "wins": sum(r.result == "W" for r in reports),
        "draws": sum(r.result == "D" for r in reports),
        "losses": sum(r.result == "L" for r in reports),
        "goals_scored": sum(r.score.our for r in reports),
        "goals_conceded": sum(r.score.opponent for r in reports),
        "clean_sheets": sum(r.score.opponent == 0 for r in reports),
        "total_assists": sum(p.assists for r in reports for p in r.player_stats if p.is_our_team),
        "avg_total_shots": sum(s.total_shots for s in our) / n,
        "avg_expected_goals": sum(s.expected_goals for s in our) / n,
        "pass_completion_rate": 100
        * sum(s.passes_completed for s in our)
        / sum(s.total_passes for s in our),
        "avg_possession_percentage": sum(s.possession_percentage for s in our) / n,
    }


def test_season_after_one_two_three_matches_and_a_delete(client, app, argentina):
    order = [MEXICO, NETHERLANDS, CROATIA]
    reports, ids = [], []
    for count, name in enumerate(order, start=1):
        ids.append(upload(client, argentina, name).get_json()["match_id"])
        reports.append(analytics.analyse_match(orjson.loads(raw_file(name)), club_name="Argentina"))
        with app.app_context():
            season = club_view(uuid.UUID(argentina.club_id))
            for field, value in expected_season(reports).items():
                assert getattr(season, field) == pytest.approx(value), (count, field)
    with app.app_context():
        season = club_view(uuid.UUID(argentina.club_id))
        assert season.team_form == "WDW"  # most recent (Croatia) first
        messi = db.session.scalar(
            select(PlayerSeasonStatistics).join(Player).where(Player.external_id == 5503)
        )
        messi_rows = [p for r in reports for p in r.player_stats if p.player_id == 5503]
        assert messi.matches_played == 3
        assert messi.goals == sum(p.goals for p in messi_rows)
        assert messi.minutes_played == pytest.approx(sum(p.minutes_played for p in messi_rows))
        assert 0 <= messi.attacking_rating <= 100

    deleted = client.delete(f"/api/coach/matches/{ids[1]}", headers=argentina.headers)
    assert deleted.status_code == 200
    assert deleted.get_json()["deleted"] is True
    remaining = [reports[0], reports[2]]
    with app.app_context():
        season = club_view(uuid.UUID(argentina.club_id))
        for field, value in expected_season(remaining).items():
            assert getattr(season, field) == pytest.approx(value), field
        assert season.team_form == "WW"
        assert (
            db.session.scalar(
                select(func.count(Event.ordinal)).where(Event.match_id == uuid.UUID(ids[1]))
            )
            == 0
        )
        assert (
            db.session.scalar(
                select(func.count(PlayerMatchStatistics.id)).where(
                    PlayerMatchStatistics.match_id == uuid.UUID(ids[1])
                )
            )
            == 0
        )


def test_player_seasons_summed_by_the_database_equal_the_analytics(client, app, argentina):
    """The service sums each player's matches in SQL; figures and ratings must equal
    analytics.compute_player_seasons over the same matches' player rows."""
    reports = []
    for name in (MEXICO, NETHERLANDS, CROATIA):
        assert upload(client, argentina, name).status_code == 201
        reports.append(analytics.analyse_match(orjson.loads(raw_file(name)), club_name="Argentina"))
    expected = analytics.compute_player_seasons(
        (p for r in reports for p in r.player_stats if p.is_our_team), key="player_id"
    )
    with app.app_context():
        stored = {
            player.external_id: season
            for season, player in db.session.execute(
                select(PlayerSeasonStatistics, Player).join(Player)
            )
        }
    assert set(stored) == set(expected)
    for statsbomb_id, season in expected.items():
        row = stored[statsbomb_id]
        assert (row.matches_played, row.starts) == (season.matches_played, season.starts)
        assert row.minutes_played == pytest.approx(season.minutes_played)
        for name, value in {**season.totals, **season.rates}.items():
            assert getattr(row, name) == pytest.approx(value), (statsbomb_id, name)
        for name, value in season.per90.items():
            assert getattr(row, f"{name}_per90") == pytest.approx(value), (statsbomb_id, name)
        assert {name: getattr(row, name) for name in season.ratings()} == season.ratings()


def test_deleting_the_last_match_zeroes_the_season(client, app, argentina):
    match_id = upload(client, argentina, MEXICO).get_json()["match_id"]
    assert (
        client.delete(f"/api/coach/matches/{match_id}", headers=argentina.headers).status_code
        == 200
    )
    with app.app_context():
        season = club_view(uuid.UUID(argentina.club_id))
        assert (season.matches_played, season.goals_scored, season.team_form) == (0, 0, "")
        assert db.session.scalar(select(func.count(PlayerSeasonStatistics.player_id))) == 0


# ---------------------------------------------------------------- listing, ownership


def test_list_matches_newest_first_and_paginated(client, argentina):
    for name in (CROATIA, MEXICO, NETHERLANDS):
        upload(client, argentina, name)
    body = client.get("/api/coach/matches", headers=argentina.headers).get_json()
    assert body["total_count"] == 3
    assert [m["match_date"] for m in body["matches"]] == ["2022-12-13", "2022-12-09", "2022-11-26"]
    first = body["matches"][0]
    assert set(first) == {
        "match_id",
        "opponent_name",
        "match_date",
        "our_score",
        "opponent_score",
        "result",
    }
    assert first["opponent_name"] == "Croatia"
    page = client.get("/api/coach/matches?limit=1&offset=1", headers=argentina.headers).get_json()
    assert page["total_count"] == 3 and [m["match_date"] for m in page["matches"]] == ["2022-12-09"]
    for bad in ("limit=0", "limit=101", "offset=-1", "limit=abc"):
        response = client.get(f"/api/coach/matches?{bad}", headers=argentina.headers)
        assert response.status_code == 422, bad


def test_other_coach_cannot_see_or_delete(client, app, argentina):
    match_id = upload(client, argentina, MEXICO).get_json()["match_id"]
    other = register_coach(client, club_name="Mexico")
    assert client.get("/api/coach/matches", headers=other.headers).get_json()["total_count"] == 0
    response = client.delete(f"/api/coach/matches/{match_id}", headers=other.headers)
    assert response.status_code == 404
    assert (
        client.delete(f"/api/coach/matches/{uuid.uuid4()}", headers=argentina.headers).status_code
        == 404
    )
    with app.app_context():
        assert db.session.get(Match, uuid.UUID(match_id)) is not None


def test_player_token_cannot_upload(client, app, argentina):
    from tests.factories import register_player

    player = register_player(client, app, argentina.club_id)
    response = upload(client, player, MEXICO)
    assert response.status_code == 403


# ---------------------------------------------------------------- duplicates


def test_same_file_twice_is_409_naming_the_match(client, app, argentina):
    first = upload(client, argentina, MEXICO).get_json()["match_id"]
    again = upload(client, argentina, MEXICO, as_json=True)
    assert again.status_code == 409
    assert again.get_json()["match_id"] == first
    assert first in again.get_json()["detail"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Match.id))) == 1
    # Another club may upload the same file.
    mexico = register_coach(client, club_name="Mexico")
    assert upload(client, mexico, MEXICO).status_code == 201


@pytest.mark.skipif(not POSTGRES_URL, reason="real concurrency needs PostgreSQL")
def test_concurrent_duplicate_uploads_store_one_match(client, app, argentina):
    barrier = threading.Barrier(3)
    statuses = []

    def go():
        with app.test_client() as own:
            barrier.wait()
            statuses.append(upload(own, argentina, CROATIA).status_code)

    threads = [threading.Thread(target=go) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409, 409]
    with app.app_context():
        assert db.session.scalar(select(func.count(Match.id))) == 1
        assert db.session.scalar(select(func.count(OpponentClub.id))) == 1


# ---------------------------------------------------------------- typed score


def test_typed_score_is_official_and_warns(client, app, argentina):
    response = upload(client, argentina, MEXICO, our_score=1, opponent_score=1)
    assert response.status_code == 201
    body = response.get_json()
    assert len(body["summary"]["warnings"]) == 1
    warning = body["summary"]["warnings"][0]
    assert "1-1" in warning and "2-0" in warning  # names the typed and the derived score
    assert "warning" in body["message"]
    with app.app_context():
        match = db.session.get(Match, uuid.UUID(body["match_id"]))
        assert (match.our_score, match.opponent_score, match.result) == (1, 1, "D")
        assert (match.derived_our_score, match.derived_opponent_score) == (2, 0)


# ---------------------------------------------------------------- bad input, nothing stored


def tiny_match(*, xi_size=11, home=HOME, away=AWAY):
    builder = MatchBuilder(home, away, xi_size=xi_size)
    builder.pass_(home, 5, at=10)
    builder.end_period(1, 2700)
    return orjson.dumps(builder.events)


@pytest.mark.parametrize(
    ("raw", "status", "words"),
    [
        (b'[{"id": "1", "type"', 400, "not valid JSON"),
        (b'{"events": []}', 422, "array"),
        (b"[]", 422, "no events"),
        (
            orjson.dumps(
                [
                    {
                        "id": "x",
                        "index": 1,
                        "period": 1,
                        "timestamp": "00:00:00.000",
                        "type": {"name": "Pass"},
                        "team": {"id": 1, "name": "Home FC"},
                    }
                ]
            ),
            422,
            "team",
        ),
        (tiny_match(xi_size=10), 422, "11"),
        (
            tiny_match(home={"id": 9, "name": "Far Away"}, away={"id": 8, "name": "Elsewhere"}),
            422,
            "Home FC",
        ),
    ],
)
def test_bad_files_are_rejected_and_store_nothing(client, app, raw, status, words):
    coach = register_coach(client, club_name="Home FC")
    for as_json in (False, True):
        if as_json and status == 400:
            response = client.post(
                "/api/coach/matches",
                data=b'{"match_date": "2022-01-01", "statsbomb_events": [',
                content_type="application/json",
                headers=coach.headers,
            )
        elif as_json:
            try:
                events = orjson.loads(raw)
            except orjson.JSONDecodeError:
                continue
            response = client.post(
                "/api/coach/matches",
                headers=coach.headers,
                json={"match_date": "2022-01-01", "statsbomb_events": events},
            )
        else:
            response = upload(client, coach, raw=raw)
        assert response.status_code == status, response.get_json()
        body = response.get_json()
        assert isinstance(body["detail"], str) and body["detail"] == body["message"]
        if not as_json or status != 400:
            assert words.lower() in body["detail"].lower(), body["detail"]
    assert_nothing_stored(app)


def test_club_matching_neither_team_names_both(client, app):
    coach = register_coach(client, club_name="Real Madrid")
    response = upload(client, coach, MEXICO)
    assert response.status_code == 422
    detail = response.get_json()["detail"]
    assert "Real Madrid" in detail and "Argentina" in detail and "Mexico" in detail
    assert_nothing_stored(app)


def test_tiny_valid_match_is_accepted(client, app):
    coach = register_coach(client, club_name="Home FC")
    response = upload(client, coach, raw=tiny_match())
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["summary"]["our_players_created"] == 11


@pytest.mark.parametrize("ending", ["closed", "dropped unclosed", "next upload"])
def test_parsed_upload_and_gc_wait_for_the_response(client, monkeypatch, ending):
    """The parsed events outlive the view, and the cyclic GC stays paused, only until the
    server closes the sent response (or the response goes away unclosed, or, with a server
    that never closes it, until the next upload)."""
    coach = register_coach(client, club_name="Home FC")
    results = []
    real_import = matches_service.import_match

    def spy(**kwargs):
        result = real_import(**kwargs)
        results.append(weakref.ref(result))
        return result

    monkeypatch.setattr(matches_service, "import_match", spy)
    assert gc.isenabled()
    try:
        response = upload(client, coach, raw=tiny_match(), buffered=False)
        assert response.status_code == 201, response.get_json()
        assert results[0]() is not None  # sent, not yet closed: still held
        assert not gc.isenabled()
        if ending == "closed":
            response.close()
        elif ending == "dropped unclosed":
            del response
        else:
            again = upload(client, coach, raw=tiny_match())  # any upload: this one is a 409
            assert again.status_code == 409, again.get_json()
        assert results[0]() is None
        assert gc.isenabled()
    finally:
        gc.enable()


def test_a_failed_upload_resumes_the_gc_at_once(client):
    coach = register_coach(client, club_name="Home FC")
    response = upload(client, coach, raw=b"[{")
    assert response.status_code == 400
    assert gc.isenabled()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"match_date": "yesterday"}, "match_date"),
        ({"match_date": None}, "match_date"),
        ({"our_score": -1, "opponent_score": 0}, "our_score"),
        ({"our_score": "two", "opponent_score": 0}, "our_score"),
        ({"our_score": 2}, "opponent_score"),
        ({"opponent_logo_url": "not a url"}, "opponent_logo_url"),
    ],
)
def test_bad_fields_are_422_and_store_nothing(client, app, fields, field):
    coach = register_coach(client, club_name="Home FC")
    response = upload(client, coach, raw=tiny_match(), **fields)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert_nothing_stored(app)


def test_missing_file_wrong_content_type_and_huge_body(client, app):
    coach = register_coach(client, club_name="Home FC")
    missing = client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data={"match_date": "2022-01-01"},
        content_type="multipart/form-data",
    )
    assert missing.status_code == 422 and "events_file" in missing.get_json()["errors"]
    no_events = client.post(
        "/api/coach/matches", headers=coach.headers, json={"match_date": "2022-01-01"}
    )
    assert no_events.status_code == 422 and "statsbomb_events" in no_events.get_json()["errors"]
    wrong = client.post(
        "/api/coach/matches", headers=coach.headers, data=b"[]", content_type="text/plain"
    )
    assert wrong.status_code == 415
    huge = b"[" + b" " * (app.config["MAX_CONTENT_LENGTH"] + 10) + b"]"
    too_big = client.post(
        "/api/coach/matches", headers=coach.headers, data=huge, content_type="application/json"
    )
    assert too_big.status_code == 413
    assert "MB" in too_big.get_json()["detail"]
    assert_nothing_stored(app)


def test_failure_after_events_are_inserted_rolls_everything_back(
    client, app, argentina, monkeypatch
):
    import spinta.services.matches as matches_service

    def explode(match_id):
        with db.session.no_autoflush:
            stored = db.session.scalar(select(func.count(Event.ordinal)))
        assert stored > 3000  # the events really were in the transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr(matches_service, "apply_match", explode)
    response = upload(client, argentina, MEXICO)
    assert response.status_code == 500
    assert "disk" not in response.get_data(as_text=True)
    assert_nothing_stored(app)
    with app.app_context():
        assert db.session.scalar(select(func.count(Player.id))) == 0
        from spinta.models import Club

        assert db.session.get(Club, uuid.UUID(argentina.club_id)).external_id is None


def test_raw_events_survive_storage_byte_for_byte(client, app):
    """Backslashes, tabs, newlines, quotes and unicode in names and free text (COPY escaping)."""
    coach = register_coach(client, club_name="Home FC")
    builder = MatchBuilder(HOME, AWAY)
    odd = {"id": 999, "name": 'Jo\\ão "Ze"\tSilva\nJr. \u00e9\u4e2d'}
    event = builder.pass_(HOME, 5, at=10)
    event["player"] = odd
    event["comment"] = "C:\\path\\to \\N and \\t literal"
    builder.end_period(1, 2700)
    response = upload(client, coach, raw=orjson.dumps(builder.events))
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        stored = db.session.scalar(select(Event).where(Event.external_id == event["id"]))
        assert stored.data == event
        assert stored.player_name == odd["name"]
        assert stored.player_id == 999
        assert db.session.scalar(select(func.count(Event.ordinal))) == len(builder.events)


def test_deleting_a_coach_account_deletes_his_matches_events(client, app, argentina):
    """Events have no foreign key (COPY speed); the matches_delete_events trigger carries the
    cascade from an account, through its club and matches, to the events."""
    assert upload(client, argentina, MEXICO).status_code == 201
    other = register_coach(client, club_name="Barcelona")
    assert upload(client, other, BARCELONA).status_code == 201
    with app.app_context():
        kept = db.session.scalar(select(func.count(Event.ordinal)))
        mine = db.session.scalar(
            select(func.count(Event.ordinal))
            .join(Match, Match.id == Event.match_id)
            .where(Match.club_id == uuid.UUID(argentina.club_id))
        )
        assert 0 < mine < kept
        db.session.delete(db.session.get(User, uuid.UUID(argentina.user_id)))
        db.session.commit()
        assert db.session.scalar(select(func.count(Event.ordinal))) == kept - mine
        orphans = select(Event.match_id).where(~Event.match_id.in_(select(Match.id)))
        assert db.session.scalars(orphans).first() is None


def test_events_are_indexed_by_match_player_and_type(app):
    """The issue's indexes: the key leads with match_id; player_id and type_name have their own."""
    from sqlalchemy import inspect

    with app.app_context():
        inspector = inspect(db.engine)
        assert inspector.get_pk_constraint("events")["constrained_columns"] == [
            "match_id",
            "ordinal",
        ]
        leading = {index["column_names"][0] for index in inspector.get_indexes("events")}
        assert {"player_id", "type_name"} <= leading
