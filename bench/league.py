"""Benchmark: a league on one Spinta; one club's costs stay flat as the database fills.

Two PostgreSQL databases side by side (both dropped and re-created):

- "one club": the measured club alone (SPINTA_BENCH_DATABASE_URL, default
  postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench_league);
- "league": the same club plus 99 others holding 499 stored matches between them (about 5
  each, synthetic, with their season rows: bench/season_totals.py's ``store_match``)
  (SPINTA_BENCH_LEAGUE_DATABASE_URL, default: the first database's name + ``_league``).

Measured in-process (Flask test client), alternating between the two databases so a slow spell
of the machine hits both alike:

1. the upload of argentina-mexico-2022-11-26.json by the measured club (which has no match):
   the 1st match of the "one club" database, the 500th of the league's (each upload is deleted
   again, untimed, so every one is the 1st / the 500th);
2. the club's dashboard (GET /api/coach/dashboard, screen cache off: the database's work) once
   it has 5 matches, with 1 club and with 100 clubs present.

Prints the median and interquartile range of each, and league / one club: the ratio of the
medians and the median of the round-by-round ratios (goal: within 10%).
BENCH_REPEATS (default 9) uploads and 20 x BENCH_REPEATS dashboard reads per side.

    SPINTA_BENCH_DATABASE_URL=postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench_league \
        .venv/bin/python bench/league.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import bench.season_totals as seeding  # noqa: E402
from bench.upload import SHARED, fresh_app, multipart  # noqa: E402
from spinta.extensions import db  # noqa: E402
from spinta.models import Club, Match, Player  # noqa: E402
from spinta.services.auth import register_coach  # noqa: E402
from spinta.services.seasons import recompute_season  # noqa: E402
from spinta.services.teams import default_team  # noqa: E402

URL = os.environ.get(
    "SPINTA_BENCH_DATABASE_URL",
    "postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench_league",
)
LEAGUE_URL = os.environ.get("SPINTA_BENCH_LEAGUE_DATABASE_URL") or str(
    make_url(URL).set(database=f"{make_url(URL).database}_league")
)
REPEATS = int(os.environ.get("BENCH_REPEATS", "9"))
CLUBS, LEAGUE_MATCHES, CLUB_MATCHES = 100, 499, 5
FILE = SHARED / "argentina-mexico-2022-11-26.json"
PASSWORD = "bench-password"


def club_with_squad(name: str, n: int) -> tuple[Club, uuid.UUID, list[uuid.UUID]]:
    """A registered coach's club with its default team and 22 squad players."""
    session = register_coach(
        email=f"league{n}@example.com",
        password=PASSWORD,
        full_name="Bench Coach",
        club={"club_name": name},
    )
    club = session.user.coach.club
    return club, default_team(club.id).id, squad(club, f"L{n:03d}")


def squad(club: Club, code: str) -> list[uuid.UUID]:
    """22 squad players of the club (invite codes start with ``code``); their ids."""
    players = [
        Player(club_id=club.id, player_name=f"{club.club_name} {k}", invite_code=f"{code}P{k:02d}")
        for k in range(22)
    ]
    db.session.add_all(players)
    db.session.flush()
    return [p.id for p in players]


def store_matches(club: Club, team_id, players, count: int) -> None:
    """``count`` synthetic stored matches with their season rows, as uploads leave them (the
    rows rebuilt once, which equals adding each match in turn: tests/test_season_totals.py)."""
    for n in range(count):
        seeding.store_match(club, team_id, players, n)
    recompute_season(club.id)


def setup(url: str, others: int) -> tuple[Flask, dict[str, str]]:
    """A fresh database with the measured club ("Argentina", no match) registered through the
    API, and ``others`` clubs sharing LEAGUE_MATCHES stored matches; (app, auth headers)."""
    app = fresh_app(url, SCREEN_CACHE_ENTRIES="0")
    client = app.test_client()
    response = client.post(
        "/api/auth/register/coach",
        json={
            "email": "measured@example.com",
            "password": PASSWORD,
            "full_name": "Measured Coach",
            "club": {"club_name": "Argentina"},
        },
    )
    assert response.status_code == 201, response.get_json()
    headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
    with app.app_context():
        for n in range(others):
            club, team_id, players = club_with_squad(f"Club {n}", n)
            share = LEAGUE_MATCHES // others + (n < LEAGUE_MATCHES % others)
            store_matches(club, team_id, players, share)
        db.session.commit()
        db.session.remove()
    return app, headers


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def upload_then_delete(app: Flask, headers: dict, body: bytes, content_type: str) -> float:
    """Milliseconds of one upload; the match is deleted afterwards (untimed)."""
    client = app.test_client()
    answers = []
    elapsed = timed(
        lambda: answers.append(
            client.post("/api/coach/matches", data=body, headers=headers, content_type=content_type)
        )
    )
    assert answers[0].status_code == 201, answers[0].get_json()
    match_id = answers[0].get_json()["match_id"]
    assert client.delete(f"/api/coach/matches/{match_id}", headers=headers).status_code == 200
    return elapsed


def read_dashboard(app: Flask, headers: dict) -> float:
    client = app.test_client()
    answers = []
    elapsed = timed(lambda: answers.append(client.get("/api/coach/dashboard", headers=headers)))
    assert answers[0].status_code == 200, answers[0].get_json()
    return elapsed


def give_measured_club_matches(app: Flask) -> None:
    """CLUB_MATCHES stored matches for the measured club, the same in both databases."""
    seeding.rng.seed(2024)
    with app.app_context():
        club = db.session.scalar(select(Club).where(Club.club_name == "Argentina"))
        store_matches(club, default_team(club.id).id, squad(club, "MEASURED"), CLUB_MATCHES)
        db.session.commit()
        db.session.remove()


def alternate(sides: dict[str, tuple], measure, repeats: int) -> dict[str, list[float]]:
    """``measure(*side)`` ``repeats`` times per side, the sides taking turns (after a warm-up
    of each)."""
    for side in sides.values():
        measure(*side)
    times: dict[str, list[float]] = {name: [] for name in sides}
    for round_ in range(repeats):
        order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
        for name in order:
            times[name].append(measure(*sides[name]))
    return times


def show(title: str, times: dict[str, list[float]]) -> None:
    """Each side's median and quartiles; the ratio of the medians and the median of the
    round-by-round ratios (each round measures both sides back to back, so a slow spell of a
    shared machine cancels out of it)."""
    print(title)
    for name, series in times.items():
        q1, median, q3 = statistics.quantiles(series, n=4)
        print(f"  {name:36} median {median:7.1f} ms  (p25-p75 {q1:.1f}-{q3:.1f})")
    first, second = times.values()
    of_medians = statistics.median(second) / statistics.median(first)
    paired = statistics.median(b / a for a, b in zip(first, second, strict=True))
    verdict = "flat" if abs(paired - 1) <= 0.10 else "outside 10%"
    print(
        f"  second / first: {of_medians:.3f} (medians), {paired:.3f} (median of the rounds' "
        f"ratios: {verdict}; goal: within 10%)"
    )


def count_rows(app: Flask) -> tuple[int, int]:
    with app.app_context():
        clubs = db.session.scalar(select(func.count()).select_from(Club))
        matches = db.session.scalar(select(func.count()).select_from(Match))
        db.session.remove()
    return clubs, matches


def main() -> None:
    started = time.perf_counter()
    one, one_headers = setup(URL, others=0)
    league, league_headers = setup(LEAGUE_URL, others=CLUBS - 1)
    for name, app in (("one club", one), ("league", league)):
        clubs, matches = count_rows(app)
        url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(True)
        print(f"{name}: {url}: {clubs} clubs, {matches} matches stored")
    print(f"seeded in {time.perf_counter() - started:.0f} s")
    body, content_type = multipart(FILE.read_bytes())
    uploads = alternate(
        {
            "1st match of the database (1 club)": (one, one_headers, body, content_type),
            "500th match of the database (100)": (league, league_headers, body, content_type),
        },
        upload_then_delete,
        REPEATS,
    )
    show(f"upload of {FILE.name} by a club with no match:", uploads)
    give_measured_club_matches(one)
    give_measured_club_matches(league)
    reads = alternate(
        {"1 club present": (one, one_headers), "100 clubs present": (league, league_headers)},
        read_dashboard,
        20 * REPEATS,
    )
    show(f"GET /api/coach/dashboard of a club with {CLUB_MATCHES} matches (uncached):", reads)
    for app in (one, league):
        with app.app_context():
            db.engine.dispose()
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
