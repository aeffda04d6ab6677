"""PPDA, passes per defensive action (statistics.md "Advanced metrics").

The opponent's passes that start in their own 60% (x < 72 in their direction) over our
defensive actions in that zone (x > 48 in ours, the same ground seen from our side): duels
(tackles and every other duel, won or lost), interceptions and fouls committed. Lower means more
pressing; null without a defensive action there. Yards scale with the pitch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ..domain import Event, EventType
from ..pitch import Pitch
from . import Handler
from .tally import Tally

__all__ = ["OWN_ZONE_X", "Pressing", "ppda"]

OWN_ZONE_X: Final = 72.0  # a team's own 60% of 120


def ppda(opponent_passes: float, defensive_actions: float) -> float | None:
    """Opponent passes per defensive action; None without a defensive action."""
    return opponent_passes / defensive_actions if defensive_actions else None


class Pressing:
    __slots__ = ("defending_from", "own_zone", "tally", "teams")

    def __init__(self, tally: Tally, pitch: Pitch, team_ids: tuple[int, int]) -> None:
        self.tally = tally
        self.own_zone = pitch.x(OWN_ZONE_X)
        self.defending_from = pitch.length - self.own_zone
        self.teams = {team_ids[0]: team_ids[1], team_ids[1]: team_ids[0]}

    def handlers(self) -> Mapping[EventType, Handler]:
        return {
            EventType.PASS: self.on_pass,
            EventType.DUEL: self.on_defensive_action,
            EventType.INTERCEPTION: self.on_defensive_action,
            EventType.FOUL_COMMITTED: self.on_defensive_action,
        }

    def shootout_handlers(self) -> Mapping[EventType, Handler]:
        return {}

    def on_pass(self, event: Event) -> None:
        if event.x is not None and event.x < self.own_zone:
            # a pass in the passer's own 60%: it counts for the other team's PPDA
            self.tally.teams[self.teams[event.team.id]]["ppda_opponent_passes"] += 1

    def on_defensive_action(self, event: Event) -> None:
        if event.x is not None and event.x > self.defending_from:
            self.tally.count(event, "ppda_defensive_actions")
