"""The four shipped StatsBomb matches: known results, internal consistency, direct counts."""

from __future__ import annotations

from collections import Counter

import pytest
from analytics_files import (
    ALL_FILES,
    ARGENTINA_CROATIA,
    ARGENTINA_MEXICO,
    BARCELONA_ALAVES,
    NETHERLANDS_ARGENTINA,
)

from spinta.analytics import TEAM_COUNT_FIELDS, Score, analyse_match, parse_timestamp

KNOWN = [
    # file, our club, (our goals, their goals), result, shootout
    (BARCELONA_ALAVES, "Barcelona", "Deportivo Alavés", (3, 0), "W", None),
    (ARGENTINA_MEXICO, "Argentina", "Mexico", (2, 0), "W", None),
    (NETHERLANDS_ARGENTINA, "Argentina", "Netherlands", (2, 2), "D", (4, 3)),
    (NETHERLANDS_ARGENTINA, "Netherlands", "Argentina", (2, 2), "D", (3, 4)),
    (ARGENTINA_CROATIA, "Argentina", "Croatia", (3, 0), "W", None),
    (ARGENTINA_CROATIA, "Croatia", "Argentina", (0, 3), "L", None),
]


def regulation(events):
    return [e for e in events if e["period"] <= 4]


def match_seconds(events) -> float:
    """Match length: the latest timestamp of each regulation period, summed."""
    ends: dict[int, float] = {}
    for event in regulation(events):
        seconds = parse_timestamp(event["timestamp"])
        ends[event["period"]] = max(ends.get(event["period"], 0.0), seconds)
    return sum(ends.values())


@pytest.mark.parametrize(("name", "club", "opponent", "score", "result", "shootout"), KNOWN)
def test_known_results(load_events, name, club, opponent, score, result, shootout):
    report = analyse_match(load_events(name), club_name=club)
    assert report.our_team.name == club and report.opponent.name == opponent
    assert report.our_team.matched_by == "exact_name"
    assert report.score == Score(*score) == report.derived_score
    assert report.result == result
    assert report.penalty_shootout == (Score(*shootout) if shootout else None)
    assert report.warnings == ()
    assert len(report.goals) == sum(score)
    assert sum(g.is_our_goal for g in report.goals) == score[0]


def test_alaves_is_found_without_its_accent_and_by_team_id(load_events):
    events = load_events(BARCELONA_ALAVES)
    by_name = analyse_match(events, club_name="deportivo alaves")
    assert (by_name.our_team.id, by_name.our_team.matched_by) == (206, "normalized_name")
    by_id = analyse_match(events, club_team_id=217, club_name="Someone Else")
    assert (by_id.our_team.name, by_id.our_team.matched_by) == ("Barcelona", "team_id")
    assert by_id.score == Score(3, 0)


def test_typed_score_on_a_real_file(load_events):
    report = analyse_match(load_events(BARCELONA_ALAVES), club_name="Barcelona", typed_score=(2, 1))
    assert report.score == Score(2, 1) and report.derived_score == Score(3, 0)
    assert report.result == "W"
    assert len(report.warnings) == 1 and "2-1" in report.warnings[0] and "3-0" in report.warnings[0]


def test_croatia_semi_final_has_a_penalty_goal_by_messi(load_events):
    report = analyse_match(load_events(ARGENTINA_CROATIA), club_name="Argentina")
    penalties = [g for g in report.goals if g.penalty]
    assert len(penalties) == 1
    assert penalties[0].scorer_name == "Lionel Andrés Messi Cuccittini"
    assert penalties[0].is_our_goal and not penalties[0].own_goal
    assert [g.scorer_name for g in report.goals].count("Julián Álvarez") == 2


def test_shootout_in_the_netherlands_match(load_events):
    events = load_events(NETHERLANDS_ARGENTINA)
    report = analyse_match(events, club_name="Argentina")
    shootout_goals = Counter(
        e["team"]["name"]
        for e in events
        if e["period"] == 5
        and e["type"]["name"] == "Shot"
        and e["shot"]["outcome"]["name"] == "Goal"
    )
    assert shootout_goals == {"Argentina": 4, "Netherlands": 3}
    assert report.our_team_stats.penalty_shootout_goals == 4
    assert report.opponent_stats.penalty_shootout_goals == 3
    assert sum(p.penalty_shootout_goals for p in report.player_stats if p.is_our_team) == 4
    assert all(g.period <= 4 for g in report.goals)
    # Dumfries' second yellow came in the shootout: it neither counts nor shortens his match
    dumfries = next(p for p in report.player_stats if p.player_name == "Denzel Dumfries")
    assert dumfries.red_cards == 0 and report.opponent_stats.red_cards == 0
    assert dumfries.minutes_played == pytest.approx(match_seconds(events) / 60)
    # Noa Lang came on after the last Tactical Shift of the Netherlands
    lang = next(p for p in report.opponent_lineup.players if p.player_name == "Noa Lang")
    assert lang.jersey_number is None and not lang.is_starter
    berghuis = next(p for p in report.opponent_lineup.players if p.player_name == "Steven Berghuis")
    assert berghuis.jersey_number == 11 and berghuis.position == "Right Center Forward"


@pytest.mark.parametrize("name", ALL_FILES)
def test_internal_consistency(load_events, name):
    events = load_events(name)
    club = next(e["team"]["name"] for e in events if e["type"]["name"] == "Starting XI")
    report = analyse_match(events, club_name=club)
    length = match_seconds(events) / 60
    assert sum(s.possession_percentage for s in report.team_stats) == pytest.approx(100)
    for stats in report.team_stats:
        players = [p for p in report.player_stats if p.team_id == stats.team_id]
        own_goals_for = sum(
            1
            for e in regulation(events)
            if e["type"]["name"] == "Own Goal For" and e["team"]["id"] == stats.team_id
        )
        assert sum(p.goals for p in players) == stats.goals - own_goals_for
        for field in TEAM_COUNT_FIELDS:
            assert sum(getattr(p, field) for p in players) == pytest.approx(
                getattr(stats, field)
            ), field
        assert stats.shots_on_target + stats.shots_off_target + stats.blocked_shots <= (
            stats.total_shots
        )
        if stats.red_cards == 0:
            lineup = next(lu for lu in report.lineups if lu.team_id == stats.team_id)
            assert sum(p.minutes_played for p in lineup.players) == pytest.approx(11 * length)
        assert sum(1 for p in players if p.is_starter) == 11
        assert all(0 <= p.minutes_played <= length + 1e-9 for p in players)
    assert len(report.player_stats) == sum(len(lu.players) for lu in report.lineups)


@pytest.mark.parametrize("name", ALL_FILES)
def test_figures_match_a_direct_count_over_the_file(load_events, name):
    events = load_events(name)
    club = next(e["team"]["name"] for e in events if e["type"]["name"] == "Starting XI")
    report = analyse_match(events, club_name=club)
    for stats in report.team_stats:
        mine = [e for e in regulation(events) if e["team"]["id"] == stats.team_id]
        theirs = [e for e in regulation(events) if e["team"]["id"] != stats.team_id]
        passes = [e["pass"] for e in mine if e["type"]["name"] == "Pass"]
        shots = [e["shot"] for e in mine if e["type"]["name"] == "Shot"]
        assert stats.total_passes == len(passes)
        assert stats.passes_completed == sum("outcome" not in p for p in passes)
        assert stats.long_passes == sum(p.get("length", 0) > 30 for p in passes)
        assert stats.corners == sum(p.get("type", {}).get("name") == "Corner" for p in passes)
        assert stats.total_shots == len(shots)
        assert stats.expected_goals == pytest.approx(sum(s["statsbomb_xg"] for s in shots))
        assert stats.shots_on_target == sum(
            s["outcome"]["name"] in ("Goal", "Saved", "Saved to Post") for s in shots
        )
        assert stats.goalkeeper_saves == sum(
            e["type"]["name"] == "Shot" and e["shot"]["outcome"]["name"] == "Saved" for e in theirs
        )
        cards = Counter(
            e.get(where, {}).get("card", {}).get("name")
            for e in mine
            for where in ("foul_committed", "bad_behaviour")
        )
        assert stats.yellow_cards == cards["Yellow Card"]
        assert stats.red_cards == cards["Red Card"] + cards["Second Yellow"]
        assert stats.total_tackles == sum(
            e["type"]["name"] == "Duel" and e["duel"].get("type", {}).get("name") == "Tackle"
            for e in mine
        )
        assert stats.fouls_committed == sum(e["type"]["name"] == "Foul Committed" for e in mine)
        assert stats.pass_completion_rate == 100 * stats.passes_completed / stats.total_passes


def test_a_few_known_figures(load_events):
    report = analyse_match(load_events(BARCELONA_ALAVES), club_name="Barcelona")
    barca = report.our_team_stats
    assert barca.goals == 3 and report.opponent_stats.goals == 0
    assert barca.possession_percentage > 60  # Barcelona had most of the ball
    messi = next(p for p in report.player_stats if p.player_name.startswith("Lionel"))
    assert messi.goals == 2 and messi.minutes_played == pytest.approx(
        match_seconds(load_events(BARCELONA_ALAVES)) / 60
    )
    subs = [p for p in report.our_lineup.players if not p.is_starter]
    assert len(subs) == 3 and all(p.jersey_number is not None for p in subs)
