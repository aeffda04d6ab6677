"""Validate, deduplicate and order a StatsBomb event array.

`prepare_events` is the single entry point: it checks that every event has the fields the
analysis cannot do without (`id`, `index`, `period`, `timestamp`, `type`, `team`), drops events
whose `id` was already seen (the first one in the file wins) and sorts the rest by `index`
(stable: equal indices keep file order). Everything else is optional and read defensively.
An upload prepares each well-formed event as its file is parsed (`prepare_fast`); the array
then holds those, which are taken as they are, and anything unusual, checked here.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from operator import attrgetter
from typing import Any, NamedTuple

from .errors import EmptyEventsError, MalformedEventError, NotAListError

__all__ = ["PreparedEvent", "parse_timestamp", "prepare_events", "prepare_fast"]

_new = tuple.__new__
_MINUTE_SECONDS: dict[str, int] = {}  # "HH:MM:" -> its seconds (a match has ~130 of them)
_MINUTE_CACHE_SIZE = 10_000

_JSON_KINDS = {dict: "a JSON object", str: "a string", int: "a number", float: "a number"}


class PreparedEvent(NamedTuple):
    """One validated event with the fields every rule needs already parsed (immutable)."""

    raw: dict[str, Any]
    id: str
    index: int
    period: int
    seconds: float  # `timestamp` in seconds from the start of its period
    type_name: str  # case-folded `type.name`
    team_id: int
    team_name: str
    # What an upload stores of the event, made while its file was parsed (opaque here; `raw`
    # is then cut to what the reader needs); None: `raw` itself, whole, is stored.
    stored: Any = None


def parse_timestamp(value: object) -> float | None:
    """Seconds of a StatsBomb "HH:MM:SS.mmm" timestamp, or None when it is not one."""
    if type(value) is str and len(value) == 12 and value[2] == ":" and value[5] == ":":
        try:  # the usual "HH:MM:SS.mmm"; "HH:MM:" repeats, so its seconds are looked up
            minute = value[:6]
            whole = _MINUTE_SECONDS.get(minute)
            if whole is None:
                whole = int(value[:2]) * 3600 + int(value[3:5]) * 60
                if len(_MINUTE_SECONDS) < _MINUTE_CACHE_SIZE:
                    _MINUTE_SECONDS[minute] = whole
            seconds = whole + float(value[6:])
        except ValueError:
            return None
        return seconds if 0 <= seconds < math.inf else None
    if not isinstance(value, str):
        return None
    parts = value.split(":")
    if len(parts) != 3:
        return None
    try:
        seconds = int(parts[0]) * 3600 + int(parts[1]) * 60 + float(parts[2])
    except ValueError:
        return None
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


def _describe(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return "true/false/null"
    if isinstance(value, list):
        return "a JSON array"
    return _JSON_KINDS.get(type(value), "not a JSON value")


def _missing_or_invalid(number: int, event: Mapping[str, Any], key: str) -> MalformedEventError:
    if key not in event or event[key] is None:
        return MalformedEventError(f"Event {number} has no '{key}'.")
    return MalformedEventError(f"Event {number} has an invalid '{key}'.")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def prepare_fast(event: object) -> PreparedEvent | None:
    """The fast path: a well-formed event prepared, None for anything unusual (which
    `_prepare_checked` then refuses, naming the problem)."""
    if type(event) is dict:
        get = event.get
        event_id = get("id")
        index = get("index")
        type_obj = get("type")
        team = get("team")
        period = get("period")
        if (
            type(event_id) is str
            and event_id
            and type(index) is int
            and type(type_obj) is dict
            and type(team) is dict
            and type(period) is int
            and 1 <= period <= 5
        ):
            type_name = type_obj.get("name")
            team_id = team.get("id")
            team_name = team.get("name")
            seconds = parse_timestamp(get("timestamp"))
            if (
                type(type_name) is str
                and type(team_id) is int
                and type(team_name) is str
                and seconds is not None
            ):
                # tuple.__new__ skips the NamedTuple's Python-level __new__ (hot path)
                folded = sys.intern(type_name.casefold())  # one object per type (~35)
                return _new(
                    PreparedEvent,
                    (event, event_id, index, period, seconds, folded, team_id, team_name, None),
                )
    return None


def _prepare_one(number: int, event: object) -> PreparedEvent:
    """An event prepared already (while its file was parsed) or now; anything unusual goes
    through `_prepare_checked`."""
    if type(event) is PreparedEvent:
        return event
    return prepare_fast(event) or _prepare_checked(number, event)


def _prepare_checked(number: int, event: object) -> PreparedEvent:
    """Full validation, raising a MalformedEventError that names the problem."""
    if not isinstance(event, dict):
        raise MalformedEventError(f"Event {number} is not an object but {_describe(event)}.")
    get = event.get
    event_id = get("id")
    if not isinstance(event_id, str) or not event_id:
        raise _missing_or_invalid(number, event, "id")
    index = get("index")
    if not _is_int(index):
        raise _missing_or_invalid(number, event, "index")
    type_obj = get("type")
    type_name = type_obj.get("name") if isinstance(type_obj, dict) else None
    if not isinstance(type_name, str):
        raise _missing_or_invalid(number, event, "type")
    team = get("team")
    team_id = team.get("id") if isinstance(team, dict) else None
    team_name = team.get("name") if isinstance(team, dict) else None
    if not _is_int(team_id) or not isinstance(team_name, str):
        raise _missing_or_invalid(number, event, "team")
    period = get("period")
    if not _is_int(period):
        raise _missing_or_invalid(number, event, "period")
    if not 1 <= period <= 5:
        raise MalformedEventError(
            f"Event {number} has period {period}, but periods run from 1 to 5."
        )
    seconds = parse_timestamp(get("timestamp"))
    if seconds is None:
        raise _missing_or_invalid(number, event, "timestamp")
    return PreparedEvent(
        raw=event,
        id=event_id,
        index=index,
        period=period,
        seconds=seconds,
        type_name=type_name.casefold(),
        team_id=team_id,
        team_name=team_name,
        stored=None,
    )


def prepare_validated(events: object) -> list[PreparedEvent]:
    """Validated, deduplicated, index-ordered events (internal form used by the analysis)."""
    if not isinstance(events, list):
        raise NotAListError(
            f"The event file must be a JSON array of events, but it is {_describe(events)}."
        )
    if not events:
        raise EmptyEventsError("The event file contains no events.")
    seen: set[str] = set()
    kept: list[PreparedEvent] = []
    for number, event in enumerate(events, start=1):
        item = _prepare_one(number, event)
        event_id = item[1]  # .id, without the attribute lookup (hot loop)
        if event_id in seen:
            continue
        seen.add(event_id)
        kept.append(item)
    kept.sort(key=attrgetter("index"))  # stable: equal indices keep file order
    return kept


def prepare_events(events: object) -> list[dict[str, Any]]:
    """The events the analysis uses: validated, each `id` once, sorted by `index`.

    Returns the original event objects (not copies) so an upload can store each raw event
    once; treat them as read-only. Raises an `EventDataError` subclass for unusable input.
    """
    return [item.raw for item in prepare_validated(events)]
