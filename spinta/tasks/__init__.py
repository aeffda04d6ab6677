"""Background jobs on Celery, built by the app factory as Flask's documentation describes
(https://flask.palletsprojects.com/en/stable/patterns/celery/).

- :func:`celery_init_app` makes the Celery app from ``app.config["CELERY"]`` (config.py:
  ``CELERY_BROKER_URL`` or ``REDIS_URL``; neither: tasks run in-process when queued) and
  keeps it in ``app.extensions["celery"]``; every task runs inside the Flask app context.
- The tasks (:mod:`spinta.tasks.jobs`) take a job id: the ``jobs`` row says what to do and
  records status, progress and the result. They are idempotent (a finished job is not run
  again), acknowledged only once finished (``acks_late``: a killed worker's job is
  redelivered) and retried when the database connection is lost.
- :mod:`spinta.tasks.registry`: where other features plug in tasks to run after each upload
  and scheduled (Celery beat) tasks.

Start a worker with ``flask spinta worker`` (``make worker``) and the scheduler with
``flask spinta beat`` (``make beat``).
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask, current_app

_EXTENSION = "celery"


def celery_init_app(app: Flask) -> Celery:
    """The Celery app for this Flask app (Flask's pattern: tasks run in its app context)."""
    from spinta.tasks import jobs, registry  # noqa: F401  (registers the shared tasks)

    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.conf.beat_schedule = registry.beat_schedule()
    celery_app.set_default()
    app.extensions[_EXTENSION] = celery_app
    return celery_app


def celery_app(app: Flask | None = None) -> Celery:
    return (app or current_app).extensions[_EXTENSION]


def in_process(app: Flask | None = None) -> bool:
    """Whether queued tasks run at once in this process (no broker configured)."""
    return bool(celery_app(app).conf.task_always_eager)


def enqueue(task_name: str, *args: Any) -> None:
    """Queue a task of this app by name (or run it now, without a broker)."""
    celery_app().tasks[task_name].apply_async(args=args)
