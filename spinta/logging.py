"""Logs (structlog over the standard library) with the request id on every line.

One handler on the root logger (``SpintaHandler``) writes every record once: JSON lines in
production and testing, readable console lines in development (colours only on a terminal).
gunicorn.conf.py installs the same handler class, so under gunicorn the app adds none.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from flask import Flask, Response

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


_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
# werkzeug's development server: '<address> - - [<date>] "%s" %s %s' % (request line, status, size)
_WERKZEUG_ACCESS = '"%s" %s %s'


def _plain(value: object) -> str:
    """The text without terminal colour codes (werkzeug colours its lines on any stream)."""
    return _ANSI_ESCAPE.sub("", str(value))


def werkzeug_access_fields(_logger, _name, event_dict):
    """The development server's lines without colour codes; its access lines become fields."""
    record = event_dict.get("_record")
    if record is None or record.name != "werkzeug":
        return event_dict
    args = event_dict.get("positional_args")
    if isinstance(args, tuple) and len(args) == 3 and str(record.msg).endswith(_WERKZEUG_ACCESS):
        request_line, status, size = (_plain(arg) for arg in args)
        method, _, rest = request_line.partition(" ")
        event_dict.pop("positional_args", None)
        event_dict.update(
            event="request",
            remote=record.msg.split(" ", 1)[0],
            method=method,
            path=rest.rpartition(" ")[0] or rest,
            status=int(status) if status.isdigit() else status,
            bytes=size,
        )
    else:
        event_dict["event"] = _plain(event_dict.get("event", ""))
    return event_dict


def _formatter(renderer, *before_render) -> structlog.stdlib.ProcessorFormatter:
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*SHARED_PROCESSORS, werkzeug_access_fields, gunicorn_access_fields],
        pass_foreign_args=True,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            *before_render,
            renderer,
        ],
    )


def json_formatter() -> structlog.stdlib.ProcessorFormatter:
    """A stdlib formatter rendering every record (ours, gunicorn's, werkzeug's) as one JSON line."""
    return _formatter(structlog.processors.JSONRenderer(), structlog.processors.format_exc_info)


def console_formatter(colors: bool) -> structlog.stdlib.ProcessorFormatter:
    """Readable lines for a developer's console; plain tracebacks (never local variables)."""
    return _formatter(
        structlog.dev.ConsoleRenderer(
            colors=colors, exception_formatter=structlog.dev.plain_traceback
        )
    )


class SpintaHandler(logging.StreamHandler):
    """The one handler on the root logger (gunicorn.conf.py installs it too)."""


def configure_logging(level: str = "INFO", log_format: str = "json") -> None:
    """Route structlog through stdlib logging; one root handler renders ``log_format``
    (``json`` or ``console``, coloured only when its stream is a terminal)."""
    structlog.configure(
        processors=[*SHARED_PROCESSORS, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, SpintaHandler)), None)
    if handler is None:
        handler = SpintaHandler(sys.stderr)
        root.addHandler(handler)
    if log_format == "console":
        isatty = getattr(handler.stream, "isatty", None)
        handler.setFormatter(console_formatter(colors=bool(isatty and isatty())))
    else:
        handler.setFormatter(json_formatter())
    root.setLevel(level)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    # Celery's app set-up prints the source of every task it wraps at DEBUG: noise on every
    # flask command in development, nothing about Spinta.
    logging.getLogger("celery.utils.functional").setLevel(logging.INFO)


def register_request_id(app: Flask) -> None:
    """Honour or generate ``X-Request-ID``, bind it to every log line, echo it in the response.

    The id stays bound after the request, so the server's access line for it (written once the
    response is sent) carries it too; the next request on the thread or greenlet replaces it."""
    from flask import g, request

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
