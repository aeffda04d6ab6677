"""Background jobs (api.md "Jobs"), run in-process as `make test` has no broker: the
asynchronous upload, the jobs endpoint, re-analysis jobs, idempotency and retries."""

from __future__ import annotations

import uuid

import orjson
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from spinta.extensions import db
from spinta.models import Job, Match, MatchStatistics
from spinta.tasks import celery_app, in_process
from spinta.tasks.jobs import REANALYSE, UPLOAD
from tests.factories import add_team, register_coach, register_staff
from tests.world import HOME, tiny_match, upload_json

ASYNC = {"Prefer": "respond-async"}


def upload_async(client, coach, events, prefer="respond-async", **fields):
    body = {"match_date": "2024-03-02", **fields, "statsbomb_events": events}
    return client.post(
        "/api/coach/matches",
        data=orjson.dumps(body),
        content_type="application/json",
        headers={**coach.headers, "Prefer": prefer},
    )


def job_of(client, coach, response):
    location = response.headers["Location"]
    assert response.headers["Preference-Applied"] == "respond-async"
    assert location == f"/api/coach/jobs/{response.get_json()['job_id']}"
    answer = client.get(location, headers=coach.headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def without_ids(body):
    """An upload body with the ids (new each time) taken out."""
    if isinstance(body, dict):
        return {
            k: without_ids(v) for k, v in body.items() if not k.endswith(("_id", "invite_code"))
        }
    if isinstance(body, list):
        return [without_ids(item) for item in body]
    return body


def test_no_broker_runs_tasks_in_process(app):
    assert in_process(app)
    conf = celery_app(app).conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost


@pytest.mark.parametrize("prefer", ["respond-async", "wait=5, Respond-Async", "respond-async; x"])
def test_async_upload_answers_202_and_the_job_holds_the_201_body(client, app, prefer):
    coach_sync = register_coach(client, club_name=HOME["name"])
    coach = register_coach(client, club_name=HOME["name"])
    sync = upload_json(client, coach_sync, tiny_match())
    assert sync.status_code == 201

    response = upload_async(client, coach, tiny_match(), prefer=prefer)
    assert response.status_code == 202, response.get_json()
    accepted = response.get_json()
    assert set(accepted) == {"job_id", "status"}
    assert accepted["status"] == "done"  # no broker: the job ran before the answer
    job = job_of(client, coach, response)
    assert job["job_id"] == accepted["job_id"]
    assert (job["kind"], job["status"], job["progress"], job["error"]) == (
        "upload",
        "done",
        1,
        None,
    )
    result = job["result"]
    assert without_ids(result) == without_ids(sync.get_json())
    stored = client.get(f"/api/coach/matches/{result['match_id']}", headers=coach.headers)
    assert stored.status_code == 200
    with app.app_context():
        assert db.session.get(Job, uuid.UUID(job["job_id"])).payload is None  # cleared


def test_other_prefer_values_keep_the_synchronous_201(client):
    coach = register_coach(client, club_name=HOME["name"])
    response = upload_async(client, coach, tiny_match(), prefer="return=minimal")
    assert response.status_code == 201 and "Location" not in response.headers


def test_async_upload_refused_at_once_for_bad_fields_without_a_job(client, app):
    coach = register_coach(client, club_name=HOME["name"])
    response = upload_async(client, coach, tiny_match(), match_date="not-a-date")
    assert response.status_code == 422
    response = client.post(
        "/api/coach/matches",
        data=b'{"match_date": "2024-03-02", "statsbomb_events": [',
        content_type="application/json",
        headers={**coach.headers, **ASYNC},
    )
    assert response.status_code == 400
    with app.app_context():
        assert count(Job) == 0


def test_a_failed_upload_job_holds_the_error_body_and_stores_nothing(client, app):
    coach = register_coach(client, club_name=HOME["name"])
    first = upload_json(client, coach, tiny_match())
    assert first.status_code == 201
    again = upload_async(client, coach, tiny_match(), allow_same_day=True)
    assert again.status_code == 202
    assert again.get_json()["status"] == "failed"
    job = job_of(client, coach, again)
    assert job["status"] == "failed" and job["result"] is None
    error = job["error"]
    assert error["status"] == 409 and error["match_id"] == first.get_json()["match_id"]
    assert error["detail"] == error["message"] and "already" in error["detail"]

    unknown_team = upload_async(client, coach, tiny_match(variant=3, home={"id": 9, "name": "Z"}))
    job = job_of(client, coach, unknown_team)
    assert job["status"] == "failed" and job["error"]["status"] == 422
    with app.app_context():
        assert count(Match) == 1


def test_another_clubs_job_is_not_found(client):
    coach_a = register_coach(client, club_name=HOME["name"])
    coach_b = register_coach(client, club_name=HOME["name"])
    response = upload_async(client, coach_a, tiny_match())
    location = response.headers["Location"]
    assert response.headers["Preference-Applied"] == "respond-async"
    other = client.get(location, headers=coach_b.headers)
    assert other.status_code == 404 and other.get_json()["detail"] == "Job not found."
    assert client.get(f"/api/coach/jobs/{uuid.uuid4()}", headers=coach_a.headers).status_code == 404


def test_a_staff_coach_sees_only_his_teams_upload_jobs(client, app):
    """A job is the club's and its team's: the coach of another team gets another club's 404;
    the team's coach and the admin see it; the upload went to the admin's default team."""
    admin = register_coach(client, club_name=HOME["name"])
    reserves = add_team(app, admin.club_id, "Reserves")
    default = client.get("/api/coach/teams", headers=admin.headers).get_json()["teams"][0]
    first_coach = register_staff(client, admin, team_ids=[default["team_id"]])
    reserves_coach = register_staff(client, admin, team_ids=[reserves])
    location = upload_async(client, admin, tiny_match()).headers["Location"]
    refused = client.get(location, headers=reserves_coach.headers)
    assert refused.status_code == 404 and refused.get_json()["detail"] == "Job not found."
    assert client.get(location, headers=first_coach.headers).status_code == 200
    assert client.get(location, headers=admin.headers).status_code == 200
    own = upload_async(client, reserves_coach, tiny_match(), match_date="2024-04-02")
    assert client.get(own.headers["Location"], headers=reserves_coach.headers).status_code == 200
    assert client.get(own.headers["Location"], headers=first_coach.headers).status_code == 404


def test_a_finished_job_is_never_run_again(client, app):
    coach = register_coach(client, club_name=HOME["name"])
    response = upload_async(client, coach, tiny_match())
    job_id = response.get_json()["job_id"]
    with app.app_context():
        before = db.session.get(Job, uuid.UUID(job_id)).result
        # A redelivered message (the worker died after the commit, before the ack).
        outcome = celery_app(app).tasks[UPLOAD].apply(args=(job_id,)).get()
        assert outcome == "skipped"
        assert count(Match) == 1
        db.session.expire_all()
        assert db.session.get(Job, uuid.UUID(job_id)).result == before


def test_upload_job_retried_when_the_database_connection_is_lost(client, app, monkeypatch):
    from spinta.services import matches

    real = matches.import_match
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("INSERT ...", {}, Exception("server closed the connection"))
        return real(**kwargs)

    monkeypatch.setattr(matches, "import_match", flaky)
    coach = register_coach(client, club_name=HOME["name"])
    response = upload_async(client, coach, tiny_match())
    assert len(calls) == 3
    job = job_of(client, coach, response)
    assert job["status"] == "done"
    with app.app_context():
        assert count(Match) == 1


def test_upload_job_fails_after_the_last_retry(client, app, monkeypatch):
    from spinta.services import matches

    def lost(**kwargs):
        raise OperationalError("INSERT ...", {}, Exception("could not connect"))

    monkeypatch.setattr(matches, "import_match", lost)
    coach = register_coach(client, club_name=HOME["name"])
    job = job_of(client, coach, upload_async(client, coach, tiny_match()))
    assert job["status"] == "failed"
    assert "database could not be reached" in job["error"]["detail"]


def test_upload_job_crash_marks_it_failed(client, monkeypatch):
    from spinta.services import matches

    def crash(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(matches, "import_match", crash)
    coach = register_coach(client, club_name=HOME["name"])
    job = job_of(client, coach, upload_async(client, coach, tiny_match()))
    assert job["status"] == "failed" and job["error"]["status"] == 500
    assert "RuntimeError" in job["error"]["detail"]


def _corrupt_shots(app) -> int:
    with app.app_context():
        rows = db.session.scalars(select(MatchStatistics).where(MatchStatistics.is_our_team)).all()
        expected = {row.match_id: row.total_shots for row in rows}
        for row in rows:
            row.total_shots = 999
        db.session.commit()
        return expected


def _shots(app) -> dict:
    with app.app_context():
        rows = db.session.scalars(select(MatchStatistics).where(MatchStatistics.is_our_team))
        return {row.match_id: row.total_shots for row in rows}


@pytest.mark.parametrize("queue", [False, True])
def test_reanalyse_every_club_as_jobs(client, app, runner, queue):
    coaches = [register_coach(client, club_name=HOME["name"]) for _ in range(3)]
    for n, coach in enumerate(coaches):
        for variant in range(n + 1):
            day = f"2024-03-0{variant + 1}"
            response = upload_json(client, coach, tiny_match(variant=variant), match_date=day)
            assert response.status_code == 201
    expected = _corrupt_shots(app)
    args = ["spinta", "reanalyse", *(["--queue"] if queue else [])]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Re-analysed 6 matches in 3 clubs." in result.output
    assert _shots(app) == expected
    with app.app_context():
        jobs = db.session.scalars(select(Job).order_by(Job.created_at)).all()
        assert [(job.kind, job.status, job.progress) for job in jobs] == [
            ("reanalyse", "done", 1.0)
        ] * 3
        assert sorted(job.result["matches"] for job in jobs) == [1, 2, 3]
    # The coach follows his club's job; another coach cannot see it.
    job_id = next(str(job.id) for job in jobs if str(job.club_id) == coaches[0].club_id)
    seen = client.get(f"/api/coach/jobs/{job_id}", headers=coaches[0].headers).get_json()
    assert seen["result"] == {"matches": 1} and seen["kind"] == "reanalyse"
    assert client.get(f"/api/coach/jobs/{job_id}", headers=coaches[1].headers).status_code == 404


def test_reanalyse_one_club_and_its_progress(client, app, runner, monkeypatch):
    from spinta.services import jobs as job_service

    coach = register_coach(client, club_name=HOME["name"])
    other = register_coach(client, club_name=HOME["name"])
    for variant, day in ((0, "2024-03-01"), (1, "2024-03-02")):
        assert upload_json(client, coach, tiny_match(variant=variant), match_date=day).status_code
    assert upload_json(client, other, tiny_match()).status_code == 201
    seen = []
    real = job_service.report_progress
    monkeypatch.setattr(
        job_service,
        "report_progress",
        lambda job_id, value: (seen.append(value), real(job_id, value)),
    )
    result = runner.invoke(args=["spinta", "reanalyse", "--club", coach.club_id])
    assert result.exit_code == 0, result.output
    assert "Re-analysed 2 matches in 1 clubs." in result.output
    assert seen == [0.5, 1.0]
    with app.app_context():
        assert count(Job) == 1
    bad = runner.invoke(args=["spinta", "reanalyse", "--club", str(uuid.uuid4())])
    assert bad.exit_code != 0 and "No club" in bad.output


def test_import_match_queue(client, app, runner, tmp_path):
    coach = register_coach(client, club_name=HOME["name"])
    (tmp_path / "a-2024-03-01.json").write_bytes(orjson.dumps(tiny_match()))
    (tmp_path / "b-2024-03-02.json").write_bytes(orjson.dumps(tiny_match(variant=2)))
    (tmp_path / "broken-2024-03-03.json").write_bytes(b"[")
    result = runner.invoke(
        args=["spinta", "import-match", str(tmp_path), "--coach", coach.email, "--queue"]
    )
    assert result.exit_code == 1, result.output
    assert result.output.count(" done") == 2 and "not valid JSON" in result.output
    with app.app_context():
        assert count(Match) == 2
        assert [job.status for job in db.session.scalars(select(Job))] == ["done", "done"]


def test_reanalyse_task_skips_a_finished_job(app):
    with app.app_context():
        outcome = celery_app(app).tasks[REANALYSE].apply(args=(str(uuid.uuid4()),)).get()
    assert outcome == "skipped"
