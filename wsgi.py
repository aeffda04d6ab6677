"""WSGI entry point: ``gunicorn wsgi:app`` and ``flask run`` (via .flaskenv)."""

import atexit

import click

from config import ConfigError
from spinta.app import create_app
from spinta.database import check_database_or_exit, dispose_engine
from spinta.headers import hide_dev_server_version

_ctx = click.get_current_context(silent=True)
try:
    app = create_app()
except ConfigError as exc:
    if _ctx is None:
        raise  # gunicorn has already said it in one line per problem (gunicorn.conf.py)
    # `flask db upgrade`, `flask run`, `flask spinta ...`: one line and status 2, no traceback
    # (SystemExit passes through the flask command's own error handling).
    click.echo(f"Error: {' '.join(str(exc).split())}", err=True)
    raise SystemExit(2) from None

# `flask run` fails fast when the database is down; `flask db ...` and other commands do not
# check (gunicorn checks in gunicorn.conf.py). Tests build their own app and never import this.
if _ctx is not None and _ctx.info_name == "run":
    hide_dev_server_version()
    check_database_or_exit(app)
    atexit.register(dispose_engine, app)
