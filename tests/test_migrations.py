"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import Integer, MetaData, Table, create_engine, inspect, text
from sqlalchemy.engine import make_url

from config import TestingConfig
from spinta.app import create_app
from spinta.extensions import db
from tests.conftest import POSTGRES_URL

# The last revision with the statsbomb_* column names (5e7a3c9d1f42 renames them).
BEFORE_EXTERNAL_IDS = "b4f2c8e1d305"


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


class Rows:
    """Raw rows for a schema at an older revision (the models describe only the newest): each
    insert gets the given values plus a dummy for every other required column."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"

    def new_id(self):
        return uuid.uuid4().hex if self.sqlite else uuid.uuid4()  # SQLite stores CHAR(32)

    def insert(self, name: str, **values):
        table = Table(name, MetaData(), autoload_with=self.conn)
        row = dict(values)
        for col in table.columns:
            if col.name in row or col.nullable or col.server_default is not None:
                continue
            if col.name == "id" and isinstance(col.type, Integer):
                continue  # filled by the database
            row[col.name] = self._dummy(col)
        self.conn.execute(table.insert().values(**row))
        return row.get("id")

    def club(self, email: str = "c@example.com"):
        """A coach's user, coach and club row; the club's id."""
        user = self.insert("users", id=self.new_id(), email=email, user_type="coach")
        coach = self.insert("coaches", id=self.new_id(), user_id=user)
        return self.insert("clubs", id=self.new_id(), coach_id=coach)

    def _dummy(self, col):
        if col.name == "id":
            return self.new_id()
        try:
            kind = col.type.python_type
        except NotImplementedError:
            kind = str
        samples = {
            bool: False,
            int: 0,
            float: 0.0,
            date: date(2024, 1, 1),
            datetime: datetime.now(UTC),
            uuid.UUID: uuid.uuid4(),
            dict: {},
        }
        return samples.get(kind, "x")


def test_existing_clubs_get_a_screen_cache_token(fresh_database_url):
    """c7c530ec0d32 adds clubs.data_version NOT NULL: clubs stored before it get a token each."""
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))
    with app.app_context():
        upgrade(revision="0adb0223b308")
        with db.engine.begin() as conn:
            rows = Rows(conn)
            for n in range(2):
                user = rows.insert(
                    "users", id=rows.new_id(), email=f"c{n}@example.com", user_type="coach"
                )
                coach = rows.insert("coaches", id=rows.new_id(), user_id=user)
                rows.insert("clubs", id=rows.new_id(), coach_id=coach)
        upgrade()
        with db.engine.connect() as conn:
            tokens = conn.execute(text("SELECT data_version FROM clubs")).scalars().all()
        assert len(tokens) == 2 and None not in tokens and len(set(tokens)) == 2
        downgrade(revision="base")
        db.engine.dispose()


def test_events_get_their_file_position_and_keep_cascading(fresh_database_url):
    """9d3e1f4a7b20: stored events get ``ordinal`` in their old id (file) order, also with a
    repeated StatsBomb index; deleting a match, or its club, still deletes its events (now by
    trigger); the downgrade gives the ids back in the same order."""
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))

    def events(conn, order: str) -> list[tuple]:
        return conn.execute(
            text(f"SELECT statsbomb_id, event_index FROM events ORDER BY {order}")
        ).all()

    with app.app_context():
        upgrade(revision="c7c530ec0d32")
        with db.engine.begin() as conn:
            rows = Rows(conn)
            user = rows.insert(
                "users", id=rows.new_id(), email="coach@example.com", user_type="coach"
            )
            coach = rows.insert("coaches", id=rows.new_id(), user_id=user)
            club = rows.insert("clubs", id=rows.new_id(), coach_id=coach)
            opponent = rows.insert("opponent_clubs", id=rows.new_id(), club_id=club)
            first, second = rows.new_id(), rows.new_id()
            for match, fingerprint in ((first, "f1"), (second, "f2")):
                rows.insert(
                    "matches",
                    id=match,
                    club_id=club,
                    opponent_club_id=opponent,
                    source_fingerprint=fingerprint,
                    result="W",
                )
            for match, event_id, index in (
                (first, "a", 1),
                (second, "z", 1),
                (first, "b", 1),  # the same StatsBomb index again: file order decides
                (first, "c", 2),
            ):
                rows.insert(
                    "events", match_id=match, statsbomb_id=event_id, event_index=index, data={}
                )
        upgrade(revision=BEFORE_EXTERNAL_IDS)
        with db.engine.connect() as conn:
            numbered = conn.execute(
                text("SELECT statsbomb_id, ordinal FROM events ORDER BY match_id, ordinal")
            ).all()
        assert sorted(numbered) == [("a", 0), ("b", 1), ("c", 2), ("z", 0)]

        downgrade(revision="c7c530ec0d32")
        with db.engine.connect() as conn:
            by_id = [row[0] for row in events(conn, "id")]
        assert by_id.index("a") < by_id.index("b") < by_id.index("c")
        upgrade(revision=BEFORE_EXTERNAL_IDS)

        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM matches WHERE id = :id"), {"id": first})
        with db.engine.connect() as conn:
            assert events(conn, "statsbomb_id") == [("z", 1)]
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM users WHERE id = :id"), {"id": user})
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM matches")).scalar() == 0
            assert events(conn, "statsbomb_id") == []
        downgrade(revision="base")
        db.engine.dispose()


def test_existing_invite_codes_get_thirty_days_from_the_upgrade(fresh_database_url):
    """e4b7c2a91d53 adds players.invite_expires_at NOT NULL: stored codes expire 30 days after
    the upgrade (they were handed out without an expiry), and revoked_tokens exists."""
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))
    with app.app_context():
        upgrade(revision="9d3e1f4a7b20")
        with db.engine.begin() as conn:
            rows = Rows(conn)
            club = rows.club()
            rows.insert("players", id=rows.new_id(), club_id=club, invite_code="OLD-00000000")
        before = datetime.now(UTC)
        upgrade()
        with db.engine.connect() as conn:
            (expires,) = conn.execute(text("SELECT invite_expires_at FROM players")).scalars()
            assert conn.execute(text("SELECT count(*) FROM revoked_tokens")).scalar() == 0
        expires = expires if isinstance(expires, datetime) else datetime.fromisoformat(expires)
        expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
        assert timedelta(days=30) <= expires - before < timedelta(days=30, minutes=5)
        downgrade(revision="base")
        db.engine.dispose()


def test_clubs_may_share_a_team_id_and_keep_their_rows(fresh_database_url):
    """b4f2c8e1d305: the unique constraint on clubs.statsbomb_team_id goes; on SQLite the clubs
    table is copied with foreign keys off, so no club's matches or events cascade away."""
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))
    with app.app_context():
        upgrade(revision="9d3e1f4a7b20")
        with db.engine.begin() as conn:
            rows = Rows(conn)
            user = rows.insert(
                "users", id=rows.new_id(), email="coach@example.com", user_type="coach"
            )
            coach = rows.insert("coaches", id=rows.new_id(), user_id=user)
            club = rows.insert("clubs", id=rows.new_id(), coach_id=coach, statsbomb_team_id=779)
            match = rows.insert("matches", id=rows.new_id(), club_id=club, result="W")
            rows.insert("events", match_id=match, ordinal=0, statsbomb_id="a", data={})
        upgrade(revision=BEFORE_EXTERNAL_IDS)
        with db.engine.begin() as conn:
            rows = Rows(conn)
            user = rows.insert("users", id=rows.new_id(), email="c2@example.com", user_type="coach")
            coach = rows.insert("coaches", id=rows.new_id(), user_id=user)
            later = datetime(2030, 1, 1, tzinfo=UTC)
            rows.insert(
                "clubs", id=rows.new_id(), coach_id=coach, statsbomb_team_id=779, created_at=later
            )
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM matches")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 1
            shared = "SELECT count(*) FROM clubs WHERE statsbomb_team_id = 779"
            assert conn.execute(text(shared)).scalar() == 2
            if conn.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        downgrade(revision="9d3e1f4a7b20")  # the older club keeps the shared id
        with db.engine.connect() as conn:
            kept = conn.execute(text("SELECT id FROM clubs WHERE statsbomb_team_id = 779"))
            assert [str(row[0]).replace("-", "") for row in kept] == [str(club).replace("-", "")]
            assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 1
        downgrade(revision="base")
        db.engine.dispose()


def test_existing_clubs_get_one_team_and_seasons_for_their_matches(fresh_database_url):
    """a17c0e5d2b01: each club gets one team holding its matches and players, and one
    August-to-July season per range holding a match; events still cascade with their match."""
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))
    with app.app_context():
        upgrade(revision="b4f2c8e1d305")
        with db.engine.begin() as conn:
            rows = Rows(conn)
            user = rows.insert(
                "users", id=rows.new_id(), email="coach@example.com", user_type="coach"
            )
            coach = rows.insert("coaches", id=rows.new_id(), user_id=user)
            club = rows.insert(
                "clubs", id=rows.new_id(), coach_id=coach, club_name="Lions", age_group="U12"
            )
            matches = {}
            for n, day in enumerate((date(2022, 7, 31), date(2022, 8, 1), date(2023, 3, 4))):
                matches[day] = rows.insert(
                    "matches",
                    id=rows.new_id(),
                    club_id=club,
                    match_date=day,
                    source_fingerprint=f"f{n}",
                    result="W",
                )
            rows.insert("events", match_id=matches[day], ordinal=0, statsbomb_id="a", data={})
            for n in range(2):
                rows.insert("players", id=rows.new_id(), club_id=club, invite_code=f"CODE{n}")
            other_user = rows.insert(
                "users", id=rows.new_id(), email="o@example.com", user_type="coach"
            )
            other = rows.insert("coaches", id=rows.new_id(), user_id=other_user)
            rows.insert("clubs", id=rows.new_id(), coach_id=other, club_name="Empty")
        upgrade()
        with db.engine.connect() as conn:
            teams = conn.execute(
                text("SELECT name, age_group, format FROM teams ORDER BY name")
            ).all()
            assert [tuple(t) for t in teams] == [
                ("Empty", None, "11v11"),
                ("Lions", "U12", "11v11"),
            ]
            seasons = conn.execute(
                text(
                    "SELECT s.name, s.start_date, s.end_date, count(m.id) FROM seasons s"
                    " JOIN matches m ON m.season_id = s.id GROUP BY s.id, s.name, s.start_date,"
                    " s.end_date ORDER BY s.start_date"
                )
            ).all()
            assert [(name, str(start), str(end), n) for name, start, end, n in seasons] == [
                ("2021/22", "2021-08-01", "2022-07-31", 1),
                ("2022/23", "2022-08-01", "2023-07-31", 2),
            ]
            lions = "SELECT id FROM teams WHERE name = 'Lions'"
            assert (
                conn.execute(
                    text(f"SELECT count(*) FROM matches WHERE team_id = ({lions})")
                ).scalar()
                == 3
            )
            assert conn.execute(text("SELECT count(*) FROM team_players")).scalar() == 4
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM matches WHERE match_date = '2023-03-04'"))
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM matches")).scalar() == 2
        downgrade(revision="b4f2c8e1d305")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM matches")).scalar() == 2
            assert conn.execute(text("SELECT count(*) FROM players")).scalar() == 2


def test_external_ids_keep_every_stored_id_and_name_their_provider(fresh_database_url):
    """5e7a3c9d1f42 renames the statsbomb_* columns to external ids and adds `provider`: every
    stored id stays, "statsbomb" where one is stored; the downgrade gives the old names back."""
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))
    ids = {
        ("clubs", "statsbomb_team_id", "external_id"): 779,
        ("players", "statsbomb_player_id", "external_id"): 5503,
        ("opponent_clubs", "statsbomb_team_id", "external_id"): 794,
        ("opponent_players", "statsbomb_player_id", "external_id"): 3501,
        ("matches", "our_statsbomb_team_id", "our_external_id"): 779,
        ("matches", "opponent_statsbomb_team_id", "opponent_external_id"): 794,
        ("match_lineups", "statsbomb_player_id", "external_id"): 5503,
        ("player_match_statistics", "statsbomb_player_id", "external_id"): 5503,
        ("match_statistics", "team_statsbomb_id", "team_external_id"): 779,
        ("goals", "team_statsbomb_id", "team_external_id"): 779,
        ("goals", "scorer_statsbomb_id", "scorer_external_id"): 5503,
        ("goals", "assist_statsbomb_id", "assist_external_id"): 5507,
        ("events", "statsbomb_id", "external_id"): "8d3c-event",
    }

    def values(conn, new: bool) -> dict:
        return {
            # Sorted: a later migration may rewrite a table, and rows have no order of their own.
            key: sorted(
                conn.execute(text(f"SELECT {key[2] if new else key[1]} FROM {key[0]}")).all(),
                key=str,
            )
            for key in ids
        }

    with app.app_context():
        upgrade(revision=BEFORE_EXTERNAL_IDS)
        with db.engine.begin() as conn:
            rows = Rows(conn)
            user = rows.insert("users", id=rows.new_id(), email="c@example.com", user_type="coach")
            coach = rows.insert("coaches", id=rows.new_id(), user_id=user)
            club = rows.insert("clubs", id=rows.new_id(), coach_id=coach, statsbomb_team_id=779)
            rows.insert(
                "clubs",
                id=rows.new_id(),
                coach_id=rows.insert(
                    "coaches",
                    id=rows.new_id(),
                    user_id=rows.insert(
                        "users", id=rows.new_id(), email="d@example.com", user_type="coach"
                    ),
                ),
            )  # a club without an upload: no id, no provider
            player = rows.insert(
                "players",
                id=rows.new_id(),
                club_id=club,
                statsbomb_player_id=5503,
                invite_code="MES-00000000",
            )
            opponent = rows.insert(
                "opponent_clubs", id=rows.new_id(), club_id=club, statsbomb_team_id=794
            )
            rows.insert(
                "opponent_players",
                id=rows.new_id(),
                opponent_club_id=opponent,
                statsbomb_player_id=3501,
            )
            match = rows.insert(
                "matches",
                id=rows.new_id(),
                club_id=club,
                opponent_club_id=opponent,
                result="W",
                our_statsbomb_team_id=779,
                opponent_statsbomb_team_id=794,
            )
            for table in ("match_lineups", "player_match_statistics"):
                rows.insert(
                    table,
                    id=rows.new_id(),
                    match_id=match,
                    player_id=player,
                    statsbomb_player_id=5503,
                )
            rows.insert("match_statistics", id=rows.new_id(), match_id=match, team_statsbomb_id=779)
            rows.insert(
                "goals",
                id=rows.new_id(),
                match_id=match,
                team_statsbomb_id=779,
                scorer_statsbomb_id=5503,
                assist_statsbomb_id=5507,
            )
            rows.insert("events", match_id=match, ordinal=0, statsbomb_id="8d3c-event", data={})
        with db.engine.connect() as conn:
            before = values(conn, new=False)
        assert all(value in [row[0] for row in before[key]] for key, value in ids.items())
        upgrade()
        with db.engine.connect() as conn:
            assert values(conn, new=True) == before
            providers = {
                table: sorted(
                    conn.execute(text(f"SELECT provider, external_id FROM {table}")).all(),
                    key=str,
                )
                for table in ("clubs", "players", "opponent_clubs", "opponent_players")
            }
            assert conn.execute(text("SELECT provider FROM matches")).scalars().all() == [
                "statsbomb"
            ]
        assert providers == {
            "clubs": sorted([("statsbomb", 779), (None, None)], key=str),
            "players": [("statsbomb", 5503)],
            "opponent_clubs": [("statsbomb", 794)],
            "opponent_players": [("statsbomb", 3501)],
        }
        downgrade(revision=BEFORE_EXTERNAL_IDS)
        with db.engine.connect() as conn:
            assert values(conn, new=False) == before
        downgrade(revision="base")
        db.engine.dispose()


def test_existing_coaches_become_the_admins_of_their_clubs(fresh_database_url):
    """d5f7a9b1c3e4: each coach belongs to the club he founded, as its admin; the clubs and
    their players stay (SQLite copies the coaches table: nothing may cascade)."""
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))
    with app.app_context():
        upgrade(revision="c3d5e7f9a1b2")
        with db.engine.begin() as conn:
            rows = Rows(conn)
            for club_name in ("Lions", "Tigers"):
                user = rows.insert(
                    "users", id=rows.new_id(), email=f"{club_name}@x.com", user_type="coach"
                )
                coach = rows.insert("coaches", id=rows.new_id(), user_id=user)
                club = rows.insert("clubs", id=rows.new_id(), coach_id=coach, club_name=club_name)
                rows.insert("players", id=rows.new_id(), club_id=club, invite_code=club_name)
        upgrade()
        with db.engine.connect() as conn:
            staff = conn.execute(
                text(
                    "SELECT clubs.club_name, coaches.role FROM coaches"
                    " JOIN clubs ON clubs.id = coaches.club_id AND clubs.coach_id = coaches.id"
                    " ORDER BY clubs.club_name"
                )
            ).all()
            assert [tuple(row) for row in staff] == [("Lions", "admin"), ("Tigers", "admin")]
            assert conn.execute(text("SELECT count(*) FROM players")).scalar() == 2
            assert conn.execute(text("SELECT count(*) FROM coach_teams")).scalar() == 0
        downgrade(revision="c3d5e7f9a1b2")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM clubs")).scalar() == 2
            assert conn.execute(text("SELECT count(*) FROM coaches")).scalar() == 2
        downgrade(revision="base")
        db.engine.dispose()


def test_birth_dates_become_months_and_minors_lose_the_day(fresh_database_url):
    """d8e2f4a6b9c1: every stored birth date gives players.birth_month; the day is kept only for
    players at or over 16 today. The players and matches tables are copied on SQLite with
    foreign keys off: consents, matches and goals stay."""
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))
    today = date.today()
    adult_born, minor_born = date(today.year - 30, 2, 14), date(today.year - 10, 11, 23)
    with app.app_context():
        upgrade(revision="c3d5e7f9a1b2")
        with db.engine.begin() as conn:
            rows = Rows(conn)
            club = rows.club()
            team = rows.insert("teams", id=rows.new_id(), club_id=club)
            season = rows.insert("seasons", id=rows.new_id(), club_id=club)
            opponent = rows.insert("opponent_clubs", id=rows.new_id(), club_id=club)
            match = rows.insert(
                "matches",
                id=rows.new_id(),
                club_id=club,
                team_id=team,
                season_id=season,
                opponent_club_id=opponent,
                result="W",
            )
            rows.insert("goals", id=rows.new_id(), match_id=match, sequence=0)
            born = {"adult": adult_born, "minor": minor_born, "unknown": None}
            for n, (name, day) in enumerate(born.items()):
                player = rows.insert(
                    "players",
                    id=rows.new_id(),
                    club_id=club,
                    player_name=name,
                    invite_code=f"OLD-{n:08d}",
                    birth_date=day,
                    provider="statsbomb",
                    external_id=100 + n,
                )
                rows.insert(
                    "consents",
                    id=rows.new_id(),
                    player_id=player,
                    purpose="photos",
                    method="written",
                )
        upgrade()
        with db.engine.connect() as conn:
            stored = {
                name: (str(day) if day else None, str(month) if month else None)
                for name, day, month in conn.execute(
                    text("SELECT player_name, birth_date, birth_month FROM players")
                )
            }
            counts = [
                conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                for table in ("consents", "matches", "goals")
            ]
        assert stored == {
            "adult": (str(adult_born), str(adult_born.replace(day=1))),
            "minor": (None, str(minor_born.replace(day=1))),
            "unknown": (None, None),
        }
        assert counts == [3, 1, 1]
        downgrade(revision="c3d5e7f9a1b2")
        with db.engine.connect() as conn:
            counts = [
                conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                for table in ("consents", "matches", "goals")
            ]
        assert counts == [3, 1, 1]
        downgrade(revision="base")
        db.engine.dispose()


def test_advanced_metric_rows_keep_their_provider_player_id(fresh_database_url):
    """d4e6f8a0b2c3 renames advanced_metrics.statsbomb_player_id to external_id in place: the
    stored ids stay (null on a team row), and the downgrade gives the old name back."""
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))
    with app.app_context():
        upgrade(revision="c3d5e7f9a1b2")
        with db.engine.begin() as conn:
            rows = Rows(conn)
            club = rows.club()
            team = rows.insert("teams", id=rows.new_id(), club_id=club)
            season = rows.insert("seasons", id=rows.new_id(), club_id=club)
            opponent = rows.insert("opponent_clubs", id=rows.new_id(), club_id=club)
            match = rows.insert(
                "matches",
                id=rows.new_id(),
                club_id=club,
                team_id=team,
                season_id=season,
                opponent_club_id=opponent,
                result="W",
            )
            for external_id, metric in ((5503, "expected_threat"), (None, "ppda")):
                rows.insert(
                    "advanced_metrics",
                    id=rows.new_id(),
                    match_id=match,
                    is_our_team=True,
                    statsbomb_player_id=external_id,
                    metric=metric,
                    value=0.5,
                )
        query = "SELECT metric, {} FROM advanced_metrics ORDER BY metric"
        upgrade(revision="d4e6f8a0b2c3")
        with db.engine.connect() as conn:
            stored = conn.execute(text(query.format("external_id"))).all()
        assert [tuple(row) for row in stored] == [("expected_threat", 5503), ("ppda", None)]
        downgrade(revision="d8e2f4a6b9c1")  # the revision before the rename
        with db.engine.connect() as conn:
            assert conn.execute(text(query.format("statsbomb_player_id"))).all() == stored
        downgrade(revision="base")
        db.engine.dispose()


def test_stored_matches_get_their_length_from_their_events(fresh_database_url):
    """e6a8c0d2f4b7: a match's length is the latest timestamp of each period 1-4 (the shootout
    left out); a match without stored events gets its longest lineup stint; the rest stays."""
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))
    with app.app_context():
        upgrade(revision="d4e6f8a0b2c3")
        with db.engine.begin() as conn:
            rows = Rows(conn)
            user = rows.insert("users", id=rows.new_id(), email="l@example.com", user_type="coach")
            club = rows.insert(
                "clubs",
                id=rows.new_id(),
                coach_id=rows.insert("coaches", id=rows.new_id(), user_id=user),
            )
            team = rows.insert("teams", id=rows.new_id(), club_id=club)
            season = rows.insert(
                "seasons",
                id=rows.new_id(),
                club_id=club,
                start_date=date(2022, 8, 1),
                end_date=date(2023, 7, 31),
            )
            played = {}
            for name in ("events", "lineups"):
                played[name] = rows.insert(
                    "matches",
                    id=rows.new_id(),
                    club_id=club,
                    team_id=team,
                    season_id=season,
                    match_date=date(2022, 9, 1),
                    source_fingerprint=name,
                    result="W",
                )
            stamps = [
                (1, "00:45:10.500"),
                (1, "00:47:02.250"),
                (2, "00:49:00.000"),
                (5, "00:09:00.000"),
            ]
            for ordinal, (period, stamp) in enumerate(stamps):
                rows.insert(
                    "events",
                    match_id=played["events"],
                    ordinal=ordinal,
                    external_id=f"e{ordinal}",
                    period=period,
                    timestamp=stamp,
                    data={},
                )
            for n, minutes in enumerate((93.5, 40.0)):
                rows.insert(
                    "match_lineups",
                    id=rows.new_id(),
                    match_id=played["lineups"],
                    is_our_team=True,
                    external_id=n,
                    minutes_played=minutes,
                )
        upgrade()
        with db.engine.connect() as conn:
            lengths = dict(
                conn.execute(text("SELECT source_fingerprint, length_minutes FROM matches")).all()
            )
        assert lengths["events"] == pytest.approx((47 * 60 + 2.25 + 49 * 60) / 60, abs=1e-9)
        assert lengths["lineups"] == pytest.approx(93.5)
        downgrade(revision="d4e6f8a0b2c3")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM matches")).scalar() == 2
            assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 4
            assert conn.execute(text("SELECT count(*) FROM match_lineups")).scalar() == 2


def test_stored_goals_get_the_season_holding_their_due_date(fresh_database_url):
    """b3d5f7a9c1e2: a goal stored before goals had seasons gets its club's season holding its
    due date (never another club's); one due outside every season keeps NULL; down drops it."""
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": fresh_database_url}))
    with app.app_context():
        upgrade(revision="f1a3c5e7b9d2")
        with db.engine.begin() as conn:
            rows = Rows(conn)
            ours, theirs = rows.club(), rows.club("other@example.com")
            seasons = {}
            for club in (theirs, ours):  # the other club's season first: it must not be taken
                seasons[club] = rows.insert(
                    "seasons",
                    id=rows.new_id(),
                    club_id=club,
                    start_date=date(2022, 8, 1),
                    end_date=date(2023, 7, 31),
                )
            player = rows.insert("players", id=rows.new_id(), club_id=ours, player_name="A")
            for due in (date(2023, 3, 1), date(2024, 3, 1)):
                rows.insert(
                    "development_goals",
                    id=rows.new_id(),
                    player_id=player,
                    metric="goals",
                    target_per90=1.0,
                    due_date=due,
                )
        upgrade(revision="b3d5f7a9c1e2")
        with db.engine.connect() as conn:
            stored = conn.execute(
                text("SELECT due_date, season_id FROM development_goals ORDER BY due_date")
            ).all()
        found = [None if season is None else uuid.UUID(str(season)) for _, season in stored]
        assert found == [uuid.UUID(str(seasons[ours])), None]
        downgrade(revision="f1a3c5e7b9d2")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("development_goals")}
        assert "season_id" not in columns
        downgrade(revision="base")
        db.engine.dispose()
