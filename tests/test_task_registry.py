"""spinta.tasks.registry: after-upload tasks run once an upload has committed (every way in),
scheduled tasks reach Celery beat's schedule; the worker and beat commands need a broker."""

from __future__ import annotations

import uuid
from datetime import timedelta

import orjson
import pytest
from celery import shared_task

from config import TestingConfig
from spinta.app import create_app
from spinta.tasks import registry
from tests.factories import register_coach
from tests.world import HOME, tiny_match, upload_json

SEEN: list[tuple[str, str]] = []


@shared_task(name="tests.after_upload_probe")
def after_upload_probe(match_id: str, club_id: str) -> None:
    SEEN.append((match_id, club_id))


@pytest.fixture
def hooked():
    SEEN.clear()
    registry.after_upload(after_upload_probe)
    yield SEEN
    registry._AFTER_UPLOAD.remove(after_upload_probe.name)


def test_after_upload_tasks_run_for_every_stored_upload(client, runner, tmp_path, hooked):
    coach = register_coach(client, club_name=HOME["name"])
    sync = upload_json(client, coach, tiny_match())
    assert sync.status_code == 201
    assert hooked == [(sync.get_json()["match_id"], coach.club_id)]

    queued = client.post(
        "/api/coach/matches",
        data=orjson.dumps({"match_date": "2024-03-05", "statsbomb_events": tiny_match(variant=1)}),
        content_type="application/json",
        headers={**coach.headers, "Prefer": "respond-async"},
    )
    job = client.get(queued.headers["Location"], headers=coach.headers).get_json()
    assert hooked[1] == (job["result"]["match_id"], coach.club_id)

    (tmp_path / "c-2024-03-09.json").write_bytes(orjson.dumps(tiny_match(variant=2)))
    result = runner.invoke(args=["spinta", "import-match", str(tmp_path), "--coach", coach.email])
    assert result.exit_code == 0, result.output
    assert len(hooked) == 3

    refused = upload_json(client, coach, tiny_match())  # a duplicate: nothing stored
    assert refused.status_code == 409 and len(hooked) == 3


def test_scheduled_tasks_reach_the_beat_schedule(database_url):
    @registry.scheduled("probe-every-hour", timedelta(hours=1), "x")
    @shared_task(name="tests.scheduled_probe")
    def scheduled_probe(arg: str) -> None:
        pass

    try:
        app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": database_url}))
        schedule = app.extensions["celery"].conf.beat_schedule
        assert schedule["probe-every-hour"] == {
            "task": "tests.scheduled_probe",
            "schedule": timedelta(hours=1),
            "args": ("x",),
        }
    finally:
        registry._SCHEDULE.pop("probe-every-hour")


def test_worker_and_beat_need_a_broker(runner):
    for command in ("worker", "beat"):
        result = runner.invoke(args=["spinta", command])
        assert result.exit_code != 0 and "No broker configured" in result.output


def test_prerender_is_registered_after_upload_but_waits_for_a_worker(client, monkeypatch):
    """The charts' pre-render runs after every upload on a worker; without a broker it is
    skipped (charts are drawn on first request) instead of delaying the upload's answer."""
    from spinta.tasks.reports import PRERENDER

    assert PRERENDER in registry.after_upload_tasks()
    queued: list[tuple] = []
    monkeypatch.setattr("spinta.tasks.enqueue", lambda name, *args: queued.append((name, args)))
    coach = register_coach(client, club_name=HOME["name"])
    with client.application.app_context():
        monkeypatch.setattr("spinta.tasks.in_process", lambda app=None: True)
        registry.upload_committed("m", "c")
        assert all(name != PRERENDER for name, _ in queued)
        monkeypatch.setattr("spinta.tasks.in_process", lambda app=None: False)
        registry.upload_committed("m", coach.club_id)
        assert (PRERENDER, ("m", coach.club_id)) in queued


def test_prerender_task_draws_the_new_match_into_the_chart_cache(client):
    from spinta.tasks.reports import prerender_match

    coach = register_coach(client, club_name=HOME["name"])
    match_id = upload_json(client, coach, tiny_match()).get_json()["match_id"]
    with client.application.app_context():
        assert (
            prerender_match.run(match_id, coach.club_id) == 9
        )  # shot map, pass network, xT by zone for both teams; xG race; HTML, PDF
        assert prerender_match.run(str(uuid.uuid4()), coach.club_id) == 0


def test_the_children_data_purge_is_scheduled_daily(database_url):
    from celery.schedules import crontab

    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": database_url}))
    entry = app.extensions["celery"].conf.beat_schedule["retention-purge"]
    assert entry["task"] == "spinta.purge"
    assert entry["schedule"] == crontab(hour=3, minute=15)


def test_the_purge_task_runs_the_purge(app):
    from spinta.tasks.privacy import purge

    with app.app_context():
        assert purge.run() == {
            "erased_on_request": 0,
            "erased_after_retention": 0,
            "access_log_deleted": 0,
        }
