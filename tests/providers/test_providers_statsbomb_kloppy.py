"""StatsBomb's native reader against the same files read through kloppy and Spinta's kloppy
mapping: a test of the mapping every other provider goes through.

The reports agree on every statistic except these documented differences (README, "Match data
from every provider"):

- final_third_passes: kloppy reads StatsBomb's coordinates as cell centres (half a yard back),
  so a pass ending exactly at x=80 is short of the final third;
- interceptions, clearances: kloppy also makes interceptions of StatsBomb's interception-type
  passes and clearances of some goalkeeper actions;
- possession_percentage: kloppy's ball owner instead of StatsBomb's possession chains (within 1
  point);
- an own goal's minute comes from the period clock (StatsBomb's own `minute` field may say
  otherwise) and kloppy drops the player of "Own Goal Against".
"""

from __future__ import annotations

import json

import pytest
from provider_files import read

from spinta.analytics import analyse_match
from spinta.analytics.providers.kloppy_loading import load

pytestmark = pytest.mark.filterwarnings("ignore")

FILES = [
    ("statsbomb_event.json", "statsbomb_lineup.json"),
    ("statsbomb_15986_event.json", "statsbomb_15986_lineup.json"),
    ("statsbomb_3788741_event.json", "statsbomb_3788741_lineup.json"),
]
DIFFERENT = {
    "final_third_passes",
    "interceptions",
    "interceptions_won",
    "interception_success_rate",
    "clearances",
    "possession_percentage",
}


@pytest.mark.parametrize(("events_name", "lineup_name"), FILES)
def test_statsbomb_through_kloppy_gives_the_same_report(events_name, lineup_name):
    from kloppy import statsbomb

    events = json.loads(read(events_name))
    club = events[0]["team"]["name"]
    native = analyse_match(events, club_name=club).to_dict()
    files = {
        "event_data": (read(events_name), "events file"),
        "lineup_data": (read(lineup_name), "lineups file"),
    }
    through = analyse_match(load("statsbomb", "StatsBomb", statsbomb.load, files), club_name=club)
    through = through.to_dict()

    for mine, theirs in zip(native["team_statistics"], through["team_statistics"], strict=True):
        same = {k: v for k, v in mine.items() if k not in DIFFERENT}
        assert same == {k: v for k, v in theirs.items() if k not in DIFFERENT}
        assert abs(mine["possession_percentage"] - theirs["possession_percentage"]) < 1.0
        assert mine["final_third_passes"] >= theirs["final_third_passes"]
    players = {p["player_id"]: p for p in through["player_statistics"]}
    assert {p["player_id"] for p in native["player_statistics"]} == set(players)
    for mine in native["player_statistics"]:
        theirs = players[mine["player_id"]]
        assert mine["minutes_played"] == pytest.approx(theirs["minutes_played"], abs=0.01)
        for name in ("goals", "assists", "total_shots", "expected_goals", "total_passes"):
            assert mine[name] == pytest.approx(theirs[name]), (mine["player_name"], name)
    scorers = [(g["scorer_name"], g["assist_name"]) for g in native["goals"] if not g["own_goal"]]
    theirs = [(g["scorer_name"], g["assist_name"]) for g in through["goals"] if not g["own_goal"]]
    assert scorers == theirs
    assert native["score"] == through["score"]
