"""The provider-neutral event model every rule reads (kloppy's `kloppy.domain` is the anchor).

A provider module (`providers/`) turns one raw file into a `Match`: the two teams, their
starting sheets and the events in order, each one of the `Event` types below. Nothing after a
provider knows a provider's spelling: rules read `EventType.SHOT`, `ShotResult.GOAL`,
`Qualifier.CROSS` and coordinates on one pitch.

Pitch: StatsBomb's 120 x 80 yards, the acting team attacking left to right (statistics.md,
"Advanced metrics"); other providers are normalised to it. Timestamps are seconds into the
event's period. Periods 1-4 are regulation play (halves and extra time), 5 the shootout.

Events are typed NamedTuples: immutable and without an instance dict like a frozen slots
dataclass, but built 5-7 times faster (0.6 us instead of 4.4 us an event; a frozen
dataclass would add ~15 ms to a 3,400-event match, half the analysis time). For the same
reason an event stores its location as `x`, `y` (one object fewer per event) and gives
kloppy's `coordinates` Point on demand. Teams, players and sheet entries, built once per match,
are frozen slots dataclasses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, NamedTuple

__all__ = [
    "REGULATION_PERIODS",
    "SHOOTOUT_PERIOD",
    "CardEvent",
    "CardType",
    "CarryEvent",
    "DuelResult",
    "Event",
    "EventType",
    "FormationChangeEvent",
    "GenericEvent",
    "InterceptionResult",
    "Match",
    "OutcomeEvent",
    "OwnGoalForEvent",
    "PassEvent",
    "PassResult",
    "Player",
    "Point",
    "Possession",
    "Qualifier",
    "RecoveryResult",
    "SheetEntry",
    "ShotEvent",
    "ShotResult",
    "SubstitutionEvent",
    "TakeOnResult",
    "Team",
]

REGULATION_PERIODS: Final = frozenset({1, 2, 3, 4})
SHOOTOUT_PERIOD: Final = 5


class EventType(StrEnum):
    """What happened (kloppy's `EventType` names; str values hash at C speed)."""

    GENERIC = "GENERIC"  # anything no rule reads (kickoffs, half ends, Starting XI ...)
    PASS = "PASS"
    SHOT = "SHOT"  # an own goal is a SHOT with result OWN_GOAL, by the conceding side
    TAKE_ON = "TAKE_ON"  # a dribble past an opponent
    CARRY = "CARRY"
    CLEARANCE = "CLEARANCE"
    INTERCEPTION = "INTERCEPTION"
    DUEL = "DUEL"
    SUBSTITUTION = "SUBSTITUTION"
    CARD = "CARD"
    PLAYER_ON = "PLAYER_ON"
    PLAYER_OFF = "PLAYER_OFF"
    RECOVERY = "RECOVERY"
    MISCONTROL = "MISCONTROL"
    BALL_OUT = "BALL_OUT"
    FOUL_COMMITTED = "FOUL_COMMITTED"
    GOALKEEPER = "GOALKEEPER"
    PRESSURE = "PRESSURE"
    FORMATION_CHANGE = "FORMATION_CHANGE"
    BALL_RECEIPT = "BALL_RECEIPT"
    # Spinta's addition: the benefiting team's record of an own goal (kloppy drops it). The
    # goal timeline is made from it (statistics.md "Goals timeline").
    OWN_GOAL_FOR = "OWN_GOAL_FOR"


class PassResult(StrEnum):
    COMPLETE = "COMPLETE"
    INCOMPLETE = "INCOMPLETE"
    OUT = "OUT"
    OFFSIDE = "OFFSIDE"


class ShotResult(StrEnum):
    GOAL = "GOAL"
    SAVED = "SAVED"  # on target, stopped by the keeper
    POST = "POST"
    OFF_TARGET = "OFF_TARGET"
    BLOCKED = "BLOCKED"
    OWN_GOAL = "OWN_GOAL"


class TakeOnResult(StrEnum):
    COMPLETE = "COMPLETE"
    INCOMPLETE = "INCOMPLETE"


class DuelResult(StrEnum):
    WON = "WON"
    LOST = "LOST"


class InterceptionResult(StrEnum):
    SUCCESS = "SUCCESS"
    LOST = "LOST"


class RecoveryResult(StrEnum):
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


class CardType(StrEnum):
    FIRST_YELLOW = "FIRST_YELLOW"
    SECOND_YELLOW = "SECOND_YELLOW"
    RED = "RED"


class Qualifier(StrEnum):
    """Extra facts about an event (kloppy's pass, set-piece, duel and goalkeeper qualifiers)."""

    CROSS = "CROSS"
    CORNER_KICK = "CORNER_KICK"
    PENALTY = "PENALTY"
    ASSIST = "ASSIST"  # the pass before a goal
    SHOT_ASSIST = "SHOT_ASSIST"  # the pass before a shot that was not a goal
    TACKLE = "TACKLE"
    SAVE = "SAVE"  # a goalkeeper stopping a shot or a penalty
    SET_PIECE = (
        "SET_PIECE"  # a pass restarting play: free kick, corner, throw-in, goal kick, kick-off
    )


@dataclass(frozen=True, slots=True)
class Team:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Player:
    id: int
    name: str  # "" when the provider gives none


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """One player on a team sheet (a starting lineup or a formation change)."""

    player: Player
    jersey_number: int | None
    position: str | None


class Point(NamedTuple):
    x: float
    y: float


class Possession(NamedTuple):
    """One run of play (events in a row with the same possession id, in one period)."""

    id: object  # the provider's possession id (compared, never read)
    team: Team | None  # the team in possession; None when the provider names neither team
    period: int
    start: float  # the timestamp of its first event


def _point(x: float | None, y: float | None) -> Point | None:
    return Point(x, y) if x is not None and y is not None else None


class GenericEvent(NamedTuple):
    """Fields every event has, in this order (the other event types start with them)."""

    event_id: str
    index: int  # the provider's order key: events come sorted by it
    period: int
    timestamp: float  # seconds into the period
    team: Team
    player: Player | None
    x: float | None  # where it happened (see `coordinates`)
    y: float | None
    possession: Possession | None
    type: EventType
    result: None
    qualifiers: frozenset[Qualifier]

    @property
    def coordinates(self) -> Point | None:
        return _point(self.x, self.y)


class PassEvent(NamedTuple):
    event_id: str
    index: int
    period: int
    timestamp: float
    team: Team
    player: Player | None
    x: float | None  # where it happened (see `coordinates`)
    y: float | None
    possession: Possession | None
    type: EventType
    result: PassResult
    qualifiers: frozenset[Qualifier]
    end_x: float | None  # where the pass ended (see `end_coordinates`)
    end_y: float | None
    length: float | None  # yards

    @property
    def end_coordinates(self) -> Point | None:
        return _point(self.end_x, self.end_y)

    @property
    def coordinates(self) -> Point | None:
        return _point(self.x, self.y)


class CarryEvent(NamedTuple):
    """A player moving with the ball (kloppy's CarryEvent): always completed."""

    event_id: str
    index: int
    period: int
    timestamp: float
    team: Team
    player: Player | None
    x: float | None  # where it started (see `coordinates`)
    y: float | None
    possession: Possession | None
    type: EventType
    result: None
    qualifiers: frozenset[Qualifier]
    end_x: float | None  # where it ended (see `end_coordinates`)
    end_y: float | None

    @property
    def end_coordinates(self) -> Point | None:
        return _point(self.end_x, self.end_y)

    @property
    def coordinates(self) -> Point | None:
        return _point(self.x, self.y)


class ShotEvent(NamedTuple):
    event_id: str
    index: int
    period: int
    timestamp: float
    team: Team  # for an own goal: the team that conceded it
    player: Player | None
    x: float | None  # where it happened (see `coordinates`)
    y: float | None
    possession: Possession | None
    type: EventType
    result: ShotResult | None
    qualifiers: frozenset[Qualifier]
    xg: float | None
    key_pass_id: str | None  # the event id of the pass before the shot
    minute: int  # match clock as the provider shows it (0 when absent)
    second: int

    @property
    def coordinates(self) -> Point | None:
        return _point(self.x, self.y)


class SubstitutionEvent(NamedTuple):
    event_id: str
    index: int
    period: int
    timestamp: float
    team: Team
    player: Player | None  # the player going off
    x: float | None  # where it happened (see `coordinates`)
    y: float | None
    possession: Possession | None
    type: EventType
    result: None
    qualifiers: frozenset[Qualifier]
    replacement: Player | None
    position: str | None  # the position the replacement takes over

    @property
    def coordinates(self) -> Point | None:
        return _point(self.x, self.y)


class CardEvent(NamedTuple):
    event_id: str
    index: int
    period: int
    timestamp: float
    team: Team
    player: Player | None
    x: float | None  # where it happened (see `coordinates`)
    y: float | None
    possession: Possession | None
    type: EventType
    result: None
    qualifiers: frozenset[Qualifier]
    card: CardType

    @property
    def coordinates(self) -> Point | None:
        return _point(self.x, self.y)


class FormationChangeEvent(NamedTuple):
    event_id: str
    index: int
    period: int
    timestamp: float
    team: Team
    player: Player | None
    x: float | None  # where it happened (see `coordinates`)
    y: float | None
    possession: Possession | None
    type: EventType
    result: None
    qualifiers: frozenset[Qualifier]
    lineup: tuple[SheetEntry, ...]

    @property
    def coordinates(self) -> Point | None:
        return _point(self.x, self.y)


class OutcomeEvent(NamedTuple):
    """A take-on, duel, interception, recovery or goalkeeper action: its outcome is the
    `result`, its kind a qualifier (TACKLE, SAVE)."""

    event_id: str
    index: int
    period: int
    timestamp: float
    team: Team
    player: Player | None
    x: float | None  # where it happened (see `coordinates`)
    y: float | None
    possession: Possession | None
    type: EventType
    result: TakeOnResult | DuelResult | InterceptionResult | RecoveryResult | None
    qualifiers: frozenset[Qualifier]

    @property
    def coordinates(self) -> Point | None:
        return _point(self.x, self.y)


class OwnGoalForEvent(NamedTuple):
    event_id: str
    index: int
    period: int
    timestamp: float
    team: Team  # the team credited with the goal
    player: Player | None
    x: float | None  # where it happened (see `coordinates`)
    y: float | None
    possession: Possession | None
    type: EventType
    result: None
    qualifiers: frozenset[Qualifier]
    minute: int
    second: int

    @property
    def coordinates(self) -> Point | None:
        return _point(self.x, self.y)


Event = (
    GenericEvent
    | PassEvent
    | CarryEvent
    | ShotEvent
    | SubstitutionEvent
    | CardEvent
    | FormationChangeEvent
    | OutcomeEvent
    | OwnGoalForEvent
)


@dataclass(frozen=True, slots=True)
class Match:
    """One match as a provider read it: everything the rules need, nothing provider-shaped."""

    teams: tuple[Team, Team]  # order of first appearance in the file
    starting: Mapping[int, tuple[SheetEntry, ...]]  # team id -> starting sheet, in order
    events: tuple[Event, ...]  # sorted by index; a card follows the event it came with
    period_ends: Mapping[int, float]  # period -> its latest timestamp, in order of appearance
    possessions: tuple[Possession, ...]  # every run of play, in order
    event_ids: tuple[str, ...]  # the analysed raw events' ids (each once, in order)
    # the analysed raw events themselves, for storage (or what their upload made of each to
    # store, as its file was parsed: statsbomb.EarlyReader)
    raw_events: tuple[Any, ...]
