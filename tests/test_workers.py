"""Slow suite: jobs through a real Redis broker and real ``flask spinta worker`` processes
(PostgreSQL, ``make test-slow``).

- An upload asked with ``Prefer: respond-async`` is queued (202, status queued) and stored by
  the worker; the job then holds the 201 body.
- A worker's pool process SIGKILLed in the middle of a re-analysis: the message was not
  acknowledged (acks_late), so it is redelivered, and the result equals an undisturbed run.

The broker is ``SPINTA_TEST_BROKER_URL`` (default redis://127.0.0.1:6379/7), each run on a queue
of its own whose keys are deleted afterwards. Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid
from datetime import date
from pathlib import Path

import orjson
import pytest
import redis
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench._harness import forget_queue, start_worker, stop_gunicorn, worker_environ
from config import ProductionConfig
from spinta.app import create_app
from spinta.extensions import db
from spinta.models import Job, MatchStatistics, PlayerMatchStatistics
from tests.conftest import POSTGRES_URL, statsbomb_file
from tests.factories import register_coach
from tests.world import HOME, tiny_match

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (SPINTA_TEST_DATABASE_URL)"),
]

BROKER = os.environ.get("SPINTA_TEST_BROKER_URL", "redis://127.0.0.1:6379/7")
DEADLINE = 120  # seconds any job may take here


@pytest.fixture
def broker():
    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.fail(f"Redis does not answer at {BROKER}")
    queue = f"jobs_slow_{uuid.uuid4().hex[:8]}"
    yield queue
    forget_queue(BROKER, queue)


@pytest.fixture
def workers_database():
    """A database of its own with the schema built (the worker processes use it too)."""
    url = make_url(POSTGRES_URL)
    name = f"{url.database}_workers"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    full = url.set(database=name).render_as_string(hide_password=False)
    yield full
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def queued_app(workers_database, broker):
    """The app as the web processes run it: production settings, queueing to the broker."""
    environ = worker_environ(workers_database, BROKER, broker, RATELIMIT_ENABLED="false")
    app = create_app(ProductionConfig(environ))
    with app.app_context():
        db.create_all(bind_key=None)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def worker(workers_database, broker, tmp_path):
    log = (tmp_path / "worker.log").open("wb")
    process = start_worker(workers_database, BROKER, broker, log, concurrency=1)
    yield process
    stop_gunicorn(process)  # SIGTERM, then SIGKILL: the same for a worker
    log.close()


def wait_for(check, what: str, *, deadline: float = DEADLINE, every: float = 0.02):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def job_row(app, job_id) -> Job:
    with app.app_context():
        return db.session.get(Job, uuid.UUID(str(job_id)))


def test_async_upload_is_stored_by_a_worker(queued_app, worker):
    client = queued_app.test_client()
    coach = register_coach(client, club_name=HOME["name"])
    response = client.post(
        "/api/coach/matches",
        data=orjson.dumps({"match_date": "2024-03-02", "statsbomb_events": tiny_match()}),
        content_type="application/json",
        headers={**coach.headers, "Prefer": "respond-async"},
    )
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["status"] == "queued"
    job_id = response.get_json()["job_id"]
    wait_for(lambda: job_row(queued_app, job_id).finished, "the upload job")
    job = client.get(response.headers["Location"], headers=coach.headers).get_json()
    assert job["status"] == "done", job
    match = client.get(f"/api/coach/matches/{job['result']['match_id']}", headers=coach.headers)
    assert match.status_code == 200


def _statistics(app) -> list[tuple]:
    """Every team and player statistic row, without its row id and timestamps (a re-analysis
    writes new rows)."""
    skip = {"id", "created_at", "updated_at"}
    rows = []
    with app.app_context():
        for model in (MatchStatistics, PlayerMatchStatistics):
            columns = [c for c in model.__table__.columns if c.name not in skip]
            rows += db.session.execute(select(*columns)).all()
    return sorted(tuple(str(value) for value in row) for row in rows)


def _pool_processes(process) -> set[int]:
    """The worker's pool processes (children of any of its threads, Linux /proc)."""
    pids: set[int] = set()
    for children in Path(f"/proc/{process.pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            pids.update(int(pid) for pid in children.read_text().split())
    return pids


def test_worker_killed_mid_job_redelivers_it_with_the_same_result(queued_app, worker):
    from spinta.services import jobs
    from spinta.services.matches import MatchUpload, import_match
    from spinta.tasks import enqueue
    from spinta.tasks.jobs import REANALYSE

    client = queued_app.test_client()
    coach = register_coach(client, club_name="Argentina")
    names = (
        "argentina-mexico-2022-11-26.json",
        "netherlands-argentina-2022-12-09.json",
        "argentina-croatia-2022-12-13.json",
    )
    with queued_app.app_context():
        from spinta.models import Club

        club = db.session.get(Club, uuid.UUID(coach.club_id))
        for name in names:
            events = orjson.loads(statsbomb_file(name).read_bytes())
            day = name.rsplit("-", 3)[-3:]
            played = date.fromisoformat("-".join(day).removesuffix(".json"))
            upload = MatchUpload(events=events, match_date=played)
            import_match(club=club, upload=upload)
    undisturbed = _statistics(queued_app)  # what the upload derived
    with queued_app.app_context():
        db.session.execute(text("UPDATE match_statistics SET total_shots = 999"))
        db.session.commit()
        job = jobs.create_job(club_id=uuid.UUID(coach.club_id), kind="reanalyse")
        job_id = job.id
        enqueue(REANALYSE, str(job_id))

    # Killed after its first match was re-analysed, before the job's transaction committed.
    wait_for(lambda: 0 < job_row(queued_app, job_id).progress < 1, "the first match", every=0.005)
    victims = _pool_processes(worker)
    assert len(victims) == 1
    os.kill(victims.pop(), signal.SIGKILL)
    assert job_row(queued_app, job_id).status == "running"

    wait_for(lambda: job_row(queued_app, job_id).finished, "the redelivered job")
    finished = job_row(queued_app, job_id)
    assert (finished.status, finished.result) == ("done", {"matches": 3})
    assert worker.poll() is None  # the worker lives on, with a new pool process
    assert _statistics(queued_app) == undisturbed


def test_reanalyse_queue_wait_follows_the_workers(queued_app, worker, workers_database, broker):
    import subprocess

    from bench._harness import ROOT

    client = queued_app.test_client()
    for _ in range(2):
        coach = register_coach(client, club_name=HOME["name"])
        response = client.post(
            "/api/coach/matches",
            data=orjson.dumps({"match_date": "2024-03-02", "statsbomb_events": tiny_match()}),
            content_type="application/json",
            headers=coach.headers,
        )
        assert response.status_code == 201
    environ = {
        **worker_environ(workers_database, BROKER, broker),
        "FLASK_APP": "wsgi:app",
    }
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), "spinta", "reanalyse", "--queue", "--wait"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Re-analysed 2 matches in 2 clubs." in done.stdout
    with queued_app.app_context():
        statuses = db.session.scalars(select(Job.status)).all()
    assert statuses == ["done", "done"]
