"""Advanced metrics through the API (issue 22): stored with the upload, the match screen's
`statistics.advanced`, the player-match `advanced` section, recompute-stats and deletion."""

from __future__ import annotations

import io
import uuid

import orjson
import pytest
from sqlalchemy import delete, func, select

from spinta import analytics
from spinta.extensions import db
from spinta.models import AdvancedMetric, Player
from spinta.screen_cache import commit_club_write
from spinta.services.matches import reanalyse_club
from tests.conftest import statsbomb_file
from tests.factories import default_team_id, register_coach, register_player

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
                    Player.external_id == statsbomb_id,
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
    assert advanced["expected_threat"] == {"our_team": 1.342, "opponent": 1.134}
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


def test_a_match_stored_before_the_metrics_shows_them_as_0(client, app, uploaded):
    """No advanced rows (a match stored before issue 22, until recompute-stats): the match
    screen and a player's match screen still answer, every other section as before, each
    advanced value 0."""
    coach, match_id, _report = uploaded
    messi = _squad_id(app, coach.club_id, MESSI)
    paths = [f"/api/coach/matches/{match_id}", f"/api/coach/players/{messi}/matches/{match_id}"]
    before = [client.get(path, headers=coach.headers).get_json() for path in paths]
    assert before[0]["statistics"]["advanced"]["progressive_passes"]["our_team"] > 0
    assert before[1]["statistics"]["advanced"]["progressive_passes"] > 0
    with app.app_context():
        stored = delete(AdvancedMetric).where(AdvancedMetric.match_id == uuid.UUID(match_id))
        db.session.execute(stored)
        commit_club_write(uuid.UUID(coach.club_id))  # as every write: the cached screen goes
    after = []
    for path in paths:
        response = client.get(path, headers=coach.headers)
        assert response.status_code == 200
        after.append(response.get_json())
    team, player = (body["statistics"].pop("advanced") for body in after)
    team_before, player_before = (body["statistics"].pop("advanced") for body in before)
    assert team == {metric: {"our_team": 0, "opponent": 0} for metric in team_before}
    assert player == dict.fromkeys(player_before, 0)
    assert after == before


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


# ---------------------------------------------------------------- development

WORLD_CUP = {
    "argentina-mexico-2022-11-26.json": "2022-11-26",
    "netherlands-argentina-2022-12-09.json": "2022-12-09",
    CROATIA: "2022-12-13",
}


@pytest.fixture
def season(client, app):
    coach = register_coach(client, club_name="Argentina", country="Argentina")
    ids = [_upload(client, coach, name, date) for name, date in WORLD_CUP.items()]
    reports = [
        analytics.analyse_match(
            orjson.loads(statsbomb_file(name).read_bytes()), club_name="Argentina"
        )
        for name in WORLD_CUP
    ]
    return coach, ids, reports


def _messi(report):
    stats = next(s for s in report.player_stats if s.player_id == MESSI and s.is_our_team)
    return stats, report.advanced.player(stats.team_id, MESSI)


def test_trends_per_season_and_rolling_per_90(client, app, season):
    coach, ids, reports = season
    messi = _squad_id(app, coach.club_id, MESSI)
    response = client.get(
        f"/api/coach/players/{messi}/trends",
        headers=coach.headers,
        query_string={"metrics": "progressive_passes,xg,goals"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["player_id"] == messi and list(body["metrics"]) == [
        "progressive_passes",
        "expected_goals",
        "goals",
    ]
    rows = [_messi(report) for report in reports]
    minutes = [stats.minutes_played for stats, _ in rows]
    passes = [mine["progressive_passes"] for _, mine in rows]
    trend = body["metrics"]["progressive_passes"]
    seasons = client.get("/api/coach/seasons", headers=coach.headers).get_json()["seasons"]
    assert [s["name"] for s in seasons] == ["2022/23"]
    assert trend["per_season"] == [
        {
            "season_id": seasons[0]["season_id"],
            "season_name": "2022/23",
            "value": sum(passes),
            "per90": round(sum(passes) * 90 / sum(minutes), 3),
            "qualified": True,
        }
    ]
    # rolling: each match with the ones before it (fewer than five here), per 90 over the window
    expected = [round(sum(passes[: n + 1]) * 90 / sum(minutes[: n + 1]), 3) for n in range(3)]
    assert [r["value"] for r in trend["rolling"]] == expected
    assert [r["match_date"] for r in trend["rolling"]] == list(WORLD_CUP.values())
    goals = body["metrics"]["goals"]["per_season"][0]
    assert goals["value"] == sum(stats.goals for stats, _ in rows)
    assert [r["match_id"] for r in trend["rolling"]] == ids


def test_trends_follow_the_clubs_seasons(client, app):
    """Two matches a season apart: one per-season entry each (the club's seasons, oldest
    first, not calendar years), and `season_id` narrows the rolling values to its matches."""
    coach = register_coach(client, club_name="Argentina", country="Argentina")
    dates = {"argentina-mexico-2022-11-26.json": "2023-06-30", CROATIA: "2023-08-01"}
    ids = [_upload(client, coach, name, date) for name, date in dates.items()]
    rows = [
        _messi(
            analytics.analyse_match(
                orjson.loads(statsbomb_file(name).read_bytes()), club_name="Argentina"
            )
        )
        for name in dates
    ]
    messi = _squad_id(app, coach.club_id, MESSI)
    path = f"/api/coach/players/{messi}/trends"
    query = {"metrics": "progressive_passes,goals"}
    body = client.get(path, headers=coach.headers, query_string=query).get_json()
    seasons = client.get("/api/coach/seasons", headers=coach.headers).get_json()["seasons"]
    by_name = {s["name"]: s["season_id"] for s in seasons}
    assert sorted(by_name) == ["2022/23", "2023/24"]  # 2023 holds both dates: not calendar years
    per_season = body["metrics"]["progressive_passes"]["per_season"]
    assert [(e["season_id"], e["season_name"]) for e in per_season] == [
        (by_name["2022/23"], "2022/23"),
        (by_name["2023/24"], "2023/24"),
    ]
    assert [e["value"] for e in per_season] == [mine["progressive_passes"] for _, mine in rows]
    goals = [e["value"] for e in body["metrics"]["goals"]["per_season"]]
    assert goals == [stats.goals for stats, _ in rows]
    assert [r["match_id"] for r in body["metrics"]["goals"]["rolling"]] == ids
    one = client.get(
        path, headers=coach.headers, query_string={**query, "season_id": by_name["2023/24"]}
    ).get_json()["metrics"]["progressive_passes"]
    assert [e["season_name"] for e in one["per_season"]] == ["2023/24"]
    assert [r["match_id"] for r in one["rolling"]] == ids[1:]
    every = client.get(path, headers=coach.headers, query_string={**query, "season_id": "all"})
    assert every.get_json()["metrics"]["progressive_passes"]["per_season"] == per_season
    stranger = register_coach(client, club_name="Croatia")
    _upload(client, stranger)
    theirs = client.get("/api/coach/seasons", headers=stranger.headers).get_json()["seasons"]
    other = {"season_id": theirs[0]["season_id"]}
    assert client.get(path, headers=coach.headers, query_string=other).status_code == 404


def test_trends_refuse_unknown_metrics_and_seasons(client, app, season):
    coach, _, _ = season
    messi = _squad_id(app, coach.club_id, MESSI)
    path = f"/api/coach/players/{messi}/trends"
    bad = client.get(path, headers=coach.headers, query_string={"metrics": "goals,magic"})
    assert bad.status_code == 422
    assert "'magic'" in bad.get_json()["detail"] and "metrics" in bad.get_json()["errors"]
    unknown = client.get(path, headers=coach.headers, query_string={"season_id": str(uuid.uuid4())})
    assert unknown.status_code == 404
    default = client.get(path, headers=coach.headers).get_json()
    assert list(default["metrics"]) == [
        "progressive_passes",
        "progressive_carries",
        "expected_threat",
    ]


def test_percentiles_within_the_position_group(client, app, season):
    coach, _, _ = season
    messi = _squad_id(app, coach.club_id, MESSI)
    body = client.get(
        f"/api/coach/players/{messi}/percentiles",
        headers=coach.headers,
        query_string={"metrics": "progressive_carries"},
    ).get_json()
    assert body["position_group"] in ("forward", "midfielder")
    assert body["group_size"] >= 2
    value = body["metrics"]["progressive_carries"]
    assert value["qualified"] is True and 0 < value["percentile"] <= 100


def _set_age_groups(app, club_id: str, groups: dict[str, str]) -> dict[str, str]:
    """The default team gets groups["default"]; every other name a new team of that age group.
    Their ids by name."""
    from spinta.models import Team
    from spinta.services.seasons import default_team_id

    with app.app_context():
        ids = {}
        club = uuid.UUID(club_id)
        for name, age_group in groups.items():
            if name == "default":
                team = db.session.get(Team, db.session.scalar(select(default_team_id(club))))
                team.age_group = age_group
            else:
                team = Team(club_id=club, name=name, age_group=age_group)
                db.session.add(team)
            db.session.flush()
            ids[name] = str(team.id)
        db.session.commit()
        return ids


def _upload_to(client, coach, name, date, team_id):
    response = client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data={
            "match_date": date,
            "team_id": team_id,
            "events_file": (io.BytesIO(statsbomb_file(name).read_bytes()), "events.json"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()


def _expected_percentile(app, club_id, report, player_external_id, key):
    """Written again from the analysis report: the per-90 values of the Argentina players of
    Messi's position group who meet the minimum rule, ranked as pandas' rank(pct=True)."""
    from spinta.analytics.trends import ACTION_FIELDS, qualifies
    from spinta.plans.generator import position_group

    with app.app_context():
        positions = {
            p.external_id: position_group(p.position)
            for p in db.session.scalars(select(Player).where(Player.club_id == uuid.UUID(club_id)))
        }
    group = positions[player_external_id]
    values = {}
    for stats in report.player_stats:
        if not stats.is_our_team or positions.get(stats.player_id) != group:
            continue
        actions = sum(getattr(stats, name) or 0 for name in ACTION_FIELDS)
        if qualifies(stats.minutes_played, actions):
            mine = report.advanced.player(stats.team_id, stats.player_id)
            values[stats.player_id] = mine[key] * 90 / stats.minutes_played
    mine = values[player_external_id]
    below = sum(1 for v in values.values() if v < mine)
    tied = sum(1 for v in values.values() if v == mine)
    return 100 * (below + (tied + 1) / 2) / len(values), len(values), mine


def test_percentiles_by_the_teams_age_group_and_season(client, app):
    """Mexico played by the U16 team, Croatia by the U14 team (same season): Messi's
    percentile within the U16 group counts only the Mexico match and its squad, within the
    U14 group only Croatia's; the answer names the team, age group and season."""
    coach = register_coach(client, club_name="Argentina", country="Argentina")
    teams = _set_age_groups(app, coach.club_id, {"default": "U16", "U16 B": "U16", "U14": "U14"})
    mexico = "argentina-mexico-2022-11-26.json"
    _upload_to(client, coach, mexico, "2022-11-26", teams["default"])
    _upload_to(client, coach, CROATIA, "2022-12-13", teams["U14"])
    messi = _squad_id(app, coach.club_id, MESSI)
    path = f"/api/coach/players/{messi}/percentiles"
    seasons = client.get("/api/coach/seasons", headers=coach.headers).get_json()["seasons"]
    key = "progressive_passes"
    for team, name in ((teams["U16 B"], mexico), (teams["U14"], CROATIA)):
        report = analytics.analyse_match(
            orjson.loads(statsbomb_file(name).read_bytes()), club_name="Argentina"
        )
        expected, size, per90 = _expected_percentile(app, coach.club_id, report, MESSI, key)
        body = client.get(
            path, headers=coach.headers, query_string={"metrics": key, "team_id": team}
        ).get_json()
        assert body["team_id"] == team
        assert body["age_group"] == ("U16" if team == teams["U16 B"] else "U14")
        assert (body["season_id"], body["season_name"]) == (seasons[0]["season_id"], "2022/23")
        assert body["group_size"] == size
        assert body["metrics"][key]["per90"] == round(per90, 3)
        assert body["metrics"][key]["percentile"] == round(expected, 1)
    every = client.get(
        path, headers=coach.headers, query_string={"metrics": key, "season_id": "all"}
    ).get_json()
    assert (every["season_id"], every["season_name"], every["age_group"]) == ("all", None, "U16")
    stranger = register_coach(client, club_name="Croatia")
    _upload(client, stranger)
    theirs = client.get("/api/coach/seasons", headers=stranger.headers).get_json()["seasons"]
    their_team = default_team_id(client, stranger)
    for query in ({"season_id": theirs[0]["season_id"]}, {"team_id": their_team}):
        assert client.get(path, headers=coach.headers, query_string=query).status_code == 404
    for query in ({"season_id": "last"}, {"team_id": "x"}):
        assert client.get(path, headers=coach.headers, query_string=query).status_code == 422
    assert client.get(path, headers=stranger.headers).status_code == 404  # not his player


def test_development_goals_progress(client, app, season):
    coach, _, reports = season
    messi = _squad_id(app, coach.club_id, MESSI)
    path = f"/api/coach/players/{messi}/goals"
    rows = [_messi(report) for report in reports]
    current = (
        sum(m["progressive_carries"] for _, m in rows) * 90 / sum(s.minutes_played for s, _ in rows)
    )
    easy = client.post(
        path,
        headers=coach.headers,
        json={"metric": "progressive_carries", "target_per90": 1, "due_date": "2023-03-01"},
    )
    assert easy.status_code == 201, easy.get_json()
    assert easy.get_json()["achieved"] is True and easy.get_json()["progress"] == 1
    assert easy.get_json()["season_name"] == "2022/23"  # the season holding the due date
    hard = client.post(
        path,
        headers=coach.headers,
        json={"metric": "progressive_carries", "target_per90": 100, "due_date": "2023-01-01"},
    ).get_json()
    assert hard["achieved"] is False
    assert hard["progress"] == round(current / 100, 3)
    assert hard["current_per90"] == round(current, 3)
    listed = client.get(path, headers=coach.headers).get_json()["goals"]
    assert [g["target_per90"] for g in listed] == [100, 1]  # nearest due date first
    bad = client.post(
        path,
        headers=coach.headers,
        json={"metric": "charisma", "target_per90": 1, "due_date": "2027-03-01"},
    )
    assert bad.status_code == 422
    assert len(client.get(path, headers=coach.headers).get_json()["goals"]) == 2


def _goal(client, coach, player_id, **body):
    return client.post(f"/api/coach/players/{player_id}/goals", headers=coach.headers, json=body)


def test_a_goal_counts_its_season_up_to_its_due_date(client, app):
    """Mexico in 2022/23 (30 June 2023), Croatia in 2023/24 (1 August 2023): a goal's current
    value counts only the matches of its season played by its due date, never every match."""
    coach = register_coach(client, club_name="Argentina", country="Argentina")
    dates = {"argentina-mexico-2022-11-26.json": "2023-06-30", CROATIA: "2023-08-01"}
    for name, day in dates.items():
        _upload(client, coach, name, day)
    (mexico, mexico_mine), (croatia, croatia_mine) = [
        _messi(
            analytics.analyse_match(
                orjson.loads(statsbomb_file(name).read_bytes()), club_name="Argentina"
            )
        )
        for name in dates
    ]

    def per90(stats, mine):
        return round(mine["progressive_passes"] * 90 / stats.minutes_played, 3)

    messi = _squad_id(app, coach.club_id, MESSI)
    seasons = client.get("/api/coach/seasons", headers=coach.headers).get_json()["seasons"]
    by_name = {s["name"]: s["season_id"] for s in seasons}
    metric = {"metric": "progressive_passes", "target_per90": 50}
    later = _goal(client, coach, messi, due_date="2024-05-01", **metric).get_json()
    assert (later["season_id"], later["season_name"]) == (by_name["2023/24"], "2023/24")
    assert later["current_per90"] == per90(croatia, croatia_mine)
    earlier = _goal(
        client, coach, messi, due_date="2023-07-31", season_id=by_name["2022/23"], **metric
    ).get_json()
    assert earlier["current_per90"] == per90(mexico, mexico_mine)
    before_the_match = _goal(client, coach, messi, due_date="2023-06-29", **metric).get_json()
    assert before_the_match["season_name"] == "2022/23"
    assert before_the_match["current_per90"] == 0 and before_the_match["progress"] == 0
    assert mexico.minutes_played != croatia.minutes_played  # the two values can be told apart
    listed = client.get(f"/api/coach/players/{messi}/goals", headers=coach.headers)
    assert [g["current_per90"] for g in listed.get_json()["goals"]] == [
        0,
        per90(mexico, mexico_mine),
        per90(croatia, croatia_mine),
    ]
    # a due date before the season starts; another club's or no season; not a UUID
    early = _goal(
        client, coach, messi, due_date="2023-07-01", season_id=by_name["2023/24"], **metric
    )
    assert early.status_code == 422 and "due_date" in early.get_json()["errors"]
    stranger = register_coach(client, club_name="Croatia")
    _upload(client, stranger)
    theirs = client.get("/api/coach/seasons", headers=stranger.headers).get_json()["seasons"]
    other = _goal(
        client, coach, messi, due_date="2023-07-01", season_id=theirs[0]["season_id"], **metric
    )
    assert other.status_code == 404
    assert (
        _goal(client, coach, messi, due_date="2023-07-01", season_id="x", **metric).status_code
        == 422
    )
    assert len(listed.get_json()["goals"]) == 3


def test_goals_show_on_the_players_screens_and_training_plans(client, app):
    """`development_goals` on his dashboard, the coach's player detail and his training plan
    (coach's and player's), absent while he has none; setting one refreshes the cached
    screens at once."""
    coach = register_coach(client, club_name="Argentina", country="Argentina")
    _upload(client, coach, CROATIA, "2022-12-13")
    player = register_player(client, app, coach.club_id, name="Messi Junior", jersey=30)
    plan = client.post(
        "/api/coach/training-plans",
        headers=coach.headers,
        json={"player_id": player.player_id, "plan_name": "Carry forward", "exercises": []},
    )
    assert plan.status_code == 201, plan.get_json()
    plan_id = plan.get_json()["plan_id"]
    screens = {
        "dashboard": ("/api/player/dashboard", player.headers),
        "detail": (f"/api/coach/players/{player.player_id}", coach.headers),
        "coach plan": (f"/api/coach/training-plans/{plan_id}", coach.headers),
        "player plan": (f"/api/player/training/{plan_id}", player.headers),
    }

    def read():
        bodies = {}
        for name, (path, headers) in screens.items():
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (name, response.get_json())
            bodies[name] = response.get_json()
        return bodies

    assert all("development_goals" not in body for body in read().values())
    goal = _goal(
        client,
        coach,
        player.player_id,
        metric="xt",
        target_per90=0.2,
        due_date="2023-06-30",
    )
    assert goal.status_code == 201, goal.get_json()
    for name, body in read().items():
        assert body["development_goals"] == [goal.get_json()], name
    assert goal.get_json()["metric"] == "expected_threat"
    assert goal.get_json()["current_per90"] == 0  # he has not played: under the minimum rule
    put = client.put(
        f"/api/coach/training-plans/{plan_id}", headers=coach.headers, json={"duration": "1 week"}
    )
    assert put.get_json()["development_goals"] == [goal.get_json()]


# ---------------------------------------------------------------- the assistant


def _ask(client, coach, message, session_id=None):
    body = {"message": message, **({"session_id": session_id} if session_id else {})}
    response = client.post("/api/chat/messages", json=body, headers=coach.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_assistant_knows_who_progresses_the_ball(client, app, season):
    coach, _, reports = season
    totals: dict[int, tuple[str, float]] = {}
    for report in reports:
        for stats in report.player_stats:
            if stats.is_our_team:
                name, value = totals.get(stats.player_id, (stats.player_name, 0))
                mine = report.advanced.player(stats.team_id, stats.player_id)
                totals[stats.player_id] = (name, value + mine["progressive_passes"])
    best_name, best = max(totals.values(), key=lambda item: item[1])
    answer = _ask(client, coach, "Who progresses the ball most?")["message"]
    assert "progressive passes" in answer
    assert f"**{int(best)}**" in answer
    assert best_name.split()[-1] in answer
    carries = _ask(client, coach, "who has the most progressive carries?")["message"]
    assert "progressive carries" in carries
    messi = _ask(client, coach, "What is Messi's expected threat?")["message"]
    messi_xt = sum(
        r.advanced.player(s.team_id, MESSI)["expected_threat"]
        for r in reports
        for s in r.player_stats
        if s.player_id == MESSI and s.is_our_team
    )
    assert "xT" in messi and f"{messi_xt:.2f}" in messi


def test_possession_sequences_of_a_match(client, uploaded):
    coach, match_id, report = uploaded
    sequences = report.advanced.sequences
    path = f"/api/coach/matches/{match_id}/possessions"
    body = client.get(path, headers=coach.headers, query_string={"limit": 100}).get_json()
    assert body["total_count"] == len(sequences)
    assert [p["sequence"] for p in body["possessions"]] == list(range(1, 101))
    assert body["possessions"][0] == {
        **sequences[0].to_dict(),
        "is_our_team": sequences[0].team_id == ARGENTINA,
    }
    strings = [s.pass_string for s in sequences if s.team_id == ARGENTINA]
    assert sum(1 for n in strings if n >= 9) == 9  # = the match screen's pass_strings_9_plus
    last = client.get(
        path, headers=coach.headers, query_string={"offset": len(sequences) - 1}
    ).get_json()
    assert [p["sequence"] for p in last["possessions"]] == [len(sequences)]
    other = register_coach(client, club_name="Someone Else")
    assert client.get(path, headers=other.headers).status_code == 404
