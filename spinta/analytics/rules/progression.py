"""Progressive passes and carries (statistics.md "Advanced metrics", FBref's rule).

A completed open-play pass is progressive when its end is at least 10 yards closer to the
opponent's goal line than the furthest point reached by the team's last six passes and carries
in the same possession (and its own start), or when it ends in the penalty area; a pass that
starts in the team's defending 40% never counts. A carry follows the same rule, except that the
defending-40% start does not apply and a carry ending in the defending 50% never counts.
"Furthest point reached" by an earlier action: the larger of its start and end x (a pass that
was not completed reached only its start). All yards scale with the pitch (`Pitch`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Final

from ..domain import CarryEvent, Event, EventType, PassEvent, PassResult, Qualifier
from ..pitch import Pitch
from . import Handler
from .tally import Tally

__all__ = ["LOOKBACK", "ProgressiveActions"]

LOOKBACK: Final = 6  # earlier passes and carries of the team in the possession
GAIN_YARDS: Final = 10.0
PASS_START_MIN: Final = 48.0  # defending 40% of 120
CARRY_END_MIN: Final = 60.0  # defending 50% of 120


class ProgressiveActions:
    __slots__ = (
        "carry_end_min",
        "gain",
        "pass_start_min",
        "pitch",
        "possession",
        "reached",
        "tally",
    )

    def __init__(self, tally: Tally, pitch: Pitch) -> None:
        self.tally = tally
        self.pitch = pitch
        self.gain = pitch.x(GAIN_YARDS)
        self.pass_start_min = pitch.x(PASS_START_MIN)
        self.carry_end_min = pitch.x(CARRY_END_MIN)
        self.possession: object = None
        self.reached: dict[int, deque[float]] = {}  # team id -> furthest x of its last actions

    def handlers(self) -> Mapping[EventType, Handler]:
        return {EventType.PASS: self.on_pass, EventType.CARRY: self.on_carry}

    def shootout_handlers(self) -> Mapping[EventType, Handler]:
        return {}

    def _history(self, event: Event) -> deque[float]:
        possession = event.possession
        if possession is None or possession is not self.possession:
            self.possession = possession
            self.reached = {}
        history = self.reached.get(event.team.id)
        if history is None:
            history = self.reached[event.team.id] = deque(maxlen=LOOKBACK)
        return history

    def _progressive(self, history: deque[float], x: float, end_x: float, end_y: float | None):
        furthest = x
        for reached in history:
            if reached > furthest:
                furthest = reached
        return end_x - furthest >= self.gain or self.pitch.in_penalty_area(end_x, end_y)

    def on_pass(self, event: PassEvent) -> None:
        history = self._history(event)
        x, end_x = event.x, event.end_x
        if x is None:
            return
        if event.result is not PassResult.COMPLETE or end_x is None:
            history.append(x)
            return
        if (
            Qualifier.SET_PIECE not in event.qualifiers
            and x >= self.pass_start_min
            and self._progressive(history, x, end_x, event.end_y)
        ):
            self.tally.count(event, "progressive_passes")
        history.append(end_x if end_x > x else x)

    def on_carry(self, event: CarryEvent) -> None:
        history = self._history(event)
        x, end_x = event.x, event.end_x
        if x is None or end_x is None:
            return
        if end_x >= self.carry_end_min and self._progressive(history, x, end_x, event.end_y):
            self.tally.count(event, "progressive_carries")
        history.append(end_x if end_x > x else x)
