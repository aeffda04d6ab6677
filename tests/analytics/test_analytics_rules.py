"""Every rule of statistics.md on tiny hand-made event lists (see analytics_builder)."""

from __future__ import annotations

import copy
import json

import pytest
from analytics_builder import AWAY, HOME, MatchBuilder, pid, player

from spinta.analytics import (
    PLAYER_COUNT_FIELDS,
    PLAYER_STAT_FIELDS,
    TEAM_STAT_FIELDS,
    MatchReport,
    PlayerStats,
    Score,
    TeamStats,
    analyse_match,
    prepare_events,
)


def analyse(builder: MatchBuilder, club: str = "Home FC", **kwargs) -> MatchReport:
    return analyse_match(builder.events, club_name=club, **kwargs)


def team(report: MatchReport, which: dict) -> TeamStats:
    return next(stats for stats in report.team_stats if stats.team_id == which["id"])


def who(report: MatchReport, which: dict, number: int) -> PlayerStats:
    return next(
        stats
        for stats in report.player_stats
        if stats.team_id == which["id"] and stats.player_id == pid(which, number)
    )


def minutes(report: MatchReport, which: dict, number: int) -> float:
    return who(report, which, number).minutes_played


# ---- report shape ----------------------------------------------------------------------------


def test_report_has_exactly_the_documented_keys_and_is_json():
    b = MatchBuilder()
    b.shot(HOME, 9, "Goal", at=60)
    report = analyse(b)
    data = report.to_dict()
    assert set(data) == {
        "teams",
        "our_team",
        "opponent",
        "score",
        "derived_score",
        "result",
        "penalty_shootout",
        "team_statistics",
        "goals",
        "lineups",
        "player_statistics",
        "warnings",
        "fingerprint",
    }
    assert data["teams"] == [
        {"id": 1, "name": "Home FC", "is_our_team": True},
        {"id": 2, "name": "Away United", "is_our_team": False},
    ]
    assert data["our_team"] == {"id": 1, "name": "Home FC", "matched_by": "exact_name"}
    assert data["opponent"] == {"id": 2, "name": "Away United"}
    for row in data["team_statistics"]:
        assert set(row) == {"team_id", "team_name", "is_our_team", *TEAM_STAT_FIELDS}
    for row in data["player_statistics"]:
        assert set(row) == {
            "player_id",
            "player_name",
            "team_id",
            "team_name",
            "is_starter",
            "per90",
            *PLAYER_STAT_FIELDS,
        }
        assert set(row["per90"]) == set(PLAYER_COUNT_FIELDS)
    assert set(data["goals"][0]) == {
        "minute",
        "second",
        "period",
        "scorer_name",
        "assist_name",
        "is_our_goal",
        "own_goal",
        "penalty",
        "team_id",
        "team_name",
    }
    assert set(data["lineups"][0]["players"][0]) == {
        "player_id",
        "player_name",
        "jersey_number",
        "position",
        "is_starter",
        "minutes_played",
    }
    json.dumps(data, allow_nan=False)
    assert report.our_team_stats.team_id == 1 and report.opponent_stats.team_id == 2
    assert report.our_lineup.team_id == 1 and report.opponent_lineup.team_id == 2


def test_field_constants_match_the_dataclasses():
    team_fields = set(TeamStats.__dataclass_fields__)
    player_fields = set(PlayerStats.__dataclass_fields__)
    assert set(TEAM_STAT_FIELDS) <= team_fields
    assert set(PLAYER_STAT_FIELDS) <= player_fields
    assert team_fields - set(TEAM_STAT_FIELDS) == {"team_id", "team_name", "is_our_team"}


# ---- goals, own goals, assists, penalties ------------------------------------------------------


def test_own_goal_is_one_entry_credited_to_the_other_team():
    b = MatchBuilder()
    b.add("Own Goal Against", HOME, at=600, player_no=5)
    b.add("Own Goal For", AWAY, at=600)
    away_view = analyse(b, "Away United")
    assert away_view.score == Score(1, 0) and away_view.result == "W"
    [goal] = away_view.goals
    assert goal.own_goal is True and goal.is_our_goal is True
    assert goal.scorer_name == "Home FC #5" and goal.scorer_id == pid(HOME, 5)
    assert goal.assist_name is None and goal.penalty is False
    assert (goal.team_id, goal.team_name) == (AWAY["id"], AWAY["name"])
    assert team(away_view, AWAY).goals == 1 and team(away_view, HOME).goals == 0
    scorer = who(away_view, HOME, 5)
    assert scorer.goals == 0 and scorer.own_goals == 1
    assert team(away_view, AWAY).total_shots == 0

    home_view = analyse(b)
    assert home_view.score == Score(0, 1) and home_view.result == "L"
    assert home_view.goals[0].is_our_goal is False and home_view.goals[0].own_goal is True


def test_own_goal_scorer_is_the_nearest_other_team_own_goal_against_in_the_same_period():
    b = MatchBuilder()
    b.add("Own Goal Against", HOME, at=100, player_no=6)  # same team and period, but farther
    b.pass_(HOME, 2, at=200)
    b.pass_(HOME, 2, at=300)
    b.add("Own Goal Against", AWAY, at=599, player_no=7)  # nearest, but the credited team
    b.add("Own Goal For", AWAY, at=600)
    b.add("Own Goal Against", HOME, at=10, period=2, player_no=8)  # nearest, other period
    b.add("Own Goal Against", HOME, at=601, player_no=5)  # the match
    report = analyse(b)
    [goal] = report.goals
    assert goal.scorer_name == "Home FC #5"
    assert report.score == Score(0, 1)


def test_assist_comes_from_the_key_pass_with_goal_assist():
    b = MatchBuilder()
    assist = b.pass_(HOME, 8, at=59, goal_assist=True, shot_assist=False)
    b.shot(HOME, 9, "Goal", at=60, key_pass_id=assist["id"])
    chance = b.pass_(HOME, 7, at=120, shot_assist=True)
    b.shot(HOME, 9, "Goal", at=121, key_pass_id=chance["id"])  # key pass, but no goal assist
    b.shot(AWAY, 9, "Goal", at=300, shot_type="Penalty")
    report = analyse(b)
    first, second, third = report.goals
    assert (first.scorer_name, first.assist_name) == ("Home FC #9", "Home FC #8")
    assert first.assist_id == pid(HOME, 8)
    assert (second.scorer_name, second.assist_name) == ("Home FC #9", None)
    assert third.penalty is True and first.penalty is False and third.is_our_goal is False
    assert [(g.minute, g.second, g.period) for g in report.goals] == [
        (1, 0, 1),
        (2, 1, 1),
        (5, 0, 1),
    ]
    assert who(report, HOME, 8).assists == 1 and who(report, HOME, 8).key_passes == 1
    assert who(report, HOME, 7).assists == 0 and who(report, HOME, 7).key_passes == 1
    assert who(report, HOME, 9).goals == 2


# ---- shootout ----------------------------------------------------------------------------------


def _shootout_match() -> MatchBuilder:
    b = MatchBuilder()
    b.shot(HOME, 9, "Goal", at=100, xg=0.3)
    b.end_period(1, 2700)
    b.shot(AWAY, 9, "Goal", at=200, period=2, xg=0.2)
    b.end_period(2, 2760)
    b.shot(HOME, 9, "Goal", period=5, at=10, shot_type="Penalty", xg=0.78)
    b.add(
        "Goal Keeper",
        AWAY,
        period=5,
        at=11,
        player_no=1,
        goalkeeper={"type": {"name": "Penalty Conceded"}},
    )
    b.shot(AWAY, 9, "Saved", period=5, at=60, shot_type="Penalty", xg=0.78)
    b.add(
        "Goal Keeper",
        HOME,
        period=5,
        at=61,
        player_no=1,
        goalkeeper={"type": {"name": "Penalty Saved"}},
    )
    b.shot(HOME, 10, "Goal", period=5, at=120, shot_type="Penalty", xg=0.78)
    b.shot(AWAY, 10, "Goal", period=5, at=180, shot_type="Penalty", xg=0.78)
    b.pass_(HOME, 4, period=5, at=200)
    b.card(HOME, 4, "Second Yellow", period=5, at=400)
    b.card(AWAY, 3, "Yellow Card", period=5, at=401, foul=True)
    b.end_period(5, 500)
    return b


def test_shootout_counts_only_for_penalty_shootout():
    report = analyse(_shootout_match())
    assert report.score == Score(1, 1) and report.result == "D"
    assert report.penalty_shootout == Score(2, 1)
    assert report.to_dict()["penalty_shootout"] == {"our": 2, "opponent": 1}
    home, away = team(report, HOME), team(report, AWAY)
    assert (home.penalty_shootout_goals, away.penalty_shootout_goals) == (2, 1)
    assert (home.goals, away.goals) == (1, 1)
    assert (home.total_shots, away.total_shots) == (1, 1)
    assert home.expected_goals == pytest.approx(0.3) and away.expected_goals == pytest.approx(0.2)
    assert home.goalkeeper_saves == 0 and home.total_passes == 0
    assert home.red_cards == 0 and away.yellow_cards == 0 and away.fouls_committed == 0
    assert [g.period for g in report.goals] == [1, 2]
    assert who(report, HOME, 9).penalty_shootout_goals == 1
    assert who(report, HOME, 9).goals == 1 and who(report, HOME, 9).shots == 1
    assert who(report, HOME, 10).penalty_shootout_goals == 1 and who(report, HOME, 10).goals == 0
    assert who(report, HOME, 1).goalkeeper_saves == 0
    assert who(report, AWAY, 9).penalty_shootout_goals == 0
    # the period-5 second yellow neither counts nor ends his minutes; period 5 adds no time
    assert minutes(report, HOME, 4) == pytest.approx((2700 + 2760) / 60)
    assert who(report, HOME, 4).red_cards == 0 and who(report, HOME, 4).total_passes == 0


def test_no_period_five_means_no_shootout_values():
    b = MatchBuilder()
    b.shot(HOME, 9, "Goal", at=100)
    report = analyse(b)
    assert report.penalty_shootout is None
    assert report.to_dict()["penalty_shootout"] is None
    assert team(report, HOME).penalty_shootout_goals is None
    assert who(report, HOME, 9).penalty_shootout_goals is None


# ---- team counting statistics ------------------------------------------------------------------


def test_passes_completion_final_third_length_cross_and_corner():
    b = MatchBuilder()
    b.pass_(HOME, 2, length=10.0, end_location=[85.0, 40.0])
    b.pass_(HOME, 2, length=35.0, end_location=[80.0, 10.0], cross=True)
    b.pass_(
        HOME,
        2,
        length=30.0,
        end_location=[79.9, 10.0],
        outcome={"name": "Incomplete"},
        type={"name": "Corner"},
        cross=True,
    )
    b.pass_(HOME, 3, length=15.0, end_location=[90.0, 1.0], outcome={"name": "Out"})
    b.pass_(HOME, 3, length=14.99, type={"name": "CORNER"})
    b.pass_(HOME, 3, length=50.0, end_location=[100.0, 40.0], outcome=None, cross=False)
    report = analyse(b)
    home = team(report, HOME)
    assert home.total_passes == 6 and home.passes_completed == 4
    assert home.pass_completion_rate == 100 * 4 / 6
    assert home.final_third_passes == 3
    assert home.long_passes == 2
    assert home.crosses == 2 and home.corners == 2
    assert team(report, AWAY).pass_completion_rate is None
    two, three = who(report, HOME, 2), who(report, HOME, 3)
    assert (two.total_passes, two.passes_completed, two.short_passes, two.long_passes) == (
        3,
        2,
        1,
        1,
    )
    assert (two.crosses, two.corners, two.final_third_passes) == (2, 1, 2)
    assert (three.total_passes, three.passes_completed, three.short_passes) == (3, 2, 1)
    assert (three.long_passes, three.crosses, three.corners, three.final_third_passes) == (
        1,
        0,
        1,
        1,
    )
    assert two.pass_completion_rate == 100 * 2 / 3


def test_shot_outcome_sets_blocked_and_team_goalkeeper_saves():
    b = MatchBuilder()
    outcomes = ["Goal", "Saved", "Saved To Post", "Off T", "Wayward", "Post", "Saved Off Target"]
    for second, outcome in enumerate([*outcomes, "Blocked"]):
        b.shot(HOME, 9, outcome, at=second * 10, xg=0.125)
    report = analyse(b)
    home, away = team(report, HOME), team(report, AWAY)
    assert home.total_shots == 8 and home.goals == 1
    assert home.shots_on_target == 3 and home.shots_off_target == 4 and home.blocked_shots == 1
    assert home.expected_goals == 1.0
    assert away.goalkeeper_saves == 2 and home.goalkeeper_saves == 0
    nine = who(report, HOME, 9)
    assert (nine.shots, nine.total_shots, nine.shots_on_target, nine.shots_off_target) == (
        8,
        8,
        3,
        4,
    )
    assert nine.blocked_shots == 1 and nine.expected_goals == 1.0


def test_player_goalkeeper_saves_come_from_goal_keeper_events():
    b = MatchBuilder()
    for gk_type in [
        "Shot Saved",
        "Shot Saved to Post",
        "Penalty Saved",
        "penalty saved to post",
        "Shot Faced",
        "Save",
        "Goal Conceded",
    ]:
        b.add("Goal Keeper", AWAY, player_no=1, goalkeeper={"type": {"name": gk_type}})
    report = analyse(b)
    assert who(report, AWAY, 1).goalkeeper_saves == 4
    assert team(report, AWAY).goalkeeper_saves == 0  # the team counts the opponent's saved shots


def test_dribbles_tackles_interceptions_recoveries_clearances():
    b = MatchBuilder()
    for outcome in ["Complete", "Incomplete", "complete"]:
        b.add("Dribble", HOME, player_no=7, dribble={"outcome": {"name": outcome}})
    for outcome in ["Won", "Success", "success in play", "Success Out", "Lost In Play", "Lost Out"]:
        b.add(
            "Duel",
            AWAY,
            player_no=4,
            duel={"type": {"name": "Tackle"}, "outcome": {"name": outcome}},
        )
    b.add("Duel", AWAY, player_no=4, duel={"type": {"name": "Aerial Lost"}})
    for detail in [
        {"outcome": {"name": "Won"}},
        {"outcome": {"name": "Success In Play"}},
        {"outcome": {"name": "Lost In Play"}},
        {"outcome": {"name": "Lost Out"}},
        {},
    ]:
        b.add("Interception", AWAY, player_no=5, interception=detail)
    b.add("Interception", AWAY, player_no=5)  # no interception object at all
    b.add("Ball Recovery", HOME, player_no=6)
    b.add("Ball Recovery", HOME, player_no=6, ball_recovery={"recovery_failure": True})
    b.add("Ball Recovery", HOME, player_no=6, ball_recovery={"recovery_failure": False})
    b.add("Ball Recovery", HOME, player_no=6, ball_recovery={"offensive": True})
    b.add("Clearance", AWAY, player_no=3)
    b.add("Clearance", AWAY, player_no=3, clearance={"head": True})
    b.add("Pressure", HOME, player_no=6)
    b.add("pressure", HOME, player_no=6)
    report = analyse(b)
    home, away = team(report, HOME), team(report, AWAY)
    assert (home.total_dribbles, home.successful_dribbles) == (3, 2)
    assert who(report, HOME, 7).dribble_success_rate == 100 * 2 / 3
    assert (away.total_tackles, away.tackles_won) == (6, 4)
    assert away.tackle_success_rate == 100 * 4 / 6
    assert (away.interceptions, away.interceptions_won) == (6, 2)
    assert away.interception_success_rate == 100 * 2 / 6
    assert home.ball_recoveries == 3 and who(report, HOME, 6).ball_recoveries == 3
    assert away.clearances == 2 and who(report, AWAY, 3).clearances == 2
    assert who(report, HOME, 6).pressures == 2
    four = who(report, AWAY, 4)
    assert (four.total_tackles, four.tackles_won, four.tackle_success_rate) == (6, 4, 100 * 4 / 6)
    assert home.tackle_success_rate is None and home.interception_success_rate is None


def test_fouls_and_cards_in_both_places():
    b = MatchBuilder()
    b.add("Foul Committed", HOME, player_no=4, at=10)
    b.card(HOME, 4, "Yellow Card", at=20, foul=True)
    b.card(HOME, 5, "yellow card", at=30)
    b.card(HOME, 5, "Second Yellow", at=40)
    b.card(HOME, 6, "Red Card", at=50, foul=True)
    b.add("Bad Behaviour", HOME, player_no=7, at=60, bad_behaviour={})
    report = analyse(b)
    home = team(report, HOME)
    assert home.fouls_committed == 3
    assert home.yellow_cards == 2 and home.red_cards == 2
    assert (who(report, HOME, 5).yellow_cards, who(report, HOME, 5).red_cards) == (1, 1)
    assert who(report, HOME, 4).fouls_committed == 2 and who(report, HOME, 4).yellow_cards == 1


# ---- possession --------------------------------------------------------------------------------


def test_possession_chains_hand_computed():
    b = MatchBuilder()  # Starting XI events: possession 1, Home FC, at 0
    b.pass_(HOME, 2, at=0)
    b.pass_(HOME, 2, at=10)
    b.new_possession(AWAY)
    b.pass_(AWAY, 2, at=30)
    b.pass_(AWAY, 2, at=40)
    b.new_possession(HOME)
    b.pass_(HOME, 2, at=55)
    # same possession number: still Home's chain whatever this event says
    b.add("Pressure", AWAY, at=60, player_no=3, possession_team=dict(AWAY))
    b.end_period(1, 100)  # Home 0-30, Away 30-55, Home 55-100: Home 75, Away 25
    b.new_possession(AWAY)
    b.pass_(AWAY, 2, period=2, at=0)
    b.new_possession(HOME)
    b.pass_(HOME, 2, period=2, at=20)
    b.new_possession(AWAY)
    b.pass_(AWAY, 2, period=2, at=50)
    b.new_possession(HOME)
    b.pass_(HOME, 2, period=2, at=45)  # earlier than the chain before: that one lasts 0
    b.end_period(2, 60)  # Away 0-20, Home 20-50, Away 0, Home 45-60: Home 45, Away 20
    b.new_possession(AWAY)
    b.pass_(AWAY, 2, period=5, at=0)
    b.end_period(5, 300)  # the shootout does not count
    report = analyse(b)
    home, away = team(report, HOME), team(report, AWAY)
    assert home.possession_percentage == pytest.approx(100 * 120 / 165)
    assert away.possession_percentage == pytest.approx(100 * 45 / 165)
    assert home.possession_percentage + away.possession_percentage == pytest.approx(100)


def test_possession_is_null_without_any_possession_time():
    b = MatchBuilder()
    report = analyse(b)
    assert report.our_team_stats.possession_percentage is None


# ---- lineups and minutes -----------------------------------------------------------------------


def _substitutions_match() -> MatchBuilder:
    b = MatchBuilder()
    b.tactical_shift(AWAY, [(n, n) for n in range(1, 10)] + [(11, 11), (14, 30)], at=300)
    b.add("Player Off", AWAY, at=100, player_no=7)
    b.add("Player On", AWAY, at=200, player_no=7)
    b.card(AWAY, 6, "Second Yellow", at=900)
    b.substitution(HOME, 9, 12, at=1200, position="Left Wing")
    b.tactical_shift(HOME, [(n, n) for n in range(1, 9)] + [(10, 10), (11, 11), (12, 23)], at=1210)
    b.card(AWAY, 5, "Yellow Card", at=1500)
    b.end_period(1, 2700)
    b.substitution(HOME, 12, 15, at=0, period=2)
    b.substitution(AWAY, 10, 14, at=600, period=2, position="Striker")
    b.card(HOME, 8, "Red Card", at=1800, period=2, foul=True)
    b.card(HOME, 8, "Red Card", at=1900, period=2)  # already off: nothing changes
    b.card(HOME, 13, "Red Card", at=1950, period=2)  # on the bench: no row, no crash
    b.end_period(2, 2880)
    return b


def test_substitutions_minutes_positions_and_jerseys():
    report = analyse(_substitutions_match())
    full = (2700 + 2880) / 60
    assert minutes(report, HOME, 1) == pytest.approx(full)
    assert minutes(report, HOME, 9) == pytest.approx(1200 / 60)
    assert minutes(report, HOME, 12) == pytest.approx((2700 - 1200) / 60)
    assert minutes(report, HOME, 15) == pytest.approx(2880 / 60)
    assert minutes(report, AWAY, 10) == pytest.approx((2700 + 600) / 60)
    assert minutes(report, AWAY, 14) == pytest.approx((2880 - 600) / 60)
    home = {p.player_id: p for p in report.our_lineup.players}
    away = {p.player_id: p for p in report.opponent_lineup.players}
    assert len(home) == 13 and len(away) == 12
    assert home[pid(HOME, 1)].is_starter and home[pid(HOME, 1)].jersey_number == 1
    assert home[pid(HOME, 1)].position == "Position 1"
    sub = home[pid(HOME, 12)]
    assert (sub.is_starter, sub.position, sub.jersey_number) == (False, "Left Wing", 23)
    assert home[pid(HOME, 15)].jersey_number is None  # no later Tactical Shift lists him
    assert away[pid(AWAY, 14)].jersey_number is None  # listed only by an EARLIER shift
    assert away[pid(AWAY, 14)].position == "Striker"
    assert pid(HOME, 13) not in home
    assert who(report, HOME, 12).is_starter is False
    assert [p.player_id for p in report.our_lineup.players][-2:] == [pid(HOME, 12), pid(HOME, 15)]


def test_red_card_and_second_yellow_end_minutes_but_player_off_does_not():
    report = analyse(_substitutions_match())
    full = (2700 + 2880) / 60
    assert minutes(report, HOME, 8) == pytest.approx((2700 + 1800) / 60)
    assert minutes(report, AWAY, 6) == pytest.approx(900 / 60)
    assert minutes(report, AWAY, 7) == pytest.approx(full)  # Player Off / Player On
    assert minutes(report, AWAY, 5) == pytest.approx(full)  # a yellow card does not end it
    assert team(report, HOME).red_cards == 3


def test_minutes_sum_to_eleven_match_lengths_without_sendings_off():
    b = MatchBuilder()
    b.substitution(HOME, 9, 12, at=1234.5)
    b.end_period(1, 2712.25)
    b.substitution(HOME, 12, 14, at=65.5, period=2)
    b.end_period(2, 2890.5)
    report = analyse(b)
    for lineup in report.lineups:
        total = sum(p.minutes_played for p in lineup.players)
        assert total == pytest.approx(11 * (2712.25 + 2890.5) / 60)


def test_per90_is_null_under_one_minute():
    b = MatchBuilder()
    b.end_period(1, 2700)
    b.substitution(HOME, 9, 12, period=2, at=2850)
    b.pass_(HOME, 12, period=2, at=2860)
    b.substitution(HOME, 10, 14, period=2, at=2820)
    b.pass_(HOME, 14, period=2, at=2870)
    b.end_period(2, 2880)
    report = analyse(b)
    late = who(report, HOME, 12)
    assert late.minutes_played == pytest.approx(0.5) and late.total_passes == 1
    assert set(late.per90.values()) == {None}
    one_minute = who(report, HOME, 14)
    assert one_minute.minutes_played == 1
    assert one_minute.per90["total_passes"] == 90.0
    assert one_minute.per90["goals"] == 0
    assert who(report, HOME, 1).per90["total_passes"] == 0


# ---- score, result, warnings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("club", "typed", "official", "result", "warned"),
    [
        ("Home FC", None, (1, 0), "W", False),
        ("Away United", None, (0, 1), "L", False),
        ("Home FC", (1, 0), (1, 0), "W", False),
        ("Home FC", (2, 0), (2, 0), "W", True),
        ("Home FC", (1, 1), (1, 1), "D", True),
        ("Home FC", (0, 3), (0, 3), "L", True),
    ],
)
def test_typed_score_is_official_and_warns_on_mismatch(club, typed, official, result, warned):
    b = MatchBuilder()
    b.shot(HOME, 9, "Goal", at=60)
    report = analyse(b, club, typed_score=typed)
    assert report.score == Score(*official)
    assert report.result == result
    assert report.derived_score == (Score(1, 0) if club == "Home FC" else Score(0, 1))
    if warned:
        [warning] = report.warnings
        assert f"{typed[0]}-{typed[1]}" in warning and "1-0" in warning
    else:
        assert report.warnings == ()


def test_a_draw_is_d():
    b = MatchBuilder()
    b.shot(HOME, 9, "Goal", at=60)
    b.shot(AWAY, 9, "Goal", at=70)
    assert analyse(b).result == "D"


@pytest.mark.parametrize("typed", [(1,), (1, -1), ("1", 0), (1.5, 0), (True, 0)])
def test_a_malformed_typed_score_is_a_programming_error(typed):
    with pytest.raises(ValueError, match="typed_score"):
        analyse(MatchBuilder(), typed_score=typed)


# ---- team identification -----------------------------------------------------------------------

ALAVES = {"id": 10, "name": "Deportivo Alavés"}
BARCA = {"id": 20, "name": "FC Barcelona"}


@pytest.mark.parametrize(
    ("kwargs", "team_id", "matched_by"),
    [
        ({"club_team_id": 20}, 20, "team_id"),
        ({"club_team_id": 10, "club_name": "FC Barcelona"}, 10, "team_id"),
        ({"club_team_id": 99, "club_name": "FC Barcelona"}, 20, "exact_name"),
        ({"club_name": "Deportivo Alavés"}, 10, "exact_name"),
        ({"club_name": "deportivo ALAVES"}, 10, "normalized_name"),
        ({"club_name": "Alaves"}, 10, "contains_name"),
        ({"club_name": "Barcelona"}, 20, "contains_name"),
        ({"club_name": "FC Barcelona B"}, 20, "contains_name"),
        ({"club_name": "Deportiva Alavez"}, 10, "similar_name"),
    ],
)
def test_team_identification(kwargs, team_id, matched_by):
    report = analyse_match(MatchBuilder(ALAVES, BARCA).events, **kwargs)
    assert (report.our_team.id, report.our_team.matched_by) == (team_id, matched_by)
    assert report.opponent.id == ({10, 20} - {team_id}).pop()


def test_no_matching_team_names_the_club_and_both_teams():
    from spinta.analytics import ClubNotFoundError

    with pytest.raises(ClubNotFoundError) as caught:
        analyse_match(MatchBuilder(ALAVES, BARCA).events, club_name="Real Madrid")
    message = str(caught.value)
    assert "Real Madrid" in message and "Deportivo Alavés" in message and "FC Barcelona" in message
    with pytest.raises(ClubNotFoundError, match="99"):
        analyse_match(MatchBuilder(ALAVES, BARCA).events, club_team_id=99)


def test_a_name_matching_both_teams_equally_is_an_error():
    from spinta.analytics import ClubNotFoundError

    events = MatchBuilder({"id": 1, "name": "Home United"}, {"id": 2, "name": "Away United"}).events
    with pytest.raises(ClubNotFoundError, match="both teams"):
        analyse_match(events, club_name="United")


def test_club_name_or_team_id_is_required():
    with pytest.raises(ValueError, match="club_name or club_team_id"):
        analyse_match(MatchBuilder().events)


# ---- event order and duplicates ----------------------------------------------------------------


def _busy_match() -> MatchBuilder:
    b = MatchBuilder()
    key = b.pass_(HOME, 8, at=50, goal_assist=True, length=20.0)
    b.shot(HOME, 9, "Goal", at=60, key_pass_id=key["id"], xg=0.4)
    b.new_possession(AWAY)
    b.pass_(AWAY, 2, at=70)
    b.substitution(AWAY, 9, 12, at=100)
    b.tactical_shift(AWAY, [(12, 19)], at=101)
    b.end_period(1, 200)
    return b


def test_duplicate_ids_count_once():
    b = _busy_match()
    clean = analyse(b).to_dict()
    b.events.extend(copy.deepcopy(b.events[3:6]))
    b.events.insert(0, copy.deepcopy(b.events[4]))
    report = analyse(b)
    assert report.to_dict() == clean
    assert report.our_team_stats.total_shots == 1 and report.our_team_stats.goals == 1
    assert len(report.events) == len(b.events) - 4


def test_events_are_processed_in_index_order_not_file_order():
    b = _busy_match()
    clean = analyse(b).to_dict()
    shuffled = list(reversed(b.events))
    assert analyse_match(shuffled, club_name="Home FC").to_dict() == clean
    assert prepare_events(shuffled) == b.events
    assert all(a is b for a, b in zip(prepare_events(shuffled), reversed(shuffled), strict=True))


def test_equal_indices_keep_file_order():
    b = MatchBuilder()
    sub = b.substitution(HOME, 9, 12, at=100)
    shift = b.tactical_shift(HOME, [(12, 40)], at=100)
    shift["index"] = sub["index"]
    assert analyse(b).our_lineup.players[-1].jersey_number == 40
    b.events[-2:] = [shift, sub]  # same index, the shift now comes first: not "later"
    assert analyse(b).our_lineup.players[-1].jersey_number is None


def test_fingerprint_is_stable_and_content_based():
    b = _busy_match()
    first = analyse(b).fingerprint
    assert len(first) == 64 and int(first, 16) >= 0
    assert (
        analyse_match(list(reversed(b.events)) + b.events[:3], club_name="Home FC").fingerprint
        == first
    )
    b.pass_(HOME, 2, at=150)
    assert analyse(b).fingerprint != first


def test_unknown_types_and_missing_optional_objects_are_tolerated():
    b = MatchBuilder()
    b.add("Something New", HOME, player_no=3, something={"x": 1})
    b.add("Shot", HOME, player_no=9)  # no shot object
    b.add("Pass", HOME)  # no player, no pass object: completed
    b.add("Substitution", HOME, player_no=9)  # no replacement
    b.add("Duel", AWAY, player_no=2, duel="tackle")
    b.add("Own Goal For", AWAY)  # no matching Own Goal Against
    event = b.pass_(AWAY, 2)
    del event["possession"], event["possession_team"]
    report = analyse(b)
    assert team(report, HOME).total_shots == 1 and team(report, HOME).expected_goals == 0.0
    assert team(report, HOME).total_passes == 1 and team(report, HOME).passes_completed == 1
    assert report.goals[0].scorer_name is None and report.score == Score(0, 1)
    assert minutes(report, HOME, 9) == 0  # left at his substitution, at 0:00 of a 0-long match


# ---- validation --------------------------------------------------------------------------------


def _with(mutate) -> list:
    events = copy.deepcopy(MatchBuilder().events)
    extra = copy.deepcopy(events[0])
    extra.update(id="extra", index=3, type={"id": 30, "name": "Pass"}, player=player(HOME, 2))
    events.append(extra)
    mutate(extra)
    return events


@pytest.mark.parametrize(
    ("events", "error", "message"),
    [
        ({"events": []}, "NotAListError", "JSON array"),
        ("[]", "NotAListError", "string"),
        ([], "EmptyEventsError", "no events"),
        ([[1, 2]], "MalformedEventError", "Event 1 is not an object"),
        (_with(lambda e: e.pop("type")), "MalformedEventError", "Event 3 has no 'type'."),
        (_with(lambda e: e.update(type="Pass")), "MalformedEventError", "invalid 'type'"),
        (_with(lambda e: e.pop("team")), "MalformedEventError", "Event 3 has no 'team'."),
        (_with(lambda e: e.update(team={"id": "1"})), "MalformedEventError", "'team'"),
        (_with(lambda e: e.pop("period")), "MalformedEventError", "Event 3 has no 'period'."),
        (_with(lambda e: e.update(period=7)), "MalformedEventError", "period 7"),
        (_with(lambda e: e.pop("id")), "MalformedEventError", "Event 3 has no 'id'."),
        (_with(lambda e: e.update(index="3")), "MalformedEventError", "'index'"),
        (_with(lambda e: e.update(timestamp="noon")), "MalformedEventError", "'timestamp'"),
        (
            _with(lambda e: e.update(team={"id": 3, "name": "Third"})),
            "TeamsError",
            "exactly two teams",
        ),
        (MatchBuilder().events[:1], "TeamsError", "1 (Home FC)"),
    ],
)
def test_validation_errors(events, error, message):
    import spinta.analytics as analytics

    with pytest.raises(analytics.EventDataError) as caught:
        analyse_match(events, club_name="Home FC")
    assert type(caught.value).__name__ == error
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_lineup_errors():
    from spinta.analytics import LineupError

    b = MatchBuilder()
    b.add("Pass", AWAY, player_no=2)
    one_xi = [e for e in b.events if e["index"] != 2]
    with pytest.raises(LineupError, match="exactly two Starting XI"):
        analyse_match(one_xi, club_name="Home FC")
    twice = copy.deepcopy(b.events)
    twice[1]["team"] = dict(HOME)
    twice[1]["tactics"]["lineup"] = twice[0]["tactics"]["lineup"]
    with pytest.raises(LineupError, match="Both Starting XI events are for Home FC"):
        analyse_match(twice, club_name="Home FC")
    three = [*copy.deepcopy(b.events), dict(copy.deepcopy(b.events[0]), id="x", index=99)]
    with pytest.raises(LineupError, match="has 3"):
        analyse_match(three, club_name="Home FC")
    with pytest.raises(LineupError, match="Home FC lists 10 players instead of 11"):
        analyse_match(MatchBuilder(xi_size=10).events, club_name="Home FC")
    no_lineup = copy.deepcopy(b.events)
    del no_lineup[0]["tactics"]
    with pytest.raises(LineupError, match="Starting XI of Home FC has no lineup"):
        analyse_match(no_lineup, club_name="Home FC")
    no_id = copy.deepcopy(b.events)
    del no_id[0]["tactics"]["lineup"][3]["player"]["id"]
    with pytest.raises(LineupError, match="without an id"):
        analyse_match(no_id, club_name="Home FC")
