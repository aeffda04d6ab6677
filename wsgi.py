"""WSGI entry point: ``gunicorn wsgi:app`` and ``flask run`` (via .flaskenv)."""

import atexit
import sys

import click

from config import ConfigError
from spinta.app import create_app
from spinta.database import check_database_or_exit, dispose_engine
from spinta.preflight import refuse_debugger_in_production

# `flask run` fails fast, with one line, on bad settings (production with FLASK_DEBUG or DEBUG),
# when production would serve the Werkzeug debugger and when the database is down; `flask db
# ...` and other commands do not check (gunicorn checks in gunicorn.conf.py). Tests build their
# own app and never import this.
_ctx = click.get_current_context(silent=True)
_serving = _ctx is not None and _ctx.info_name == "run"
try:
    app = create_app()
except ConfigError as exc:
    if not _serving:
        raise
    sys.exit(str(exc))

if _serving:
    refuse_debugger_in_production(app, _ctx.params.get("debugger"))
    check_database_or_exit(app)
    atexit.register(dispose_engine, app)
