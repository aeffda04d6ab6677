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
