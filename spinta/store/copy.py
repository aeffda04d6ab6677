"""Bulk writes inside the current transaction: COPY on PostgreSQL, one executemany elsewhere.

An upload writes ~4,700 events and a few hundred wide statistics rows. Through COPY they cost
a fraction of multi-row INSERTs (33 player rows x 74 columns: 2.7 ms instead of 14.9 ms,
most of it SQLAlchemy and psycopg2 binding ~2,400 parameters). Two entry points:

- `insert_rows(table, rows)`: rows as dicts (the same keys in every row); each value is
  written in COPY's text format according to its column's type, and columns left out get
  their Python-side defaults (``uuid4`` ids, ``utcnow`` timestamps) as SQLAlchemy would give.
- `copy_lines(table_name, columns, lines)`: lines already in COPY's text format, as UTF-8
  bytes, streamed while PostgreSQL parses (the events, which build their own lines in one
  checked pass). Bytes, not str: orjson's output goes in as it is, and psycopg2 sends the
  chunks without encoding them again.

COPY runs without psycopg2's wait callback (`blocking_psycopg2`): psycopg2 refuses COPY while
one is set, and gunicorn's gevent workers set psycogreen's.
"""

from __future__ import annotations

import io
import math
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import orjson
from psycopg2 import extensions
from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, String, Table, Uuid, insert

from spinta.extensions import db

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: str) -> str:
    """A string as a COPY text field (backslash, tab, newline and carriage return escaped)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def copy_number(value: int | None) -> str:
    """An integer (or NULL) as a COPY text field."""
    return NULL if value is None else str(value)


def copy_json(value: Any) -> str:
    """A JSON value as a COPY text field."""
    # orjson escapes control characters inside strings; only backslashes need doubling.
    return orjson.dumps(value).decode().replace("\\", "\\\\")


def _integer(value: Any) -> str:
    if type(value) is float:
        if not value.is_integer():
            raise TypeError(f"{value!r} is not a whole number for an integer column")
        value = int(value)
    return str(int(value))


def _float(value: Any) -> str:
    value = float(value)
    if math.isfinite(value):
        return repr(value)
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def _boolean(value: Any) -> str:
    return "t" if value else "f"


def _string(value: Any) -> str:
    return copy_text(str(value))


def _uuid(value: Any) -> str:
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def _timestamp(value: datetime | date) -> str:
    return value.isoformat()


_FORMATS: tuple[tuple[type, Callable[[Any], str]], ...] = (
    (Boolean, _boolean),
    (Integer, _integer),
    (Float, _float),
    (Uuid, _uuid),
    (DateTime, _timestamp),
    (Date, _timestamp),
    (JSON, copy_json),
    (String, _string),
)


def _formatter(table: Table, name: str) -> Callable[[Any], str]:
    column_type = table.c[name].type
    for kind, format_value in _FORMATS:
        if isinstance(column_type, kind):
            return format_value
    raise TypeError(f"no COPY format for {table.name}.{name} ({column_type!r})")


def _with_defaults(table: Table, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with the Python-side defaults of the columns they leave out."""
    given = rows[0].keys()
    missing = [
        column for column in table.c if column.name not in given and column.default is not None
    ]
    if not missing:
        return list(rows)
    completed = []
    for row in rows:
        row = dict(row)
        for column in missing:
            default = column.default
            row[column.name] = default.arg(None) if default.is_callable else default.arg
        completed.append(row)
    return completed


def insert_rows(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert the rows (dicts with the same keys) into the table in one statement."""
    if not rows:
        return
    if db.session.connection().dialect.name != "postgresql":
        db.session.execute(insert(table), list(rows))
        return
    rows = _with_defaults(table, rows)
    columns = list(rows[0])
    formats = [(name, _formatter(table, name)) for name in columns]
    lines = (
        (
            "\t".join(
                NULL if (value := row[name]) is None else format_value(value)
                for name, format_value in formats
            )
            + "\n"
        ).encode()
        for row in rows
    )
    copy_lines(table.name, columns, lines)


class _StreamingReader(io.RawIOBase):
    """A file over a line generator, so PostgreSQL parses rows while Python still builds
    the next ones (COPY reads it in chunks). An exception from the generator is kept in
    `error` (psycopg2 reports it only as a cancelled COPY)."""

    def __init__(self, lines: Iterator[bytes]) -> None:
        self._lines = lines
        self._pending = b""
        self.error: Exception | None = None

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        try:
            return self._read(size)
        except Exception as exc:
            self.error = exc
            raise

    def _read(self, size: int | None) -> bytes:
        if size is None or size < 0:
            chunk, self._pending = self._pending + b"".join(self._lines), b""
            return chunk
        parts, length = [self._pending], len(self._pending)
        for line in self._lines:
            parts.append(line)
            length += len(line)
            if length >= size:
                break
        chunk = b"".join(parts)
        chunk, self._pending = chunk[:size], chunk[size:]
        return chunk


def copy_lines(table_name: str, columns: Sequence[str], lines: Iterator[bytes]) -> None:
    """COPY lines (text format, UTF-8 bytes) into the table on the session's PostgreSQL connection.

    The engine's statement events fire for the COPY as for any statement (logging, timing,
    the fault-injection tests). An exception raised while the lines are built cancels the COPY
    and is re-raised as it was.
    """
    connection = db.session.connection()
    statement = f"COPY {table_name} ({', '.join(columns)}) FROM STDIN"
    reader = _StreamingReader(iter(lines))
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        connection.dispatch.before_cursor_execute(connection, cursor, statement, None, None, False)
        with blocking_psycopg2():
            cursor.copy_expert(statement, reader, size=64 * 1024)
        connection.dispatch.after_cursor_execute(connection, cursor, statement, None, None, False)
    except Exception:
        if reader.error is not None:
            raise reader.error from None
        raise
    finally:
        cursor.close()


_wait_callback_lock = threading.Lock()
_copies_running = 0
_saved_wait_callback = None


@contextmanager
def blocking_psycopg2() -> Iterator[None]:
    """psycopg2 without its wait callback for the block: its COPY refuses to run while one is set
    ("cannot be used with an asynchronous callback"), and gunicorn's gevent workers set
    psycogreen's (gunicorn.conf.py). The COPY then blocks its worker while it runs, as every
    statement did before the callback; the callback is put back when the block ends, also on
    error. The callback is one setting of the whole process: the first block to start takes it
    away and the last to end puts it back, so overlapping blocks (other greenlets or threads)
    never leave it unset or restore it too early. Without a callback (tests, ``flask run``,
    Celery) it changes nothing."""
    global _copies_running, _saved_wait_callback
    with _wait_callback_lock:
        if _copies_running == 0:
            _saved_wait_callback = extensions.get_wait_callback()
            extensions.set_wait_callback(None)
        _copies_running += 1
    try:
        yield
    finally:
        with _wait_callback_lock:
            _copies_running -= 1
            if _copies_running == 0:
                extensions.set_wait_callback(_saved_wait_callback)
                _saved_wait_callback = None
