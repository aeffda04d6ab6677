"""Slow suites against a real gunicorn + PostgreSQL on loopback (``make test-slow``).

- Load: 32 clients for LOAD_SECONDS (60) mixing logins, dashboard, match detail, player
  detail and uploads: zero errors, worker memory stable; p50/p99 per endpoint in the terminal
  summary and bench/slow-report.txt.
- A worker killed (SIGKILL) in the middle of an upload leaves either the whole match or
  nothing, and the service goes on serving.
Traffic goes to 127.0.0.1 only; every loop is bounded in time and in count.
"""

from __future__ import annotations

import http.client
import itertools
import os
import random
import statistics
import subprocess
import threading
import time
import uuid
from collections import defaultdict
from datetime import date, timedelta

import orjson
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench._harness import gunicorn, request, rss_mib, worker_pids
from config import TestingConfig
from spinta.app import create_app
from spinta.extensions import db
from spinta.models import Event, Match, MatchStatistics, PlayerMatchStatistics
from tests.analytics.analytics_builder import AWAY, HOME, MatchBuilder
from tests.conftest import POSTGRES_URL, statsbomb_file

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (SPINTA_TEST_DATABASE_URL)"),
]

LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
LOAD_CLIENTS = 32
MAX_REQUESTS = 200_000
PASSWORD = "load-test-password"


@pytest.fixture
def load_database():
    """A database of its own next to the test database, with the schema built."""
    url = make_url(POSTGRES_URL)
    name = f"{url.database}_load"
    admin = create_engine(
        url.set(database="postgres"), isolation_level="AUTOCOMMIT", pool_pre_ping=True
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    full = url.set(database=name).render_as_string(hide_password=False)
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": full, "LOG_LEVEL": "WARNING"}))
    with app.app_context():
        db.create_all(bind_key=None)
    yield full, app
    with app.app_context():
        db.engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def tiny_match(tag: str) -> bytes:
    """A small valid match whose event ids are unique to ``tag`` (a new fingerprint)."""
    builder = MatchBuilder(HOME, AWAY)
    builder.pass_(HOME, 5, at=10, goal_assist=True)
    builder.shot(HOME, 9, "Goal", at=20)
    builder.end_period(1, 2700)
    for event in builder.events:
        event["id"] = f"{tag}-{event['id']}"
    return orjson.dumps(builder.events)


def match_day(n: int) -> str:
    """A date of its own for the n-th generated match: the same opponent on the same day would
    be refused as a same-day duplicate (409)."""
    return (date(2024, 2, 1) + timedelta(days=n)).isoformat()


def multipart(raw: bytes, match_date: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="match_date"\r\n\r\n'
            f"{match_date}\r\n--{boundary}\r\n"
            'Content-Disposition: form-data; name="events_file"; filename="e.json"\r\n'
            "Content-Type: application/json\r\n\r\n"
        ).encode()
        + raw
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def json_post(conn, path, payload, headers=None):
    return request(
        conn,
        "POST",
        path,
        {"Content-Type": "application/json", **(headers or {})},
        orjson.dumps(payload),
    )


def seed(port: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, raw = json_post(
        conn,
        "/api/auth/register/coach",
        {
            "email": "load@example.com",
            "password": PASSWORD,
            "full_name": "Load Coach",
            "club": {"club_name": "Home FC"},
        },
    )
    assert status == 201, raw
    token = orjson.loads(raw)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    body, content_type = multipart(tiny_match("seed"), "2024-01-01")
    status, raw = request(
        conn, "POST", "/api/coach/matches", {**headers, "Content-Type": content_type}, body
    )
    assert status == 201, raw
    match_id = orjson.loads(raw)["match_id"]
    status, raw = request(conn, "GET", "/api/coach/players", headers)
    player_id = orjson.loads(raw)["players"][0]["player_id"]
    conn.close()
    return {"headers": headers, "match": match_id, "player": player_id}


def test_load_mix_has_no_errors_and_stable_memory(load_database, tmp_path, slow_report):
    url, _app = load_database
    counter = itertools.count()
    with (
        open(tmp_path / "gunicorn.log", "w+") as log,
        gunicorn(url, log, workers=2) as (
            process,
            port,
        ),
    ):
        world = seed(port)
        headers = world["headers"]
        mix = ["dashboard"] * 30 + ["match"] * 25 + ["player"] * 25 + ["login"] * 15
        mix += ["upload"] * 5
        random.Random(0).shuffle(mix)  # interleaved, the same every run
        latencies: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        lock = threading.Lock()
        issued = iter(range(MAX_REQUESTS))
        start = threading.Barrier(LOAD_CLIENTS + 1)
        deadline = [0.0]
        memory: list[list[float]] = []

        def call(conn, kind):
            if kind == "dashboard":
                return request(conn, "GET", "/api/coach/dashboard", headers), 200
            if kind == "match":
                return request(conn, "GET", f"/api/coach/matches/{world['match']}", headers), 200
            if kind == "player":
                return request(conn, "GET", f"/api/coach/players/{world['player']}", headers), 200
            if kind == "login":
                return json_post(
                    conn, "/api/auth/login", {"email": "load@example.com", "password": PASSWORD}
                ), 200
            n = next(counter)
            body, content_type = multipart(tiny_match(f"load{n}"), match_day(n))
            return request(
                conn, "POST", "/api/coach/matches", {**headers, "Content-Type": content_type}, body
            ), 201

        def client(n: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            kinds = itertools.cycle(mix[n % len(mix) :] + mix[: n % len(mix)])
            start.wait()
            try:
                while time.perf_counter() < deadline[0]:
                    with lock:
                        if next(issued, None) is None:
                            break
                    kind = next(kinds)
                    began = time.perf_counter()
                    (status, raw), expected = call(conn, kind)
                    elapsed = time.perf_counter() - began
                    with lock:
                        latencies[kind].append(elapsed)
                        if status != expected:
                            errors.append(f"{kind}: HTTP {status} {raw[:200]!r}")
            except Exception as exc:
                with lock:
                    errors.append(f"client {n}: {exc!r}")
            finally:
                conn.close()

        threads = [
            threading.Thread(target=client, args=(n,), daemon=True) for n in range(LOAD_CLIENTS)
        ]
        for thread in threads:
            thread.start()
        began = time.perf_counter()
        deadline[0] = began + LOAD_SECONDS
        start.wait()
        # Worker memory a quarter in and at the end (both workers), without disturbing them.
        checkpoints = [began + LOAD_SECONDS * 0.25, deadline[0]]
        for checkpoint in checkpoints:
            for thread in threads:
                thread.join(max(0.0, checkpoint - time.perf_counter()))
            memory.append([rss_mib(pid) for pid in worker_pids(process)])
        for thread in threads:
            thread.join(30)
        elapsed = time.perf_counter() - began

    total = sum(len(v) for v in latencies.values())
    lines = [f"{total} requests in {elapsed:.1f} s, {total / elapsed:.0f} req/s"]
    for kind, values in sorted(latencies.items()):
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        lines.append(
            f"  {kind:10} n={len(values):6}  p50={statistics.median(values) * 1000:7.1f} ms"
            f"  p99={p99 * 1000:7.1f} ms"
        )
    lines.append(f"  worker RSS MiB at 25%: {memory[0]}, at the end: {memory[-1]}")
    slow_report(f"load: {LOAD_CLIENTS} clients, p50/p99 per endpoint", lines)
    assert not errors, errors[:5]
    assert total > LOAD_CLIENTS
    assert set(latencies) == set(mix)
    early, late = sum(memory[0]), sum(memory[-1])
    assert late - early < 60, (early, late)  # no leak: bounded growth over the run


def test_worker_killed_mid_upload_leaves_all_or_nothing(load_database, tmp_path):
    url, app = load_database
    raw = statsbomb_file("netherlands-argentina-2022-12-09.json").read_bytes()
    expected_events = len({event["id"] for event in orjson.loads(raw)})
    name = make_url(url).database
    watcher = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with (
        open(tmp_path / "gunicorn.log", "w+") as log,
        gunicorn(url, log, workers=1) as (
            process,
            port,
        ),
    ):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        status, body = json_post(
            conn,
            "/api/auth/register/coach",
            {
                "email": "kill@example.com",
                "password": PASSWORD,
                "full_name": "Kill Coach",
                "club": {"club_name": "Argentina"},
            },
        )
        assert status == 201, body
        headers = {"Authorization": f"Bearer {orjson.loads(body)['token']}"}
        payload, content_type = multipart(raw, "2022-12-09")
        outcome: list[object] = []

        def send():
            try:
                outcome.append(
                    request(
                        conn,
                        "POST",
                        "/api/coach/matches",
                        {**headers, "Content-Type": content_type},
                        payload,
                    )
                )
            except Exception as exc:
                outcome.append(exc)

        (worker,) = worker_pids(process)
        thread = threading.Thread(target=send)
        thread.start()
        # Wait (bounded) until the worker is writing the upload, then kill it.
        seen = False
        with watcher.connect() as admin:
            for _ in range(20_000):
                seen = (
                    admin.execute(
                        text(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = :n AND "
                            "state <> 'idle' AND "
                            "(query ILIKE 'COPY events%' OR query ILIKE 'INSERT%')"
                        ),
                        {"n": name},
                    ).scalar_one()
                    > 0
                )
                if seen or outcome:
                    break
        os.kill(worker, 9)
        thread.join(30)
        conn.close()
        assert seen, "the upload finished before it could be interrupted"
        assert outcome and not (isinstance(outcome[0], tuple) and outcome[0][0] == 201)

        # The database holds the whole match or nothing.
        with app.app_context():
            matches = db.session.scalar(select(func.count(Match.id)))
            assert matches in (0, 1)
            if matches:
                assert db.session.scalar(select(func.count(Event.ordinal))) == expected_events
                assert db.session.scalar(select(func.count(MatchStatistics.id))) == 2
                assert db.session.scalar(select(func.count(PlayerMatchStatistics.id))) > 22
            else:
                assert db.session.scalar(select(func.count(Event.ordinal))) == 0
            db.session.remove()

        # gunicorn replaces the worker; the master keeps listening, so a new connection simply
        # waits in the backlog until the new worker answers (no polling needed).
        again = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        status, _ = request(again, "GET", "/api/health/ready", {})
        assert status == 200
        status, body = request(
            again, "POST", "/api/coach/matches", {**headers, "Content-Type": content_type}, payload
        )
        again.close()
        assert status == (409 if matches else 201), body
    watcher.dispose()
    with app.app_context():
        assert db.session.scalar(select(func.count(Match.id))) == 1
        assert db.session.scalar(select(func.count(Event.ordinal))) == expected_events
        db.session.remove()


def _restart_postgres() -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        timeout=120,
        capture_output=True,
    )


@pytest.mark.skipif(
    not os.environ.get("SPINTA_TEST_DB_RESTART"),
    reason="restarts the local PostgreSQL server; set SPINTA_TEST_DB_RESTART=1 (CI does)",
)
def test_database_restart_under_load(load_database, tmp_path, slow_report):
    """PostgreSQL restarts while clients read and upload: requests during the outage fail
    cleanly (JSON 5xx, never a hang), the workers recover by themselves (the checkout ping), and
    no match is left partial."""
    url, app = load_database
    counter = itertools.count()
    with (
        open(tmp_path / "gunicorn.log", "w+") as log,
        gunicorn(url, log, workers=2) as (
            _process,
            port,
        ),
    ):
        world = seed(port)
        headers = world["headers"]
        stop = threading.Event()
        statuses: list[int] = []
        problems: list[str] = []
        lock = threading.Lock()

        def client(n: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for i in range(20_000):  # bounded; stopped by the event long before
                if stop.is_set():
                    break
                try:
                    if i % 10 == n % 10:
                        n = next(counter)
                        body, content_type = multipart(tiny_match(f"r{n}"), match_day(n))
                        status, raw = request(
                            conn,
                            "POST",
                            "/api/coach/matches",
                            {**headers, "Content-Type": content_type},
                            body,
                        )
                    else:
                        status, raw = request(conn, "GET", "/api/coach/dashboard", headers)
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        problems.append(repr(exc))
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    continue
                with lock:
                    statuses.append(status)
                    if status >= 500 and b'"detail"' not in raw:
                        problems.append(f"non-JSON {status}: {raw[:300]!r}")
            conn.close()

        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(8)]
        for thread in threads:
            thread.start()
        _restart_postgres()
        # Recovery without restarting gunicorn: soon every request succeeds again.
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        recovered = False
        for _ in range(400):  # bounded
            status, _ = request(probe, "GET", "/api/coach/dashboard", headers)
            if status == 200:
                recovered = True
                break
        assert recovered, "the service did not recover after the database restart"
        after = [request(probe, "GET", "/api/coach/dashboard", headers)[0] for _ in range(50)]
        ready = request(probe, "GET", "/api/health/ready", {})[0]
        probe.close()
        stop.set()
        for thread in threads:
            thread.join(60)

    failed = len([s for s in statuses if s >= 500])
    slow_report(
        "PostgreSQL restarted under load",
        [
            f"{len(statuses)} answers, {failed} failed cleanly (JSON 5xx), "
            f"{len(problems)} connection problems"
        ],
    )
    assert set(after) == {200} and ready == 200
    assert not [p for p in problems if p.startswith("non-JSON")], problems[:5]
    assert statuses.count(200) + statuses.count(201) > 0
    with app.app_context():
        db.engine.dispose()  # its pooled connections died with the restart
        partial = db.session.scalar(
            select(func.count(Match.id)).where(
                ~Match.id.in_(select(MatchStatistics.match_id))
                | ~Match.id.in_(select(Event.match_id))
            )
        )
        assert partial == 0
        db.session.remove()
