"""The statistics the assistant knows: names coaches use for them and where they are stored.

Pure data (no database): the parser reads the phrases, the answers read the columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from spinta.analytics import catalogue

COUNT: Final = "count"  # a whole number (goals, passes, ...)
RATE: Final = "rate"  # a percentage, 1 decimal
XG: Final = "xg"  # expected goals, 2 decimals
MINUTES: Final = "minutes"  # whole minutes (rounded half-up)
RATING: Final = "rating"  # attribute rating 0-100
APPEARANCES: Final = "appearances"  # matches played / starts (season only)


@dataclass(frozen=True, slots=True)
class Stat:
    """One statistic: its key, a label for answers, the phrases that name it and its columns.

    ``player`` is the column of the player rows (season and match), ``team`` the column of a
    team row of one match (``None`` when it has no team meaning), ``parts`` the (part, whole)
    columns of a rate. ``lower_is_better``: "best" means fewest (fouls, cards).
    """

    key: str
    label: str
    kind: str
    phrases: tuple[str, ...]
    player: str | None = None
    team: str | None = None
    parts: tuple[str, str] | None = None
    lower_is_better: bool = False

    @property
    def has_per90(self) -> bool:
        return self.kind in (COUNT, XG) and self.player is not None


# How the assistant shows a catalogue statistic, by the catalogue's kind.
_KINDS: Final = {
    catalogue.Kind.COUNT: COUNT,
    catalogue.Kind.XG: XG,
    catalogue.Kind.RATIO: RATE,
    catalogue.Kind.SHARE: RATE,
    catalogue.Kind.DURATION: MINUTES,
}


def _catalogued(key: str, column: str | None = None) -> Stat:
    """A statistic of the catalogue (``column``, default ``key``): its label, phrases, kind,
    parts, direction and whether it has a player and a team column come from there (one
    definition); the assistant adds only the key questions and answers use for it."""
    entry = catalogue.BY_KEY[column or key]
    return Stat(
        key,
        entry.label,
        _KINDS[entry.kind],
        entry.phrases,
        entry.key if entry.player else None,
        entry.key if entry.team else None,
        entry.parts,
        entry.lower_is_better,
    )


STATS: Final[tuple[Stat, ...]] = (
    _catalogued("goals"),
    _catalogued("own_goals"),
    _catalogued("assists"),
    _catalogued("expected_goals"),
    _catalogued("shots_on_target"),
    _catalogued("shots", "total_shots"),
    _catalogued("key_passes"),
    _catalogued("pass_completion_rate"),
    _catalogued("passes_completed"),
    _catalogued("long_passes"),
    _catalogued("short_passes"),
    _catalogued("final_third_passes"),
    _catalogued("passes", "total_passes"),
    _catalogued("crosses"),
    _catalogued("corners"),
    _catalogued("dribble_success_rate"),
    _catalogued("successful_dribbles"),
    _catalogued("dribbles", "total_dribbles"),
    _catalogued("tackle_success_rate"),
    _catalogued("tackles_won"),
    _catalogued("tackles", "total_tackles"),
    _catalogued("interception_success_rate"),
    _catalogued("interceptions"),
    _catalogued("ball_recoveries"),
    _catalogued("clearances"),
    _catalogued("fouls", "fouls_committed"),
    _catalogued("yellow_cards"),
    _catalogued("red_cards"),
    _catalogued("pressures"),
    _catalogued("saves", "goalkeeper_saves"),
    _catalogued("possession", "possession_percentage"),
    _catalogued("minutes", "minutes_played"),
    Stat(
        "matches_played",
        "matches played",
        APPEARANCES,
        (
            "matches played",
            "games played",
            "appearances",
            "apps",
            "caps",
            "how many matches",
            "how many games",
        ),
        player="matches_played",
    ),
    Stat("starts", "starts", APPEARANCES, ("starts", "started", "starter"), player="starts"),
    Stat(
        "attacking_rating",
        "attacking rating",
        RATING,
        ("attacking rating", "attack rating"),
        player="attacking_rating",
    ),
    Stat(
        "technique_rating",
        "technique rating",
        RATING,
        ("technique rating", "technical rating"),
        player="technique_rating",
    ),
    Stat(
        "tactical_rating", "tactical rating", RATING, ("tactical rating",), player="tactical_rating"
    ),
    Stat(
        "defending_rating",
        "defending rating",
        RATING,
        ("defending rating", "defensive rating", "defence rating", "defense rating"),
        player="defending_rating",
    ),
    Stat(
        "creativity_rating",
        "creativity rating",
        RATING,
        ("creativity rating", "creative rating"),
        player="creativity_rating",
    ),
    Stat(
        "overall_rating",
        "overall rating (mean of the five attribute ratings)",
        RATING,
        ("overall rating", "ratings", "rating", "rated"),
        player="overall_rating",
    ),
)

STATS_BY_KEY: Final = {stat.key: stat for stat in STATS}
RATING_KEYS: Final = (
    "attacking_rating",
    "technique_rating",
    "tactical_rating",
    "defending_rating",
    "creativity_rating",
)
# "cards" names two statistics at once.
MULTI_PHRASES: Final = {
    "cards": ("yellow_cards", "red_cards"),
    "card": ("yellow_cards", "red_cards"),
}


def phrase_table() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(phrase tokens, stat keys), longest phrases first so "shots on target" beats "shots"."""
    table: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for stat in STATS:
        for phrase in stat.phrases:
            table.append((tuple(phrase.split()), (stat.key,)))
    for phrase, keys in MULTI_PHRASES.items():
        table.append((tuple(phrase.split()), keys))
    table.sort(key=lambda item: -len(item[0]))
    return table


PHRASES: Final = phrase_table()
STAT_WORDS: Final = frozenset(word for tokens, _keys in PHRASES for word in tokens)
