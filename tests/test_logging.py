"""JSON log lines: gunicorn access records become fields, with the request id."""

import io
import json
import logging

from spinta.logging import json_formatter


def test_gunicorn_access_line_is_structured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    logger = logging.getLogger("gunicorn.access.test")
    logger.name = "gunicorn.access"
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    atoms = {
        "h": "10.0.0.1",
        "m": "GET",
        "U": "/api/health",
        "s": "200",
        "B": "43",
        "M": 7,
        "{x-request-id}o": "req-1",
    }
    logger.info("%(h)s %(s)s", atoms)
    line = json.loads(stream.getvalue())
    assert line["event"] == "request"
    assert line["status"] == 200
    assert line["path"] == "/api/health"
    assert line["request_id"] == "req-1"
    assert line["duration_ms"] == 7
    assert "timestamp" in line and line["level"] == "info"


# --- One line per record under gunicorn; readable console lines in development (item 16) ---

import http.client  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

import pytest  # noqa: E402
import structlog  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from config import DevelopmentConfig  # noqa: E402
from spinta.app import create_app  # noqa: E402
from spinta.logging import SpintaHandler, configure_logging  # noqa: E402
from tests.test_startup import ROOT  # noqa: E402

KEY = "a-production-key-long-enough-0123456789abcdef"
LOGGERS = ("", "gunicorn.error", "gunicorn.access", "werkzeug")


@pytest.fixture
def restore_logging():
    """Put the process's logging back as it was (handlers, levels, formats, streams)."""
    saved = {}
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved[name] = (list(logger.handlers), logger.level, logger.propagate)
    formats = [(h, h.formatter, getattr(h, "stream", None)) for h in logging.getLogger().handlers]
    yield
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate
    for handler, formatter, stream in formats:
        handler.setFormatter(formatter)
        if stream is not None:
            handler.setStream(stream)


def spinta_handler() -> SpintaHandler:
    configure_logging("INFO", "json")
    (handler,) = [h for h in logging.getLogger().handlers if isinstance(h, SpintaHandler)]
    return handler


def lines_with(text: str, output: str) -> list[str]:
    return [line for line in output.splitlines() if text in line]


GUNICORN_WORKER = f"""
import logging, runpy, structlog
from gunicorn.config import Config
from gunicorn.glogging import Logger

# What a gunicorn worker does: gunicorn's logging from gunicorn.conf.py, then the app.
cfg = Config()
for name, value in runpy.run_path("gunicorn.conf.py").items():
    if name in cfg.settings:
        cfg.set(name, value)
Logger(cfg)
from config import ProductionConfig
from spinta.app import create_app
create_app(ProductionConfig({{"DATABASE_URL": "sqlite://", "SECRET_KEY": "{KEY}"}}))
structlog.get_logger("spinta.errors").warning("marker_from_spinta", detail="x")
logging.getLogger("gunicorn.error").warning("marker from gunicorn")
logging.getLogger("gunicorn.access").info("marker from the access log")
logging.getLogger("sqlalchemy.pool").warning("marker from a library")
"""


def test_every_line_is_written_once_under_gunicorn():
    """Before: the app added a second root handler next to gunicorn's, so every spinta.*
    line came out twice (stdout and stderr)."""
    result = subprocess.run(
        [sys.executable, "-c", GUNICORN_WORKER],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    for marker in (
        "marker_from_spinta",
        "marker from gunicorn",
        "marker from the access log",
        "marker from a library",
    ):
        (line,) = lines_with(marker, output)  # exactly one line each
        assert json.loads(line)["event"] == marker
    assert output.strip() and all(json.loads(line) for line in output.splitlines())


def test_configure_logging_twice_keeps_one_handler(restore_logging):
    configure_logging("INFO", "json")
    configure_logging("INFO", "console")
    handlers = logging.getLogger().handlers
    assert len([h for h in handlers if isinstance(h, SpintaHandler)]) == 1


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("stream", "coloured"), [(io.StringIO(), False), (Terminal(), True)])
def test_console_colours_only_on_a_terminal(restore_logging, stream, coloured):
    handler = spinta_handler()
    handler.setStream(stream)
    configure_logging("INFO", "console")
    structlog.get_logger("spinta.test").warning("console_line", items=3)
    output = stream.getvalue()
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert "console_line" in plain and "items=3" in plain
    assert ("\x1b[" in output) is coloured
    assert not output.lstrip().startswith("{")  # not JSON


def test_development_server_access_line_is_readable_with_request_id(restore_logging):
    """The real development server (werkzeug, as `flask run` uses it): its access line goes
    through the same pipeline, carries the request id and no colour codes off a terminal."""
    stream = io.StringIO()
    handler = spinta_handler()
    handler.setStream(stream)
    app = create_app(DevelopmentConfig({"DATABASE_URL": "sqlite://"}))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        conn.request("GET", "/api/health", headers={"X-Request-ID": "dev-req-42"})
        response = conn.getresponse()
        response.read()
        conn.close()
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()
    assert response.status == 200
    (line,) = lines_with("path=/api/health", stream.getvalue())
    assert line.split("] ", 1)[1].startswith("request ")  # after "<time> [info     ]"
    for field in ("method=GET", "status=200", "request_id=dev-req-42", "remote=127.0.0.1"):
        assert field in line
    assert "\x1b[" not in stream.getvalue()
    assert not line.lstrip().startswith("{")
