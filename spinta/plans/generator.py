"""Suggest a training plan from a player's season figures: pure, deterministic, offline.

No Flask, no SQLAlchemy, no randomness, no network: ``generate_plan`` turns a
:class:`SeasonProfile` (or None) into a :class:`GeneratedPlan` using only exercises of the
curated library in ``spinta/training_library/exercises.json``.

How focus areas are picked:

1. Every figure the profile has is compared with a youth benchmark for the player's position
   group (``BENCHMARKS``); ratings (0-100) are compared with ``RATING_TARGET``. Each gives a
   signed gap ``(target - value) / target`` (positive = below target), clipped to [-1, 1].
2. An area's score is the weighted mean of its gaps (success rates count 1, per-90 counts 0.75,
   ratings 0.5) times the position's weight for the area (a striker's finishing counts more
   than his tackling; a goalkeeper is not judged on shots). Figures with too small a sample are
   skipped (e.g. shot accuracy from fewer than 3 shots).
3. The areas scoring above ``WEAK_GAP`` are the weaknesses, worst first (ties in ``AREAS``
   order); the plan takes 2-3 of them, topping up with the next-lowest areas when fewer than two
   are weak. A goalkeeper always gets goalkeeping first.
4. A player without statistics (no profile, or under ``MIN_MINUTES``) gets a balanced general
   plan covering the main areas of his position.

Exercises come from the library, filtered to the player's age group, in library order (each
area is ordered from simple to demanding), never repeated within a plan.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

LIBRARY_PATH = Path(__file__).resolve().parent.parent / "training_library" / "exercises.json"

AGE_GROUPS = ("U6", "U8", "U10", "U12", "U14", "U16", "U18", "U21", "Senior")
LITTLE_ONES = frozenset({"U6", "U8"})
DEFAULT_AGE_GROUP = "U14"  # unknown age: moderate drills that suit youth and adults alike
AREAS = (
    "passing",
    "finishing",
    "dribbling",
    "defending",
    "positioning",
    "goalkeeping",
    "fitness",
)
AREA_LABELS = {area: area.capitalize() for area in AREAS}

MIN_MINUTES = 90  # less than one full match: too little to judge, general plan
MIN_SHOTS, MIN_DRIBBLES = 3, 3  # smallest samples for the shot / dribble success rates
MIN_XG_PER90 = 0.1  # below this, goals against expected goals is noise
RATING_TARGET = 60.0
WEAK_GAP = 0.05  # an area more than 5% under its targets is a weakness
MAX_FOCUS = 3

# Typical match length (minutes) per age group: the fitness figure compares minutes per match.
MATCH_MINUTES = {
    "U6": 40, "U8": 50, "U10": 60, "U12": 60, "U14": 70,
    "U16": 80, "U18": 90, "U21": 90, "Senior": 90,
}  # fmt: skip
MINUTES_SHARE_TARGET = 0.6


class LibraryError(ValueError):
    """The exercise library file is malformed (the message says where)."""


# ---------------------------------------------------------------- inputs and outputs


@dataclass(frozen=True)
class SeasonProfile:
    """A player's season figures. Rates are percentages (0-100); ``*_per90`` per 90 minutes.

    Every figure may be None (unknown); ratings of 0 mean "not yet rated" and are ignored.
    """

    minutes_played: float = 0
    matches_played: int = 0
    position: str | None = None
    attacking_rating: float | None = None
    technique_rating: float | None = None
    tactical_rating: float | None = None
    defending_rating: float | None = None
    creativity_rating: float | None = None
    pass_completion_rate: float | None = None
    passes_completed_per90: float | None = None
    key_passes_per90: float | None = None
    tackle_success_rate: float | None = None
    tackles_won_per90: float | None = None
    interceptions_per90: float | None = None
    clearances_per90: float | None = None
    ball_recoveries_per90: float | None = None
    shots_per90: float | None = None
    shots_on_target_rate: float | None = None
    goals_per90: float | None = None
    expected_goals_per90: float | None = None
    dribble_success_rate: float | None = None
    dribbles_per90: float | None = None
    goalkeeper_saves_per90: float | None = None


@dataclass(frozen=True)
class LibraryExercise:
    id: str
    name: str
    area: str
    description: str
    age_groups: tuple[str, ...]
    sets: int | None = None
    reps: int | None = None
    duration_minutes: int | None = None

    def suits(self, age_group: str) -> bool:
        return age_group in self.age_groups


@dataclass(frozen=True)
class ExerciseLibrary:
    version: str
    exercises: tuple[LibraryExercise, ...]

    def for_area(self, area: str, age_group: str) -> list[LibraryExercise]:
        return [e for e in self.exercises if e.area == area and e.suits(age_group)]

    def by_id(self, exercise_id: str) -> LibraryExercise:
        return next(e for e in self.exercises if e.id == exercise_id)


@dataclass(frozen=True)
class GeneratedExercise:
    library_id: str
    area: str
    exercise_name: str
    description: str
    sets: int | None
    reps: int | None
    duration_minutes: int | None

    @classmethod
    def from_library(cls, exercise: LibraryExercise) -> GeneratedExercise:
        return cls(
            library_id=exercise.id,
            area=exercise.area,
            exercise_name=exercise.name,
            description=exercise.description,
            sets=exercise.sets,
            reps=exercise.reps,
            duration_minutes=exercise.duration_minutes,
        )


@dataclass(frozen=True)
class GeneratedPlan:
    player_name: str
    jersey_number: int | None
    plan_name: str
    duration: str
    focus: tuple[str, ...]  # area keys, most important first
    focus_areas: tuple[str, ...]  # one sentence per focus area, with the numbers behind it
    exercises: tuple[GeneratedExercise, ...]
    age_group: str
    library_version: str
    general: bool = False  # True: no usable statistics, balanced plan

    def to_dict(self) -> dict[str, Any]:
        return {
            "player_name": self.player_name,
            "jersey_number": self.jersey_number,
            "plan_name": self.plan_name,
            "duration": self.duration,
            "focus_areas": list(self.focus_areas),
            "exercises": [asdict(e) for e in self.exercises],
            "age_group": self.age_group,
            "library_version": self.library_version,
        }


# ---------------------------------------------------------------- the library


def _count(raw: Mapping[str, Any], key: str, where: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise LibraryError(f"{where}: {key} must be a whole number from 1 to 1000 or null.")
    return value


def parse_library(data: Mapping[str, Any]) -> ExerciseLibrary:
    """Validate and load a library document (``{"version", "exercises": [...]}``)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("exercises"), list):
        raise LibraryError("The library must be an object with an 'exercises' list.")
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise LibraryError("The library needs a 'version' string.")
    exercises: list[LibraryExercise] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["exercises"]):
        where = f"exercises[{index}]"
        if not isinstance(raw, Mapping):
            raise LibraryError(f"{where} must be an object.")
        exercise_id = raw.get("id")
        if not isinstance(exercise_id, str) or not exercise_id or exercise_id in seen:
            raise LibraryError(f"{where}: 'id' must be a unique non-empty string.")
        seen.add(exercise_id)
        where = f"exercise {exercise_id!r}"
        name, description = raw.get("name"), raw.get("description")
        if not isinstance(name, str) or not 1 <= len(name) <= 120:
            raise LibraryError(f"{where}: 'name' must be 1 to 120 characters.")
        if not isinstance(description, str) or not 1 <= len(description) <= 2000:
            raise LibraryError(f"{where}: 'description' must be 1 to 2000 characters.")
        if raw.get("area") not in AREAS:
            raise LibraryError(f"{where}: 'area' must be one of {', '.join(AREAS)}.")
        groups = raw.get("age_groups")
        if not isinstance(groups, list) or not groups or not set(groups) <= set(AGE_GROUPS):
            raise LibraryError(f"{where}: 'age_groups' must list some of {', '.join(AGE_GROUPS)}.")
        sets, reps = _count(raw, "sets", where), _count(raw, "reps", where)
        minutes = _count(raw, "duration_minutes", where)
        if sets is None and reps is None and minutes is None:
            raise LibraryError(f"{where}: give sets/reps or duration_minutes.")
        exercises.append(
            LibraryExercise(
                id=exercise_id,
                name=name,
                area=raw["area"],
                description=description,
                age_groups=tuple(g for g in AGE_GROUPS if g in groups),
                sets=sets,
                reps=reps,
                duration_minutes=minutes,
            )
        )
    return ExerciseLibrary(version=version, exercises=tuple(exercises))


@cache
def load_library(path: Path = LIBRARY_PATH) -> ExerciseLibrary:
    """The curated library (read and validated once per process)."""
    with path.open(encoding="utf-8") as handle:
        return parse_library(json.load(handle))


# ---------------------------------------------------------------- positions and ages


def position_group(position: str | None) -> str:
    """goalkeeper, defender, midfielder, forward or unknown, from a StatsBomb-style name."""
    name = (position or "").strip().lower()
    if not name:
        return "unknown"
    if "goalkeeper" in name or name in {"gk", "keeper"}:
        return "goalkeeper"
    if "back" in name or "defender" in name or name in {"cb", "lb", "rb", "sweeper"}:
        return "defender"
    if "midfield" in name or name in {"cm", "cdm", "cam", "dm", "am"}:
        return "midfielder"
    if any(word in name for word in ("forward", "striker", "wing")) or name in {"st", "cf"}:
        return "forward"
    return "unknown"


def is_goalkeeper(position: str | None) -> bool:
    return position_group(position) == "goalkeeper"


def normalise_age_group(age_group: str | None) -> str:
    """One of ``AGE_GROUPS`` (case-insensitive); None -> ``DEFAULT_AGE_GROUP``."""
    if age_group is None or not age_group.strip():
        return DEFAULT_AGE_GROUP
    for known in AGE_GROUPS:
        if known.lower() == age_group.strip().lower():
            return known
    raise ValueError(f"Unknown age group {age_group!r}; use one of {', '.join(AGE_GROUPS)}.")


def age_group_for_birth_date(birth_date: date | None, today: date) -> str | None:
    """The youngest "under N" group the player still fits on ``today`` (Senior from 21)."""
    if birth_date is None:
        return None
    birthday_to_come = (today.month, today.day) < (birth_date.month, birth_date.day)
    age = today.year - birth_date.year - birthday_to_come
    for group in AGE_GROUPS[:-1]:
        if age < int(group[1:]):
            return group
    return "Senior"


# ---------------------------------------------------------------- evidence


@dataclass(frozen=True)
class Benchmark:
    """A higher-is-better figure of the profile, its area and its target per position group."""

    field: str
    area: str
    label: str
    targets: Mapping[str, float | None]
    percent: bool = False
    decimals: int = 2

    def target_for(self, group: str) -> float | None:
        return self.targets.get(group, self.targets.get("unknown"))


def _targets(
    defender: float | None,
    midfielder: float | None,
    forward: float | None,
    goalkeeper: float | None,
    unknown: float | None,
) -> dict[str, float | None]:
    return {
        "defender": defender,
        "midfielder": midfielder,
        "forward": forward,
        "goalkeeper": goalkeeper,
        "unknown": unknown,
    }


# Youth benchmarks per position group (defender, midfielder, forward, goalkeeper, unknown);
# None = not judged for that group.
BENCHMARKS = (
    Benchmark("pass_completion_rate", "passing", "pass completion", _targets(78, 78, 70, 65, 75), percent=True, decimals=1),  # noqa: E501
    Benchmark("passes_completed_per90", "passing", "completed passes per 90", _targets(30, 35, 15, None, 25), decimals=1),  # noqa: E501
    Benchmark("key_passes_per90", "passing", "key passes per 90", _targets(None, 1.0, 1.0, None, 0.8)),  # noqa: E501
    Benchmark("shots_on_target_rate", "finishing", "shots on target", _targets(None, 35, 40, None, 35), percent=True, decimals=1),  # noqa: E501
    Benchmark("shots_per90", "finishing", "shots per 90", _targets(None, 1.0, 2.0, None, 1.0)),
    Benchmark("goals_per90", "finishing", "goals per 90", _targets(None, 0.15, 0.35, None, 0.2)),
    Benchmark("dribble_success_rate", "dribbling", "dribble success", _targets(50, 55, 50, None, 50), percent=True, decimals=1),  # noqa: E501
    Benchmark("tackle_success_rate", "defending", "tackle success", _targets(65, 60, 50, None, 60), percent=True, decimals=1),  # noqa: E501
    Benchmark("tackles_won_per90", "defending", "tackles won per 90", _targets(1.8, 1.5, 0.6, None, 1.2)),  # noqa: E501
    Benchmark("clearances_per90", "defending", "clearances per 90", _targets(3.0, None, None, None, None), decimals=1),  # noqa: E501
    Benchmark("interceptions_per90", "positioning", "interceptions per 90", _targets(1.5, 1.0, 0.4, None, 1.0)),  # noqa: E501
    Benchmark("ball_recoveries_per90", "positioning", "ball recoveries per 90", _targets(5.0, 5.0, 3.0, None, 4.5), decimals=1),  # noqa: E501
)  # fmt: skip

RATINGS = {
    "attacking_rating": ("finishing", "attacking"),
    "technique_rating": ("dribbling", "technique"),
    "tactical_rating": ("positioning", "tactical"),
    "defending_rating": ("defending", "defending"),
    "creativity_rating": ("passing", "creativity"),
}
RATING_WEIGHT = 0.5  # ratings summarise the same figures: count them half
PER90_WEIGHT = 0.75  # per-90 counts swing more from match to match than success rates

# How much an area matters for a position (scales its score); absent = not judged.
POSITION_WEIGHTS: dict[str, dict[str, float]] = {
    "forward": {"finishing": 1.2, "dribbling": 1.1, "passing": 1.0, "positioning": 0.8, "defending": 0.6, "fitness": 0.8},  # noqa: E501
    "midfielder": {"passing": 1.2, "positioning": 1.0, "dribbling": 1.0, "defending": 1.0, "finishing": 0.8, "fitness": 0.8},  # noqa: E501
    "defender": {"defending": 1.2, "positioning": 1.1, "passing": 1.0, "dribbling": 0.7, "finishing": 0.5, "fitness": 0.8},  # noqa: E501
    "goalkeeper": {"passing": 1.0, "positioning": 1.0, "fitness": 0.8},
    "unknown": {"passing": 1.0, "finishing": 1.0, "dribbling": 1.0, "defending": 1.0, "positioning": 1.0, "fitness": 0.8},  # noqa: E501
}  # fmt: skip

# The balanced plan of a player without statistics, by position group.
GENERAL_AREAS = {
    "goalkeeper": ("goalkeeping", "passing", "positioning"),
    "defender": ("defending", "passing", "positioning", "dribbling"),
    "midfielder": ("passing", "dribbling", "positioning", "defending"),
    "forward": ("finishing", "dribbling", "passing", "positioning"),
    "unknown": ("passing", "dribbling", "finishing", "defending"),
}


@dataclass(frozen=True)
class Evidence:
    area: str
    gap: float  # (target - value) / target, clipped to [-1, 1]; > 0 means below target
    text: str
    weight: float = 1.0


def _num(value: float) -> str:
    return f"{value:g}"


def _fixed(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _sample(per90: float | None, minutes: float) -> float:
    """How many actions a per-90 figure stands for; infinite when unknown (do not gate)."""
    return float("inf") if per90 is None else per90 * minutes / 90


def _gap(value: float, target: float) -> float:
    return max(-1.0, min(1.0, (target - value) / target))


def collect_evidence(profile: SeasonProfile, *, group: str, age_group: str) -> list[Evidence]:
    """Every usable comparison of the profile's figures with their targets."""
    evidence: list[Evidence] = []
    minutes = profile.minutes_played or 0
    goals, expected = profile.goals_per90, profile.expected_goals_per90
    attacker = group in ("forward", "midfielder", "unknown")
    # Goals against expected goals says more about finishing than goals alone.
    judge_conversion = attacker and goals is not None and (expected or 0) >= MIN_XG_PER90
    skipped = {"goals_per90"} if judge_conversion else set()
    if _sample(profile.shots_per90, minutes) < MIN_SHOTS:
        skipped.add("shots_on_target_rate")
    if _sample(profile.dribbles_per90, minutes) < MIN_DRIBBLES:
        skipped.add("dribble_success_rate")
    for benchmark in BENCHMARKS:
        value, target = getattr(profile, benchmark.field), benchmark.target_for(group)
        if value is None or not target or benchmark.field in skipped:
            continue
        unit = "%" if benchmark.percent else ""
        text = (
            f"{_fixed(value, benchmark.decimals)}{unit} {benchmark.label} "
            f"(target {_num(target)}{unit})"
        )
        weight = 1.0 if benchmark.percent else PER90_WEIGHT
        evidence.append(Evidence(benchmark.area, _gap(value, target), text, weight))

    if judge_conversion:
        text = f"{goals:.2f} goals per 90 from {expected:.2f} expected goals"
        evidence.append(Evidence("finishing", _gap(goals, expected), text))

    for name, (area, label) in RATINGS.items():
        rating = getattr(profile, name)
        if rating is None or rating <= 0:
            continue
        text = f"{label} rating {rating:.0f}/100 (target {RATING_TARGET:.0f})"
        evidence.append(Evidence(area, _gap(rating, RATING_TARGET), text, RATING_WEIGHT))

    if profile.matches_played >= 2 and minutes > 0:
        per_match = minutes / profile.matches_played
        target = MATCH_MINUTES[age_group] * MINUTES_SHARE_TARGET
        text = f"{per_match:.0f} minutes per match (target {target:.0f})"
        evidence.append(Evidence("fitness", _gap(per_match, target), text))
    return evidence


def score_areas(evidence: Iterable[Evidence], *, group: str) -> dict[str, float]:
    """Each judged area's weighted mean gap, scaled by its weight for the position."""
    weights = POSITION_WEIGHTS[group]
    totals: dict[str, list[float]] = {}
    for item in evidence:
        if item.area not in weights:
            continue
        total = totals.setdefault(item.area, [0.0, 0.0])
        total[0] += item.gap * item.weight
        total[1] += item.weight
    return {area: weights[area] * gap / weight for area, (gap, weight) in totals.items()}


def pick_focus(scores: Mapping[str, float], *, group: str) -> list[str]:
    """2-3 areas: the weakest first; a goalkeeper's first area is always goalkeeping."""
    ranked = sorted(scores, key=lambda area: (-scores[area], AREAS.index(area)))
    weak = [area for area in ranked if scores[area] > WEAK_GAP]
    focus = ["goalkeeping"] if group == "goalkeeper" else []
    for area in weak:
        if len(focus) < MAX_FOCUS and area not in focus:
            focus.append(area)
    for area in (*ranked, *GENERAL_AREAS[group]):  # fewer than two weak areas: top up
        if len(focus) >= 2:
            break
        if area not in focus:
            focus.append(area)
    return focus


# ---------------------------------------------------------------- composing the plan


def _duration(age_group: str, *, general: bool) -> str:
    if general or age_group in ("U6", "U8", "U10"):
        return "2 weeks"
    return "3 weeks" if age_group in ("U12", "U14", "U16") else "4 weeks"


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} & {labels[-1]}"


def _compose(
    library: ExerciseLibrary, areas: list[str], counts: list[int], age_group: str
) -> list[GeneratedExercise]:
    """A warm-up (unless fitness is a focus) then ``counts[i]`` drills of ``areas[i]``."""
    chosen: list[LibraryExercise] = []
    plan_areas = list(zip(areas, counts, strict=True))
    if "fitness" not in areas:
        plan_areas.insert(0, ("fitness", 1))
    for area, count in plan_areas:
        available = [e for e in library.for_area(area, age_group) if e not in chosen]
        chosen.extend(available[:count])
    return [GeneratedExercise.from_library(exercise) for exercise in chosen]


def _focus_sentence(area: str, evidence: list[Evidence], *, weak: bool) -> str:
    label = AREA_LABELS[area]
    items = sorted(
        (e for e in evidence if e.area == area), key=lambda e: (-e.gap * e.weight, e.text)
    )
    if area == "goalkeeping":
        return f"{label}: core work for every goalkeeper"
    if not items:
        return f"{label}: all-round development"
    if weak:
        shown = [e.text for e in items if e.gap > 0][:2] or [items[0].text]
        return f"{label}: {'; '.join(shown)}"
    return f"{label}: {items[0].text}, on target - keep it sharp"


def _goalkeeper_sentence(profile: SeasonProfile | None) -> str:
    if profile is not None and profile.goalkeeper_saves_per90 is not None:
        saves = profile.goalkeeper_saves_per90
        return f"Goalkeeping: core work for every goalkeeper ({saves:.1f} saves per 90)"
    return "Goalkeeping: core work for every goalkeeper"


def generate_plan(
    *,
    player_name: str,
    jersey_number: int | None,
    position: str | None,
    age_group: str | None,
    profile: SeasonProfile | None,
    library: ExerciseLibrary | None = None,
) -> GeneratedPlan:
    """Suggest a plan for the player's 2-3 weakest areas with drills fit for his age group.

    ``position`` is the squad position (falls back to the profile's); ``age_group`` one of
    ``AGE_GROUPS`` (None -> ``DEFAULT_AGE_GROUP``). The same input gives the same plan.
    """
    library = library or load_library()
    age_group = normalise_age_group(age_group)
    position = position or (profile.position if profile else None)
    group = position_group(position)
    little = age_group in LITTLE_ONES
    minutes = profile.minutes_played if profile else 0

    if profile is None or (minutes or 0) < MIN_MINUTES:
        areas = list(GENERAL_AREAS[group])
        why = f"only {minutes:.0f} minutes played so far" if minutes else "no match statistics yet"
        sentences = [
            _goalkeeper_sentence(profile) if area == "goalkeeping"
            else f"{AREA_LABELS[area]}: all-round development ({why})"
            for area in areas
        ]  # fmt: skip
        counts = [1 if little else 2] * len(areas)
        name = "Balanced Goalkeeper Plan" if group == "goalkeeper" else "Balanced Development Plan"
        return GeneratedPlan(
            player_name=player_name,
            jersey_number=jersey_number,
            plan_name=name,
            duration=_duration(age_group, general=True),
            focus=tuple(areas),
            focus_areas=tuple(sentences),
            exercises=tuple(_compose(library, areas, counts, age_group)),
            age_group=age_group,
            library_version=library.version,
            general=True,
        )

    evidence = collect_evidence(profile, group=group, age_group=age_group)
    scores = score_areas(evidence, group=group)
    focus = pick_focus(scores, group=group)
    sentences = [
        _goalkeeper_sentence(profile) if area == "goalkeeping"
        else _focus_sentence(area, evidence, weak=scores.get(area, 0.0) > WEAK_GAP)
        for area in focus
    ]  # fmt: skip
    if len(focus) == 2:
        counts = [2, 2] if little else [3, 3]
    else:
        counts = [2, 1, 1] if little else [3, 2, 2]
    return GeneratedPlan(
        player_name=player_name,
        jersey_number=jersey_number,
        plan_name=f"{_join([AREA_LABELS[a] for a in focus])} Focus",
        duration=_duration(age_group, general=False),
        focus=tuple(focus),
        focus_areas=tuple(sentences),
        exercises=tuple(_compose(library, focus, counts, age_group)),
        age_group=age_group,
        library_version=library.version,
    )


__all__ = [
    "AGE_GROUPS",
    "AREAS",
    "ExerciseLibrary",
    "GeneratedExercise",
    "GeneratedPlan",
    "LibraryError",
    "LibraryExercise",
    "SeasonProfile",
    "age_group_for_birth_date",
    "generate_plan",
    "load_library",
    "parse_library",
    "position_group",
]
