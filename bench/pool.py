"""The connection pool a gevent worker keeps: the old default (5 kept, 10 overflow) against
config.POOL_SIZE / POOL_OVERFLOW, paired in one run.

    python bench/pool.py

Two gunicorn servers (2 workers each) on one PostgreSQL database (SPINTA_BENCH_DATABASE_URL,
default postgresql+psycopg2://postgres@127.0.0.1:5432/bench_pool, dropped and re-created, dropped
again at the end) holding bench/ratios.py's small history club, the same except for
DB_POOL_SIZE / DB_MAX_OVERFLOW. wrk (16 connections) loads GET /api/health, the player detail
(a read of a child's screen: its access-log entry is committed before the answer, so a request
holds its connection through the commit) and the dashboard on each server in turn, the order
alternating from round to round (bench/read.py's pairs). Printed per endpoint and pool: req/s,
p99, the share of the same server's health; then, for the player detail, the PostgreSQL sessions
each server opened per 1,000 reads (pg_stat_database.sessions) in a round of its own.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests" / "providers")]
os.environ.setdefault(
    "SPINTA_BENCH_DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/bench_pool"
)

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import bench.ratios as ratios  # noqa: E402
import bench.read as read  # noqa: E402
import config  # noqa: E402
from bench._harness import start_gunicorn, stop_gunicorn, wait_ready  # noqa: E402

POOLS = {
    "old (5 + 10)": {"DB_POOL_SIZE": "5", "DB_MAX_OVERFLOW": "10"},
    f"new ({config.POOL_SIZE} + {config.POOL_OVERFLOW})": {},  # the defaults
}
SESSIONS_SECONDS = 3


def sessions_opened() -> int:
    """Sessions PostgreSQL has established on the bench database so far."""
    parsed = make_url(ratios.URL)
    admin = create_engine(parsed.set(database="postgres"))
    with admin.connect() as conn:
        count = conn.execute(
            text("SELECT sessions FROM pg_stat_database WHERE datname = :name"),
            {"name": parsed.database},
        ).scalar_one()
    admin.dispose()
    return count


def endpoints(club: dict, port: int) -> dict[str, tuple[str, dict]]:
    """Health, the player detail and the dashboard: path and headers."""
    headers = ratios.login(port, club)
    _, match_id = ratios.http_upload(port, headers, ratios.LARGEST)
    paths = ratios.screen_paths(club, {"match": match_id, "messi": ratios.messi_id(club)})
    return {
        "health": ("/api/health", {}),
        "player detail": (paths["player detail"], headers),
        "dashboard": (paths["dashboard"], headers),
    }


def measure(servers: dict[str, int], club: dict) -> None:
    """The paired rounds, then each server's sessions per 1,000 player-detail reads."""
    paths = endpoints(club, next(iter(servers.values())))
    targets = [
        (f"{name} {label}", port, path, headers)
        for name, (path, headers) in paths.items()
        for label, port in servers.items()
    ]
    for _label, port, path, headers in targets:
        read.warm_up(port, path, headers)
    results = read.run_rounds(targets, pairs=len(servers))
    print(f"wrk {read.CONNECTIONS} connections, {read.ROUNDS} rounds, gunicorn 2 workers")
    read.print_results(results)
    path, headers = paths["player detail"]
    for label, port in servers.items():
        before = sessions_opened()
        done = read.measure_wrk(port, path, headers, SESSIONS_SECONDS)
        opened = sessions_opened() - before  # (it asks from the database "postgres")
        print(
            f"player detail {label}: {1000 * opened / done.requests:.1f} PostgreSQL sessions "
            f"opened per 1,000 reads ({opened} in {done.requests})"
        )


def main() -> None:
    read.ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
    read.SECONDS = float(os.environ.get("BENCH_SECONDS", "4")) * read.ROUNDS
    club = ratios.seed(ratios.Settings(quick=True))
    secret = secrets.token_urlsafe(48)  # one key: a token from one server is good on the other
    processes = []
    try:
        with tempfile.TemporaryFile(mode="w+") as log:
            servers = {}
            for number, (label, env) in enumerate(POOLS.items()):
                servers[label] = ratios.PORT + number
                processes.append(
                    start_gunicorn(ratios.URL, servers[label], log, SECRET_KEY=secret, **env)
                )
                wait_ready(processes[-1], servers[label])
            measure(servers, club)
    finally:
        for process in processes:
            stop_gunicorn(process)
        ratios.drop_database()


if __name__ == "__main__":
    main()
