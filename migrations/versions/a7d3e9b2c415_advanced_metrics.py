"""advanced_metrics (progressive passes and carries, PPDA, field tilt, xT and pass strings per
team and player per match) and development_goals (issue 22)

Revision ID: a7d3e9b2c415
Revises: 14b037ef94a7
Create Date: 2026-12-02 10:50:00.000000

New tables only; matches stored before it get their rows from `flask spinta recompute-stats`
(their screens show null team values and 0 player values until then).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7d3e9b2c415"
down_revision = "14b037ef94a7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "advanced_metrics",
        sa.Column("match_id", sa.Uuid(), nullable=False),
        sa.Column("is_our_team", sa.Boolean(), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=True),
        sa.Column("statsbomb_player_id", sa.Integer(), nullable=True),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["match_id"], ["matches.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["player_id"], ["players.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_advanced_metrics_match", "advanced_metrics", ["match_id", "is_our_team"])
    op.create_index(
        "ix_advanced_metrics_player_metric", "advanced_metrics", ["player_id", "metric"]
    )

    op.create_table(
        "development_goals",
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("target_per90", sa.Float(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["players.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_development_goals_player_id"), "development_goals", ["player_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_development_goals_player_id"), table_name="development_goals")
    op.drop_table("development_goals")
    op.drop_index("ix_advanced_metrics_player_metric", table_name="advanced_metrics")
    op.drop_index("ix_advanced_metrics_match", table_name="advanced_metrics")
    op.drop_table("advanced_metrics")
