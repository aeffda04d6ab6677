"""Opta F24 events with their F7 match sheet (teams, lineups, score) via kloppy."""

from __future__ import annotations

from .kloppy_events import ReadResult
from .kloppy_loading import load

NAME = "opta"
LABEL = "Opta"
META = "the F7 match sheet (XML)"


def read(events: bytes, meta: bytes | None = None) -> ReadResult:
    from kloppy import opta  # imported when used: kloppy takes ~1 s to import

    return load(
        NAME,
        LABEL,
        opta.load,
        {"f24_data": (events, "F24 events file"), "f7_data": (meta or b"", "F7 file")},
    )
