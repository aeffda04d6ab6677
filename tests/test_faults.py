"""Fault injection: the database failing at every step of an upload leaves nothing behind, and
the service recovers by itself (connections killed under it, the database unreachable)."""

from __future__ import annotations

import io
import threading

import orjson
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from spinta.extensions import db
from spinta.models import Club, Match, Player
from tests.analytics.analytics_builder import AWAY, HOME, MatchBuilder
from tests.conftest import POSTGRES_URL, requires_postgres
from tests.factories import register_coach
from tests.test_matches import DERIVED_ROWS, row_counts
from tests.world import seeded_world


def small_match() -> bytes:
    builder = MatchBuilder(HOME, AWAY)
    builder.pass_(HOME, 5, at=10, goal_assist=True)
    builder.shot(HOME, 9, "Goal", at=20)
    builder.substitution(HOME, 3, 12, at=1800)
    builder.end_period(1, 2700)
    return orjson.dumps(builder.events)


def post_upload(client, coach, raw):
    return client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data={"match_date": "2024-05-01", "events_file": (io.BytesIO(raw), "e.json")},
        content_type="multipart/form-data",
    )


class StatementCounter:
    """Counts SQL statements on the engine; raises on statement number ``fail_at``."""

    def __init__(self, engine, fail_at: int | None = None) -> None:
        self.engine = engine
        self.fail_at = fail_at
        self.count = 0
        self.failed: str | None = None

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.count += 1
        if self.count == self.fail_at:
            self.failed = statement
            raise OperationalError(statement, parameters, Exception("injected database failure"))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self)


def test_upload_failing_at_every_statement_stores_nothing(client, app):
    """Make statement 1, then 2, then 3 ... of the upload fail until one gets through."""
    coach = register_coach(client, club_name="Home FC")
    raw = small_match()
    with app.app_context():
        engine = db.engine
    baseline = row_counts(app)
    failed = []
    for step in range(1, 200):
        with StatementCounter(engine, fail_at=step) as counter:
            response = post_upload(client, coach, raw)
        if response.status_code == 201:
            assert counter.count < step  # no statement was left to fail: the upload is whole
            break
        assert response.status_code == 500, (step, response.status_code)
        failed.append(counter.failed)
        body = response.get_json()
        assert isinstance(body["detail"], str)
        assert "injected" not in body["detail"]
        assert row_counts(app) == baseline, f"partial data after a failure at statement {step}"
        with app.app_context():
            club = db.session.scalar(select(Club).where(Club.club_name == "Home FC"))
            assert club.external_id is None
            assert (
                db.session.scalar(select(func.count(Player.id)).where(Player.club_id == club.id))
                == 0
            )
    else:
        pytest.fail("the upload never succeeded")
    assert step > 15  # every step of the upload was tried
    if engine.dialect.name == "postgresql":  # the bulk writes are COPYs, and fail like the rest
        copied = {statement.split()[1] for statement in failed if statement.startswith("COPY")}
        assert {"events", "match_lineups", "player_match_statistics"} <= copied, failed
    # The service recovered without a restart: the last upload is stored whole.
    with app.app_context():
        assert db.session.scalar(select(func.count(Match.id))) == 1
        assert db.session.scalar(select(func.count(Player.id))) == 12


@requires_postgres
def test_connections_killed_under_the_app_are_replaced(client, app):
    """A database restart drops every pooled connection; the checkout ping replaces them."""
    coach = register_coach(client, club_name="Home FC")
    assert client.get("/api/coach/matches", headers=coach.headers).status_code == 200
    with app.app_context():
        name = db.engine.url.database
    from sqlalchemy import create_engine

    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        ).scalar_one()
    admin.dispose()
    assert killed >= 1
    for _ in range(3):
        assert client.get("/api/coach/matches", headers=coach.headers).status_code == 200
        assert client.get("/api/health/ready").status_code == 200
    assert post_upload(client, coach, small_match()).status_code == 201


@requires_postgres
def test_a_pooled_connection_is_pinged_once_per_request(client, app, monkeypatch):
    """The checkout ping (spinta.database.ping_on_checkout) runs once per connection and
    request: a screen read that misses the cache checks a connection out twice (the login
    read, the session) and pings once; the next request pings again; outside a request (a
    command, a job) every checkout pings."""
    club = seeded_world(client, app)
    path = "/api/coach/dashboard?miss="  # a query string never read before: a miss
    assert client.get(path, headers=club.coach_a.headers).status_code == 200
    with app.app_context():
        dialect = db.engine.dialect
    pings: list[object] = []
    original = dialect.do_ping

    def counted(dbapi_connection):
        pings.append(dbapi_connection)
        return original(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    checkouts: list[object] = []

    def checkout(dbapi_connection, *_args):
        checkouts.append(dbapi_connection)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "checkout", checkout)
    try:
        for miss in range(2):
            pings.clear()
            checkouts.clear()
            assert client.get(f"{path}{miss}", headers=club.coach_a.headers).status_code == 200
            assert len(checkouts) == 2 and len(pings) == 1
    finally:
        event.remove(engine, "checkout", checkout)

    def two_checkouts() -> None:
        with app.app_context():
            for _ in range(2):
                with db.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))

    pings.clear()
    outside = threading.Thread(target=two_checkouts)  # a thread starts outside any request
    outside.start()
    outside.join()
    assert len(pings) == 2


# (where the connection dies, the request, the answer it must still get)
DYING = {
    # A cache hit: the fast-path check is its only statement; the connection dies before the
    # end-of-request rollback, which must not replace the answer already built.
    "after the last statement": ("after", "EXECUTE spinta_login_coach", "", 200),
    # A cache miss: the connection dies between the fast-path check (whose row the guard
    # takes) and the screen's first statement.
    "between two statements": ("before", "FROM club_season_statistics", "?x=1", 500),
}


@requires_postgres
@pytest.mark.parametrize("when", DYING)
def test_a_connection_dying_in_a_request_still_gets_a_json_answer(client, app, when):
    """What a database restart does under load: the answer is JSON (the screen, or the error
    contract's 500), never gunicorn's HTML page for an exception escaping the request's
    teardown, and the next request is served normally."""
    hook, marker, query, expected = DYING[when]
    coach = register_coach(client, club_name="Home FC")
    path = "/api/coach/dashboard"
    assert client.get(path, headers=coach.headers).status_code == 200  # cached now
    from sqlalchemy import create_engine

    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    killed: list[int] = []

    def kill_own_backend(conn, _cursor, sql, *_args):
        if not killed and marker in sql:
            pid = conn.connection.dbapi_connection.get_backend_pid()
            with admin.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            killed.append(pid)

    with app.app_context():
        engine = db.engine
    event.listen(engine, f"{hook}_cursor_execute", kill_own_backend)
    try:
        response = client.get(path + query, headers=coach.headers)
    finally:
        event.remove(engine, f"{hook}_cursor_execute", kill_own_backend)
        admin.dispose()
    assert killed, f"no statement matched {marker!r}"
    assert response.status_code == expected and response.is_json, response.get_data()[:200]
    assert client.get(path, headers=coach.headers).status_code == 200


def test_health_reports_an_unreachable_database_and_recovers(app, tmp_path):
    """ready is 503 while the database cannot be opened and 200 again once it can."""
    from config import TestingConfig
    from spinta.app import create_app

    folder = tmp_path / "later"
    url = f"sqlite:///{folder / 'db.sqlite'}"
    flaky = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": url, "LOG_LEVEL": "CRITICAL"}))
    client = flaky.test_client()
    assert client.get("/api/health/ready").status_code == 503
    assert client.get("/api/health").get_json()["database"] == "disconnected"
    folder.mkdir()
    assert client.get("/api/health/ready").status_code == 200
    assert client.get("/api/health").get_json()["database"] == "connected"


def test_every_table_an_upload_writes_is_checked_for_partial_data():
    """The row counts above cover every table holding data derived from a match: a new table
    that references matches (or the opponents an upload creates) must join DERIVED_ROWS."""
    checked = {model.__tablename__ for model in DERIVED_ROWS}
    upload_tables = {"matches", "opponent_clubs", "opponent_players"}
    derived = {
        table.name
        for table in db.metadata.sorted_tables
        if table.name in upload_tables
        or any(fk.column.table.name in upload_tables for fk in table.foreign_keys)
    }
    assert derived <= checked, derived - checked
