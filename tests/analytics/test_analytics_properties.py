"""Property tests: order and duplicates never matter; junk only ever raises EventDataError."""

from __future__ import annotations

import copy
import json
import random

from analytics_builder import AWAY, HOME, MatchBuilder
from analytics_files import BARCELONA_ALAVES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinta.analytics import EventDataError, MatchReport, analyse_match


def _rich_match() -> MatchBuilder:
    b = MatchBuilder()
    key = b.pass_(HOME, 8, at=50, goal_assist=True, length=20.0, end_location=[100.0, 30.0])
    b.shot(HOME, 9, "Goal", at=60, key_pass_id=key["id"], xg=0.4)
    b.new_possession(AWAY)
    b.pass_(AWAY, 2, at=70, cross=True, length=40.0, outcome={"name": "Incomplete"})
    b.add(
        "Duel",
        AWAY,
        at=75,
        player_no=4,
        duel={"type": {"name": "Tackle"}, "outcome": {"name": "Won"}},
    )
    b.add("Own Goal Against", AWAY, at=80, player_no=5)
    b.add("Own Goal For", HOME, at=80)
    b.substitution(AWAY, 9, 12, at=100)
    b.tactical_shift(AWAY, [(12, 19)], at=101)
    b.card(HOME, 3, "Second Yellow", at=150)
    b.add("Player Off", HOME, at=160, player_no=4)
    b.add("Player On", HOME, at=170, player_no=4)
    b.end_period(1, 200)
    b.new_possession(HOME)
    b.shot(AWAY, 10, "Saved", at=30, period=2, xg=0.2)
    b.add(
        "Goal Keeper",
        HOME,
        at=31,
        period=2,
        player_no=1,
        goalkeeper={"type": {"name": "Shot Saved"}},
    )
    b.end_period(2, 250)
    b.shot(HOME, 9, "Goal", at=10, period=5)
    b.end_period(5, 60)
    return b


RICH = _rich_match().events
RICH_REPORT = analyse_match(RICH, club_name="Home FC").to_dict()


@given(seed=st.randoms(use_true_random=False), duplicates=st.lists(st.integers(0, len(RICH) - 1)))
def test_shuffled_and_duplicated_events_give_the_same_report(seed: random.Random, duplicates):
    events = list(RICH) + [copy.deepcopy(RICH[i]) for i in duplicates]
    seed.shuffle(events)
    assert analyse_match(events, club_name="Home FC").to_dict() == RICH_REPORT


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), duplicates=st.lists(st.integers(0, 3761), max_size=50))
def test_a_real_file_shuffled_and_duplicated_gives_the_same_report(seed: int, duplicates):
    from analytics_files import load_events

    original = load_events(BARCELONA_ALAVES)
    expected = _reference_report(BARCELONA_ALAVES)
    events = list(original) + [original[i] for i in duplicates]
    random.Random(seed).shuffle(events)
    assert analyse_match(events, club_name="Barcelona").to_dict() == expected


_REFERENCE: dict[str, dict] = {}


def _reference_report(name: str) -> dict:
    from analytics_files import load_events

    if name not in _REFERENCE:
        _REFERENCE[name] = analyse_match(load_events(name), club_name="Barcelona").to_dict()
    return _REFERENCE[name]


# ---- junk ---------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _assert_junk_is_handled(events: object, **club) -> None:
    try:
        report = analyse_match(events, **(club or {"club_name": "Home FC"}))
    except EventDataError as exc:
        assert str(exc).endswith(".") and "\n" not in str(exc)
    else:
        assert isinstance(report, MatchReport)
        json.dumps(report.to_dict(), allow_nan=False)


@given(json_values)
def test_random_json_raises_event_data_error(value):
    _assert_junk_is_handled(value)


@given(
    st.lists(st.dictionaries(st.sampled_from(list(RICH[2])), json_values, max_size=8), max_size=6)
)
def test_random_event_like_objects_raise_event_data_error(events):
    _assert_junk_is_handled(events)


PATHS = [
    ("id",),
    ("index",),
    ("period",),
    ("timestamp",),
    ("minute",),
    ("second",),
    ("type",),
    ("type", "name"),
    ("team",),
    ("team", "id"),
    ("team", "name"),
    ("player",),
    ("player", "id"),
    ("player", "name"),
    ("position",),
    ("possession",),
    ("possession_team",),
    ("possession_team", "id"),
    ("pass",),
    ("pass", "outcome"),
    ("pass", "end_location"),
    ("pass", "length"),
    ("pass", "cross"),
    ("pass", "type"),
    ("pass", "goal_assist"),
    ("shot",),
    ("shot", "outcome"),
    ("shot", "outcome", "name"),
    ("shot", "statsbomb_xg"),
    ("shot", "key_pass_id"),
    ("shot", "type"),
    ("duel",),
    ("duel", "type"),
    ("duel", "outcome"),
    ("goalkeeper",),
    ("goalkeeper", "type"),
    ("bad_behaviour",),
    ("bad_behaviour", "card"),
    ("tactics",),
    ("tactics", "lineup"),
    ("tactics", "lineup", 0),
    ("tactics", "lineup", 0, "player"),
    ("tactics", "lineup", 0, "jersey_number"),
    ("substitution",),
    ("substitution", "replacement"),
    ("substitution", "replacement", "id"),
]


def _mutate(event: dict, path: tuple, value: object, delete: bool) -> None:
    target: object = event
    for step in path[:-1]:
        try:
            target = target[step]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return
    last = path[-1]
    if isinstance(target, dict) and isinstance(last, str):
        if delete:
            target.pop(last, None)
        else:
            target[last] = value
    elif isinstance(target, list) and isinstance(last, int) and last < len(target):
        if delete:
            del target[last]
        else:
            target[last] = value


mutations = st.lists(
    st.tuples(st.integers(0, len(RICH) - 1), st.sampled_from(PATHS), json_values, st.booleans()),
    min_size=1,
    max_size=4,
)


@settings(max_examples=300)
@given(mutations, st.sampled_from(["Home FC", "away united", "Away", "Hme FC", "Nobody"]))
def test_corrupted_matches_raise_event_data_error_or_analyse(changes, club):
    events = copy.deepcopy(RICH)
    for position, path, value, delete in changes:
        _mutate(events[position], path, value, delete)
    _assert_junk_is_handled(events, club_name=club)
