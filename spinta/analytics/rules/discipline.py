"""Discipline: fouls committed, yellow and red cards (a second yellow counts as red)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ..domain import CardEvent, CardType, Event, EventType
from . import Handler
from .tally import Tally

__all__ = ["SENDING_OFF_CARDS", "Discipline"]

SENDING_OFF_CARDS: Final = frozenset({CardType.RED, CardType.SECOND_YELLOW})


class Discipline:
    __slots__ = ("tally",)

    def __init__(self, tally: Tally) -> None:
        self.tally = tally

    def handlers(self) -> Mapping[EventType, Handler]:
        return {EventType.FOUL_COMMITTED: self.on_foul, EventType.CARD: self.on_card}

    def shootout_handlers(self) -> Mapping[EventType, Handler]:
        return {}

    def on_foul(self, event: Event) -> None:
        self.tally.count(event, "fouls_committed")

    def on_card(self, event: CardEvent) -> None:
        if event.card in SENDING_OFF_CARDS:
            self.tally.count(event, "red_cards")
        else:
            self.tally.count(event, "yellow_cards")
