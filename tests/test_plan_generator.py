"""The pure plan generator and its exercise library (no app, no database)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest

from spinta.plans.generator import (
    AGE_GROUPS,
    AREAS,
    LIBRARY_PATH,
    LibraryError,
    SeasonProfile,
    age_group_for_birth_date,
    generate_plan,
    load_library,
    parse_library,
    position_group,
)

LIBRARY = load_library()

# A midfielder who passes well and barely defends, and his mirror image.
STRONG_PASSER = SeasonProfile(
    minutes_played=900,
    matches_played=10,
    position="Center Midfield",
    pass_completion_rate=89.0,
    passes_completed_per90=52.0,
    key_passes_per90=2.1,
    tackle_success_rate=35.0,
    tackles_won_per90=0.4,
    interceptions_per90=1.1,
    ball_recoveries_per90=5.5,
    dribble_success_rate=58.0,
)
STRONG_DEFENDER = replace(
    STRONG_PASSER,
    pass_completion_rate=61.0,
    passes_completed_per90=18.0,
    key_passes_per90=0.2,
    tackle_success_rate=78.0,
    tackles_won_per90=2.6,
)
WASTEFUL_STRIKER = SeasonProfile(
    minutes_played=720,
    matches_played=9,
    position="Center Forward",
    pass_completion_rate=74.0,
    passes_completed_per90=16.0,
    key_passes_per90=1.2,
    shots_per90=3.1,
    shots_on_target_rate=22.0,
    goals_per90=0.1,
    expected_goals_per90=0.55,
    dribble_success_rate=56.0,
    dribbles_per90=3.0,
    tackles_won_per90=0.7,
    interceptions_per90=0.5,
    ball_recoveries_per90=3.2,
)
KEEPER = SeasonProfile(
    minutes_played=810,
    matches_played=9,
    position="Goalkeeper",
    pass_completion_rate=52.0,
    goalkeeper_saves_per90=3.4,
)
PROFILES = [None, STRONG_PASSER, STRONG_DEFENDER, WASTEFUL_STRIKER, KEEPER]


def plan_for(profile, *, position=None, age_group="U14", **kwargs):
    return generate_plan(
        player_name="Test Player",
        jersey_number=8,
        position=position if position is not None else (profile.position if profile else None),
        age_group=age_group,
        profile=profile,
        **kwargs,
    )


def library_entry(generated):
    return LIBRARY.by_id(generated.library_id)


# ---------------------------------------------------------------- the library


def test_library_is_versioned_and_big_enough():
    raw = json.loads(LIBRARY_PATH.read_text(encoding="utf-8"))
    assert raw["version"] == LIBRARY.version and LIBRARY.version
    assert len(LIBRARY.exercises) >= 48
    assert len({e.id for e in LIBRARY.exercises}) == len(LIBRARY.exercises)
    assert {e.area for e in LIBRARY.exercises} == set(AREAS)


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("age_group", AGE_GROUPS)
def test_every_area_has_drills_for_every_age_group(area, age_group):
    assert len(LIBRARY.for_area(area, age_group)) >= 2


def test_library_exercises_are_runnable():
    for exercise in LIBRARY.exercises:
        assert len(exercise.description) >= 80, exercise.id  # enough to run it from
        assert exercise.sets or exercise.reps or exercise.duration_minutes
        if set(exercise.age_groups) <= {"U6", "U8"}:  # little ones: short playful games
            assert exercise.duration_minutes and exercise.duration_minutes <= 10, exercise.id
            assert exercise.sets is None and exercise.reps is None


def test_age_groups_match_the_models():
    from spinta.models import AGE_GROUPS as MODEL_AGE_GROUPS

    assert AGE_GROUPS == MODEL_AGE_GROUPS


def _doc(**overrides):
    exercise = {
        "id": "x-1",
        "name": "Drill",
        "area": "passing",
        "age_groups": ["U10"],
        "sets": 3,
        "reps": None,
        "duration_minutes": None,
        "description": "Pass.",
    }
    exercise.update(overrides)
    return {"version": "t", "exercises": [exercise]}


@pytest.mark.parametrize(
    "document",
    [
        {"exercises": []},
        {"version": "1", "exercises": "nope"},
        _doc(area="juggling"),
        _doc(age_groups=["U7"]),
        _doc(age_groups=[]),
        _doc(sets=0),
        _doc(sets=True),
        _doc(sets=None),
        _doc(name=""),
        _doc(description=""),
        {"version": "1", "exercises": [*_doc()["exercises"], *_doc()["exercises"]]},
    ],
)
def test_malformed_libraries_are_refused(document):
    with pytest.raises(LibraryError):
        parse_library(document)


def test_generator_module_is_pure():
    code = (
        "import sys, spinta.plans.generator as g; "
        "g.generate_plan(player_name='x', jersey_number=None, position=None, age_group=None, "
        "profile=None); "
        "print(sorted(m for m in ('flask', 'sqlalchemy', 'spinta.extensions') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=LIBRARY_PATH.parents[2],
    )
    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------- focus areas


def test_strong_passer_and_strong_defender_get_different_focus():
    passer = plan_for(STRONG_PASSER)
    defender = plan_for(STRONG_DEFENDER)
    assert passer.focus[0] == "defending" and "passing" not in passer.focus
    assert defender.focus[0] == "passing" and "defending" not in defender.focus
    assert passer.plan_name != defender.plan_name
    assert "Defending" in passer.plan_name and "Passing" in defender.plan_name
    assert passer.focus_areas[0].startswith("Defending: ")
    assert "35.0% tackle success (target 60%)" in passer.focus_areas[0]
    assert defender.focus_areas[0] == (
        "Passing: 0.20 key passes per 90 (target 1); 18.0 completed passes per 90 (target 35)"
    )
    assert passer.focus_areas != defender.focus_areas


def test_low_shots_on_target_means_finishing():
    plan = plan_for(WASTEFUL_STRIKER)
    assert plan.focus[0] == "finishing"
    assert "22.0% shots on target (target 40%)" in plan.focus_areas[0]
    assert "0.10 goals per 90 from 0.55 expected goals" in plan.focus_areas[0]
    assert plan.plan_name.startswith("Finishing")
    assert [e.area for e in plan.exercises].count("finishing") == 3


def test_focus_sentence_names_the_numbers():
    profile = SeasonProfile(minutes_played=450, matches_played=5, pass_completion_rate=68.2)
    plan = plan_for(profile, position="")
    assert plan.focus_areas[0] == "Passing: 68.2% pass completion (target 75%)"
    assert len(plan.focus) == 2  # topped up to two areas


def test_goalkeeper_gets_goalkeeping_first():
    plan = plan_for(KEEPER)
    assert plan.focus[0] == "goalkeeping"
    assert plan.focus_areas[0] == "Goalkeeping: core work for every goalkeeper (3.4 saves per 90)"
    assert "passing" in plan.focus  # 52% of his passes found a teammate (target 65%)
    assert [e.area for e in plan.exercises].count("goalkeeping") == 3
    assert not {"finishing", "dribbling"} & {e.area for e in plan.exercises}
    # Also without statistics, and whatever StatsBomb calls the position.
    general = plan_for(None, position="Goalkeeper")
    assert general.focus[0] == "goalkeeping" and general.general
    assert any(e.area == "goalkeeping" for e in general.exercises)


@pytest.mark.parametrize(
    "profile",
    [
        None,
        SeasonProfile(),
        SeasonProfile(minutes_played=45, matches_played=1, pass_completion_rate=20.0),
    ],
)
def test_without_statistics_a_balanced_general_plan(profile):
    plan = plan_for(profile, position="Right Wing")
    assert plan.general
    assert plan.plan_name == "Balanced Development Plan"
    assert plan.duration == "2 weeks"
    assert len(plan.focus) == 4 and len(set(plan.focus)) == 4
    expected = "only 45 minutes played so far" if profile and profile.minutes_played else None
    for sentence in plan.focus_areas:
        assert (expected or "no match statistics yet") in sentence
    areas = [e.area for e in plan.exercises]
    assert areas[0] == "fitness"
    assert all(areas.count(area) == 2 for area in plan.focus)


def test_ratings_alone_can_pick_the_focus():
    profile = SeasonProfile(
        minutes_played=600,
        matches_played=8,
        attacking_rating=70,
        technique_rating=30,
        tactical_rating=72,
        defending_rating=0,  # not yet rated: ignored
        creativity_rating=65,
    )
    plan = plan_for(profile, position="Left Wing")
    assert plan.focus[0] == "dribbling"
    assert "technique rating 30/100 (target 60)" in plan.focus_areas[0]
    assert "defending" not in plan.focus


def test_everything_on_target_still_gives_two_areas():
    profile = replace(STRONG_PASSER, tackle_success_rate=80.0, tackles_won_per90=3.0)
    plan = plan_for(profile)
    assert len(plan.focus) == 2
    assert all("keep it sharp" in sentence for sentence in plan.focus_areas)


@pytest.mark.parametrize("profile", PROFILES)
def test_two_or_three_focus_areas(profile):
    plan = plan_for(profile)
    assert 2 <= len(plan.focus) <= (4 if plan.general else 3)
    assert len(plan.focus_areas) == len(plan.focus)
    assert all(sentence.startswith(area.capitalize()) for area, sentence in
               zip(plan.focus, plan.focus_areas, strict=True))  # fmt: skip


# ---------------------------------------------------------------- exercises


@pytest.mark.parametrize("age_group", AGE_GROUPS)
@pytest.mark.parametrize("profile", PROFILES)
def test_only_library_exercises_suited_to_the_age_group(age_group, profile):
    plan = plan_for(profile, age_group=age_group)
    assert plan.age_group == age_group
    assert plan.library_version == LIBRARY.version
    assert len(plan.exercises) >= 4
    assert len({e.library_id for e in plan.exercises}) == len(plan.exercises)
    for generated in plan.exercises:
        source = library_entry(generated)
        assert age_group in source.age_groups
        assert (generated.exercise_name, generated.description, generated.area) == (
            source.name,
            source.description,
            source.area,
        )
        assert (generated.sets, generated.reps, generated.duration_minutes) == (
            source.sets,
            source.reps,
            source.duration_minutes,
        )
    # Every focus area is trained.
    assert set(plan.focus) <= {e.area for e in plan.exercises}


def test_little_ones_get_short_plans_and_seniors_longer_ones():
    little = plan_for(STRONG_PASSER, age_group="U6")
    senior = plan_for(STRONG_PASSER, age_group="Senior")
    assert len(little.exercises) < len(senior.exercises)
    assert all(e.duration_minutes and e.duration_minutes <= 10 for e in little.exercises)
    assert little.duration == "2 weeks" and senior.duration == "4 weeks"


@pytest.mark.parametrize("profile", PROFILES)
def test_deterministic(profile):
    first = plan_for(profile, age_group="U12")
    second = plan_for(profile, age_group="U12")
    assert first == second
    assert first.to_dict() == second.to_dict()


def test_only_the_given_library_is_used():
    document = json.loads(LIBRARY_PATH.read_text(encoding="utf-8"))
    document["version"] = "tiny"
    document["exercises"] = [e for e in document["exercises"] if e["id"].endswith("-06")]
    tiny = parse_library(document)
    plan = plan_for(STRONG_PASSER, age_group="Senior", library=tiny)
    assert plan.library_version == "tiny"
    assert {e.library_id for e in plan.exercises} <= {e.id for e in tiny.exercises}
    # No suitable drill for a U6 in this library: fewer exercises, never an invented one.
    assert plan_for(STRONG_PASSER, age_group="U6", library=tiny).exercises == ()


def test_to_dict_shape():
    body = plan_for(WASTEFUL_STRIKER).to_dict()
    assert {"player_name", "jersey_number", "plan_name", "duration", "focus_areas",
            "exercises"} <= set(body)  # fmt: skip
    assert body["player_name"] == "Test Player" and body["jersey_number"] == 8
    assert all(isinstance(sentence, str) for sentence in body["focus_areas"])
    assert {"exercise_name", "description", "sets", "reps", "duration_minutes"} <= set(
        body["exercises"][0]
    )
    json.dumps(body)


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("position", "group"),
    [
        ("Goalkeeper", "goalkeeper"),
        ("Left Center Back", "defender"),
        ("Right Wing Back", "defender"),
        ("Center Defensive Midfield", "midfielder"),
        ("Right Attacking Midfield", "midfielder"),
        ("Left Wing", "forward"),
        ("Striker", "forward"),
        ("Secondary Striker", "forward"),
        ("Center Forward", "forward"),
        (None, "unknown"),
        ("Utility", "unknown"),
    ],
)
def test_position_groups(position, group):
    assert position_group(position) == group


@pytest.mark.parametrize(
    ("birth_date", "group"),
    [
        (date(2020, 6, 2), "U6"),  # 5
        (date(2018, 6, 2), "U8"),  # 7, turns 8 tomorrow
        (date(2018, 6, 1), "U10"),  # 8 today
        (date(2012, 6, 2), "U14"),  # 13
        (date(2012, 6, 1), "U16"),  # 14 today
        (date(2006, 1, 1), "U21"),  # 20
        (date(2005, 1, 1), "Senior"),  # 21
        (None, None),
    ],
)
def test_age_group_for_birth_date(birth_date, group):
    assert age_group_for_birth_date(birth_date, date(2026, 6, 1)) == group


def test_unknown_age_group_is_refused_and_none_means_default():
    with pytest.raises(ValueError):
        plan_for(None, age_group="U7")
    assert plan_for(None, age_group=None).age_group == "U14"
    assert plan_for(None, age_group="senior").age_group == "Senior"
