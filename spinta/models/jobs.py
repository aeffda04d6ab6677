"""Background jobs (spinta.tasks): what was asked, how far it got, and what came of it.

A row is written before its task is queued, so ``GET /api/coach/jobs/{id}`` answers from the
moment the id is handed out; the task moves it from queued to running to done or failed. A job
that finished is never run again (a redelivered message finds it done: idempotent).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from spinta.models.base import Base, JSONType, Timestamps, UUIDPrimaryKey

JOB_KINDS = ("upload", "reanalyse")
JOB_STATUSES = ("queued", "running", "done", "failed")
FINISHED = ("done", "failed")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Job(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(_in("status", JOB_STATUSES), name="status"),
        CheckConstraint(_in("kind", JOB_KINDS), name="kind"),
        CheckConstraint("progress >= 0 AND progress <= 1", name="progress"),
    )

    # The club whose data the job reads and writes; its coach alone sees the job.
    club_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), index=True
    )
    # The team an upload is for (None: a club-wide job, e.g. a re-analysis): a staff member
    # with the ``coach`` role sees only the jobs of his teams. No foreign key: a job row is a
    # transient record and must not stop a team's deletion.
    team_id: Mapped[uuid.UUID | None] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="queued", server_default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    # What the task needs that is not in the database yet (an upload's fields and events, as
    # JSON bytes); cleared when the job finishes.
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The answer the synchronous request would have given: the upload's 201 body ...
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # ... or its error body ({status, detail, message, ...}).
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED
