"""The stored form of a match read through kloppy, read back into a neutral `Match`.

A kloppy provider's events are stored as small StatsBomb-shaped dicts (`kloppy_events._raw`):
the neutral event's type, team, player, period, clock, location (already on the 120 x 80
pitch, the acting team attacking left to right), result and possession, and since the charts
read them back also its qualifiers, end location, xG and card. This module rebuilds the
neutral events from them, so charts, the event list and possessions work for every provider
with coordinates. Matches stored before those extra fields read back without end locations
(a pass chart shows none), with the shot model's xG from the location (`xg.py`) and without
the penalty qualifier. Substitutions come back without the replacement, formation changes
without the lineup: nothing that reads stored events uses them (the lineups and minutes are
stored apart, with the statistics). The starting sheets are the caller's (`match_lineups`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, Final, TypeVar

from .. import domain
from . import xg as xg_model

__all__ = ["READABLE", "complete", "read_stored"]

# The providers whose stored events this module reads (every one read through kloppy).
READABLE: Final = frozenset(
    {"wyscout", "opta", "statsperform", "sportec", "metrica", "impect", "datafactory", "csv"}
)
_TYPES: Final = {kind.value.replace("_", " ").title(): kind for kind in domain.EventType}
_OUTCOMES: Final[Mapping[domain.EventType, type[StrEnum]]] = {
    domain.EventType.TAKE_ON: domain.TakeOnResult,
    domain.EventType.DUEL: domain.DuelResult,
    domain.EventType.INTERCEPTION: domain.InterceptionResult,
    domain.EventType.RECOVERY: domain.RecoveryResult,
}
_OUTCOME_TYPES: Final = frozenset({*_OUTCOMES, domain.EventType.GOALKEEPER})
E = TypeVar("E", bound=StrEnum)


def _enum(kind: type[E], value: Any) -> E | None:
    try:
        return kind(value)
    except ValueError:
        return None


def _seconds(stamp: str) -> float:
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _pair(value: Any) -> tuple[float | None, float | None]:
    if isinstance(value, list) and len(value) >= 2:
        return float(value[0]), float(value[1])
    return None, None


class _Reader:
    def __init__(self) -> None:
        self.teams: dict[int, domain.Team] = {}
        self.players: dict[int, domain.Player] = {}
        self.possessions: dict[Any, domain.Possession] = {}
        self.period_ends: dict[int, float] = {}

    def team(self, raw: Mapping[str, Any]) -> domain.Team:
        team_id = raw["id"]
        if team_id not in self.teams:
            self.teams[team_id] = domain.Team(team_id, raw.get("name") or "")
        return self.teams[team_id]

    def player(self, raw: Any) -> domain.Player | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), int):
            return None
        return self.players.setdefault(raw["id"], domain.Player(raw["id"], raw.get("name") or ""))

    def possession(self, raw: Mapping[str, Any], team: domain.Team, period: int, at: float) -> Any:
        key = raw.get("possession")
        if key is None:
            return None
        if key not in self.possessions:
            owner = raw.get("possession_team")
            owner_team = self.teams.get(owner.get("id")) if isinstance(owner, dict) else team
            self.possessions[key] = domain.Possession(key, owner_team or team, period, at)
        return self.possessions[key]

    def event(self, raw: Mapping[str, Any]) -> domain.Event:
        team = self.team(raw["team"])
        period, at = raw["period"], _seconds(raw["timestamp"])
        self.period_ends[period] = max(self.period_ends.get(period, 0.0), at)
        x, y = _pair(raw.get("location"))
        c = (
            str(raw["id"]),
            raw["index"],
            period,
            at,
            team,
            self.player(raw.get("player")),
            x,
            y,
            self.possession(raw, team, period, at),
        )
        return _event(c, raw)


def _shot(c: tuple, raw: Mapping[str, Any], qualifiers: frozenset) -> domain.ShotEvent:
    result = _enum(domain.ShotResult, raw.get("result"))
    xg = raw.get("xg")
    if xg is None and c[6] is not None and result is not domain.ShotResult.OWN_GOAL:
        xg = xg_model.shot_xg(c[6], c[7])
    minute, second = raw.get("minute", 0), raw.get("second", 0)
    key_pass = raw.get("key_pass")
    return domain.ShotEvent(
        *c, domain.EventType.SHOT, result, qualifiers, xg, key_pass, minute, second
    )


def _player(raw: Any) -> domain.Player | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), int):
        return None
    return domain.Player(raw["id"], raw.get("name") or "")


def _event(c: tuple, raw: Mapping[str, Any]) -> domain.Event:
    kind = _TYPES.get(raw["type"]["name"], domain.EventType.GENERIC)
    qualifiers = frozenset(
        q for q in (_enum(domain.Qualifier, v) for v in raw.get("qualifiers", ())) if q is not None
    )
    end_x, end_y = _pair(raw.get("end_location"))
    if kind is domain.EventType.PASS:
        result = _enum(domain.PassResult, raw.get("result")) or domain.PassResult.INCOMPLETE
        length = None
        if end_x is not None and c[6] is not None:
            length = math.hypot(end_x - c[6], end_y - c[7])  # as the upload measured it
        return domain.PassEvent(*c, kind, result, qualifiers, end_x, end_y, length)
    if kind is domain.EventType.CARRY:
        return domain.CarryEvent(*c, kind, None, qualifiers, end_x, end_y)
    if kind is domain.EventType.SHOT:
        return _shot(c, raw, qualifiers)
    if kind is domain.EventType.OWN_GOAL_FOR:
        minute, second = raw.get("minute", 0), raw.get("second", 0)
        return domain.OwnGoalForEvent(*c, kind, None, qualifiers, minute, second)
    if kind in _OUTCOME_TYPES:
        outcome = _OUTCOMES.get(kind)
        result = _enum(outcome, raw.get("result")) if outcome is not None else None
        return domain.OutcomeEvent(*c, kind, result, qualifiers)
    if kind is domain.EventType.SUBSTITUTION:
        replacement = _player(raw.get("replacement"))
        position = raw.get("position")
        return domain.SubstitutionEvent(*c, kind, None, qualifiers, replacement, position)
    if kind is domain.EventType.FORMATION_CHANGE:
        return domain.FormationChangeEvent(*c, kind, None, qualifiers, ())
    card = _enum(domain.CardType, raw.get("card"))
    if kind is domain.EventType.CARD and card is not None:
        return domain.CardEvent(*c, kind, None, qualifiers, card)
    return domain.GenericEvent(*c, kind, None, qualifiers)


def complete(raw_events: Iterable[Mapping[str, Any]]) -> bool:
    """Whether stored events hold everything a re-analysis needs to give the upload's report:
    the neutral event types, every shot its key pass, every substitution who came on (written
    since re-analysis of every provider; a match stored before lacks them and keeps its
    statistics as uploaded; a tagging CSV's stored before cannot be read at all)."""
    for raw in raw_events:
        name = raw["type"]["name"]
        key = _NEEDS.get(name)
        if name not in _TYPES or (key is not None and key not in raw):
            return False  # a tagging CSV stored its actions' names ("Goal", "Save") before
    return True


# What each kind of stored event holds in the whole form (`complete`).
_NEEDS: Final = {
    "Shot": "key_pass",
    "Substitution": "replacement",
    "Pass": "result",
    "Card": "card",
}


def read_stored(
    raw_events: Iterable[Mapping[str, Any]],
    starting: Mapping[int, tuple[domain.SheetEntry, ...]],
    teams: tuple[domain.Team, domain.Team],
) -> domain.Match:
    """The neutral match of stored events; ``teams`` name the two sides when the events
    do not (a team without an event), ``starting`` are the stored starting sheets."""
    reader = _Reader()
    raw = [dict(event) for event in raw_events]
    events = tuple(reader.event(event) for event in raw)
    for team in teams:
        reader.teams.setdefault(team.id, team)
    first, second = (reader.teams[team.id] for team in teams)
    return domain.Match(
        teams=(first, second),
        starting=starting,
        events=events,
        period_ends=reader.period_ends,
        possessions=tuple(reader.possessions.values()),
        event_ids=tuple(event["id"] for event in raw),
        raw_events=tuple(raw),
    )
