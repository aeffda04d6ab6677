"""The coach and player read screens: shapes of api.md, values equal to the stored statistics
(and so to the analysis report), ownership, roles, pagination and a fixed number of queries.

Uploading a file takes a while, so this module builds one "world" (the three World Cup matches
for an Argentina club, the Barcelona match for a second coach, an empty club, linked players)
once and every test only reads it. The conftest's per-test truncation is replaced here by a
module-level one; tests that add rows add them to clubs of their own.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import orjson
import pytest
from sqlalchemy import select

from spinta import analytics
from spinta.analytics import round_half_up
from spinta.extensions import db, limiter
from spinta.models import (
    Match,
    MatchStatistics,
    Player,
    TrainingPlan,
)
from spinta.schemas.screens import reported_minute
from spinta.screen_cache import screen_cache
from spinta.services.screens import age_label
from spinta.services.seasons import club_view, player_views
from tests.conftest import recorded_statements, statsbomb_file, truncate_all
from tests.factories import PASSWORD, Account, register_coach, register_player

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
MESSI = 5503  # StatsBomb player id (plays in all four files)


@cache
def report(name: str, club_name: str) -> analytics.MatchReport:
    return analytics.analyse_match(
        orjson.loads(statsbomb_file(name).read_bytes()), club_name=club_name
    )


# ---------------------------------------------------------------- the shared world


@dataclass
class World:
    argentina: Account
    barcelona: Account
    empty: Account
    messi: Account  # Argentina's Messi, linked (played the three matches)
    barca_messi: Account  # Barcelona's Messi, linked (one match)
    bench: Account  # an Argentina player who never played
    matches: dict[str, str] = field(default_factory=dict)  # file -> match_id
    squad: dict[int, str] = field(default_factory=dict)  # Argentina: StatsBomb id -> player_id
    plan_ids: list[str] = field(default_factory=list)


def _upload(client, coach: Account, name: str) -> str:
    response = client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data={
            "match_date": DATES[name],
            "events_file": (io.BytesIO(statsbomb_file(name).read_bytes()), "events.json"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["match_id"]


def _link(client, app, statsbomb_id: int, club_id: str, birth_date: str) -> Account:
    """Sign up the squad entry an upload created, with its invite code."""
    with app.app_context():
        player = db.session.scalar(
            select(Player).where(
                Player.external_id == statsbomb_id,
                Player.club_id == uuid.UUID(club_id),
            )
        )
        code, name, player_id = player.invite_code, player.player_name, str(player.id)
    email = f"p{uuid.uuid4().hex[:8]}@example.com"
    response = client.post(
        "/api/auth/register/player",
        json={
            "invite_code": code,
            "player_name": name,
            "email": email,
            "password": PASSWORD,
            "birth_date": birth_date,
            "height": 170,
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return Account(body["user"]["user_id"], email, body["token"], club_id, player_id)


@pytest.fixture(scope="module")
def world(app) -> World:
    for name in DATES:
        statsbomb_file(name)  # skip early when the shared files are absent
    with app.app_context():
        truncate_all()
        limiter.reset()
    client = app.test_client()
    argentina = register_coach(client, club_name="Argentina", country="Argentina")
    barcelona = register_coach(client, club_name="Barcelona")
    empty = register_coach(client, club_name="Empty FC")
    matches = {name: _upload(client, argentina, name) for name in (MEXICO, NETHERLANDS, CROATIA)}
    matches[BARCELONA] = _upload(client, barcelona, BARCELONA)
    with app.app_context():
        limiter.reset()
    messi = _link(client, app, MESSI, argentina.club_id, "2006-03-15")
    barca_messi = _link(client, app, MESSI, barcelona.club_id, "1987-06-24")
    bench = register_player(client, app, argentina.club_id, name="Benchy Reserve", jersey=None)
    with app.app_context():
        squad = {
            p.external_id: str(p.id)
            for p in db.session.scalars(
                select(Player).where(Player.club_id == uuid.UUID(argentina.club_id))
            )
            if p.external_id is not None
        }
        plans = [
            TrainingPlan(player_id=uuid.UUID(messi.player_id), plan_name=f"Plan {n}")
            for n in (1, 2)
        ]
        db.session.add_all(plans)
        db.session.commit()
        plan_ids = [str(plan.id) for plan in plans]
        db.session.remove()
    return World(argentina, barcelona, empty, messi, barca_messi, bench, matches, squad, plan_ids)


@pytest.fixture(autouse=True)
def _clean_state(app):
    """Overrides the conftest's per-test truncation: this module reads one shared world."""
    with app.app_context():
        limiter.reset()
    yield
    with app.app_context():
        db.session.remove()


def get(client, path: str, account: Account, **query):
    response = client.get(path, headers=account.headers, query_string=query)
    return response.status_code, response.get_json()


def ok(client, path: str, account: Account, **query) -> dict:
    status, body = get(client, path, account, **query)
    assert status == 200, body
    return body


# ---------------------------------------------------------------- shape checking

INT, NUM, STR, BOOL, DATE, UUID_ = "int", "num", "str", "bool", "date", "uuid"


def opt(kind):
    return ("optional", kind)


def check_shape(value, spec, path="$"):
    """Every key of ``spec`` present with its type; a list spec checks every item."""
    if isinstance(spec, tuple) and spec[0] == "optional":
        if value is not None:
            check_shape(value, spec[1], path)
        return
    if isinstance(spec, dict):
        assert isinstance(value, dict), f"{path}: {value!r} is not an object"
        missing = set(spec) - set(value)
        assert not missing, f"{path}: missing {sorted(missing)}"
        for key, sub in spec.items():
            check_shape(value[key], sub, f"{path}.{key}")
    elif isinstance(spec, list):
        assert isinstance(value, list), f"{path}: {value!r} is not a list"
        for n, item in enumerate(value):
            check_shape(item, spec[0], f"{path}[{n}]")
    elif spec == INT:
        assert isinstance(value, int) and not isinstance(value, bool), f"{path}: {value!r}"
    elif spec == NUM:
        assert isinstance(value, int | float) and not isinstance(value, bool), f"{path}: {value!r}"
    elif spec == STR:
        assert isinstance(value, str), f"{path}: {value!r}"
    elif spec == BOOL:
        assert isinstance(value, bool), f"{path}: {value!r}"
    elif spec == DATE:
        assert isinstance(value, str) and date.fromisoformat(value), f"{path}: {value!r}"
        assert len(value) == 10, f"{path}: {value!r}"
    elif spec == UUID_:
        assert isinstance(value, str) and uuid.UUID(value), f"{path}: {value!r}"
    else:  # pragma: no cover
        raise AssertionError(f"unknown spec {spec!r}")


MATCH_SUMMARY = {
    "match_id": UUID_,
    "opponent_name": STR,
    "match_date": DATE,
    "our_score": INT,
    "opponent_score": INT,
    "result": STR,
}
PAGED_MATCHES = {"total_count": INT, "matches": [MATCH_SUMMARY]}
CLUB_HEADER = {"club_id": UUID_, "club_name": STR, "logo_url": opt(STR)}
TEAMS = {"our_club": CLUB_HEADER, "opponent": {"opponent_name": STR, "logo_url": opt(STR)}}
ATTRIBUTES = {
    name: INT
    for name in (
        "attacking_rating",
        "technique_rating",
        "tactical_rating",
        "defending_rating",
        "creativity_rating",
    )
}
SEASON_STATISTICS = {
    "general": {"matches_played": INT, "minutes_played": INT},
    "attacking": {
        "goals": INT,
        "assists": INT,
        "expected_goals": NUM,
        "shots_per_game": NUM,
        "shots_on_target_per_game": NUM,
    },
    "passing": {"total_passes": INT, "passes_completed": INT},
    "dribbling": {"total_dribbles": INT, "successful_dribbles": INT},
    "defending": {
        "tackles": INT,
        "tackle_success_rate": NUM,
        "interceptions": INT,
        "interception_success_rate": NUM,
    },
}
PLAYER_CARD = {
    "player_id": UUID_,
    "player_name": STR,
    "jersey_number": opt(INT),
    "position": opt(STR),
    "height": opt(INT),
    "age": opt(STR),
    "profile_image_url": opt(STR),
}
DASHBOARD = {
    "coach": {"full_name": STR},
    "club": CLUB_HEADER,
    "season_record": {"wins": INT, "draws": INT, "losses": INT},
    "team_form": STR,
    "matches": PAGED_MATCHES,
    "statistics": {
        "season_summary": {
            "matches_played": INT,
            "goals_scored": INT,
            "goals_conceded": INT,
            "total_assists": INT,
        },
        "attacking": {
            name: NUM
            for name in (
                "avg_goals_per_match",
                "avg_xg_per_match",
                "avg_total_shots",
                "avg_shots_on_target",
                "avg_dribbles",
                "avg_successful_dribbles",
            )
        },
        "passes": {
            name: NUM
            for name in (
                "avg_possession_percentage",
                "avg_passes",
                "pass_completion_percentage",
                "avg_final_third_passes",
                "avg_crosses",
            )
        },
        "defending": {
            "total_clean_sheets": INT,
            **{
                name: NUM
                for name in (
                    "avg_goals_conceded_per_match",
                    "avg_tackles",
                    "tackle_success_percentage",
                    "avg_interceptions",
                    "interception_success_percentage",
                    "avg_ball_recoveries",
                    "avg_saves_per_match",
                )
            },
        },
    },
}
PAIR = {"our_team": NUM, "opponent": NUM}
LINEUP_ENTRY = {
    "player_name": STR,
    "jersey_number": opt(INT),
    "position": opt(STR),
    "is_starter": BOOL,
    "minutes_played": INT,
}
MATCH_DETAIL = {
    "match": {
        "match_id": UUID_,
        "match_date": DATE,
        "our_score": INT,
        "opponent_score": INT,
        "result": STR,
        "penalty_shootout": opt({"our": INT, "opponent": INT}),
    },
    "teams": TEAMS,
    "summary": {
        "goal_scorers": [
            {
                "goal_id": UUID_,
                "scorer_name": opt(STR),
                "assist_name": opt(STR),
                "minute": INT,
                "display_minute": STR,
                "second": INT,
                "is_our_goal": BOOL,
                "own_goal": BOOL,
                "penalty": BOOL,
            }
        ]
    },
    "statistics": {
        "match_overview": dict.fromkeys(
            (
                "ball_possession",
                "expected_goals",
                "total_shots",
                "goalkeeper_saves",
                "total_dribbles",
                "total_passes",
            ),
            PAIR,
        ),
        "attacking": dict.fromkeys(
            (
                "total_shots",
                "shots_on_target",
                "shots_off_target",
                "total_dribbles",
                "successful_dribbles",
            ),
            PAIR,
        ),
        "passing": dict.fromkeys(
            ("total_passes", "passes_completed", "passes_in_final_third", "long_passes", "crosses"),
            PAIR,
        ),
        "defending": dict.fromkeys(
            (
                "tackle_success_percentage",
                "total_tackles",
                "interceptions",
                "ball_recoveries",
                "goalkeeper_saves",
            ),
            PAIR,
        ),
    },
    "lineup": {
        "our_team": [{"player_id": UUID_, **LINEUP_ENTRY}],
        "opponent_team": [{"opponent_player_id": UUID_, **LINEUP_ENTRY}],
    },
}
SQUAD = {
    "total_count": INT,
    "summary": {"total_players": INT, "joined": INT, "pending": INT},
    "players": [
        {
            "player_id": UUID_,
            "player_name": STR,
            "jersey_number": opt(INT),
            "position": opt(STR),
            "profile_image_url": opt(STR),
            "is_linked": BOOL,
        }
    ],
}
PLAYER_DETAIL = {
    "player": {**PLAYER_CARD, "is_linked": BOOL},
    "invite_code": opt(STR),
    "attributes": ATTRIBUTES,
    "season_statistics": SEASON_STATISTICS,
    "matches": PAGED_MATCHES,
    "training_plans": [{"plan_id": UUID_, "plan_name": STR, "created_at": DATE, "status": STR}],
}
PLAYER_MATCH = {
    "match": {
        "match_id": UUID_,
        "match_date": DATE,
        "our_score": INT,
        "opponent_score": INT,
        "result": STR,
    },
    "teams": TEAMS,
    "player_summary": {"player_name": STR, "goals": INT, "assists": INT, "minutes_played": INT},
    "statistics": {
        "attacking": {
            "goals": INT,
            "assists": INT,
            "xg": NUM,
            "total_shots": INT,
            "shots_on_target": INT,
            "total_dribbles": INT,
            "successful_dribbles": INT,
        },
        "passing": {
            "total_passes": INT,
            "passes_completed": INT,
            "short_passes": INT,
            "long_passes": INT,
            "final_third": INT,
            "crosses": INT,
        },
        "defending": {
            "tackles": INT,
            "tackle_success_rate": NUM,
            "interceptions": INT,
            "interception_success_rate": NUM,
        },
    },
}
COACH_PROFILE = {
    "coach": {"full_name": STR, "email": STR, "gender": opt(STR), "birth_date": opt(DATE)},
    "club": {
        "club_name": STR,
        "logo_url": opt(STR),
        "country": opt(STR),
        "age_group": opt(STR),
        "stadium": opt(STR),
    },
    "club_stats": {"total_players": INT, "total_matches": INT, "win_rate_percentage": NUM},
}
PLAYER_DASHBOARD = {
    "player": PLAYER_CARD,
    "attributes": ATTRIBUTES,
    "season_statistics": SEASON_STATISTICS,
}
PLAYER_PROFILE = {
    "player": {
        "player_name": STR,
        "email": STR,
        "jersey_number": opt(INT),
        "position": opt(STR),
        "birth_date": opt(DATE),
        "height": opt(INT),
        "profile_image_url": opt(STR),
    },
    "club": {"club_name": STR, "logo_url": opt(STR)},
    "season_summary": {"matches_played": INT, "goals": INT, "assists": INT},
}


def all_numbers_zero(value) -> bool:
    """Every number in a (nested) body is zero."""
    if isinstance(value, dict):
        return all(all_numbers_zero(v) for v in value.values())
    if isinstance(value, list):
        return all(all_numbers_zero(v) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value == 0
    return True


# ---------------------------------------------------------------- coach dashboard


def test_dashboard_values_equal_the_stored_season(client, app, world):
    body = ok(client, "/api/coach/dashboard", world.argentina)
    check_shape(body, DASHBOARD)
    assert body["coach"]["full_name"].startswith("Coach")
    assert body["club"]["club_id"] == world.argentina.club_id
    assert body["club"]["club_name"] == "Argentina"
    assert body["season_record"] == {"wins": 2, "draws": 1, "losses": 0}
    assert body["team_form"] == "WDW"  # most recent first: Croatia W, Netherlands D, Mexico W
    matches = body["matches"]
    assert matches["total_count"] == 3
    assert [m["opponent_name"] for m in matches["matches"]] == ["Croatia", "Netherlands", "Mexico"]
    stats = body["statistics"]
    summary = stats["season_summary"]
    assert summary["matches_played"] == 3
    assert summary["goals_scored"] == sum(m["our_score"] for m in matches["matches"]) == 7
    assert summary["goals_conceded"] == sum(m["opponent_score"] for m in matches["matches"]) == 2
    reports = [report(name, "Argentina") for name in (MEXICO, NETHERLANDS, CROATIA)]
    assists = sum(p.assists for r in reports for p in r.player_stats if p.is_our_team)
    assert summary["total_assists"] == assists

    with app.app_context():
        season = club_view(uuid.UUID(world.argentina.club_id))
        expected = {
            "attacking": {
                "avg_goals_per_match": round_half_up(7 / 3, 2),
                "avg_xg_per_match": round_half_up(season.avg_expected_goals, 2),
                "avg_total_shots": round_half_up(season.avg_total_shots, 2),
                "avg_shots_on_target": round_half_up(season.avg_shots_on_target, 2),
                "avg_dribbles": round_half_up(season.avg_total_dribbles, 2),
                "avg_successful_dribbles": round_half_up(season.avg_successful_dribbles, 2),
            },
            "passes": {
                "avg_possession_percentage": round_half_up(season.avg_possession_percentage, 1),
                "avg_passes": round_half_up(season.avg_total_passes, 2),
                "pass_completion_percentage": round_half_up(season.pass_completion_rate, 1),
                "avg_final_third_passes": round_half_up(season.avg_final_third_passes, 2),
                "avg_crosses": round_half_up(season.avg_crosses, 2),
            },
            "defending": {
                "total_clean_sheets": 2,
                "avg_goals_conceded_per_match": round_half_up(2 / 3, 2),
                "avg_tackles": round_half_up(season.avg_total_tackles, 2),
                "tackle_success_percentage": round_half_up(season.tackle_success_rate, 1),
                "avg_interceptions": round_half_up(season.avg_interceptions, 2),
                "interception_success_percentage": round_half_up(
                    season.interception_success_rate, 1
                ),
                "avg_ball_recoveries": round_half_up(season.avg_ball_recoveries, 2),
                "avg_saves_per_match": round_half_up(season.avg_goalkeeper_saves, 2),
            },
        }
    for section, values in expected.items():
        assert stats[section] == values, section
    # ... and the stored season equals the reports.
    xg = sum(r.our_team_stats.expected_goals for r in reports) / 3
    assert stats["attacking"]["avg_xg_per_match"] == round_half_up(xg, 2)
    possession = sum(r.our_team_stats.possession_percentage for r in reports) / 3
    assert stats["passes"]["avg_possession_percentage"] == round_half_up(possession, 1)


def test_dashboard_pages_its_matches(client, world):
    body = ok(client, "/api/coach/dashboard", world.argentina, matches_limit=1, matches_offset=1)
    assert body["matches"]["total_count"] == 3
    assert [m["opponent_name"] for m in body["matches"]["matches"]] == ["Netherlands"]
    body = ok(client, "/api/coach/dashboard", world.argentina, matches_offset=5)
    assert body["matches"] == {"total_count": 3, "matches": []}


@pytest.mark.parametrize(
    "query", [{"matches_limit": 0}, {"matches_limit": 101}, {"matches_offset": -1}]
)
def test_dashboard_pagination_bounds(client, world, query):
    status, body = get(client, "/api/coach/dashboard", world.argentina, **query)
    assert status == 422
    assert isinstance(body["detail"], str) and list(body["errors"]) == list(query)


def test_empty_club_screens_are_zeros(client, world):
    body = ok(client, "/api/coach/dashboard", world.empty)
    check_shape(body, DASHBOARD)
    assert body["team_form"] == ""
    assert body["matches"] == {"total_count": 0, "matches": []}
    assert all_numbers_zero(body)
    assert body["club"]["club_name"] == "Empty FC"

    squad = ok(client, "/api/coach/players", world.empty)
    assert squad == {
        "total_count": 0,
        "summary": {"total_players": 0, "joined": 0, "pending": 0},
        "players": [],
    }

    profile = ok(client, "/api/coach/profile", world.empty)
    check_shape(profile, COACH_PROFILE)
    assert profile["club_stats"] == {
        "total_players": 0,
        "total_matches": 0,
        "win_rate_percentage": 0,
    }


# ---------------------------------------------------------------- match detail


def test_match_detail_netherlands_with_penalties_and_shootout(client, app, world):
    match_id = world.matches[NETHERLANDS]
    body = ok(client, f"/api/coach/matches/{match_id}", world.argentina)
    check_shape(body, MATCH_DETAIL)
    rep = report(NETHERLANDS, "Argentina")
    assert body["match"] == {
        "match_id": match_id,
        "match_date": "2022-12-09",
        "our_score": 2,
        "opponent_score": 2,
        "result": "D",
        "penalty_shootout": {"our": 4, "opponent": 3},
    }
    assert body["teams"]["our_club"]["club_name"] == "Argentina"
    assert body["teams"]["opponent"]["opponent_name"] == "Netherlands"

    goals = body["summary"]["goal_scorers"]
    assert [
        tuple(
            g[key]
            for key in (
                "scorer_name",
                "assist_name",
                "minute",
                "second",
                "is_our_goal",
                "own_goal",
                "penalty",
            )
        )
        for g in goals
    ] == [
        (g.scorer_name, g.assist_name, g.minute + 1, g.second, g.is_our_goal, g.own_goal, g.penalty)
        for g in rep.goals
    ]
    # As football reports them: 35', 73', 83' and Weghorst's 90+11' (clock 100:32).
    assert [g["display_minute"] for g in goals] == ["35'", "73'", "83'", "90+11'"]
    assert len(goals) == 4  # shootout kicks are not goals of the timeline
    messi_penalty = [g for g in goals if g["penalty"]]
    assert len(messi_penalty) == 1 and "Messi" in messi_penalty[0]["scorer_name"]
    assert messi_penalty[0]["is_our_goal"] is True
    assert [g["is_our_goal"] for g in goals] == [True, True, False, False]

    stats = body["statistics"]
    ours, theirs = rep.our_team_stats, rep.opponent_stats
    possession = stats["match_overview"]["ball_possession"]
    assert possession == {
        "our_team": round_half_up(ours.possession_percentage, 1),
        "opponent": round_half_up(theirs.possession_percentage, 1),
    }
    assert stats["match_overview"]["expected_goals"] == {
        "our_team": round_half_up(ours.expected_goals, 2),
        "opponent": round_half_up(theirs.expected_goals, 2),
    }
    for section, leaf, column in (
        ("match_overview", "total_shots", "total_shots"),
        ("match_overview", "goalkeeper_saves", "goalkeeper_saves"),
        ("attacking", "shots_on_target", "shots_on_target"),
        ("attacking", "successful_dribbles", "successful_dribbles"),
        ("passing", "passes_in_final_third", "final_third_passes"),
        ("passing", "long_passes", "long_passes"),
        ("defending", "total_tackles", "total_tackles"),
        ("defending", "ball_recoveries", "ball_recoveries"),
    ):
        assert stats[section][leaf] == {
            "our_team": getattr(ours, column),
            "opponent": getattr(theirs, column),
        }, (section, leaf)
    assert stats["defending"]["tackle_success_percentage"]["our_team"] == round_half_up(
        ours.tackle_success_rate, 1
    )
    with app.app_context():
        stored = db.session.scalar(
            select(MatchStatistics.possession_percentage).where(
                MatchStatistics.match_id == uuid.UUID(match_id),
                MatchStatistics.is_our_team.is_(True),
            )
        )
    assert possession["our_team"] == round_half_up(stored, 1)


def test_match_detail_lineups_with_substitutes(client, world):
    body = ok(client, f"/api/coach/matches/{world.matches[NETHERLANDS]}", world.argentina)
    rep = report(NETHERLANDS, "Argentina")
    for key, lineup in (("our_team", rep.our_lineup), ("opponent_team", rep.opponent_lineup)):
        served = body["lineup"][key]
        assert len(served) == len(lineup.players)
        expected = {
            p.player_name: (p.is_starter, p.jersey_number, round_half_up(p.minutes_played))
            for p in lineup.players
        }
        assert {
            p["player_name"]: (p["is_starter"], p["jersey_number"], p["minutes_played"])
            for p in served
        } == expected
        # Starters first, then by jersey number (unknown numbers last).
        order = [
            (not p["is_starter"], p["jersey_number"] is None, p["jersey_number"] or 0)
            for p in served
        ]
        assert order == sorted(order)
        assert sum(p["is_starter"] for p in served) == 11
        subs = [p for p in served if not p["is_starter"]]
        assert subs and all(p["minutes_played"] >= 0 for p in subs)
    ours = body["lineup"]["our_team"]
    assert all(p["player_id"] in world.squad.values() for p in ours)
    messi = next(p for p in ours if p["player_id"] == world.squad[MESSI])
    assert messi["is_starter"] and messi["minutes_played"] > 90  # extra time


def test_match_detail_without_shootout(client, world):
    body = ok(client, f"/api/coach/matches/{world.matches[CROATIA]}", world.argentina)
    assert body["match"]["penalty_shootout"] is None
    assert (body["match"]["our_score"], body["match"]["opponent_score"]) == (3, 0)
    assert [g["is_our_goal"] for g in body["summary"]["goal_scorers"]] == [True] * 3


# Every goal of the shared files as match reports give it (statistics.md, "Goal minutes as
# football reports them"): (scorer's last name, display_minute), clock in the comment.
REPORTED_GOALS = {
    MEXICO: [("Cuccittini", "64'"), ("Fernandez", "87'")],  # 63:32, 86:39
    NETHERLANDS: [  # 34:04, 72:39, 82:17, 100:32 of the second half
        ("Lucero", "35'"),
        ("Cuccittini", "73'"),
        ("Weghorst", "83'"),
        ("Weghorst", "90+11'"),
    ],
    CROATIA: [("Cuccittini", "34'"), ("Álvarez", "39'"), ("Álvarez", "69'")],
}


@pytest.mark.parametrize("name", sorted(REPORTED_GOALS))
def test_goal_minutes_as_football_reports_them(client, world, name):
    body = ok(client, f"/api/coach/matches/{world.matches[name]}", world.argentina)
    goals = body["summary"]["goal_scorers"]
    assert [(g["scorer_name"].split()[-1], g["display_minute"]) for g in goals] == (
        REPORTED_GOALS[name]
    )
    # minute is the reported minute; the analysis (and the stored row) keep the clock.
    clock = [g.minute for g in report(name, "Argentina").goals]
    assert [g["minute"] for g in goals] == [m + 1 for m in clock]


def test_goal_minutes_of_a_match_with_added_time(client, world):
    body = ok(client, f"/api/coach/matches/{world.matches[BARCELONA]}", world.barcelona)
    rep = report(BARCELONA, "Barcelona")
    shown = [(g["minute"], g["display_minute"]) for g in body["summary"]["goal_scorers"]]
    assert shown == [reported_minute(g.period, g.minute) for g in rep.goals]
    assert shown and all(label.endswith("'") for _minute, label in shown)


# ---------------------------------------------------------------- squad and players


def test_squad_list_by_jersey_with_join_counts(client, world):
    body = ok(client, "/api/coach/players", world.argentina, limit=100)
    check_shape(body, SQUAD)
    players = body["players"]
    assert body["total_count"] == len(players)
    assert body["summary"] == {
        "total_players": len(players),
        "joined": 2,  # Messi and the reserve signed up
        "pending": len(players) - 2,
    }
    assert len(players) == len(world.squad) + 1
    numbers = [p["jersey_number"] for p in players]
    known = [n for n in numbers if n is not None]
    assert known == sorted(known) and numbers[-1] is None  # the reserve has no number
    linked = {p["player_id"] for p in players if p["is_linked"]}
    assert linked == {world.messi.player_id, world.bench.player_id}


def test_squad_list_pages(client, world):
    whole = ok(client, "/api/coach/players", world.argentina, limit=100)
    total = whole["total_count"]
    assert total > 20
    first = ok(client, "/api/coach/players", world.argentina)  # default limit 20
    assert len(first["players"]) == 20 and first["total_count"] == total
    pages = [
        ok(client, "/api/coach/players", world.argentina, limit=5, offset=offset)
        for offset in range(0, total, 5)
    ]
    assert all(len(page["players"]) == 5 for page in pages[:-1])
    assert [p for page in pages for p in page["players"]] == whole["players"]
    # The counts describe the whole squad on every page, past the end included.
    past = ok(client, "/api/coach/players", world.argentina, limit=5, offset=total)
    assert past["players"] == [] and past["summary"] == whole["summary"]
    assert past["total_count"] == total
    for query in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "x"}):
        status, body = get(client, "/api/coach/players", world.argentina, **query)
        assert status == 422 and isinstance(body["detail"], str), query


def test_player_detail_messi(client, app, world):
    body = ok(client, f"/api/coach/players/{world.messi.player_id}", world.argentina)
    check_shape(body, PLAYER_DETAIL)
    card = body["player"]
    assert card["player_id"] == world.messi.player_id and card["jersey_number"] == 10
    assert card["is_linked"] is True and card["height"] == 170
    assert card["age"] == age_label(date(2006, 3, 15)) and card["age"].endswith(" years")
    assert body["invite_code"] is None  # linked

    reports = [report(name, "Argentina") for name in (MEXICO, NETHERLANDS, CROATIA)]
    rows = [p for r in reports for p in r.player_stats if p.player_id == MESSI]
    season = body["season_statistics"]
    assert season["general"] == {
        "matches_played": 3,
        "minutes_played": round_half_up(sum(p.minutes_played for p in rows)),
    }
    assert season["attacking"]["goals"] == sum(p.goals for p in rows) == 3
    assert season["attacking"]["assists"] == sum(p.assists for p in rows)
    assert season["attacking"]["expected_goals"] == round_half_up(
        sum(p.expected_goals for p in rows), 2
    )
    shots = sum(p.total_shots for p in rows)
    assert season["attacking"]["shots_per_game"] == round_half_up(shots / 3, 2)
    assert season["passing"]["total_passes"] == sum(p.total_passes for p in rows)
    assert season["dribbling"]["successful_dribbles"] == sum(p.successful_dribbles for p in rows)
    with app.app_context():
        views = player_views(uuid.UUID(world.argentina.club_id))
        stored = views[uuid.UUID(world.messi.player_id)]
        ratings = {
            name: getattr(stored, name)
            for name in (
                "attacking_rating",
                "technique_rating",
                "tactical_rating",
                "defending_rating",
                "creativity_rating",
            )
        }
        rate = stored.tackle_success_rate
    assert body["attributes"] == ratings and all(isinstance(v, int) for v in ratings.values())
    assert season["defending"]["tackle_success_rate"] == (
        round_half_up(rate, 1) if rate is not None else 0
    )

    assert body["matches"]["total_count"] == 3
    assert [m["match_id"] for m in body["matches"]["matches"]] == [
        world.matches[CROATIA],
        world.matches[NETHERLANDS],
        world.matches[MEXICO],
    ]
    plans = body["training_plans"]
    assert {p["plan_id"] for p in plans} == set(world.plan_ids)
    assert all(p["status"] == "pending" and len(p["created_at"]) == 10 for p in plans)


def test_player_detail_pages_his_matches(client, world):
    path = f"/api/coach/players/{world.messi.player_id}"
    body = ok(client, path, world.argentina, limit=2, offset=1)
    assert body["matches"]["total_count"] == 3
    assert [m["match_id"] for m in body["matches"]["matches"]] == [
        world.matches[NETHERLANDS],
        world.matches[MEXICO],
    ]
    for query in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        status, error = get(client, path, world.argentina, **query)
        assert status == 422 and list(error["errors"]) == list(query), query


def test_unrated_unlinked_and_benched_players(client, world):
    # A squad entry from an upload, not signed up yet: its invite code is shown.
    unlinked_id = next(pid for sid, pid in world.squad.items() if sid != MESSI)
    body = ok(client, f"/api/coach/players/{unlinked_id}", world.argentina)
    assert body["player"]["is_linked"] is False and body["invite_code"]
    assert body["player"]["age"] is None

    # A player who never played: zeros everywhere, ratings 0, no matches.
    body = ok(client, f"/api/coach/players/{world.bench.player_id}", world.argentina)
    check_shape(body, PLAYER_DETAIL)
    assert body["attributes"] == dict.fromkeys(
        (
            "attacking_rating",
            "technique_rating",
            "tactical_rating",
            "defending_rating",
            "creativity_rating",
        ),
        0,
    )
    assert all_numbers_zero(body["season_statistics"])
    assert body["matches"] == {"total_count": 0, "matches": []}
    assert body["training_plans"] == []
    assert body["player"]["jersey_number"] is None


def test_player_match_detail_for_coach_and_player(client, world):
    match_id = world.matches[NETHERLANDS]
    coach_view = ok(
        client, f"/api/coach/players/{world.messi.player_id}/matches/{match_id}", world.argentina
    )
    own_view = ok(client, f"/api/player/matches/{match_id}", world.messi)
    assert coach_view == own_view
    check_shape(coach_view, PLAYER_MATCH)
    rep = report(NETHERLANDS, "Argentina")
    row = next(p for p in rep.player_stats if p.player_id == MESSI)
    assert coach_view["match"] == {
        "match_id": match_id,
        "match_date": "2022-12-09",
        "our_score": 2,
        "opponent_score": 2,
        "result": "D",
    }
    assert coach_view["teams"]["opponent"]["opponent_name"] == "Netherlands"
    assert coach_view["player_summary"] == {
        "player_name": row.player_name,
        "goals": row.goals,
        "assists": row.assists,
        "minutes_played": round_half_up(row.minutes_played),
    }
    stats = coach_view["statistics"]
    assert stats["attacking"] == {
        "goals": row.goals,
        "assists": row.assists,
        "xg": round_half_up(row.expected_goals, 2),
        "total_shots": row.total_shots,
        "shots_on_target": row.shots_on_target,
        "total_dribbles": row.total_dribbles,
        "successful_dribbles": row.successful_dribbles,
    }
    assert stats["passing"] == {
        "total_passes": row.total_passes,
        "passes_completed": row.passes_completed,
        "short_passes": row.short_passes,
        "long_passes": row.long_passes,
        "final_third": row.final_third_passes,
        "crosses": row.crosses,
    }
    assert stats["defending"]["tackles"] == row.total_tackles
    assert stats["defending"]["interceptions"] == row.interceptions


def test_coach_profile_values(client, world):
    body = ok(client, "/api/coach/profile", world.argentina)
    check_shape(body, COACH_PROFILE)
    assert body["coach"]["email"] == world.argentina.email
    assert body["club"]["club_name"] == "Argentina" and body["club"]["country"] == "Argentina"
    squad = ok(client, "/api/coach/players", world.argentina)
    assert body["club_stats"] == {
        "total_players": squad["summary"]["total_players"],
        "total_matches": 3,
        "win_rate_percentage": round_half_up(100 * 2 / 3, 1),
    }
    assert (
        ok(client, "/api/coach/profile", world.barcelona)["club_stats"]["win_rate_percentage"]
        == 100
    )


# ---------------------------------------------------------------- player screens


def test_player_dashboard_equals_the_coach_view(client, world):
    body = ok(client, "/api/player/dashboard", world.messi)
    check_shape(body, PLAYER_DASHBOARD)
    coach_view = ok(client, f"/api/coach/players/{world.messi.player_id}", world.argentina)
    card = {k: v for k, v in coach_view["player"].items() if k != "is_linked"}
    assert body["player"] == card
    assert body["attributes"] == coach_view["attributes"]
    assert body["season_statistics"] == coach_view["season_statistics"]
    assert body["season_statistics"]["attacking"]["goals"] == 3


def test_player_matches_and_profile(client, world):
    body = ok(client, "/api/player/matches", world.messi)
    check_shape(body, PAGED_MATCHES)
    assert body["total_count"] == 3
    assert [m["opponent_name"] for m in body["matches"]] == ["Croatia", "Netherlands", "Mexico"]
    page = ok(client, "/api/player/matches", world.messi, limit=1, offset=2)
    assert [m["opponent_name"] for m in page["matches"]] == ["Mexico"]
    for query in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        status, _ = get(client, "/api/player/matches", world.messi, **query)
        assert status == 422, query

    barca = ok(client, "/api/player/matches", world.barca_messi)
    assert [m["match_id"] for m in barca["matches"]] == [world.matches[BARCELONA]]

    profile = ok(client, "/api/player/profile", world.messi)
    check_shape(profile, PLAYER_PROFILE)
    assert profile["player"]["email"] == world.messi.email
    assert profile["player"]["birth_date"] == "2006-03-15"
    assert profile["player"]["height"] == 170 and profile["player"]["jersey_number"] == 10
    assert profile["club"] == {"club_name": "Argentina", "logo_url": None}
    reports = [report(name, "Argentina") for name in (MEXICO, NETHERLANDS, CROATIA)]
    rows = [p for r in reports for p in r.player_stats if p.player_id == MESSI]
    assert profile["season_summary"] == {
        "matches_played": 3,
        "goals": sum(p.goals for p in rows),
        "assists": sum(p.assists for p in rows),
    }


def test_player_without_matches_gets_zeros(client, world):
    body = ok(client, "/api/player/dashboard", world.bench)
    check_shape(body, PLAYER_DASHBOARD)
    assert all_numbers_zero(body["attributes"]) and all_numbers_zero(body["season_statistics"])
    assert body["player"]["age"] is not None  # signed up with a birth date
    assert ok(client, "/api/player/matches", world.bench) == {"total_count": 0, "matches": []}
    profile = ok(client, "/api/player/profile", world.bench)
    check_shape(profile, PLAYER_PROFILE)
    assert profile["season_summary"] == {"matches_played": 0, "goals": 0, "assists": 0}
    status, body = get(client, f"/api/player/matches/{world.matches[MEXICO]}", world.bench)
    assert status == 404 and isinstance(body["detail"], str)


# ---------------------------------------------------------------- ownership and roles


def test_other_clubs_data_is_not_found(client, world):
    barca_match = world.matches[BARCELONA]
    arg_match = world.matches[MEXICO]
    paths = [
        f"/api/coach/matches/{barca_match}",
        f"/api/coach/players/{world.barca_messi.player_id}",
        f"/api/coach/players/{world.barca_messi.player_id}/matches/{barca_match}",
        # his own player, another club's match
        f"/api/coach/players/{world.messi.player_id}/matches/{barca_match}",
        f"/api/coach/players/{world.barca_messi.player_id}/matches/{arg_match}",
        f"/api/coach/players/{world.bench.player_id}/matches/{arg_match}",  # did not play
        f"/api/coach/matches/{uuid.uuid4()}",
        f"/api/coach/players/{uuid.uuid4()}",
        "/api/coach/matches/not-a-uuid",
    ]
    for path in paths:
        status, body = get(client, path, world.argentina)
        assert status == 404, path
        assert isinstance(body["detail"], str) and body["message"] == body["detail"]
    # The empty club sees nothing of Argentina either.
    for path in (
        f"/api/coach/matches/{arg_match}",
        f"/api/coach/players/{world.messi.player_id}",
        f"/api/coach/players/{world.messi.player_id}/matches/{arg_match}",
    ):
        assert get(client, path, world.empty)[0] == 404, path
    # A player sees only matches he played, of his own club.
    assert get(client, f"/api/player/matches/{barca_match}", world.messi)[0] == 404
    assert get(client, f"/api/player/matches/{arg_match}", world.barca_messi)[0] == 404
    assert get(client, f"/api/player/matches/{uuid.uuid4()}", world.messi)[0] == 404


COACH_PATHS = (
    "/api/coach/dashboard",
    "/api/coach/matches/{match}",
    "/api/coach/players",
    "/api/coach/players/{player}",
    "/api/coach/players/{player}/matches/{match}",
    "/api/coach/profile",
)
PLAYER_PATHS = (
    "/api/player/dashboard",
    "/api/player/matches",
    "/api/player/matches/{match}",
    "/api/player/profile",
)


def test_roles_and_authentication(client, world):
    ids = {"match": world.matches[MEXICO], "player": world.messi.player_id}
    for template in COACH_PATHS:
        path = template.format(**ids)
        assert get(client, path, world.messi)[0] == 403, path
        assert client.get(path).status_code == 401, path
    for template in PLAYER_PATHS:
        path = template.format(**ids)
        status, body = get(client, path, world.argentina)
        assert status == 403 and isinstance(body["detail"], str), path
        response = client.get(path, headers={"Authorization": "Bearer nonsense"})
        assert response.status_code == 401, path


# ---------------------------------------------------------------- a fixed number of queries


def query_count(client, app, path: str, account: Account) -> int:
    """Statements of a cold read (the screen cache emptied first), the access-log entry that a
    read of personal data writes aside."""
    screen_cache(app).clear()
    with recorded_statements(app) as statements:
        status, body = get(client, path, account)
    assert status == 200, (path, body)
    return len([s for s in statements if not s.startswith("INSERT INTO access_log")])


def warm_query_count(client, app, path: str, account: Account) -> int:
    """Statements of a read repeated with nothing changed in between (served from the cache)."""
    first = get(client, path, account)
    with recorded_statements(app) as statements:
        again = get(client, path, account)
    assert again == first and again[0] == 200, path
    return len([s for s in statements if not s.startswith("INSERT INTO access_log")])


def test_query_count_does_not_grow_with_matches_or_players(client, app, world):
    """Argentina (3 matches, ~25 players) and Barcelona (1 match) read with the same number of
    statements, and a small one: every screen reads precomputed rows, never one per item."""
    with app.app_context():
        barca_squad = {
            p.external_id: str(p.id)
            for p in db.session.scalars(
                select(Player).where(Player.club_id == uuid.UUID(world.barcelona.club_id))
            )
        }
        counts = dict(
            db.session.execute(
                select(Match.club_id, db.func.count(Match.id)).group_by(Match.club_id)
            ).all()
        )
    assert counts[uuid.UUID(world.argentina.club_id)] == 3
    assert counts[uuid.UUID(world.barcelona.club_id)] == 1
    big = {
        "coach": world.argentina,
        "player": world.messi,
        "ids": {"match": world.matches[NETHERLANDS], "player": world.squad[MESSI]},
    }
    small = {
        "coach": world.barcelona,
        "player": world.barca_messi,
        "ids": {"match": world.matches[BARCELONA], "player": barca_squad[MESSI]},
    }
    for template in COACH_PATHS:
        many = query_count(client, app, template.format(**big["ids"]), big["coach"])
        one = query_count(client, app, template.format(**small["ids"]), small["coach"])
        assert many == one, (template, many, one)
        # The screen cache's fast-path check (token version and club data version, one Core
        # query), the guard's user, coach and club on the miss, then at most three for the screen.
        assert many <= 5, (template, many)
    for template in PLAYER_PATHS:
        many = query_count(client, app, template.format(**big["ids"]), big["player"])
        one = query_count(client, app, template.format(**small["ids"]), small["player"])
        assert many == one, (template, many, one)
        # The fast-path check, the guard's user, player and club, at most two for the screen.
        assert many <= 4, (template, many)
    # Repeated reads are answered from the screen cache after the one fast-path statement (no
    # guard query: the cached body is served before the role guard runs).
    for template in COACH_PATHS:
        assert warm_query_count(client, app, template.format(**big["ids"]), big["coach"]) == 1
    for template in PLAYER_PATHS:
        assert warm_query_count(client, app, template.format(**big["ids"]), big["player"]) == 1
    # An empty club needs no more statements than a full one.
    empty = query_count(client, app, "/api/coach/dashboard", world.empty)
    assert empty == query_count(client, app, "/api/coach/dashboard", world.argentina)


def test_age_label():
    today = date(2026, 6, 1)
    assert age_label(None, today) is None
    assert age_label(date(2010, 6, 1), today) == "16 years"
    assert age_label(date(2010, 6, 2), today) == "15 years"
    assert age_label(date(2025, 1, 1), today) == "1 year"
