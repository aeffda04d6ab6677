"""The StatsBomb provider: raw events -> typed, frozen, provider-neutral events; and the rule
side reads only those (no provider spelling after the provider module)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from analytics_builder import AWAY, HOME, MatchBuilder, pid
from analytics_files import BARCELONA_ALAVES

import spinta.analytics as analytics
from spinta.analytics import domain
from spinta.analytics.domain import (
    CardType,
    EventType,
    PassResult,
    Point,
    Qualifier,
    ShotResult,
)
from spinta.analytics.providers import PROVIDERS, read_match

PACKAGE = Path(__file__).resolve().parents[2] / "spinta" / "analytics"


def _events(builder: MatchBuilder) -> list:
    return list(read_match(builder.events).events)


def test_every_event_becomes_one_neutral_event_and_a_card_follows_its_event():
    b = MatchBuilder()
    b.pass_(HOME, 2, at=5, end_location=[85.0, 40.0], length=35.0, cross=True, goal_assist=True)
    b.card(AWAY, 4, "Second Yellow", at=6, foul=True)
    b.add("Ball Receipt*", HOME, at=7, player_no=3, location=[50, 20])
    b.add("Something New", HOME, at=8)
    events = _events(b)
    assert [e.type for e in events] == [
        EventType.GENERIC,  # the two Starting XI: their lineups are the match's sheets
        EventType.GENERIC,
        EventType.PASS,
        EventType.FOUL_COMMITTED,
        EventType.CARD,
        EventType.BALL_RECEIPT,
        EventType.GENERIC,
    ]
    pass_, foul, card, receipt = events[2], events[3], events[4], events[5]
    assert pass_.result is PassResult.COMPLETE
    assert pass_.qualifiers == {Qualifier.CROSS, Qualifier.ASSIST}
    assert pass_.end_coordinates == Point(85.0, 40.0) and pass_.length == 35.0
    assert card.card is CardType.SECOND_YELLOW and card.event_id == foul.event_id
    assert receipt.coordinates == Point(50, 20)
    assert receipt.player == domain.Player(pid(HOME, 3), "Home FC #3")
    assert receipt.team == domain.Team(HOME["id"], HOME["name"])


def test_teams_and_players_are_shared_objects_and_events_are_immutable():
    b = MatchBuilder()
    first = b.pass_(HOME, 2, at=5)
    b.pass_(HOME, 2, at=6)
    events = _events(b)
    one, two = events[2], events[3]
    assert one.player is two.player and one.team is two.team
    assert one.event_id == first["id"]
    with pytest.raises(AttributeError):
        one.result = PassResult.INCOMPLETE  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.player.name = "x"  # type: ignore[misc]
    assert not hasattr(one, "__dict__") and not hasattr(one.player, "__dict__")


@pytest.mark.parametrize(
    ("outcome", "result"),
    [
        ("Goal", ShotResult.GOAL),
        ("Saved", ShotResult.SAVED),
        ("Saved To Post", ShotResult.SAVED),
        ("Post", ShotResult.POST),
        ("Off T", ShotResult.OFF_TARGET),
        ("Wayward", ShotResult.OFF_TARGET),
        ("Saved Off Target", ShotResult.OFF_TARGET),
        ("Blocked", ShotResult.BLOCKED),
        ("Something Else", None),
    ],
)
def test_shot_outcomes_become_kloppy_results(outcome, result):
    b = MatchBuilder()
    b.shot(HOME, 9, outcome, at=5, xg=0.25)
    shot = _events(b)[2]
    assert shot.type is EventType.SHOT and shot.result is result and shot.xg == 0.25


def test_own_goals_are_a_shot_own_goal_and_an_own_goal_for():
    b = MatchBuilder()
    b.add("Own Goal Against", AWAY, at=30, player_no=5)
    b.add("Own Goal For", HOME, at=30)
    against, credit = _events(b)[2:]
    assert (against.type, against.result) == (EventType.SHOT, ShotResult.OWN_GOAL)
    assert against.team.id == AWAY["id"] and against.player.id == pid(AWAY, 5)
    assert credit.type is EventType.OWN_GOAL_FOR and credit.team.id == HOME["id"]


def test_locations_that_are_not_two_finite_numbers_are_no_coordinates():
    b = MatchBuilder()
    for location in ([1.0], ["1", 2.0], [True, 2.0], [float("inf"), 1.0], None, [3, 4, 5]):
        b.add("Carry", HOME, at=1, player_no=2, location=location)
    coordinates = [event.coordinates for event in _events(b)[2:]]
    assert coordinates == [None, None, None, None, None, Point(3, 4)]


def test_a_pass_end_without_y_keeps_its_x_for_the_final_third():
    b = MatchBuilder()
    b.pass_(HOME, 2, at=5, end_location=[85.0])
    b.pass_(HOME, 2, at=6, end_location=[85.0, "?"])
    passes = _events(b)[2:]
    assert [(e.end_x, e.end_y, e.end_coordinates) for e in passes] == [(85.0, None, None)] * 2
    report = analytics.analyse_match(b.events, club_name="Home FC")
    assert report.our_team_stats.final_third_passes == 2


def test_possession_runs_and_period_ends_are_read_once():
    b = MatchBuilder()
    b.pass_(HOME, 2, at=10)
    b.new_possession(AWAY)
    b.pass_(AWAY, 2, at=20)
    b.pass_(AWAY, 3, at=25, period=2)
    match = read_match(b.events)
    assert [(run.team.id, run.period, run.start) for run in match.possessions] == [
        (HOME["id"], 1, 0.0),
        (AWAY["id"], 1, 20.0),
        (AWAY["id"], 2, 25.0),
    ]
    assert match.period_ends == {1: 20.0, 2: 25.0}
    assert [entry.player.id for entry in match.starting[HOME["id"]]][:2] == [101, 102]


def test_the_registry_names_each_provider_once():
    assert set(PROVIDERS) == {"statsbomb"}
    with pytest.raises(KeyError):
        read_match([], provider="opta")


def test_a_real_file_reads_into_neutral_events(load_events):
    match = read_match(load_events(BARCELONA_ALAVES))
    kinds = {event.type for event in match.events}
    assert {EventType.PASS, EventType.SHOT, EventType.CARRY, EventType.BALL_RECEIPT} <= kinds
    assert len(match.event_ids) == len(match.raw_events) <= len(match.events)
    assert all(0 <= event.x <= 120 and 0 <= event.y <= 80 for event in match.events if event.x)


# Words only a provider may use: raw field names, raw type names and outcome spellings
# (the neutral FOUL_COMMITTED is kloppy's: the raw key is matched case-sensitively).
PROVIDER_WORDS = re.compile(
    r"statsbomb|own goal for|own goal against|(?-i:foul_committed|bad_behaviour)|\.raw\b|"
    r"\"type\"|\"outcome\"|\"location\"|goal keeper|ball receipt|starting xi|tactical shift",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "path",
    [
        *sorted((PACKAGE / "rules").glob("*.py")),
        PACKAGE / "domain.py",
        PACKAGE / "match.py",
        PACKAGE / "catalogue.py",
    ],
    ids=lambda path: path.name,
)
def test_after_the_provider_nothing_reads_provider_spellings(path):
    if not path.exists():
        pytest.skip(f"{path.name} does not exist yet")
    code = "\n".join(line.split("#")[0] for line in path.read_text().splitlines())
    code = re.sub(r'""".*?"""', "", code, flags=re.DOTALL)  # docstrings may name them
    assert PROVIDER_WORDS.findall(code) == []


def test_first_teams_and_listed_ids_read_the_raw_file_before_any_analysis():
    from spinta.analytics import providers

    raw = [
        {"id": "a", "team": {"id": 1, "name": "Home"}},
        "not an event",
        {"id": 7, "team": {"id": "1", "name": "Bad id"}},
        {"id": "b", "team": {"id": 1, "name": "Home again"}},
        {"id": "c", "team": {"id": 2, "name": "Away"}},
        {"id": "d", "team": {"id": 3, "name": "Never read"}},
    ]
    assert providers.first_teams(raw) == [(1, "Home"), (2, "Away")]
    assert providers.first_teams(raw[:2]) == [(1, "Home")]
    assert providers.first_teams({"events": raw}) == []
    assert providers.listed_event_ids(raw) == ["a", "b", "c", "d"]
    assert providers.listed_event_ids("text") == []
