"""Advanced metrics (statistics.md "Advanced metrics"): hand-computed cases for every rule, the
pitch scaling, and the figures of the four shared files checked against independent
implementations written here on the raw StatsBomb JSON."""

from __future__ import annotations

import math

import pytest
from analytics_builder import AWAY, HOME, MatchBuilder, pid
from analytics_files import (
    ALL_FILES,
    ARGENTINA_CROATIA,
    BARCELONA_ALAVES,
    load_events,
)

from spinta import analytics
from spinta.analytics.advanced import analyse_advanced
from spinta.analytics.catalogue import ADVANCED, ADVANCED_BY_KEY, BY_KEY
from spinta.analytics.pitch import PITCHES, Pitch, pitch_for
from spinta.analytics.providers import read_match
from spinta.analytics.rules.sequences import bucket
from spinta.analytics.rules.threat import grid, zone, zone_value

H, A = HOME["id"], AWAY["id"]


def _pass(b, team, no, start, end, *, at=1.0, outcome=None, kind=None):
    detail = {"end_location": list(end)}
    if outcome:
        detail["outcome"] = {"id": 0, "name": outcome}
    if kind:
        detail["type"] = {"id": 0, "name": kind}
    return b.add("Pass", team, at=at, player_no=no, location=list(start), **{"pass": detail})


def _carry(b, team, no, start, end, *, at=1.0):
    return b.add(
        "Carry", team, at=at, player_no=no, location=list(start), carry={"end_location": list(end)}
    )


def _advanced(b, pitch=None):
    return analyse_advanced(read_match(b.events), pitch)


# ---- catalogue ------------------------------------------------------------------------------


def test_every_advanced_metric_is_a_catalogue_entry_apart_from_the_box_score():
    keys = [stat.key for stat in ADVANCED]
    assert len(keys) == len(set(keys)) and not set(keys) & set(BY_KEY)
    shown = ("progressive_passes", "progressive_carries", "expected_threat", "ppda", "field_tilt")
    for metric in shown:
        assert ADVANCED_BY_KEY[metric].phrases
    # the box score's rows are untouched (the store helper derives them from CATALOGUE)
    assert "progressive_passes" not in analytics.PLAYER_STAT_FIELDS
    for stat in ADVANCED:
        if stat.parts:
            assert all(part in ADVANCED_BY_KEY for part in stat.parts)


# ---- progressive passes ---------------------------------------------------------------------


def test_progressive_passes_by_hand():
    b = MatchBuilder()
    _pass(b, HOME, 2, (50, 40), (62, 40))  # nothing before: 62 - 50 = 12 >= 10: yes
    _pass(b, HOME, 3, (62, 40), (70, 40))  # furthest so far 62: 8: no
    _pass(b, HOME, 4, (70, 40), (75, 40))  # furthest 70: 5: no
    _pass(b, HOME, 5, (40, 40), (70, 40))  # starts in the defending 40% (x < 48): no
    _pass(b, HOME, 6, (75, 40), (103, 40))  # ends in the penalty area (and gains 28): yes
    _pass(b, HOME, 7, (110, 5), (104, 50))  # goes back, but ends in the penalty area: yes
    _pass(b, HOME, 8, (119, 1), (110, 40), kind="Corner")  # a set piece: no
    _pass(b, HOME, 9, (60, 40), (100, 40), outcome="Incomplete")  # not completed: no
    b.new_possession(AWAY)
    _pass(b, AWAY, 2, (55, 10), (64.9, 10))  # 9.9: no
    _pass(b, AWAY, 3, (64.9, 10), (74.9, 10))  # exactly 10 over its furthest point: yes
    report = _advanced(b)
    assert report.teams[H]["progressive_passes"] == 3
    assert report.teams[A]["progressive_passes"] == 1
    assert report.player(H, pid(HOME, 2))["progressive_passes"] == 1
    assert report.player(H, pid(HOME, 6))["progressive_passes"] == 1
    assert report.player(H, pid(HOME, 7))["progressive_passes"] == 1
    assert report.player(H, pid(HOME, 3))["progressive_passes"] == 0
    assert report.player(A, pid(AWAY, 3))["progressive_passes"] == 1


@pytest.mark.parametrize(("backwards", "expected"), [(5, 0), (6, 1)])
def test_the_furthest_point_looks_back_six_passes_and_carries(backwards, expected):
    b = MatchBuilder()
    _pass(b, HOME, 2, (50, 40), (90, 40))  # reaches x = 90
    for _ in range(backwards):
        _carry(b, HOME, 3, (55, 40), (55, 40))
    _pass(b, HOME, 4, (60, 40), (75, 40))  # 15 past 60, but 15 short of 90 while it counts
    report = _advanced(b)
    assert report.player(H, pid(HOME, 4))["progressive_passes"] == expected


def test_a_new_possession_forgets_the_furthest_point():
    b = MatchBuilder()
    _pass(b, HOME, 2, (50, 40), (90, 40))
    b.new_possession(HOME)
    _pass(b, HOME, 4, (60, 40), (75, 40))  # 15 from its own start: yes
    assert _advanced(b).player(H, pid(HOME, 4))["progressive_passes"] == 1


def test_progressive_carries_by_hand():
    b = MatchBuilder()
    _carry(b, HOME, 2, (50, 40), (65, 40))  # 15, ends past halfway: yes
    _carry(b, HOME, 3, (30, 40), (55, 40))  # 25, but ends in the defending 50% (x < 60): no
    _carry(b, HOME, 4, (40, 40), (61, 40))  # starts deep (no 40% rule for carries), 21 past 40
    #                                          but only -4 past 65 reached before: no
    b.new_possession(HOME)
    _carry(b, HOME, 5, (40, 40), (61, 40))  # new possession: 21: yes
    _carry(b, HOME, 6, (61, 40), (70, 40))  # 9: no
    _carry(b, HOME, 7, (100, 5), (103, 30))  # into the penalty area: yes
    report = _advanced(b)
    assert report.teams[H]["progressive_carries"] == 3
    assert [report.player(H, pid(HOME, n))["progressive_carries"] for n in range(2, 8)] == [
        1, 0, 0, 1, 0, 1,
    ]  # fmt: skip
    assert report.teams[H]["progressive_passes"] == 0


def test_distances_scale_with_the_pitch_format():
    assert pitch_for("9v9") == Pitch(80.0, 50.0) and pitch_for(None) == PITCHES["11v11"]
    b = MatchBuilder()
    _pass(b, HOME, 2, (40, 20), (47, 20))  # 7 yards: >= 10 * 80 / 120 on 9v9, < 10 on 11v11
    _pass(b, HOME, 3, (50, 25), (69, 25))  # 9v9 penalty area: x >= 80 - 12, 11.25 <= y <= 38.75
    nine = _advanced(b, PITCHES["9v9"])
    eleven = _advanced(b)
    assert nine.player(H, pid(HOME, 2))["progressive_passes"] == 1
    assert eleven.player(H, pid(HOME, 2))["progressive_passes"] == 0  # also starts below 48
    assert nine.player(H, pid(HOME, 3))["progressive_passes"] == 1
    assert eleven.player(H, pid(HOME, 3))["progressive_passes"] == 1  # 19 yards on 11v11 too
    assert PITCHES["9v9"].in_penalty_area(68, 11.25) and not PITCHES["9v9"].in_penalty_area(
        67.9, 20
    )
    assert PITCHES["11v11"].in_penalty_area(102, 18) and not PITCHES["11v11"].in_penalty_area(
        102, 17.9
    )


# ---- PPDA and field tilt --------------------------------------------------------------------


def test_ppda_and_field_tilt_by_hand():
    b = MatchBuilder()
    b.new_possession(AWAY)
    for x in (10, 50, 71.9):  # away passes in their own 60% (x < 72): 3
        _pass(b, AWAY, 2, (x, 40), (x + 5, 40))
    _pass(b, AWAY, 2, (72, 40), (80, 40))  # at 72: not in their own 60%
    _pass(b, AWAY, 3, (90, 40), (95, 40))  # a final-third pass of theirs
    b.new_possession(HOME)
    b.add("Duel", HOME, at=2, player_no=4, location=[60, 40], duel={"type": {"name": "Tackle"}})
    b.add("Foul Committed", HOME, at=2, player_no=5, location=[100, 30])
    b.add("Interception", HOME, at=2, player_no=6, location=[48, 30])  # 48: not > 48
    b.add("Duel", HOME, at=2, player_no=4, location=[30, 40])  # in our own half: no
    b.add("Pressure", HOME, at=2, player_no=4, location=[100, 40])  # not a defensive action
    b.add("Duel", AWAY, at=2, player_no=4, location=[60, 40])  # theirs, in our own 60%
    _pass(b, HOME, 7, (85, 40), (90, 40))  # final third: ours 3 (80 counts, 79.9 does not)
    _pass(b, HOME, 7, (80, 40), (90, 40), outcome="Incomplete")
    _pass(b, HOME, 8, (100, 40), (110, 40))
    _pass(b, HOME, 8, (79.9, 40), (90, 40))
    report = _advanced(b)
    ours, theirs = report.teams[H], report.teams[A]
    # ours: 3 away passes / 2 defensive actions (duel at 60, foul at 100)
    assert (ours["ppda_opponent_passes"], ours["ppda_defensive_actions"]) == (3, 2)
    assert ours["ppda"] == 1.5
    # theirs: none of our passes starts in our own 60% (x < 72): 0 / 1
    assert (theirs["ppda_opponent_passes"], theirs["ppda_defensive_actions"]) == (0, 1)
    assert theirs["ppda"] == 0
    # field tilt: ours 3 of 4 final-third passes, theirs 1 of 4
    assert (ours["field_tilt_ours"], ours["field_tilt_both"]) == (3, 4)
    assert ours["field_tilt"] == 75.0 and theirs["field_tilt"] == 25.0


def test_ppda_is_null_without_defensive_actions_and_tilt_without_final_third_passes():
    b = MatchBuilder()
    _pass(b, HOME, 2, (10, 40), (20, 40))
    report = _advanced(b)
    assert report.teams[A]["ppda"] is None and report.teams[A]["ppda_opponent_passes"] == 1
    assert report.teams[H]["field_tilt"] is None


# ---- expected threat ------------------------------------------------------------------------


def test_the_xt_grid_is_karun_singhs_12_by_8():
    values = grid()
    assert len(values) == 8 and all(len(row) == 12 for row in values)
    assert values[0][0] == 0.00638303 and values[3][11] == 0.25745362
    assert values == values[::-1]  # symmetric across the width
    assert zone_value(120, 80, PITCHES["11v11"]) == values[7][11]  # the far edge: last zone
    assert zone_value(0, 0, PITCHES["11v11"]) == values[0][0]


def test_expected_threat_by_hand():
    b = MatchBuilder()
    _pass(b, HOME, 2, (5, 5), (115, 45))  # zone (0, 0) 0.00638303 -> (11, 4) 0.25745362
    _carry(b, HOME, 2, (115, 45), (105, 45))  # (11, 4) -> (10, 4) 0.10805102
    _pass(b, HOME, 3, (5, 5), (115, 45), outcome="Incomplete")  # not completed: nothing
    _pass(b, HOME, 3, (52, 42), (55, 45))  # (5, 4) -> (5, 4): 0
    report = _advanced(b)
    expected = (0.25745362 - 0.00638303) + (0.10805102 - 0.25745362)
    assert math.isclose(report.player(H, pid(HOME, 2))["expected_threat"], expected)
    assert math.isclose(report.teams[H]["expected_threat"], 0.10166799)
    assert report.player(H, pid(HOME, 3))["expected_threat"] == 0
    per90 = report.player_per90(H, pid(HOME, 2), 45.0)
    assert math.isclose(per90["expected_threat"], 2 * expected)


def test_expected_threat_zones_scale_with_the_pitch():
    # on a 7v7 pitch (60 x 40) x = 57.5, y = 22.5 is column 11, row 4
    assert zone_value(57.5, 22.5, PITCHES["7v7"]) == 0.25745362


def test_a_point_on_a_zone_boundary_is_in_the_zone_before_it():
    """socceraction's binning of StatsBomb locations: x = 60 ends column 5 (the cell ending at
    the location), 60.1 starts column 6; the same across the width."""
    pitch = PITCHES["11v11"]
    assert zone(60, 20, pitch) == (1, 5)
    assert zone(60.1, 20.1, pitch) == (2, 6)
    assert zone(0, 0, pitch) == (0, 0) and zone(120, 80, pitch) == (7, 11)
    b = MatchBuilder()
    _pass(b, HOME, 2, (50, 35), (60, 35))  # column 4 -> 5
    _pass(b, HOME, 2, (50, 35), (60.1, 35))  # column 4 -> 6
    values = grid()
    report = _advanced(b)
    expected = (values[3][5] - values[3][4]) + (values[3][6] - values[3][4])
    assert math.isclose(report.teams[H]["expected_threat"], expected)


# ---- pass strings and possession sequences --------------------------------------------------


def test_pass_strings_and_possession_sequences_by_hand():
    b = MatchBuilder()
    for _ in range(3):  # possession 1, home: C C C X C C -> longest 3 -> 3-5
        _pass(b, HOME, 2, (50, 40), (55, 40))
    _pass(b, HOME, 2, (50, 40), (55, 40), outcome="Incomplete")
    _pass(b, HOME, 2, (50, 40), (55, 40))
    _pass(b, HOME, 2, (50, 40), (55, 40))
    b.new_possession(AWAY)  # possession 2, away: 6 -> 6-8
    for _ in range(6):
        _pass(b, AWAY, 2, (50, 40), (55, 40))
    b.new_possession(HOME)  # possession 3, home: 9 with carries between -> 9+
    for _ in range(9):
        _pass(b, HOME, 2, (50, 40), (55, 40))
        _carry(b, HOME, 3, (55, 40), (56, 40))
    b.new_possession(HOME)  # possession 4, home: 2 -> no bucket
    _pass(b, HOME, 2, (50, 40), (55, 40))
    _pass(b, HOME, 2, (50, 40), (55, 40))
    b.new_possession(HOME)  # possession 5: C C, their pass, C C C -> longest 3
    _pass(b, HOME, 2, (50, 40), (55, 40))
    _pass(b, HOME, 2, (50, 40), (55, 40))
    _pass(b, AWAY, 2, (50, 40), (55, 40))
    for _ in range(3):
        _pass(b, HOME, 2, (50, 40), (55, 40))
    report = _advanced(b)
    home, away = report.teams[H], report.teams[A]
    assert (home["pass_strings_3_5"], home["pass_strings_6_8"], home["pass_strings_9_plus"]) == (
        2,
        0,
        1,
    )
    assert (away["pass_strings_3_5"], away["pass_strings_6_8"], away["pass_strings_9_plus"]) == (
        0,
        1,
        0,
    )
    sequences = report.sequences
    assert [s.team_id for s in sequences] == [H, A, H, H, H]
    assert [s.pass_string for s in sequences] == [3, 6, 9, 2, 3]
    assert [s.passes for s in sequences] == [6, 6, 9, 2, 5]  # the possession team's passes
    assert [s.completed_passes for s in sequences] == [5, 6, 9, 2, 5]
    assert sequences[0].events == 2 + 6  # the two Starting XI events open possession 1
    assert [s.number for s in sequences] == [1, 2, 3, 4, 5]
    assert [bucket(n) for n in (2, 3, 5, 6, 8, 9, 40)] == [
        None, "pass_strings_3_5", "pass_strings_3_5", "pass_strings_6_8", "pass_strings_6_8",
        "pass_strings_9_plus", "pass_strings_9_plus",
    ]  # fmt: skip


def test_the_shootout_counts_for_no_advanced_metric():
    b = MatchBuilder()
    _pass(b, HOME, 2, (50, 40), (103, 40))
    b.add("Pass", HOME, period=5, at=1, player_no=3, location=[50, 40],
          **{"pass": {"end_location": [103, 40]}})  # fmt: skip
    report = _advanced(b)
    assert report.teams[H]["progressive_passes"] == 1
    assert all(s.period != 5 for s in report.sequences)


def test_analyse_match_carries_the_advanced_report():
    b = MatchBuilder()
    _pass(b, HOME, 2, (50, 40), (103, 40))
    report = analytics.analyse_match(b.events, club_name="Home FC")
    assert report.advanced.teams[H]["progressive_passes"] == 1
    assert "advanced" not in report.to_dict()  # the analysis report's keys are unchanged


# ---- the shared files: independent implementations on the raw JSON --------------------------


def _regular(events):
    seen, out = set(), []
    for event in sorted(events, key=lambda e: e["index"]):
        if event["id"] not in seen and event["period"] <= 4:
            seen.add(event["id"])
            out.append(event)
    return out


def _fbref(events, team_id):
    """FBref's progressive passes and carries of a team, written again from statistics.md."""
    passes = carries = 0
    history, possession = {}, None
    for e in _regular(events):
        kind = e["type"]["name"]
        if kind not in ("Pass", "Carry") or "location" not in e:
            continue
        if e["possession"] != possession:
            history, possession = {}, e["possession"]
        mine = history.setdefault(e["team"]["id"], [])
        x = e["location"][0]
        detail = e.get("pass") if kind == "Pass" else e.get("carry")
        end = detail["end_location"]
        completed = kind == "Carry" or "outcome" not in detail
        reference = max([*mine[-6:], x])
        in_box = end[0] >= 102 and 18 <= end[1] <= 62
        progressive = end[0] - reference >= 10 or in_box
        if e["team"]["id"] == team_id and completed and progressive:
            if kind == "Pass":
                set_piece = detail.get("type", {}).get("name") in (
                    "Corner", "Free Kick", "Throw-in", "Goal Kick", "Kick Off",
                )  # fmt: skip
                passes += x >= 48 and not set_piece
            else:
                carries += end[0] >= 60
        mine.append(max(x, end[0]) if completed else x)
    return passes, carries


@pytest.mark.parametrize("name", ALL_FILES)
def test_progressive_actions_equal_an_independent_fbref_implementation(name):
    events = load_events(name)
    match = read_match(events)
    report = analyse_advanced(match)
    for team in match.teams:
        assert (
            report.teams[team.id]["progressive_passes"],
            report.teams[team.id]["progressive_carries"],
        ) == _fbref(events, team.id), team.name


def _xt_reference(events, team_id):
    """xT written again: socceraction's binning of StatsBomb locations (the cell ending at the
    location: ceil(x / 10) - 1 columns, ceil(y / 10) - 1 rows, clipped) on the grid."""
    values = grid()
    total = 0.0

    def cell(point):
        column = min(max(math.ceil(point[0] / 10) - 1, 0), 11)
        row = min(max(math.ceil(point[1] / 10) - 1, 0), 7)
        return values[row][column]

    for e in _regular(events):
        if e["team"]["id"] != team_id or "location" not in e:
            continue
        if e["type"]["name"] == "Pass" and "outcome" not in e["pass"]:
            total += cell(e["pass"]["end_location"]) - cell(e["location"])
        elif e["type"]["name"] == "Carry":
            total += cell(e["carry"]["end_location"]) - cell(e["location"])
    return total


@pytest.mark.parametrize("name", ALL_FILES)
def test_expected_threat_equals_an_independent_implementation(name):
    events = load_events(name)
    match = read_match(events)
    report = analyse_advanced(match)
    for team in match.teams:
        assert math.isclose(
            report.teams[team.id]["expected_threat"], _xt_reference(events, team.id), abs_tol=1e-9
        )
        players = sum(v["expected_threat"] for (t, _), v in report.players.items() if t == team.id)
        assert math.isclose(players, report.teams[team.id]["expected_threat"], abs_tol=1e-9)


def test_ppda_and_field_tilt_of_argentina_croatia_written_out():
    """Argentina 3-0 Croatia, 2022-12-13, counted here from the raw events:
    Croatia's passes starting at x < 72: 441; Argentina's duels, interceptions and fouls at
    x > 48: 33 -> Argentina's PPDA 441 / 33 = 13.36. Argentina's passes at x < 72: 308;
    Croatia's actions: 21 -> 14.67. Final-third passes (start x >= 80): Argentina 86, Croatia
    152 -> field tilt 36.1% and 63.9%."""
    events = _regular(load_events(ARGENTINA_CROATIA))
    argentina, croatia = 779, 785

    def passes_own_60(team):
        return sum(
            1 for e in events
            if e["type"]["name"] == "Pass" and e["team"]["id"] == team and e["location"][0] < 72
        )  # fmt: skip

    def actions_high(team):
        kinds = ("Duel", "Interception", "Foul Committed")
        return sum(
            1 for e in events
            if e["type"]["name"] in kinds and e["team"]["id"] == team and e["location"][0] > 48
        )  # fmt: skip

    def final_third(team):
        return sum(
            1 for e in events
            if e["type"]["name"] == "Pass" and e["team"]["id"] == team and e["location"][0] >= 80
        )  # fmt: skip

    assert (passes_own_60(croatia), actions_high(argentina)) == (441, 33)
    assert (passes_own_60(argentina), actions_high(croatia)) == (308, 21)
    assert (final_third(argentina), final_third(croatia)) == (86, 152)
    report = analyse_advanced(read_match(load_events(ARGENTINA_CROATIA)))
    assert round(report.teams[argentina]["ppda"], 2) == 13.36
    assert round(report.teams[croatia]["ppda"], 2) == 14.67
    assert round(report.teams[argentina]["field_tilt"], 1) == 36.1
    assert round(report.teams[croatia]["field_tilt"], 1) == 63.9


# figures of the four shared files: (team, progressive passes, progressive carries, xT,
# pass strings 3-5, 6-8, 9+), the regression anchor the README quotes
FIGURES = {
    BARCELONA_ALAVES: {"Barcelona": (97, 54, 3.159, 17, 19, 31),
                       "Deportivo Alavés": (11, 11, 0.571, 16, 2, 2)},
    "argentina-mexico-2022-11-26.json": {"Argentina": (33, 33, 1.01, 22, 18, 13),
                                         "Mexico": (22, 17, 0.555, 16, 9, 9)},
    "netherlands-argentina-2022-12-09.json": {"Netherlands": (61, 17, 1.405, 24, 13, 21),
                                              "Argentina": (48, 41, 1.356, 29, 10, 16)},
    ARGENTINA_CROATIA: {"Argentina": (23, 33, 1.342, 20, 9, 9),
                        "Croatia": (46, 38, 1.134, 20, 19, 21)},
}  # fmt: skip


@pytest.mark.parametrize("name", ALL_FILES)
def test_figures_of_the_shared_files(name):
    match = read_match(load_events(name))
    report = analyse_advanced(match)
    for team in match.teams:
        values = report.teams[team.id]
        got = (
            values["progressive_passes"],
            values["progressive_carries"],
            round(values["expected_threat"], 3),
            values["pass_strings_3_5"],
            values["pass_strings_6_8"],
            values["pass_strings_9_plus"],
        )
        assert got == FIGURES[name][team.name]
