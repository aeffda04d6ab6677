"""analyse_match: one event file -> MatchReport, as a short pipeline (statistics.md is the
contract): provider (raw file -> neutral `Match`) -> rule families (one pass over the events)
-> report. Regulation play is periods 1-4; period 5 (shootout) only feeds the shootout goals.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from . import rules
from .advanced import analyse_advanced
from .domain import Match
from .pitch import Pitch
from .providers import ReadResult, read_match
from .report import (
    PLAYER_COUNT_FIELDS,
    RATE_PARTS,
    TEAM_COUNT_FIELDS,
    TEAM_RATE_FIELDS,
    MatchReport,
    OurTeam,
    PlayerStats,
    Score,
    Team,
    TeamLineup,
    TeamStats,
    rate,
)
from .rules.defending import Defending
from .rules.discipline import Discipline
from .rules.lineups import Lineups
from .rules.passing import Passing
from .rules.possession import PossessionChains
from .rules.shots import ShotsAndGoals
from .rules.tally import Counts, Tally
from .teams import identify_team

__all__ = ["analyse_match", "fingerprint_events"]

_COUNTERS = tuple(dict.fromkeys((*TEAM_COUNT_FIELDS, *PLAYER_COUNT_FIELDS)))
_FLOAT_COUNTERS = ("expected_goals",)


def fingerprint_events(event_ids: Sequence[str]) -> str:
    """sha256 over the sorted unique event ids: the same match always gives the same value."""
    return _fingerprint_sorted(sorted(set(event_ids)))


def _fingerprint_sorted(unique_ids: list[str]) -> str:
    """fingerprint_events of ids already unique and sorted: sha256 of "id\nid\n...id\n"."""
    joined = "\n".join(unique_ids) + "\n" if unique_ids else ""
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def _validate_typed_score(typed_score: object) -> Score | None:
    if typed_score is None:
        return None
    if (
        not isinstance(typed_score, (tuple, list))
        or len(typed_score) != 2
        or any(
            not isinstance(value, int) or isinstance(value, bool) or value < 0
            for value in typed_score
        )
    ):
        raise ValueError("typed_score must be None or a pair (our, opponent) of numbers >= 0.")
    return Score(our=typed_score[0], opponent=typed_score[1])


class _Families:
    """The rule families of one match, fed in one pass over its events."""

    def __init__(self, match: Match) -> None:
        self.tally = Tally((team.id for team in match.teams), _COUNTERS, _FLOAT_COUNTERS)
        passing = Passing(self.tally)
        self.shots = ShotsAndGoals(self.tally, match.teams, passing.goal_assists)
        self.lineups = Lineups(match.teams, match.starting)
        self.possession = PossessionChains(match)
        families = (
            passing,
            self.shots,
            Defending(self.tally),
            Discipline(self.tally),
            self.lineups,
            self.possession,
        )
        self.has_shootout = rules.run(match.events, families)
        self.tally.settle()

    def shootout(self, key: Any) -> int | None:
        return self.shots.shootout_goals.get(key, 0) if self.has_shootout else None


def _scores(
    typed: Score | None, derived: Score, families: _Families, our_id: int, opponent_id: int
) -> tuple[Score, str, Score | None, tuple[str, ...]]:
    """(official score, result, shootout score, warnings)."""
    official = typed if typed is not None else derived
    warnings: tuple[str, ...] = ()
    if typed is not None and typed != derived:
        warnings = (
            f"The score you entered ({typed.our}-{typed.opponent}) differs from the score in "
            f"the event file ({derived.our}-{derived.opponent}); the entered score is used as "
            "the official score.",
        )
    if official.our > official.opponent:
        result = "W"
    elif official.our < official.opponent:
        result = "L"
    else:
        result = "D"
    shootout = (
        Score(our=families.shootout(our_id), opponent=families.shootout(opponent_id))
        if families.has_shootout
        else None
    )
    return official, result, shootout, warnings


def _rates(counts: Counts, names: Sequence[str]) -> dict[str, float | None]:
    return {name: rate(counts[RATE_PARTS[name][0]], counts[RATE_PARTS[name][1]]) for name in names}


def _team_stats(match: Match, families: _Families, our_id: int) -> tuple[TeamStats, ...]:
    shares = families.possession.percentages(team.id for team in match.teams)
    stats = []
    for team in match.teams:
        counts = families.tally.teams[team.id]
        stats.append(
            TeamStats(
                team_id=team.id,
                team_name=team.name,
                is_our_team=team.id == our_id,
                penalty_shootout_goals=families.shootout(team.id),
                possession_percentage=shares[team.id],
                **{name: counts[name] for name in TEAM_COUNT_FIELDS},
                **_rates(counts, TEAM_RATE_FIELDS),
            )
        )
    return tuple(stats)


def _lineups_and_players(
    match: Match, families: _Families, our_id: int
) -> tuple[tuple[TeamLineup, ...], tuple[PlayerStats, ...]]:
    lineups: list[TeamLineup] = []
    player_stats: list[PlayerStats] = []
    sheets = families.lineups.players(families.possession.period_ends)
    for team in match.teams:
        for entry, minutes in sheets[team.id]:
            counts = families.tally.for_player((team.id, entry.player_id))
            player_stats.append(
                PlayerStats(
                    player_id=entry.player_id,
                    player_name=entry.name,
                    team_id=team.id,
                    team_name=team.name,
                    is_our_team=team.id == our_id,
                    is_starter=entry.is_starter,
                    jersey_number=entry.jersey_number,
                    position=entry.position,
                    minutes_played=minutes,
                    penalty_shootout_goals=families.shootout((team.id, entry.player_id)),
                    **{name: counts[name] for name in PLAYER_COUNT_FIELDS},
                    **_rates(counts, tuple(RATE_PARTS)),
                )
            )
        players = tuple(entry.lineup_player(team.id, minutes) for entry, minutes in sheets[team.id])
        lineups.append(TeamLineup(team_id=team.id, team_name=team.name, players=players))
    return tuple(lineups), tuple(player_stats)


MATCHED_BY_SIDE = "side"  # our_team "home" / "away"
MATCHED_BY_OUR_TEAM = "our_team"  # our_team naming a team of the file


def _our_team(
    match: Match, club_name: str | None, club_team_id: int | None, our_team: str | None
) -> tuple[int, str]:
    """(our team id, matched_by): the coach's `our_team` when given, else the club."""
    teams = [(team.id, team.name) for team in match.teams]
    if our_team is None or not our_team.strip():
        return identify_team(teams, club_name=club_name, club_team_id=club_team_id)
    side = our_team.strip().casefold()
    if side in ("home", "away"):
        return match.teams[0 if side == "home" else 1].id, MATCHED_BY_SIDE
    team_id, _ = identify_team(teams, club_name=our_team.strip())
    return team_id, MATCHED_BY_OUR_TEAM


def analyse_match(
    events: object,
    *,
    club_name: str | None = None,
    club_team_id: int | None = None,
    typed_score: tuple[int, int] | None = None,
    pitch: Pitch | None = None,
    our_team: str | None = None,
) -> MatchReport:
    """Analyse one StatsBomb event array from the club's side (see statistics.md).

    `club_team_id` (the club's StatsBomb team id) is tried first, then `club_name`; at least
    one is required. `typed_score` is the (our, opponent) score the coach typed, if any: it
    becomes the official score, with a warning when the events say otherwise. `events` is a
    StatsBomb array or another provider's `ReadResult` (its warnings join the report's);
    `our_team` ("home", "away" or a team's name in the file) overrides the club's name.
    `pitch` is the pitch the advanced metrics measure on (the team's format; 11v11 by default).
    Raises an `EventDataError` subclass, with a sentence for the coach, for unusable data.
    """
    if club_name is None and club_team_id is None and our_team is None:
        raise ValueError("analyse_match needs club_name or club_team_id to find our team.")
    typed = _validate_typed_score(typed_score)
    read_warnings: tuple[str, ...] = ()
    if isinstance(events, ReadResult):
        match, read_warnings = events.match, tuple(events.warnings)
    else:
        match = read_match(events)
    our_id, matched_by = _our_team(match, club_name, club_team_id, our_team)
    ours, opponent = match.teams if match.teams[0].id == our_id else match.teams[::-1]
    families = _Families(match)
    goals = families.tally.teams
    derived = Score(our=int(goals[ours.id]["goals"]), opponent=int(goals[opponent.id]["goals"]))
    score, result, shootout, warnings = _scores(typed, derived, families, ours.id, opponent.id)
    warnings = read_warnings + warnings
    lineups, player_stats = _lineups_and_players(match, families, ours.id)
    return MatchReport(
        teams=tuple(Team(id=t.id, name=t.name, is_our_team=t.id == ours.id) for t in match.teams),
        our_team=OurTeam(id=ours.id, name=ours.name, matched_by=matched_by),
        opponent=Team(id=opponent.id, name=opponent.name, is_our_team=False),
        score=score,
        derived_score=derived,
        result=result,
        penalty_shootout=shootout,
        team_stats=_team_stats(match, families, ours.id),
        goals=families.shots.goals(ours.id),
        lineups=lineups,
        player_stats=player_stats,
        warnings=warnings,
        fingerprint=_fingerprint_sorted(sorted(match.event_ids)),  # the provider's are unique
        events=match.raw_events,
        advanced=analyse_advanced(match, pitch),
        length_minutes=sum(families.possession.period_ends.values()) / 60,
    )
