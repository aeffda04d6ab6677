"""The event store: every analysed event of a match as one row of `events` (the raw event
kept verbatim in its JSON column), written with COPY on PostgreSQL, one executemany elsewhere.
An upload makes each event's row values and JSON (`StoredEvent`) as its file is parsed, so the
raw dict need not be kept until the rows are written.
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import orjson
from sqlalchemy import insert, or_, select

from spinta.analytics import domain
from spinta.analytics.providers import PROVIDERS, read_match, stored
from spinta.errors import ValidationFailed
from spinta.extensions import db
from spinta.models import Event, Match, MatchLineup
from spinta.store.checks import event_limits, unstorable_event
from spinta.store.copy import NULL, copy_lines, copy_text

__all__ = ["EVENT_COLUMNS", "StoredEvent", "event_rows", "insert_events", "stored_event"]

EVENT_COLUMNS = (
    "match_id",
    "ordinal",
    "external_id",
    "event_index",
    "type_name",
    "period",
    "minute",
    "second",
    "timestamp",
    "possession",
    "team_id",
    "team_name",
    "player_id",
    "player_name",
    "data",
)
# minute, second, possession and player id: optional numbers, NULL unless the column takes them.
_OPTIONAL_MIN, _OPTIONAL_MAX = event_limits().optional_range
_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__


def _optional_int(value: Any) -> int | None:
    """An optional number as its integer column takes it: NULL unless in the column's range."""
    return value if type(value) is int and _OPTIONAL_MIN <= value <= _OPTIONAL_MAX else None


class StoredEvent(NamedTuple):
    """What the events table keeps of one raw event (`stored_event`): its row's values and its
    JSON, made while its upload was parsed so that the raw dict can go."""

    event_id: str
    index: int
    type_name: str
    period: int
    minute: int | None
    second: int | None
    timestamp: str
    possession: int | None
    team_id: int
    team_name: str
    player_id: int | None
    player_name: str | None
    data: bytes  # orjson's bytes of the raw event: the `data` column

    def raw(self) -> dict[str, Any]:
        """The raw event again (error sentences only)."""
        return orjson.loads(self.data)


def stored_event(event: dict[str, Any]) -> StoredEvent:
    """A prepared event's row values and JSON (`id`, `index`, `type.name`, `period`,
    `timestamp` and `team` are there with the right types); the optional numbers become NULL
    unless they are integers a column takes. orjson's output is copied to its exact size (it
    leaves ~8 KB allocated behind each result)."""
    get = event.get
    team, player, type_name = event["team"], get("player"), event["type"]["name"]
    type_name = sys.intern(type_name)  # one object per type name (~35), kept by every event
    player_id = player_name = None
    if type(player) is dict:
        player_id = _optional_int(player.get("id"))
        player_name = player.get("name")
        if type(player_name) is not str:
            player_name = None
    return _new(StoredEvent, (
        event["id"], event["index"], type_name, event["period"],
        _optional_int(get("minute")), _optional_int(get("second")), event["timestamp"],
        _optional_int(get("possession")), team["id"], team["name"], player_id, player_name,
        bytes(memoryview(orjson.dumps(event))),
    ))  # fmt: skip


def event_rows(
    match_id: uuid.UUID, events: Iterable[StoredEvent | dict[str, Any]]
) -> Iterator[tuple]:
    """Each analysed event (`report.events`: raw dicts, or what their upload made of them) as a
    row of the events table, ordinal = position; its last value is the event's JSON bytes.

    Raises UnstorableEvent for a value no column can take (a name longer than its column, a
    NUL character, an out-of-range index or team id), checked here in the one pass that builds
    the rows.
    """
    limits = event_limits()
    id_max, type_max = limits.id_length, limits.type_length
    stamp_max, name_max = limits.timestamp_length, limits.name_length
    index_min, index_max = limits.index_range
    team_min, team_max = limits.team_range
    for ordinal, event in enumerate(events):
        if type(event) is not StoredEvent:
            event = stored_event(event)
        event_id, index, type_name = event[:3]
        stamp, team_id, team_name, player_name = event[6], event[8], event[9], event[11]
        if (
            len(event_id) > id_max
            or len(type_name) > type_max
            or len(stamp) > stamp_max
            or len(team_name) > name_max
            or (player_name is not None and len(player_name) > name_max)
            or not index_min <= index <= index_max
            or not team_min <= team_id <= team_max
            or "\x00" in f"{event_id}{type_name}{stamp}{team_name}{player_name or ''}"
        ):
            raise unstorable_event(event.raw())
        yield (match_id, ordinal, *event)


# Anything COPY's text format escapes in a text field (NUL never reaches here: event_rows
# refuses it); checked once on the row's text fields together, the rare hit escapes each.
_ESCAPED = re.compile("[\\\\\t\n\r]")


def _copy_lines(match_id: uuid.UUID, rows: Iterable[tuple]) -> Iterator[bytes]:
    """The match's rows as lines of PostgreSQL's COPY text format (UTF-8 bytes); the raw event
    is the JSON column, orjson's bytes as they come. As few Python-level steps per row as the
    format allows (one f-string, one escape search over the row's texts): it runs once per
    event (bench/upload.py)."""
    match, escaped = str(match_id), _ESCAPED.search
    for row in rows:
        ordinal, event_id, index, type_name, period, minute, second = row[1:8]
        stamp, possession, team_id, team_name, player_id, player_name, data = row[8:]
        if escaped(f"{event_id}{type_name}{stamp}{team_name}{player_name or ''}"):
            event_id, type_name, stamp = map(copy_text, (event_id, type_name, stamp))
            team_name = copy_text(team_name)
            player_name = None if player_name is None else copy_text(player_name)
        if b"\\" in data:  # orjson escapes control characters; backslashes need doubling
            data = data.replace(b"\\", b"\\\\")
        text = (
            f"{match}\t{ordinal}\t{event_id}\t{index}\t{type_name}\t{period}\t"
            f"{NULL if minute is None else minute}\t{NULL if second is None else second}\t"
            f"{stamp}\t{NULL if possession is None else possession}\t{team_id}\t{team_name}\t"
            f"{NULL if player_id is None else player_id}\t"
            f"{NULL if player_name is None else player_name}\t"
        )
        yield text.encode() + data + b"\n"


def insert_events(match_id: uuid.UUID, events: Sequence[StoredEvent | dict[str, Any]]) -> int:
    """Store every analysed event: COPY on PostgreSQL, one executemany elsewhere.

    Raises UnstorableEvent (nothing of the COPY is kept) for a value no column takes.
    """
    if not events:
        return 0
    rows = event_rows(match_id, events)
    if db.session.connection().dialect.name == "postgresql":
        copy_lines(Event.__tablename__, EVENT_COLUMNS, _copy_lines(match_id, rows))
    else:
        # the JSON column takes the event itself (read again from its bytes)
        values = [
            dict(zip(EVENT_COLUMNS, (*row[:-1], orjson.loads(row[-1])), strict=True))
            for row in rows
        ]
        db.session.execute(insert(Event), values)
    return len(events)


NOT_READABLE = (
    "This match came from a {provider} file stored before its events were kept in Spinta's "
    "neutral form: charts, event lists and possessions cannot read them (upload the file "
    "again to get them)."
)


def _sheets(match: Match) -> dict[int, tuple[domain.SheetEntry, ...]]:
    """The stored starting sheets of both teams (a provider's stored events hold none)."""
    rows = db.session.execute(
        select(
            MatchLineup.is_our_team,
            MatchLineup.external_id,
            MatchLineup.player_name,
            MatchLineup.jersey_number,
            MatchLineup.position,
        )
        .where(MatchLineup.match_id == match.id, MatchLineup.is_starter.is_(True))
        .order_by(MatchLineup.external_id)
    ).all()
    sheets: dict[int, list[domain.SheetEntry]] = {
        match.our_external_id: [],
        match.opponent_external_id: [],
    }
    for is_ours, external_id, name, number, position in rows:
        team = match.our_external_id if is_ours else match.opponent_external_id
        player = domain.Player(external_id, name)
        sheets[team].append(domain.SheetEntry(player, number, position))
    return {team: tuple(entries) for team, entries in sheets.items()}


def reanalysable_match(match: Match) -> domain.Match | None:
    """A kloppy provider's stored match read again for a re-analysis; None when it was stored
    before its events kept every shot's key pass and every substitution's player coming on
    (`stored.complete`): analysing it again would not give its upload's report."""
    raw = db.session.scalars(
        select(Event.data).where(Event.match_id == match.id).order_by(Event.ordinal)
    ).all()
    if not stored.complete(raw):
        return None
    teams = (
        domain.Team(match.our_external_id, ""),
        domain.Team(match.opponent_external_id, match.opponent_name),
    )
    return stored.read_stored(raw, _sheets(match), teams)


# Always read with a subset of types: the StatsBomb reader takes both teams and their starting
# sheets from these (a kloppy provider's stored events have none; its sheets are stored).
SHEET_TYPES = frozenset({"Starting XI"})


def stored_match(
    match: Match,
    types: frozenset[str] | None = None,
    player: int | None = None,
    team: int | None = None,
) -> domain.Match:
    """A stored match's events read again: StatsBomb's by its reader (stored as uploaded), a
    kloppy provider's or a tagging CSV's from their stored neutral form (`providers.stored`)
    with the stored starting sheets; a tagging CSV stored before that form answers a clear 422.

    ``types``: only the events of these types (as stored in ``type_name``: StatsBomb's names,
    which the stored neutral form shares for passes, carries and shots) and the starting
    sheets, for a reader that needs no other (a chart of shots reads ~40 rows, not ~3,800);
    None: every event. ``player``, ``team``: only that player's or team's events (the
    provider's ids) and the sheets."""
    if match.provider not in PROVIDERS and match.provider not in stored.READABLE:
        raise ValidationFailed(NOT_READABLE.format(provider=match.provider))
    wanted = [Event.match_id == match.id]
    if types is not None:
        wanted.append(Event.type_name.in_(sorted(types | SHEET_TYPES)))
    sheets = Event.type_name.in_(sorted(SHEET_TYPES))
    if player is not None:
        wanted.append(or_(Event.player_id == player, sheets))
    if team is not None:
        wanted.append(or_(Event.team_id == team, sheets))
    raw = db.session.scalars(select(Event.data).where(*wanted).order_by(Event.ordinal)).all()
    if match.provider in PROVIDERS:
        return read_match(list(raw), match.provider)
    if match.provider == "csv" and not stored.complete(raw):
        raise ValidationFailed(NOT_READABLE.format(provider=match.provider))
    teams = (
        domain.Team(match.our_external_id, ""),
        domain.Team(match.opponent_external_id, match.opponent_name),
    )
    return stored.read_stored(raw, _sheets(match), teams)
