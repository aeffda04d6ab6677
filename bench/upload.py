"""Benchmark: the full match upload (HTTP request to committed response) of each shared file.

Runs the real app in-process (WSGI, Flask test client) against PostgreSQL
(SPINTA_BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/spinta_bench, dropped
and re-created). Prints per file: events, median wall time over N uploads (each into a clean club;
the files take turns, round by round, so a slow spell of the machine hits all of them), the
interquartile range, events inserted per second; a least-squares line through the medians (time
per 1k events, and the time for the 4,400-event match the target is stated for); and the peak
Python memory of one upload of the largest file.
Baseline in the same process: GET /api/health and the analysis alone, so the figures can be
compared across machines.
"""

from __future__ import annotations

import io
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

from bench._harness import fresh_database  # noqa: E402
from config import TestingConfig  # noqa: E402
from spinta import analytics  # noqa: E402
from spinta.app import create_app  # noqa: E402
from spinta.extensions import db  # noqa: E402

SHARED = ROOT.parent / "shared" / "statsbomb"
URL = os.environ.get(
    "SPINTA_BENCH_DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench"
)
REPEATS = int(os.environ.get("BENCH_REPEATS", "9"))
TARGET_EVENTS, TARGET_MS = 4400, 150  # issue 5: <= 0.15 s median for a 4,400-event match
CLUB_NAMES = {
    "barcelona-alaves-2018-08-18.json": "Barcelona",
    "argentina-mexico-2022-11-26.json": "Argentina",
    "netherlands-argentina-2022-12-09.json": "Argentina",
    "argentina-croatia-2022-12-13.json": "Argentina",
}


def main() -> None:
    fresh_database(URL)
    app = create_app(
        TestingConfig(
            {"SPINTA_TEST_DATABASE_URL": URL, "LOG_LEVEL": "WARNING", "RATELIMIT_ENABLED": "0"}
        )
    )
    with app.app_context():
        db.create_all()
    client = app.test_client()
    counter = iter(range(10**6))

    def new_coach(club_name: str) -> dict[str, str]:
        n = next(counter)
        response = client.post(
            "/api/auth/register/coach",
            json={
                "email": f"bench{n}@example.com",
                "password": "bench-password",
                "full_name": "Bench Coach",
                "club": {"club_name": club_name},
            },
        )
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    def upload(raw: bytes, headers: dict[str, str]) -> float:
        # The admin panel's multipart body, encoded before the clock starts: building it is the
        # client's work, not the server's.
        environ = EnvironBuilder(
            method="POST",
            data={"events_file": (io.BytesIO(raw), "events.json"), "match_date": "2022-12-01"},
        ).get_environ()
        body = environ["wsgi.input"].read()
        started = time.perf_counter()
        response = client.post(
            "/api/coach/matches",
            data=body,
            headers=headers,
            content_type=environ["CONTENT_TYPE"],
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.get_json()
        response.close()  # as the server does once the response is sent (frees the upload)
        return elapsed

    health = []
    for _ in range(50):
        started = time.perf_counter()
        client.get("/api/health")
        health.append(time.perf_counter() - started)
    print(f"database: {make_url(URL).render_as_string(hide_password=True)}")
    print(f"baseline GET /api/health median: {statistics.median(health) * 1000:.2f} ms")
    files = sorted(SHARED.glob("*.json"))
    if not files:
        sys.exit(f"no StatsBomb files in {SHARED}")
    raws = {path: path.read_bytes() for path in files}
    counts = {path: len(orjson.loads(raw)) for path, raw in raws.items()}
    analyse: dict[Path, list[float]] = {path: [] for path in files}
    times: dict[Path, list[float]] = {path: [] for path in files}
    for path, raw in raws.items():
        club = CLUB_NAMES.get(path.name, "Argentina")
        for _ in range(REPEATS):
            started = time.perf_counter()
            analytics.analyse_match(orjson.loads(raw), club_name=club)
            analyse[path].append(time.perf_counter() - started)
        upload(raw, new_coach(club))  # warm-up
    # Interleaved rounds (each file once per round), so a slow spell of the machine hits every
    # file alike instead of one file's whole series.
    for _ in range(REPEATS):
        for path, raw in raws.items():
            times[path].append(upload(raw, new_coach(CLUB_NAMES.get(path.name, "Argentina"))))
    print(
        f"{'file':40} {'events':>7} {'analyse ms':>11} {'upload ms':>10} {'p25-p75 ms':>13} "
        f"{'events/s':>10}"
    )
    medians = {}
    for path in files:
        median = medians[path] = statistics.median(times[path])
        q1, _, q3 = statistics.quantiles(times[path], n=4)
        print(
            f"{path.name:40} {counts[path]:>7} {statistics.median(analyse[path]) * 1000:>11.1f} "
            f"{median * 1000:>10.1f} {f'{q1 * 1000:.0f}-{q3 * 1000:.0f}':>13} "
            f"{counts[path] / median:>10.0f}"
        )
    # Least-squares line through the files' medians: the time per event, and the time the
    # target is stated for (a 4,400-event match).
    fit = statistics.linear_regression(
        [counts[path] for path in files], [medians[path] * 1000 for path in files]
    )
    print(
        f"linear fit of the medians: {fit.intercept:.1f} ms + {fit.slope * 1000:.1f} ms per 1k "
        f"events; a {TARGET_EVENTS:,}-event match: "
        f"{fit.intercept + fit.slope * TARGET_EVENTS:.1f} ms (target <= {TARGET_MS} ms)"
    )
    largest = max(files, key=lambda p: p.stat().st_size)
    raw = largest.read_bytes()
    headers = new_coach(CLUB_NAMES.get(largest.name, "Argentina"))
    tracemalloc.start()
    upload(raw, headers)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak Python allocations during one upload of {largest.name}: {peak / 2**20:.1f} MiB")
    print(f"peak RSS of this process (app + benchmark, all uploads): {rss:.0f} MiB")


if __name__ == "__main__":
    main()
