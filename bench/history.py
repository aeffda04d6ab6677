"""Benchmark: a screen of one team and season costs the same with 1 or 50 team-seasons stored.

Against PostgreSQL (SPINTA_BENCH_DATABASE_URL, default
postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench_history, dropped and re-created).
Two clubs are seeded the way bench/season_totals.py does it (synthetic stored rows, bulk
inserted; an upload's analysis is measured by bench/upload.py): a "history" club with 10 teams
x 5 seasons x 30 matches (1,500 matches) and a "fresh" club with 1 team x 1 season x 30
matches. Each match has both teams' rows, 14 lineup and statistics rows per side, its goals
and its advanced metrics (team and player rows, as an upload stores them); every team has an
18-player squad per season; the season rows are then built by
``recompute_club`` and the database is vacuumed and analysed (as autovacuum keeps it). For
the latest season of each club's first team it times, through the app
(test client, screen cache off, so every request runs its queries), BENCH_REPEATS (21) rounds
interleaving the two clubs (each first in every other round): the dashboard, a match detail,
a player detail, the playing time, and the upload's season update (``apply_match`` of one
more match of that team and season, in a savepoint rolled back). It prints each one's median
in ms for both clubs, the ratio (history / fresh; the goal is within 10%) and the number of SQL
statements each sends.

    SPINTA_BENCH_DATABASE_URL=postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench_history \
        .venv/bin/python bench/history.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, select  # noqa: E402

from bench._harness import fresh_database  # noqa: E402
from config import TestingConfig  # noqa: E402
from spinta.analytics.advanced import ADVANCED_PLAYER_FIELDS, ADVANCED_TEAM_FIELDS  # noqa: E402
from spinta.analytics.catalogue import ADVANCED, Kind  # noqa: E402
from spinta.app import create_app  # noqa: E402
from spinta.extensions import db  # noqa: E402
from spinta.models import (  # noqa: E402
    AdvancedMetric,
    Club,
    Goal,
    Match,
    MatchLineup,
    MatchStatistics,
    OpponentClub,
    OpponentPlayer,
    Player,
    PlayerMatchStatistics,
    Season,
    TeamPlayer,
)
from spinta.services.auth import register_coach  # noqa: E402
from spinta.services.seasons import apply_match, recompute_club  # noqa: E402
from spinta.services.teams import default_team, new_team, season_for  # noqa: E402
from spinta.store.copy import insert_rows  # noqa: E402

URL = os.environ.get(
    "SPINTA_BENCH_DATABASE_URL",
    "postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench_history",
)
REPEATS = int(os.environ.get("BENCH_REPEATS", "21"))
TEAMS, SEASONS, MATCHES = 10, 5, 30
SQUAD, PLAYED, STARTERS = 18, 14, 11
FIRST_SEASON = 2018
POSITIONS = ("Goalkeeper", "Right Back", "Center Back", "Left Back", "Center Midfield", "Striker")
rng = random.Random(17)
ADVANCED_KINDS = {stat.key: stat.kind for stat in ADVANCED}


# ---------------------------------------------------------------- seeding


def _match_row(club: Club, team_id, season_id, day: date, n: int) -> dict:
    ours, theirs = rng.randint(0, 4), rng.randint(0, 4)
    return {
        "id": uuid.uuid4(),
        "club_id": club.id,
        "team_id": team_id,
        "season_id": season_id,
        "opponent_name": f"Opponent {n % 40}",
        "match_date": day,
        "our_score": ours,
        "opponent_score": theirs,
        "result": "W" if ours > theirs else "L" if ours < theirs else "D",
        "derived_our_score": ours,
        "derived_opponent_score": theirs,
        "provider": "statsbomb",
        "our_external_id": 1,
        "opponent_external_id": 2,
        "source_fingerprint": uuid.uuid4().hex,
        "warnings": [],
        "length_minutes": rng.uniform(92, 98),
    }


def _team_rows(match: dict) -> list[dict]:
    return [
        {
            "id": uuid.uuid4(),
            "match_id": match["id"],
            "is_our_team": ours,
            "team_external_id": 1 if ours else 2,
            "team_name": "Us" if ours else match["opponent_name"],
            "goals": match["our_score"] if ours else match["opponent_score"],
            "total_shots": rng.randint(3, 20),
            "total_passes": rng.randint(200, 600),
            "passes_completed": rng.randint(100, 200),
            "expected_goals": rng.random() * 3,
            "possession_percentage": rng.uniform(30, 70),
        }
        for ours in (True, False)
    ]


def _player_rows(match: dict, squad: list[uuid.UUID], opponents: list[uuid.UUID]):
    """(lineups, player statistics, goals) of both sides of one match."""
    lineups, stats = [], []
    sides = [(True, rng.sample(squad, PLAYED)), (False, opponents[:PLAYED])]
    for ours, players in sides:
        for index, player_id in enumerate(players):
            external = index + (0 if ours else 100)
            minutes = match["length_minutes"] if index < 8 else rng.uniform(10, 80)
            common = {
                "match_id": match["id"],
                "is_our_team": ours,
                "player_id": player_id if ours else None,
                "opponent_player_id": None if ours else player_id,
                "external_id": external,
                "player_name": f"P{external}",
                "is_starter": index < STARTERS,
                "minutes_played": minutes,
            }
            lineups.append(
                {
                    **common,
                    "id": uuid.uuid4(),
                    "jersey_number": index + 1,
                    "position": POSITIONS[index % len(POSITIONS)],
                }
            )
            stats.append(
                {
                    **common,
                    "id": uuid.uuid4(),
                    "goals": rng.randint(0, 1),
                    "assists": rng.randint(0, 1),
                    "total_passes": rng.randint(0, 60),
                    "passes_completed": rng.randint(0, 50),
                    "interceptions": rng.randint(0, 3),
                    "pressures": rng.randint(0, 15),
                }
            )
    goals = [
        {
            "id": uuid.uuid4(),
            "match_id": match["id"],
            "sequence": n,
            "event_id": uuid.uuid4().hex,
            "minute": rng.randint(0, 89),
            "second": rng.randint(0, 59),
            "period": 1 + n % 2,
            "team_external_id": 1,
            "team_name": "Us",
            "scorer_name": "Scorer",
            "is_our_goal": True,
            "own_goal": False,
            "penalty": False,
        }
        for n in range(match["our_score"])
    ]
    return lineups, stats, goals


def _advanced_rows(match: dict, lineups: list[dict]) -> list[dict]:
    """The match's advanced metrics as an upload stores them (spinta.store.advanced): both
    sides' team values, then each player's."""

    def row(ours: bool, player_id: uuid.UUID | None, external_id: int | None, key: str) -> dict:
        count = ADVANCED_KINDS[key] is Kind.COUNT
        return {
            "id": uuid.uuid4(),
            "match_id": match["id"],
            "is_our_team": ours,
            "player_id": player_id,
            "external_id": external_id,
            "metric": key,
            "value": float(rng.randint(0, 12)) if count else rng.random(),
        }

    team = [row(ours, None, None, key) for ours in (True, False) for key in ADVANCED_TEAM_FIELDS]
    players = [
        row(entry["is_our_team"], entry["player_id"], entry["external_id"], key)
        for entry in lineups
        for key in ADVANCED_PLAYER_FIELDS
    ]
    return team + players


def _squad(club: Club, label: str) -> list[uuid.UUID]:
    players = [
        Player(
            id=uuid.uuid4(),
            club_id=club.id,
            player_name=f"{label} player {n}",
            jersey_number=n + 1,
            invite_code=f"B{uuid.uuid4().hex[:10]}",
        )
        for n in range(SQUAD)
    ]
    db.session.add_all(players)
    return [player.id for player in players]


def seed_club(name: str, teams: int, seasons: int) -> dict:
    """A club of ``teams`` x ``seasons`` x MATCHES stored matches and its coach's token; the
    first team's latest season is the one the screens read."""
    session = register_coach(
        email=f"{name.lower()}@bench.local",
        password="bench-history-password",
        full_name=f"{name} Coach",
        club={"club_name": name},
    )
    club = session.user.coach.club
    team_ids = [default_team(club.id).id] + [
        new_team(club, name=f"{name} U{8 + 2 * n}").id for n in range(1, teams)
    ]
    opponents = [OpponentPlayer(id=uuid.uuid4(), player_name=f"O{n}") for n in range(PLAYED)]
    kinds = ("matches", "team", "lineups", "stats", "goals", "advanced")
    rows: dict[str, list[dict]] = {k: [] for k in kinds}
    target = {}
    for s in range(seasons):
        start = date(FIRST_SEASON + (SEASONS - seasons) + s, 8, 20)
        season_id = season_for(club, start).id
        for t, team_id in enumerate(team_ids):
            squad = _squad(club, f"{name} {t}/{s}")
            db.session.flush()
            db.session.add_all(
                TeamPlayer(team_id=team_id, season_id=season_id, player_id=p) for p in squad
            )
            for n in range(MATCHES):
                match = _match_row(club, team_id, season_id, start + timedelta(days=7 * n), n)
                lineups, stats, goals = _player_rows(match, squad, [o.id for o in opponents])
                rows["matches"].append(match)
                rows["team"] += _team_rows(match)
                rows["lineups"] += lineups
                rows["stats"] += stats
                rows["goals"] += goals
                rows["advanced"] += _advanced_rows(match, lineups)
            if t == 0:
                target = {"team": team_id, "season": season_id, "squad": squad}
    return {
        "club": club,
        "headers": {"Authorization": f"Bearer {session.token}"},
        "opponents": opponents,
        "rows": rows,
        **target,
    }


def store(seeded: dict) -> None:
    """Bulk insert the seeded rows, then build the season rows."""
    rows = seeded["rows"]
    club = seeded["club"]
    db.session.flush()
    opponents = OpponentClub(id=uuid.uuid4(), club_id=club.id, name="Opponents")
    db.session.add(opponents)
    for opponent in seeded["opponents"]:
        opponent.opponent_club_id = opponents.id
    db.session.add_all(seeded["opponents"])
    db.session.flush()
    insert_rows(Match.__table__, rows["matches"])
    insert_rows(MatchStatistics.__table__, rows["team"])
    insert_rows(MatchLineup.__table__, rows["lineups"])
    insert_rows(PlayerMatchStatistics.__table__, rows["stats"])
    insert_rows(Goal.__table__, rows["goals"])
    insert_rows(AdvancedMetric.__table__, rows["advanced"])
    recompute_club(club.id)
    db.session.commit()


# ---------------------------------------------------------------- timing


def screens(seeded: dict) -> dict[str, str]:
    team, season = seeded["team"], seeded["season"]
    match = db.session.scalar(
        select(Match.id)
        .where(Match.team_id == team, Match.season_id == season)
        .order_by(Match.match_date.desc())
        .limit(1)
    )
    scope = f"team_id={team}&season_id={season}"
    return {
        "dashboard": f"/api/coach/dashboard?{scope}",
        "match detail": f"/api/coach/matches/{match}",
        "player detail": f"/api/coach/players/{seeded['squad'][0]}?{scope}",
        "playing time": f"/api/coach/teams/{team}/playing-time?season_id={season}",
    }


def time_get(client, path: str, headers: dict) -> float:
    started = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.get_json())
    return elapsed


def time_apply(seeded: dict) -> float:
    """One more match of the team and season into its season rows (rolled back after)."""
    savepoint = db.session.begin_nested()
    club = db.session.get(Club, seeded["club"].id)
    day = db.session.get(Season, seeded["season"]).end_date
    match = _match_row(club, seeded["team"], seeded["season"], day, 99)
    lineups, stats, _ = _player_rows(match, seeded["squad"], [o.id for o in seeded["opponents"]])
    insert_rows(Match.__table__, [match])
    insert_rows(MatchStatistics.__table__, _team_rows(match))
    insert_rows(MatchLineup.__table__, lineups)
    insert_rows(PlayerMatchStatistics.__table__, stats)
    db.session.flush()
    started = time.perf_counter()
    apply_match(match["id"])
    db.session.flush()
    elapsed = (time.perf_counter() - started) * 1000
    savepoint.rollback()
    return elapsed


def measure(client, seeded: dict, paths: dict[str, str]) -> dict[str, float]:
    times = {name: time_get(client, path, seeded["headers"]) for name, path in paths.items()}
    times["upload: season update"] = time_apply(seeded)
    return times


def statements(client, seeded: dict, paths: dict[str, str]) -> dict[str, int]:
    """How many SQL statements each step sends (the same count for both clubs: no statement
    per season, team or match of the history)."""
    counts: dict[str, int] = {}
    current = [""]

    def count(*_args) -> None:
        counts[current[0]] = counts.get(current[0], 0) + 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for name, path in paths.items():
            current[0] = name
            time_get(client, path, seeded["headers"])
        current[0] = "upload: season update"
        time_apply(seeded)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return counts


def main() -> None:
    fresh_database(URL)
    app = create_app(
        TestingConfig(
            {
                "SPINTA_TEST_DATABASE_URL": URL,
                "LOG_LEVEL": "WARNING",
                "RATELIMIT_ENABLED": "0",
                "SCREEN_CACHE_ENTRIES": "0",  # every request runs its queries
            }
        )
    )
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        clubs = {"history": seed_club("History", TEAMS, SEASONS), "fresh": seed_club("Fresh", 1, 1)}
        for seeded in clubs.values():
            store(seeded)
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(db.text("VACUUM ANALYZE"))  # what autovacuum does after an upload
        matches = {k: len(v["rows"]["matches"]) for k, v in clubs.items()}
        print(
            f"seeded {matches['history']} matches ({TEAMS} teams x {SEASONS} seasons x {MATCHES})"
            f" and {matches['fresh']} (1 x 1 x {MATCHES}) in {time.perf_counter() - started:.0f} s"
        )
        client = app.test_client()
        paths = {name: screens(seeded) for name, seeded in clubs.items()}
        for name, seeded in clubs.items():  # warm-up
            measure(client, seeded, paths[name])
        times: dict[str, dict[str, list[float]]] = {name: {} for name in clubs}
        for round_ in range(REPEATS):
            order = list(clubs.items())
            for name, seeded in order if round_ % 2 else order[::-1]:  # each first in turn
                for step, ms in measure(client, seeded, paths[name]).items():
                    times[name].setdefault(step, []).append(ms)
        counts = {name: statements(client, seeded, paths[name]) for name, seeded in clubs.items()}
    print(
        f"median of {REPEATS} (ms)  | 1 season, 30 matches | 50 team-seasons, 1500 | ratio"
        " | SQL statements (1 / 50)"
    )
    for step in times["fresh"]:
        fresh = statistics.median(times["fresh"][step])
        history = statistics.median(times["history"][step])
        print(
            f"{step:22s} | {fresh:20.2f} | {history:21.2f} | {history / fresh:5.2f}"
            f" | {counts['fresh'].get(step, 0)} / {counts['history'].get(step, 0)}"
        )


if __name__ == "__main__":
    main()
