"""Passing: passes, completion, final third, length, crosses, corners, assists, key passes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ..domain import EventType, PassEvent, PassResult, Player, Qualifier
from . import Handler
from .tally import Tally

__all__ = ["FINAL_THIRD_X", "LONG_PASS_LENGTH", "SHORT_PASS_LENGTH", "Passing"]

# Pitch thresholds (yards on the 120 x 80 pitch).
FINAL_THIRD_X: Final = 80.0
LONG_PASS_LENGTH: Final = 30.0
SHORT_PASS_LENGTH: Final = 15.0


class Passing:
    __slots__ = ("goal_assists", "tally")

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        # pass event id -> its player, for passes before a goal (the goal timeline's assists)
        self.goal_assists: dict[str, Player | None] = {}

    def handlers(self) -> Mapping[EventType, Handler]:
        return {EventType.PASS: self.on_pass}

    def shootout_handlers(self) -> Mapping[EventType, Handler]:
        return {}

    def on_pass(self, event: PassEvent) -> None:
        names = ["total_passes"]
        if event.result is PassResult.COMPLETE:
            names.append("passes_completed")
            end_x = event.end_x
            if end_x is not None and end_x >= FINAL_THIRD_X:
                names.append("final_third_passes")
        length = event.length
        if length is not None:
            if length > LONG_PASS_LENGTH:
                names.append("long_passes")
            elif length < SHORT_PASS_LENGTH:
                names.append("short_passes")
        qualifiers = event.qualifiers
        if qualifiers:
            names.extend(_qualified(qualifiers))
            if Qualifier.ASSIST in qualifiers:
                self.goal_assists[event.event_id] = event.player
        self.tally.count(event, *names)


def _qualified(qualifiers: frozenset[Qualifier]) -> list[str]:
    names = []
    if Qualifier.CROSS in qualifiers:
        names.append("crosses")
    if Qualifier.CORNER_KICK in qualifiers:
        names.append("corners")
    if Qualifier.ASSIST in qualifiers:
        names.extend(("assists", "key_passes"))
    elif Qualifier.SHOT_ASSIST in qualifiers:
        names.append("key_passes")
    return names
