"""Duels and defending: take-ons, tackles, interceptions, recoveries, clearances, pressures."""

from __future__ import annotations

from collections.abc import Mapping

from ..domain import (
    DuelResult,
    Event,
    EventType,
    InterceptionResult,
    Qualifier,
    RecoveryResult,
    TakeOnResult,
)
from . import Handler
from .tally import Tally

__all__ = ["Defending"]


class Defending:
    __slots__ = ("tally",)

    def __init__(self, tally: Tally) -> None:
        self.tally = tally

    def handlers(self) -> Mapping[EventType, Handler]:
        return {
            EventType.TAKE_ON: self.on_take_on,
            EventType.DUEL: self.on_duel,
            EventType.INTERCEPTION: self.on_interception,
            EventType.RECOVERY: self.on_recovery,
            EventType.CLEARANCE: self.on_clearance,
            EventType.PRESSURE: self.on_pressure,
        }

    def shootout_handlers(self) -> Mapping[EventType, Handler]:
        return {}

    def on_take_on(self, event: Event) -> None:
        if event.result is TakeOnResult.COMPLETE:
            self.tally.count(event, "total_dribbles", "successful_dribbles")
        else:
            self.tally.count(event, "total_dribbles")

    def on_duel(self, event: Event) -> None:
        if Qualifier.TACKLE not in event.qualifiers:
            return
        if event.result is DuelResult.WON:
            self.tally.count(event, "total_tackles", "tackles_won")
        else:
            self.tally.count(event, "total_tackles")

    def on_interception(self, event: Event) -> None:
        if event.result is InterceptionResult.SUCCESS:
            self.tally.count(event, "interceptions", "interceptions_won")
        else:
            self.tally.count(event, "interceptions")

    def on_recovery(self, event: Event) -> None:
        if event.result is not RecoveryResult.FAILURE:
            self.tally.count(event, "ball_recoveries")

    def on_clearance(self, event: Event) -> None:
        self.tally.count(event, "clearances")

    def on_pressure(self, event: Event) -> None:
        self.tally.count(event, "pressures")
