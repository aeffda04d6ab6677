"""Metrica Sports JSON events with their EPTS metadata XML via kloppy."""

from __future__ import annotations

from .kloppy_events import ReadResult
from .kloppy_loading import load

NAME = "metrica"
LABEL = "Metrica"
META = "the EPTS metadata file (XML)"


def read(events: bytes, meta: bytes | None = None) -> ReadResult:
    from kloppy import metrica  # imported when used: kloppy takes ~1 s to import
    from kloppy.domain import Provider

    return load(
        NAME,
        LABEL,
        metrica.load_event,
        {"event_data": (events, "events file"), "meta_data": (meta or b"", "EPTS metadata file")},
        native=Provider.METRICA,  # its coordinates converted and turned in one pass
    )
