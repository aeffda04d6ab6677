"""Re-analysis throughput with 1, 2 (and more) Celery worker processes (issue 21).

Seeds a fresh PostgreSQL database (``SPINTA_BENCH_DATABASE_URL``, default
postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench_reanalyse) with ``BENCH_MATCHES``
(200) stored matches of the shared StatsBomb files: clubs "Argentina" with its three files and
clubs "Barcelona" with one. Then, for each worker count in ``BENCH_WORKERS`` (default 1,2),
it starts that many ``flask spinta worker --concurrency=1`` processes (as separate machines
would run them) on a Redis broker (``BENCH_BROKER_URL``, default redis://127.0.0.1:6379/7; a
queue of its own, deleted afterwards), queues one re-analysis job per club, as
``flask spinta reanalyse --queue`` does, and times until every job is done.
Prints matches per second and the ratio to one worker.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import (
    ROOT,
    forget_queue,
    fresh_database,
    start_worker,
    stop_gunicorn,
    worker_environ,
)

DATABASE = os.environ.get(
    "SPINTA_BENCH_DATABASE_URL",
    "postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench_reanalyse",
)
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/7")
MATCHES = int(os.environ.get("BENCH_MATCHES", "200"))
WORKERS = [int(n) for n in os.environ.get("BENCH_WORKERS", "1,2").split(",")]
SHARED = ROOT.parent / "shared" / "statsbomb"
ARGENTINA = (
    "argentina-mexico-2022-11-26.json",
    "netherlands-argentina-2022-12-09.json",
    "argentina-croatia-2022-12-13.json",
)
BARCELONA = ("barcelona-alaves-2018-08-18.json",)


def _file_date(name: str) -> date:
    return date.fromisoformat(name.removesuffix(".json")[-10:])


def seed(app) -> int:
    """Clubs with their matches, until MATCHES are stored; returns the number of clubs."""
    from spinta.extensions import db
    from spinta.models import Club
    from spinta.services.auth import register_coach
    from spinta.services.matches import MatchUpload, import_match

    files = {name: orjson.loads((SHARED / name).read_bytes()) for name in ARGENTINA + BARCELONA}
    stored = clubs = 0
    with app.app_context():
        while stored < MATCHES:
            names = ARGENTINA if clubs % 2 == 0 else BARCELONA
            names = names[: MATCHES - stored]
            session = register_coach(
                email=f"bench{clubs}@example.com",
                password="bench-password-long",
                full_name="Bench Coach",
                club={"club_name": "Argentina" if names[0] in ARGENTINA else "Barcelona"},
            )
            club = db.session.get(Club, session.user.coach.club.id)
            for name in names:
                upload = MatchUpload(events=files[name], match_date=_file_date(name))
                import_match(club=club, upload=upload)
                stored += 1
            clubs += 1
    return clubs


def wait_for_workers(app, count: int) -> None:
    from spinta.tasks import celery_app

    for _ in range(300):
        if len(celery_app(app).control.ping(timeout=0.5)) >= count:
            return
    raise RuntimeError("the workers did not start")


def run(app, workers: int, queue: str) -> float:
    """Seconds for ``workers`` worker processes to re-analyse every club."""
    with tempfile.TemporaryFile() as log:
        processes = [start_worker(DATABASE, BROKER, queue, log) for _ in range(workers)]
        try:
            wait_for_workers(app, workers)
            return _timed(app)
        finally:
            for process in processes:
                stop_gunicorn(process)


def _timed(app) -> float:
    """Queue one re-analysis job per club and wait until all are done."""
    from sqlalchemy import func, select

    from spinta.extensions import db
    from spinta.models import Club, Job
    from spinta.services import jobs
    from spinta.tasks import enqueue
    from spinta.tasks.jobs import REANALYSE

    def count(*statuses: str) -> int:
        found = db.session.scalar(
            select(func.count()).where(Job.id.in_(created), Job.status.in_(statuses))
        )
        db.session.rollback()
        return found

    with app.app_context():
        club_ids = db.session.scalars(select(Club.id)).all()
        created = [jobs.create_job(club_id=cid, kind="reanalyse").id for cid in club_ids]
        started = time.perf_counter()
        for job_id in created:
            enqueue(REANALYSE, str(job_id))
        while count("done", "failed") < len(created):
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        if count("failed"):
            raise RuntimeError(f"{count('failed')} jobs failed")
    return elapsed


def main() -> int:
    from config import ProductionConfig
    from spinta.app import create_app
    from spinta.extensions import db

    fresh_database(DATABASE)
    queue = f"jobs_bench_{uuid.uuid4().hex[:8]}"
    app = create_app(ProductionConfig(worker_environ(DATABASE, BROKER, queue)))
    with app.app_context():
        db.create_all()
    started = time.perf_counter()
    clubs = seed(app)
    print(f"database: {DATABASE}; broker: {BROKER} (queue {queue})")
    print(
        f"seeded {MATCHES} matches in {clubs} clubs in {time.perf_counter() - started:.0f} s; "
        f"{os.cpu_count()} cores; one job per club, flask spinta worker --concurrency=1 each"
    )
    print(f"{'workers':>7} {'seconds':>8} {'matches/s':>10} {'vs 1 worker':>12}")
    base = None
    try:
        for count in WORKERS:
            seconds = run(app, count, queue)
            rate = MATCHES / seconds
            base = base or rate
            print(f"{count:>7} {seconds:>8.1f} {rate:>10.2f} {rate / base:>11.2f}x", flush=True)
    finally:
        forget_queue(BROKER, queue)
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
