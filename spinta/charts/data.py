"""What each chart shows, picked from a neutral `Match` (standard library only).

Coordinates stay on the 120 x 80 pitch with the acting team attacking left to right, as the
domain gives them: each team's chart shows it attacking to the right. Only regulation play
counts (periods 1-4): shootout kicks are no shots of the match.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spinta.analytics.domain import (
    REGULATION_PERIODS,
    Event,
    EventType,
    Match,
    PassResult,
    Qualifier,
    ShotResult,
)
from spinta.analytics.pitch import Pitch
from spinta.analytics.rules.threat import grid, zone, zone_value

PITCH_LENGTH = 120.0
PITCH_WIDTH = 80.0

# What counts as a touch of the ball for a heatmap (pressures and bookkeeping events do not).
TOUCHES = frozenset(
    {
        EventType.PASS,
        EventType.SHOT,
        EventType.TAKE_ON,
        EventType.CARRY,
        EventType.CLEARANCE,
        EventType.INTERCEPTION,
        EventType.DUEL,
        EventType.RECOVERY,
        EventType.MISCONTROL,
        EventType.GOALKEEPER,
        EventType.BALL_RECEIPT,
    }
)


@dataclass(frozen=True)
class ShotPoint:
    x: float
    y: float
    xg: float | None
    minute: int
    second: int
    player: str
    goal: bool
    penalty: bool
    own_goal: bool  # an own goal credited to the chart's team (drawn at the goal it went in)

    @property
    def clock(self) -> float:
        return self.minute + self.second / 60


@dataclass(frozen=True)
class Node:
    player_id: int
    name: str
    jersey_number: int | None
    x: float
    y: float
    touches: int


@dataclass
class Network:
    nodes: list[Node] = field(default_factory=list)
    edges: dict[tuple[int, int], int] = field(default_factory=dict)  # (id, id) sorted -> passes


@dataclass(frozen=True)
class PassLine:
    x: float
    y: float
    end_x: float
    end_y: float
    complete: bool


def _regulation(match: Match) -> list[Event]:
    return [e for e in match.events if e.period in REGULATION_PERIODS]


def other_team_id(match: Match, team_id: int) -> int:
    first, second = match.teams
    return second.id if first.id == team_id else first.id


def _shot_point(event: Event, *, own_goal: bool = False) -> ShotPoint:
    x, y = event.x, event.y
    if own_goal:  # the conceding side's frame: its own goal is at x = 0
        x, y = PITCH_LENGTH - (x if x is not None else 0.0), PITCH_WIDTH - (y or PITCH_WIDTH / 2)
    return ShotPoint(
        x=x if x is not None else PITCH_LENGTH - 12,
        y=y if y is not None else PITCH_WIDTH / 2,
        xg=None if own_goal else event.xg,
        minute=event.minute,
        second=event.second,
        player=event.player.name if event.player else "",
        goal=own_goal or event.result is ShotResult.GOAL,
        penalty=Qualifier.PENALTY in event.qualifiers,
        own_goal=own_goal,
    )


def shots(match: Match, team_id: int, player_id: int | None = None) -> list[ShotPoint]:
    """The team's (or one player's) shots in order, then the own goals scored for the team."""
    opponent = other_team_id(match, team_id)
    taken, own_goals = [], []
    for event in _regulation(match):
        if event.type is not EventType.SHOT:
            continue
        if event.result is ShotResult.OWN_GOAL:
            if event.team.id == opponent and player_id is None:
                own_goals.append(_shot_point(event, own_goal=True))
        elif event.team.id == team_id and (player_id is None or _player_is(event, player_id)):
            taken.append(_shot_point(event))
    return taken + own_goals


def _player_is(event: Event, player_id: int) -> bool:
    return event.player is not None and event.player.id == player_id


def _recipient(events: list[Event], position: int, team_id: int) -> int | None:
    """Who received a completed pass: the next event of the team with a player (a provider's
    ball receipt, or the receiver's next action)."""
    for event in events[position + 1 : position + 4]:
        if event.team.id == team_id and event.player is not None:
            return event.player.id
    return None


def pass_network(match: Match, team_id: int) -> Network:
    """Starters' average positions (their located touches) and completed passes between them."""
    sheet = match.starting.get(team_id, ())
    starters = {entry.player.id: entry for entry in sheet}
    events = _regulation(match)
    places: dict[int, list[tuple[float, float]]] = {pid: [] for pid in starters}
    edges: Counter[tuple[int, int]] = Counter()
    for position, event in enumerate(events):
        if event.team.id != team_id or event.player is None or event.player.id not in starters:
            continue
        if event.type in TOUCHES and event.x is not None and event.y is not None:
            places[event.player.id].append((event.x, event.y))
        if event.type is EventType.PASS and event.result is PassResult.COMPLETE:
            receiver = _recipient(events, position, team_id)
            if receiver in starters and receiver != event.player.id:
                edges[tuple(sorted((event.player.id, receiver)))] += 1
    network = Network(edges=dict(sorted(edges.items())))
    for pid, entry in starters.items():
        points = places[pid]
        if not points:
            continue
        network.nodes.append(
            Node(
                player_id=pid,
                name=entry.player.name,
                jersey_number=entry.jersey_number,
                x=sum(p[0] for p in points) / len(points),
                y=sum(p[1] for p in points) / len(points),
                touches=len(points),
            )
        )
    return network


def xg_race(match: Match, team_id: int) -> list[ShotPoint]:
    """The team's shots and own goals for it, in match order (for cumulative xG by minute)."""
    return sorted(shots(match, team_id), key=lambda s: s.clock)


def touches(match: Match, player_id: int) -> list[tuple[float, float]]:
    return [
        (e.x, e.y)
        for e in _regulation(match)
        if e.type in TOUCHES and _player_is(e, player_id) and e.x is not None and e.y is not None
    ]


def passes(match: Match, player_id: int) -> list[PassLine]:
    return [
        PassLine(e.x, e.y, e.end_x, e.end_y, e.result is PassResult.COMPLETE)
        for e in _regulation(match)
        if e.type is EventType.PASS
        and _player_is(e, player_id)
        and None not in (e.x, e.y, e.end_x, e.end_y)
    ]


def team_of_player(match: Match, player_id: int) -> int | None:
    for team_id, sheet in match.starting.items():
        if any(entry.player.id == player_id for entry in sheet):
            return team_id
    for event in match.events:
        if _player_is(event, player_id):
            return event.team.id
    return None


def xt_by_zone(match: Match, team_id: int) -> list[list[float]]:
    """The xT the team gained with completed passes and carries (statistics.md "Advanced
    metrics": end zone minus start zone), summed by the zone each started in: 8 rows x 12
    columns of the 120 x 80 pitch, the team attacking to the right. The cells add up to the
    team's expected_threat."""
    values, pitch = grid(), Pitch()
    cells = [[0.0] * len(values[0]) for _ in values]
    for event in _regulation(match):
        if event.team.id != team_id or event.type not in (EventType.PASS, EventType.CARRY):
            continue
        if event.type is EventType.PASS and event.result is not PassResult.COMPLETE:
            continue
        x, y = event.x, event.y
        end_x, end_y = getattr(event, "end_x", None), getattr(event, "end_y", None)
        if x is None or y is None or end_x is None or end_y is None:
            continue
        row, column = zone(x, y, pitch)
        cells[row][column] += zone_value(end_x, end_y, pitch) - zone_value(x, y, pitch)
    return cells
