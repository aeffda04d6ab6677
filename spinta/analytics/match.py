"""analyse_match: one StatsBomb event array -> MatchReport (statistics.md is the contract).

The work is one pass over the cleaned events in `index` order, accumulating team and player
counters, possession chains, substitutions and goals; a few small post-passes turn them into
the report. Regulation play is periods 1-4; period 5 (shootout) only feeds the shootout goals.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any

from . import names as sb
from .errors import LineupError, TeamsError
from .events import PreparedEvent, prepare_validated
from .report import (
    PLAYER_COUNT_FIELDS,
    RATE_PARTS,
    TEAM_COUNT_FIELDS,
    TEAM_RATE_FIELDS,
    Goal,
    LineupPlayer,
    MatchReport,
    OurTeam,
    PlayerStats,
    Score,
    Team,
    TeamLineup,
    TeamStats,
    rate,
)
from .teams import identify_team

__all__ = ["analyse_match", "fingerprint_events"]

_EMPTY: dict[str, Any] = {}
_COUNTERS = tuple(dict.fromkeys((*TEAM_COUNT_FIELDS, *PLAYER_COUNT_FIELDS)))
_AFTER_ALL_PERIODS = (99, 0.0)  # a leave time that is never reached
_NO_CHAIN = object()
_ZERO_COUNTS: dict[str, float] = {**dict.fromkeys(_COUNTERS, 0), "expected_goals": 0.0}

Key = tuple[int, int]  # (team id, player id)
Clock = tuple[int, float]  # (period, seconds into the period)


def _obj(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else _EMPTY


def _name(value: object) -> str:
    """Case-folded `name` of a StatsBomb {id, name} object, "" when absent."""
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return name.casefold()
    return ""


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return None


def _player(value: object) -> tuple[int, str] | None:
    """(id, name) of a StatsBomb player object, None without an integer id."""
    if isinstance(value, dict):
        player_id = _int(value.get("id"))
        if player_id is not None:
            name = value.get("name")
            return player_id, name if isinstance(name, str) else ""
    return None


def _position(value: object) -> str | None:
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return name
    return None


def fingerprint_events(event_ids: Sequence[str]) -> str:
    """sha256 over the sorted unique event ids: the same match always gives the same value."""
    digest = hashlib.sha256()
    for event_id in sorted(set(event_ids)):
        digest.update(event_id.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()


def _teams_in_order(events: list[PreparedEvent]) -> list[tuple[int, str]]:
    teams: dict[int, str] = {}
    for event in events:
        if event.team_id not in teams:
            teams[event.team_id] = event.team_name
    found = list(teams.items())
    if len(found) != 2:
        listed = ", ".join(name for _, name in found)
        raise TeamsError(
            f"A match file needs events for exactly two teams, but this one has {len(found)} "
            f"({listed})."
        )
    return found


class _Entry:
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


def _starting_lineups(
    events: list[PreparedEvent], teams: list[tuple[int, str]]
) -> dict[int, dict[int, _Entry]]:
    team_names = dict(teams)
    xi_events = [event for event in events if event.type_name == sb.STARTING_XI]
    if len(xi_events) != 2 or xi_events[0].team_id == xi_events[1].team_id:
        if len(xi_events) == 2:
            raise LineupError(
                f"Both Starting XI events are for {xi_events[0].team_name}; "
                "each team needs its own."
            )
        raise LineupError(
            f"A match file needs exactly two Starting XI events (one per team), "
            f"but this one has {len(xi_events)}."
        )
    lineups: dict[int, dict[int, _Entry]] = {}
    for event in xi_events:
        team_name = team_names[event.team_id]
        lineup = _obj(event.raw.get("tactics")).get("lineup")
        if not isinstance(lineup, list):
            raise LineupError(f"The Starting XI of {team_name} has no lineup.")
        if len(lineup) != 11:
            raise LineupError(
                f"The Starting XI of {team_name} lists {len(lineup)} players instead of 11."
            )
        entries: dict[int, _Entry] = {}
        for item in lineup:
            item = _obj(item)
            player = _player(item.get("player"))
            if player is None:
                raise LineupError(f"The Starting XI of {team_name} lists a player without an id.")
            if player[0] in entries:
                raise LineupError(
                    f"The Starting XI of {team_name} lists {player[1] or player[0]} twice."
                )
            entry = _Entry(
                player[0],
                player[1],
                _int(item.get("jersey_number")),
                _position(item.get("position")),
                starter=True,
            )
            entry.stints.append([(1, 0.0), _AFTER_ALL_PERIODS])
            entries[player[0]] = entry
        lineups[event.team_id] = entries
    return lineups


def _seconds_on_pitch(enter: Clock, leave: Clock, period_ends: dict[int, float]) -> float:
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


def _possession_times(
    chains: dict[int, list[tuple[float, int | None]]], period_ends: dict[int, float]
) -> dict[int, float]:
    """Seconds of possession per team id, from the chains of each regulation period."""
    times: dict[int, float] = {}
    for period, period_chains in chains.items():
        last = len(period_chains) - 1
        for position, (start, team_id) in enumerate(period_chains):
            end = period_chains[position + 1][0] if position < last else period_ends[period]
            if team_id is not None and end > start:
                times[team_id] = times.get(team_id, 0.0) + (end - start)
    return times


def _validate_typed_score(typed_score: object) -> Score | None:
    if typed_score is None:
        return None
    if (
        not isinstance(typed_score, (tuple, list))
        or len(typed_score) != 2
        or any(_int(value) is None or value < 0 for value in typed_score)
    ):
        raise ValueError("typed_score must be None or a pair (our, opponent) of numbers >= 0.")
    return Score(our=typed_score[0], opponent=typed_score[1])


def analyse_match(
    events: object,
    *,
    club_name: str | None = None,
    club_team_id: int | None = None,
    typed_score: tuple[int, int] | None = None,
) -> MatchReport:
    """Analyse one StatsBomb event array from the club's side (see statistics.md).

    `club_team_id` (the club's StatsBomb team id) is tried first, then `club_name`; at least
    one is required. `typed_score` is the (our, opponent) score the coach typed, if any: it
    becomes the official score, with a warning when the events say otherwise.
    Raises an `EventDataError` subclass, with a sentence for the coach, for unusable data.
    """
    if club_name is None and club_team_id is None:
        raise ValueError("analyse_match needs club_name or club_team_id to find our team.")
    typed = _validate_typed_score(typed_score)
    prepared = prepare_validated(events)
    teams = _teams_in_order(prepared)
    lineups = _starting_lineups(prepared, teams)
    our_id, matched_by = identify_team(teams, club_name=club_name, club_team_id=club_team_id)
    team_names = dict(teams)
    opponent_of = {teams[0][0]: teams[1][0], teams[1][0]: teams[0][0]}

    team_counts: dict[int, dict[str, float]] = {team_id: dict(_ZERO_COUNTS) for team_id, _ in teams}
    player_counts: dict[Key, dict[str, float]] = {}
    shootout_goals: dict[Key | int, int] = {}
    has_shootout = False
    period_ends: dict[int, float] = {}
    chains: dict[int, list[tuple[float, int | None]]] = {}
    last_possession: dict[int, object] = {}
    on_pitch: dict[Key, _Entry] = {
        (team_id, player_id): entry
        for team_id, entries in lineups.items()
        for player_id, entry in entries.items()
    }
    substitutes: list[tuple[int, int, _Entry]] = []  # (event position, team id, entry)
    tactical_shifts: list[tuple[int, int, dict[int, int]]] = []  # (position, team, jerseys)
    goal_assists: dict[str, tuple[int, str] | None] = {}  # pass id -> assisting player
    goal_events: list[PreparedEvent] = []  # goal shots and Own Goal For, in order
    own_goals_against: list[tuple[int, int, int, tuple[int, str] | None]] = []

    def leave(key: Key, clock: Clock) -> None:
        entry = on_pitch.pop(key, None)
        if entry is not None:
            entry.stints[-1][1] = clock

    for position, event in enumerate(prepared):
        raw = event.raw
        kind = event.type_name
        team_id = event.team_id
        period = event.period

        if kind == sb.TACTICAL_SHIFT:
            jerseys: dict[int, int] = {}
            lineup = _obj(raw.get("tactics")).get("lineup")
            for item in lineup if isinstance(lineup, list) else ():
                item = _obj(item)
                player = _player(item.get("player"))
                jersey = _int(item.get("jersey_number"))
                if player is not None and jersey is not None:
                    jerseys[player[0]] = jersey
            tactical_shifts.append((position, team_id, jerseys))

        if period == sb.SHOOTOUT_PERIOD:
            has_shootout = True
            if kind == sb.SHOT and _name(_obj(raw.get("shot")).get("outcome")) == sb.GOAL:
                shootout_goals[team_id] = shootout_goals.get(team_id, 0) + 1
                player = _player(raw.get("player"))
                if player is not None:
                    key = (team_id, player[0])
                    shootout_goals[key] = shootout_goals.get(key, 0) + 1
            continue

        seconds = event.seconds
        if seconds > period_ends.get(period, -1.0):
            period_ends[period] = seconds
        possession = raw.get("possession")
        if possession is not None and last_possession.get(period, _NO_CHAIN) != possession:
            last_possession[period] = possession
            possession_team = _int(_obj(raw.get("possession_team")).get("id"))
            credited = possession_team if possession_team in opponent_of else None
            chains.setdefault(period, []).append((seconds, credited))

        team = team_counts[team_id]
        player = _player(raw.get("player"))
        key: Key | None = None
        mine: dict[str, float] | None = None
        if player is not None:
            key = (team_id, player[0])
            mine = player_counts.get(key)
            if mine is None:
                mine = player_counts[key] = dict(_ZERO_COUNTS)

        added: list[str] = []
        if kind == sb.PASS:
            detail = _obj(raw.get("pass"))
            added.append("total_passes")
            if detail.get("outcome") is None:
                added.append("passes_completed")
                end_location = detail.get("end_location")
                if isinstance(end_location, list) and end_location:
                    end_x = _number(end_location[0])
                    if end_x is not None and end_x >= sb.FINAL_THIRD_X:
                        added.append("final_third_passes")
            length = _number(detail.get("length"))
            if length is not None:
                if length > sb.LONG_PASS_LENGTH:
                    added.append("long_passes")
                elif length < sb.SHORT_PASS_LENGTH:
                    added.append("short_passes")
            if detail.get("cross") is True:
                added.append("crosses")
            if _name(detail.get("type")) == sb.CORNER:
                added.append("corners")
            if detail.get("goal_assist") is True:
                added.append("assists")
                added.append("key_passes")
                goal_assists[event.id] = player
            elif detail.get("shot_assist") is True:
                added.append("key_passes")
        elif kind == sb.SHOT:
            detail = _obj(raw.get("shot"))
            added.append("total_shots")
            added.append("shots")
            xg = _number(detail.get("statsbomb_xg"))
            if xg is not None:
                team["expected_goals"] += xg
                if mine is not None:
                    mine["expected_goals"] += xg
            outcome = _name(detail.get("outcome"))
            if outcome in sb.SHOT_ON_TARGET:
                added.append("shots_on_target")
                if outcome == sb.GOAL:
                    added.append("goals")
                    goal_events.append(event)
                else:  # saved: a save by the other team's keeper
                    team_counts[opponent_of[team_id]]["goalkeeper_saves"] += 1
            elif outcome in sb.SHOT_OFF_TARGET:
                added.append("shots_off_target")
            elif outcome == sb.SHOT_BLOCKED:
                added.append("blocked_shots")
        elif kind == sb.DRIBBLE:
            added.append("total_dribbles")
            if _name(_obj(raw.get("dribble")).get("outcome")) == sb.DRIBBLE_COMPLETE:
                added.append("successful_dribbles")
        elif kind == sb.DUEL:
            detail = _obj(raw.get("duel"))
            if _name(detail.get("type")) == sb.TACKLE:
                added.append("total_tackles")
                if _name(detail.get("outcome")) in sb.WON_OUTCOMES:
                    added.append("tackles_won")
        elif kind == sb.INTERCEPTION:
            added.append("interceptions")
            if _name(_obj(raw.get("interception")).get("outcome")) in sb.WON_OUTCOMES:
                added.append("interceptions_won")
        elif kind == sb.BALL_RECOVERY:
            if _obj(raw.get("ball_recovery")).get("recovery_failure") is not True:
                added.append("ball_recoveries")
        elif kind == sb.CLEARANCE:
            added.append("clearances")
        elif kind == sb.FOUL_COMMITTED:
            added.append("fouls_committed")
        elif kind == sb.PRESSURE:
            added.append("pressures")
        elif kind == sb.GOAL_KEEPER:
            if mine is not None and _name(_obj(raw.get("goalkeeper")).get("type")) in (
                sb.GOALKEEPER_SAVES
            ):
                mine["goalkeeper_saves"] += 1
        elif kind == sb.OWN_GOAL_FOR:
            team["goals"] += 1
            goal_events.append(event)
        elif kind == sb.OWN_GOAL_AGAINST:
            if mine is not None:
                mine["own_goals"] += 1
            own_goals_against.append((period, event.index, team_id, player))
        elif kind == sb.SUBSTITUTION:
            clock = (period, seconds)
            if key is not None:
                leave(key, clock)
            replacement = _player(_obj(raw.get("substitution")).get("replacement"))
            if replacement is not None:
                incoming = (team_id, replacement[0])
                if incoming not in on_pitch:
                    sheet = lineups[team_id]
                    entry = sheet.get(replacement[0])
                    if entry is None:
                        entry = sheet[replacement[0]] = _Entry(
                            replacement[0],
                            replacement[1],
                            None,
                            _position(raw.get("position")),
                            starter=False,
                        )
                        substitutes.append((position, team_id, entry))
                    entry.stints.append([clock, _AFTER_ALL_PERIODS])
                    on_pitch[incoming] = entry

        for card_holder in ("foul_committed", "bad_behaviour"):
            holder = raw.get(card_holder)
            if holder:
                card = _name(_obj(holder).get("card"))
                if card == sb.YELLOW_CARD:
                    added.append("yellow_cards")
                elif card in sb.SENDING_OFF_CARDS:
                    added.append("red_cards")
                    if key is not None:
                        leave(key, (period, seconds))

        for name in added:
            team[name] += 1
        if mine is not None:
            for name in added:
                mine[name] += 1

    # ---- possession ------------------------------------------------------------------------
    possession_seconds = _possession_times(chains, period_ends)
    total_possession = sum(possession_seconds.values())

    # ---- jerseys of substitutes: the first later Tactical Shift of their team listing them --
    for sub_position, team_id, entry in substitutes:
        for shift_position, shift_team, jerseys in tactical_shifts:
            if shift_position > sub_position and shift_team == team_id:
                jersey = jerseys.get(entry.player_id)
                if jersey is not None:
                    entry.jersey_number = jersey
                    break

    # ---- scores ----------------------------------------------------------------------------
    opponent_id = opponent_of[our_id]
    derived = Score(
        our=int(team_counts[our_id]["goals"]), opponent=int(team_counts[opponent_id]["goals"])
    )
    official = typed if typed is not None else derived
    warnings: list[str] = []
    if typed is not None and typed != derived:
        warnings.append(
            f"The score you entered ({typed.our}-{typed.opponent}) differs from the score in "
            f"the event file ({derived.our}-{derived.opponent}); the entered score is used as "
            "the official score."
        )
    if official.our > official.opponent:
        result = "W"
    elif official.our < official.opponent:
        result = "L"
    else:
        result = "D"
    penalty_shootout = (
        Score(our=shootout_goals.get(our_id, 0), opponent=shootout_goals.get(opponent_id, 0))
        if has_shootout
        else None
    )

    # ---- team statistics -------------------------------------------------------------------
    team_stats: list[TeamStats] = []
    for team_id, team_name in teams:
        counts = team_counts[team_id]
        values: dict[str, Any] = {name: counts[name] for name in TEAM_COUNT_FIELDS}
        for name in TEAM_RATE_FIELDS:
            part, whole = RATE_PARTS[name]
            values[name] = rate(counts[part], counts[whole])
        team_stats.append(
            TeamStats(
                team_id=team_id,
                team_name=team_name,
                is_our_team=team_id == our_id,
                penalty_shootout_goals=shootout_goals.get(team_id, 0) if has_shootout else None,
                possession_percentage=rate(possession_seconds.get(team_id, 0.0), total_possession),
                **values,
            )
        )

    # ---- goals timeline --------------------------------------------------------------------
    goals: list[Goal] = []
    for event in goal_events:
        raw = event.raw
        scorer: tuple[int, str] | None
        assist: tuple[int, str] | None = None
        if event.type_name == sb.OWN_GOAL_FOR:
            candidates = [
                (abs(index - event.index), index, player)
                for period, index, team_id, player in own_goals_against
                if period == event.period and team_id != event.team_id
            ]
            scorer = min(candidates, key=lambda item: item[:2])[2] if candidates else None
            own_goal, penalty = True, False
        else:
            detail = _obj(raw.get("shot"))
            scorer = _player(raw.get("player"))
            key_pass_id = detail.get("key_pass_id")
            if isinstance(key_pass_id, str):
                assist = goal_assists.get(key_pass_id)
            own_goal = False
            penalty = _name(detail.get("type")) == sb.PENALTY
        goals.append(
            Goal(
                minute=_int(raw.get("minute")) or 0,
                second=_int(raw.get("second")) or 0,
                period=event.period,
                team_id=event.team_id,
                team_name=team_names[event.team_id],
                scorer_id=scorer[0] if scorer else None,
                scorer_name=scorer[1] if scorer else None,
                assist_id=assist[0] if assist else None,
                assist_name=assist[1] if assist else None,
                is_our_goal=event.team_id == our_id,
                own_goal=own_goal,
                penalty=penalty,
                event_id=event.id,
            )
        )

    # ---- lineups, minutes and player statistics --------------------------------------------
    team_lineups: list[TeamLineup] = []
    player_stats: list[PlayerStats] = []
    for team_id, team_name in teams:
        players: list[LineupPlayer] = []
        for entry in lineups[team_id].values():
            seconds_played = sum(
                _seconds_on_pitch(enter, leave_at, period_ends) for enter, leave_at in entry.stints
            )
            minutes = seconds_played / 60
            players.append(
                LineupPlayer(
                    player_id=entry.player_id,
                    player_name=entry.name,
                    team_id=team_id,
                    jersey_number=entry.jersey_number,
                    position=entry.position,
                    is_starter=entry.is_starter,
                    minutes_played=minutes,
                )
            )
            key = (team_id, entry.player_id)
            counts = player_counts.get(key) or dict(_ZERO_COUNTS)
            values = {name: counts[name] for name in PLAYER_COUNT_FIELDS}
            for name, (part, whole) in RATE_PARTS.items():
                values[name] = rate(counts[part], counts[whole])
            player_stats.append(
                PlayerStats(
                    player_id=entry.player_id,
                    player_name=entry.name,
                    team_id=team_id,
                    team_name=team_name,
                    is_our_team=team_id == our_id,
                    is_starter=entry.is_starter,
                    jersey_number=entry.jersey_number,
                    position=entry.position,
                    minutes_played=minutes,
                    penalty_shootout_goals=shootout_goals.get(key, 0) if has_shootout else None,
                    **values,
                )
            )
        team_lineups.append(
            TeamLineup(team_id=team_id, team_name=team_name, players=tuple(players))
        )

    return MatchReport(
        teams=tuple(Team(id=tid, name=name, is_our_team=tid == our_id) for tid, name in teams),
        our_team=OurTeam(id=our_id, name=team_names[our_id], matched_by=matched_by),
        opponent=Team(id=opponent_id, name=team_names[opponent_id], is_our_team=False),
        score=official,
        derived_score=derived,
        result=result,
        penalty_shootout=penalty_shootout,
        team_stats=tuple(team_stats),
        goals=tuple(goals),
        lineups=tuple(team_lineups),
        player_stats=tuple(player_stats),
        warnings=tuple(warnings),
        fingerprint=fingerprint_events([event.id for event in prepared]),
        events=tuple(event.raw for event in prepared),
    )
