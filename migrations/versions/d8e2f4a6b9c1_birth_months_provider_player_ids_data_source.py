"""Children's data minimisation (birth months), players keyed by provider, matches' data source

Revision ID: d8e2f4a6b9c1
Revises: d5f7a9b1c3e4
Create Date: 2026-12-02 16:00:00.000000

- players.birth_month (the first day of the birth month) is filled from every stored birth
  date; the full birth_date is then kept only for players at or over the consent age (16, the
  default of CONSENT_AGE) today: a minor's day of birth is not needed by anything Spinta does
  (README "Children's data"). The downgrade cannot bring the days back: it restores the column
  shape only (minors' dates stay null).
- players' provider ids are unique per (club, provider, external_id), no longer per (club,
  external_id): two providers may give two players the same number.
- matches.data_source: where a non-StatsBomb-native upload came from ({provider, detected,
  xg_model, missing_statistics}), for the match detail; null for earlier uploads.
"""

from contextlib import contextmanager
from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "d8e2f4a6b9c1"
down_revision = "d5f7a9b1c3e4"
branch_labels = None
depends_on = None

CONSENT_AGE = 16


@contextmanager
def _recreated_safely():
    """SQLite changes a constraint or drops a column by copying the table: with foreign keys on,
    dropping the old players (matches) table would cascade to every row that references one.
    The copy runs with them off and is checked before they are back on (as b4f2c8e1d305 does
    for clubs)."""
    context = op.get_context()
    sqlite = context.dialect.name == "sqlite"
    if sqlite:
        with context.autocommit_block():
            op.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        if sqlite and op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").first():
            raise RuntimeError("the table copy broke a foreign key")
    finally:
        if sqlite:
            with context.autocommit_block():
                op.execute("PRAGMA foreign_keys=ON")


def _adult_born_before(today: date) -> date:
    try:
        return today.replace(year=today.year - CONSENT_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - CONSENT_AGE, day=28)


def _minimise_birth_dates() -> None:
    players = sa.table(
        "players",
        sa.column("id", sa.Uuid()),
        sa.column("birth_date", sa.Date()),
        sa.column("birth_month", sa.Date()),
    )
    bind = op.get_bind()
    cutoff = _adult_born_before(date.today())
    rows = bind.execute(
        sa.select(players.c.id, players.c.birth_date).where(players.c.birth_date.is_not(None))
    ).all()
    for player_id, born in rows:
        bind.execute(
            players.update()
            .where(players.c.id == player_id)
            .values(
                birth_month=born.replace(day=1),
                birth_date=born if born <= cutoff else None,
            )
        )


def upgrade():
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "data_source",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                nullable=True,
            )
        )
    with _recreated_safely(), op.batch_alter_table("players", schema=None) as batch_op:
        batch_op.add_column(sa.Column("birth_month", sa.Date(), nullable=True))
        batch_op.drop_constraint("uq_players_club_statsbomb", type_="unique")
        batch_op.create_unique_constraint(
            "uq_players_club_provider_external_id", ["club_id", "provider", "external_id"]
        )
    _minimise_birth_dates()


def downgrade():
    # Players that two providers gave one number: the later ones forget their id (their next
    # file matches them by name again), so the old constraint holds.
    op.execute(
        "UPDATE players SET external_id = NULL, provider = NULL WHERE EXISTS (SELECT 1 FROM"
        " players AS other WHERE other.club_id = players.club_id AND other.external_id ="
        " players.external_id AND other.id < players.id)"
    )
    with _recreated_safely(), op.batch_alter_table("players", schema=None) as batch_op:
        batch_op.drop_constraint("uq_players_club_provider_external_id", type_="unique")
        batch_op.create_unique_constraint("uq_players_club_statsbomb", ["club_id", "external_id"])
        batch_op.drop_column("birth_month")
    with _recreated_safely(), op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_column("data_source")
