"""advanced_metrics.statsbomb_player_id becomes external_id (provider-neutral)

Revision ID: d4e6f8a0b2c3
Revises: d8e2f4a6b9c1
Create Date: 2026-12-02 15:30:00.000000

The provider's id of the player a row is about (null on a team row), named as every other
provider id since 5e7a3c9d1f42. Renamed in place (ALTER TABLE ... RENAME COLUMN, PostgreSQL
and SQLite >= 3.25): no row is copied or lost; the column holds no index or constraint.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "d4e6f8a0b2c3"
down_revision = "d8e2f4a6b9c1"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE advanced_metrics RENAME COLUMN statsbomb_player_id TO external_id")


def downgrade():
    op.execute("ALTER TABLE advanced_metrics RENAME COLUMN external_id TO statsbomb_player_id")
