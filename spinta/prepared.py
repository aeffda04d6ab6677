"""Statements built once, run as PostgreSQL's server-side prepared statements.

A wide read statement costs PostgreSQL more to parse and plan than to run: match detail's
header row (60 columns, 16 scalar subqueries) took 0.66 ms as plain SQL and 0.13 ms as
``EXECUTE`` (psycopg2, timeit, best of 5 x 200). :func:`execute_prepared` prepares a statement
once per pooled connection (``PREPARE``, on the driver's own cursor: a setup of the connection,
like the pool's ping) and from then on sends ``EXECUTE name(values)``; its rows are typed by the
statement's own columns, so a caller reads the same values as from a plain execute. The pool
forgets which statements a connection holds when it replaces the connection.

Plain SQL instead: on another driver (SQLite), with ``DB_PREPARED_STATEMENTS=false`` (behind
PgBouncer in transaction mode, which does not keep a client's prepared statements), and for a
statement whose SQL depends on its values (an expanding ``IN``).
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import column, text
from sqlalchemy.engine import Connection, Dialect, Result
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.sqltypes import NullType

_HELD = "spinta.prepared"  # pooled connection info: the names prepared on it
_PARAMETER = re.compile(r"%\((\w+)\)s")
_BOUND = 2048  # forms kept (statements are built once: a few hundred per process)


@dataclass(frozen=True)
class _Form:
    """A statement as prepared: its name, its PREPARE, its typed EXECUTE and the values the
    statement holds itself (its literals became parameters)."""

    name: str
    prepare: str
    execute: TextClause
    values: dict[str, Any]


_FORMS: dict[tuple[int, str, str | None], tuple[Any, _Form | None]] = {}
_LOCK = threading.Lock()


def execute_prepared(
    connection: Connection, statement: Any, params: dict[str, Any], name: str | None = None
) -> Result:
    """``statement`` with ``params`` on ``connection``, prepared on PostgreSQL (module doc).
    ``name``: the prepared statement's name (default: from a digest of its SQL)."""
    form = None
    if connection.dialect.driver == "psycopg2" and current_app.config.get(
        "DB_PREPARED_STATEMENTS", True
    ):
        form = _form(statement, connection.dialect, name)
    if form is None:
        return connection.execute(statement, params)
    held = connection.connection.info.setdefault(_HELD, set())
    if form.name not in held:
        with connection.connection.dbapi_connection.cursor() as cursor:
            cursor.execute(form.prepare)
        held.add(form.name)
    return connection.execute(form.execute, form.values | params)


def _form(statement: Any, dialect: Dialect, name: str | None) -> _Form | None:
    """The statement's prepared form, built once per statement object (None: not preparable)."""
    key = (id(statement), dialect.name, name)
    found = _FORMS.get(key)
    if found is not None and found[0] is statement:
        return found[1]
    form = _build(statement, dialect, name)
    with _LOCK:
        if len(_FORMS) >= _BOUND:
            _FORMS.clear()
        _FORMS[key] = (statement, form)  # the statement kept: its id is not reused
    return form


def _build(statement: Any, dialect: Dialect, name: str | None) -> _Form | None:
    if any(
        isinstance(found["type"], type) for found in getattr(statement, "column_descriptions", ())
    ):
        raise TypeError("a statement of ORM entities: run it in the session")
    compiled = statement.compile(dialect=dialect)
    if compiled.literal_execute_params or compiled.post_compile_params:
        return None  # its SQL depends on its values
    sql = str(compiled)
    names = list(dict.fromkeys(_PARAMETER.findall(sql)))
    body = _PARAMETER.sub(lambda found: f"${names.index(found.group(1)) + 1}", sql)
    name = name or "spinta_" + hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()
    # Each parameter typed as the statement binds it (a literal's type, e.g. a sum of 1s, could
    # not be inferred by the server); an untyped one is inferred from where it stands.
    types = ", ".join(_type(compiled.binds[parameter].type, dialect) for parameter in names)
    execute = text(f"EXECUTE {name}({', '.join(f':{parameter}' for parameter in names)})")
    typed = [column(key, col.type) for key, col in statement.selected_columns.items()]
    return _Form(
        name=name,
        prepare=f"PREPARE {name}({types}) AS {body.replace('%%', '%')}",
        execute=execute.columns(*typed),
        values={key: compiled.params[key] for key in names if key in compiled.params},
    )


def _type(sql_type: Any, dialect: Dialect) -> str:
    if isinstance(sql_type, NullType):
        return "unknown"
    return dialect.type_compiler_instance.process(sql_type)
