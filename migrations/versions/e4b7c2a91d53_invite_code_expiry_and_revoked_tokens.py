"""players.invite_expires_at (invite codes expire) and revoked_tokens (logout)

Revision ID: e4b7c2a91d53
Revises: 9d3e1f4a7b20
Create Date: 2026-12-02 02:50:00.000000

Codes issued before this revision never promised an expiry, and many were handed out but not
used yet: they get the default 30 days from the upgrade, not from their creation (which would
expire most of them at once, with no warning to the coach).
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "e4b7c2a91d53"
down_revision = "9d3e1f4a7b20"
branch_labels = None
depends_on = None

EXISTING_CODES_TTL_DAYS = 30


def upgrade():
    op.create_table(
        "revoked_tokens",
        sa.Column("jti", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("jti", name=op.f("pk_revoked_tokens")),
    )
    with op.batch_alter_table("revoked_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_revoked_tokens_expires_at"), ["expires_at"], unique=False
        )
    with op.batch_alter_table("players", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("invite_expires_at", sa.DateTime(timezone=True), nullable=True)
        )
    players = sa.table("players", sa.column("invite_expires_at", sa.DateTime(timezone=True)))
    expiry = datetime.now(UTC) + timedelta(days=EXISTING_CODES_TTL_DAYS)
    op.get_bind().execute(players.update().values(invite_expires_at=expiry))
    with op.batch_alter_table("players", schema=None) as batch_op:
        batch_op.alter_column(
            "invite_expires_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade():
    with op.batch_alter_table("players", schema=None) as batch_op:
        batch_op.drop_column("invite_expires_at")
    with op.batch_alter_table("revoked_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revoked_tokens_expires_at"))
    op.drop_table("revoked_tokens")
