"""Spinta's expected threat (xT) against socceraction's, on the four shared StatsBomb files.

The reference is socceraction's own code, end to end: its StatsBomb loader reads the raw file,
its SPADL converter turns the events into actions (its coordinates, its completed passes,
crosses and carries), ``spadl.play_left_to_right`` orients them, and
``xthreat.ExpectedThreat.rate`` values them on its grid binning. The one thing socceraction
does not supply is the grid: ``ExpectedThreat.fit`` learns one from the actions given, and four
matches are far too few for a meaningful fit (Karun Singh fitted his on a season), so a fitted
grid would compare noise. Spinta's shipped grid (Karun Singh's published 12 x 8 values,
``data/xt_12x8.json``) is therefore set as the model's ``xT`` surface, which is exactly what
``socceraction.xthreat.load_model`` does with a stored surface. What is checked:

- every action socceraction rates (a successful pass, cross or carry) that Spinta also values
  gets the same xT from both, to 1e-9: Spinta's number comes from its rule's own handler
  (``ExpectedThreat`` run over the match as ``analyse_advanced`` runs it);
- each team's sum over those actions is the same; Spinta's team total differs from it only by
  its set pieces (free kicks, corners, throw-ins, goal kicks, kick-offs), which statistics.md
  counts and socceraction's ``xthreat`` leaves out; no other action is valued by one side only.

socceraction's pins (pandas 2, numpy 1, pandera 0.17) clash with Spinta's, so it is not a
dependency: ``make test-reference`` builds ``.venv-reference`` from requirements-reference.txt
and runs this file there (``--noconftest``: that venv holds no Flask; this file needs only the
pure ``spinta.analytics``). In Spinta's own venv it is skipped.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from analytics_files import ALL_FILES, STATSBOMB_DIR, statsbomb_path

from spinta.analytics.advanced import analyse_advanced
from spinta.analytics.domain import EventType
from spinta.analytics.pitch import pitch_for
from spinta.analytics.providers import read_match
from spinta.analytics.rules import run
from spinta.analytics.rules.threat import ExpectedThreat, grid

# `make test-reference` sets SPINTA_REFERENCE=1: there a missing socceraction or shared file
# fails instead of skipping, so CI can never pass without comparing
REQUIRED = os.environ.get("SPINTA_REFERENCE") == "1"
if not REQUIRED:
    pytest.importorskip("socceraction", reason="the reference runs in .venv-reference")
import numpy as np  # noqa: E402
from socceraction import spadl, xthreat  # noqa: E402
from socceraction.data.statsbomb import StatsBombLoader  # noqa: E402
from socceraction.spadl import statsbomb as statsbomb_spadl  # noqa: E402

SET_PIECES = {"Free Kick", "Corner", "Throw-in", "Goal Kick", "Kick Off"}


class _PerEvent:
    """A tally that keeps Spinta's xT per event (the rule adds each gain once)."""

    def __init__(self) -> None:
        self.gains: dict[str, float] = {}

    def add(self, event: Any, name: str, value: float) -> None:
        assert name == "expected_threat"
        self.gains[event.event_id] = self.gains.get(event.event_id, 0.0) + value


def _spinta(raw: list[dict]) -> tuple[dict[str, float], dict[int, float], set[str]]:
    """(xT per event id, xT per team, ids of the passes and carries Spinta read)."""
    match = read_match(raw)
    per_event = _PerEvent()
    run(match.events, (ExpectedThreat(per_event, pitch_for(None)),))
    teams = {t.id: analyse_advanced(match).teams[t.id]["expected_threat"] for t in match.teams}
    moves = {e.event_id for e in match.events if e.type in (EventType.PASS, EventType.CARRY)}
    return per_event.gains, teams, moves


def _socceraction(path: Path, tmp_path: Path) -> list[tuple[str, int, float]]:
    """(event id, team id, xT) of every action socceraction's xT rates, with Spinta's grid."""
    root = tmp_path / "open-data"
    (root / "events").mkdir(parents=True)
    os.symlink(path, root / "events" / "1.json")  # the loader's local layout: events/{id}.json
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its inferred-fidelity notes, pandas' FutureWarnings
        events = StatsBombLoader(getter="local", root=str(root)).events(1)
        home = int(events.team_id.iloc[0])
        actions = statsbomb_spadl.convert_to_actions(events, home_team_id=home)
        actions = spadl.play_left_to_right(actions, home)
        model = xthreat.ExpectedThreat(l=12, w=8)
        model.xT = np.array(grid())  # the surface load_model would set
        ratings = model.rate(actions)
    return [
        (str(event_id), int(team), float(rating))
        for event_id, team, rating in zip(
            actions.original_event_id, actions.team_id, ratings, strict=True
        )
        if not math.isnan(rating)
    ]


@pytest.mark.parametrize("name", ALL_FILES)
def test_expected_threat_equals_socceractions(name, tmp_path):
    if REQUIRED and not (STATSBOMB_DIR / name).is_file():
        pytest.fail(f"the shared StatsBomb file {name} is required by make test-reference")
    path = statsbomb_path(name)
    raw = json.loads(path.read_text(encoding="utf-8"))
    by_id = {event["id"]: event for event in raw}
    gains, team_totals, moves = _spinta(raw)
    rated = [r for r in _socceraction(path.resolve(), tmp_path) if r[0] in moves]
    assert len(rated) > 1000  # the match's completed open-play passes and carries

    differing = [
        (by_id[event_id], gains.get(event_id, 0.0), rating)
        for event_id, _, rating in rated
        if not math.isclose(gains.get(event_id, 0.0), rating, abs_tol=1e-9)
    ]
    assert differing == [], f"{len(differing)} of {len(rated)} actions differ"

    both: dict[int, float] = defaultdict(float)
    for _, team, rating in rated:
        both[team] += rating
    seen = {event_id for event_id, _, _ in rated}
    spinta_only = {event_id: gain for event_id, gain in gains.items() if event_id not in seen}
    kinds = {
        by_id[event_id].get("pass", {}).get("type", {}).get("name") for event_id in spinta_only
    }
    assert kinds <= SET_PIECES, kinds  # Spinta alone values set pieces, nothing else
    set_pieces: dict[int, float] = defaultdict(float)
    for event_id, gain in spinta_only.items():
        set_pieces[by_id[event_id]["team"]["id"]] += gain
    for team, total in team_totals.items():
        assert math.isclose(both[team], total - set_pieces[team], abs_tol=1e-9), team
