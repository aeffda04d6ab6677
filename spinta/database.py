"""Database helpers outside the request cycle: SQLite pragmas, status probes, the startup check."""

from __future__ import annotations

import re
import sqlite3
import sys
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event, text
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError

from spinta.extensions import AUTOCOMMIT, db, limiter


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Enforce foreign keys (cascades) and allow concurrent readers on SQLite."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def init_app(app: Flask) -> None:
    """Every server engine (the primary, a replica) pings a pooled connection before handing it
    out, once per request: :func:`ping_on_checkout`."""
    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        if engine.dialect.name != "sqlite":
            event.listen(engine, "checkout", ping_on_checkout(engine.dialect))
            event.listen(engine, "checkin", end_autocommit)


def end_autocommit(dbapi_connection: Any, record: Any) -> None:
    """A connection a request set to autocommit (``db.session_reads_outside_a_transaction``)
    returns to the pool as every other: in transactions again (client-side, no round trip)."""
    if record.info.pop(AUTOCOMMIT, False) and dbapi_connection is not None:
        dbapi_connection.autocommit = False


_PINGED = "spinta.pinged_in"


def _request_scope() -> object | None:
    """A token of the current request, kept in its WSGI environ (None outside a request: a
    command, a job)."""
    if not has_request_context():
        return None
    return request.environ.setdefault("spinta.pool_scope", object())


def ping_on_checkout(dialect: Dialect) -> Any:
    """SQLAlchemy's ``pool_pre_ping`` (a connection that died while pooled, e.g. in a database
    restart, is replaced before anyone uses it), but a connection checked out again in the
    same request is not pinged twice: the screen cache's login read, the access log and the
    request's session each check one out, and the pool hands the same one back (LIFO), so a
    cold read or a personal screen saved a round trip per checkout. Outside a request every
    checkout pings. A failed ping raises DisconnectionError: the pool drops the connection
    and checks out a fresh one (SQLAlchemy's documented recipe)."""

    def ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        scope = _request_scope()
        if scope is not None and record.info.get(_PINGED) is scope:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure: as a disconnect, a fresh connection
            raise DisconnectionError() from error
        record.info[_PINGED] = scope

    return ping


def server_version(engine: Engine | None = None) -> str | None:
    """The database server's own version string (the primary's, or `engine`'s), or None when it
    does not answer."""
    try:
        with (engine or db.engine).connect() as conn:
            if conn.dialect.name == "postgresql":
                version = conn.execute(text("SELECT version()")).scalar_one()
                return str(version).split(" on ")[0].split(",")[0]
            if conn.dialect.name == "sqlite":
                return "SQLite " + str(conn.execute(text("SELECT sqlite_version()")).scalar_one())
            conn.execute(text("SELECT 1"))
            return f"{conn.dialect.name} {conn.dialect.server_version_info}"
    except (SQLAlchemyError, OSError):
        return None


def is_reachable() -> bool:
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except (SQLAlchemyError, OSError):
        return False


def check_database_or_exit(app: Flask) -> None:
    """Fail fast at process start (gunicorn, ``flask run``): exit 1 when the database is down,
    or when the shared rate-limit storage (Redis) is (the workers could not share counters)."""
    _check_database_or_exit(app)
    check_rate_limit_storage_or_exit(app)


def check_rate_limit_storage_or_exit(app: Flask) -> None:
    uri = app.config["RATELIMIT_STORAGE_URI"]
    if not app.config["RATELIMIT_ENABLED"] or uri.startswith("memory://"):
        return  # nothing to reach (config.py allows memory:// only for one process)
    with app.app_context():
        try:
            reachable = limiter.storage.check()
        except Exception:  # any client error: as unreachable
            reachable = False
    if not reachable:
        shown = re.sub(r"//[^@/]*@", "//***@", uri)  # no password in the output
        print(
            f"Spinta cannot start: rate-limit storage {shown} is unreachable, so the workers "
            "cannot share their counters.",
            file=sys.stderr,
        )
        sys.exit(1)


def _check_database_or_exit(app: Flask) -> None:
    with app.app_context():
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError) as exc:
            url = db.engine.url.render_as_string(hide_password=True)
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            print(
                f"Spinta cannot start: database {url} is unreachable ({reason}).", file=sys.stderr
            )
            sys.exit(1)


def dispose_engine(app: Flask) -> None:
    with app.app_context():
        db.engine.dispose()
