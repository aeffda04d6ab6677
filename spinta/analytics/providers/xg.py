"""Spinta's own shot model: the xG of a shot from where it was taken, for providers without xG.

A logistic model on two features of the shot's location (the 120 x 80 pitch, attacking left to
right, goal mouth from y=36 to y=44 at x=120):

    distance = yards from the shot to the centre of the goal
    angle    = the angle (radians) the goal mouth spans seen from the shot
    xG       = 1 / (1 + exp(-(INTERCEPT + DISTANCE * distance + ANGLE * angle)))

The coefficients were fitted (least cross-entropy against StatsBomb's `statsbomb_xg` as the
target) on the 159 non-penalty shots of the four shared StatsBomb matches and kloppy's three
StatsBomb test matches; on them the model's total is StatsBomb's total and a shot's xG is
0.05 off StatsBomb's on average (tests/providers/test_xg.py checks it per shared file).
A penalty is PENALTY_XG (StatsBomb's usual value). A shot without a location has no xG.
`shot_xg` measures from the nearer goal: a shot from the own half means the file's
orientation is off (no shot is taken at the far goal), so it is mirrored first.
"""

from __future__ import annotations

import math
from typing import Final

__all__ = ["ANGLE", "DISTANCE", "INTERCEPT", "PENALTY_XG", "expected_goals", "shot_xg"]

INTERCEPT: Final = -0.9523
DISTANCE: Final = -0.08993  # per yard
ANGLE: Final = 0.3671  # per radian
PENALTY_XG: Final = 0.76

_GOAL_X, _POST_LOW, _POST_HIGH, _CENTRE_Y = 120.0, 36.0, 44.0, 40.0


def expected_goals(x: float, y: float) -> float:
    """The model's xG of a shot from (x, y)."""
    dx = max(_GOAL_X - x, 0.0)
    distance = math.hypot(dx, y - _CENTRE_Y)
    angle = abs(math.atan2(_POST_HIGH - y, dx) - math.atan2(_POST_LOW - y, dx))
    return 1.0 / (1.0 + math.exp(-(INTERCEPT + DISTANCE * distance + ANGLE * angle)))


def shot_xg(x: float, y: float) -> float:
    """expected_goals towards the nearer goal (see the module doc)."""
    if x < 60.0:
        x, y = 120.0 - x, 80.0 - y
    return expected_goals(x, y)
