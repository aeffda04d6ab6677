"""events keyed by (match_id, ordinal); the cascade from matches is a trigger, not a foreign key

Revision ID: 9d3e1f4a7b20
Revises: c7c530ec0d32
Create Date: 2026-11-30 17:20:00.000000

The surrogate ``id`` (a sequence and one more index) and the per-row foreign-key check made up
about a third of the COPY of a match's events. ``ordinal`` is the event's position in the
uploaded file (StatsBomb ``index`` values may repeat); existing rows get it in ``id`` order,
which was the file order.
"""

import sqlalchemy as sa
from alembic import op

# The trigger as of this revision, written out here (not imported from the models) so that the
# migration keeps doing what it did when spinta.models.matches.EVENTS_CASCADE changes later.
EVENTS_CASCADE = {
    "postgresql": (
        "CREATE OR REPLACE FUNCTION delete_match_events() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN DELETE FROM events WHERE match_id = OLD.id; RETURN OLD; END $$",
        "CREATE TRIGGER matches_delete_events AFTER DELETE ON matches "
        "FOR EACH ROW EXECUTE FUNCTION delete_match_events()",
    ),
    "sqlite": (
        "CREATE TRIGGER matches_delete_events AFTER DELETE ON matches FOR EACH ROW "
        "BEGIN DELETE FROM events WHERE match_id = OLD.id; END",
    ),
}
EVENTS_CASCADE_DROP = {
    "postgresql": (
        "DROP TRIGGER IF EXISTS matches_delete_events ON matches",
        "DROP FUNCTION IF EXISTS delete_match_events()",
    ),
    "sqlite": ("DROP TRIGGER IF EXISTS matches_delete_events",),
}

# revision identifiers, used by Alembic.
revision = "9d3e1f4a7b20"
down_revision = "c7c530ec0d32"
branch_labels = None
depends_on = None


def _run(statements: dict[str, tuple[str, ...]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ordinal", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE events SET ordinal = numbered.n FROM ("
        " SELECT id, row_number() OVER (PARTITION BY match_id ORDER BY id) - 1 AS n FROM events"
        ") AS numbered WHERE events.id = numbered.id"
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint("fk_events_match_id_matches", type_="foreignkey")
        batch_op.drop_index("ix_events_match_id_event_index")
        batch_op.drop_constraint("pk_events", type_="primary")
        batch_op.drop_column("id")
        batch_op.alter_column("ordinal", existing_type=sa.Integer(), nullable=False)
        batch_op.create_primary_key("pk_events", ["match_id", "ordinal"])
    _run(EVENTS_CASCADE_DROP)
    _run(EVENTS_CASCADE)


def downgrade():
    _run(EVENTS_CASCADE_DROP)
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint("pk_events", type_="primary")
        batch_op.add_column(sa.Column("id", big_id, nullable=True))
    # Ids in (match, file position) order, as the sequence gave them.
    op.execute(
        "UPDATE events SET id = numbered.n FROM ("
        " SELECT match_id, ordinal, row_number() OVER (ORDER BY match_id, ordinal) AS n"
        " FROM events) AS numbered"
        " WHERE events.match_id = numbered.match_id AND events.ordinal = numbered.ordinal"
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("id", existing_type=big_id, nullable=False)
        batch_op.create_primary_key("pk_events", ["id"])
        batch_op.drop_column("ordinal")
        batch_op.create_index("ix_events_match_id_event_index", ["match_id", "event_index"])
        batch_op.create_foreign_key(
            "fk_events_match_id_matches", "matches", ["match_id"], ["id"], ondelete="CASCADE"
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE events_id_seq OWNED BY events.id")
        op.execute("SELECT setval('events_id_seq', coalesce(max(id), 0) + 1, false) FROM events")
        op.execute("ALTER TABLE events ALTER COLUMN id SET DEFAULT nextval('events_id_seq')")
