"""The children's-data purge (due erasures, retention, the access log's retention) as a daily
Celery beat job: what ``flask spinta purge`` does, every day at 03:15 UTC."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from spinta.tasks.registry import scheduled

PURGE = "spinta.purge"


@scheduled("retention-purge", crontab(hour=3, minute=15))
@shared_task(name=PURGE, acks_late=True)
def purge() -> dict[str, int]:
    """Idempotent: a redelivered or repeated run erases nothing more."""
    from spinta.services.privacy import purge as run_purge

    return run_purge().as_dict()
