"""teams and seasons: every match belongs to a team and to the season containing its date

Revision ID: a17c0e5d2b01
Revises: a7d3e9b2c415
Create Date: 2026-12-02 10:50:00.000000

Each existing club gets one team (named after the club, its age group, 11v11) holding all its
matches, and one season per August-to-July range holding a match ("2022/23": 2022-08-01 to
2023-07-31); every player of the club is in the team's squad for each of those seasons. On
SQLite the matches table is copied with foreign keys off (dropping the old copy would cascade
to every match's rows) and the events trigger, which goes with the old table, is recreated.
"""

import uuid
from contextlib import contextmanager
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = "a17c0e5d2b01"
down_revision = "a7d3e9b2c415"
branch_labels = None
depends_on = None

AGE_GROUPS = ("U6", "U8", "U10", "U12", "U14", "U16", "U18", "U21", "Senior")
EVENTS_TRIGGER_SQLITE = (
    "CREATE TRIGGER matches_delete_events AFTER DELETE ON matches FOR EACH ROW "
    "BEGIN DELETE FROM events WHERE match_id = OLD.id; END"
)


@contextmanager
def _recreated_safely(table: str):
    """SQLite copies a table to change it: with foreign keys on, dropping the old copy would
    cascade to every row that refers to it; so foreign keys are off meanwhile."""
    context = op.get_context()
    sqlite = context.dialect.name == "sqlite"
    if sqlite:
        with context.autocommit_block():
            op.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        if sqlite and table == "matches":
            op.execute("DROP TRIGGER IF EXISTS matches_delete_events")
            op.execute(EVENTS_TRIGGER_SQLITE)
        if sqlite and op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").first():
            raise RuntimeError(f"{table} copy broke a foreign key")
    finally:
        if sqlite:
            with context.autocommit_block():
                op.execute("PRAGMA foreign_keys=ON")


def _season(day: date) -> tuple[str, date, date]:
    year = day.year if (day.month, day.day) >= (8, 1) else day.year - 1
    start = date(year, 8, 1)
    return f"{year}/{(year + 1) % 100:02d}", start, date(year + 1, 8, 1) - timedelta(days=1)


def _new_id(sqlite: bool):
    return uuid.uuid4().hex if sqlite else uuid.uuid4()


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _fill(bind) -> None:
    """One team per club, seasons for its matches, squads; match rows get team and season."""
    sqlite = bind.dialect.name == "sqlite"
    meta = sa.MetaData()
    teams = sa.Table("teams", meta, autoload_with=bind)
    seasons = sa.Table("seasons", meta, autoload_with=bind)
    team_players = sa.Table("team_players", meta, autoload_with=bind)
    matches = sa.Table("matches", meta, autoload_with=bind)
    now = sa.func.now() if not sqlite else sa.text("CURRENT_TIMESTAMP")
    clubs = bind.execute(sa.text("SELECT id, club_name, age_group FROM clubs")).all()
    for club_id, club_name, age_group in clubs:
        team_id = _new_id(sqlite)
        bind.execute(
            teams.insert().values(
                id=team_id,
                club_id=club_id,
                name=club_name,
                age_group=age_group if age_group in AGE_GROUPS else None,
                format="11v11",
                created_at=now,
                updated_at=now,
            )
        )
        rows = bind.execute(
            sa.select(matches.c.id, matches.c.match_date).where(matches.c.club_id == club_id)
        ).all()
        by_name: dict[str, object] = {}
        for match_id, match_date in rows:
            name, start, end = _season(_as_date(match_date))
            if name not in by_name:
                by_name[name] = _new_id(sqlite)
                bind.execute(
                    seasons.insert().values(
                        id=by_name[name],
                        club_id=club_id,
                        name=name,
                        start_date=start,
                        end_date=end,
                        created_at=now,
                        updated_at=now,
                    )
                )
            bind.execute(
                matches.update()
                .where(matches.c.id == match_id)
                .values(team_id=team_id, season_id=by_name[name])
            )
        players = bind.execute(
            sa.text("SELECT id FROM players WHERE club_id = :club"), {"club": club_id}
        ).scalars()
        squad = [
            {"team_id": team_id, "season_id": season_id, "player_id": player_id}
            for player_id in players
            for season_id in by_name.values()
        ]
        if squad:
            bind.execute(team_players.insert(), squad)


def upgrade():
    with op.batch_alter_table("clubs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("season_start", sa.String(length=5), server_default="08-01", nullable=False)
        )
        batch_op.add_column(
            sa.Column("min_playing_share", sa.Float(), server_default="0.5", nullable=False)
        )
    op.create_table(
        "teams",
        sa.Column("club_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("age_group", sa.String(length=10), nullable=True),
        sa.Column("format", sa.String(length=5), server_default="11v11", nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "age_group IS NULL OR age_group IN ('U6', 'U8', 'U10', 'U12', 'U14', 'U16', 'U18',"
            " 'U21', 'Senior')",
            name=op.f("ck_teams_age_group"),
        ),
        sa.CheckConstraint(
            "format IN ('11v11', '9v9', '7v7', '5v5')", name=op.f("ck_teams_format")
        ),
        sa.ForeignKeyConstraint(
            ["club_id"], ["clubs.id"], name=op.f("fk_teams_club_id_clubs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
    )
    op.create_index(op.f("ix_teams_club_id"), "teams", ["club_id"], unique=False)
    op.create_table(
        "seasons",
        sa.Column("club_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_seasons_range")),
        sa.ForeignKeyConstraint(
            ["club_id"], ["clubs.id"], name=op.f("fk_seasons_club_id_clubs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seasons")),
        sa.UniqueConstraint("club_id", "start_date", name=op.f("uq_seasons_club_id")),
    )
    op.create_index("ix_seasons_club_id_end_date", "seasons", ["club_id", "end_date"])
    op.create_table(
        "team_players",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("season_id", sa.Uuid(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["player_id"],
            ["players.id"],
            name=op.f("fk_team_players_player_id_players"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["seasons.id"],
            name=op.f("fk_team_players_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_players_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "season_id", "player_id", name=op.f("pk_team_players")),
    )
    op.create_index("ix_team_players_player_id", "team_players", ["player_id"])
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("season_id", sa.Uuid(), nullable=True))
    _fill(op.get_bind())
    with _recreated_safely("matches"), op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.alter_column("team_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.alter_column("season_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.create_foreign_key(
            op.f("fk_matches_team_id_teams"), "teams", ["team_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_foreign_key(
            op.f("fk_matches_season_id_seasons"), "seasons", ["season_id"], ["id"]
        )
        batch_op.create_index(
            "ix_matches_team_id_season_id_match_date",
            ["team_id", "season_id", "match_date"],
            unique=False,
        )
        batch_op.create_index("ix_matches_season_id", ["season_id"], unique=False)


def downgrade():
    with _recreated_safely("matches"), op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_index("ix_matches_season_id")
        batch_op.drop_index("ix_matches_team_id_season_id_match_date")
        batch_op.drop_constraint(op.f("fk_matches_season_id_seasons"), type_="foreignkey")
        batch_op.drop_constraint(op.f("fk_matches_team_id_teams"), type_="foreignkey")
        batch_op.drop_column("season_id")
        batch_op.drop_column("team_id")
    op.drop_index("ix_team_players_player_id", table_name="team_players")
    op.drop_table("team_players")
    op.drop_index("ix_seasons_club_id_end_date", table_name="seasons")
    op.drop_table("seasons")
    op.drop_index(op.f("ix_teams_club_id"), table_name="teams")
    op.drop_table("teams")
    with _recreated_safely("clubs"), op.batch_alter_table("clubs", schema=None) as batch_op:
        batch_op.drop_column("min_playing_share")
        batch_op.drop_column("season_start")
