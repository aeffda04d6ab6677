"""The start check of ``gunicorn wsgi:app``: refuse to boot on bad settings or no database.

gunicorn.conf.py runs it as ``python -m spinta.preflight`` in a child process, so the gunicorn
master never imports the application: the gevent workers import it only after monkey-patching
(no lock or socket of the app is created before the patch).
"""

from __future__ import annotations

import sys

from flask import Flask


def refuse_debugger_in_production(app: Flask, debugger: bool | None) -> None:
    """``flask run`` in production: exit 2, like a config error, when the Werkzeug debugger
    would be served.

    ``debugger`` is the command's ``--debugger/--no-debugger`` flag (None when not given: then
    ``FLASK_DEBUG`` decides, as in Flask's own ``run`` command). FLASK_DEBUG and DEBUG are
    refused earlier by the production config; this covers ``--debugger`` on its own."""
    from config import ProductionConfig

    if app.config.get("ENV_NAME") != ProductionConfig.ENV_NAME:
        return
    if debugger or (debugger is None and app.config.get("FLASK_DEBUG")):
        print(
            "Error: Spinta cannot start: production never runs the Werkzeug debugger "
            "(drop --debugger; serve production with gunicorn wsgi:app).",
            file=sys.stderr,
        )
        sys.exit(2)


def main() -> int:
    from config import ConfigError
    from spinta.app import create_app
    from spinta.database import check_database_or_exit, dispose_engine

    try:
        app = create_app()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    check_database_or_exit(app)
    dispose_engine(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
