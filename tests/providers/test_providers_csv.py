"""Spinta's CSV tagging template: the template itself uploads, every action counts where
statistics.md says, and every bad row is refused with its row number."""

from __future__ import annotations

import pytest

from spinta.analytics import analyse_match
from spinta.analytics.errors import EventDataError
from spinta.analytics.providers import detect, read_file
from spinta.analytics.providers.csv_tagging import ACTIONS, TEMPLATE

HEADER = "period,clock,team,player,number,action,outcome,x,y\n"


def _report(text: str, our_team: str = "Spinta FC"):
    return analyse_match(read_file("csv", text.encode()), our_team=our_team)


def test_the_template_is_detected_and_gives_a_report():
    assert detect(TEMPLATE.encode()) == "csv"
    report = _report(TEMPLATE)
    ours, theirs = report.our_team_stats, report.opponent_stats
    assert (report.score.our, report.score.opponent) == (1, 0)
    assert ours.total_shots == 2 and ours.goals == 1 and ours.shots_off_target == 1
    assert theirs.total_shots == 1 and theirs.shots_on_target == 1
    assert ours.total_passes == 2 and ours.passes_completed == 2
    assert ours.goalkeeper_saves == 1
    assert theirs.total_tackles == 1 and theirs.tackles_won == 1
    assert theirs.fouls_committed == 1 and theirs.yellow_cards == 1
    assert theirs.interceptions == 1
    assert ours.expected_goals > 0  # Spinta's shot model from x, y
    goal = report.goals[0]
    assert (goal.minute, goal.second, goal.scorer_name, goal.assist_name) == (
        18,
        33,
        "Sam Ortiz",
        "Leo Diaz",
    )
    minutes = {p.player_name: p.minutes_played for p in report.player_stats}
    assert minutes["Kim Lee"] < minutes["Sam Ortiz"]  # came on for him at 52:00
    assert "#4" in minutes  # a player given by number only
    assert set(ACTIONS) == {"pass", "shot", "goal", "tackle", "interception", "save", "foul",
                            "card", "substitution"}  # fmt: skip


def test_an_own_goal_counts_for_the_other_side():
    text = HEADER + "1,10:00,A,Ann,,goal,own_goal,,\n1,12:00,B,Bob,,pass,,,\n"
    report = _report(text, our_team="B")
    assert (report.score.our, report.score.opponent) == (1, 0)
    assert report.goals[0].own_goal and report.goals[0].scorer_name == "Ann"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("1,1x:00,A,Ann,,pass,,,\n", "Row 2: 'clock' must be minutes:seconds"),
        ("1,10:00,A,Ann,,pass,,,\n1,10:61,B,Bob,,pass,,,\n", "Row 3: 'clock' has 61 seconds"),
        ("7,10:00,A,Ann,,pass,,,\n", "Row 2: 'period' must be a whole number from 1 to 4"),
        ("1,10:00,A,Ann,,dance,,,\n", "Row 2: 'dance' is not an action"),
        ("1,10:00,A,Ann,,pass,maybe,,\n", "Row 2: 'maybe' is not an outcome of pass"),
        ("1,10:00,A,,,pass,,,\n", "Row 2: give the player's name or number"),
        ("1,10:00,A,Ann,120,pass,,,\n", "Row 2: 'number' must be a whole number from 0 to 99"),
        ("1,10:00,A,Ann,,pass,,150,3\n", "Row 2: 'x' and 'y' must be from 0 to 100"),
        ("1,10:00,A,Ann,,pass,,abc,3\n", "Row 2: 'x' and 'y' must both be numbers"),
        (
            "1,10:00,A,Ann,,pass,,,\n1,11:00,B,Bob,,pass,,,\n1,12:00,C,Cy,,pass,,,\n",
            "Row 4: a third team 'C'",
        ),
        ("1,10:00,A,Ann,,pass,,,\n", "needs events of exactly two teams"),
        ("1,10:00,A,Ann,,substitution,,,\n", "Row 2: a substitution needs the player coming on"),
        ("1,10:00,,Ann,,pass,,,\n", "Row 2: 'team' is empty"),
    ],
)
def test_bad_rows_are_refused_naming_the_row(rows, message):
    with pytest.raises(EventDataError) as info:
        _report(HEADER + rows, our_team="A")
    assert message in str(info.value)


def test_a_file_without_the_columns_or_not_utf8_is_refused():
    with pytest.raises(EventDataError, match="header lacks period, clock"):
        read_file("csv", b"when,who,what\n1,2,3\n")
    with pytest.raises(EventDataError, match="not UTF-8"):
        read_file("csv", HEADER.encode() + b"1,10:00,\xff,Ann,,pass,,,\n")


def test_blank_rows_and_column_order_and_case_do_not_matter():
    text = "Team,Action,Period,Clock,Player\nA,pass,1,1:00,Ann\n,,,,\nB,shot,2,50:00,Bob\n"
    report = _report(text, our_team="a")
    assert report.our_team_stats.total_passes == 1 and report.opponent_stats.total_shots == 1
