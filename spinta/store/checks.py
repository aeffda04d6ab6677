"""What the store refuses before it writes: every value of a report or an event that a column
cannot take, as a sentence for the coach naming the event and its field.

The limits come from the columns (spinta.models.limits); this module is the one place that
checks an upload's values against them: `unstorable(report)` before anything is written, and
`EventLimits` / `unstorable_event` for the events, checked while their rows are built
(spinta.store.events).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from spinta import analytics
from spinta.models import Event, Goal, Match, MatchLineup, OpponentClub, PlayerMatchStatistics
from spinta.models.limits import int_range, storage_problem, text_length

__all__ = ["EventLimits", "UnstorableEvent", "event_limits", "unstorable", "unstorable_event"]


def unstorable(report: analytics.MatchReport) -> str | None:
    """Why the analysed teams, lineups and goals cannot be stored as they are (None when they
    can), naming the event and its field.

    A valid file can still hold what a column does not take: a name longer than its column, a
    NUL character (PostgreSQL text refuses it), an id or a minute beyond an integer column, a
    jersey number outside 0-99. The limits come from the columns (spinta.models.limits).
    Refused up front as a 422, on every database alike, instead of a database error half-way
    through the inserts. The events themselves are checked while their rows are built
    (`event_rows`).
    """
    for column, value, key, event_id in _stored_values(report):
        problem = storage_problem(column, value)
        if problem is not None:
            event, path = _locate(report.events, key, value, event_id)
            return _event_sentence(event, path, problem)
    return None


def _stored_values(report: analytics.MatchReport) -> Iterator[tuple[Any, Any, str, str | None]]:
    """(column, value, the file's key holding it, the goal's event id or None) for every value
    of the report that goes into a bounded column."""
    for team in (report.our_team, report.opponent):
        yield Match.our_external_id, team.id, "id", None
        yield OpponentClub.name, team.name, "name", None
    for lineup in report.lineups:
        for player in lineup.players:
            yield MatchLineup.external_id, player.player_id, "id", None
            yield MatchLineup.player_name, player.player_name, "name", None
            yield MatchLineup.jersey_number, player.jersey_number, "jersey_number", None
            yield MatchLineup.position, player.position, "name", None
    for goal in report.goals:
        yield Goal.event_id, goal.event_id, "id", goal.event_id
        yield Goal.minute, goal.minute, "minute", goal.event_id
        yield Goal.second, goal.second, "second", goal.event_id
        yield Goal.scorer_external_id, goal.scorer_id, "id", None
        yield Goal.assist_external_id, goal.assist_id, "id", None
    for stats in report.player_stats:
        yield PlayerMatchStatistics.external_id, stats.player_id, "id", None
        yield PlayerMatchStatistics.player_name, stats.player_name, "name", None


def _locate(
    events: Iterable[Any], key: str, value: Any, event_id: str | None
) -> tuple[dict[str, Any] | None, str]:
    """The first event (the one with `event_id`, when given) holding `key: value` somewhere
    inside, with the path to it ("tactics.lineup[3].jersey_number"). Error path only: an event
    its upload kept as stored (spinta.store.events.StoredEvent) is read again from its JSON."""
    for event in events:
        if not isinstance(event, dict):
            event = event.raw()
        if event_id is not None and event.get("id") != event_id:
            continue
        path = _path_to(event, key, value)
        if path is not None:
            return event, path
    return None, key


def _path_to(node: Any, key: str, value: Any) -> str | None:
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return None
    for name, item in items:
        if name == key and item == value and type(item) is type(value):
            return name
        inner = _path_to(item, key, value)
        if inner is not None:
            step = f"[{name}]" if isinstance(name, int) else name
            return f"{step}{inner}" if inner.startswith("[") else f"{step}.{inner}"
    return None


def _event_sentence(event: dict[str, Any] | None, path: str, problem: str) -> str:
    """A 422 sentence naming the event (index and id) and the field whose value cannot be
    stored."""
    if event is None:
        return f"A '{path}' in the events file {problem}: nothing was stored."
    event_id = event.get("id")
    if isinstance(event_id, str) and len(event_id) > 40:
        event_id = f"{event_id[:40]}..."
    return (
        f"The event with index {event.get('index')} and id {event_id!r} cannot be stored: "
        f"its '{path}' {problem}. Nothing was stored."
    )


class UnstorableEvent(ValueError):
    """An analysed event that a column cannot take as it is (the sentence says why)."""


@dataclass(frozen=True, slots=True)
class EventLimits:
    """The limits of the event columns, read once (the row builder checks them inline)."""

    id_length: int
    type_length: int
    timestamp_length: int
    name_length: int
    index_range: tuple[int, int]
    team_range: tuple[int, int]
    optional_range: tuple[int, int]  # minute, second, possession and player id


@cache
def event_limits() -> EventLimits:
    return EventLimits(
        id_length=_length(Event.external_id),
        type_length=_length(Event.type_name),
        timestamp_length=_length(Event.timestamp),
        name_length=_length(Event.team_name),
        index_range=int_range(Event.event_index),
        team_range=int_range(Event.team_id),
        optional_range=int_range(Event.possession),
    )


def _length(column: Any) -> int:
    length = text_length(column)
    if length is None:
        raise TypeError(f"{column} has no length")
    return length


# The event's values a column may refuse, as (column, path in the event).
_EVENT_FIELDS = (
    (Event.external_id, ("id",)),
    (Event.event_index, ("index",)),
    (Event.type_name, ("type", "name")),
    (Event.timestamp, ("timestamp",)),
    (Event.team_id, ("team", "id")),
    (Event.team_name, ("team", "name")),
    (Event.player_name, ("player", "name")),
)


def unstorable_event(event: dict[str, Any]) -> UnstorableEvent:
    """The first value of the event that a column refuses, as a sentence for the coach."""
    for column, path in _EVENT_FIELDS:
        value: Any = event
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        problem = storage_problem(column, value)
        if problem is not None:
            return UnstorableEvent(_event_sentence(event, ".".join(path), problem))
    raise AssertionError("the event rows refused an event that every column takes")
