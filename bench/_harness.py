"""A real gunicorn server on loopback for benchmarks and the slow test suites.

Start it against a database URL, wait until /api/health/ready answers, talk to it with
keep-alive ``http.client`` connections, stop it (SIGTERM, then SIGKILL) — also on errors.
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
READY_TRIES = 300  # polls of /api/health/ready, 0.05 s apart at most


def fresh_database(url: str) -> None:
    """Drop and re-create the benchmark database (PostgreSQL only)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        sys.exit("the benchmarks need PostgreSQL (SPINTA_BENCH_DATABASE_URL)")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(
    conn: http.client.HTTPConnection, method: str, path: str, headers: dict, body=None
) -> tuple[int, bytes]:
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def start_gunicorn(url: str, port: int, log, *, workers: int = 2, **env: str) -> subprocess.Popen:
    environ = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SPINTA_ENV": "production",
        "RATELIMIT_ENABLED": "false",
        "WEB_CONCURRENCY": str(workers),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "warning",
        **env,
    }
    # The documented production command itself: gunicorn.conf.py binds HOST:PORT.
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "wsgi:app"],
        cwd=ROOT,
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def wait_ready(process: subprocess.Popen, port: int) -> None:
    """Poll the readiness endpoint until it answers 200 (bounded)."""
    for _ in range(READY_TRIES):
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            status, _ = request(conn, "GET", "/api/health/ready", {})
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("gunicorn did not become ready")


def worker_pids(process: subprocess.Popen) -> list[int]:
    """The gunicorn master's worker processes (Linux /proc)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory now (VmRSS) or at its peak (VmHWM), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mib(pid: int) -> float:
    return rss_mib(pid, "VmHWM")


@contextmanager
def gunicorn(url: str, log, **options) -> Iterator[tuple[subprocess.Popen, int]]:
    port = free_port()
    process = start_gunicorn(url, port, log, **options)
    try:
        wait_ready(process, port)
        yield process, port
    finally:
        stop_gunicorn(process)


def worker_environ(url: str, broker: str, queue: str, **env: str) -> dict[str, str]:
    """The production settings a Celery worker (and the app queueing for it) runs with."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": env.pop("SECRET_KEY", "bench-secret-key-" + "x" * 32),
        "SPINTA_ENV": "production",
        "REDIS_URL": broker,
        "CELERY_QUEUE": queue,
        "LOG_LEVEL": "warning",
        **env,
    }


def start_worker(url: str, broker: str, queue: str, log, *, concurrency: int = 1):
    """``flask spinta worker`` (the documented command) on its own queue."""
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "flask"),
            "spinta",
            "worker",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**worker_environ(url, broker, queue), "FLASK_APP": "wsgi:app"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def forget_queue(broker: str, queue: str) -> None:
    """Delete a test queue's keys from the broker's Redis database (nothing else)."""
    import redis

    server = redis.Redis.from_url(broker)
    names = [*server.scan_iter(match=f"{queue}*"), *server.scan_iter(match=f"_kombu*{queue}*")]
    if names:
        server.delete(*names)
