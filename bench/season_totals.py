"""Benchmark: the season-row update of an upload stays flat as the club's history grows.

Against PostgreSQL (SPINTA_BENCH_DATABASE_URL, dropped and re-created). One club with one team
gets synthetic stored matches (a team row and 14 player rows each, one a week, so about 52 a
season) up to 500. At 1, 100, 250 and 500 stored matches it times, BENCH_REPEATS times each
(median), what an upload and a delete now do to the season rows (``apply_match`` of one more
match, ``match_share`` + ``subtract_match``), and the full recompute of every season row that
each upload ran before (``recompute_season``). Every timed step runs in a savepoint that is
rolled back, so the history stays the given size.

    SPINTA_BENCH_DATABASE_URL=postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench \
        .venv/bin/python bench/season_totals.py
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

from bench.upload import fresh_app  # noqa: E402
from spinta.extensions import db  # noqa: E402
from spinta.models import (  # noqa: E402
    Club,
    Match,
    MatchStatistics,
    Player,
    PlayerMatchStatistics,
)
from spinta.services.auth import register_coach  # noqa: E402
from spinta.services.seasons import (  # noqa: E402
    apply_match,
    match_share,
    recompute_season,
    subtract_match,
)
from spinta.services.teams import default_team, season_for  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "9"))
SIZES = (1, 100, 250, 500)
SQUAD = 14
rng = random.Random(17)


def store_match(club: Club, team_id, players: list[uuid.UUID], n: int) -> uuid.UUID:
    day = date(2015, 8, 10) + timedelta(days=7 * n)
    ours, theirs = rng.randint(0, 4), rng.randint(0, 4)
    match = Match(
        id=uuid.uuid4(),
        club_id=club.id,
        team_id=team_id,
        season_id=season_for(club, day).id,
        opponent_name=f"Opponent {n}",
        match_date=day,
        our_score=ours,
        opponent_score=theirs,
        result="W" if ours > theirs else "L" if ours < theirs else "D",
        derived_our_score=ours,
        derived_opponent_score=theirs,
        our_external_id=1,
        opponent_external_id=2,
        source_fingerprint=uuid.uuid4().hex,
        warnings=[],
    )
    db.session.add(match)
    db.session.flush()
    db.session.add(
        MatchStatistics(
            match_id=match.id,
            is_our_team=True,
            team_external_id=1,
            team_name="Us",
            total_passes=rng.randint(200, 600),
            passes_completed=rng.randint(100, 200),
            expected_goals=rng.random() * 3,
            possession_percentage=rng.uniform(30, 70),
        )
    )
    for index, player_id in enumerate(rng.sample(players, SQUAD)):
        db.session.add(
            PlayerMatchStatistics(
                match_id=match.id,
                is_our_team=True,
                player_id=player_id,
                external_id=index,
                player_name=f"P{index}",
                is_starter=index < 11,
                minutes_played=rng.uniform(10, 95),
                goals=rng.randint(0, 1),
                total_passes=rng.randint(0, 60),
                passes_completed=rng.randint(0, 50),
                interceptions=rng.randint(0, 3),
                pressures=rng.randint(0, 15),
            )
        )
    db.session.flush()
    return match.id


def timed(step, setup=lambda: None) -> float:
    """Median milliseconds of ``step(setup())``, each run in a savepoint rolled back after."""
    times = []
    for _ in range(REPEATS):
        savepoint = db.session.begin_nested()
        prepared = setup()
        db.session.flush()
        started = time.perf_counter()
        step(prepared)
        db.session.flush()
        times.append((time.perf_counter() - started) * 1000)
        savepoint.rollback()
    return statistics.median(times)


def main() -> None:
    app = fresh_app()
    with app.app_context():
        session = register_coach(
            email="seasons@example.com",
            password="bench-password",
            full_name="Bench Coach",
            club={"club_name": "Lions"},
        )
        club = session.user.coach.club
        team_id = default_team(club.id).id
        players = []
        for n in range(22):
            player = Player(club_id=club.id, player_name=f"Player {n}", invite_code=f"BENCH{n:04d}")
            db.session.add(player)
            db.session.flush()
            players.append(player.id)
        stored = 0
        print("history | upload: apply_match | delete: share + subtract | full recompute (before)")
        for size in SIZES:
            while stored < size:
                apply_match(store_match(club, team_id, players, stored))
                stored += 1
            db.session.commit()
            upload = timed(apply_match, lambda n=stored: store_match(club, team_id, players, n))
            last = db.session.scalar(
                db.select(Match.id)
                .where(Match.club_id == club.id)
                .order_by(Match.match_date.desc())
                .limit(1)
            )

            def delete_last(_prepared, last=last) -> None:
                share = match_share(last)
                db.session.execute(db.delete(Match).where(Match.id == last))
                subtract_match(share)

            delete = timed(delete_last)
            full = timed(lambda _prepared: recompute_season(club.id))
            print(f"{size:7d} | {upload:17.1f} ms | {delete:19.1f} ms | {full:17.1f} ms")


if __name__ == "__main__":
    main()
