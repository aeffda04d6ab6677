"""Stats Perform MA3 events with their MA1 match sheet (JSON or XML) via kloppy."""

from __future__ import annotations

from .kloppy_events import ReadResult
from .kloppy_loading import load

NAME = "statsperform"
LABEL = "Stats Perform"
META = "the MA1 match sheet (JSON or XML)"


def read(events: bytes, meta: bytes | None = None) -> ReadResult:
    from kloppy import statsperform  # imported when used: kloppy takes ~1 s to import

    return load(
        NAME,
        LABEL,
        statsperform.load_event,
        {"ma3_data": (events, "MA3 events file"), "ma1_data": (meta or b"", "MA1 file")},
    )
