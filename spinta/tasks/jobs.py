"""The job tasks: a match upload and the re-analysis of one club.

Each takes a job id (text). It marks the job running, does the work and marks the job done in
the work's own transaction, so a message redelivered after a crash (``acks_late``) either finds
the job done and does nothing, or finds nothing committed and does it all again. An error a
request would have answered (a 409, a 422, ...) fails the job with that body. A lost database
connection is retried (up to 5 times, waiting 1, 2, 4, 8, 16 s); after that the job fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import structlog
from celery import Task, shared_task
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError

from spinta.errors import DomainError
from spinta.extensions import db
from spinta.models import Club, Job
from spinta.schemas.matches import UploadResultSchema, upload_body
from spinta.services import jobs, matches
from spinta.tasks import registry

log = structlog.get_logger(__name__)

UPLOAD = "spinta.upload_match"
REANALYSE = "spinta.reanalyse_club"
DATABASE_LOST = (OperationalError, InterfaceError, DisconnectionError)
MAX_RETRIES = 5
LOST_SENTENCE = "The database could not be reached; the job was given up after 5 retries."


def _fail_quietly(job_id: uuid.UUID, sentence: str) -> None:
    try:
        jobs.fail(job_id, sentence)
    except SQLAlchemyError:
        db.discard_session()
        log.warning("job_fail_not_recorded", job_id=str(job_id))


def run_job(task: Task, job_id: str, work: Callable[[Job], Any]) -> str:
    """Start the job, run ``work`` on it, and record any failure; returns what happened."""
    key = uuid.UUID(job_id)
    try:
        job = jobs.start(key)
        if job is None:
            return "skipped"  # finished already (a redelivered message) or deleted
        log.info("job_started", job_id=job_id, kind=job.kind, attempt=task.request.retries)
        work(job)
    except DATABASE_LOST as exc:
        db.discard_session()
        if task.request.retries < MAX_RETRIES:
            log.warning("job_database_lost", job_id=job_id, attempt=task.request.retries)
            raise task.retry(exc=exc, countdown=2**task.request.retries) from None
        _fail_quietly(key, LOST_SENTENCE)
        return "failed"
    except Exception as exc:
        log.exception("job_crashed", job_id=job_id)
        db.session.rollback()
        _fail_quietly(key, f"The job failed unexpectedly ({type(exc).__name__}).")
        return "failed"
    log.info("job_finished", job_id=job_id)
    return "finished"


@shared_task(name=UPLOAD, bind=True, acks_late=True, max_retries=MAX_RETRIES)
def upload_match(self: Task, job_id: str) -> str:
    """Store an uploaded match (``Prefer: respond-async``, ``import-match --queue``)."""
    return run_job(self, job_id, _upload)


def _upload(job: Job) -> None:
    upload = jobs.upload_from_payload(job.payload or b"")
    club = db.session.get(Club, job.club_id)

    def done(result: matches.ImportResult) -> None:
        jobs.finish(job, UploadResultSchema().dump(upload_body(result)))

    job_id = job.id
    try:
        result = matches.import_match(club=club, upload=upload, before_commit=done)
    except DomainError as exc:
        jobs.fail(job_id, exc)
        return
    registry.upload_committed(result.match.id, job.club_id)


@shared_task(name=REANALYSE, bind=True, acks_late=True, max_retries=MAX_RETRIES)
def reanalyse_club(self: Task, job_id: str) -> str:
    """Re-derive one club's statistics from its stored events (``flask spinta reanalyse``)."""
    return run_job(self, job_id, _reanalyse)


def _reanalyse(job: Job) -> None:
    job_id, club = job.id, db.session.get(Club, job.club_id)
    try:
        matches.reanalyse_club(
            club=club,
            progress=lambda done, total: jobs.report_progress(job_id, done / total),
            before_commit=lambda count: jobs.finish(job, {"matches": count}),
            skipped=lambda message: log.warning("reanalyse_skipped", message=message),
        )
    except DomainError as exc:
        jobs.fail(job_id, exc)
