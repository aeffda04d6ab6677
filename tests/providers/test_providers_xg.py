"""Spinta's shot model (providers/xg.py) against StatsBomb's xG on the shared files: each
match's total within 25% of StatsBomb's, a shot 0.06 off on average, and the model's shape."""

from __future__ import annotations

import json

import pytest

from spinta.analytics.providers.xg import PENALTY_XG, expected_goals, shot_xg
from tests.conftest import statsbomb_file

SHARED = [
    "argentina-croatia-2022-12-13.json",
    "argentina-mexico-2022-11-26.json",
    "barcelona-alaves-2018-08-18.json",
    "netherlands-argentina-2022-12-09.json",
]


@pytest.mark.parametrize("name", SHARED)
def test_the_model_follows_statsbombs_xg_on_the_shared_files(name):
    path = statsbomb_file(name)
    if not path.exists():
        pytest.skip("shared StatsBomb files absent")
    theirs = ours = error = 0.0
    shots = 0
    for event in json.loads(path.read_bytes()):
        if event["type"]["name"] != "Shot" or event["period"] == 5:
            continue
        shot = event["shot"]
        x, y = event["location"][:2]
        model = PENALTY_XG if shot["type"]["name"] == "Penalty" else shot_xg(x, y)
        theirs += shot["statsbomb_xg"]
        ours += model
        error += abs(model - shot["statsbomb_xg"])
        shots += 1
    assert shots > 5
    assert 0.75 <= ours / theirs <= 1.25
    assert error / shots < 0.06


def test_closer_and_more_central_shots_are_worth_more():
    assert expected_goals(114, 40) > expected_goals(102, 40) > expected_goals(90, 40)
    assert expected_goals(108, 40) > expected_goals(108, 20)
    assert 0 < expected_goals(60, 0) < 0.05 < expected_goals(118, 40) < 1
    assert shot_xg(10, 30) == expected_goals(110, 50)  # from the own half: orientation flipped
