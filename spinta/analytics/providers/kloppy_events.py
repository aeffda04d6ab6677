"""kloppy's event model -> Spinta's neutral `Match` (every provider read through kloppy).

A provider module (`wyscout`, `opta`, `statsperform`, `sportec`, `metrica`, `impect`,
`datafactory`) only calls its kloppy loader on the uploaded bytes; this module maps the
`EventDataset` it returns:

- coordinates: loaded in kloppy's StatsBomb system (120 x 80) and turned so the acting team
  attacks left to right (`Orientation.ACTION_EXECUTING_TEAM`), the pitch the rules read;
- ids: kloppy's ids are strings (Sportec "DFL-OBJ-0000NW", Stats Perform hashes): a decimal id
  below 2^31 is kept as that number, any other id becomes a stable 31-bit number (blake2b of
  the provider and the id), so the same player gets the same id in every match of a provider;
- teams: home first; a team without a name is "Home" or "Away";
- starting sheets: the players kloppy marks as starting; a team without any (Wyscout v2 files
  name no lineup) gets the players of its first events until a substitution, with a warning;
- own goals: kloppy's SHOT with result OWN_GOAL (the conceding side) is followed by Spinta's
  OWN_GOAL_FOR for the other team, so the score and goal timeline count it;
- assists: a goal's key pass is the latest pass of its team carrying kloppy's ASSIST (or
  SHOT_ASSIST) qualifier since the previous shot;
- xG: kloppy's `ExpectedGoals` statistic when the provider has one, else Spinta's shot model
  (`xg.py`) from the shot's location; a shot without a location has no xG (missing statistic);
- possession: a run of play starts where kloppy's `ball_owning_team` changes;
- tackles: kloppy's TACKLE, SLIDING_TACKLE and GROUND duels (kloppy's reading of StatsBomb's
  tackle), not loose-ball duels;
- storage: each event is also written as a small StatsBomb-shaped dict (id, index, period,
  timestamp, minute, second, type, team, player, location, plus `provider` and `result`, and
  where they apply `possession`, `possession_team`, `qualifiers`, `end_location`, `xg`,
  `card`), the shape the events table stores and `stored.py` reads back for the charts.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

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
from ..errors import EmptyEventsError, LineupError, TeamsError
from . import xg as xg_model

__all__ = ["PERIOD_START_MINUTE", "ReadResult", "from_dataset", "stable_id", "stored_form"]

PERIOD_START_MINUTE: Final = {1: 0, 2: 45, 3: 90, 4: 105, 5: 120}
_NONE: frozenset[Qualifier] = frozenset()
_INT_MAX: Final = 2**31 - 1
MAX_PERIOD_SECONDS: Final = 2 * 3600  # a clock later than this into a period is not believed
LATE_START: Final = 5 * 60  # a period whose first event is later than this starts at it


@dataclass
class ReadResult:
    """A provider's match and what the coach should know about the file."""

    match: Match
    warnings: list[str] = field(default_factory=list)
    has_xg: bool = False  # every shot's xG came from the provider
    has_coordinates: bool = False  # events carry locations


def stable_id(provider: str, value: object) -> int:
    """The integer id of a provider's id (see the module doc)."""
    text = str(value)
    if text.isdigit() and 0 < int(text) <= _INT_MAX:
        return int(text)
    digest = hashlib.blake2b(f"{provider}:{text}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") & _INT_MAX or 1


def _enum_name(value: object) -> str | None:
    name = getattr(value, "name", None)
    return name if isinstance(name, str) else None


def _qualifier_values(event: Any) -> set[str]:
    """The names of the enum values of an event's kloppy qualifiers (CROSS, PENALTY ...)."""
    names = set()
    for qualifier in getattr(event, "qualifiers", None) or ():
        name = _enum_name(getattr(qualifier, "value", None))
        if name is not None:
            names.add(name)
    return names


def _xy(point: Any) -> tuple[float | None, float | None]:
    if point is None:
        return None, None
    x, y = getattr(point, "x", None), getattr(point, "y", None)
    numbers = isinstance(x, (int, float)) and isinstance(y, (int, float))
    if numbers and math.isfinite(x) and math.isfinite(y):
        return float(x), float(y)
    return None, None


def _seconds(value: Any) -> float:
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value or 0)
    return max(seconds, 0.0)


def _stamp(seconds: float) -> str:
    whole = int(seconds)
    millis = round((seconds - whole) * 1000)
    if millis == 1000:
        whole, millis = whole + 1, 0
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{millis:03d}"


def _provider_xg(event: Any) -> float | None:
    for statistic in getattr(event, "statistics", None) or ():
        if type(statistic).__name__ == "ExpectedGoals":
            value = getattr(statistic, "value", None)
            if isinstance(value, (int, float)) and math.isfinite(value) and 0 <= value <= 1:
                return float(value)
    return None


_PASS_RESULTS: Final = {
    "COMPLETE": PassResult.COMPLETE,
    "OUT": PassResult.OUT,
    "OFFSIDE": PassResult.OFFSIDE,
}
_SHOT_RESULTS: Final = {name: ShotResult[name] for name in ShotResult.__members__}
_CARDS: Final = {name: CardType[name] for name in CardType.__members__}
# kloppy reads StatsBomb's tackle as a GROUND duel: a ground duel is a tackle (not a loose ball)
_TACKLES: Final = frozenset({"TACKLE", "SLIDING_TACKLE", "GROUND"})
_PLAIN: Final = {
    "CLEARANCE": EventType.CLEARANCE,
    "PLAYER_ON": EventType.PLAYER_ON,
    "PLAYER_OFF": EventType.PLAYER_OFF,
    "MISCONTROL": EventType.MISCONTROL,
    "BALL_OUT": EventType.BALL_OUT,
    "FOUL_COMMITTED": EventType.FOUL_COMMITTED,
    "PRESSURE": EventType.PRESSURE,
    "BALL_RECEIPT": EventType.BALL_RECEIPT,
}


class _Reader:
    """One dataset's read state."""

    def __init__(self, provider: str, dataset: Any) -> None:
        self.provider = provider
        self.dataset = dataset
        self.teams: dict[str, Team] = {}
        self.players: dict[tuple[str, str], Player] = {}
        self.used_ids: dict[int, tuple[str, str]] = {}
        self.events: list[Event] = []
        self.raw: list[dict[str, Any]] = []
        self.possessions: list[Possession] = []
        self.period_ends: dict[int, float] = {}
        self.key_pass: dict[int, str] = {}  # team id -> latest assist pass id
        self.shots = 0
        self.shots_with_xg = 0
        self.located = 0
        self.nameless: set[int] = set()
        self.unknown_types: dict[str, int] = {}
        self.bad_clocks = 0
        self.offsets: dict[int, float] = {}
        self.last_seconds: dict[int, float] = {}

    # ---- teams and players

    def read_teams(self) -> tuple[Team, Team]:
        teams = list(self.dataset.metadata.teams or ())
        if len(teams) != 2:
            raise TeamsError(
                f"A match file needs exactly two teams, but this one names {len(teams)}."
            )
        for position, team in enumerate(teams):
            name = (team.name or "").strip() or ("Home" if position == 0 else "Away")
            self.teams[str(team.team_id)] = Team(stable_id(self.provider, team.team_id), name)
        first, second = self.teams.values()
        if first.id == second.id:
            raise TeamsError("Both teams of this file have the same id.")
        return first, second

    def player(self, team_key: str, player: Any) -> Player | None:
        if player is None:
            return None
        key = (team_key, str(player.player_id))
        known = self.players.get(key)
        if known is not None:
            return known
        number = stable_id(self.provider, player.player_id)
        while number in self.used_ids and self.used_ids[number] != key:  # a hash collision
            number = number % _INT_MAX + 1
        self.used_ids[number] = key
        name = " ".join((getattr(player, "full_name", None) or player.name or "").split())
        if not name:
            self.nameless.add(number)
            jersey = getattr(player, "jersey_no", None)
            name = f"#{jersey}" if isinstance(jersey, int) else f"Player {player.player_id}"[:120]
        known = Player(number, name)
        self.players[key] = known
        return known

    def starting(self, teams: tuple[Team, Team]) -> tuple[dict[int, tuple[SheetEntry, ...]], list]:
        sheets: dict[int, tuple[SheetEntry, ...]] = {}
        guessed = []
        for team_key, team in zip(self.teams, teams, strict=True):
            source = next(t for t in self.dataset.metadata.teams if str(t.team_id) == team_key)
            entries = [
                SheetEntry(
                    self.player(team_key, player),
                    player.jersey_no if isinstance(player.jersey_no, int) else None,
                    _position(player),
                )
                for player in source.players
                if player.starting
            ]
            if not entries:
                entries = self._first_seen(team_key)
                guessed.append(team.name)
                if not entries:
                    raise LineupError(f"The file names no player of {team.name}.")
            sheets[team.id] = tuple(entries)
        return sheets, guessed

    def _first_seen(self, team_key: str) -> list[SheetEntry]:
        """Up to 11 players of the team's events before its first substitution."""
        seen: dict[str, SheetEntry] = {}
        for event in self.dataset.events:
            if event.team is None or str(event.team.team_id) != team_key:
                continue
            if _enum_name(event.event_type) == "SUBSTITUTION":
                break
            player = event.player
            if player is not None and str(player.player_id) not in seen:
                jersey = player.jersey_no if isinstance(player.jersey_no, int) else None
                seen[str(player.player_id)] = SheetEntry(
                    self.player(team_key, player), jersey, _position(player)
                )
                if len(seen) == 11:
                    break
        return list(seen.values())

    # ---- events

    def possession(self, event: Any, team: Team, period: int, seconds: float) -> Possession:
        owner = getattr(event, "ball_owning_team", None)
        owner_team = self.teams.get(str(owner.team_id)) if owner is not None else team
        last = self.possessions[-1] if self.possessions else None
        if last is not None and last.team == owner_team and last.period == period:
            return last
        run = Possession(len(self.possessions) + 1, owner_team, period, seconds)
        self.possessions.append(run)
        return run

    def period_offsets(self) -> None:
        """A period whose first event is over 5 minutes in counts from that event (files whose
        period starts are wrong, e.g. Metrica events with the metadata of a tracking extract)."""
        firsts: dict[int, float] = {}
        for event in self.dataset.events:
            if event.period is not None:
                seconds = _seconds(event.timestamp)
                period = int(event.period.id)
                if seconds < firsts.get(period, math.inf):
                    firsts[period] = seconds
        self.offsets = {
            period: first
            for period, first in firsts.items()
            if LATE_START < first <= MAX_PERIOD_SECONDS
        }

    def read_events(self) -> None:
        self.period_offsets()
        for event in self.dataset.events:
            if event.team is None or event.period is None:
                continue
            team = self.teams.get(str(event.team.team_id))
            if team is None:
                continue
            self.read_one(event, team)

    def read_one(self, event: Any, team: Team) -> None:
        period = int(event.period.id)
        seconds = max(_seconds(event.timestamp) - self.offsets.get(period, 0.0), 0.0)
        if seconds > MAX_PERIOD_SECONDS:
            self.bad_clocks += 1
            seconds = self.last_seconds.get(period, 0.0)
        self.last_seconds[period] = seconds
        if seconds > self.period_ends.get(period, -1.0):
            self.period_ends[period] = seconds
        player = self.player(str(event.team.team_id), event.player)
        x, y = _xy(event.coordinates)
        if x is not None:
            self.located += 1
        event_id = str(event.event_id)
        common = (
            event_id,
            len(self.events) + 1,
            period,
            seconds,
            team,
            player,
            x,
            y,
            self.possession(event, team, period, seconds),
        )
        kind = _enum_name(event.event_type) or "GENERIC"
        built = self.build(kind, common, event)
        self.events.extend(built)
        for neutral in built:
            self.raw.append(stored_form(self.provider, neutral))

    def build(self, kind: str, c: tuple, event: Any) -> list[Event]:
        builder = _BUILDERS.get(kind)
        if builder is not None:
            return builder(self, c, event)
        plain = _PLAIN.get(kind)
        if plain is None:
            if kind != "GENERIC":
                self.unknown_types[kind] = self.unknown_types.get(kind, 0) + 1
            plain = EventType.GENERIC
        return [GenericEvent(*c, plain, None, _NONE)]

    def on_pass(self, c: tuple, event: Any) -> list[Event]:
        names = _qualifier_values(event)
        result = _PASS_RESULTS.get(_enum_name(event.result) or "", PassResult.INCOMPLETE)
        qualifiers = {
            Qualifier[name] for name in ("CROSS", "ASSIST", "SHOT_ASSIST", "CORNER_KICK")
            if name in names
        }  # fmt: skip
        end_x, end_y = _xy(getattr(event, "receiver_coordinates", None))
        length = None
        if c[6] is not None and end_x is not None:
            length = math.hypot(end_x - c[6], end_y - c[7])
        if Qualifier.ASSIST in qualifiers or Qualifier.SHOT_ASSIST in qualifiers:
            self.key_pass[c[4].id] = c[0]
        return [PassEvent(*c, EventType.PASS, result, frozenset(qualifiers), end_x, end_y, length)]

    def on_carry(self, c: tuple, event: Any) -> list[Event]:
        end_x, end_y = _xy(getattr(event, "end_coordinates", None))
        return [CarryEvent(*c, EventType.CARRY, None, _NONE, end_x, end_y)]

    def on_shot(self, c: tuple, event: Any) -> list[Event]:
        team: Team = c[4]
        period, seconds = c[2], c[3]
        minute = PERIOD_START_MINUTE.get(period, 0) + int(seconds // 60)
        second = int(seconds % 60)
        result = _SHOT_RESULTS.get(_enum_name(event.result) or "")
        if result is ShotResult.OWN_GOAL:
            other = next(t for t in self.teams.values() if t.id != team.id)
            return [
                ShotEvent(*c, EventType.SHOT, result, _NONE, None, None, minute, second),
                OwnGoalForEvent(
                    f"{c[0]}:for", c[1], period, seconds, other, None, None, None, c[8],
                    EventType.OWN_GOAL_FOR, None, _NONE, minute, second,
                ),
            ]  # fmt: skip
        self.shots += 1
        xg = _provider_xg(event)
        if xg is not None:
            self.shots_with_xg += 1
        elif c[6] is not None:
            xg = xg_model.shot_xg(c[6], c[7])
        penalty = "PENALTY" in _qualifier_values(event)
        if penalty and xg is not None and _provider_xg(event) is None:
            xg = xg_model.PENALTY_XG
        key_pass = self.key_pass.pop(team.id, None)
        qualifiers = frozenset((Qualifier.PENALTY,)) if penalty else _NONE
        return [ShotEvent(*c, EventType.SHOT, result, qualifiers, xg, key_pass, minute, second)]

    def on_take_on(self, c: tuple, event: Any) -> list[Event]:
        won = _enum_name(event.result) == "COMPLETE"
        result = TakeOnResult.COMPLETE if won else TakeOnResult.INCOMPLETE
        return [OutcomeEvent(*c, EventType.TAKE_ON, result, _NONE)]

    def on_duel(self, c: tuple, event: Any) -> list[Event]:
        won = _enum_name(event.result) == "WON"
        kinds = _qualifier_values(event)
        tackle = not _TACKLES.isdisjoint(kinds) and "LOOSE_BALL" not in kinds
        qualifiers = frozenset((Qualifier.TACKLE,)) if tackle else _NONE
        result = DuelResult.WON if won else DuelResult.LOST
        return [OutcomeEvent(*c, EventType.DUEL, result, qualifiers)]

    def on_interception(self, c: tuple, event: Any) -> list[Event]:
        won = _enum_name(event.result) in (None, "SUCCESS")
        result = InterceptionResult.SUCCESS if won else InterceptionResult.LOST
        return [OutcomeEvent(*c, EventType.INTERCEPTION, result, _NONE)]

    def on_recovery(self, c: tuple, event: Any) -> list[Event]:
        return [OutcomeEvent(*c, EventType.RECOVERY, RecoveryResult.SUCCESS, _NONE)]

    def on_goalkeeper(self, c: tuple, event: Any) -> list[Event]:
        save = "SAVE" in _qualifier_values(event)
        qualifiers = frozenset((Qualifier.SAVE,)) if save else _NONE
        return [OutcomeEvent(*c, EventType.GOALKEEPER, None, qualifiers)]

    def on_substitution(self, c: tuple, event: Any) -> list[Event]:
        team_key = str(event.team.team_id)
        replacement_raw = getattr(event, "replacement_player", None)
        replacement = self.player(team_key, replacement_raw)
        position = _position(replacement_raw) if replacement_raw is not None else None
        return [SubstitutionEvent(*c, EventType.SUBSTITUTION, None, _NONE, replacement, position)]

    def on_card(self, c: tuple, event: Any) -> list[Event]:
        card = _CARDS.get(_enum_name(getattr(event, "card_type", None)) or "")
        if card is None:
            return [GenericEvent(*c, EventType.GENERIC, None, _NONE)]
        return [CardEvent(*c, EventType.CARD, None, _NONE, card)]

    def on_formation_change(self, c: tuple, event: Any) -> list[Event]:
        return [FormationChangeEvent(*c, EventType.FORMATION_CHANGE, None, _NONE, ())]


_BUILDERS: Final = {
    "PASS": _Reader.on_pass,
    "CARRY": _Reader.on_carry,
    "SHOT": _Reader.on_shot,
    "TAKE_ON": _Reader.on_take_on,
    "DUEL": _Reader.on_duel,
    "INTERCEPTION": _Reader.on_interception,
    "RECOVERY": _Reader.on_recovery,
    "GOALKEEPER": _Reader.on_goalkeeper,
    "SUBSTITUTION": _Reader.on_substitution,
    "CARD": _Reader.on_card,
    "FORMATION_CHANGE": _Reader.on_formation_change,
}


def _position(player: Any) -> str | None:
    position = getattr(player, "starting_position", None)
    if position is None:
        return None
    text = str(position)
    return None if text in ("Unknown", "None", "") else text[:60]


def stored_form(provider: str, event: Event) -> dict[str, Any]:
    """The stored form of one neutral event (StatsBomb's field names, see the module doc),
    read back by `stored.py`; the tagging CSV's events are stored in it too."""
    minute = PERIOD_START_MINUTE.get(event.period, 0) + int(event.timestamp // 60)
    raw: dict[str, Any] = {
        "id": event.event_id,
        "index": event.index,
        "period": event.period,
        "timestamp": _stamp(event.timestamp),
        "minute": minute,
        "second": int(event.timestamp % 60),
        "type": {"name": event.type.value.replace("_", " ").title()},
        "team": {"id": event.team.id, "name": event.team.name},
        "provider": provider,
    }
    if event.player is not None:
        raw["player"] = {"id": event.player.id, "name": event.player.name}
    if event.x is not None:
        raw["location"] = [round(event.x, 2), round(event.y, 2)]
    result = getattr(event, "result", None)
    if result is not None:
        raw["result"] = str(result)
    if event.possession is not None:
        raw["possession"] = event.possession.id
        if event.possession.team is not None:
            raw["possession_team"] = {"id": event.possession.team.id}
    raw.update(_raw_details(event))
    return raw


def _raw_details(event: Event) -> dict[str, Any]:
    """What the charts read back (`stored.py`) beyond the location: qualifiers, where a pass
    or carry ended, a shot's xG and a card's colour."""
    details: dict[str, Any] = {}
    if event.qualifiers:
        details["qualifiers"] = sorted(event.qualifiers)
    end_x, end_y = getattr(event, "end_x", None), getattr(event, "end_y", None)
    if end_x is not None and end_y is not None:
        details["end_location"] = [round(end_x, 2), round(end_y, 2)]
    xg = getattr(event, "xg", None)
    if xg is not None:
        details["xg"] = xg
    if isinstance(event, CardEvent):
        details["card"] = str(event.card)
    if isinstance(event, ShotEvent):  # always written: a re-analysis knows the form is whole
        details["key_pass"] = event.key_pass_id
    if isinstance(event, SubstitutionEvent):
        details.update(_replacement(event))
    return details


def _replacement(event: SubstitutionEvent) -> dict[str, Any]:
    """Who came on and where: the minutes of a re-analysis need them (`stored.py`)."""
    came_on = event.replacement
    player = None if came_on is None else {"id": came_on.id, "name": came_on.name}
    return {"replacement": player, "position": event.position}


def _warnings(reader: _Reader, guessed: Iterable[str]) -> list[str]:
    warnings = [
        f"The file lists no starting lineup for {name}: the first players of its events are "
        "taken as its starters, so minutes may be off."
        for name in guessed
    ]
    if reader.nameless:
        warnings.append(
            f"{len(reader.nameless)} player(s) have no name in the file; they are shown by "
            "shirt number (or the file's id) until you name them in the squad."
        )
    if reader.unknown_types:
        kinds = ", ".join(sorted(reader.unknown_types))
        warnings.append(f"Events of unknown types ({kinds}) were kept but not counted.")
    if reader.bad_clocks:
        warnings.append(
            f"{reader.bad_clocks} event(s) have a clock over two hours into their period; they "
            "count at the time of the event before them."
        )
    for period in (1, 2):
        if period not in reader.period_ends:
            warnings.append(f"Period {period} has no events.")
    warnings.extend(_score_warning(reader))
    return warnings


def _score_warning(reader: _Reader) -> list[str]:
    """A warning when the file's final score differs from its goal events."""
    score = getattr(reader.dataset.metadata, "score", None)
    home, away = getattr(score, "home", None), getattr(score, "away", None)
    if not isinstance(home, int) or not isinstance(away, int):
        return []
    goals = dict.fromkeys((team.id for team in reader.teams.values()), 0)
    for event in reader.events:
        if event.period == 5:
            continue
        if event.type is EventType.OWN_GOAL_FOR or (
            event.type is EventType.SHOT and event.result is ShotResult.GOAL
        ):
            goals[event.team.id] += 1
    first, second = goals.values()
    if (first, second) == (home, away):
        return []
    return [
        f"The file gives the score {home}-{away} but its goal events make {first}-{second}; "
        "the goal events are counted."
    ]


def from_dataset(provider: str, dataset: Any) -> ReadResult:
    """The neutral match of a kloppy `EventDataset` (an `EventDataError` when unusable)."""
    reader = _Reader(provider, dataset)
    teams = reader.read_teams()
    reader.read_events()
    if not reader.events:
        raise EmptyEventsError("The file holds no events of either team.")
    starting, guessed = reader.starting(teams)
    match = Match(
        teams=teams,
        starting=starting,
        events=tuple(reader.events),
        period_ends=dict(sorted(reader.period_ends.items())),
        possessions=tuple(reader.possessions),
        event_ids=tuple(dict.fromkeys(event.event_id for event in reader.events)),
        raw_events=tuple(reader.raw),
    )
    return ReadResult(
        match=match,
        warnings=_warnings(reader, guessed),
        has_xg=reader.shots > 0 and reader.shots_with_xg == reader.shots,
        has_coordinates=reader.located > 0,
    )
