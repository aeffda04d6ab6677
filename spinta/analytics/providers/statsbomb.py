"""StatsBomb event files -> the neutral `Match` (the shape of kloppy's StatsBomb deserializer).

The only module that knows StatsBomb's spellings ("Own Goal For", outcome names, `tactics`,
`foul_committed.card` ...). `read_match` validates, deduplicates and orders the events
(`events.prepare_validated`), names the two teams and their Starting XI, then reads every event
in one pass. Each event is read on its own (`_read_one`): a dict dispatch on the case-folded
type name picks the builder of its neutral event; a card in `foul_committed` or `bad_behaviour`
becomes a CARD event right after it. Only its place in index order gives an event its team and
its run of play (`_Reader.read`), so an upload reads each event as its file is parsed
(`EarlyReader`) and keeps that instead of the raw dict. StatsBomb's pitch is the reference one
(120 x 80, the acting team attacking left to right), so coordinates are taken as they are.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from operator import attrgetter
from typing import Any, Final, NamedTuple

from ..domain import (
    CardEvent,
    CardType,
    CarryEvent,
    DuelResult,
    Event,
    EventType,
    FormationChangeEvent,
    GenericEvent,
    InterceptionResult,
    Match,
    OutcomeEvent,
    OwnGoalForEvent,
    PassEvent,
    PassResult,
    Player,
    Possession,
    Qualifier,
    RecoveryResult,
    SheetEntry,
    ShotEvent,
    ShotResult,
    SubstitutionEvent,
    TakeOnResult,
    Team,
)
from ..errors import LineupError, TeamsError
from ..events import PreparedEvent, prepare_fast, prepare_validated

__all__ = ["EarlyReader", "ReadEvent", "first_teams", "listed_event_ids", "read_match"]

_EMPTY: dict[str, Any] = {}
_NO_QUALIFIERS: frozenset[Qualifier] = frozenset()
_NUMBERS = (int, float)
_ID = attrgetter("id")
_TEAM_ID = attrgetter("team_id")
_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__

# ---- StatsBomb's names (case-folded: names are compared case-insensitively) -----------------

_STARTING_XI: Final = "starting xi"
_WON_OUTCOMES: Final = frozenset({"won", "success", "success in play", "success out"})
_SHOT_RESULTS: Final = {
    "goal": ShotResult.GOAL,
    "saved": ShotResult.SAVED,
    "saved to post": ShotResult.SAVED,
    "post": ShotResult.POST,
    "off t": ShotResult.OFF_TARGET,
    "wayward": ShotResult.OFF_TARGET,
    "saved off target": ShotResult.OFF_TARGET,
    "blocked": ShotResult.BLOCKED,
}
_PASS_RESULTS: Final = {"out": PassResult.OUT, "pass offside": PassResult.OFFSIDE}
_GOALKEEPER_SAVES: Final = frozenset(
    {"shot saved", "shot saved to post", "penalty saved", "penalty saved to post"}
)
_CARDS: Final = {
    "yellow card": CardType.FIRST_YELLOW,
    "second yellow": CardType.SECOND_YELLOW,
    "red card": CardType.RED,
}
_CARD_HOLDERS: Final = ("foul_committed", "bad_behaviour")
_SET_PIECES: Final = frozenset({"corner", "free kick", "throw-in", "goal kick", "kick off"})


# ---- reading raw values defensively ---------------------------------------------------------


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
    if isinstance(value, _NUMBERS) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return None


def _text(value: object) -> str | None:
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return name
    return None


def _end_xy(value: object) -> tuple[float | None, float | None]:
    """(x, y) of a pass's [x, y, ...] end; each None unless a finite number. x alone still
    counts for the final third, as statistics.md reads `end_location[0]`."""
    if not isinstance(value, list) or not value:
        return None, None
    return _number(value[0]), _number(value[1]) if len(value) > 1 else None


def _new_player(value: object) -> Player | None:
    if isinstance(value, dict):
        player_id = _int(value.get("id"))
        if player_id is not None:
            name = value.get("name")
            return Player(player_id, name if isinstance(name, str) else "")
    return None


# ---- teams and Starting XI -------------------------------------------------------------------


def _teams_in_order(events: list[PreparedEvent]) -> tuple[Team, Team]:
    # the ids in order of appearance at C speed, then each one's first name
    first_seen = dict.fromkeys(map(_TEAM_ID, events))
    teams = {
        team_id: next(event.team_name for event in events if event.team_id == team_id)
        for team_id in first_seen
    }
    if len(teams) != 2:
        listed = ", ".join(teams.values())
        raise TeamsError(
            f"A match file needs events for exactly two teams, but this one has {len(teams)} "
            f"({listed})."
        )
    first, second = (Team(team_id, name) for team_id, name in teams.items())
    return first, second


def _sheet(items: list[Any], team_name: str) -> tuple[SheetEntry, ...]:
    entries: dict[int, SheetEntry] = {}
    for item in items:
        item = _obj(item)
        player = _new_player(item.get("player"))
        if player is None:
            raise LineupError(f"The Starting XI of {team_name} lists a player without an id.")
        if player.id in entries:
            raise LineupError(
                f"The Starting XI of {team_name} lists {player.name or player.id} twice."
            )
        jersey = _int(item.get("jersey_number"))
        entries[player.id] = SheetEntry(player, jersey, _text(item.get("position")))
    return tuple(entries.values())


def _starting_sheets(
    xi_events: list[tuple[int, str, dict[str, Any]]], teams: tuple[Team, Team]
) -> dict[int, tuple[SheetEntry, ...]]:
    """Each team's Starting XI from the (team id, team name, raw event) of the XI events."""
    team_names = {team.id: team.name for team in teams}
    if len(xi_events) != 2 or xi_events[0][0] == xi_events[1][0]:
        if len(xi_events) == 2:
            raise LineupError(
                f"Both Starting XI events are for {xi_events[0][1]}; each team needs its own."
            )
        raise LineupError(
            f"A match file needs exactly two Starting XI events (one per team), "
            f"but this one has {len(xi_events)}."
        )
    sheets: dict[int, tuple[SheetEntry, ...]] = {}
    for team_id, _, raw in xi_events:
        team_name = team_names[team_id]
        lineup = _obj(raw.get("tactics")).get("lineup")
        if not isinstance(lineup, list):
            raise LineupError(f"The Starting XI of {team_name} has no lineup.")
        if len(lineup) != 11:
            raise LineupError(
                f"The Starting XI of {team_name} lists {len(lineup)} players instead of 11."
            )
        sheets[team_id] = _sheet(lineup, team_name)
    return sheets


# ---- one event -------------------------------------------------------------------------------

# The fields every neutral event starts with, in order: event_id, index, period, timestamp,
# team, player, x, y, possession (team and possession None until `_Reader.read` places the
# event). A builder appends type, result, qualifiers and the type's own fields, and makes the
# NamedTuple with `tuple.__new__` (no Python-level call).
Common = tuple[str, int, int, float, Team, "Player | None", Any, Any, "Possession | None"]


def _pass_qualifiers(detail: dict[str, Any]) -> frozenset[Qualifier]:
    flags = []
    if detail.get("cross") is True:
        flags.append(Qualifier.CROSS)
    kind = _name(detail.get("type"))
    if kind == "corner":
        flags.append(Qualifier.CORNER_KICK)
    if kind in _SET_PIECES:
        flags.append(Qualifier.SET_PIECE)
    if detail.get("goal_assist") is True:
        flags.append(Qualifier.ASSIST)
    if detail.get("shot_assist") is True:
        flags.append(Qualifier.SHOT_ASSIST)
    return frozenset(flags) if flags else _NO_QUALIFIERS


# keys of `pass` that may give a qualifier: most passes have none of them
_PASS_QUALIFIER_KEYS: Final = frozenset({"cross", "type", "goal_assist", "shot_assist"})


def _pass(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    detail = _obj(raw.get("pass"))
    get = detail.get
    outcome = get("outcome")
    result = (
        PassResult.COMPLETE
        if outcome is None
        else _PASS_RESULTS.get(_name(outcome), PassResult.INCOMPLETE)
    )
    qualifiers = (
        _NO_QUALIFIERS if _PASS_QUALIFIER_KEYS.isdisjoint(detail) else _pass_qualifiers(detail)
    )
    length = get("length")
    if type(length) is not float or length - length != 0:  # the usual finite float, else check
        length = _number(length)
    end = _end_xy(get("end_location"))
    return _new(PassEvent, (*c, EventType.PASS, result, qualifiers, *end, length))


def _carry(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    end = _end_xy(_obj(raw.get("carry")).get("end_location"))
    return _new(CarryEvent, (*c, EventType.CARRY, None, _NO_QUALIFIERS, *end))


def _clock(raw: dict[str, Any]) -> tuple[int, int]:
    return _int(raw.get("minute")) or 0, _int(raw.get("second")) or 0


def _shot(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    detail = _obj(raw.get("shot"))
    key_pass_id = detail.get("key_pass_id")
    penalty = _name(detail.get("type")) == "penalty"
    return _new(
        ShotEvent,
        (
            *c,
            EventType.SHOT,
            _SHOT_RESULTS.get(_name(detail.get("outcome"))),
            frozenset((Qualifier.PENALTY,)) if penalty else _NO_QUALIFIERS,
            _number(detail.get("statsbomb_xg")),
            key_pass_id if isinstance(key_pass_id, str) else None,
            *_clock(raw),
        ),
    )


def _own_goal_against(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    """kloppy's reading: a SHOT with result OWN_GOAL by the team that conceded it."""
    return _new(
        ShotEvent,
        (*c, EventType.SHOT, ShotResult.OWN_GOAL, _NO_QUALIFIERS, None, None, *_clock(raw)),
    )


def _own_goal_for(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    return _new(OwnGoalForEvent, (*c, EventType.OWN_GOAL_FOR, None, _NO_QUALIFIERS, *_clock(raw)))


def _outcome(c: Common, type_: EventType, result: Any, qualifiers=_NO_QUALIFIERS) -> Event:
    return _new(OutcomeEvent, (*c, type_, result, qualifiers))


def _dribble(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    complete = _name(_obj(raw.get("dribble")).get("outcome")) == "complete"
    return _outcome(
        c, EventType.TAKE_ON, TakeOnResult.COMPLETE if complete else TakeOnResult.INCOMPLETE
    )


def _duel(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    detail = _obj(raw.get("duel"))
    won = _name(detail.get("outcome")) in _WON_OUTCOMES
    tackle = _name(detail.get("type")) == "tackle"
    return _outcome(
        c,
        EventType.DUEL,
        DuelResult.WON if won else DuelResult.LOST,
        frozenset((Qualifier.TACKLE,)) if tackle else _NO_QUALIFIERS,
    )


def _interception(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    won = _name(_obj(raw.get("interception")).get("outcome")) in _WON_OUTCOMES
    return _outcome(
        c,
        EventType.INTERCEPTION,
        InterceptionResult.SUCCESS if won else InterceptionResult.LOST,
    )


def _ball_recovery(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    failed = _obj(raw.get("ball_recovery")).get("recovery_failure") is True
    return _outcome(
        c, EventType.RECOVERY, RecoveryResult.FAILURE if failed else RecoveryResult.SUCCESS
    )


def _goalkeeper(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    save = _name(_obj(raw.get("goalkeeper")).get("type")) in _GOALKEEPER_SAVES
    return _outcome(
        c, EventType.GOALKEEPER, None, frozenset((Qualifier.SAVE,)) if save else _NO_QUALIFIERS
    )


def _substitution(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    replacement = players.player(_obj(raw.get("substitution")).get("replacement"))
    position = _text(raw.get("position"))
    return _new(
        SubstitutionEvent,
        (*c, EventType.SUBSTITUTION, None, _NO_QUALIFIERS, replacement, position),
    )


def _tactical_shift(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    lineup = _obj(raw.get("tactics")).get("lineup")
    entries = []
    for item in lineup if isinstance(lineup, list) else ():
        item = _obj(item)
        player = players.player(item.get("player"))
        if player is not None:
            entries.append(SheetEntry(player, _int(item.get("jersey_number")), None))
    return _new(
        FormationChangeEvent,
        (*c, EventType.FORMATION_CHANGE, None, _NO_QUALIFIERS, tuple(entries)),
    )


def _starting_xi(c: Common, raw: dict[str, Any], players: _Players) -> Event:
    """A GENERIC event; the lineup becomes the team's starting sheet (kloppy: metadata, read
    by `_Reader.read` from `ReadEvent.xi`)."""
    return _new(GenericEvent, (*c, EventType.GENERIC, None, _NO_QUALIFIERS))


def _cards(c: Common, raw: dict[str, Any]) -> list[Event]:
    """A CARD event for each card in `foul_committed` or `bad_behaviour` (both can hold one)."""
    cards = []
    for holder in _CARD_HOLDERS:
        value = raw.get(holder)
        if value:
            card = _CARDS.get(_name(_obj(value).get("card")))
            if card is not None:
                cards.append(_new(CardEvent, (*c, EventType.CARD, None, _NO_QUALIFIERS, card)))
    return cards


Builder = Callable[[Common, dict[str, Any], "_Players"], Event]

# case-folded StatsBomb type name -> the builder of its neutral event, or the type of a plain
# GenericEvent (built inline: nothing but the common fields); other types are GENERIC
_BUILDERS: Final[dict[str, Builder | EventType]] = {
    "pass": _pass,
    "shot": _shot,
    "dribble": _dribble,
    "duel": _duel,
    "interception": _interception,
    "ball recovery": _ball_recovery,
    "goal keeper": _goalkeeper,
    "substitution": _substitution,
    "tactical shift": _tactical_shift,
    "own goal against": _own_goal_against,
    "own goal for": _own_goal_for,
    _STARTING_XI: _starting_xi,
    "carry": _carry,
    "ball receipt*": EventType.BALL_RECEIPT,
    "clearance": EventType.CLEARANCE,
    "foul committed": EventType.FOUL_COMMITTED,
    "pressure": EventType.PRESSURE,
    "miscontrol": EventType.MISCONTROL,
    "player on": EventType.PLAYER_ON,
    "player off": EventType.PLAYER_OFF,
}


class _Players:
    """The players seen so far (one object per player id and name)."""

    __slots__ = ("players",)

    def __init__(self) -> None:
        self.players: dict[int, Player] = {}

    def player(self, value: object) -> Player | None:
        """The event's player as an object."""
        if isinstance(value, dict):
            player_id = value.get("id")
            cached = self.players.get(player_id) if type(player_id) is int else None
            if cached is not None and cached.name == value.get("name"):
                return cached
            player = _new_player(value)
            if player is not None and cached is None:
                self.players[player.id] = player
            return player
        return None


class ReadEvent(NamedTuple):
    """One event read on its own, in any order (`_read_one`): what the match needs of it once
    its place is known (`_Reader.read`), so its raw dict can go."""

    events: tuple[Event, ...]  # its neutral event and cards, without team and possession yet
    possession: Any  # its raw `possession` (a run of play starts where it changes)
    possession_team: int | None  # `possession_team.id`, credited when a run starts here
    xi: dict[str, Any] | None  # a Starting XI's raw event (its lineup is a starting sheet)


def _run_of(raw: dict[str, Any]) -> tuple[Any, int | None]:
    """An event's raw `possession` and its `possession_team.id` (see `ReadEvent`)."""
    possession = raw.get("possession")
    if possession is None:
        return None, None
    return possession, _int(_obj(raw.get("possession_team")).get("id"))


def _read_one(
    item: PreparedEvent, players: _Players, team: Team | None = None, run: Any = None
) -> ReadEvent:
    """What the match needs of one prepared event, read from its raw dict: the neutral event
    (a dict dispatch on the type name picks its builder) and its cards, with ``team`` and
    ``run`` (its possession) when the caller knows them already, else None (order decides
    those: an upload's events are read as their file is parsed); the hot loop of an upload."""
    raw, event_id, index, period, seconds, type_name = item[:6]
    get = raw.get
    value = get("player")
    player = None
    if value is not None:
        player_id = value.get("id") if type(value) is dict else None
        player = players.players.get(player_id) if type(player_id) is int else None
        if player is None or player.name != value.get("name"):
            player = players.player(value)
    value = get("location")
    x = y = None
    if type(value) is list and len(value) >= 2:  # _xy, inline (every event has one)
        x = value[0]
        y = value[1]
        if not (type(x) in _NUMBERS and type(y) in _NUMBERS and x - x == 0 == y - y):
            x = y = None
    spec = _BUILDERS.get(type_name, EventType.GENERIC)
    if type(spec) is EventType:  # one tuple, no call: most events are plain
        event = _new(GenericEvent, (
            event_id, index, period, seconds, team, player, x, y, run,
            spec, None, _NO_QUALIFIERS,
        ))  # fmt: skip
    else:
        event = spec((event_id, index, period, seconds, team, player, x, y, run), raw, players)
    events: tuple[Event, ...] = (event,)
    if "foul_committed" in raw or "bad_behaviour" in raw:
        events = (event, *_cards(event[:9], raw))
    possession, team_id = _run_of(raw) if team is None else (None, None)  # known: not needed
    xi = raw if type_name == _STARTING_XI else None
    return _new(ReadEvent, (events, possession, team_id, xi))


class _Reader:
    """One match's read state: teams, possessions, period ends and Starting XI events."""

    __slots__ = ("period_ends", "players", "possessions", "starting_xi", "teams")

    def __init__(self, teams: tuple[Team, Team]) -> None:
        self.teams = {team.id: team for team in teams}
        self.players = _Players()
        self.possessions: list[Possession] = []
        self.period_ends: dict[int, float] = {}
        self.starting_xi: list[tuple[int, str, dict[str, Any]]] = []  # (team id, name, raw)

    def read(self, prepared: list[PreparedEvent]) -> list[Event]:
        """Every event in order, each read on its own (`_read_one`, unless its upload read it
        while parsing) and given its team and its run of play here. Empties `prepared`: each
        prepared event is freed once read, so the garbage collector never sees both forms of
        every event."""
        events: list[Event] = []
        teams, players, ends, possessions = self.teams, self.players, self.period_ends, []
        possession: Possession | None = None
        run_id: object = None  # possession.id and .period, kept at hand
        run_period = 0
        append = events.append
        prepared.reverse()
        pop = prepared.pop
        while prepared:
            item = pop()
            read = item[0]
            early = type(read) is ReadEvent  # read as its file was parsed: team and run later
            period, seconds, team_id = item[3], item[4], item[6]
            if seconds > ends.get(period, -1.0):
                ends[period] = seconds
            value = read[1] if early else read.get("possession")
            current = None
            if value is not None:
                current = possession
                if current is None or run_id != value or run_period != period:
                    credited = read[2] if early else _run_of(read)[1]  # only where a run starts
                    team = teams.get(credited) if credited is not None else None
                    current = possession = _new(Possession, (value, team, period, seconds))
                    possessions.append(possession)
                    run_id, run_period = value, period
            team = teams[team_id]
            if not early:  # read here, with its team and run: one tuple an event
                read = _read_one(item, players, team, current)
                events.extend(read[0])
            else:
                for event in read[0]:
                    append(_new(type(event), (*event[:4], team, *event[5:8], current, *event[9:])))
            if read[3] is not None:
                self.starting_xi.append((team_id, item[7], read[3]))
        self.possessions = possessions
        return events


class EarlyReader:
    """Reads each event of an upload as its file is parsed (spinta.json's pieces), so the
    parsed dicts never exist all at once: a well-formed event becomes its prepared form, read
    (`ReadEvent`), with ``store(event)``, what the upload will store of it; anything unusual
    stays as it is, for the analysis to refuse with its sentence. `read_match` takes a list of
    both, as it takes raw dicts."""

    __slots__ = ("players", "store")

    def __init__(self, store: Callable[[dict[str, Any]], Any]) -> None:
        self.players = _Players()
        self.store = store

    def __call__(self, event: object) -> object:
        item = prepare_fast(event)
        if item is None:
            return event
        read = _read_one(item, self.players)
        return _new(PreparedEvent, (read, *item[1:8], self.store(event)))


def read_match(raw_events: object) -> Match:
    """The neutral match of one StatsBomb event array (an `EventDataError` when unusable)."""
    prepared = prepare_validated(raw_events)
    teams = _teams_in_order(prepared)
    event_ids = tuple(map(_ID, prepared))
    raw_events = tuple(item.raw if item.stored is None else item.stored for item in prepared)
    reader = _Reader(teams)
    events = reader.read(prepared)  # empties prepared
    return Match(
        teams=teams,
        starting=_starting_sheets(reader.starting_xi, teams),
        events=tuple(events),
        period_ends=reader.period_ends,
        possessions=tuple(reader.possessions),
        event_ids=event_ids,
        raw_events=raw_events,
    )


def first_teams(raw_events: object) -> list[tuple[int, str]]:
    """(id, name) of the first two teams the file names, read before any analysis (the Starting
    XI events come first: a few events read, not the file); fewer when the file does not say
    it plainly (the analysis then decides, with its sentence for the coach)."""
    teams: dict[int, str] = {}
    if type(raw_events) is not list:
        return []
    for event in raw_events:
        if type(event) is PreparedEvent:
            teams.setdefault(event.team_id, event.team_name)
            if len(teams) == 2:
                break
            continue
        team = event.get("team") if type(event) is dict else None
        if type(team) is dict and type(team.get("id")) is int and type(team.get("name")) is str:
            teams.setdefault(team["id"], team["name"])
            if len(teams) == 2:
                break
    return list(teams.items())


def listed_event_ids(raw_events: object) -> list[str]:
    """The event ids the file lists (strings only), read without an analysis."""
    if type(raw_events) is not list:
        return []
    return [
        e.id if type(e) is PreparedEvent else e["id"]
        for e in raw_events
        if type(e) is PreparedEvent or (type(e) is dict and type(e.get("id")) is str)
    ]
