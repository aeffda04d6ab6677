"""The statistic catalogue: each statistic once, and what analytics derives from it is what
was written out by hand before (names and order: the columns and responses depend on them)."""

from __future__ import annotations

import dataclasses
import json

import pytest
from golden_set import GOLDEN_DIR

import spinta.analytics as analytics
from spinta.analytics import catalogue, report
from spinta.analytics.catalogue import BY_KEY, CATALOGUE, Kind, Scope
from spinta.assistant import stats as chat_stats

# The tuples as they were spelled out in report.py and season.py before the catalogue.
BEFORE = json.loads((GOLDEN_DIR / "field_names.json").read_text())


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_derived_field_names_keep_their_names_and_order(name):
    derived = getattr(analytics, name)
    assert (dict(derived) if name == "RATE_PARTS" else list(derived)) == (
        {key: tuple(parts) for key, parts in BEFORE[name].items()}
        if name == "RATE_PARTS"
        else BEFORE[name]
    )


def test_each_statistic_once_and_ratios_made_of_counts():
    assert len(BY_KEY) == len(CATALOGUE)
    for stat in CATALOGUE:
        assert (stat.parts is not None) == (stat.kind is Kind.RATIO), stat.key
        if stat.parts:
            part, whole = (BY_KEY[key] for key in stat.parts)
            assert part.kind is whole.kind is Kind.COUNT, stat.key
        if stat.per90:
            assert stat.scope is not Scope.TEAM and stat.kind in (Kind.COUNT, Kind.XG), stat.key
        if stat.player_after:
            assert BY_KEY[stat.player_after].player, stat.key


def test_the_report_dataclasses_have_a_field_per_catalogue_statistic():
    identity = {"team_id", "team_name", "is_our_team"}
    team = [f.name for f in dataclasses.fields(report.TeamStats) if f.name not in identity]
    assert team == list(catalogue.team_row())
    values = dict.fromkeys((f.name for f in dataclasses.fields(report.PlayerStats)), 0)
    per90 = report.PlayerStats(**{**values, "minutes_played": 90.0}).per90
    assert list(per90) == list(catalogue.player_counts())


def test_the_report_dataclasses_take_each_field_and_its_type_from_the_catalogue():
    types = {f.name: f.type for f in dataclasses.fields(report.PlayerStats)}
    assert types["goals"] is int and types["expected_goals"] is float
    assert types["pass_completion_rate"] == float | None
    assert types["penalty_shootout_goals"] == int | None
    assert types["minutes_played"] is float
    team = {f.name: f.type for f in dataclasses.fields(report.TeamStats)}
    assert team["possession_percentage"] == float | None
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.PlayerStats(**dict.fromkeys(types, 0)).goals = 1


def test_a_catalogue_key_becomes_a_typed_field():
    made = catalogue.stats_dataclass("Made", __name__, (("team_id", int),), ("crosses",), object)
    assert [(f.name, f.type) for f in dataclasses.fields(made)] == [
        ("team_id", int),
        ("crosses", int),
    ]
    with pytest.raises(KeyError):
        catalogue.stats_dataclass("Bad", __name__, (), ("not_a_statistic",), object)


def test_labels_and_phrases_are_the_assistants_for_every_statistic_it_knows():
    """The assistant's vocabulary comes from the catalogue (spinta/assistant/stats.py derives each
    statistic it shares from it), and every statistic with phrases is one the assistant knows."""
    by_column = {}
    for stat in chat_stats.STATS:
        column = stat.player or stat.team
        if column in BY_KEY:
            by_column[column] = stat
    assert len(by_column) >= 30
    for key, chat in by_column.items():
        entry = BY_KEY[key]
        assert (entry.label, entry.phrases) == (chat.label, chat.phrases), key
        assert entry.lower_is_better == chat.lower_is_better, key
        assert entry.parts == chat.parts, key
    unknown = [s.key for s in CATALOGUE if s.key not in by_column]
    assert all(BY_KEY[key].phrases == () for key in unknown), unknown
