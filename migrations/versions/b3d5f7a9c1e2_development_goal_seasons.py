"""development_goals.season_id: the club season a goal's current per-90 value counts

Revision ID: b3d5f7a9c1e2
Revises: f1a3c5e7b9d2
Create Date: 2026-12-03 07:10:00.000000

A goal counts the player's matches of its season up to its due date (before, it counted every
match he ever played). Goals already stored get the season of their club that holds their due
date; one due outside every season keeps NULL and counts no match until the coach sets it again.
No table references development_goals, so SQLite's table copy cascades nowhere.
"""

import sqlalchemy as sa
from alembic import op


revision = "b3d5f7a9c1e2"
down_revision = "f1a3c5e7b9d2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("development_goals") as batch_op:
        batch_op.add_column(sa.Column("season_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_development_goals_season_id"), ["season_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_development_goals_season_id_seasons"),
            "seasons",
            ["season_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.execute(
        """
        UPDATE development_goals SET season_id = (
            SELECT seasons.id FROM seasons JOIN players ON players.club_id = seasons.club_id
            WHERE players.id = development_goals.player_id
              AND seasons.start_date <= development_goals.due_date
              AND seasons.end_date >= development_goals.due_date
        )
        """
    )


def downgrade():
    with op.batch_alter_table("development_goals") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_development_goals_season_id_seasons"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_development_goals_season_id"))
        batch_op.drop_column("season_id")
