"""WSGI entry point: ``gunicorn wsgi:app``, ``flask run`` (via .flaskenv), ``wsgi:celery_app``."""

import atexit

import click

from config import ConfigError
from spinta.app import create_app
from spinta.database import check_database_or_exit, dispose_engine
from spinta.headers import hide_dev_server_version
from spinta.preflight import refuse_debugger_in_production

# Every `flask` command (db upgrade, run, spinta ...) says a config error in one line and exits
# 2, no traceback (SystemExit passes through the flask command's own error handling); gunicorn
# has already said it in one line per problem (gunicorn.conf.py). `flask run` also refuses the
# Werkzeug debugger in production and fails fast when the database is down; `flask db ...` and
# other commands do not check. Tests build their own app and never import this.
_ctx = click.get_current_context(silent=True)
_serving = _ctx is not None and _ctx.info_name == "run"
try:
    app = create_app()
except ConfigError as exc:
    if _ctx is None:
        raise
    click.echo(f"Error: {' '.join(str(exc).split())}", err=True)
    raise SystemExit(2) from None

if _serving:
    hide_dev_server_version()
    refuse_debugger_in_production(app, _ctx.params.get("debugger"))
    check_database_or_exit(app)
    atexit.register(dispose_engine, app)

# Flask's Celery pattern: `celery -A wsgi:celery_app worker` works too (flask spinta worker is
# the documented command).
celery_app = app.extensions["celery"]
