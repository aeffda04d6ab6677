"""Providers: one module per data provider turns its raw file into a neutral `Match`.

A provider is a function `read_match(raw_events) -> Match` that validates the file (raising an
`EventDataError` subclass with a sentence for the coach) and returns the teams, the starting
sheets and the events in the model of `spinta.analytics.domain`. A second provider is one new
module plus one line in `PROVIDERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from ..domain import Match
from . import statsbomb

__all__ = ["DEFAULT_PROVIDER", "PROVIDERS", "first_teams", "listed_event_ids", "read_match"]

Reader = Callable[[object], Match]

PROVIDERS: Final[Mapping[str, Reader]] = {"statsbomb": statsbomb.read_match}
DEFAULT_PROVIDER: Final = "statsbomb"


def read_match(raw_events: object, provider: str = DEFAULT_PROVIDER) -> Match:
    """The neutral match of one raw event file of `provider` (KeyError for an unknown one)."""
    return PROVIDERS[provider](raw_events)


def first_teams(raw_events: object, provider: str = DEFAULT_PROVIDER) -> list[tuple[int, str]]:
    """(id, name) of the first two teams a raw file names, before any analysis (fewer when it
    does not say them plainly)."""
    return _PEEKS[provider][0](raw_events)


def listed_event_ids(raw_events: object, provider: str = DEFAULT_PROVIDER) -> list[str]:
    """The event ids a raw file lists, before any analysis (for its fingerprint)."""
    return _PEEKS[provider][1](raw_events)


_PEEKS: Final = {"statsbomb": (statsbomb.first_teams, statsbomb.listed_event_ids)}
