"""The counters the families add to: one per team and one per player (team id, player id)."""

from __future__ import annotations

from collections.abc import Iterable

from ..domain import Event

__all__ = ["Counts", "PlayerKey", "Tally"]

Counts = dict[str, float]
PlayerKey = tuple[int, int]  # (team id, player id)


class Tally:
    """Team and player counters, every counter starting at 0 (`floats` at 0.0)."""

    __slots__ = ("pending", "players", "teams", "zero")

    def __init__(self, team_ids: Iterable[int], counters: Iterable[str], floats: Iterable[str]):
        self.zero: Counts = {**dict.fromkeys(counters, 0), **dict.fromkeys(floats, 0.0)}
        self.teams: dict[int, Counts] = {team_id: dict(self.zero) for team_id in team_ids}
        self.players: dict[PlayerKey, Counts] = {}
        self.pending: dict[tuple[int, int | None, tuple[str, ...]], int] = {}

    def player_counts(self, event: Event) -> Counts | None:
        """The counters of the event's player (None without a player)."""
        player = event.player
        if player is None:
            return None
        key = (event.team.id, player.id)
        counts = self.players.get(key)
        if counts is None:
            counts = self.players[key] = dict(self.zero)
        return counts

    def count(self, event: Event, *names: str) -> None:
        """+1 on each counter for the event's team and, when it has one, its player.

        Counted as (team, player, names) and added up in `settle`: one dict update an event
        instead of two per name (most events share a handful of combinations)."""
        player = event.player
        key = (event.team.id, player.id if player is not None else None, names)
        pending = self.pending
        pending[key] = pending.get(key, 0) + 1

    def settle(self) -> None:
        """Add the pending counts to the team and player counters (before reading them)."""
        for (team_id, player_id, names), times in self.pending.items():
            team = self.teams[team_id]
            for name in names:
                team[name] += times
            if player_id is not None:
                mine = self.players.get((team_id, player_id))
                if mine is None:
                    mine = self.players[(team_id, player_id)] = dict(self.zero)
                for name in names:
                    mine[name] += times
        self.pending.clear()

    def add(self, event: Event, name: str, amount: float) -> None:
        """`amount` on one counter for the event's team and player."""
        self.teams[event.team.id][name] += amount
        mine = self.player_counts(event)
        if mine is not None:
            mine[name] += amount

    def for_player(self, key: PlayerKey) -> Counts:
        return self.players.get(key) or dict(self.zero)
