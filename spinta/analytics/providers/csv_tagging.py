"""Spinta's CSV tagging template: a match tagged by hand, one row per event.

Columns (header row required, any order, names case-insensitive; `x`, `y`, `number`,
`player` and `outcome` may be empty):

- period: 1 or 2 (3, 4: extra time);
- clock: the match clock `MM:SS` as a stopwatch shows it from kick-off (the 2nd half starts
  at 45:00);
- team: the team's name as it should be shown (exactly two teams in the file);
- player: the player's name (or leave it empty and give `number`); number: the shirt number;
- action: pass, shot, goal, tackle, interception, save, foul, card, substitution;
- outcome: pass: complete (default), incomplete, assist, cross; shot: on_target,
  off_target (default), blocked, post; goal: empty, or own_goal (`team` is then the side that
  conceded it); tackle, interception: won (default), lost; card: yellow (default),
  second_yellow, red; substitution: the player coming on (name or number);
- x, y: optional location on a 0-100 pitch, x from the team's own goal line (0) to the
  opponent's (100), y from one touchline to the other.

Every player seen in the file who is not brought on by a substitution is taken as a
starter. A goal counts as a shot on target; the pass before a goal tagged `assist` is its
assist. Errors name the row: "Row 12: 'clock' must be minutes:seconds ...".
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, Final

from ..domain import (
    CardEvent,
    CardType,
    DuelResult,
    Event,
    EventType,
    GenericEvent,
    InterceptionResult,
    Match,
    OutcomeEvent,
    OwnGoalForEvent,
    PassEvent,
    PassResult,
    Player,
    Qualifier,
    SheetEntry,
    ShotEvent,
    ShotResult,
    SubstitutionEvent,
    Team,
)
from ..errors import EventDataError
from . import xg as xg_model
from .kloppy_events import PERIOD_START_MINUTE, ReadResult, stable_id, stored_form

__all__ = ["ACTIONS", "COLUMNS", "NAME", "TEMPLATE", "CsvTaggingError", "read"]

NAME = "csv"
LABEL = "CSV tagging"
META = None
COLUMNS: Final = ("period", "clock", "team", "player", "number", "action", "outcome", "x", "y")
REQUIRED: Final = ("period", "clock", "team", "action")
ACTIONS: Final = (
    "pass", "shot", "goal", "tackle", "interception", "save", "foul", "card", "substitution",
)  # fmt: skip
MAX_ROWS: Final = 20000

TEMPLATE: Final = """period,clock,team,player,number,action,outcome,x,y
1,00:12,Spinta FC,Leo Diaz,10,pass,complete,50,50
1,03:40,Spinta FC,Sam Ortiz,9,shot,off_target,84,42
1,11:05,Rovers,,4,tackle,won,30,60
1,18:30,Spinta FC,Leo Diaz,10,pass,assist,78,30
1,18:33,Spinta FC,Sam Ortiz,9,goal,,91,48
1,27:10,Rovers,Tom Berg,7,shot,on_target,88,55
1,27:11,Spinta FC,Ana Ruiz,1,save,,,
1,33:00,Rovers,Tom Berg,7,foul,,45,20
1,33:01,Rovers,Tom Berg,7,card,yellow,,
2,52:00,Spinta FC,Sam Ortiz,9,substitution,Kim Lee,,
2,61:45,Rovers,,5,interception,won,35,40
"""

_CLOCK = re.compile(r"^\s*(\d{1,3})(?::(\d{1,2}))?\s*$")
_PASS = {
    "": PassResult.COMPLETE,
    "complete": PassResult.COMPLETE,
    "assist": PassResult.COMPLETE,
    "cross": PassResult.COMPLETE,
    "incomplete": PassResult.INCOMPLETE,
}
_SHOT = {
    "": ShotResult.OFF_TARGET,
    "off_target": ShotResult.OFF_TARGET,
    "on_target": ShotResult.SAVED,
    "saved": ShotResult.SAVED,
    "blocked": ShotResult.BLOCKED,
    "post": ShotResult.POST,
}
_WON = {"": True, "won": True, "success": True, "lost": False}
_CARDS = {
    "": CardType.FIRST_YELLOW,
    "yellow": CardType.FIRST_YELLOW,
    "second_yellow": CardType.SECOND_YELLOW,
    "red": CardType.RED,
}
_NONE: frozenset[Qualifier] = frozenset()


class CsvTaggingError(EventDataError):
    """A tagging file Spinta cannot read (the sentence names the row)."""


def _allowed(options: dict[str, Any]) -> str:
    return ", ".join(sorted(name for name in options if name))


class _Rows:
    def __init__(self) -> None:
        self.teams: dict[str, Team] = {}
        self.players: dict[tuple[int, str], tuple[Player, int | None]] = {}
        self.events: list[Event] = []
        self.coming_on: set[tuple[int, int]] = set()
        self.order: list[tuple[int, Player, int | None]] = []
        self.period_ends: dict[int, float] = {}
        self.key_pass: dict[int, str] = {}
        self.located = 0
        self.own_goals: list[ShotEvent] = []

    def credit_own_goals(self) -> None:
        """Each own goal's OWN_GOAL_FOR event for the other team."""
        for shot in self.own_goals:
            other = next(team for team in self.teams.values() if team.id != shot.team.id)
            event = OwnGoalForEvent(
                f"{shot.event_id}:for", shot.index, shot.period, shot.timestamp, other, None,
                None, None, None, EventType.OWN_GOAL_FOR, None, _NONE, shot.minute, shot.second,
            )  # fmt: skip
            self.events.append(event)

    def team(self, name: str, row: int) -> Team:
        key = " ".join(name.split()).casefold()
        if not key:
            raise CsvTaggingError(f"Row {row}: 'team' is empty.")
        team = self.teams.get(key)
        if team is None:
            if len(self.teams) == 2:
                listed = ", ".join(t.name for t in self.teams.values())
                raise CsvTaggingError(
                    f"Row {row}: a third team '{name.strip()}' (the file already has {listed})."
                )
            team = Team(stable_id(NAME, key), " ".join(name.split())[:120])
            self.teams[key] = team
        return team

    def player(self, team: Team, name: str, number: int | None) -> Player | None:
        name = " ".join(name.split())[:120]
        if not name and number is None:
            return None
        key = (team.id, name.casefold() if name else f"#{number}")
        known = self.players.get(key)
        if known is None:
            player = Player(stable_id(NAME, f"{team.name}:{key[1]}"), name or f"#{number}")
            self.players[key] = (player, number)
            self.order.append((team.id, player, number))
            return player
        return known[0]


def _clock(value: str, period: int, row: int) -> float:
    match = _CLOCK.match(value)
    if match is None:
        raise CsvTaggingError(
            f"Row {row}: 'clock' must be minutes:seconds like 23:45, not '{value[:20]}'."
        )
    minutes, seconds = int(match.group(1)), int(match.group(2) or 0)
    if seconds > 59:
        raise CsvTaggingError(f"Row {row}: 'clock' has {seconds} seconds (0-59).")
    return max(minutes * 60 + seconds - PERIOD_START_MINUTE[period] * 60, 0)


def _int(value: str, column: str, row: int, low: int, high: int) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise CsvTaggingError(
            f"Row {row}: '{column}' must be a whole number from {low} to {high}, not "
            f"'{value[:20]}'."
        )
    return int(value)


def _location(fields: dict[str, str], row: int) -> tuple[float | None, float | None]:
    x_text, y_text = fields.get("x", "").strip(), fields.get("y", "").strip()
    if not x_text and not y_text:
        return None, None
    try:
        x, y = float(x_text), float(y_text)
    except ValueError:
        raise CsvTaggingError(
            f"Row {row}: 'x' and 'y' must both be numbers from 0 to 100 (or both empty)."
        ) from None
    if not (0 <= x <= 100 and 0 <= y <= 100):
        raise CsvTaggingError(f"Row {row}: 'x' and 'y' must be from 0 to 100.")
    return x * 1.2, y * 0.8


def _choice(options: dict[str, Any], value: str, action: str, row: int) -> Any:
    key = value.strip().casefold().replace(" ", "_").replace("-", "_")
    if key not in options:
        raise CsvTaggingError(
            f"Row {row}: '{value[:30]}' is not an outcome of {action} ({_allowed(options)})."
        )
    return options[key]


def _event(rows: _Rows, c: tuple, action: str, outcome: str, row: int) -> list[Event]:
    team: Team = c[4]
    if action == "pass":
        result = _choice(_PASS, outcome, action, row)
        key = outcome.strip().casefold()
        qualifiers = _NONE
        if key == "assist":
            qualifiers = frozenset((Qualifier.ASSIST,))
            rows.key_pass[team.id] = c[0]
        elif key == "cross":
            qualifiers = frozenset((Qualifier.CROSS,))
        return [PassEvent(*c, EventType.PASS, result, qualifiers, None, None, None)]
    if action in ("shot", "goal"):
        return _shot(rows, c, action, outcome, row)
    if action == "tackle":
        won = _choice(_WON, outcome, action, row)
        result = DuelResult.WON if won else DuelResult.LOST
        return [OutcomeEvent(*c, EventType.DUEL, result, frozenset((Qualifier.TACKLE,)))]
    if action == "interception":
        won = _choice(_WON, outcome, action, row)
        result = InterceptionResult.SUCCESS if won else InterceptionResult.LOST
        return [OutcomeEvent(*c, EventType.INTERCEPTION, result, _NONE)]
    if action == "save":
        return [OutcomeEvent(*c, EventType.GOALKEEPER, None, frozenset((Qualifier.SAVE,)))]
    if action == "foul":
        return [GenericEvent(*c, EventType.FOUL_COMMITTED, None, _NONE)]
    if action == "card":
        card = _choice(_CARDS, outcome, action, row)
        return [CardEvent(*c, EventType.CARD, None, _NONE, card)]
    return _substitution(rows, c, outcome, row)


def _shot(rows: _Rows, c: tuple, action: str, outcome: str, row: int) -> list[Event]:
    team: Team = c[4]
    period, seconds = c[2], c[3]
    minute = PERIOD_START_MINUTE[period] + int(seconds // 60)
    second = int(seconds % 60)
    if action == "goal" and outcome.strip().casefold().replace(" ", "_") == "own_goal":
        own_goal = ShotEvent(
            *c, EventType.SHOT, ShotResult.OWN_GOAL, _NONE, None, None, minute, second
        )
        rows.own_goals.append(own_goal)  # credited to the other team once both are known
        return [own_goal]
    if action == "goal":
        if outcome.strip():
            raise CsvTaggingError(
                f"Row {row}: '{outcome[:30]}' is not an outcome of goal (empty or own_goal)."
            )
        result = ShotResult.GOAL
    else:
        result = _choice(_SHOT, outcome, action, row)
    xg = xg_model.shot_xg(c[6], c[7]) if c[6] is not None else None
    key_pass = rows.key_pass.pop(team.id, None)
    return [ShotEvent(*c, EventType.SHOT, result, _NONE, xg, key_pass, minute, second)]


def _substitution(rows: _Rows, c: tuple, outcome: str, row: int) -> list[Event]:
    team: Team = c[4]
    text = outcome.strip()
    if not text:
        raise CsvTaggingError(f"Row {row}: a substitution needs the player coming on in 'outcome'.")
    number = int(text.lstrip("#")) if text.lstrip("#").isdigit() else None
    replacement = rows.player(team, "" if number is not None else text, number)
    rows.coming_on.add((team.id, replacement.id))
    return [SubstitutionEvent(*c, EventType.SUBSTITUTION, None, _NONE, replacement, None)]


def _reader(events: bytes) -> csv.DictReader:
    try:
        text = events.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvTaggingError("The CSV tagging file is not UTF-8 text.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().casefold() for name in reader.fieldnames or ()]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise CsvTaggingError(
            f"The CSV tagging file's header lacks {', '.join(missing)} (columns: "
            f"{', '.join(COLUMNS)})."
        )
    reader.fieldnames = header
    return reader


def _row(rows: _Rows, fields: dict[str, str], row: int) -> None:
    period = _int(fields.get("period", ""), "period", row, 1, 4)
    if period is None:
        raise CsvTaggingError(f"Row {row}: 'period' is empty.")
    seconds = float(_clock(fields.get("clock", ""), period, row))
    team = rows.team(fields.get("team", ""), row)
    action = fields.get("action", "").strip().casefold()
    if action not in ACTIONS:
        raise CsvTaggingError(
            f"Row {row}: '{action[:30]}' is not an action ({', '.join(ACTIONS)})."
        )
    number = _int(fields.get("number", ""), "number", row, 0, 99)
    player = rows.player(team, fields.get("player", ""), number)
    if player is None and action not in ("foul",):
        raise CsvTaggingError(f"Row {row}: give the player's name or number.")
    x, y = _location(fields, row)
    rows.located += x is not None
    rows.period_ends[period] = max(rows.period_ends.get(period, 0.0), seconds)
    c = (f"csv-{row}", len(rows.events) + 1, period, seconds, team, player, x, y, None)
    rows.events.extend(_event(rows, c, action, fields.get("outcome", "") or "", row))


def read(events: bytes, meta: bytes | None = None) -> ReadResult:
    """The neutral match of a tagging CSV (CsvTaggingError naming the row when unusable)."""
    rows = _Rows()
    try:
        for number, fields in enumerate(_reader(events), start=2):
            if number > MAX_ROWS + 1:
                raise CsvTaggingError(f"The CSV tagging file has more than {MAX_ROWS:,} rows.")
            cleaned = {k: v if isinstance(v, str) else "" for k, v in fields.items() if k}
            if any(value.strip() for value in cleaned.values()):
                _row(rows, cleaned, number)
    except csv.Error as exc:
        raise CsvTaggingError(f"The CSV tagging file is not valid CSV: {exc}.") from None
    if len(rows.teams) != 2:
        raise CsvTaggingError(
            f"A tagging file needs events of exactly two teams, but this one has {len(rows.teams)}."
        )
    rows.credit_own_goals()
    teams = tuple(rows.teams.values())
    starting = {
        team.id: tuple(
            SheetEntry(player, number, None)
            for team_id, player, number in rows.order
            if team_id == team.id and (team_id, player.id) not in rows.coming_on
        )
        for team in teams
    }
    events = tuple(sorted(rows.events, key=lambda e: (e.period, e.timestamp, e.index)))
    match = Match(
        teams=teams,  # type: ignore[arg-type]
        starting=starting,
        events=events,
        period_ends=dict(sorted(rows.period_ends.items())),
        possessions=(),
        event_ids=tuple(dict.fromkeys(event.event_id for event in rows.events)),
        # stored as a kloppy provider's: read back for charts, events and re-analysis
        raw_events=tuple(stored_form(NAME, event) for event in events),
    )
    return ReadResult(match=match, warnings=[], has_xg=False, has_coordinates=rows.located > 0)
