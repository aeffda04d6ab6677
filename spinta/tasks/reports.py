"""Charts and the printable report of a new match, drawn by a worker once its upload has
committed, so the coach's first look is a cache hit (issue 19's pre-render). Only with a
broker: without one, charts are drawn on first request instead of delaying the upload."""

from __future__ import annotations

import uuid

from celery import shared_task

from spinta.tasks.registry import after_upload

PRERENDER = "spinta.prerender_match"


@after_upload(worker_only=True)
@shared_task(name=PRERENDER, acks_late=True)
def prerender_match(match_id: str, club_id: str) -> int:
    """Draw the match's charts and report into the chart cache (idempotent: a second run
    finds them cached); a match deleted meanwhile draws nothing."""
    from spinta.reports import prerender_match as prerender

    return prerender(uuid.UUID(club_id), uuid.UUID(match_id))
