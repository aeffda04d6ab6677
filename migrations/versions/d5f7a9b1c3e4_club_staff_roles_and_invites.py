"""club staff: a coach belongs to a club with a role; coach_teams; staff_invites

Revision ID: d5f7a9b1c3e4
Revises: c3d5e7f9a1b2
Create Date: 2026-12-02 15:30:00.000000

Every existing coach becomes the admin of the club he founded (clubs.coach_id stays: the
founding coach). The downgrade drops the staff tables and columns: staff members other than
the founders are left without a club (their logins answer 401 on the coach endpoints).
"""

from contextlib import contextmanager

from alembic import context, op
import sqlalchemy as sa


revision = "d5f7a9b1c3e4"
down_revision = "c3d5e7f9a1b2"
branch_labels = None
depends_on = None


@contextmanager
def _foreign_keys_off_on_sqlite():
    """SQLite adds a foreign key by copying the table: with foreign keys on (every Spinta
    connection), dropping the old coaches table would cascade to clubs and all they hold."""
    sqlite = context.get_context().dialect.name == "sqlite"
    if sqlite:
        with context.get_context().autocommit_block():
            op.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        if sqlite and op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").first():
            raise RuntimeError("coaches copy broke a foreign key")
    finally:
        if sqlite:
            with context.get_context().autocommit_block():
                op.execute("PRAGMA foreign_keys=ON")


def upgrade():
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table("coaches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("club_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("role", sa.String(length=10), server_default="admin", nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_coaches_club_id"), ["club_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_coaches_club_id_clubs"),
            "clubs",
            ["club_id"],
            ["id"],
            ondelete="SET NULL",
            deferrable=True,
            initially="DEFERRED",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_coaches_role"), "role IN ('admin', 'coach')"
        )
    op.execute(
        "UPDATE coaches SET role = 'admin', club_id = "
        "(SELECT clubs.id FROM clubs WHERE clubs.coach_id = coaches.id)"
    )
    op.create_table(
        "coach_teams",
        sa.Column("coach_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["coaches.id"], name=op.f("fk_coach_teams_coach_id_coaches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_coach_teams_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("coach_id", "team_id", name=op.f("pk_coach_teams")),
    )
    op.create_index("ix_coach_teams_team_id", "coach_teams", ["team_id"], unique=False)
    op.create_table(
        "staff_invites",
        sa.Column("club_id", sa.Uuid(), nullable=False),
        sa.Column("invite_code", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column(
            "team_ids",
            sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("invite_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'coach')", name=op.f("ck_staff_invites_role")),
        sa.ForeignKeyConstraint(
            ["club_id"], ["clubs.id"], name=op.f("fk_staff_invites_club_id_clubs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_invites")),
        sa.UniqueConstraint("invite_code", name=op.f("uq_staff_invites_invite_code")),
    )
    op.create_index(
        op.f("ix_staff_invites_club_id"), "staff_invites", ["club_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_staff_invites_club_id"), table_name="staff_invites")
    op.drop_table("staff_invites")
    op.drop_index("ix_coach_teams_team_id", table_name="coach_teams")
    op.drop_table("coach_teams")
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table("coaches", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_coaches_role"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_coaches_club_id_clubs"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_coaches_club_id"))
        batch_op.drop_column("role")
        batch_op.drop_column("club_id")
