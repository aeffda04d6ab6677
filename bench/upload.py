"""Benchmark: the full match upload (HTTP request to committed response) of each shared file.

Against PostgreSQL (SPINTA_BENCH_DATABASE_URL, default
postgresql://postgres@127.0.0.1:5432/spinta_bench, dropped and re-created), measured twice:

1. In-process (WSGI, Flask test client), with the baselines GET /api/health and the analysis
   alone, so the figures can be compared across machines, and the peak Python allocations of
   one upload of the largest file.
2. Through gunicorn (the production config, 2 workers) over loopback HTTP, as the admin panel
   sends it, with the workers' peak RSS.

Each upload goes into a new club; the files take turns, round by round, so a slow spell of the
machine hits all of them. Per file: events, median wall time, interquartile range, events
stored per second; then a least-squares line through the medians (time per 1k events, and the
time for the 4,400-event match the target is stated for). The multipart body is encoded before
the clock starts: building it is the client's work.

    python bench/upload.py [--baseline REV [--new REV]]

`--baseline REV` runs the same measurements for the code at git revision REV (checked out with
`git worktree` into a temporary folder, run with this checkout's .venv) and for this checkout,
(or for the code at `--new REV`, also checked out: the working tree may change while it runs)
in alternating order for BENCH_ROUNDS rounds (default 3), each side in its own process on a
fresh database, and prints per measure and file the median of each side over all rounds and
new/old (a change may cost at most 5%). SPINTA_BENCH_PORT sets gunicorn's port (default: a
free one).
"""

from __future__ import annotations

import http.client
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The code measured: this checkout, or the baseline's folder (--baseline runs this script once
# per side with SPINTA_BENCH_TREE set).
TREE = Path(os.environ.get("SPINTA_BENCH_TREE", ROOT))
sys.path.insert(0, str(TREE))

import orjson  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

import bench._harness as harness  # noqa: E402
from bench._harness import (  # noqa: E402
    fresh_database,
    gunicorn,
    peak_rss_mib,
    request,
    worker_pids,
)
from bench.analyse import doubled  # noqa: E402
from config import TestingConfig  # noqa: E402
from spinta import analytics  # noqa: E402
from spinta.app import create_app  # noqa: E402
from spinta.extensions import db  # noqa: E402

SHARED = ROOT.parent / "shared" / "statsbomb"
if os.environ.get("SPINTA_BENCH_PORT"):
    harness.free_port = lambda: int(os.environ["SPINTA_BENCH_PORT"])
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

Upload = Callable[[str, bytes, str], float]  # (club name, body, content type) -> seconds


def multipart(raw: bytes) -> tuple[bytes, str]:
    """The admin panel's request body for one events file, and its content type."""
    environ = EnvironBuilder(
        method="POST",
        data={"events_file": (io.BytesIO(raw), "events.json"), "match_date": "2022-12-01"},
    ).get_environ()
    return environ["wsgi.input"].read(), environ["CONTENT_TYPE"]


def measure(files: list[Path], upload: Upload) -> dict[Path, list[float]]:
    bodies = {path: multipart(path.read_bytes()) for path in files}
    club = {path: CLUB_NAMES.get(path.name, "Argentina") for path in files}
    for path in files:
        upload(club[path], *bodies[path])  # warm-up
    times: dict[Path, list[float]] = {path: [] for path in files}
    for _ in range(REPEATS):
        for path in files:
            times[path].append(upload(club[path], *bodies[path]))
    return times


def report(
    times: dict[Path, list[float]], counts: dict[Path, int], analyse: dict[Path, float] | None
) -> None:
    print(
        f"{'file':40} {'events':>7} {'analyse ms' if analyse else '':>11} {'upload ms':>10} "
        f"{'p25-p75 ms':>13} {'events/s':>10}"
    )
    medians = {}
    for path, series in times.items():
        median = medians[path] = statistics.median(series)
        q1, _, q3 = statistics.quantiles(series, n=4)
        analysed = f"{analyse[path] * 1000:.1f}" if analyse else ""
        print(
            f"{path.name:40} {counts[path]:>7} {analysed:>11} {median * 1000:>10.1f} "
            f"{f'{q1 * 1000:.0f}-{q3 * 1000:.0f}':>13} {counts[path] / median:>10.0f}"
        )
    fit = statistics.linear_regression(
        [counts[path] for path in times], [medians[path] * 1000 for path in times]
    )
    print(
        f"linear fit of the medians: {fit.intercept:.1f} ms + {fit.slope * 1000:.1f} ms per 1k "
        f"events; a {TARGET_EVENTS:,}-event match: "
        f"{fit.intercept + fit.slope * TARGET_EVENTS:.1f} ms (target <= {TARGET_MS} ms)"
    )


def fresh_app(url: str = URL, **environ: str) -> Flask:
    """The app (with the given settings) on a freshly created benchmark database with the
    schema."""
    fresh_database(url)
    app = create_app(
        TestingConfig(
            {
                "SPINTA_TEST_DATABASE_URL": url,
                "LOG_LEVEL": "WARNING",
                "RATELIMIT_ENABLED": "0",
                **environ,
            }
        )
    )
    with app.app_context():
        db.create_all()
    return app


def linearity(path: Path, upload: Upload) -> None:
    """The file against itself doubled (bench/analyse.py's copy with fresh ids): equal time
    per 1k events means the upload is linear in events."""
    events = orjson.loads(path.read_bytes())
    sizes = {"x1": events, "x2": doubled(events)}
    bodies = {label: multipart(orjson.dumps(copy)) for label, copy in sizes.items()}
    club = CLUB_NAMES.get(path.name, "Argentina")
    times: dict[str, list[float]] = {label: [] for label in sizes}
    for label in sizes:
        upload(club, *bodies[label])  # warm-up
    for _ in range(REPEATS):
        for label in sizes:
            times[label].append(upload(club, *bodies[label]))
    parts = []
    for label, copy in sizes.items():
        median = statistics.median(times[label]) * 1000
        parts.append(
            f"{label} {len(copy)} events {median:.1f} ms ({median / len(copy) * 1000:.1f} per 1k)"
        )
    print(f"linearity, {path.name}: " + "; ".join(parts))


def in_process(files: list[Path], counts: dict[Path, int]) -> dict[str, object]:
    app = fresh_app()
    client = app.test_client()
    counter = iter(range(10**6))
    # this process's CPU time per upload, in upload order (robust when other processes share
    # the cores; the database server's work is not in it)
    cpu_times: list[float] = []

    def upload(club_name: str, body: bytes, content_type: str) -> float:
        response = client.post(
            "/api/auth/register/coach",
            json={
                "email": f"bench{next(counter)}@example.com",
                "password": "bench-password",
                "full_name": "Bench Coach",
                "club": {"club_name": club_name},
            },
        )
        headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
        cpu, started = time.process_time(), time.perf_counter()
        response = client.post(
            "/api/coach/matches", data=body, headers=headers, content_type=content_type
        )
        elapsed = time.perf_counter() - started
        cpu_times.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 201, response.get_json()
        response.close()  # as the server does once the response is sent (frees the upload)
        return elapsed

    health = []
    for _ in range(50):
        started = time.perf_counter()
        client.get("/api/health")
        health.append(time.perf_counter() - started)
    analyse = {}
    for path in files:
        raw, runs = path.read_bytes(), []
        for _ in range(REPEATS):
            started = time.perf_counter()
            analytics.analyse_match(orjson.loads(raw), club_name=CLUB_NAMES.get(path.name, "x"))
            runs.append(time.perf_counter() - started)
        analyse[path] = statistics.median(runs)
    print(f"database: {make_url(URL).render_as_string(hide_password=True)}")
    print("in-process (WSGI test client):")
    print(f"baseline GET /api/health median: {statistics.median(health) * 1000:.2f} ms")
    cpu_times.clear()
    times = measure(files, upload)
    report(times, counts, analyse)
    cpu = cpu_times[len(files) : len(files) * (REPEATS + 1)]  # without the warm-up round
    largest = max(files, key=lambda p: p.stat().st_size)
    linearity(largest, upload)
    body, content_type = multipart(largest.read_bytes())
    tracemalloc.start()
    upload(CLUB_NAMES.get(largest.name, "Argentina"), body, content_type)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python allocations during one upload of {largest.name}: {peak / 2**20:.1f} MiB")
    with app.app_context():
        db.engine.dispose()
    return {
        "health ms": [statistics.median(health) * 1000],
        "peak allocations MiB": [peak / 2**20],
        **{f"analyse ms {p.name}": [analyse[p] * 1000] for p in files},
        **{f"in-process upload ms {p.name}": [t * 1000 for t in times[p]] for p in files},
        **{f"in-process upload cpu ms {p.name}": cpu[n :: len(files)] for n, p in enumerate(files)},
    }


def through_gunicorn(files: list[Path], counts: dict[Path, int]) -> dict[str, object]:
    with fresh_app().app_context():
        db.engine.dispose()
    with open(os.devnull, "w") as log, gunicorn(URL, log) as (process, port):
        counter = iter(range(10**6))

        def upload(club_name: str, body: bytes, content_type: str) -> float:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status, answer = request(
                connection,
                "POST",
                "/api/auth/register/coach",
                {"Content-Type": "application/json"},
                orjson.dumps(
                    {
                        "email": f"http{next(counter)}@example.com",
                        "password": "bench-password",
                        "full_name": "Bench Coach",
                        "club": {"club_name": club_name},
                    }
                ),
            )
            assert status == 201, answer[:300]
            headers = {
                "Authorization": f"Bearer {orjson.loads(answer)['token']}",
                "Content-Type": content_type,
            }
            started = time.perf_counter()
            status, answer = request(connection, "POST", "/api/coach/matches", headers, body)
            elapsed = time.perf_counter() - started
            connection.close()
            assert status == 201, answer[:300]
            return elapsed

        times = measure(files, upload)
        workers = [peak_rss_mib(pid) for pid in worker_pids(process)]
    print("through gunicorn (production config, 2 workers, HTTP over loopback):")
    report(times, counts, None)
    print(f"peak RSS of each gunicorn worker: {', '.join(f'{m:.0f} MiB' for m in workers)}")
    return {
        "gunicorn worker peak RSS MiB": [max(workers)],
        **{f"gunicorn upload ms {p.name}": [t * 1000 for t in times[p]] for p in files},
    }


def one_side() -> dict[str, object]:
    files = sorted(SHARED.glob("*.json"))
    if not files:
        sys.exit(f"no StatsBomb files in {SHARED}")
    counts = {path: len(orjson.loads(path.read_bytes())) for path in files}
    measures = in_process(files, counts)
    if os.environ.get("BENCH_GUNICORN", "1") != "0":  # BENCH_GUNICORN=0: in-process only
        print()
        measures.update(through_gunicorn(files, counts))
    return measures


def _side(tree: Path, out: Path) -> dict[str, list[float]]:
    """Run this script's measurements for the code in `tree`, in a process of its own."""
    environ = {**os.environ, "SPINTA_BENCH_TREE": str(tree), "SPINTA_BENCH_OUT": str(out)}
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve())],
        env=environ,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return json.loads(out.read_text())


def paired(revision: str, new_revision: str | None) -> None:
    """Baseline (REV) and this checkout (or `new_revision`), alternating, BENCH_ROUNDS rounds;
    medians, new/old."""
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    with tempfile.TemporaryDirectory(prefix="spinta-bench-") as folder:
        git = ["git", "-C", str(ROOT)]
        trees = {"old": (Path(folder, "baseline"), revision)}
        if new_revision is not None:
            trees["new"] = (Path(folder, "new"), new_revision)
        for tree, rev in trees.values():
            subprocess.run([*git, "worktree", "add", "--detach", str(tree), rev], check=True)
            (tree / ".venv").symlink_to(ROOT / ".venv")
        base = trees["old"][0]
        new = trees["new"][0] if new_revision is not None else ROOT
        try:
            samples: dict[str, dict[str, list[float]]] = {"old": {}, "new": {}}
            for number in range(rounds):
                order = (("old", base), ("new", new))
                for side, tree in order if number % 2 == 0 else order[::-1]:
                    print(f"round {number + 1}/{rounds}: {side}", file=sys.stderr)
                    for name, values in _side(tree, Path(folder, f"{side}.json")).items():
                        samples[side].setdefault(name, []).extend(values)
        finally:
            for tree, _ in trees.values():
                subprocess.run([*git, "worktree", "remove", "--force", str(tree)], check=False)
    label = new_revision or "the working tree"
    print(f"paired: {revision} (old) vs {label} (new), {rounds} rounds, medians")
    print(f"{'measure':62} {'old':>9} {'new':>9} {'new/old':>8}")
    worst = 0.0
    for name, old_values in samples["old"].items():
        old = statistics.median(old_values)
        new = statistics.median(samples["new"][name])
        worst = max(worst, new / old)
        flag = "  > 5% worse" if new > old * 1.05 else ""
        print(f"{name:62} {old:>9.2f} {new:>9.2f} {new / old:>8.3f}{flag}")
    print(f"worst new/old: {worst:.3f}")


def main() -> None:
    if "--baseline" in sys.argv:
        new = sys.argv[sys.argv.index("--new") + 1] if "--new" in sys.argv else None
        paired(sys.argv[sys.argv.index("--baseline") + 1], new)
        return
    measures = one_side()
    if os.environ.get("SPINTA_BENCH_OUT"):
        Path(os.environ["SPINTA_BENCH_OUT"]).write_text(json.dumps(measures))


if __name__ == "__main__":
    main()
