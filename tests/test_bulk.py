"""Bulk writes (spinta.store.copy): what goes in comes back, on PostgreSQL (COPY) and SQLite."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import orjson
import pytest
from psycopg2 import extensions
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    func,
    select,
)

from spinta.extensions import db
from spinta.models import Event
from spinta.models.base import utcnow
from spinta.store.copy import blocking_psycopg2, insert_rows
from tests.conftest import recorded_statements, requires_postgres
from tests.factories import register_coach
from tests.test_faults import post_upload, small_match

SAMPLES = MetaData()
SAMPLE = Table(
    "bulk_samples",
    SAMPLES,
    Column("id", Uuid, primary_key=True, default=uuid.uuid4),
    Column("created_at", DateTime(timezone=True), default=utcnow, nullable=False),
    Column("kind", String(20), default="plain", nullable=False),
    Column("name", String(120)),
    Column("note", Text),
    Column("count", Integer),
    Column("share", Float),
    Column("flag", Boolean),
    Column("day", Date),
    Column("payload", JSON),
)

TRICKY = [
    "tab\there",
    "new\nline",
    "carriage\rreturn",
    "back\\slash \\N \\t",
    "Łódź ⚽ 東京",
    "",
    "quote ' and \" and ; DROP TABLE x",
]


@pytest.fixture
def sample_table(app):
    with app.app_context():
        SAMPLES.create_all(db.engine)
    yield SAMPLE
    with app.app_context():
        db.session.remove()
        SAMPLES.drop_all(db.engine)


def rows() -> list[dict]:
    return [
        {
            "name": text,
            "note": None if number % 2 else text * 3,
            "count": number - 3,
            "share": [0.1, 1e-300, -2.5, 1 / 3, 123456789.125, 0.0, 7.0][number],
            "flag": [True, False, None][number % 3],
            "day": date(2024, 2, 29) if number % 2 else None,
            "payload": {"text": text, "n": number, "nested": [None, True, 1.5]},
        }
        for number, text in enumerate(TRICKY)
    ]


def test_rows_come_back_exactly(app, sample_table):
    before = datetime.now(UTC)
    with app.app_context():
        insert_rows(sample_table, rows())
        db.session.commit()
        stored = db.session.execute(select(sample_table).order_by(sample_table.c.count)).all()
    assert len(stored) == len(TRICKY)
    for sent, row in zip(rows(), stored, strict=True):
        assert {key: getattr(row, key) for key in sent} == sent
        # Columns left out get their Python-side defaults, one per row for callables.
        assert row.kind == "plain"
        assert row.created_at.replace(tzinfo=row.created_at.tzinfo or UTC) >= before
    assert len({row.id for row in stored}) == len(TRICKY)


def test_whole_floats_go_into_integer_columns(app, sample_table):
    with app.app_context():
        insert_rows(sample_table, [{"name": "whole", "count": 90.0}])
        db.session.commit()
        assert db.session.scalar(select(sample_table.c.count)) == 90


@requires_postgres
def test_a_fraction_for_an_integer_column_is_refused_and_nothing_is_written(app, sample_table):
    with app.app_context():
        with pytest.raises(TypeError, match="whole number"):
            insert_rows(sample_table, [{"name": "a", "count": 1}, {"name": "b", "count": 2.5}])
        db.session.rollback()
        assert db.session.scalar(select(sample_table.c.id)) is None


def test_no_rows_is_no_statement(app, sample_table):
    with recorded_statements(app) as statements, app.app_context():
        insert_rows(sample_table, [])
    assert statements == []


@pytest.fixture
def wait_callback():
    """A wait callback set as gunicorn's gevent workers set it (gunicorn.conf.py's post_fork:
    psycogreen's), and the process's own put back afterwards."""
    from psycogreen.gevent import gevent_wait_callback

    previous = extensions.get_wait_callback()
    extensions.set_wait_callback(gevent_wait_callback)
    try:
        yield gevent_wait_callback
    finally:
        extensions.set_wait_callback(previous)


@requires_postgres
def test_an_upload_copies_its_events_with_a_wait_callback_set(client, app, wait_callback):
    """psycopg2's COPY refuses to run while a wait callback is set; the upload's COPY runs
    without it and the callback is back afterwards."""
    coach = register_coach(client, club_name="Home FC")
    response = post_upload(client, coach, small_match())
    assert response.status_code == 201, response.get_json()
    assert extensions.get_wait_callback() is wait_callback
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Event))
    assert stored == len(orjson.loads(small_match()))


def test_blocking_psycopg2_takes_the_callback_away_and_always_puts_it_back(wait_callback):
    with blocking_psycopg2():
        assert extensions.get_wait_callback() is None
        with blocking_psycopg2():  # overlapping: only the outermost end restores
            assert extensions.get_wait_callback() is None
        assert extensions.get_wait_callback() is None
    assert extensions.get_wait_callback() is wait_callback
    with pytest.raises(RuntimeError), blocking_psycopg2():
        raise RuntimeError("the COPY failed")
    assert extensions.get_wait_callback() is wait_callback
