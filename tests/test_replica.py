"""Read replicas (spinta.replica): which database serves which request, proved with two
databases: the test database as the primary and a second one as the "replica", filled with
the primary's rows by :func:`replicate` (what streaming replication does, on demand here).

The app connects to the replica read-only (SQLite ``mode=ro``; PostgreSQL
``default_transaction_read_only``), so a write sent there would fail, and every statement of
both engines is recorded. On PostgreSQL the replica is ``<test database>_replica`` (created
when missing) unless ``SPINTA_TEST_DATABASE_REPLICA_URL`` names one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid

import pytest
from flask import g
from sqlalchemy import create_engine, event, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from config import TestingConfig
from spinta.app import create_app
from spinta.extensions import db
from spinta.models import Club, Match, Player
from spinta.replica import REPLICA, Route, route_of_request
from tests.conftest import POSTGRES_URL, is_login_read
from tests.factories import (
    add_team,
    default_team_id,
    register_coach,
    register_player,
    register_staff,
)
from tests.world import HOME, tiny_match, upload_json

WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER")


# ---------------------------------------------------------------- two databases


def _replica_urls(database_url: str, tmp_path) -> tuple[str, str]:
    """(the replica as the test writes it, the replica as the app reads it: read-only)."""
    if not POSTGRES_URL:
        path = tmp_path / "replica.db"
        return f"sqlite:///{path}", f"sqlite:///file:{path}?mode=ro&uri=true"
    url = os.environ.get("SPINTA_TEST_DATABASE_REPLICA_URL") or str(
        make_url(database_url).set(database=make_url(database_url).database + "_replica")
    )
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
        ):
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    writable = parsed.render_as_string(hide_password=False)
    read_only = parsed.update_query_dict(
        {"options": "-c default_transaction_read_only=on"}
    ).render_as_string(hide_password=False)
    return writable, read_only


@pytest.fixture(scope="module")
def replica_setup(database_url, tmp_path_factory):
    writable, read_only = _replica_urls(database_url, tmp_path_factory.mktemp("replica"))
    writer = create_engine(writable)
    if writer.dialect.name == "postgresql":
        with writer.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    db.metadata.create_all(writer)
    with writer.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("PRAGMA journal_mode=WAL"))
    replicated = create_app(
        TestingConfig(
            {
                "SPINTA_TEST_DATABASE_URL": database_url,
                "SPINTA_TEST_DATABASE_REPLICA_URL": read_only,
                "LOG_LEVEL": "WARNING",
            }
        )
    )
    yield replicated, writer
    with replicated.app_context():
        for engine in db.engines.values():
            engine.dispose()
    writer.dispose()


@pytest.fixture
def two(app, replica_setup):
    """(the app with a replica, its test client, the replica's writer); empty replica."""
    replicated, writer = replica_setup
    replicate(replicated, writer)  # the primary was emptied for this test: so is the replica
    return replicated, replicated.test_client(), writer


def replicate(replicated, writer) -> None:
    """Make the replica an exact copy of the primary (every row of every table)."""
    tables = db.metadata.sorted_tables
    with replicated.app_context(), db.engine.connect() as source, writer.begin() as target:
        if target.dialect.name == "postgresql":
            names = ", ".join(table.name for table in tables)
            target.execute(text(f"TRUNCATE {names} CASCADE"))
        else:
            for table in reversed(tables):
                target.execute(table.delete())
        for table in tables:
            rows = [dict(row._mapping) for row in source.execute(select(table))]
            if rows:
                target.execute(table.insert(), rows)


@contextlib.contextmanager
def statements_by_engine(replicated):
    """{"primary": [...], "replica": [...]}: the SQL each engine was sent inside the block."""
    sent: dict[str, list[str]] = {"primary": [], "replica": []}
    with replicated.app_context():
        engines = {"primary": db.engines[None], "replica": db.engines[REPLICA]}
    listeners = {}
    for name, engine in engines.items():

        def record(_conn, _cursor, statement, *_args, name=name):
            sent[name].append(statement)

        listeners[name] = record
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        for name, engine in engines.items():
            event.remove(engine, "before_cursor_execute", listeners[name])


def writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(WRITES)]


def rename_on_replica(writer, player_id: str, name: str) -> None:
    """Change a row on the replica only (its club's data version stays): a reply showing it
    was read from the replica."""
    with writer.begin() as conn:
        conn.execute(
            update(Player).where(Player.id == uuid.UUID(player_id)).values(player_name=name)
        )


def coach_with_match(client):
    coach = register_coach(client, club_name=HOME["name"])
    assert upload_json(client, coach, tiny_match()).status_code == 201
    # (another query string than the tests read: this page is cached from the primary)
    found = client.get("/api/coach/players?limit=99", headers=coach.headers).get_json()
    return coach, found["players"][0]["player_id"]


def names(client, coach, query: str = "") -> set[str]:
    response = client.get(f"/api/coach/players{query}", headers=coach.headers)
    assert response.status_code == 200
    return {p["player_name"] for p in response.get_json()["players"]}


# ---------------------------------------------------------------- configuration


def test_without_replica_url_there_is_one_database(app):
    assert app.config["SQLALCHEMY_BINDS"] == {}
    with app.app_context():
        assert list(db.engines) == [None]
    config = TestingConfig({"SPINTA_TEST_DATABASE_REPLICA_URL": "postgres://r@host/spinta"})
    assert config.SQLALCHEMY_BINDS == {"replica": {"url": "postgresql+psycopg2://r@host/spinta"}}


def test_production_reads_database_replica_url():
    from config import ProductionConfig

    environ = {
        "DATABASE_URL": "postgresql://p@primary/spinta",
        "DATABASE_REPLICA_URL": "postgresql://r@standby/spinta",
        "SECRET_KEY": "k" * 40,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    }
    config = ProductionConfig(environ)
    assert config.SQLALCHEMY_BINDS["replica"]["url"] == "postgresql+psycopg2://r@standby/spinta"
    assert ProductionConfig({**environ, "DATABASE_REPLICA_URL": ""}).SQLALCHEMY_BINDS == {}


# ---------------------------------------------------------------- which engine serves


def test_a_caught_up_replica_serves_the_read_screens(two):
    replicated, client, writer = two
    coach, player_id = coach_with_match(client)
    replicate(replicated, writer)
    rename_on_replica(writer, player_id, "Only On The Replica")

    with statements_by_engine(replicated) as sent:
        assert "Only On The Replica" in names(client, coach)
    # The primary answered the cache's fast path, whose row the guard took (adopt_login); the
    # screen read the replica.
    assert len(sent["primary"]) == 1 and is_login_read(sent["primary"][0])
    assert len(sent["replica"]) >= 2  # the version check, then the screen's own queries
    assert writes(sent["replica"]) == []


def test_every_coach_screen_reads_the_replica(two):
    replicated, client, writer = two
    coach, player_id = coach_with_match(client)
    match_id = client.get("/api/coach/matches", headers=coach.headers).get_json()["matches"][0][
        "match_id"
    ]
    replicate(replicated, writer)
    for path in (
        "/api/coach/dashboard",
        f"/api/coach/matches/{match_id}",
        f"/api/coach/players/{player_id}",
        f"/api/coach/players/{player_id}/matches/{match_id}",
        "/api/coach/profile",
    ):
        with statements_by_engine(replicated) as sent:
            assert client.get(path, headers=coach.headers).status_code == 200, path
        assert len(sent["replica"]) >= 2, path  # the version check and the screen's reads
        # The fast path, whose row the guard took (adopt_login), plus the access-log entry of
        # an audited screen.
        assert 1 <= len(sent["primary"]) <= 3, (path, sent["primary"])
        assert is_login_read(sent["primary"][0]), (path, sent["primary"])
        assert writes(sent["replica"]) == [], path


def test_after_a_write_the_primary_serves_until_the_replica_has_it(two):
    replicated, client, writer = two
    coach, player_id = coach_with_match(client)
    replicate(replicated, writer)
    rename_on_replica(writer, player_id, "Only On The Replica")
    assert "Only On The Replica" in names(client, coach)  # cached under this version

    renamed = client.patch(
        f"/api/coach/players/{player_id}", json={"player_name": "Renamed"}, headers=coach.headers
    )
    assert renamed.status_code == 200
    with statements_by_engine(replicated) as sent:
        assert "Renamed" in names(client, coach)  # read-your-own-write: not the replica's name
    assert sent["replica"] and len(sent["replica"]) == 1  # the version check only: behind

    replicate(replicated, writer)  # the replica catches up: it serves again (a new page,
    rename_on_replica(writer, player_id, "Replica Again")  # not the cached one)
    assert "Replica Again" in names(client, coach, "?limit=50")


def test_the_players_screens_and_the_charts_blueprints_read_the_replica(two):
    replicated, client, writer = two
    coach, _ = coach_with_match(client)
    player = register_player(client, replicated, coach.club_id, name="Kid Player")
    match_id = client.get("/api/coach/matches", headers=coach.headers).get_json()["matches"][0][
        "match_id"
    ]
    replicate(replicated, writer)
    with statements_by_engine(replicated) as sent:
        assert client.get("/api/player/matches", headers=player.headers).status_code == 200
    assert len(sent["replica"]) >= 2 and len(sent["primary"]) == 1  # the fast path only
    with statements_by_engine(replicated) as sent:
        events = client.get(f"/api/coach/matches/{match_id}/events", headers=coach.headers)
    assert events.status_code == 200 and events.get_json()["events"]
    assert len(sent["replica"]) >= 2 and writes(sent["replica"]) == []


def test_a_staff_coach_sees_his_teams_only_when_reading_the_replica(two):
    replicated, client, writer = two
    admin, _ = coach_with_match(client)
    match_id = client.get("/api/coach/matches", headers=admin.headers).get_json()["matches"][0][
        "match_id"
    ]
    first = default_team_id(client, admin)
    second = add_team(replicated, admin.club_id, "Home FC U12")
    reserves = register_staff(client, admin, team_ids=[second])
    first_team = register_staff(client, admin, team_ids=[first])
    replicate(replicated, writer)
    for coach, status in ((reserves, 404), (first_team, 200)):
        with statements_by_engine(replicated) as sent:
            answer = client.get(f"/api/coach/matches/{match_id}", headers=coach.headers)
        assert answer.status_code == status
        assert len(sent["replica"]) >= 2  # his team set and the screen: on the replica


def test_writes_and_other_requests_never_reach_the_replica(two):
    replicated, client, writer = two
    with statements_by_engine(replicated) as sent:
        coach, player_id = coach_with_match(client)  # registration, upload: primary
        replicate(replicated, writer)
        client.patch(
            f"/api/coach/players/{player_id}", json={"jersey_number": 9}, headers=coach.headers
        )
        replicate(replicated, writer)
        # An audited screen: read from the replica, its access-log entry written to the primary.
        detail = client.get(f"/api/coach/players/{player_id}", headers=coach.headers)
        assert detail.status_code == 200
        before_lists = len(sent["replica"])
        assert client.get("/api/coach/matches", headers=coach.headers).status_code == 200
        assert client.get("/api/coach/seasons", headers=coach.headers).status_code == 200
        assert client.post("/api/auth/logout", headers=coach.headers).status_code == 200
    assert before_lists >= 2  # the player screen was read there
    assert len(sent["replica"]) == before_lists  # lists, seasons, logout: the primary
    assert writes(sent["replica"]) == []
    assert any(s.lstrip().upper().startswith("INSERT INTO ACCESS_LOG") for s in sent["primary"])


def test_within_a_request_a_write_pins_the_primary(two):
    replicated, client, writer = two
    coach, _ = coach_with_match(client)
    replicate(replicated, writer)
    club_id = uuid.UUID(coach.club_id)
    with (
        statements_by_engine(replicated) as sent,
        replicated.test_request_context("/api/coach/dashboard"),
    ):
        replicated.preprocess_request()
        assert route_of_request() is Route.ELIGIBLE
        g.club = db.session.get(Club, club_id)  # as the guard loads it: from the primary
        assert sent["replica"] == []
        db.session.scalars(select(Match)).all()
        assert route_of_request() is Route.REPLICA
        on_replica = len(sent["replica"])
        db.session.execute(update(Club).where(Club.id == club_id).values(club_name="Wrote"))
        assert db.session.scalars(select(Club.club_name)).all() == ["Wrote"]  # its own write
        db.session.commit()
        db.session.scalars(select(Match)).all()
        assert route_of_request() is Route.PRIMARY
        assert len(sent["replica"]) == on_replica
        db.session.remove()


@pytest.mark.parametrize("replica", ["missing", "without tables"])
def test_a_replica_that_fails_sends_reads_to_the_primary(app, tmp_path, replica):
    path = tmp_path / "missing" / "r.db"
    if replica == "without tables":
        path = tmp_path / "empty.db"
        sqlite3.connect(path).execute("CREATE TABLE other (x INTEGER)").connection.close()
    broken = create_app(
        TestingConfig(
            {
                "SPINTA_TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                "SPINTA_TEST_DATABASE_REPLICA_URL": f"sqlite:///file:{path}?mode=ro&uri=true",
                "LOG_LEVEL": "WARNING",
            }
        )
    )
    client = broken.test_client()
    coach = register_coach(client, club_name=HOME["name"])
    assert upload_json(client, coach, tiny_match()).status_code == 201
    assert client.get("/api/coach/dashboard", headers=coach.headers).status_code == 200
    assert len(names(client, coach)) > 0
    with broken.app_context():
        for engine in db.engines.values():
            engine.dispose()


def test_the_app_reaches_the_replica_read_only(two):
    replicated, _client, _writer = two
    with replicated.app_context():
        engine = db.engines[REPLICA]
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("CREATE TABLE replica_probe (x INTEGER)"))


# ---------------------------------------------------------------- health


def test_detailed_health_reports_the_replica(two, client):
    _replicated, replica_client, _writer = two
    body = replica_client.get("/api/health/detailed").get_json()
    assert body["replica"]["status"] == "connected"
    assert body["replica"]["version"] == body["database"]["version"]
    assert "replica" not in client.get("/api/health/detailed").get_json()


def test_detailed_health_says_when_the_replica_does_not_answer(app, tmp_path):
    missing = tmp_path / "missing" / "r.db"
    broken = create_app(
        TestingConfig(
            {
                "SPINTA_TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                "SPINTA_TEST_DATABASE_REPLICA_URL": f"sqlite:///file:{missing}?mode=ro&uri=true",
                "LOG_LEVEL": "WARNING",
            }
        )
    )
    body = broken.test_client().get("/api/health/detailed").get_json()
    assert body["replica"] == {"status": "disconnected", "version": None}
    assert body["database"]["status"] == "connected"
    with broken.app_context():
        for engine in db.engines.values():
            engine.dispose()
