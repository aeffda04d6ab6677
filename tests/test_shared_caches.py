"""Shared caches: with REDIS_URL set, the screen cache and the rate-limit counters live in
Redis, shared by separate app instances (as on two machines), and screens stay never stale.

Needs a Redis server (``SPINTA_TEST_REDIS_URL``, default redis://127.0.0.1:6379/8: a database
for tests; only the keys of the screen cache and the rate limiter are deleted). Skipped when
none answers, a failure in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys

import orjson
import pytest
import redis

from tests.conftest import ROOT, recorded_statements
from tests.factories import register_coach
from tests.world import HOME, spare_app, tiny_match, upload_json

REDIS_URL = os.environ.get("SPINTA_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")
OUR_KEYS = ("spinta:screen:*", "LIMITS:*")


def _forget(server: redis.Redis) -> None:
    for pattern in OUR_KEYS:
        names = list(server.scan_iter(match=pattern, count=1000))
        if names:
            server.delete(*names)


@pytest.fixture
def redis_url():
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    _forget(server)
    yield REDIS_URL
    _forget(server)


def test_screen_cache_shared_by_two_instances_and_never_stale(app, client, database_url, redis_url):
    # Two app instances (as two web machines would run), one Redis.
    one, two = (spare_app(database_url, REDIS_URL=redis_url) for _ in range(2))
    web1, web2 = one.test_client(), two.test_client()
    coach = register_coach(web1, club_name=HOME["name"])
    assert upload_json(web1, coach, tiny_match()).status_code == 201

    first = web1.get("/api/coach/dashboard", headers=coach.headers)
    assert first.status_code == 200
    with recorded_statements(two) as statements:
        shared = web2.get("/api/coach/dashboard", headers=coach.headers)
    assert shared.status_code == 200 and shared.data == first.data
    assert len(statements) == 1  # the fast-path check only: the body came from Redis

    # A write through the other instance: neither may serve the old screen.
    later = upload_json(web2, coach, tiny_match(variant=1), match_date="2024-03-09")
    assert later.status_code == 201
    fresh = client.get("/api/coach/dashboard", headers=coach.headers)  # the test app: no Redis
    for web in (web1, web2):
        answer = web.get("/api/coach/dashboard", headers=coach.headers)
        assert answer.data == fresh.data != first.data


def test_screens_still_answer_when_redis_is_down(database_url):
    down = spare_app(database_url, REDIS_URL="redis://127.0.0.1:1/0")
    web = down.test_client()
    coach = register_coach(web, club_name=HOME["name"])
    for _ in range(2):
        assert web.get("/api/coach/dashboard", headers=coach.headers).status_code == 200


LOGINS = """
import sys
from config import TestingConfig
from spinta.app import create_app

database_url, redis_url, attempts = sys.argv[1], sys.argv[2], int(sys.argv[3])
config = TestingConfig({"SPINTA_TEST_DATABASE_URL": database_url, "LOG_LEVEL": "ERROR"})
config.RATELIMIT_STORAGE_URI = redis_url  # what REDIS_URL gives outside the test config
config.RATELIMIT_AUTH = "3/minute"
client = create_app(config).test_client()
body = {"email": "nobody@example.com", "password": "not-the-password"}
print(",".join(str(client.post("/api/auth/login", json=body).status_code) for _ in range(attempts)))
"""


def _logins(database_url: str, redis_url: str, attempts: int) -> list[int]:
    done = subprocess.run(
        [sys.executable, "-c", LOGINS, database_url, redis_url, str(attempts)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return [int(code) for code in done.stdout.strip().splitlines()[-1].split(",")]


def test_rate_limit_counters_shared_by_two_processes(app, database_url, redis_url):
    assert _logins(database_url, redis_url, 2) == [401, 401]
    assert _logins(database_url, redis_url, 2) == [401, 429]  # the 4th attempt of 3/minute


def test_redis_url_is_the_default_for_every_shared_store():
    from config import DevelopmentConfig, ProductionConfig

    config = DevelopmentConfig({"REDIS_URL": "redis://cache:6379/3"})
    assert config.RATELIMIT_STORAGE_URI == "redis://cache:6379/3"
    assert config.CELERY["broker_url"] == "redis://cache:6379/3"
    assert not config.CELERY["task_always_eager"]
    assert DevelopmentConfig({}).CELERY["task_always_eager"]
    rabbit = DevelopmentConfig(
        {"REDIS_URL": "redis://cache:6379/3", "CELERY_BROKER_URL": "amqp://u:p@mq:5672//"}
    )
    assert rabbit.CELERY["broker_url"] == "amqp://u:p@mq:5672//"
    assert rabbit.CELERY["result_backend"] is None
    production = ProductionConfig(
        {"DATABASE_URL": "postgresql://x/y", "SECRET_KEY": "k" * 40, "REDIS_URL": "redis://r:1/0"}
    )
    assert production.RATELIMIT_STORAGE_URI == "redis://r:1/0"
    assert orjson.dumps(production.CELERY["task_acks_late"]) == b"true"
