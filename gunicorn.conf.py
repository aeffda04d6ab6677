"""gunicorn settings: `gunicorn wsgi:app` (HOST, PORT, WEB_CONCURRENCY, JSON logs, start check).

gevent workers: a connection waiting for a slow client's headers or body costs a greenlet, not a
worker, so slow or stalled clients cannot take the API offline (a sync worker is held by one
client until it has sent everything). psycopg2 waits for PostgreSQL through gevent (psycogreen's
wait callback, set in post_fork for gevent workers only), so a worker serves its other
connections while one request waits for a query or a commit's WAL flush; every read of a child's
screen commits an access-log row durably before its answer, and the commits of one worker's
requests now overlap. psycopg2's COPY (every upload's events) refuses to run with a wait
callback: spinta.store.copy takes it away for the COPY's duration, so a COPY blocks its worker
as every statement did before.
"""

import os
import subprocess
import sys

bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gevent"
worker_connections = 1000  # open connections per worker, slow ones included
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Each connection closes after its response, as with sync workers. A kept-alive connection stays
# with the worker that accepted it, and under load the workers' shares went uneven (load test:
# p99 10 s with keep-alive, 1.5 s without). A reverse proxy keeps clients' connections alive.
keepalive = 0
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
    """Fail fast: refuse to boot workers when the configuration or the database is unusable.

    The check runs in a child process, so this master never imports the application (the
    gevent workers import it after monkey-patching the standard library)."""
    check = subprocess.run([sys.executable, "-m", "spinta.preflight"], check=False)
    if check.returncode != 0:
        raise SystemExit(1)


def worker_exit(server, worker):
    """Close pooled connections when a worker stops."""
    wsgi = sys.modules.get("wsgi")
    if wsgi is not None:
        from spinta.database import dispose_engine

        dispose_engine(wsgi.app)


def post_fork(server, worker):
    """gevent workers: psycopg2 waits for PostgreSQL through gevent (psycogreen's wait callback),
    so a worker serves its other connections while one request waits for a statement or a
    commit. Set in the worker before it loads the app; other worker classes (and ``flask run``,
    the tests, Celery) keep psycopg2 blocking."""
    ggevent = sys.modules.get("gunicorn.workers.ggevent")
    if ggevent is None or not isinstance(worker, ggevent.GeventWorker):
        return
    from psycogreen.gevent import patch_psycopg

    patch_psycopg()
