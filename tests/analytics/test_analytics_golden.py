"""The golden set: the analysis output is byte-identical to the one recorded before the
issue 16 refactoring (see golden_set.py), for both teams of every shared file and for every
tiny event list of the rule tests."""

from __future__ import annotations

import hashlib
import json

import pytest
from analytics_files import load_events, statsbomb_path
from golden_set import GOLDEN_DIR, cli_bytes, outcome, tiny_cases

from spinta.analytics import analyse_match
from spinta.analytics.__main__ import main

REAL = sorted(GOLDEN_DIR.glob("*--*.json"))  # <file>--<club>.json
TINY = tiny_cases()


def _same(actual: dict, expected: dict) -> None:
    """The readable parts first (pytest shows the differing values), then the hashes."""
    hashes = ("cli_sha256", "full_sha256")
    readable = {key: value for key, value in actual.items() if key not in hashes}
    assert readable == {key: value for key, value in expected.items() if key not in hashes}
    assert actual == expected, "only hashed values differ: per-90, zero values or JSON layout"


def test_the_golden_set_covers_both_teams_of_every_file_and_the_rule_tests():
    assert len(REAL) == 8
    assert len(TINY) >= 60
    assert {case["test"].split("[")[0] for case in TINY} >= {
        "test_own_goal_is_one_entry_credited_to_the_other_team",
        "test_shootout_counts_only_for_penalty_shootout",
        "test_substitutions_minutes_positions_and_jerseys",
        "test_possession_chains_hand_computed",
        "test_validation_errors",
        "test_lineup_errors",
    }


@pytest.mark.parametrize("golden", REAL, ids=[path.stem for path in REAL])
def test_real_file_report_is_unchanged(golden, capsysbinary):
    expected = json.loads(golden.read_text(encoding="utf-8"))
    case = expected["case"]
    path = statsbomb_path(case["file"])
    assert main([str(path), "--club-name", case["club_name"]]) == 0
    printed = capsysbinary.readouterr().out
    assert hashlib.sha256(printed).hexdigest() == expected["cli_sha256"]
    actual = {"case": case, **outcome(load_events(case["file"]), {"club_name": case["club_name"]})}
    _same(actual, expected)


@pytest.mark.parametrize("case", TINY, ids=[f"{n}-{c['test']}" for n, c in enumerate(TINY)])
def test_tiny_event_list_report_is_unchanged(case):
    _same(outcome(case["events"], case["kwargs"]), case["expect"])
    if "error" not in case["expect"]:
        report = analyse_match(case["events"], **case["kwargs"])
        assert hashlib.sha256(cli_bytes(report)).hexdigest() == case["expect"]["cli_sha256"]
