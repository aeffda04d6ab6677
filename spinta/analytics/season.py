"""Season aggregates over stored per-match numbers (statistics.md, "Season aggregates").

The inputs are plain values (mappings or simple objects such as the report dataclasses), never
ORM objects, so the service layer can feed rows straight from the database.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final, NamedTuple

from . import catalogue
from .report import (
    PLAYER_COUNT_FIELDS,
    PLAYER_RATE_FIELDS,
    RATE_PARTS,
    TEAM_COUNT_FIELDS,
    TEAM_RATE_FIELDS,
    per90,
    rate,
)

__all__ = [
    "CLUB_SEASON_FIELDS",
    "PLAYER_SEASON_FIELDS",
    "RATING_COMPONENTS",
    "RATING_FIELDS",
    "RATING_MIN_MINUTES",
    "ClubMatch",
    "ClubSeason",
    "PlayerSeason",
    "PlayerTotals",
    "compute_club_season",
    "compute_player_seasons",
    "percentile_ranks",
    "player_ratings",
    "player_season",
    "player_seasons",
    "player_totals",
]

FORM_LENGTH: Final = 5
RATING_MIN_MINUTES: Final = 90.0
RATING_FIELDS: Final[tuple[str, ...]] = (
    "attacking_rating",
    "technique_rating",
    "tactical_rating",
    "defending_rating",
    "creativity_rating",
)
# rating -> components; ("per90", field) is the season per-90 value, ("rate", field) a rate.
RATING_COMPONENTS: Final[Mapping[str, tuple[tuple[str, str], ...]]] = {
    "attacking_rating": (
        ("per90", "goals"),
        ("per90", "expected_goals"),
        ("per90", "shots_on_target"),
    ),
    "technique_rating": (
        ("rate", "pass_completion_rate"),
        ("rate", "dribble_success_rate"),
        ("per90", "passes_completed"),
    ),
    "tactical_rating": (
        ("per90", "ball_recoveries"),
        ("per90", "interceptions"),
        ("per90", "pressures"),
    ),
    "defending_rating": (
        ("per90", "tackles_won"),
        ("per90", "interceptions_won"),
        ("per90", "clearances"),
    ),
    "creativity_rating": (
        ("per90", "key_passes"),
        ("per90", "assists"),
        ("per90", "crosses"),
        ("per90", "final_third_passes"),
    ),
}

CLUB_SEASON_FIELDS: Final[tuple[str, ...]] = (
    "matches_played",
    "wins",
    "draws",
    "losses",
    "goals_scored",
    "goals_conceded",
    "clean_sheets",
    "total_assists",
    "team_form",
    *(f"avg_{name}" for name in TEAM_COUNT_FIELDS),
    *(f"avg_{name}" for name in catalogue.team_means()),  # avg_possession_percentage
    *TEAM_RATE_FIELDS,
)
PLAYER_SEASON_FIELDS: Final[tuple[str, ...]] = (
    "matches_played",
    "starts",
    "minutes_played",
    *PLAYER_COUNT_FIELDS,
    *PLAYER_RATE_FIELDS,
    *RATING_FIELDS,
)


def _get(item: object, name: str, default: Any = None) -> Any:
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def _amount(value: object) -> float:
    """A stored number, None (or anything not a finite number) counting as 0."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return 0


# ---- club season -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClubMatch:
    """What the club season needs from one stored match."""

    match_date: Any  # a date, datetime or ISO string: anything ordered
    upload_order: Any  # created_at or an upload sequence: breaks match_date ties
    our_score: int  # official score
    opponent_score: int
    team_stats: Mapping[str, Any]  # our team's TEAM_STAT_FIELDS values for the match
    assists: int = 0  # sum of our players' assists in the match
    result: str | None = None  # "W"/"D"/"L"; derived from the scores when None


@dataclass(frozen=True, slots=True)
class ClubSeason:
    matches_played: int
    wins: int
    draws: int
    losses: int
    goals_scored: int
    goals_conceded: int
    clean_sheets: int
    total_assists: int
    team_form: str  # last 5 results, most recent first ("" without matches)
    averages: Mapping[str, float | None]  # avg_<field> per match for TEAM_COUNT_FIELDS
    avg_possession_percentage: float | None  # mean of the match percentages
    pass_completion_rate: float | None  # rates from season totals
    tackle_success_rate: float | None
    interception_success_rate: float | None

    def to_dict(self) -> dict[str, Any]:
        """Every CLUB_SEASON_FIELDS value by name."""
        values = {
            "matches_played": self.matches_played,
            "wins": self.wins,
            "draws": self.draws,
            "losses": self.losses,
            "goals_scored": self.goals_scored,
            "goals_conceded": self.goals_conceded,
            "clean_sheets": self.clean_sheets,
            "total_assists": self.total_assists,
            "team_form": self.team_form,
            **self.averages,
            "avg_possession_percentage": self.avg_possession_percentage,
            "pass_completion_rate": self.pass_completion_rate,
            "tackle_success_rate": self.tackle_success_rate,
            "interception_success_rate": self.interception_success_rate,
        }
        return {name: values[name] for name in CLUB_SEASON_FIELDS}


def _club_match(item: ClubMatch | Mapping[str, Any]) -> ClubMatch:
    if isinstance(item, ClubMatch):
        return item
    upload_order = _get(item, "upload_order")
    if upload_order is None:
        upload_order = _get(item, "created_at")
    assists = _get(item, "assists")
    if assists is None:
        assists = _get(item, "total_assists", 0)
    return ClubMatch(
        match_date=_get(item, "match_date"),
        upload_order=upload_order,
        our_score=_get(item, "our_score"),
        opponent_score=_get(item, "opponent_score"),
        team_stats=_get(item, "team_stats") or {},
        assists=assists or 0,
        result=_get(item, "result"),
    )


def _result(match: ClubMatch) -> str:
    if match.result in ("W", "D", "L"):
        return match.result
    if match.our_score > match.opponent_score:
        return "W"
    return "L" if match.our_score < match.opponent_score else "D"


def compute_club_season(matches: Iterable[ClubMatch | Mapping[str, Any]]) -> ClubSeason:
    """The club's season from its stored matches (ClubMatch or mappings with the same keys;
    `created_at` and `total_assists` are accepted for `upload_order` and `assists`)."""
    played = [_club_match(item) for item in matches]
    results = [_result(match) for match in played]
    count = len(played)
    latest_first = sorted(
        range(count), key=lambda i: (played[i].match_date, played[i].upload_order), reverse=True
    )
    totals = {name: 0.0 for name in TEAM_COUNT_FIELDS}
    possessions: list[float] = []
    for match in played:
        for name in TEAM_COUNT_FIELDS:
            totals[name] += _amount(match.team_stats.get(name))
        possession = match.team_stats.get("possession_percentage")
        if possession is not None:
            possessions.append(_amount(possession))
    rates = {
        name: rate(totals[RATE_PARTS[name][0]], totals[RATE_PARTS[name][1]])
        for name in TEAM_RATE_FIELDS
    }
    return ClubSeason(
        matches_played=count,
        wins=results.count("W"),
        draws=results.count("D"),
        losses=results.count("L"),
        goals_scored=sum(match.our_score for match in played),
        goals_conceded=sum(match.opponent_score for match in played),
        clean_sheets=sum(1 for match in played if match.opponent_score == 0),
        total_assists=sum(int(_amount(match.assists)) for match in played),
        team_form="".join(results[i] for i in latest_first[:FORM_LENGTH]),
        averages={
            f"avg_{name}": (totals[name] / count if count else None) for name in TEAM_COUNT_FIELDS
        },
        avg_possession_percentage=sum(possessions) / len(possessions) if possessions else None,
        pass_completion_rate=rates["pass_completion_rate"],
        tackle_success_rate=rates["tackle_success_rate"],
        interception_success_rate=rates["interception_success_rate"],
    )


# ---- player seasons --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlayerSeason:
    player_id: Hashable  # whatever key the rows were grouped by
    matches_played: int  # appearances
    starts: int
    minutes_played: float
    totals: Mapping[str, float]  # every PLAYER_COUNT_FIELDS value summed over the season
    rates: Mapping[str, float | None]  # PLAYER_RATE_FIELDS from the totals
    per90: Mapping[str, float | None]  # from the totals; None under 1 minute
    attacking_rating: int | None  # 0-100; None under RATING_MIN_MINUTES season minutes
    technique_rating: int | None
    tactical_rating: int | None
    defending_rating: int | None
    creativity_rating: int | None

    def ratings(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in RATING_FIELDS}

    def to_dict(self) -> dict[str, Any]:
        """Every PLAYER_SEASON_FIELDS value by name, plus player_id and a `per90` object."""
        return {
            "player_id": self.player_id,
            "matches_played": self.matches_played,
            "starts": self.starts,
            "minutes_played": self.minutes_played,
            **self.totals,
            **self.rates,
            **self.ratings(),
            "per90": dict(self.per90),
        }


def percentile_ranks(values: Sequence[Fraction | float | None]) -> list[Fraction]:
    """rank / N with ranks 1..N ascending, ties sharing their mean rank (pandas
    `rank(pct=True)`); None ranks below every real value (all Nones tie)."""
    count = len(values)
    order = sorted(range(count), key=lambda i: (values[i] is not None, values[i] or 0))
    ranks: list[Fraction] = [Fraction(0)] * count
    start = 0
    while start < count:
        stop = start
        first = values[order[start]]
        while stop + 1 < count and values[order[stop + 1]] == first:
            stop += 1
        shared = Fraction(start + 1 + stop + 1, 2) / count
        for position in range(start, stop + 1):
            ranks[order[position]] = shared
        start = stop + 1
    return ranks


def _exact(value: float) -> Fraction:
    return Fraction(value)


_FLOAT_EXACT: Final = 2**53  # ints up to this size convert to float exactly


def _ratio(
    kind: str, name: str, totals: Mapping[str, float], minutes: float
) -> tuple[float, float] | None:
    """A component as (numerator, denominator): its value is numerator / denominator times a
    positive constant (90, 100), so both order and ties are those of the quotient."""
    if kind == "per90":
        return totals[name], minutes
    part, whole = RATE_PARTS[name]
    if not totals[whole]:
        return None
    return totals[part], totals[whole]


def _float_exact(numbers: list[float]) -> bool:
    """Whether each number is finite and a float holds it exactly: floats (finite) and ints up
    to 2**53; a float beyond that is exact too but only ever sends the ratings to Fractions."""
    try:
        finite = math.isfinite(math.fsum(numbers))  # inf or nan anywhere: inf, nan or raises
    except (OverflowError, ValueError):
        return False
    return finite and max(map(abs, numbers), default=0) <= _FLOAT_EXACT


def _exact_runs(run: list[int], ratios: Sequence[tuple[float, float]]) -> list[list[int]]:
    """Split indices whose float quotients are equal into their exact ties, in order."""
    first = ratios[run[0]]
    if all(ratios[i] == first for i in run) or all(ratios[i][0] == 0 for i in run):
        return [run]
    exact = {i: Fraction(ratios[i][0]) / Fraction(ratios[i][1]) for i in run}
    run = sorted(run, key=exact.__getitem__)
    runs = [[run[0]]]
    for i in run[1:]:
        if exact[i] == exact[runs[-1][0]]:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def twice_ranks(ratios: Sequence[tuple[float, float] | None]) -> list[int]:
    """``percentile_ranks`` of the quotients numerator / denominator (None below every value)
    as integers: percentile i == result[i] / (2 * N), exactly.

    Sorted by the float quotient, which is correctly rounded and so monotonic: exact order
    implies float order, and exactly equal quotients have equal floats. Only runs of equal
    floats are split exactly (Fractions, rarely: mostly they are the same pair or all zero).
    Numbers a float cannot hold exactly fall back to Fractions throughout."""
    count = len(ratios)
    real = [i for i in range(count) if ratios[i] is not None]
    if not _float_exact([n for i in real for n in ratios[i]]):
        return [int(p * 2 * count) for p in percentile_ranks(_quotients(ratios))]
    nones = count - len(real)
    ranks = [nones + 1] * count  # the Nones share positions 0 .. nones - 1
    quotient = {i: ratios[i][0] / ratios[i][1] for i in real}
    real.sort(key=quotient.__getitem__)
    start, position = nones, 0
    while position < len(real):
        stop = position
        while stop + 1 < len(real) and quotient[real[stop + 1]] == quotient[real[position]]:
            stop += 1
        if stop == position:  # a value of its own
            ranks[real[position]] = 2 * start + 2
            start += 1
        else:
            for tie in _exact_runs(real[position : stop + 1], ratios):
                twice = 2 * start + len(tie) + 1  # first + last position + 2
                for i in tie:
                    ranks[i] = twice
                start += len(tie)
        position = stop + 1
    return ranks


def _quotients(ratios: Sequence[tuple[float, float] | None]) -> list[Fraction | None]:
    return [None if r is None else _exact(r[0]) / _exact(r[1]) for r in ratios]


class PlayerTotals(NamedTuple):
    """A player's season sums: what his season figures and the squad's ratings are made of."""

    matches: int  # appearances
    starts: int
    minutes: float
    totals: Mapping[str, float]  # every PLAYER_COUNT_FIELDS count summed over the season


def player_totals(
    rows: Iterable[Mapping[str, Any] | object], *, key: str = "player_id"
) -> dict[Hashable, PlayerTotals]:
    """Each player's sums over per-player-per-match rows (mappings or objects such as
    PlayerStats) with `key`, `is_starter`, `minutes_played` and the PLAYER_COUNT_FIELDS counts
    (missing or not a finite number = 0)."""
    grouped: dict[Hashable, dict[str, Any]] = {}
    for row in rows:
        player_key = _get(row, key)
        group = grouped.get(player_key)
        if group is None:
            group = grouped[player_key] = {
                "matches": 0,
                "starts": 0,
                "minutes": 0.0,
                "totals": dict.fromkeys(PLAYER_COUNT_FIELDS, 0),
            }
        group["matches"] += 1
        group["starts"] += 1 if _get(row, "is_starter") else 0
        group["minutes"] += _amount(_get(row, "minutes_played"))
        totals = group["totals"]
        for name in PLAYER_COUNT_FIELDS:
            totals[name] += _amount(_get(row, name))
    return {
        player_key: PlayerTotals(g["matches"], g["starts"], g["minutes"], g["totals"])
        for player_key, g in grouped.items()
    }


def compute_player_seasons(
    rows: Iterable[Mapping[str, Any] | object], *, key: str = "player_id"
) -> dict[Hashable, PlayerSeason]:
    """Season figures and attribute ratings for each of the club's players, from their
    per-match rows (see `player_totals`)."""
    return player_seasons(player_totals(rows, key=key))


def player_ratings(sums: Mapping[Hashable, PlayerTotals]) -> dict[Hashable, dict[str, int]]:
    """Each rated player's RATING_FIELDS: his rank among the players with >= 90 season
    minutes on each component, averaged per rating (statistics.md)."""
    eligible = [(key, sum_) for key, sum_ in sums.items() if sum_.minutes >= RATING_MIN_MINUTES]
    ratings: dict[Hashable, dict[str, int]] = {player_key: {} for player_key, _ in eligible}
    count = len(eligible)
    for rating_name, components in RATING_COMPONENTS.items():
        # Each percentile is twice_rank / (2 * count): the rating, the mean percentile x 100
        # rounded half up, is floor((100 * sum + count * k) / (2 * count * k)) in integers.
        twice_sums = [0] * count
        for kind, name in components:
            ratios = [_ratio(kind, name, sum_.totals, sum_.minutes) for _, sum_ in eligible]
            for position, twice in enumerate(twice_ranks(ratios)):
                twice_sums[position] += twice
        scale = count * len(components)
        for position, (player_key, _) in enumerate(eligible):
            ratings[player_key][rating_name] = (100 * twice_sums[position] + scale) // (2 * scale)
    return ratings


def player_season(
    player_key: Hashable, sum_: PlayerTotals, ratings: Mapping[str, int]
) -> PlayerSeason:
    """One player's season figures from his sums and his ratings (`player_ratings`; empty:
    not rated)."""
    totals = sum_.totals
    minutes = sum_.minutes
    return PlayerSeason(
        player_id=player_key,
        matches_played=sum_.matches,
        starts=sum_.starts,
        minutes_played=minutes,
        totals=dict(totals),
        rates={
            name: rate(totals[RATE_PARTS[name][0]], totals[RATE_PARTS[name][1]])
            for name in PLAYER_RATE_FIELDS
        },
        per90={name: per90(totals[name], minutes) for name in PLAYER_COUNT_FIELDS},
        attacking_rating=ratings.get("attacking_rating"),
        technique_rating=ratings.get("technique_rating"),
        tactical_rating=ratings.get("tactical_rating"),
        defending_rating=ratings.get("defending_rating"),
        creativity_rating=ratings.get("creativity_rating"),
    )


def player_seasons(sums: Mapping[Hashable, PlayerTotals]) -> dict[Hashable, PlayerSeason]:
    """Season figures and attribute ratings from each player's sums (which the database can
    add up, so the work does not grow with the club's history).

    Ratings rank each player among the club's players with >= 90 season minutes.
    """
    ratings = player_ratings(sums)
    return {
        player_key: player_season(player_key, sum_, ratings.get(player_key, {}))
        for player_key, sum_ in sums.items()
    }
