"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
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
