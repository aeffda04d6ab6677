"""Process entry points: fail fast when the database is unreachable or production is misconfigured.

These start real processes (``flask run``, ``gunicorn``) and wait for them to exit; they never
open a network connection outside this machine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SPINTA_", "DATABASE"))}
    environ.update(env)
    return subprocess.run(
        args, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60, check=False
    )


def unreachable_url() -> str:
    return f"postgresql://nobody@127.0.0.1:{closed_port()}/spinta"


def test_flask_run_exits_when_database_unreachable():
    result = run(
        [str(BIN / "flask"), "run", "--port", str(closed_port())],
        DATABASE_URL=unreachable_url(),
        FLASK_DEBUG="0",
    )
    assert result.returncode != 0
    assert "cannot start: database" in result.stderr
    assert "unreachable" in result.stderr


def test_gunicorn_exits_when_database_unreachable():
    result = run(
        [str(BIN / "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{closed_port()}"],
        DATABASE_URL=unreachable_url(),
    )
    assert result.returncode != 0
    assert "cannot start: database" in result.stderr + result.stdout


def test_gunicorn_production_refuses_missing_settings():
    result = run(
        [str(BIN / "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{closed_port()}"],
        SPINTA_ENV="production",
        SECRET_KEY="",
    )
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert "DATABASE_URL is not set" in output
    assert "SECRET_KEY is not set" in output


@pytest.mark.parametrize("command", [["db", "current"], ["routes"]])
def test_other_cli_commands_are_not_blocked(tmp_path, command):
    result = run([str(BIN / "flask"), *command], DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("server", ["flask", "gunicorn"])
def test_start_is_refused_when_the_rate_limit_storage_is_unreachable(tmp_path, server):
    """Counters that the workers cannot share are refused at start, with one clear line."""
    port = closed_port()
    args = {
        "flask": [str(BIN / "flask"), "run", "--port", str(port)],
        "gunicorn": [str(BIN / "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{port}"],
    }[server]
    result = run(
        args,
        DATABASE_URL=f"sqlite:///{tmp_path}/x.db",
        RATELIMIT_STORAGE_URI=f"redis://user:hidden@127.0.0.1:{closed_port()}/3",
        FLASK_DEBUG="0",
    )
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert "cannot start: rate-limit storage redis://***@127.0.0.1:" in output
    assert "hidden" not in output
