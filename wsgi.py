"""WSGI entry point: ``gunicorn wsgi:app`` and ``flask run`` (via .flaskenv)."""

import atexit

import click

from spinta.app import create_app
from spinta.database import check_database_or_exit, dispose_engine
from spinta.headers import hide_dev_server_version

app = create_app()

# `flask run` fails fast when the database is down; `flask db ...` and other commands do not
# check (gunicorn checks in gunicorn.conf.py). Tests build their own app and never import this.
_ctx = click.get_current_context(silent=True)
if _ctx is not None and _ctx.info_name == "run":
    hide_dev_server_version()
    check_database_or_exit(app)
    atexit.register(dispose_engine, app)
