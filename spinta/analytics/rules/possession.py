"""Possession (statistics.md "Possession"): within each period 1-4, a chain of play runs from
its first event to the next chain's first event (the last one to the period's end), credited to
the team in possession at its first event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..domain import SHOOTOUT_PERIOD, EventType, Match
from ..report import rate
from . import Handler

__all__ = ["PossessionChains"]

_NO_CHAIN = object()


class PossessionChains:
    """Reads the provider's runs of play, not single events."""

    __slots__ = ("chains", "period_ends")

    def __init__(self, match: Match) -> None:
        # regulation periods only, in order of appearance (minutes are summed in that order)
        self.period_ends: dict[int, float] = {
            period: end for period, end in match.period_ends.items() if period != SHOOTOUT_PERIOD
        }
        self.chains: dict[int, list[tuple[float, int | None]]] = {}  # (start, team id)
        last: dict[int, object] = {}
        for run in match.possessions:
            period = run.period
            if period != SHOOTOUT_PERIOD and last.get(period, _NO_CHAIN) != run.id:
                last[period] = run.id
                team_id = run.team.id if run.team is not None else None
                self.chains.setdefault(period, []).append((run.start, team_id))

    def handlers(self) -> Mapping[EventType, Handler]:
        return {}

    def shootout_handlers(self) -> Mapping[EventType, Handler]:
        return {}

    def seconds_by_team(self) -> dict[int, float]:
        """Seconds of possession per team id, from the chains of each regulation period."""
        times: dict[int, float] = {}
        for period, chains in self.chains.items():
            last = len(chains) - 1
            for position, (start, team_id) in enumerate(chains):
                end = chains[position + 1][0] if position < last else self.period_ends[period]
                if team_id is not None and end > start:
                    times[team_id] = times.get(team_id, 0.0) + (end - start)
        return times

    def percentages(self, team_ids: Iterable[int]) -> dict[int, float | None]:
        """possession_percentage of each team (None when nobody had the ball)."""
        times = self.seconds_by_team()
        total = sum(times.values())
        return {team_id: rate(times.get(team_id, 0.0), total) for team_id in team_ids}
