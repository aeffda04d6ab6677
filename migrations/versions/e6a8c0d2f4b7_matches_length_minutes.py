"""matches.length_minutes and a lineups index for playing time

Revision ID: e6a8c0d2f4b7
Revises: d4e6f8a0b2c3
Create Date: 2026-12-02 15:30:00.000000

The length of a match as statistics.md measures minutes: each period 1-4 from 00:00 to its
latest event timestamp. New uploads and re-analyses store it from the analysis. The upgrade
fills it for the stored matches from their stored events (the latest ``timestamp`` of each
period 1-4); a match without stored events gets the longest time one of our players was on
the pitch (a starter who stayed on played all of it). The index on match_lineups (match_id,
is_our_team, with the minutes columns included on PostgreSQL) lets playing time read a season's
lineups without scanning the table. The downgrade copies the matches table
on SQLite: with foreign keys off (dropping the old copy would cascade to every match's rows), and
the events trigger, which goes with the old table, recreated (as a17c0e5d2b01 does).
"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op


revision = "e6a8c0d2f4b7"
down_revision = "d4e6f8a0b2c3"
branch_labels = None
depends_on = None

EVENTS_TRIGGER_SQLITE = (
    "CREATE TRIGGER matches_delete_events AFTER DELETE ON matches FOR EACH ROW "
    "BEGIN DELETE FROM events WHERE match_id = OLD.id; END"
)


@contextmanager
def _matches_recreated_safely():
    context = op.get_context()
    sqlite = context.dialect.name == "sqlite"
    if sqlite:
        with context.autocommit_block():
            op.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        if sqlite:
            op.execute("DROP TRIGGER IF EXISTS matches_delete_events")
            op.execute(EVENTS_TRIGGER_SQLITE)
            if op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").first():
                raise RuntimeError("matches copy broke a foreign key")
    finally:
        if sqlite:
            with context.autocommit_block():
                op.execute("PRAGMA foreign_keys=ON")


def _seconds(stamp):
    """ "HH:MM:SS.mmm" -> seconds (None when it is not such a clock)."""
    try:
        hours, minutes, seconds = stamp.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    except (AttributeError, ValueError):
        return None


def _lengths(bind):
    """match id -> length in minutes, from the stored events (periods 1-4)."""
    events = sa.table(
        "events",
        sa.column("match_id", sa.Uuid()),
        sa.column("period", sa.Integer()),
        sa.column("timestamp", sa.String()),
    )
    rows = bind.execute(
        sa.select(events.c.match_id, events.c.period, events.c.timestamp).where(
            events.c.period.between(1, 4), events.c.timestamp.is_not(None)
        )
    )
    ends = {}
    for match_id, period, stamp in rows:
        seconds = _seconds(stamp)
        if seconds is not None and seconds > ends.get((match_id, period), -1.0):
            ends[(match_id, period)] = seconds
    lengths = {}
    for (match_id, _), seconds in ends.items():
        lengths[match_id] = lengths.get(match_id, 0.0) + seconds / 60
    return lengths


def upgrade():
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("length_minutes", sa.Float(), nullable=True))
    op.create_index(
        "ix_match_lineups_match_id_is_our_team",
        "match_lineups",
        ["match_id", "is_our_team"],
        postgresql_include=["player_id", "position", "is_starter", "minutes_played"],
    )
    bind = op.get_bind()
    matches = sa.table(
        "matches", sa.column("id", sa.Uuid()), sa.column("length_minutes", sa.Float())
    )
    for match_id, minutes in _lengths(bind).items():
        bind.execute(
            matches.update().where(matches.c.id == match_id).values(length_minutes=minutes)
        )
    bind.execute(
        sa.text(
            "UPDATE matches SET length_minutes = (SELECT MAX(match_lineups.minutes_played)"
            " FROM match_lineups WHERE match_lineups.match_id = matches.id"
            " AND match_lineups.is_our_team = :yes) WHERE length_minutes IS NULL"
        ),
        {"yes": True},
    )


def downgrade():
    op.drop_index("ix_match_lineups_match_id_is_our_team", table_name="match_lineups")
    with _matches_recreated_safely(), op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_column("length_minutes")
