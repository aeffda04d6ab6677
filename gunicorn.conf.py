"""gunicorn settings: `gunicorn wsgi:app` (PORT, WEB_CONCURRENCY, JSON logs, fail-fast DB check)."""

import os

from spinta.logging import SHARED_PROCESSORS  # noqa: F401  (structlog available to the formatter)

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# No control socket: nothing to bind or leave behind on read-only or shared hosts.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
# One handler: every record (spinta's, gunicorn's, the libraries') is written once, as a JSON
# line. The app recognises this handler on the root logger and adds none of its own.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "spinta.logging.json_formatter"}},
    "handlers": {
        "console": {
            "class": "spinta.logging.SpintaHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"level": loglevel.upper(), "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}


def on_starting(server):
    """Fail fast: refuse to boot workers when the configuration or the database is unusable."""
    from config import ConfigError
    from spinta.app import create_app
    from spinta.database import check_database_or_exit, dispose_engine

    try:
        app = create_app()
    except ConfigError as exc:
        server.log.error(str(exc))
        raise SystemExit(1) from None
    check_database_or_exit(app)
    dispose_engine(app)


def worker_exit(server, worker):
    """Close pooled connections when a worker stops."""
    import sys

    wsgi = sys.modules.get("wsgi")
    if wsgi is not None:
        from spinta.database import dispose_engine

        dispose_engine(wsgi.app)
