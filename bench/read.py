"""Benchmark: the coach's read screens served by gunicorn from PostgreSQL.

Loads the four shared matches into a fresh PostgreSQL database (SPINTA_BENCH_DATABASE_URL,
default postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench_read, re-created;
the three World Cup files for an "Argentina" club, Barcelona for a second coach), starts
``gunicorn wsgi:app`` (production config, 2 workers, a free loopback port) and measures with
16 keep-alive connections (BENCH_CONNECTIONS) from wrk when it is installed, else from Python
threads (BENCH_LOADGEN=wrk|python chooses), BENCH_SECONDS (10) per endpoint in
BENCH_ROUNDS (5) interleaved rounds (health, dashboard, match, player, health, ...), so that a
slow spell of a shared machine hits the baseline and the screens alike: requests per second and
p50 / p99 latency of GET /api/health (the baseline), /api/coach/dashboard,
/api/coach/matches/{id} and /api/coach/players/{id}, and each one's throughput as a share of the
health throughput of the same round (median over the rounds). gunicorn is stopped at the end,
also on error.

Paired before/after: ``BENCH_BASELINE=/path/to/checkout`` (e.g. a ``git worktree`` of the baseline
revision) starts a second gunicorn that serves that checkout's code (``--chdir``) from its own
database (the same name + ``_baseline``, loaded by the baseline's own ``load_matches``, so a schema
change between the two does not matter); every round then measures each endpoint on both servers,
alternating which goes first, and a last table gives each endpoint's median over the rounds of the
throughput ratio (this code / baseline) and both sides' p50. ``BENCH_PORT`` fixes the port (the
baseline gets the next one); ``BENCH_SCREEN_CACHE_ENTRIES`` is passed to both servers as
``SCREEN_CACHE_ENTRIES`` (0 measures the uncached screens).
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench._harness import (  # noqa: E402
    free_port,
    fresh_database,
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
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
# wrk (Debian package "wrk") when installed, else Python threads (BENCH_LOADGEN=python|wrk).
LOADGEN = os.environ.get("BENCH_LOADGEN") or ("wrk" if shutil.which("wrk") else "python")
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
WARMUP = 20  # requests per endpoint before measuring
BASELINE = os.environ.get("BENCH_BASELINE")
PORT = int(os.environ.get("BENCH_PORT") or 0)
CACHE_ENTRIES = os.environ.get("BENCH_SCREEN_CACHE_ENTRIES")
PASSWORD = "bench-read-password"
FILES = {
    "argentina-mexico-2022-11-26.json": ("Argentina", "2022-11-26"),
    "netherlands-argentina-2022-12-09.json": ("Argentina", "2022-12-09"),
    "argentina-croatia-2022-12-13.json": ("Argentina", "2022-12-13"),
    "barcelona-alaves-2018-08-18.json": ("Barcelona", "2018-08-18"),
}


# ---------------------------------------------------------------- data


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


@dataclass
class Round:
    requests: int
    seconds: float
    p50: float  # seconds
    p99: float


def measure_python(port: int, path: str, headers: dict[str, str], seconds: float) -> Round:
    """CONNECTIONS threads on keep-alive ``http.client`` connections hammer one path."""
    latencies: list[list[float]] = [[] for _ in range(CONNECTIONS)]
    errors: list[str] = []
    start = threading.Barrier(CONNECTIONS + 1)
    deadline = [0.0]

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = latencies[n]
        start.wait()
        try:
            while time.perf_counter() < deadline[0]:
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

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join(seconds + 15)
    elapsed = time.perf_counter() - began
    if errors:
        raise RuntimeError(errors[0])
    flat = sorted(x for mine in latencies for x in mine)
    p99 = flat[min(len(flat) - 1, int(len(flat) * 0.99))]
    return Round(len(flat), elapsed, statistics.median(flat), p99)


_WRK_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0}


def _wrk_seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _WRK_UNITS[unit]


def measure_wrk(
    port: int, path: str, headers: dict[str, str], seconds: float, connections: int = 0
) -> Round:
    """wrk (2 threads, CONNECTIONS keep-alive connections, or ``connections``): a C client, so
    the load generator takes far less of the 2 cores the server runs on than Python threads
    do. The headers (the Authorization bearer token) go in with wrk's -H."""
    connections = connections or CONNECTIONS
    threads = min(2, connections)
    # wrk takes whole seconds only ("1.5s" is a usage error): at least 1
    duration = max(1, round(seconds))
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"{path}: wrk saw failed requests:\n{output}")
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)$", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)$", output, re.MULTILINE)
    return Round(
        int(done.group(1)),
        _wrk_seconds(done.group(2) + done.group(3)),
        _wrk_seconds(p50.group(1)),
        _wrk_seconds(p99.group(1)),
    )


MEASURE = {"wrk": measure_wrk, "python": measure_python}


def warm_up(port: int, path: str, headers: dict[str, str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(WARMUP):
        status, raw = request(conn, "GET", path, headers)
        assert status == 200, (path, status, raw[:200])
    conn.close()


Target = tuple[str, int, str, dict]  # label, port, path, headers


def run_rounds(targets: list[Target], pairs: int = 1) -> dict[str, dict[str, Any]]:
    """ROUNDS rounds over every target. Per target: requests, req/s over all rounds, the medians
    of the rounds' p50 and p99, the worst round's p99, the median of the rounds' throughput as a
    share of that round's health throughput on the same server, and the rounds themselves.

    ``pairs`` > 1: the targets are groups of ``pairs`` (the same endpoint on each server), and
    the order within a group alternates from round to round."""
    measure = MEASURE[LOADGEN]
    rounds: dict[str, list[Round]] = {label: [] for label, _, _, _ in targets}
    shares: dict[str, list[float]] = {label: [] for label in rounds}
    groups = [targets[n : n + pairs] for n in range(0, len(targets), pairs)]
    for number in range(ROUNDS):
        for group in groups:
            for label, port, path, headers in group[:: -1 if number % 2 else 1]:
                rounds[label].append(measure(port, path, headers, SECONDS / ROUNDS))
        rate = {label: done[-1].requests / done[-1].seconds for label, done in rounds.items()}
        for n, (label, *_rest) in enumerate(targets):
            health = targets[n % pairs][0]
            shares[label].append(rate[label] / rate[health])
    return {
        label: {
            "requests": sum(r.requests for r in done),
            "rps": sum(r.requests for r in done) / sum(r.seconds for r in done),
            "p50": statistics.median(r.p50 for r in done),
            "p99": statistics.median(r.p99 for r in done),
            "p99_worst": max(r.p99 for r in done),
            "share": statistics.median(shares[label]),
            "rounds": done,
        }
        for label, done in rounds.items()
    }


def print_results(results: dict[str, dict[str, Any]]) -> None:
    print(
        f"{'endpoint':38} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'worst p99':>10} {'vs health':>10}"
    )
    for label, result in results.items():
        print(
            f"{label:38} {result['requests']:>9} {result['rps']:>8.0f} "
            f"{result['p50'] * 1000:>8.2f} {result['p99'] * 1000:>8.2f} "
            f"{result['p99_worst'] * 1000:>10.2f} {result['share']:>10.2f}"
        )


def print_pairs(results: dict[str, dict[str, Any]], endpoints: list[str]) -> None:
    """Per endpoint: the median over the rounds of (this code's req/s / the baseline's) in
    the same round, and both sides' median p50."""
    print(
        f"\n{'endpoint (paired, medians of rounds)':38} {'base p50':>9} {'new p50':>8} "
        f"{'base req/s':>11} {'new req/s':>10} {'new/base':>9}"
    )
    for endpoint in endpoints:
        base, new = results[f"base {endpoint}"], results[f"new  {endpoint}"]
        ratios = [
            (n.requests / n.seconds) / (b.requests / b.seconds)
            for b, n in zip(base["rounds"], new["rounds"], strict=True)
        ]
        print(
            f"{endpoint:38} {base['p50'] * 1000:>9.2f} {new['p50'] * 1000:>8.2f} "
            f"{statistics.median(b.requests / b.seconds for b in base['rounds']):>11.0f} "
            f"{statistics.median(n.requests / n.seconds for n in new['rounds']):>10.0f} "
            f"{statistics.median(ratios):>9.3f}"
        )


def endpoints(ids: dict[str, str], auth: dict[str, str]) -> list[tuple[str, str, dict]]:
    return [
        ("GET /api/health", "/api/health", {}),
        ("GET /api/coach/dashboard", "/api/coach/dashboard", auth),
        ("GET /api/coach/matches/{id}", f"/api/coach/matches/{ids['match_id']}", auth),
        ("GET /api/coach/players/{id}", f"/api/coach/players/{ids['player_id']}", auth),
    ]


def baseline_url() -> str:
    url = make_url(URL)
    return url.set(database=f"{url.database}_baseline").render_as_string(hide_password=False)


def load_baseline(url: str) -> dict[str, str]:
    """The baseline's database, loaded by the baseline's own code (its schema may differ)."""
    tree = str(Path(BASELINE).resolve())
    code = (
        "import json, sys; sys.path[:0] = [sys.argv[1]]; from bench.read import load_matches; "
        "print(json.dumps(load_matches(sys.argv[2])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, tree, url],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_servers(log, ports: list[int]) -> list[subprocess.Popen]:
    """This checkout on ports[0]; with BENCH_BASELINE, the baseline checkout on ports[1]."""
    # One secret for both servers: the token signed in on one is valid on the other.
    env = {"SECRET_KEY": secrets.token_urlsafe(48)}
    if CACHE_ENTRIES is not None:
        env["SCREEN_CACHE_ENTRIES"] = CACHE_ENTRIES
    processes = [start_gunicorn(URL, ports[0], log, **env)]
    if BASELINE:
        chdir = f"--chdir {Path(BASELINE).resolve()}"
        processes.append(
            start_gunicorn(baseline_url(), ports[1], log, GUNICORN_CMD_ARGS=chdir, **env)
        )
    return processes


def main() -> None:
    if not all((SHARED / name).exists() for name in FILES):
        sys.exit(f"the shared StatsBomb files are missing from {SHARED}")
    fresh_database(URL)
    ids = load_matches(URL)
    if BASELINE:
        fresh_database(baseline_url())
        base_ids = load_baseline(baseline_url())
    ports = [PORT, PORT + 1] if PORT else [free_port(), free_port()]
    with tempfile.TemporaryFile(mode="w+") as log:
        processes = start_servers(log, ports)
        try:
            for process, port in zip(processes, ports, strict=False):
                wait_ready(process, port)
            auth = {"Authorization": f"Bearer {login(ports[0], ids['email'])}"}
            sides = [("new  ", ports[0], endpoints(ids, auth))]
            if BASELINE:
                base_auth = {"Authorization": f"Bearer {login(ports[1], base_ids['email'])}"}
                sides.append(("base ", ports[1], endpoints(base_ids, base_auth)))
            targets = [
                (f"{side}{screens[index][0]}" if BASELINE else screens[index][0], port, path, head)
                for index in range(len(sides[0][2]))
                for side, port, screens in sides
                for _, path, head in [screens[index]]
            ]
            print(f"database: {make_url(URL).render_as_string(hide_password=True)}")
            print(
                f"gunicorn wsgi:app, 2 gevent workers, 127.0.0.1:{ports[0]}"
                + (f" (baseline {BASELINE} on {ports[1]})" if BASELINE else "")
                + f"; load: {LOADGEN}, {CONNECTIONS} connections, {SECONDS:g} s per endpoint "
                f"in {ROUNDS} interleaved rounds; p50, p99: medians of the rounds"
                + (f"; SCREEN_CACHE_ENTRIES={CACHE_ENTRIES}" if CACHE_ENTRIES is not None else "")
            )
            for _label, port, path, headers in targets:
                warm_up(port, path, headers)
            results = run_rounds(targets, pairs=len(sides))
            print_results(results)
            if BASELINE:
                print_pairs(results, [label for label, _, _ in endpoints(ids, auth)])
        except BaseException:
            log.seek(0)
            sys.stderr.write("gunicorn output (last lines):\n" + "".join(log.readlines()[-20:]))
            raise
        finally:
            for process in processes:
                stop_gunicorn(process)


if __name__ == "__main__":
    main()
