"""Lineups and minutes: starters, substitutes (position, jersey from the next formation
change listing them), time on the pitch until a substitution or a sending-off."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ..domain import (
    CardEvent,
    EventType,
    FormationChangeEvent,
    SheetEntry,
    SubstitutionEvent,
    Team,
)
from ..report import LineupPlayer
from . import Handler
from .discipline import SENDING_OFF_CARDS
from .tally import PlayerKey

__all__ = ["Entry", "Lineups"]

Clock = tuple[int, float]  # (period, seconds into the period)
_AFTER_ALL_PERIODS: Final = (99, 0.0)  # a leave time that is never reached


class Entry:
    """A player on a team sheet while the events are read."""

    __slots__ = ("is_starter", "jersey_number", "name", "player_id", "position", "stints")

    def __init__(
        self, player_id: int, name: str, jersey: int | None, position: str | None, starter: bool
    ) -> None:
        self.player_id = player_id
        self.name = name
        self.jersey_number = jersey
        self.position = position
        self.is_starter = starter
        self.stints: list[list[Clock]] = []  # [enter, leave]

    @classmethod
    def starter(cls, sheet: SheetEntry) -> Entry:
        entry = cls(sheet.player.id, sheet.player.name, sheet.jersey_number, sheet.position, True)
        entry.stints.append([(1, 0.0), _AFTER_ALL_PERIODS])
        return entry

    def minutes(self, period_ends: Mapping[int, float]) -> float:
        seconds = sum(_seconds_on_pitch(enter, leave, period_ends) for enter, leave in self.stints)
        return seconds / 60

    def lineup_player(self, team_id: int, minutes: float) -> LineupPlayer:
        return LineupPlayer(
            player_id=self.player_id,
            player_name=self.name,
            team_id=team_id,
            jersey_number=self.jersey_number,
            position=self.position,
            is_starter=self.is_starter,
            minutes_played=minutes,
        )


def _seconds_on_pitch(enter: Clock, leave: Clock, period_ends: Mapping[int, float]) -> float:
    """Seconds between two match clocks, each period on its own timestamp clock."""
    total = 0.0
    for period, end in period_ends.items():
        if period < enter[0] or period > leave[0]:
            continue
        start = enter[1] if period == enter[0] else 0.0
        stop = min(leave[1], end) if period == leave[0] else end
        if stop > start:
            total += stop - start
    return total


class Lineups:
    __slots__ = ("on_pitch", "sheets", "waiting_for_jersey")

    def __init__(self, teams: tuple[Team, Team], starting: Mapping[int, tuple[SheetEntry, ...]]):
        # team id -> player id -> entry: starters in sheet order, then substitutes
        self.sheets: dict[int, dict[int, Entry]] = {
            team.id: {sheet.player.id: Entry.starter(sheet) for sheet in starting[team.id]}
            for team in teams
        }
        self.on_pitch: dict[PlayerKey, Entry] = {
            (team_id, player_id): entry
            for team_id, entries in self.sheets.items()
            for player_id, entry in entries.items()
        }
        self.waiting_for_jersey: list[tuple[int, Entry]] = []  # (team id, substitute)

    def handlers(self) -> Mapping[EventType, Handler]:
        return {
            EventType.SUBSTITUTION: self.on_substitution,
            EventType.CARD: self.on_card,
            EventType.FORMATION_CHANGE: self.on_formation_change,
        }

    def shootout_handlers(self) -> Mapping[EventType, Handler]:
        return {EventType.FORMATION_CHANGE: self.on_formation_change}

    def leave(self, key: PlayerKey, clock: Clock) -> None:
        entry = self.on_pitch.pop(key, None)
        if entry is not None:
            entry.stints[-1][1] = clock

    def on_substitution(self, event: SubstitutionEvent) -> None:
        team_id = event.team.id
        clock = (event.period, event.timestamp)
        if event.player is not None:
            self.leave((team_id, event.player.id), clock)
        replacement = event.replacement
        if replacement is None or (team_id, replacement.id) in self.on_pitch:
            return
        sheet = self.sheets[team_id]
        entry = sheet.get(replacement.id)
        if entry is None:
            entry = Entry(replacement.id, replacement.name, None, event.position, starter=False)
            sheet[replacement.id] = entry
            self.waiting_for_jersey.append((team_id, entry))
        entry.stints.append([clock, _AFTER_ALL_PERIODS])
        self.on_pitch[(team_id, replacement.id)] = entry

    def on_card(self, event: CardEvent) -> None:
        if event.card in SENDING_OFF_CARDS and event.player is not None:
            self.leave((event.team.id, event.player.id), (event.period, event.timestamp))

    def on_formation_change(self, event: FormationChangeEvent) -> None:
        """A substitute's jersey is in the first later formation change of his team listing him."""
        if not self.waiting_for_jersey:
            return
        jerseys = {
            sheet.player.id: sheet.jersey_number
            for sheet in event.lineup
            if sheet.jersey_number is not None
        }
        waiting = []
        for team_id, entry in self.waiting_for_jersey:
            jersey = jerseys.get(entry.player_id) if team_id == event.team.id else None
            if jersey is None:
                waiting.append((team_id, entry))
            else:
                entry.jersey_number = jersey
        self.waiting_for_jersey = waiting

    def players(self, period_ends: Mapping[int, float]) -> dict[int, list[tuple[Entry, float]]]:
        """Each team's sheet with every player's minutes on the pitch."""
        return {
            team_id: [(entry, entry.minutes(period_ends)) for entry in entries.values()]
            for team_id, entries in self.sheets.items()
        }
