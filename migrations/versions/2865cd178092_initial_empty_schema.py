"""initial: empty schema

Revision ID: 2865cd178092
Revises: 
Create Date: 2026-11-26 14:33:01.627325

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2865cd178092'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
