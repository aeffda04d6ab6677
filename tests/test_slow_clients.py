"""Slow clients cannot take the API offline (``make test-slow``).

The documented production command (``gunicorn wsgi:app`` with the repository's gunicorn.conf.py,
2 workers) keeps answering ``/api/health`` in under a second while 64 connections dribble their
headers or their bodies a byte at a time: 24 slow headers, 8 slow login bodies and 32 slow
authenticated uploads (an attacker can register a coach). Loopback only; every loop is bounded.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time

import orjson

from bench._harness import gunicorn, request
from tests import test_load
from tests.test_load import PASSWORD

pytestmark = test_load.pytestmark  # slow, PostgreSQL
load_database = test_load.load_database  # the fixture: a database of its own

SLOW_HEADERS = 24
SLOW_LOGINS = 8
SLOW_UPLOADS = 32
HEALTH_PROBES = 20
DRIBBLE_EVERY = 0.2  # seconds between two bytes of one slow connection
MAX_DRIBBLE_ROUNDS = 600  # bounded: 2 minutes at most


def slow_openings(port: int, token: str) -> list[bytes]:
    """What each slow connection sends at once; it then sends one byte at a time, forever."""
    headers = [b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "] * SLOW_HEADERS
    login = (
        b"POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        b'{"email": "slow@example.com", "password": "'
    )
    upload = (
        b"POST /api/coach/matches HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Authorization: Bearer " + token.encode() + b"\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
        b'{"match_date": "2024-01-01", "statsbomb_events": ['
    )
    return headers + [login] * SLOW_LOGINS + [upload] * SLOW_UPLOADS


def register_coach(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, raw = request(
        conn,
        "POST",
        "/api/auth/register/coach",
        {"Content-Type": "application/json"},
        orjson.dumps(
            {
                "email": "slow@example.com",
                "password": PASSWORD,
                "full_name": "Slow Coach",
                "club": {"club_name": "Home FC"},
            }
        ),
    )
    conn.close()
    assert status == 201, raw
    return orjson.loads(raw)["token"]


def health_latency(port: int) -> float:
    """One fresh client asking for /api/health: seconds until the whole 200 answer arrived."""
    began = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
    try:
        status, _ = request(conn, "GET", "/api/health", {})
    except OSError:
        return float("inf")  # no answer within the socket timeout
    finally:
        conn.close()
    assert status == 200
    return time.perf_counter() - began


def test_health_answers_within_a_second_while_64_clients_dribble(
    load_database, tmp_path, slow_report
):
    url, _app = load_database
    with open(tmp_path / "gunicorn.log", "w+") as log, gunicorn(url, log, workers=2) as (_, port):
        token = register_coach(port)
        openings = slow_openings(port, token)
        sockets = []
        for opening in openings:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(opening)
            sockets.append(sock)
        stop = threading.Event()

        def dribble() -> None:
            for _ in range(MAX_DRIBBLE_ROUNDS):
                if stop.wait(DRIBBLE_EVERY):
                    return
                for sock in sockets:
                    with contextlib.suppress(OSError):  # closed by the server: nothing held
                        sock.send(b"x")

        dribbler = threading.Thread(target=dribble, daemon=True)
        dribbler.start()
        try:
            stop.wait(1.0)  # the slow connections are accepted and have sent a few bytes
            latencies = [health_latency(port) for _ in range(HEALTH_PROBES)]
            # Every slow connection is still open: none was answered or dropped meanwhile.
            still_open = sum(1 for sock in sockets if _is_open(sock))
        finally:
            stop.set()
            dribbler.join(5)
            for sock in sockets:
                sock.close()

    slow_report(
        "slow clients: /api/health while 64 connections dribble",
        [
            f"{len(openings)} slow connections ({still_open} still open at the end); "
            f"/api/health over {HEALTH_PROBES} probes: max {max(latencies) * 1000:.0f} ms, "
            f"median {sorted(latencies)[HEALTH_PROBES // 2] * 1000:.0f} ms"
        ],
    )
    assert max(latencies) < 1.0, latencies
    assert still_open == len(openings)


def _is_open(sock: socket.socket) -> bool:
    """True while the server has neither answered nor closed this connection."""
    sock.setblocking(False)
    try:
        sock.recv(1, socket.MSG_PEEK)  # an answer, or b"" when closed
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)
