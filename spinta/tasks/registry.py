"""Where other features plug their background work in: tasks run after every upload, and
tasks run on a schedule by Celery beat (``flask spinta beat``).

A feature adds a module of tasks, names it in :data:`TASK_MODULES` (the app factory imports
them) and marks its tasks there::

    # spinta/tasks/reports.py
    from celery import shared_task
    from spinta.tasks.registry import after_upload, scheduled

    @after_upload
    @shared_task(name="spinta.prerender_match", acks_late=True)
    def prerender_match(match_id: str, club_id: str) -> None:
        ...  # e.g. render the match's charts and reports once, after the upload committed

    @scheduled("retention-purge", crontab(hour=3, minute=15))   # celery.schedules.crontab
    @shared_task(name="spinta.purge", acks_late=True)
    def purge() -> None:
        ...  # e.g. what ``flask spinta purge`` does

- An after-upload task is queued with ``(match_id, club_id)`` (text) once the upload's
  transaction has committed: for an upload through the API (201 or a job), and for each file
  ``flask spinta import-match`` stores. Without a broker it runs then, in-process. It must be
  idempotent (a redelivered message runs it again) and must not fail the upload.
- A scheduled task is sent by the one ``flask spinta beat`` process at the times given (a
  number of seconds, a ``timedelta`` or a ``crontab``) and run by any worker. Run exactly one
  beat per deployment. Without a broker nothing is scheduled: run the command by hand or cron.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

T = TypeVar("T")

# Modules holding tasks that plug in here (imported by the app factory before Celery starts).
TASK_MODULES: list[str] = []

_AFTER_UPLOAD: list[str] = []
_SCHEDULE: dict[str, dict[str, Any]] = {}


def after_upload(task: T) -> T:
    """Mark a task (``@shared_task`` with a ``name``) to run after every stored upload."""
    name = task.name  # type: ignore[attr-defined]
    if name not in _AFTER_UPLOAD:
        _AFTER_UPLOAD.append(name)
    return task


def scheduled(entry: str, schedule: float | timedelta | Any, *args: Any) -> Callable[[T], T]:
    """Mark a task to be sent by Celery beat on ``schedule`` (seconds, timedelta or crontab)."""

    def mark(task: T) -> T:
        _SCHEDULE[entry] = {"task": task.name, "schedule": schedule, "args": args}  # type: ignore[attr-defined]
        return task

    return mark


def after_upload_tasks() -> tuple[str, ...]:
    return tuple(_AFTER_UPLOAD)


def beat_schedule() -> dict[str, dict[str, Any]]:
    """Celery's ``beat_schedule`` from the registered entries (after importing TASK_MODULES)."""
    for module in TASK_MODULES:
        importlib.import_module(module)
    return {name: dict(entry) for name, entry in _SCHEDULE.items()}


def upload_committed(match_id: uuid.UUID, club_id: uuid.UUID) -> None:
    """Queue every after-upload task for a match whose upload has just committed."""
    from spinta.tasks import enqueue

    for name in _AFTER_UPLOAD:
        enqueue(name, str(match_id), str(club_id))
