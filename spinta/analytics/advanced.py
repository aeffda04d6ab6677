"""Advanced metrics of one match (statistics.md "Advanced metrics", issue 22).

`analyse_advanced` runs the advanced rule families over a neutral `Match` in one pass
(`rules.progression`, `pressing`, `territory`, `threat`) and groups the events into possession
sequences (`rules.sequences`, which also gives the pass strings). Every metric is a `catalogue`
entry (`catalogue.ADVANCED`); the result holds each team's and each player's values by key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from . import rules
from .catalogue import ADVANCED, Kind
from .domain import Match
from .pitch import Pitch, pitch_for
from .report import per90, rate
from .rules.pressing import Pressing, ppda
from .rules.progression import ProgressiveActions
from .rules.sequences import Sequence, pass_strings, possession_sequences
from .rules.tally import Tally
from .rules.territory import FieldTilt
from .rules.threat import ExpectedThreat

__all__ = [
    "ADVANCED_PLAYER_FIELDS",
    "ADVANCED_PLAYER_PER90",
    "ADVANCED_TEAM_FIELDS",
    "AdvancedReport",
    "analyse_advanced",
    "team_values",
]

# the metrics a team row holds (parts included) and those a player row holds
ADVANCED_TEAM_FIELDS: Final = tuple(stat.key for stat in ADVANCED if stat.team)
ADVANCED_PLAYER_FIELDS: Final = tuple(stat.key for stat in ADVANCED if stat.player)
ADVANCED_PLAYER_PER90: Final = tuple(stat.key for stat in ADVANCED if stat.player and stat.per90)
_COUNTERS: Final = tuple(
    stat.key for stat in ADVANCED if stat.kind is Kind.COUNT and stat.key != "expected_threat"
)
_FLOATS: Final = ("expected_threat",)


@dataclass(frozen=True, slots=True)
class AdvancedReport:
    teams: Mapping[int, Mapping[str, float | None]]  # team id -> every ADVANCED_TEAM_FIELDS value
    players: Mapping[tuple[int, int], Mapping[str, float]]  # (team id, player id) -> values
    sequences: tuple[Sequence, ...] = field(default=(), repr=False)

    def player(self, team_id: int, player_id: int) -> dict[str, float]:
        values = self.players.get((team_id, player_id), {})
        return {key: values.get(key, 0) for key in ADVANCED_PLAYER_FIELDS}

    def player_per90(self, team_id: int, player_id: int, minutes: float) -> dict[str, float | None]:
        values = self.player(team_id, player_id)
        return {key: per90(values[key], minutes) for key in ADVANCED_PLAYER_PER90}


def team_values(counts: Mapping[str, float]) -> dict[str, float | None]:
    """Every team metric from its counts: PPDA and field tilt from their parts."""
    values: dict[str, float | None] = {key: counts.get(key, 0) for key in ADVANCED_TEAM_FIELDS}
    values["ppda"] = ppda(counts["ppda_opponent_passes"], counts["ppda_defensive_actions"])
    values["field_tilt"] = rate(counts["field_tilt_ours"], counts["field_tilt_both"])
    return values


def analyse_advanced(match: Match, pitch: Pitch | None = None) -> AdvancedReport:
    """The advanced metrics of a match whose coordinates are on `pitch` (11v11 by default)."""
    pitch = pitch or pitch_for(None)
    team_ids = (match.teams[0].id, match.teams[1].id)
    tally = Tally(team_ids, _COUNTERS, _FLOATS)
    tilt = FieldTilt(tally, pitch)
    families = (
        ProgressiveActions(tally, pitch),
        Pressing(tally, pitch, team_ids),
        tilt,
        ExpectedThreat(tally, pitch),
    )
    rules.run(match.events, families)
    tally.settle()
    tilt.settle()
    sequences = possession_sequences(match.events)
    strings = pass_strings(sequences, team_ids)
    teams = {}
    for team_id in team_ids:
        counts = {**tally.teams[team_id], **strings[team_id]}
        teams[team_id] = team_values(counts)
    players = {
        key: {name: counts[name] for name in ADVANCED_PLAYER_FIELDS}
        for key, counts in tally.players.items()
    }
    return AdvancedReport(teams=teams, players=players, sequences=sequences)
