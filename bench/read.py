"""Benchmark: the coach's read screens served by gunicorn from PostgreSQL.

Loads the four shared matches into a fresh PostgreSQL database (SPINTA_BENCH_DATABASE_URL,
default postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench_read, created if missing;
the three World Cup files for an "Argentina" club, Barcelona for a second coach), starts
``gunicorn wsgi:app`` (production config, 2 workers, a free loopback port) and measures with
16 client threads on keep-alive ``http.client`` connections, for at most BENCH_SECONDS (10) and
BENCH_MAX_REQUESTS (20,000) per endpoint: requests per second and p50 / p99 latency of
GET /api/health (the baseline), /api/coach/dashboard, /api/coach/matches/{id} and
/api/coach/players/{id}, and each one's throughput as a share of the health throughput.
gunicorn is stopped at the end, also on error.
"""

from __future__ import annotations

import http.client
import io
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench._harness import (  # noqa: E402
    free_port,
    request,
    start_gunicorn,
    stop_gunicorn,
    wait_ready,
)
from config import TestingConfig  # noqa: E402
from spinta.app import create_app  # noqa: E402
from spinta.extensions import db  # noqa: E402

SHARED = ROOT.parent / "shared" / "statsbomb"
URL = os.environ.get(
    "SPINTA_BENCH_DATABASE_URL",
    "postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench_read",
)
THREADS = int(os.environ.get("BENCH_THREADS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "20000"))
WARMUP = 20  # requests per endpoint before measuring
PASSWORD = "bench-read-password"
FILES = {
    "argentina-mexico-2022-11-26.json": ("Argentina", "2022-11-26"),
    "netherlands-argentina-2022-12-09.json": ("Argentina", "2022-12-09"),
    "argentina-croatia-2022-12-13.json": ("Argentina", "2022-12-13"),
    "barcelona-alaves-2018-08-18.json": ("Barcelona", "2018-08-18"),
}


# ---------------------------------------------------------------- data


def fresh_database(url: str) -> None:
    """Drop and re-create the benchmark database (PostgreSQL only)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        sys.exit("bench/read.py needs PostgreSQL (SPINTA_BENCH_DATABASE_URL)")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def load_matches(url: str) -> dict[str, str]:
    """Both coaches and the four matches, through the real upload; returns ids and emails."""
    app = create_app(
        TestingConfig(
            {"SPINTA_TEST_DATABASE_URL": url, "LOG_LEVEL": "WARNING", "RATELIMIT_ENABLED": "0"}
        )
    )
    with app.app_context():
        db.create_all()
    client = app.test_client()
    coaches: dict[str, dict[str, str]] = {}
    match_ids: dict[str, str] = {}
    for name, (club, match_date) in FILES.items():
        if club not in coaches:
            email = f"{club.lower()}@bench.local"
            response = client.post(
                "/api/auth/register/coach",
                json={
                    "email": email,
                    "password": PASSWORD,
                    "full_name": f"{club} Coach",
                    "club": {"club_name": club},
                },
            )
            assert response.status_code == 201, response.get_json()
            token = response.get_json()["token"]
            coaches[club] = {"email": email, "auth": f"Bearer {token}"}
        response = client.post(
            "/api/coach/matches",
            headers={"Authorization": coaches[club]["auth"]},
            data={
                "events_file": (io.BytesIO((SHARED / name).read_bytes()), "events.json"),
                "match_date": match_date,
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 201, response.get_json()
        match_ids[name] = response.get_json()["match_id"]
    squad = client.get(
        "/api/coach/players", headers={"Authorization": coaches["Argentina"]["auth"]}
    )
    messi = next(p for p in squad.get_json()["players"] if "Messi" in p["player_name"])
    with app.app_context():
        db.engine.dispose()
    # Fresh statistics for the planner, and no autovacuum running during the measurement.
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return {
        "email": coaches["Argentina"]["email"],
        "match_id": match_ids["netherlands-argentina-2022-12-09.json"],
        "player_id": messi["player_id"],
    }


# ---------------------------------------------------------------- server


def login(port: int, email: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = orjson.dumps({"email": email, "password": PASSWORD})
    status, raw = request(
        conn, "POST", "/api/auth/login", {"Content-Type": "application/json"}, body
    )
    conn.close()
    assert status == 200, raw
    return orjson.loads(raw)["token"]


# ---------------------------------------------------------------- load


def measure(port: int, path: str, headers: dict[str, str]) -> dict[str, float]:
    """16 threads hammer one path until SECONDS or MAX_REQUESTS; latencies in seconds."""
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(WARMUP):
        status, raw = request(warm, "GET", path, headers)
        assert status == 200, (path, status, raw[:200])
    warm.close()

    latencies: list[list[float]] = [[] for _ in range(THREADS)]
    errors: list[str] = []
    issued = iter(range(MAX_REQUESTS))
    lock = threading.Lock()
    start = threading.Barrier(THREADS + 1)
    deadline = [0.0]

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = latencies[n]
        start.wait()
        try:
            while time.perf_counter() < deadline[0]:
                with lock:
                    if next(issued, None) is None:
                        break
                began = time.perf_counter()
                status, _ = request(conn, "GET", path, headers)
                mine.append(time.perf_counter() - began)
                if status != 200:
                    errors.append(f"{path}: HTTP {status}")
                    break
        except Exception as exc:  # a failed connection ends this thread; reported below
            errors.append(f"{path}: {exc!r}")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + SECONDS
    start.wait()
    for thread in threads:
        thread.join(SECONDS + 15)
    elapsed = time.perf_counter() - began
    if errors:
        raise RuntimeError(errors[0])
    flat = sorted(x for mine in latencies for x in mine)
    return {
        "requests": len(flat),
        "rps": len(flat) / elapsed,
        "p50": statistics.median(flat),
        "p99": flat[min(len(flat) - 1, int(len(flat) * 0.99))],
    }


def main() -> None:
    if not all((SHARED / name).exists() for name in FILES):
        sys.exit(f"the shared StatsBomb files are missing from {SHARED}")
    fresh_database(URL)
    ids = load_matches(URL)
    port = free_port()
    with tempfile.TemporaryFile(mode="w+") as log:
        process = start_gunicorn(URL, port, log)
        try:
            wait_ready(process, port)
            auth = {"Authorization": f"Bearer {login(port, ids['email'])}"}
            targets = [
                ("GET /api/health", "/api/health", {}),
                ("GET /api/coach/dashboard", "/api/coach/dashboard", auth),
                ("GET /api/coach/matches/{id}", f"/api/coach/matches/{ids['match_id']}", auth),
                ("GET /api/coach/players/{id}", f"/api/coach/players/{ids['player_id']}", auth),
            ]
            print(f"database: {make_url(URL).render_as_string(hide_password=True)}")
            print(
                f"gunicorn wsgi:app, 2 sync workers, 127.0.0.1:{port}; {THREADS} client threads, "
                f"<= {SECONDS:g} s / {MAX_REQUESTS} requests per endpoint"
            )
            print(
                f"{'endpoint':30} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
                f"{'vs health':>10}"
            )
            baseline = None
            for label, path, headers in targets:
                result = measure(port, path, headers)
                baseline = baseline or result["rps"]
                print(
                    f"{label:30} {result['requests']:>9} {result['rps']:>8.0f} "
                    f"{result['p50'] * 1000:>8.2f} {result['p99'] * 1000:>8.2f} "
                    f"{result['rps'] / baseline:>10.2f}"
                )
        except BaseException:
            log.seek(0)
            sys.stderr.write("gunicorn output (last lines):\n" + "".join(log.readlines()[-20:]))
            raise
        finally:
            stop_gunicorn(process)


if __name__ == "__main__":
    main()
