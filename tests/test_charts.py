"""Charts and event locations (api.md "Charts, reports and exports"), on a shared match.

Chart correctness is checked without pixels: the SVG ids the charts set (``shot-N``,
``node-N``) are counted against the events the API lists.
"""

from __future__ import annotations

import io
import math
import re
import subprocess
import sys
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from spinta.charts import PLAYER_MATCH_KINDS
from spinta.charts import data as chart_data
from spinta.extensions import db
from spinta.models import Player, PlayerSeasonStatistics
from spinta.services import charts
from spinta.services.seasons import scope_for
from spinta.store.events import stored_match
from tests.conftest import ROOT, statsbomb_file
from tests.factories import add_team, register_coach, register_staff
from tests.world import signup

CROATIA = "argentina-croatia-2022-12-13.json"
MESSI = 5503
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def upload(client, coach, name: str = CROATIA, date: str = "2022-12-13") -> str:
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


def squad_id(app, club_id: str, statsbomb_id: int) -> str:
    with app.app_context():
        return str(
            db.session.scalar(
                select(Player.id).where(
                    Player.club_id == uuid.UUID(club_id),
                    Player.external_id == statsbomb_id,
                )
            )
        )


@pytest.fixture
def croatia(client):
    statsbomb_file(CROATIA)
    coach = register_coach(client, club_name="Argentina")
    return coach, upload(client, coach)


def ids(svg: bytes, prefix: str) -> list[str]:
    return re.findall(rb'id="(' + re.escape(prefix.encode()) + rb'\d+)"', svg)


def all_events(client, coach, match_id, query: str = "") -> list[dict]:
    found, offset = [], 0
    while True:
        response = client.get(
            f"/api/coach/matches/{match_id}/events?limit=100&offset={offset}{query}",
            headers=coach.headers,
        )
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        found += body["events"]
        offset += 100
        if offset >= body["total_count"]:
            return found


def test_shot_map_has_one_marker_per_shot_of_the_team(client, croatia):
    coach, match_id = croatia
    shots = all_events(client, coach, match_id, "&type=shot")
    for team, ours in (("our", True), ("opponent", False)):
        expected = [
            s
            for s in shots
            if s["is_our_team"] is ours and s["period"] <= 4 and s["outcome"] != "own_goal"
        ]
        response = client.get(
            f"/api/coach/matches/{match_id}/charts/shot-map?team={team}", headers=coach.headers
        )
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert len(ids(response.data, "shot-")) == len(expected) > 0
    assert sum(1 for s in shots if s["is_our_team"] and s["outcome"] == "goal") == 3


def test_pass_network_has_one_node_per_starter(client, croatia):
    coach, match_id = croatia
    detail = client.get(f"/api/coach/matches/{match_id}", headers=coach.headers).get_json()
    for team, side in (("our", "our_team"), ("opponent", "opponent_team")):
        starters = [p for p in detail["lineup"][side] if p["is_starter"]]
        response = client.get(
            f"/api/coach/matches/{match_id}/charts/pass-network?team={team}",
            headers=coach.headers,
        )
        assert response.status_code == 200
        assert len(ids(response.data, "node-")) == len(starters) == 11
        assert ids(response.data, "edge-")


def test_xg_race_marks_every_goal_and_png_and_width(client, croatia):
    coach, match_id = croatia
    svg = client.get(f"/api/coach/matches/{match_id}/charts/xg-race", headers=coach.headers)
    assert svg.status_code == 200 and b"xg-goals-0" in svg.data and b"xg-line-1" in svg.data
    png = client.get(
        f"/api/coach/matches/{match_id}/charts/xg-race?format=png&width=400",
        headers=coach.headers,
    )
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data.startswith(PNG_MAGIC)
    assert int.from_bytes(png.data[16:20], "big") == 400  # IHDR width in pixels


def test_xt_by_zone_adds_up_to_the_teams_expected_threat(client, app, croatia):
    """96 zones; the gains by start zone add up to the match screen's expected_threat (both
    teams), each one computed again here from the listed passes and carries."""
    coach, match_id = croatia
    screen = client.get(f"/api/coach/matches/{match_id}", headers=coach.headers).get_json()
    threat = screen["statistics"]["advanced"]["expected_threat"]
    grid = chart_data.grid()
    moves = all_events(client, coach, match_id, "&type=pass,carry")

    def value(x, y):  # socceraction's zones: a boundary (x = 60) ends the zone before it
        return grid[min(max(math.ceil(y / 10) - 1, 0), 7)][min(max(math.ceil(x / 10) - 1, 0), 11)]

    for team, side in (("our", "our_team"), ("opponent", "opponent")):
        response = client.get(
            f"/api/coach/matches/{match_id}/charts/xt-by-zone?team={team}", headers=coach.headers
        )
        assert response.status_code == 200
        assert len(ids(response.data, "zone-")) == 96
        with app.app_context():
            cells = chart_data.xt_by_zone(_neutral(match_id), _team_id(match_id, team))
        assert sum(map(sum, cells)) == pytest.approx(threat[side], abs=0.001)
        mine = [
            e
            for e in moves
            if e["is_our_team"] is (team == "our")
            and e["end_x"] is not None
            and e["period"] <= 4
            and (e["type"] == "carry" or e["outcome"] == "complete")
        ]
        # the event list turns the opponent round; the chart shows each team attacking right
        flip = (lambda v, size: v) if team == "our" else (lambda v, size: size - v)
        gains = [
            value(flip(e["end_x"], 120), flip(e["end_y"], 80))
            - value(flip(e["x"], 120), flip(e["y"], 80))
            for e in mine
        ]
        assert sum(gains) == pytest.approx(sum(map(sum, cells)), abs=1e-9)


def _neutral(match_id: str):
    from spinta.models import Match

    match = db.session.get(Match, uuid.UUID(match_id))
    return stored_match(match)


def _team_id(match_id: str, team: str) -> int:
    from spinta.models import Match

    match = db.session.get(Match, uuid.UUID(match_id))
    return match.our_external_id if team == "our" else match.opponent_external_id


def test_etag_304_and_deterministic_output(client, app, croatia):
    coach, match_id = croatia
    path = f"/api/coach/matches/{match_id}/charts/shot-map"
    first = client.get(path, headers=coach.headers)
    etag = first.headers["ETag"]
    again = client.get(path, headers={**coach.headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    other = client.get(path, headers={**coach.headers, "If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data == first.data
    with app.app_context():
        charts.chart_cache().clear()
    redrawn = client.get(path, headers=coach.headers)  # drawn anew: the same bytes
    assert redrawn.data == first.data and redrawn.headers["ETag"] == etag
    assert b"<dc:date>" not in first.data  # no date in the metadata


def test_charts_are_cached_until_the_club_data_changes(client, app, croatia, monkeypatch):
    from spinta.charts import render

    coach, match_id = croatia
    calls = []
    original = render.shot_map
    monkeypatch.setattr(render, "shot_map", lambda *a, **k: calls.append(1) or original(*a, **k))
    path = f"/api/coach/matches/{match_id}/charts/shot-map"
    first = client.get(path, headers=coach.headers)
    client.get(path, headers=coach.headers)
    assert len(calls) == 1
    upload(client, coach, "argentina-mexico-2022-11-26.json", "2022-11-26")  # data changes
    after = client.get(path, headers=coach.headers)
    assert len(calls) == 2  # drawn again for the new data version ...
    assert after.headers["ETag"] == first.headers["ETag"]  # ... and the picture is the same


def test_bad_chart_requests(client, croatia):
    coach, match_id = croatia
    base = f"/api/coach/matches/{match_id}/charts"
    unknown = client.get(f"{base}/pie", headers=coach.headers)
    assert unknown.status_code == 404 and "shot-map" in unknown.get_json()["detail"]
    for query, field in (
        ("width=199", "width"),
        ("width=2001", "width"),
        ("width=abc", "width"),
        ("format=gif", "format"),
        ("team=both", "team"),
    ):
        response = client.get(f"{base}/shot-map?{query}", headers=coach.headers)
        assert response.status_code == 422, query
        assert field in response.get_json()["errors"]
    assert client.get(f"{base}/shot-map?width=2000", headers=coach.headers).status_code == 200
    stranger = register_coach(client, club_name="Somebody Else")
    for kind in ("shot-map", "pass-network", "xg-race"):
        response = client.get(f"{base}/{kind}", headers=stranger.headers)
        assert response.status_code == 404
    assert (
        client.get(f"/api/coach/matches/{match_id}/events", headers=stranger.headers).status_code
        == 404
    )


def test_player_match_charts_and_radar(client, app, croatia):
    coach, match_id = croatia
    messi = squad_id(app, coach.club_id, MESSI)
    base = f"/api/coach/players/{messi}"
    for kind in ("heatmap", "passes", "shots"):
        response = client.get(f"{base}/matches/{match_id}/charts/{kind}", headers=coach.headers)
        assert response.status_code == 200, (kind, response.get_json())
    shots = all_events(client, coach, match_id, f"&type=shot&player_id={messi}")
    svg = client.get(f"{base}/matches/{match_id}/charts/shots", headers=coach.headers).data
    assert len(ids(svg, "shot-")) == len(shots) > 0
    passes = all_events(client, coach, match_id, f"&type=pass&player_id={messi}")
    svg = client.get(f"{base}/matches/{match_id}/charts/passes", headers=coach.headers).data
    assert len(ids(svg, "pass-")) == sum(1 for p in passes if p["end_x"] is not None)
    assert (
        client.get(f"{base}/matches/{match_id}/charts/pie", headers=coach.headers).status_code
        == 404
    )
    radar = client.get(f"{base}/charts/radar?format=png", headers=coach.headers)
    assert radar.status_code == 200 and radar.data.startswith(PNG_MAGIC)
    # A player of another club, and a player who did not play.
    stranger = register_coach(client, club_name="Somebody Else")
    assert client.get(f"{base}/charts/radar", headers=stranger.headers).status_code == 404
    with app.app_context():
        bench = db.session.scalar(
            select(Player.id).where(
                Player.club_id == uuid.UUID(coach.club_id), Player.external_id.is_(None)
            )
        )
    assert bench is None  # every squad entry came from this match's file
    # The player's own charts.
    with app.app_context():
        code = db.session.get(Player, uuid.UUID(messi)).invite_code
    me = signup(client, code, "Lionel Messi")
    own = client.get(f"/api/player/matches/{match_id}/charts/heatmap", headers=me.headers)
    assert own.status_code == 200
    mine = client.get(f"{base}/matches/{match_id}/charts/heatmap", headers=coach.headers)
    assert own.data == mine.data
    assert client.get("/api/player/charts/radar", headers=me.headers).status_code == 200


def test_radar_ranks_among_players_with_enough_minutes(client, app, croatia):
    coach, _match_id = croatia
    messi = squad_id(app, coach.club_id, MESSI)
    with app.app_context():
        player = db.session.get(Player, uuid.UUID(messi))
        scope = scope_for(uuid.UUID(coach.club_id), None, "all")
        values, subtitle = charts.radar_values(scope, player)
    assert len(values) == len(charts.RADAR_AXES)
    assert all(0 <= v <= 100 for v in values)
    labels = dict(charts.RADAR_AXES)
    assert "goals_per90" in labels and "pass_completion_rate" in labels
    goals = values[[c for c, _ in charts.RADAR_AXES].index("goals_per90")]
    assert goals > 90  # two goals: top of the squad
    assert "90+ minutes" in subtitle


def test_radar_takes_the_season_as_the_screens(client, app, croatia):
    """The radar ranks among the team's players of one season (default: the latest with a
    match; `all`: every season summed), like the screens; another club's season is 404."""
    coach, _match_id = croatia
    upload(client, coach, "argentina-mexico-2022-11-26.json", "2023-09-10")  # the next season
    seasons = client.get("/api/coach/seasons", headers=coach.headers).get_json()["seasons"]
    by_name = {s["name"]: s["season_id"] for s in seasons}
    messi = squad_id(app, coach.club_id, MESSI)
    path = f"/api/coach/players/{messi}/charts/radar"

    def radar(**query):
        response = client.get(path, headers=coach.headers, query_string=query)
        assert response.status_code == 200, response.get_json()
        return response.data

    assert radar() == radar(season_id=by_name["2023/24"])
    assert len({radar(season_id=sid) for sid in (*by_name.values(), "all")}) == 3
    with app.app_context():
        player = db.session.get(Player, uuid.UUID(messi))
        club = uuid.UUID(coach.club_id)
        minutes = {}
        for name in ("2022/23", "2023/24"):
            rows = db.session.scalars(
                select(PlayerSeasonStatistics).where(
                    PlayerSeasonStatistics.season_id == uuid.UUID(by_name[name])
                )
            ).all()
            minutes[name] = {row.player_id: row.minutes_played for row in rows}
            _values, subtitle = charts.radar_values(scope_for(club, None, by_name[name]), player)
            eligible = sum(1 for m in minutes[name].values() if m >= 90)
            assert f"among {eligible} squad players" in subtitle
        _values, subtitle = charts.radar_values(scope_for(club, None, "all"), player)
        everyone = {p for season in minutes.values() for p in season}
        summed = [sum(season.get(p, 0) for season in minutes.values()) for p in everyone]
        assert f"among {sum(1 for m in summed if m >= 90)} squad players" in subtitle
    stranger = register_coach(client, club_name="Croatia")
    upload(client, stranger)
    theirs = client.get("/api/coach/seasons", headers=stranger.headers).get_json()["seasons"]
    response = client.get(
        path, headers=coach.headers, query_string={"season_id": theirs[0]["season_id"]}
    )
    assert response.status_code == 404
    bad = client.get(path, headers=coach.headers, query_string={"season_id": "last"})
    assert bad.status_code == 422


def coach_of_a_second_team(client, app, admin) -> tuple[Any, dict, str]:
    """A staff coach of a second team, "Reserves", whose squad is Messi alone: (the coach, the
    club's first team, Messi's player id)."""
    first = client.get("/api/coach/teams", headers=admin.headers).get_json()["teams"][0]
    second = add_team(app, admin.club_id, "Reserves")
    messi = squad_id(app, admin.club_id, MESSI)
    squad = client.put(
        f"/api/coach/teams/{second}/players", headers=admin.headers, json={"player_ids": [messi]}
    )
    assert squad.status_code == 200, squad.get_json()
    return register_staff(client, admin, team_ids=[second]), first, messi


def test_a_staff_coach_never_gets_another_teams_radar_from_the_cache(client, app, croatia):
    """The radar's cache key holds the teams the coach sees: the admin's drawing of the first
    team is not served to a coach of the second one (his default team, and 404 for a team he
    does not coach)."""
    admin, _match_id = croatia
    coach, first, messi = coach_of_a_second_team(client, app, admin)
    path = f"/api/coach/players/{messi}/charts/radar"
    theirs = {"team_id": first["team_id"]}
    assert client.get(path, headers=admin.headers, query_string=theirs).status_code == 200
    drawn = client.get(path, headers=admin.headers)
    assert client.get(path, headers=coach.headers, query_string=theirs).status_code == 404
    mine = client.get(path, headers=coach.headers)
    assert mine.status_code == 200 and mine.data != drawn.data
    assert b"Percentiles among 0 squad players" in mine.data


def test_events_are_normalised_and_paged(client, croatia):
    coach, match_id = croatia
    page = client.get(
        f"/api/coach/matches/{match_id}/events?limit=5&offset=10", headers=coach.headers
    )
    body = page.get_json()
    assert len(body["events"]) == 5 and body["total_count"] > 3000
    shots = all_events(client, coach, match_id, "&type=shot")
    lovren = next(s for s in shots if s["event_id"] == "50d88cc2-208f-4272-9156-ea9f0049c8bc")
    # Croatia's shot from x=115, y=27.7 (Croatia attacking right) is at our end.
    assert (lovren["x"], lovren["y"], lovren["is_our_team"]) == (5.0, 52.3, False)
    assert {s["type"] for s in shots} == {"shot"}
    assert all(s["xg"] is not None for s in shots if s["outcome"] != "own_goal")
    mixed = all_events(client, coach, match_id, "&type=shot,PASS")
    assert {e["type"] for e in mixed} == {"shot", "pass"}
    bad = client.get(f"/api/coach/matches/{match_id}/events?type=shot,dance", headers=coach.headers)
    assert bad.status_code == 422 and "dance" in bad.get_json()["errors"]["type"]
    for query in ("limit=0", "limit=101", "offset=-1", "player_id=nope"):
        response = client.get(
            f"/api/coach/matches/{match_id}/events?{query}", headers=coach.headers
        )
        assert response.status_code == 422, query
    missing = client.get(
        f"/api/coach/matches/{match_id}/events?player_id={uuid.uuid4()}", headers=coach.headers
    )
    assert missing.status_code == 404


def test_matplotlib_stays_off_other_endpoints():
    """Worker start-up and every other endpoint never import matplotlib."""
    code = (
        "import sys\n"
        "from config import TestingConfig\n"
        "from spinta.app import create_app\n"
        "app = create_app(TestingConfig({'DATABASE_URL': 'sqlite://', 'LOG_LEVEL': 'WARNING'}))\n"
        "app.test_client().get('/api/health')\n"
        "app.test_client().get('/openapi.json')\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_prerender_fills_the_cache_for_the_first_look(client, app, croatia, monkeypatch):
    from spinta import reports
    from spinta.charts import render

    coach, match_id = croatia
    with app.app_context():
        drawn = reports.prerender_match(uuid.UUID(coach.club_id), uuid.UUID(match_id))
        assert drawn == 9  # 2 shot maps, 2 pass networks, 2 xT by zone, the xG race, HTML, PDF
        assert reports.prerender_match(uuid.UUID(coach.club_id), uuid.uuid4()) == 0

    def refuse(*_args, **_kwargs):
        raise AssertionError("drawn again")

    for name in ("shot_map", "pass_network", "xg_race"):
        monkeypatch.setattr(render, name, refuse)
    monkeypatch.setattr(reports, "to_pdf", refuse)
    for path in (
        "charts/shot-map",
        "charts/shot-map?team=opponent",
        "charts/pass-network?team=opponent",
        "charts/xg-race?team=opponent",
        "report",
        "report?format=pdf",
    ):
        response = client.get(f"/api/coach/matches/{match_id}/{path}", headers=coach.headers)
        assert response.status_code == 200, path


def _redis_or_skip(url: str):
    from redis import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        client.ping()
    except RedisError:
        pytest.skip(f"no Redis at {url}")
    return client


def test_shared_store_serves_other_processes_and_failures_are_skipped():
    url = "redis://127.0.0.1:6379/5"
    shared = _redis_or_skip(url)
    key = ("test", uuid.uuid4())
    rendered = charts.Rendered(b"<svg/>", "image/svg+xml", charts.etag_of(b"<svg/>"))
    one, other = charts.ChartCache(8, shared, ttl=60), charts.ChartCache(8, shared, ttl=60)
    try:
        one.put(key, rendered)
        assert other.get(key) == rendered  # another process's cache finds it
        assert 0 < shared.ttl(charts.ChartCache._shared_key(key)) <= 60
    finally:
        shared.delete(charts.ChartCache._shared_key(key))
    from redis import Redis

    down = charts.ChartCache(8, Redis(port=5159, socket_connect_timeout=0.2), ttl=60)
    down.put(key, rendered)  # no error: the local entry is kept
    assert down.get(key) == rendered
    assert down.get(("missing",)) is None


def test_openapi_lists_the_new_endpoints_with_their_media_types(client):
    document = client.get("/openapi.json").get_json()
    paths = document["paths"]
    pictures = {"image/svg+xml", "image/png"}
    for path in (
        "/api/coach/matches/{match_id}/charts/{kind}",
        "/api/coach/players/{player_id}/matches/{match_id}/charts/{kind}",
        "/api/coach/players/{player_id}/charts/radar",
        "/api/player/matches/{match_id}/charts/{kind}",
        "/api/player/charts/radar",
    ):
        responses = paths[path]["get"]["responses"]
        assert set(responses["200"]["content"]) == pictures, path
        assert "304" in responses and "ETag" in responses["200"]["headers"]
        names = {p["name"] for p in paths[path]["get"]["parameters"] if p["in"] == "query"}
        assert {"format", "width"} <= names
    for path in ("/api/coach/matches/{match_id}/report", "/api/coach/players/{player_id}/report"):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert set(content) == {"text/html", "application/pdf"}, path
    for path in ("/api/coach/matches/{match_id}/export", "/api/coach/players/{player_id}/export"):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert set(content) == {"application/json", "text/csv"}, path
    events = paths["/api/coach/matches/{match_id}/events"]["get"]["responses"]["200"]
    assert set(events["content"]) == {"application/json"}


def test_charts_are_drawn_with_the_collector_paused(client, croatia, monkeypatch):
    """No garbage collection pass runs while a chart is drawn (a full pass mid-draw cost
    0.3-0.5 s); the collector runs again after it, and nested pauses keep the outermost's."""
    import gc

    from spinta.charts import render

    coach, match_id = croatia
    during, original = [], render.shot_map

    def spy(*args, **kwargs):
        during.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(render, "shot_map", spy)
    assert gc.isenabled()
    path = f"/api/coach/matches/{match_id}/charts/shot-map?width=333"
    assert client.get(path, headers=coach.headers).status_code == 200
    assert during == [False] and gc.isenabled()
    with charts.gc_paused():
        with charts.gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_chart_read_from_its_kinds_events_only_is_the_whole_matchs(client, app, croatia):
    """A cold chart reads only the events its kind draws from (charts.KIND_EVENTS) and, for a
    player's chart, his own: the picture is byte for byte the one drawn from the whole match,
    and far fewer rows are read."""
    coach, match_id = croatia
    with app.app_context():
        match = charts.club_match(uuid.UUID(coach.club_id), uuid.UUID(match_id))
        whole = stored_match(match)
        for kind in (*charts.KIND_EVENTS, "heatmap"):
            player = MESSI if kind in PLAYER_MATCH_KINDS else None
            part = stored_match(match, charts.KIND_EVENTS.get(kind), player)
            assert len(part.events) < len(whole.events) * 0.7, kind
            if player is not None:
                drawn = [
                    charts.draw_player_match_chart(m, MESSI, "Messi", kind, 400, "svg")
                    for m in (whole, part)
                ]
            else:
                sides = {"our": match.our_external_id, "opponent": match.opponent_external_id}
                drawn = [
                    charts.draw_match_chart(match, m, kind, team, 400, "svg")
                    for m in (whole, part)
                    for team in ("our", "opponent")
                ]
                if kind in charts.TEAM_KINDS:
                    drawn[2:] = [
                        charts.draw_match_chart(
                            match,
                            stored_match(match, part_types, team=sides[team]),
                            kind,
                            team,
                            400,
                            "svg",
                        )
                        for part_types in (charts.KIND_EVENTS[kind],)
                        for team in ("our", "opponent")
                    ]
            assert drawn[: len(drawn) // 2] == drawn[len(drawn) // 2 :], kind
        shots = stored_match(match, charts.KIND_EVENTS["shot-map"])
        kinds = {e.type for e in shots.events}
        assert kinds == {chart_data.EventType.SHOT, chart_data.EventType.GENERIC}  # + sheets
        assert shots.starting == whole.starting and shots.teams == whole.teams
