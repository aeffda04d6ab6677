"""Wyscout event files (API v2 and v3, one JSON file: events, teams and players) via kloppy."""

from __future__ import annotations

from .kloppy_events import ReadResult
from .kloppy_loading import load

NAME = "wyscout"
LABEL = "Wyscout"
META = None  # one file


def read(events: bytes, meta: bytes | None = None) -> ReadResult:
    from kloppy import wyscout  # imported when used: kloppy takes ~1 s to import

    return load(NAME, LABEL, wyscout.load, {"event_data": (events, "events file")})
