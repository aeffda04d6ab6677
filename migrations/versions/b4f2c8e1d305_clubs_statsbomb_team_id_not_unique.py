"""clubs.statsbomb_team_id is no longer unique: a provider team id may belong to several clubs

Revision ID: b4f2c8e1d305
Revises: e4b7c2a91d53
Create Date: 2026-12-02 02:45:00.000000

The id names a team in StatsBomb's data, not a club of Spinta: two clubs may load the same
public match (the World Cup demo, a scout's club and the team's own). Each club remembers the
id of its first upload; no club is refused because another one uploaded the same team first.
The downgrade restores the constraint: where clubs share an id, the oldest club keeps it and
the others forget it (their next files match by name again).
"""

from contextlib import contextmanager

from alembic import op

# revision identifiers, used by Alembic.
revision = "b4f2c8e1d305"
down_revision = "e4b7c2a91d53"
branch_labels = None
depends_on = None


@contextmanager
def _clubs_recreated_safely():
    """SQLite drops a unique constraint by copying the table: with foreign keys on (every
    Spinta connection), dropping the old clubs table would cascade to every club's rows. So the
    copy runs with them off, and is checked before they are back on."""
    context = op.get_context()
    sqlite = context.dialect.name == "sqlite"
    if sqlite:
        with context.autocommit_block():
            op.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        if sqlite and op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").first():
            raise RuntimeError("clubs copy broke a foreign key")
    finally:
        if sqlite:
            with context.autocommit_block():
                op.execute("PRAGMA foreign_keys=ON")


def upgrade():
    with _clubs_recreated_safely(), op.batch_alter_table("clubs", schema=None) as batch_op:
        batch_op.drop_constraint("uq_clubs_statsbomb_team_id", type_="unique")


def downgrade():
    op.execute(
        "UPDATE clubs SET statsbomb_team_id = NULL WHERE EXISTS (SELECT 1 FROM clubs AS older"
        " WHERE older.statsbomb_team_id = clubs.statsbomb_team_id AND (older.created_at <"
        " clubs.created_at OR (older.created_at = clubs.created_at AND older.id < clubs.id)))"
    )
    with _clubs_recreated_safely(), op.batch_alter_table("clubs", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_clubs_statsbomb_team_id", ["statsbomb_team_id"])
