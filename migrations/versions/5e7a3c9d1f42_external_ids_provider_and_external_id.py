"""External ids: the statsbomb_* columns become provider + external_id

Revision ID: 5e7a3c9d1f42
Revises: b4f2c8e1d305
Create Date: 2026-12-02 11:20:00.000000

Every id a provider gave (team, player, event) is kept, under a provider-neutral name; the
provider itself is a column of the rows that outlive a match (clubs, squad and opponent
players, opponent clubs) and of the match. Rows stored so far all came from StatsBomb files:
the upgrade names "statsbomb" wherever an id is stored. Columns are renamed in place
(ALTER TABLE ... RENAME COLUMN, PostgreSQL and SQLite >= 3.25): no table is copied, so no
row, index, constraint or trigger is rebuilt; unique constraints keep their names.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e7a3c9d1f42"
down_revision = "b4f2c8e1d305"
branch_labels = None
depends_on = None

# (table, old name, new name)
RENAMED = (
    ("clubs", "statsbomb_team_id", "external_id"),
    ("players", "statsbomb_player_id", "external_id"),
    ("opponent_clubs", "statsbomb_team_id", "external_id"),
    ("opponent_players", "statsbomb_player_id", "external_id"),
    ("matches", "our_statsbomb_team_id", "our_external_id"),
    ("matches", "opponent_statsbomb_team_id", "opponent_external_id"),
    ("match_lineups", "statsbomb_player_id", "external_id"),
    ("player_match_statistics", "statsbomb_player_id", "external_id"),
    ("match_statistics", "team_statsbomb_id", "team_external_id"),
    ("goals", "team_statsbomb_id", "team_external_id"),
    ("goals", "scorer_statsbomb_id", "scorer_external_id"),
    ("goals", "assist_statsbomb_id", "assist_external_id"),
    ("events", "statsbomb_id", "external_id"),
)
# Rows whose external id (when stored) names its provider.
WITH_PROVIDER = ("clubs", "players", "opponent_clubs", "opponent_players")


def _rename(table: str, old: str, new: str) -> None:
    op.execute(f"ALTER TABLE {table} RENAME COLUMN {old} TO {new}")


def upgrade():
    for table, old, new in RENAMED:
        _rename(table, old, new)
    op.drop_index("ix_players_statsbomb_player_id", table_name="players")
    op.create_index("ix_players_external_id", "players", ["external_id"], unique=False)
    for table in WITH_PROVIDER:
        op.add_column(table, sa.Column("provider", sa.String(length=20), nullable=True))
        op.execute(
            f"UPDATE {table} SET provider = 'statsbomb' WHERE external_id IS NOT NULL"
        )
    op.add_column(
        "matches",
        sa.Column(
            "provider", sa.String(length=20), server_default="statsbomb", nullable=False
        ),
    )


def downgrade():
    op.drop_column("matches", "provider")
    for table in WITH_PROVIDER:
        op.drop_column(table, "provider")
    op.drop_index("ix_players_external_id", table_name="players")
    for table, old, new in RENAMED:
        _rename(table, new, old)
    op.create_index(
        "ix_players_statsbomb_player_id", "players", ["statsbomb_player_id"], unique=False
    )
