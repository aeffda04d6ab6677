"""Field tilt (statistics.md "Advanced metrics"): a team's share of both teams' final-third
passes (passes, completed or not, that start at x >= 80; scaled with the pitch), a percentage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ..domain import Event, EventType
from ..pitch import Pitch
from . import Handler
from .tally import Tally

__all__ = ["FINAL_THIRD_START", "FieldTilt"]

FINAL_THIRD_START: Final = 80.0


class FieldTilt:
    __slots__ = ("both", "final_third", "tally")

    def __init__(self, tally: Tally, pitch: Pitch) -> None:
        self.tally = tally
        self.final_third = pitch.x(FINAL_THIRD_START)
        self.both = 0  # both teams' final-third passes (see `settle`)

    def handlers(self) -> Mapping[EventType, Handler]:
        return {EventType.PASS: self.on_pass}

    def shootout_handlers(self) -> Mapping[EventType, Handler]:
        return {}

    def on_pass(self, event: Event) -> None:
        if event.x is not None and event.x >= self.final_third:
            self.tally.count(event, "field_tilt_ours")
            self.both += 1

    def settle(self) -> None:
        """Both teams' total onto each team's counters (after the pass over the events)."""
        for counts in self.tally.teams.values():
            counts["field_tilt_both"] = self.both
