"""Where a match's data came from and which statistics it cannot give (`data_source`).

Every statistic is defined for every provider. Where a file lacks what a statistic needs,
Spinta computes it when it can (xG from its own shot model, `providers/xg.py`) and otherwise
lists it in `missing_statistics` with the reason; its stored value is then 0 and must be read
as "not available", never as "none happened". A statistic is missing when:

| statistics | missing when the file has no |
|---|---|
| expected_goals | provider xG and no shot locations for Spinta's model |
| possession_percentage | possession information (runs of play / ball owner) |
| pressures | pressure events |
| total_dribbles, successful_dribbles | take-on (dribble) events |
| total_tackles, tackles_won, tackle_success_rate | tackles |
| interceptions, interceptions_won, interception_success_rate | interceptions |
| ball_recoveries | recoveries |
| clearances | clearances |
| final_third_passes, long_passes, short_passes | pass end locations |
| crosses | passes marked as crosses |
| corners | passes marked as corner kicks |
| assists, key_passes | passes marked as (shot) assists |
| goalkeeper_saves | saves (keeper actions or saved shots) |
| progressive_passes | pass start and end locations |
| progressive_carries | carries with start and end locations |
| expected_threat | passes or carries with start and end locations |
| field_tilt (and its parts) | pass start locations |
| ppda (and its parts) | pass start locations, or located defensive actions (duels, fouls...) |

The pass strings need only the order of the events, so every file gives them (advanced
metrics: statistics.md "Advanced metrics").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from .domain import Event, EventType, Match, Qualifier, ShotResult
from .providers.kloppy_events import ReadResult

__all__ = [
    "MAY_BE_MISSING",
    "DataSource",
    "MissingStatistic",
    "data_source",
    "missing_names",
    "missing_reasons",
    "refreshed",
    "season_gaps",
]


@dataclass(frozen=True, slots=True)
class MissingStatistic:
    statistic: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"statistic": self.statistic, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class DataSource:
    provider: str
    detected: bool  # the provider was recognised from the file, not named by the coach
    missing_statistics: tuple[MissingStatistic, ...]
    xg_model: bool  # some xG comes from Spinta's shot model

    def to_dict(self) -> dict[str, object]:
        return {
            "provider": self.provider,
            "detected": self.detected,
            "xg_model": self.xg_model,
            "missing_statistics": [missing.to_dict() for missing in self.missing_statistics],
        }


def _has_type(kind: EventType) -> Callable[[Event], bool]:
    return lambda event: event.type is kind


def _has_qualifier(kind: EventType, qualifier: Qualifier) -> Callable[[Event], bool]:
    return lambda event: event.type is kind and qualifier in event.qualifiers


def _pass_end(event: Event) -> bool:
    return event.type is EventType.PASS and event.end_x is not None


def _save(event: Event) -> bool:
    return (event.type is EventType.GOALKEEPER and Qualifier.SAVE in event.qualifiers) or (
        event.type is EventType.SHOT and event.result is ShotResult.SAVED
    )


def _tackle(event: Event) -> bool:
    return event.type is EventType.DUEL and Qualifier.TACKLE in event.qualifiers


def _moved(*kinds: EventType) -> Callable[[Event], bool]:
    """A pass or carry of ``kinds`` located at both ends (what xT and progression measure)."""

    def check(event: Event) -> bool:
        return event.type in kinds and None not in (event.x, event.y, event.end_x, event.end_y)

    return check


def _located(*kinds: EventType) -> Callable[[Event], bool]:
    return lambda event: event.type in kinds and event.x is not None


_DEFENSIVE_ACTIONS: Final = (EventType.DUEL, EventType.INTERCEPTION, EventType.FOUL_COMMITTED)
_PPDA: Final = ("ppda", "ppda_opponent_passes", "ppda_defensive_actions")


_CHECKS: Final[tuple[tuple[tuple[str, ...], Callable[[Event], bool], str], ...]] = (
    (("pressures",), _has_type(EventType.PRESSURE), "the file has no pressure events"),
    (
        ("total_dribbles", "successful_dribbles"),
        _has_type(EventType.TAKE_ON),
        "the file has no dribble (take-on) events",
    ),
    (
        ("total_tackles", "tackles_won", "tackle_success_rate"),
        _tackle,
        "the file marks no duel as a tackle",
    ),
    (
        ("interceptions", "interceptions_won", "interception_success_rate"),
        _has_type(EventType.INTERCEPTION),
        "the file has no interception events",
    ),
    (("ball_recoveries",), _has_type(EventType.RECOVERY), "the file has no recovery events"),
    (("clearances",), _has_type(EventType.CLEARANCE), "the file has no clearance events"),
    (
        ("final_third_passes", "long_passes", "short_passes"),
        _pass_end,
        "the file's passes have no end location",
    ),
    (
        ("crosses",),
        _has_qualifier(EventType.PASS, Qualifier.CROSS),
        "the file marks no pass as a cross",
    ),
    (
        ("corners",),
        _has_qualifier(EventType.PASS, Qualifier.CORNER_KICK),
        "the file marks no pass as a corner kick",
    ),
    (
        ("assists", "key_passes"),
        lambda e: (
            e.type is EventType.PASS
            and not {Qualifier.ASSIST, Qualifier.SHOT_ASSIST}.isdisjoint(e.qualifiers)
        ),
        "the file marks no pass as an assist or a shot assist",
    ),
    (("goalkeeper_saves",), _save, "the file has no saves or saved shots"),
    # advanced metrics (statistics.md "Advanced metrics"); the pass strings need no more than
    # the order of the events
    (
        ("progressive_passes",),
        _moved(EventType.PASS),
        "the file's passes have no start and end location",
    ),
    (
        ("progressive_carries",),
        _moved(EventType.CARRY),
        "the file has no carries with a start and end location",
    ),
    (
        ("expected_threat",),
        _moved(EventType.PASS, EventType.CARRY),
        "the file's passes and carries have no start and end location",
    ),
    (
        ("field_tilt", "field_tilt_ours", "field_tilt_both"),
        _located(EventType.PASS),
        "the file's passes have no location",
    ),
    (_PPDA, _located(EventType.PASS), "the file's passes have no location"),
    (
        _PPDA,
        _located(*_DEFENSIVE_ACTIONS),
        "the file has no located defensive actions (tackles, duels, interceptions, fouls)",
    ),
)


# Every statistic a file can lack: the only ones a screen or an export may answer null.
MAY_BE_MISSING: Final[frozenset[str]] = frozenset(
    {"expected_goals", "possession_percentage", *(name for c in _CHECKS for name in c[0])}
)


def missing_names(source: Mapping[str, Any] | None) -> frozenset[str]:
    """The statistics a stored match's ``data_source`` lists as missing (none without one).

    Read time decides: the stored value of such a statistic is 0 and is shown as null."""
    if not source:
        return frozenset()
    return frozenset(item["statistic"] for item in source.get("missing_statistics") or ())


_CHECKED: Final[frozenset[str]] = frozenset(name for c in _CHECKS for name in c[0])


def refreshed(source: Mapping[str, Any] | None, events: Iterable[Event]) -> Any:
    """A stored ``data_source`` with the checks of the events' content run again on the
    re-read events (re-analysis: a statistic added to the table since the upload is listed),
    its xG and possession entries as the upload found them (they need the file itself)."""
    if not source or source.get("provider") == "statsbomb":
        return source
    kept = [
        item for item in source.get("missing_statistics") or () if item["statistic"] not in _CHECKED
    ]
    return {**source, "missing_statistics": kept + [m.to_dict() for m in _absent(events)]}


def missing_reasons(sources: Iterable[Mapping[str, Any] | None]) -> dict[str, str]:
    """Each statistic the ``sources`` list as missing, with the first reason given."""
    reasons: dict[str, str] = {}
    for source in sources:
        for item in (source or {}).get("missing_statistics") or ():
            reasons.setdefault(item["statistic"], item["reason"])
    return reasons


def season_gaps(
    sources: Iterable[Mapping[str, Any] | None], played: int
) -> tuple[dict[str, str], dict[str, int]]:
    """Of ``played`` matches with these ``sources``: the statistics none of them gives (with a
    reason: a season figure shown null) and, of those some lack, how many give each."""
    sources = list(sources)
    lacking = Counter(name for source in sources for name in missing_names(source))
    reasons = missing_reasons(sources)
    none = {name: reasons[name] for name, n in lacking.items() if played and n >= played}
    return none, {name: played - n for name, n in lacking.items() if name not in none}


def _expected_goals(match: Match, read: ReadResult) -> tuple[list[MissingStatistic], bool]:
    shots = [
        e for e in match.events if e.type is EventType.SHOT and e.result is not ShotResult.OWN_GOAL
    ]
    if read.has_xg or not shots:
        return [], False
    without = sum(1 for shot in shots if shot.xg is None)
    missing = []
    if without:
        missing.append(
            MissingStatistic(
                "expected_goals",
                f"{without} of {len(shots)} shots have neither the provider's xG nor a "
                "location for Spinta's shot model (they count 0)",
            )
        )
    return missing, without < len(shots)


def data_source(provider: str, detected: bool, read: ReadResult) -> DataSource:
    """The data source of a read match, with the statistics it cannot give."""
    match = read.match
    missing, model = _expected_goals(match, read)
    if not match.possessions:
        missing.append(
            MissingStatistic("possession_percentage", "the file has no possession information")
        )
    if provider != "statsbomb":
        missing.extend(_absent(match.events))
    return DataSource(provider, detected, tuple(missing), model)


def _absent(events: Iterable[Event]) -> list[MissingStatistic]:
    pending = list(_CHECKS)
    for event in events:
        if not pending:
            break
        pending = [check for check in pending if not check[1](event)]
    found: dict[str, MissingStatistic] = {}  # a statistic once, with the first reason
    for names, _, reason in pending:
        for name in names:
            found.setdefault(name, MissingStatistic(name, reason))
    return list(found.values())
