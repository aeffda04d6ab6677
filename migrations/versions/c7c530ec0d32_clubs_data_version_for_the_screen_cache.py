"""clubs.data_version: the token that keys a club's cached screens

Revision ID: c7c530ec0d32
Revises: 0adb0223b308
Create Date: 2026-11-30 16:44:28.845167

"""

import uuid

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c7c530ec0d32"
down_revision = "0adb0223b308"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("clubs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_version", sa.Uuid(), nullable=True))
    clubs = sa.table("clubs", sa.column("id", sa.Uuid()), sa.column("data_version", sa.Uuid()))
    connection = op.get_bind()
    for (club_id,) in connection.execute(sa.select(clubs.c.id)).all():
        connection.execute(
            clubs.update().where(clubs.c.id == club_id).values(data_version=uuid.uuid4())
        )
    with op.batch_alter_table("clubs", schema=None) as batch_op:
        batch_op.alter_column("data_version", existing_type=sa.Uuid(), nullable=False)


def downgrade():
    with op.batch_alter_table("clubs", schema=None) as batch_op:
        batch_op.drop_column("data_version")
