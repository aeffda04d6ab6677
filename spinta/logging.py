"""JSON logs (structlog over the standard library) with the request id on every line."""

from __future__ import annotations

import logging
import re
import uuid

import structlog
from flask import Flask, Response, g, request

REQUEST_ID_HEADER = "X-Request-ID"
# Accept a caller's id only when it is short and plain, so it cannot forge log lines.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")

SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def gunicorn_access_fields(_logger, _name, event_dict):
    """Turn a gunicorn access record into fields (its atoms are the record's args)."""
    record = event_dict.get("_record")
    args = event_dict.pop("positional_args", None)
    if record is not None and record.name == "gunicorn.access" and isinstance(args, dict):
        atoms = args
        event_dict["event"] = "request"
        event_dict.update(
            remote=atoms.get("h"),
            method=atoms.get("m"),
            path=atoms.get("U"),
            status=int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else atoms.get("s"),
            bytes=atoms.get("B"),
            duration_ms=atoms.get("M"),
            request_id=atoms.get("{x-request-id}o") or None,
        )
    return event_dict


def json_formatter() -> structlog.stdlib.ProcessorFormatter:
    """A stdlib formatter rendering every record (ours, gunicorn's, werkzeug's) as one JSON line."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*SHARED_PROCESSORS, gunicorn_access_fields],
        pass_foreign_args=True,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
    )


def configure_logging(level: str = "INFO") -> None:
    """Route structlog through stdlib logging and give the root logger a JSON handler."""
    structlog.configure(
        processors=[*SHARED_PROCESSORS, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    root = logging.getLogger()
    if not any(getattr(h, "_spinta", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(json_formatter())
        handler._spinta = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_request_id(app: Flask) -> None:
    """Honour or generate ``X-Request-ID``, bind it to every log line, echo it in the response."""

    @app.before_request
    def bind_request_id() -> None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=g.request_id)

    @app.after_request
    def echo_request_id(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        return response

    @app.teardown_request
    def unbind_request_id(_exc: BaseException | None) -> None:
        structlog.contextvars.clear_contextvars()
