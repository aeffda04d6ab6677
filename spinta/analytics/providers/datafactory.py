"""DataFactory event files (one JSON file: match, teams, players, incidences) via kloppy."""

from __future__ import annotations

from .kloppy_events import ReadResult
from .kloppy_loading import load

NAME = "datafactory"
LABEL = "DataFactory"
META = None  # one file


def read(events: bytes, meta: bytes | None = None) -> ReadResult:
    from kloppy import datafactory  # imported when used: kloppy takes ~1 s to import

    return load(NAME, LABEL, datafactory.load, {"event_data": (events, "events file")})
