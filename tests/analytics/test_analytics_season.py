"""Season aggregates: the club's season and the players' seasons with attribute ratings."""

from __future__ import annotations

import math
from datetime import date, datetime
from fractions import Fraction

import pytest
from analytics_builder import HOME, MatchBuilder, pid

from spinta.analytics import (
    CLUB_SEASON_FIELDS,
    PLAYER_COUNT_FIELDS,
    PLAYER_SEASON_FIELDS,
    TEAM_COUNT_FIELDS,
    ClubMatch,
    analyse_match,
    compute_club_season,
    compute_player_seasons,
    percentile_ranks,
)

# ---- club season --------------------------------------------------------------------------------


def _match(day, upload, our, their, *, passes=(0, 0), possession=50.0, assists=0, **stats):
    return ClubMatch(
        match_date=date(2024, 1, day),
        upload_order=upload,
        our_score=our,
        opponent_score=their,
        team_stats={
            "total_passes": passes[0],
            "passes_completed": passes[1],
            "possession_percentage": possession,
            **stats,
        },
        assists=assists,
    )


SEASON = [
    _match(15, 5, 1, 1, possession=50.0),  # D, same day as the next, uploaded later
    _match(1, 1, 2, 0, passes=(100, 90), possession=60.0, assists=2, goals=2, expected_goals=1.5),
    _match(29, 6, 0, 0, possession=45.0),  # D
    _match(8, 2, 0, 1, passes=(10, 1), possession=40.0, total_tackles=4, tackles_won=1),  # L
    _match(15, 4, 3, 1, possession=70.0, assists=3, goals=3, total_tackles=2, tackles_won=2),  # W
    _match(22, 3, 1, 2, possession=30.0, assists=1),  # L
]


def test_club_season_totals_form_and_rates():
    season = compute_club_season(SEASON)
    assert (season.matches_played, season.wins, season.draws, season.losses) == (6, 2, 2, 2)
    assert (season.goals_scored, season.goals_conceded) == (7, 5)
    assert season.clean_sheets == 2
    assert season.total_assists == 6
    # by date, most recent first; the two 15 January matches by upload order, latest first
    assert season.team_form == "DLDWL"
    # rates from season totals, not the mean of match rates (which would be 50.0)
    assert season.pass_completion_rate == 100 * 91 / 110
    assert season.tackle_success_rate == 100 * 3 / 6
    assert season.interception_success_rate is None
    assert season.averages["avg_total_passes"] == 110 / 6
    assert season.averages["avg_goals"] == 5 / 6
    assert season.averages["avg_expected_goals"] == 1.5 / 6
    assert season.averages["avg_red_cards"] == 0
    assert season.avg_possession_percentage == pytest.approx((50 + 60 + 45 + 40 + 70 + 30) / 6)
    data = season.to_dict()
    assert tuple(data) == CLUB_SEASON_FIELDS
    assert {f"avg_{name}" for name in TEAM_COUNT_FIELDS} <= set(data)


def test_form_keeps_the_last_five_and_accepts_mappings():
    rows = [
        {
            "match_date": "2024-02-01",
            "created_at": datetime(2024, 2, 2, 9, 0),
            "our_score": 1,
            "opponent_score": 0,
            "result": "W",
            "team_stats": {},
            "total_assists": 1,
        },
        {
            "match_date": "2024-02-01",
            "created_at": datetime(2024, 2, 2, 8, 0),
            "our_score": 0,
            "opponent_score": 0,
            "team_stats": {},
        },
    ]
    season = compute_club_season(rows)
    assert season.team_form == "WD" and season.total_assists == 1
    six = compute_club_season([*SEASON, _match(30, 7, 0, 3)])
    assert six.team_form == "LDLDW"  # five results only


def test_an_empty_season_is_all_zeros_and_nulls():
    season = compute_club_season([])
    assert season.matches_played == season.wins == season.goals_scored == season.clean_sheets == 0
    assert season.team_form == ""
    assert season.pass_completion_rate is None and season.avg_possession_percentage is None
    assert set(season.averages.values()) == {None}


# ---- percentile ranks ---------------------------------------------------------------------------


def test_percentile_ranks_average_ties_and_put_missing_values_lowest():
    assert percentile_ranks([None, 3, None, 1, 3]) == [
        Fraction(3, 10),
        Fraction(9, 10),
        Fraction(3, 10),
        Fraction(6, 10),
        Fraction(9, 10),
    ]
    assert percentile_ranks([0.0, -1.0]) == [1, Fraction(1, 2)]
    assert percentile_ranks([]) == []


# ---- player seasons -----------------------------------------------------------------------------


def _row(player, minutes, *, starter=True, **counts):
    return {"player_id": player, "is_starter": starter, "minutes_played": minutes, **counts}


PLAYER_ROWS = [
    # P1 plays twice (45 + 45): totals per 90 are the sums
    _row("P1", 45, goals=1, expected_goals=0.25, shots_on_target=1, total_passes=4,
         passes_completed=3, total_dribbles=1, successful_dribbles=1, key_passes=3,
         tackles_won=1),
    _row("P1", 45, starter=False, expected_goals=0.25, shots_on_target=1, total_passes=6,
         passes_completed=5, total_dribbles=1),
    _row("P2", 60, goals=1, expected_goals=0.3, shots_on_target=1, total_passes=20,
         passes_completed=16, total_dribbles=1, successful_dribbles=1, key_passes=2,
         final_third_passes=1),
    _row("P2", 30.0, starter=False),
    _row("P3", 90, expected_goals=0.3, total_passes=5, passes_completed=5, key_passes=1,
         final_third_passes=2),
    _row("P4", 90, expected_goals=0.1, shots_on_target=3, total_dribbles=4, successful_dribbles=2,
         final_third_passes=3),
    _row("P5", 89.9, goals=5, expected_goals=3.0, shots_on_target=9),  # under 90 minutes
    _row("P6", 0.5, total_passes=1),
]  # fmt: skip


def test_player_season_totals_rates_and_per90():
    seasons = compute_player_seasons(PLAYER_ROWS)
    assert list(seasons) == ["P1", "P2", "P3", "P4", "P5", "P6"]
    p1 = seasons["P1"]
    assert (p1.matches_played, p1.starts, p1.minutes_played) == (2, 1, 90)
    assert p1.totals["total_passes"] == 10 and p1.totals["passes_completed"] == 8
    assert p1.rates["pass_completion_rate"] == 80.0 and p1.rates["dribble_success_rate"] == 50.0
    assert p1.rates["tackle_success_rate"] is None
    assert p1.per90["goals"] == 1.0 and p1.per90["expected_goals"] == 0.5
    assert seasons["P3"].rates["dribble_success_rate"] is None
    assert set(seasons["P6"].per90.values()) == {None}
    data = p1.to_dict()
    assert set(PLAYER_SEASON_FIELDS) <= set(data) and set(data["per90"]) == set(PLAYER_COUNT_FIELDS)


def test_ratings_are_percentiles_among_players_with_90_minutes():
    seasons = compute_player_seasons(PLAYER_ROWS)
    ratings = {key: season.ratings() for key, season in seasons.items()}
    # attacking: goals (.875 .875 .375 .375), xG (1 .625 .625 .25), on target (.75 .5 .25 1)
    assert [ratings[p]["attacking_rating"] for p in ("P1", "P2", "P3", "P4")] == [88, 67, 42, 54]
    # technique: pass rate (.625 .625 1 .25, P4 has none), dribble rate (.625 1 .25 .625,
    # P3 has none), passes completed p90 (.75 1 .5 .25)
    assert [ratings[p]["technique_rating"] for p in ("P1", "P2", "P3", "P4")] == [67, 88, 58, 38]
    # creativity: each mean is exactly 0.625 -> 62.5 rounds half-up to 63 (not to even 62)
    assert {ratings[p]["creativity_rating"] for p in ("P1", "P2", "P3", "P4")} == {63}
    # tactical: everyone tied on every component -> (N + 1) / 2N = 0.625 -> 63
    assert {ratings[p]["tactical_rating"] for p in ("P1", "P2", "P3", "P4")} == {63}
    # defending: P1 alone won a tackle
    assert [ratings[p]["defending_rating"] for p in ("P1", "P2", "P3", "P4")] == [75, 58, 58, 58]
    # under 90 season minutes: no ratings, and not part of the ranking
    assert set(ratings["P5"].values()) == {None} and set(ratings["P6"].values()) == {None}


def test_ratings_accept_report_objects_and_handle_nobody_eligible():
    b = MatchBuilder()
    b.shot(HOME, 9, "Goal", at=10)
    b.end_period(1, 5400)  # 90 minutes: everyone is rated
    report = analyse_match(b.events, club_name="Home FC")
    seasons = compute_player_seasons(p for p in report.player_stats if p.is_our_team)
    assert len(seasons) == 11 and seasons[pid(HOME, 9)].totals["goals"] == 1
    assert seasons[pid(HOME, 9)].attacking_rating > seasons[pid(HOME, 8)].attacking_rating
    assert compute_player_seasons([]) == {}
    only_short = compute_player_seasons([_row("A", 10, goals=1)])
    assert only_short["A"].attacking_rating is None
    alone = compute_player_seasons([_row("A", 90), _row("A", 0.0, starter=False)])
    assert alone["A"].ratings() == dict.fromkeys(alone["A"].ratings(), 100)
    assert alone["A"].matches_played == 2 and alone["A"].starts == 1


# ---- the integer ratings equal the exact Fraction definition -----------------------------------


def _fraction_ratings(sums):
    """statistics.md's definition as it was computed before: Fraction components, Fraction
    percentile ranks, their mean x 100 rounded half up."""
    from spinta.analytics.season import RATING_COMPONENTS, RATING_MIN_MINUTES, _ratio

    eligible = [k for k, s in sums.items() if s.minutes >= RATING_MIN_MINUTES]
    ratings = {k: {} for k in eligible}
    for rating_name, components in RATING_COMPONENTS.items():
        means = [Fraction(0)] * len(eligible)
        for kind, name in components:
            values = []
            for k in eligible:
                ratio = _ratio(kind, name, sums[k].totals, sums[k].minutes)
                scale = 90 if kind == "per90" else 100
                values.append(
                    None if ratio is None else Fraction(ratio[0]) * scale / Fraction(ratio[1])
                )
            for i, percentile in enumerate(percentile_ranks(values)):
                means[i] += percentile
        for i, k in enumerate(eligible):
            ratings[k][rating_name] = math.floor(means[i] / len(components) * 100 + Fraction(1, 2))
    return ratings


@pytest.mark.parametrize("seed", range(40))
def test_integer_ratings_equal_the_fraction_definition(seed):
    import random

    from spinta.analytics import PlayerTotals, player_seasons

    rng = random.Random(seed)
    # Few distinct values (real ties), pairs with the same quotient, quotients a float cannot
    # tell apart (1/3 and 0.3333333333333333), ints beyond 2**53 (the Fraction fallback).
    minutes = [90.0, 180.0, 270.0, 1.0 / 3 * 270, 3.0, 9.0, 1.0, 450.5]
    counts = [0, 0, 0, 1, 2, 3, 0.3333333333333333, 0.1, 0.25, 1.0, 2.0**60, 2**60 + 1]
    if seed % 4:
        counts = counts[:10]
    sums = {}
    for player in range(rng.randint(0, 30)):
        totals = {name: rng.choice(counts) for name in PLAYER_COUNT_FIELDS}
        sums[player] = PlayerTotals(1, 1, rng.choice(minutes) * 30, totals)
    got = {
        k: {n: v for n, v in s.ratings().items() if v is not None}
        for k, s in player_seasons(sums).items()
    }
    want = _fraction_ratings(sums)
    assert {k: r for k, r in got.items() if r} == want
