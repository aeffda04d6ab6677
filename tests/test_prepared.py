"""Statements built once run as server-side prepared statements on PostgreSQL
(spinta.prepared): the screens answer exactly as with plain SQL, each statement is prepared once
per connection, and what cannot be prepared is run as it is."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Integer, bindparam, func, literal, select

from spinta.extensions import db
from spinta.models import Match, Player
from spinta.prepared import execute_prepared
from tests.conftest import recorded_statements, requires_postgres
from tests.test_screen_cache import read_all, readable_screens
from tests.world import seeded_world


@requires_postgres
def test_every_screen_answers_as_with_plain_sql(client, app, monkeypatch):
    """Every cached screen of club A (coach and players, plain and paged), rendered with its
    statements prepared and then with DB_PREPARED_STATEMENTS=false: the same answers, and the
    prepared run sent its screens' statements as EXECUTE."""
    from spinta.screen_cache import screen_cache

    w = seeded_world(client, app)
    paths = readable_screens(client, w)

    def answers(prepared: bool):
        monkeypatch.setitem(app.config, "DB_PREPARED_STATEMENTS", prepared)
        screen_cache(app).clear()
        with recorded_statements(app) as statements:
            return read_all(client, w, paths), statements

    prepared, statements = answers(True)
    executed = [sql for sql in statements if sql.startswith("EXECUTE spinta_")]
    assert [sql for sql in executed if not sql.startswith("EXECUTE spinta_login")]
    plain, statements = answers(False)
    assert not [sql for sql in statements if sql.startswith("EXECUTE")]
    assert prepared == plain


@requires_postgres
def test_a_match_detail_reads_prepared_statements_only(client, app):
    """A cold match detail sends no plain SELECT: the login, then its three statements as
    EXECUTE, each prepared once per connection (a second read prepares nothing)."""
    w = seeded_world(client, app)
    path = f"/api/coach/matches/{w.match_a}"
    for attempt in range(2):
        with recorded_statements(app) as statements:
            response = client.get(f"{path}?attempt={attempt}", headers=w.coach_a.headers)
        assert response.status_code == 200
        assert [sql.split("(")[0] for sql in statements if not sql.startswith("EXECUTE")] == []
        assert len(statements) == 4, statements
    with app.app_context(), db.engine.connect() as connection:  # LIFO: the one just used
        names = connection.exec_driver_sql("SELECT name FROM pg_prepared_statements")
        names = names.scalars().all()
    for sql in statements:
        assert names.count(sql.split()[1].split("(")[0]) == 1


STATEMENT = (
    select(Match.id, func.sum(literal(1, Integer)).label("ones"))
    .where(Match.club_id == bindparam("club_id"))
    .group_by(Match.id)
)


@requires_postgres
def test_a_prepared_statement_types_its_values_and_rows(client, app):
    """A literal's type goes to the server with the statement (``sum(1)`` could not be inferred)
    and the rows are typed by the statement's columns: a uuid column reads as a UUID."""
    w = seeded_world(client, app)
    with app.test_request_context(), db.engine.connect() as connection:
        club_id = connection.scalar(select(Match.club_id).where(Match.id == uuid.UUID(w.match_a)))
        rows = execute_prepared(connection, STATEMENT, {"club_id": club_id}).all()
        plain = connection.execute(STATEMENT, {"club_id": club_id}).all()
        assert rows == plain and rows and isinstance(rows[0].id, uuid.UUID)
        assert rows[0].ones == 1


def test_what_cannot_be_prepared_runs_as_it_is(client, app):
    """An expanding IN (its SQL depends on its values) runs as plain SQL; a statement of ORM
    entities is refused (its rows are the session's to build)."""
    w = seeded_world(client, app)
    expanding = select(Match.id).where(Match.id.in_(bindparam("ids", expanding=True)))
    with app.test_request_context(), db.engine.connect() as connection:
        with recorded_statements(app) as statements:
            rows = execute_prepared(connection, expanding, {"ids": [uuid.UUID(w.match_a)]})
            assert rows.scalars().all() == [uuid.UUID(w.match_a)]
        assert not [sql for sql in statements if sql.startswith("EXECUTE")]
        if connection.dialect.name == "postgresql":
            with pytest.raises(TypeError, match="ORM entities"):
                execute_prepared(connection, select(Player), {})
