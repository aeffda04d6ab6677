"""Benchmark: a player's data export (ZIP of JSON and CSV) after 100 matches.

Builds a club in a fresh database (SPINTA_BENCH_DATABASE_URL, default a temporary SQLite file;
a PostgreSQL URL is emptied first), uploads 100 generated matches (the test suite's match
builder: a dozen events each, the player in every lineup), signs the player up, then times
GET /api/player/data-export through the app (test client, whole body read) BENCH_ROUNDS (5)
times and prints the median and worst time and the ZIP's size. The contract asks for under 2 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from config import TestingConfig  # noqa: E402
from spinta.app import create_app  # noqa: E402
from spinta.extensions import db  # noqa: E402
from tests.factories import register_coach  # noqa: E402
from tests.world import signup, tiny_match, upload_json  # noqa: E402

MATCHES = 100


def main() -> None:
    url = os.environ.get("SPINTA_BENCH_DATABASE_URL") or (
        f"sqlite:///{tempfile.mkdtemp()}/export-bench.db"
    )
    app = create_app(
        TestingConfig(
            {"SPINTA_TEST_DATABASE_URL": url, "LOG_LEVEL": "WARNING", "RATELIMIT_ENABLED": "false"}
        )
    )
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        db.create_all()
    client = app.test_client()
    coach = register_coach(client, club_name="Home FC")
    code = None
    for number in range(MATCHES):
        response = upload_json(
            client,
            coach,
            tiny_match(variant=number + 1),
            opponent_name=f"Opponent {number}",
            match_date=f"20{10 + number // 12:02d}-{number % 12 + 1:02d}-05",
        )
        assert response.status_code == 201, response.get_json()
        if code is None:
            code = next(
                p["invite_code"]
                for p in response.get_json()["details"]["our_players"]
                if p["jersey_number"] == 5
            )
    player = signup(client, code, "Bench Player")
    times = []
    size = 0
    for _ in range(int(os.environ.get("BENCH_ROUNDS", "5"))):
        started = time.perf_counter()
        response = client.get("/api/player/data-export", headers=player.headers)
        body = response.data
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
        size = len(body)
    print(
        f"export after {MATCHES} matches ({db_name(url)}): median {statistics.median(times):.3f} s,"
        f" worst {max(times):.3f} s, ZIP {size / 1024:.0f} KiB"
    )


def db_name(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


if __name__ == "__main__":
    main()
