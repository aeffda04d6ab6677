"""Providers: one module per data provider turns its raw file into a neutral `Match`.

StatsBomb keeps its native reader (`statsbomb.read_match(raw_events) -> Match`, the parsed
JSON array); every other provider reads the uploaded bytes (`read(events, meta) ->
ReadResult`): through kloppy (`kloppy_events` maps kloppy's event model) or Spinta's own CSV
tagging template (`csv_tagging`). Each validates its file, raising an `EventDataError`
subclass with a sentence for the coach. `detect` names the provider of a file from its content.
A new provider is one new module plus one line in `FILE_PROVIDERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Final

from ..domain import Match
from ..errors import EventDataError
from . import (
    csv_tagging,
    datafactory,
    impect,
    metrica,
    opta,
    sportec,
    statsbomb,
    statsperform,
    wyscout,
)
from .detect import UnknownFormatError, detect
from .kloppy_events import ReadResult

__all__ = [
    "DEFAULT_PROVIDER",
    "FILE_PROVIDERS",
    "PROVIDERS",
    "PROVIDER_NAMES",
    "MissingMetaError",
    "ReadResult",
    "UnknownFormatError",
    "detect",
    "first_teams",
    "listed_event_ids",
    "meta_needed",
    "read_file",
    "read_match",
]

Reader = Callable[[object], Match]

PROVIDERS: Final[Mapping[str, Reader]] = {"statsbomb": statsbomb.read_match}
DEFAULT_PROVIDER: Final = "statsbomb"

FILE_PROVIDERS: Final[Mapping[str, ModuleType]] = {
    module.NAME: module
    for module in (
        wyscout,
        opta,
        statsperform,
        sportec,
        metrica,
        impect,
        datafactory,
        csv_tagging,
    )
}
PROVIDER_NAMES: Final = ("statsbomb", *FILE_PROVIDERS)


class MissingMetaError(EventDataError):
    """A provider that needs a second file got none."""


def read_match(raw_events: object, provider: str = DEFAULT_PROVIDER) -> Match:
    """The neutral match of one raw event file of `provider` (KeyError for an unknown one)."""
    return PROVIDERS[provider](raw_events)


def meta_needed(provider: str) -> str | None:
    """What second file the provider needs (None: one file is enough)."""
    module = FILE_PROVIDERS.get(provider)
    return module.META if module is not None else None


def read_file(provider: str, events: bytes, meta: bytes | None = None) -> ReadResult:
    """The neutral match of a non-StatsBomb provider's uploaded file(s)."""
    module = FILE_PROVIDERS[provider]
    if module.META is not None and not meta:
        raise MissingMetaError(
            f"A {module.LABEL} upload needs {module.META} as 'meta_file' besides the events."
        )
    return module.read(events, meta)


def statsbomb_result(raw_events: object) -> ReadResult:
    """StatsBomb's native read as a ReadResult (every shot carries StatsBomb's xG)."""
    match = statsbomb.read_match(raw_events)
    return ReadResult(match=match, warnings=[], has_xg=True, has_coordinates=True)


def first_teams(raw_events: object, provider: str = DEFAULT_PROVIDER) -> list[tuple[int, str]]:
    """(id, name) of the first two teams a raw file names, before any analysis (fewer when it
    does not say them plainly)."""
    return _PEEKS[provider][0](raw_events)


def listed_event_ids(raw_events: object, provider: str = DEFAULT_PROVIDER) -> list[str]:
    """The event ids a raw file lists, before any analysis (for its fingerprint)."""
    return _PEEKS[provider][1](raw_events)


_PEEKS: Final = {"statsbomb": (statsbomb.first_teams, statsbomb.listed_event_ids)}
