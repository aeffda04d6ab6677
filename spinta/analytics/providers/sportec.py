"""Sportec Solutions (DFL) event XML with its match information XML via kloppy."""

from __future__ import annotations

from .kloppy_events import ReadResult
from .kloppy_loading import load

NAME = "sportec"
LABEL = "Sportec"
META = "the match information file (XML)"


def read(events: bytes, meta: bytes | None = None) -> ReadResult:
    from kloppy import sportec  # imported when used: kloppy takes ~1 s to import

    return load(
        NAME,
        LABEL,
        sportec.load_event,
        {
            "event_data": (events, "events file"),
            "meta_data": (meta or b"", "match information file"),
        },
    )
