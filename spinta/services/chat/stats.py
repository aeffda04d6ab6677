"""The statistics the assistant knows: names coaches use for them and where they are stored.

Pure data (no database): the parser reads the phrases, the answers read the columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

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


STATS: Final[tuple[Stat, ...]] = (
    Stat(
        "goals", "goals", COUNT, ("goals", "goal", "scored", "scoring", "netted"), "goals", "goals"
    ),
    Stat(
        "own_goals",
        "own goals",
        COUNT,
        ("own goals", "own goal", "og"),
        "own_goals",
        lower_is_better=True,
    ),
    Stat(
        "assists",
        "assists",
        COUNT,
        ("assists", "assist", "assisted", "set up", "setup", "assister", "assisters"),
        "assists",
    ),
    Stat(
        "expected_goals",
        "xG",
        XG,
        ("expected goals", "expected goal", "xg", "x g"),
        "expected_goals",
        "expected_goals",
    ),
    Stat(
        "shots_on_target",
        "shots on target",
        COUNT,
        ("shots on target", "shot on target", "on target", "on goal"),
        "shots_on_target",
        "shots_on_target",
    ),
    Stat(
        "shots",
        "shots",
        COUNT,
        ("shots", "shot", "shooting", "attempts", "shooter", "shooters"),
        "total_shots",
        "total_shots",
    ),
    Stat(
        "key_passes",
        "key passes",
        COUNT,
        ("key passes", "key pass", "chances created", "chance created", "chances"),
        "key_passes",
    ),
    Stat(
        "pass_completion_rate",
        "pass completion",
        RATE,
        (
            "pass completion rate",
            "pass completion",
            "passing accuracy",
            "pass accuracy",
            "passing percentage",
            "pass percentage",
            "completion rate",
            "completion",
            "pass success rate",
            "pass success",
            "passing success",
            "accurate passer",
        ),
        "pass_completion_rate",
        "pass_completion_rate",
        parts=("passes_completed", "total_passes"),
    ),
    Stat(
        "passes_completed",
        "completed passes",
        COUNT,
        ("completed passes", "passes completed", "successful passes", "accurate passes"),
        "passes_completed",
        "passes_completed",
    ),
    Stat(
        "long_passes",
        "long passes",
        COUNT,
        ("long passes", "long pass", "long balls"),
        "long_passes",
        "long_passes",
    ),
    Stat("short_passes", "short passes", COUNT, ("short passes", "short pass"), "short_passes"),
    Stat(
        "final_third_passes",
        "final-third passes",
        COUNT,
        ("final third passes", "passes into the final third", "final third"),
        "final_third_passes",
        "final_third_passes",
    ),
    Stat(
        "passes",
        "passes",
        COUNT,
        ("passes", "pass", "passing", "passer", "passers"),
        "total_passes",
        "total_passes",
    ),
    Stat(
        "crosses",
        "crosses",
        COUNT,
        ("crosses", "cross", "crossing", "crossers"),
        "crosses",
        "crosses",
    ),
    Stat("corners", "corners", COUNT, ("corners", "corner kicks", "corner"), "corners", "corners"),
    Stat(
        "dribble_success_rate",
        "dribble success",
        RATE,
        ("dribble success rate", "dribble success", "dribbling success"),
        "dribble_success_rate",
        parts=("successful_dribbles", "total_dribbles"),
    ),
    Stat(
        "successful_dribbles",
        "successful dribbles",
        COUNT,
        ("successful dribbles", "completed dribbles", "dribbles completed"),
        "successful_dribbles",
        "successful_dribbles",
    ),
    Stat(
        "dribbles",
        "dribbles",
        COUNT,
        ("dribbles", "dribble", "dribbling", "dribbler", "dribblers"),
        "total_dribbles",
        "total_dribbles",
    ),
    Stat(
        "tackle_success_rate",
        "tackle success",
        RATE,
        ("tackle success rate", "tackle success", "tackling success", "tackle rate"),
        "tackle_success_rate",
        "tackle_success_rate",
        parts=("tackles_won", "total_tackles"),
    ),
    Stat(
        "tackles_won",
        "tackles won",
        COUNT,
        ("tackles won", "won tackles", "successful tackles"),
        "tackles_won",
        "tackles_won",
    ),
    Stat(
        "tackles",
        "tackles",
        COUNT,
        ("tackles", "tackle", "tackling", "tackler", "tacklers"),
        "total_tackles",
        "total_tackles",
    ),
    Stat(
        "interception_success_rate",
        "interception success",
        RATE,
        ("interception success rate", "interception success"),
        "interception_success_rate",
        "interception_success_rate",
        parts=("interceptions_won", "interceptions"),
    ),
    Stat(
        "interceptions",
        "interceptions",
        COUNT,
        ("interceptions", "interception", "intercepted"),
        "interceptions",
        "interceptions",
    ),
    Stat(
        "ball_recoveries",
        "ball recoveries",
        COUNT,
        ("ball recoveries", "recoveries", "recovery", "recovered"),
        "ball_recoveries",
        "ball_recoveries",
    ),
    Stat(
        "clearances",
        "clearances",
        COUNT,
        ("clearances", "clearance", "cleared"),
        "clearances",
        "clearances",
    ),
    Stat(
        "fouls",
        "fouls",
        COUNT,
        ("fouls committed", "fouls", "foul", "fouled"),
        "fouls_committed",
        "fouls_committed",
        lower_is_better=True,
    ),
    Stat(
        "yellow_cards",
        "yellow cards",
        COUNT,
        ("yellow cards", "yellow card", "yellows", "booked", "bookings"),
        "yellow_cards",
        "yellow_cards",
        lower_is_better=True,
    ),
    Stat(
        "red_cards",
        "red cards",
        COUNT,
        ("red cards", "red card", "sent off"),
        "red_cards",
        "red_cards",
        lower_is_better=True,
    ),
    Stat("pressures", "pressures", COUNT, ("pressures", "pressure", "pressing"), "pressures"),
    Stat(
        "saves",
        "saves",
        COUNT,
        ("saves", "save", "goalkeeper saves"),
        "goalkeeper_saves",
        "goalkeeper_saves",
    ),
    Stat(
        "possession",
        "possession",
        RATE,
        ("ball possession", "possession"),
        None,
        "possession_percentage",
    ),
    Stat(
        "minutes",
        "minutes",
        MINUTES,
        ("minutes played", "playing time", "minutes", "minute", "mins"),
        "minutes_played",
    ),
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
        "matches_played",
    ),
    Stat("starts", "starts", APPEARANCES, ("starts", "started", "starter"), "starts"),
    Stat(
        "attacking_rating",
        "attacking rating",
        RATING,
        ("attacking rating", "attack rating"),
        "attacking_rating",
    ),
    Stat(
        "technique_rating",
        "technique rating",
        RATING,
        ("technique rating", "technical rating"),
        "technique_rating",
    ),
    Stat("tactical_rating", "tactical rating", RATING, ("tactical rating",), "tactical_rating"),
    Stat(
        "defending_rating",
        "defending rating",
        RATING,
        ("defending rating", "defensive rating", "defence rating", "defense rating"),
        "defending_rating",
    ),
    Stat(
        "creativity_rating",
        "creativity rating",
        RATING,
        ("creativity rating", "creative rating"),
        "creativity_rating",
    ),
    Stat(
        "overall_rating",
        "overall rating (mean of the five attribute ratings)",
        RATING,
        ("overall rating", "ratings", "rating", "rated"),
        "overall_rating",
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
