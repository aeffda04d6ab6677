"""Rule families: each module counts one family of statistics over neutral events.

A family is a class built with the shared `Tally` and the `Match`; `handlers()` maps the
event types it reads to small methods, `shootout_handlers()` does the same for period 5 (the
shootout, where only shootout goals and formation changes count). `analyse_match` runs every
family's handlers in one pass over the events (see `run`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

from ..domain import SHOOTOUT_PERIOD, Event, EventType

__all__ = ["Family", "Handler", "run"]

Handler = Callable[[Event], None]


class Family(Protocol):
    def handlers(self) -> Mapping[EventType, Handler]: ...

    def shootout_handlers(self) -> Mapping[EventType, Handler]: ...


def _table(maps: Iterable[Mapping[EventType, Handler]]) -> dict[EventType, tuple[Handler, ...]]:
    table: dict[EventType, list[Handler]] = {}
    for mapping in maps:
        for event_type, handler in mapping.items():
            table.setdefault(event_type, []).append(handler)
    return {event_type: tuple(handlers) for event_type, handlers in table.items()}


def run(events: Iterable[Event], families: Iterable[Family]) -> bool:
    """Feed each event to the families' handlers for its type, in order. Returns whether the
    match had a shootout (period 5)."""
    families = tuple(families)
    regular = _table(family.handlers() for family in families)
    shootout = _table(family.shootout_handlers() for family in families)
    none: tuple[Handler, ...] = ()
    had_shootout = False
    for event in events:
        if event.period == SHOOTOUT_PERIOD:
            had_shootout = True
            for handle in shootout.get(event.type, none):
                handle(event)
            continue
        for handle in regular.get(event.type, none):
            handle(event)
    return had_shootout
