"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import Uuid, column, create_engine, inspect, select, text
from sqlalchemy import table as sa_table
from sqlalchemy.engine import make_url

from config import TestingConfig
from spinta.app import create_app
from spinta.extensions import db
from tests.conftest import POSTGRES_URL


@pytest.fixture
def fresh_database_url(tmp_path):
    """An empty database: a new SQLite file, or a new PostgreSQL database next to the test one."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    url = make_url(POSTGRES_URL)
    name = f"{url.database}_migrations"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_match_models_and_downgrade(fresh_database_url):
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}
            )
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_existing_clubs_get_a_screen_cache_token(fresh_database_url):
    """c7c530ec0d32 adds clubs.data_version NOT NULL: clubs stored before it get a token each."""
    now = datetime.now(UTC)

    def table(name: str, uuids: tuple[str, ...], *others: str):
        typed = [column(c, Uuid()) for c in ("id", *uuids)]
        return sa_table(name, *typed, *(column(c) for c in ("created_at", "updated_at", *others)))

    users = table("users", (), "email", "password_hash", "full_name", "user_type")
    coaches = table("coaches", ("user_id",))
    clubs = table("clubs", ("coach_id", "data_version"), "club_name")
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))
    with app.app_context():
        upgrade(revision="0adb0223b308")
        with db.engine.begin() as conn:
            for n in range(2):
                stamps = {"created_at": now, "updated_at": now}
                user_id, coach_id = uuid.uuid4(), uuid.uuid4()
                conn.execute(
                    users.insert().values(
                        id=user_id,
                        email=f"c{n}@example.com",
                        password_hash="x",
                        full_name="Coach",
                        user_type="coach",
                        **stamps,
                    )
                )
                conn.execute(coaches.insert().values(id=coach_id, user_id=user_id, **stamps))
                conn.execute(
                    clubs.insert().values(
                        id=uuid.uuid4(), coach_id=coach_id, club_name="Club", **stamps
                    )
                )
        upgrade()
        with db.engine.connect() as conn:
            tokens = conn.execute(select(clubs.c.data_version)).scalars().all()
        assert len(tokens) == 2 and None not in tokens and len(set(tokens)) == 2
        downgrade(revision="base")
        db.engine.dispose()
