"""Jobs: the rows that say what a background task must do and what came of it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import orjson
from sqlalchemy import update

from spinta.errors import DomainError, NotFound
from spinta.extensions import db
from spinta.models import Club, Job
from spinta.services.matches import MatchUpload
from spinta.services.teams import club_team
from spinta.store.events import StoredEvent

NOT_FOUND = "Job not found."


def create_job(*, club_id: uuid.UUID, kind: str, payload: bytes | None = None, team_id=None) -> Job:
    """A queued job, committed (so its id can be handed out before the task is queued)."""
    job = Job(
        id=uuid.uuid4(), club_id=club_id, team_id=team_id, kind=kind, status="queued", progress=0.0
    )
    job.payload = payload
    db.session.add(job)
    db.session.commit()
    return job


def get_club_job(*, club: Club, job_id: uuid.UUID, teams=None) -> Job:
    """The club's job; another club's (or no such) job -> 404. With ``teams`` (a staff member
    with the ``coach`` role): only a job of one of those teams, else the same 404."""
    job = db.session.get(Job, job_id)
    if job is None or job.club_id != club.id or (teams is not None and job.team_id not in teams):
        raise NotFound(NOT_FOUND)
    return job


def start(job_id: uuid.UUID) -> Job | None:
    """Mark the job running (committed) and return it; None when it is gone or finished, so a
    redelivered message does nothing."""
    job = db.session.get(Job, job_id, with_for_update=True)
    if job is None or job.finished:
        db.session.rollback()
        return None
    job.status = "running"
    db.session.commit()
    return job


def finish(job: Job, result: dict[str, Any] | None = None) -> None:
    """Mark the job done in the caller's transaction: it commits with the work itself."""
    db.session.execute(
        update(Job)
        .where(Job.id == job.id)
        .values(status="done", progress=1.0, result=result, error=None, payload=None)
    )


def fail(job_id: uuid.UUID, error: DomainError | str) -> None:
    """Mark the job failed with the error body the synchronous request would have answered."""
    if isinstance(error, DomainError):
        body = {
            "status": error.status,
            "detail": error.detail,
            "message": error.detail,
            **({"errors": dict(error.errors)} if error.errors else {}),
            **{key: str(value) for key, value in error.extra.items()},
        }
    else:
        body = {"status": 500, "detail": error, "message": error}
    db.session.rollback()
    db.session.execute(
        update(Job).where(Job.id == job_id).values(status="failed", error=body, payload=None)
    )
    db.session.commit()


def report_progress(job_id: uuid.UUID, progress: float) -> None:
    """Record progress while the job's own transaction is still open: on a connection of its
    own (PostgreSQL). SQLite writes one transaction at a time, so there the progress shows
    when the job commits."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as connection:
        connection.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "running")
            .values(progress=min(max(progress, 0.0), 1.0))
        )


# ---------------------------------------------------------------- what an upload job carries


def upload_payload(upload: MatchUpload) -> bytes:
    """An upload's typed fields and events as JSON bytes (the worker may be another machine);
    an event read as its file was parsed is written as the JSON it will be stored as."""
    fields = {name: getattr(upload, name) for name in _UPLOAD_FIELDS}
    fields["match_date"] = upload.match_date.isoformat()
    fields["team_id"] = str(upload.team_id) if upload.team_id else None
    return orjson.dumps({"fields": fields, "events": upload.events}, default=_stored_json)


def _stored_json(value: Any) -> orjson.Fragment:
    stored = getattr(value, "stored", None)
    if isinstance(stored, StoredEvent):
        return orjson.Fragment(stored.data)
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


def upload_from_payload(payload: bytes) -> MatchUpload:
    data = orjson.loads(payload)
    fields = data["fields"]
    fields["match_date"] = date.fromisoformat(fields["match_date"])
    fields["team_id"] = uuid.UUID(fields["team_id"]) if fields.get("team_id") else None
    return MatchUpload(events=data["events"], **fields)


_UPLOAD_FIELDS = (
    "match_date",
    "opponent_name",
    "our_score",
    "opponent_score",
    "opponent_logo_url",
    "allow_same_day",
    "events_field",
    "team_id",
)


def create_upload_job(*, club: Club, upload: MatchUpload) -> Job:
    team_id = club_team(club.id, upload.team_id).id  # the default team when none is named
    return create_job(
        club_id=club.id, kind="upload", payload=upload_payload(upload), team_id=team_id
    )
