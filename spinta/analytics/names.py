"""StatsBomb names the analysis relies on, case-folded (names are compared case-insensitively)."""

from __future__ import annotations

from typing import Final

# Event types (`type.name`).
STARTING_XI: Final = "starting xi"
SUBSTITUTION: Final = "substitution"
TACTICAL_SHIFT: Final = "tactical shift"
SHOT: Final = "shot"
PASS: Final = "pass"
DRIBBLE: Final = "dribble"
DUEL: Final = "duel"
INTERCEPTION: Final = "interception"
BALL_RECOVERY: Final = "ball recovery"
CLEARANCE: Final = "clearance"
FOUL_COMMITTED: Final = "foul committed"
PRESSURE: Final = "pressure"
GOAL_KEEPER: Final = "goal keeper"
OWN_GOAL_FOR: Final = "own goal for"
OWN_GOAL_AGAINST: Final = "own goal against"

# Periods: 1-4 are regulation play (halves and extra time), 5 is the penalty shootout.
REGULATION_PERIODS: Final = frozenset({1, 2, 3, 4})
SHOOTOUT_PERIOD: Final = 5

# Shot outcomes and types.
GOAL: Final = "goal"
SHOT_ON_TARGET: Final = frozenset({"goal", "saved", "saved to post"})
SHOT_SAVED: Final = frozenset({"saved", "saved to post"})
SHOT_OFF_TARGET: Final = frozenset({"off t", "wayward", "post", "saved off target"})
SHOT_BLOCKED: Final = "blocked"
PENALTY: Final = "penalty"

# Pass, dribble, duel, interception and goalkeeper names.
CORNER: Final = "corner"
DRIBBLE_COMPLETE: Final = "complete"
TACKLE: Final = "tackle"
WON_OUTCOMES: Final = frozenset({"won", "success", "success in play", "success out"})
GOALKEEPER_SAVES: Final = frozenset(
    {"shot saved", "shot saved to post", "penalty saved", "penalty saved to post"}
)

# Cards (in `foul_committed.card` or `bad_behaviour.card`).
YELLOW_CARD: Final = "yellow card"
SENDING_OFF_CARDS: Final = frozenset({"red card", "second yellow"})

# Pitch thresholds (yards).
FINAL_THIRD_X: Final = 80.0
LONG_PASS_LENGTH: Final = 30.0
SHORT_PASS_LENGTH: Final = 15.0
