"""jobs.team_id: the team an upload job is for (a staff coach sees only his teams' jobs)

Revision ID: f1a3c5e7b9d2
Revises: e6a8c0d2f4b7
Create Date: 2026-12-02 17:00:00.000000

A nullable column without a foreign key (a job row is a transient record and must not hold up
a team's deletion). Jobs already stored keep NULL: club-wide, seen by the club's admins only.
"""

import sqlalchemy as sa
from alembic import op


revision = "f1a3c5e7b9d2"
down_revision = "e6a8c0d2f4b7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.add_column(sa.Column("team_id", sa.Uuid(), nullable=True))


def downgrade():
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.drop_column("team_id")
