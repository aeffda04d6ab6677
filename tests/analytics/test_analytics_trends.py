"""Trends, percentiles and goal progress (pure), with the InStat minimum rule by hand."""

from __future__ import annotations

from datetime import date

from spinta.analytics import trends
from spinta.analytics.trends import MatchValues


def _m(day: int, minutes: float, actions: int, passes: float) -> MatchValues:
    return MatchValues(
        day, date(2024, 1, day), "all", minutes, actions, {"progressive_passes": passes}
    )


def test_metric_names_and_aliases():
    assert trends.metric_key("xG") == "expected_goals"
    assert trends.metric_key(" progressive_passes ") == "progressive_passes"
    assert trends.metric_key("xt") == "expected_threat"
    assert trends.metric_key("possession_percentage") is None  # a team share, not per 90
    assert trends.metric_key("magic") is None


def test_minimum_rule_is_15_minutes_or_10_actions():
    assert trends.qualifies(15, 0) and trends.qualifies(3, 10)
    assert not trends.qualifies(14.9, 9)
    assert trends.season_value([_m(1, 10, 5, 2)], "progressive_passes") == (2, None)
    assert trends.season_value([_m(1, 10, 5, 2), _m(2, 10, 5, 1)], "progressive_passes") == (
        3,
        3 * 90 / 20,
    )


def test_rolling_five_counted_matches_per_90():
    matches = [
        _m(1, 90, 40, 9),  # 9.0
        _m(2, 5, 2, 3),  # a cameo: not counted, the window stays 9 / 90
        _m(3, 45, 20, 1),  # (9 + 1) * 90 / 135 = 6.667
        _m(4, 90, 40, 0),
        _m(5, 90, 40, 0),
        _m(6, 90, 40, 0),
        _m(7, 90, 40, 4),  # window: matches 3-7: (1 + 4) * 90 / 405
    ]
    values = [value for _, value in trends.rolling(matches, "progressive_passes")]
    assert values[0] == 9.0 and values[1] == 9.0
    assert abs(values[2] - 10 * 90 / 135) < 1e-12
    assert abs(values[6] - 5 * 90 / 405) < 1e-12
    assert trends.rolling([_m(1, 5, 2, 3)], "progressive_passes")[0][1] is None


def test_percentiles_share_ties_and_leave_the_unqualified_out():
    ranks = trends.percentiles({"a": 1.0, "b": 2.0, "c": 2.0, "d": None})
    assert ranks == {"a": 100 / 3, "b": 100 * 2.5 / 3, "c": 100 * 2.5 / 3, "d": None}


def test_goal_progress_both_directions():
    assert trends.goal_progress("progressive_passes", 8, 6) == (0.75, False)
    assert trends.goal_progress("progressive_passes", 8, 9) == (1.0, True)
    assert trends.goal_progress("fouls_committed", 1, 2) == (0.5, False)  # lower is better
    assert trends.goal_progress("fouls_committed", 1, 0.5) == (1.0, True)
    assert trends.goal_progress("progressive_passes", 8, None) == (0.0, False)
