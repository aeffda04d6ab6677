"""Impect events (JSON) with their lineups file (JSON) via kloppy.

Impect's files name neither teams nor players (those come from Impect's squads and players
files): the teams are "Home" and "Away", the players are nameless until the coach names them.
"""

from __future__ import annotations

from .kloppy_events import ReadResult
from .kloppy_loading import load

NAME = "impect"
LABEL = "Impect"
META = "the lineups file (JSON)"


def read(events: bytes, meta: bytes | None = None) -> ReadResult:
    from kloppy import impect  # imported when used: kloppy takes ~1 s to import

    return load(
        NAME,
        LABEL,
        impect.load,
        {"event_data": (events, "events file"), "lineup_data": (meta or b"", "lineups file")},
    )
