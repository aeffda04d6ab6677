"""Shared fixtures: ``app`` -> ``client`` / ``runner`` (pytest-flask) -> ``db_session``.

The suite runs on a throwaway SQLite file by default and on PostgreSQL when
``SPINTA_TEST_DATABASE_URL`` is set. The schema is created once per run; every test starts
on empty tables and with fresh rate-limit counters.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import event, text

from config import TestingConfig, normalise_database_url
from spinta.app import create_app
from spinta.extensions import db as _db
from spinta.extensions import limiter
from spinta.screen_cache import screen_cache
from spinta.services.charts import chart_cache

# Tests assert behaviour, not time: hypothesis's per-example deadline (200 ms) only turns a busy
# machine into a failure, so it is off for every property test.
settings.register_profile("spinta", deadline=None)
settings.load_profile("spinta")

ROOT = Path(__file__).resolve().parents[1]
STATSBOMB_DIR = ROOT.parent / "shared" / "statsbomb"
# Normalised as the app does, so engines made in tests use the same driver (psycopg2).
POSTGRES_URL = normalise_database_url(os.environ.get("SPINTA_TEST_DATABASE_URL", ""))


def statsbomb_file(name: str) -> Path:
    """A shared StatsBomb file; skipped when absent locally, a failure in CI."""
    path = STATSBOMB_DIR / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing (the shared StatsBomb files are required in CI)")
        pytest.skip(f"{path} is not available")
    return path


@contextlib.contextmanager
def recorded_statements(app):
    """The SQL statements sent to the database inside the block, in order."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


# The screen cache's login read (spinta.security.peek_login): the statement itself, or on
# PostgreSQL its prepared form.
LOGIN_READ = ("FROM users JOIN coaches", "EXECUTE spinta_login_coach")


def is_login_read(sql: str) -> bool:
    return any(marker in sql for marker in LOGIN_READ)


# An access-log entry of a read: its own INSERT, or (PostgreSQL, a cached personal screen) in
# the fast path's login read, plain or prepared.
ACCESS_LOG_WRITE = (
    "INSERT INTO access_log",
    "EXECUTE spinta_login_coach_audited",
    "EXECUTE spinta_login_player_audited",
)


def writes_access_log(sql: str) -> bool:
    return any(marker in sql for marker in ACCESS_LOG_WRITE)


requires_postgres = pytest.mark.skipif(
    not POSTGRES_URL.startswith("postgresql"), reason="PostgreSQL-only behaviour"
)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'spinta-test.db'}"


class ServerLikeClient(FlaskClient):
    """Closes each response once it is read, as a WSGI server does after sending it (PEP 3333:
    an upload's memory is released then). ``buffered=False`` keeps a response open."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


@pytest.fixture(scope="session")
def app(database_url):
    environ = {"SPINTA_TEST_DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    app = create_app(TestingConfig(environ))
    app.test_client_class = ServerLikeClient
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            _db.drop_all(bind_key=None)
        # bind_key=None: the primary's tables only. Once a test has built an app with a read
        # replica, the shared `db` lists a 'replica' bind that other apps do not have.
        _db.create_all(bind_key=None)
    yield app
    with app.app_context():
        _db.engine.dispose()


def truncate_all() -> None:
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    if not tables:
        return
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Empty tables, rate-limit counters and the screen cache before every test that uses the
    app (restored seed rows reuse club ids and data versions)."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        truncate_all()
        limiter.reset()
        screen_cache(app).clear()
        chart_cache().clear()
    yield
    with app.app_context():
        _db.session.remove()


@pytest.fixture(autouse=True)
def _push_request_context():
    """Replace pytest-flask's per-test request context: each test request then gets its own
    app context, so the session is removed after every request exactly as in production.
    Tests arrange and inspect rows inside an explicit ``with app.app_context():``."""
    yield


@pytest.fixture
def runner(app):
    """Invoke ``flask ...`` commands against the test app."""
    return app.test_cli_runner()


# Figures of the slow suites (p99 per endpoint, ...): pytest captures print(), so they are shown
# in the terminal summary of `make test-slow` and written to bench/slow-report.txt.
SLOW_REPORT_FILE = ROOT / "bench" / "slow-report.txt"
_SLOW_REPORT = pytest.StashKey[list]()


@pytest.fixture
def slow_report(request):
    """``slow_report(title, lines)`` records a section for the end-of-run report."""

    def add(title: str, lines: list[str]) -> None:
        request.config.stash.setdefault(_SLOW_REPORT, []).append((title, lines))

    return add


def pytest_terminal_summary(terminalreporter, config):
    sections = config.stash.get(_SLOW_REPORT, [])
    if not sections:
        return
    text: list[str] = []
    for title, lines in sections:
        terminalreporter.write_sep("-", title)
        for line in lines:
            terminalreporter.write_line(line)
        text += [title, *lines, ""]
    SLOW_REPORT_FILE.parent.mkdir(exist_ok=True)
    SLOW_REPORT_FILE.write_text("\n".join(text))
    terminalreporter.write_line(f"(written to {SLOW_REPORT_FILE})")
