"""gunicorn.conf.py: the bind address (HOST, PORT), the worker class and a master that does not
import the application (gevent workers monkey-patch before they import it)."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys

import pytest

from tests.test_startup import ROOT

CONF = str(ROOT / "gunicorn.conf.py")


def settings(monkeypatch, **env: str) -> dict:
    for name in ("HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(CONF)


@pytest.mark.parametrize(
    ("env", "bind"),
    [
        ({}, "127.0.0.1:8000"),  # this machine only, whatever gunicorn's own PORT default
        ({"PORT": "9000"}, "127.0.0.1:9000"),
        ({"HOST": "0.0.0.0", "PORT": "8080"}, "0.0.0.0:8080"),  # in a container
        ({"HOST": "", "PORT": ""}, "127.0.0.1:8000"),
    ],
)
def test_bind_address(monkeypatch, env, bind):
    assert settings(monkeypatch, **env)["bind"] == bind


def test_workers_do_not_give_a_whole_process_to_one_client(monkeypatch):
    conf = settings(monkeypatch)
    assert conf["worker_class"] == "gevent"
    assert conf["worker_connections"] >= 256
    from gunicorn.workers.ggevent import GeventWorker  # the pinned gevent is installed

    assert GeventWorker


def test_master_does_not_import_the_application():
    """What the gunicorn master loads (its config and logging) imports no app module, no
    database driver and no web framework: they are first imported after gevent's patch."""
    script = f"""
import runpy, sys
from gunicorn.config import Config
from gunicorn.glogging import Logger
cfg = Config()
for name, value in runpy.run_path({CONF!r}).items():
    if name in cfg.settings:
        cfg.set(name, value)
Logger(cfg)
loaded = [m for m in ("spinta.app", "flask", "sqlalchemy", "psycopg2", "redis") if m in sys.modules]
print(loaded)
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_gevent_workers_wait_for_postgresql_through_gevent(monkeypatch):
    """post_fork sets psycogreen's wait callback in a gevent worker, and none in another."""
    from gunicorn.workers.ggevent import GeventWorker
    from gunicorn.workers.sync import SyncWorker
    from psycogreen.gevent import gevent_wait_callback
    from psycopg2 import extensions

    post_fork = settings(monkeypatch)["post_fork"]
    previous = extensions.get_wait_callback()
    try:
        extensions.set_wait_callback(None)
        post_fork(None, SyncWorker.__new__(SyncWorker))
        assert extensions.get_wait_callback() is None
        post_fork(None, GeventWorker.__new__(GeventWorker))
        assert extensions.get_wait_callback() is gevent_wait_callback
    finally:
        extensions.set_wait_callback(previous)
