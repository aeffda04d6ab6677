"""Possession sequences and pass strings (statistics.md "Advanced metrics").

A possession sequence is a run of consecutive events (periods 1-4) with the same possession, as
the provider groups them (StatsBomb's `possession` / `possession_team`; kloppy's grouping for the
others), credited to the team in possession. Its pass string is its longest run of consecutive
completed passes by that team: a pass of theirs that is not completed, or a pass of the other
team, ends a run; other events (carries, receipts, pressures) do not. Each possession counts
once, in the bucket of its longest string: 3-5, 6-8 or 9 and more passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from ..domain import REGULATION_PERIODS, Event, EventType, PassResult, Possession

__all__ = ["BUCKETS", "Sequence", "bucket", "pass_strings", "possession_sequences"]

# (metric, shortest, longest) of each pass-string bucket; None: no upper end
BUCKETS: Final = (
    ("pass_strings_3_5", 3, 5),
    ("pass_strings_6_8", 6, 8),
    ("pass_strings_9_plus", 9, None),
)


@dataclass(frozen=True, slots=True)
class Sequence:
    number: int  # 1, 2, ... in match order
    team_id: int | None  # the team in possession
    period: int
    start: float  # seconds into the period of its first and last event
    end: float
    first_index: int  # the provider's index of its first and last event
    last_index: int
    events: int
    passes: int  # passes of the team in possession
    completed_passes: int
    pass_string: int  # longest run of consecutive completed passes of that team

    def to_dict(self) -> dict[str, object]:
        return {
            "sequence": self.number,
            "team_id": self.team_id,
            "period": self.period,
            "start": self.start,
            "end": self.end,
            "first_index": self.first_index,
            "last_index": self.last_index,
            "events": self.events,
            "passes": self.passes,
            "completed_passes": self.completed_passes,
            "pass_string": self.pass_string,
        }


class _Open:
    __slots__ = ("completed", "count", "first", "last", "longest", "passes", "possession", "run")

    def __init__(self, possession: Possession, first: Event) -> None:
        self.possession = possession
        self.first = self.last = first
        self.count = self.passes = self.completed = self.run = self.longest = 0

    def add(self, event: Event) -> None:
        self.last = event
        self.count += 1
        if event.type is not EventType.PASS:
            return
        team = self.possession.team
        if team is None or event.team.id != team.id:
            self.run = 0
            return
        self.passes += 1
        if event.result is PassResult.COMPLETE:
            self.completed += 1
            self.run += 1
            self.longest = max(self.longest, self.run)
        else:
            self.run = 0

    def close(self, number: int) -> Sequence:
        team = self.possession.team
        return Sequence(
            number=number,
            team_id=team.id if team is not None else None,
            period=self.first.period,
            start=self.first.timestamp,
            end=self.last.timestamp,
            first_index=self.first.index,
            last_index=self.last.index,
            events=self.count,
            passes=self.passes,
            completed_passes=self.completed,
            pass_string=self.longest,
        )


def possession_sequences(events: Iterable[Event]) -> tuple[Sequence, ...]:
    """The possession sequences of periods 1-4, in order (events without a possession are
    left out)."""
    sequences: list[Sequence] = []
    current: _Open | None = None
    for event in events:
        possession = event.possession
        if possession is None or event.period not in REGULATION_PERIODS:
            continue
        if current is None or possession is not current.possession:
            if current is not None:
                sequences.append(current.close(len(sequences) + 1))
            current = _Open(possession, event)
        current.add(event)
    if current is not None:
        sequences.append(current.close(len(sequences) + 1))
    return tuple(sequences)


def bucket(pass_string: int) -> str | None:
    """The pass-string metric a possession with this longest string counts for, if any."""
    for metric, shortest, longest in BUCKETS:
        if pass_string >= shortest and (longest is None or pass_string <= longest):
            return metric
    return None


def pass_strings(
    sequences: Iterable[Sequence], team_ids: Iterable[int]
) -> dict[int, dict[str, int]]:
    """team id -> {pass-string metric: possessions}."""
    counts = {team_id: {metric: 0 for metric, _, _ in BUCKETS} for team_id in team_ids}
    for sequence in sequences:
        metric = bucket(sequence.pass_string)
        if metric is not None and sequence.team_id in counts:
            counts[sequence.team_id][metric] += 1
    return counts
