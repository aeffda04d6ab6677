"""The pitch the advanced metrics measure on, by team format (statistics.md "Advanced metrics").

The rules' thresholds are yards on StatsBomb's 120 x 80 pitch and scale with the pitch the
coordinates are on: x by length / 120, y by width / 80. Neutral events are on the 120 x 80 frame
(`PITCHES["11v11"]`, the default); a team's format picks a shorter pitch for coordinates given in
its own yards. Youth sizes: the English FA's recommended pitches (9v9 80 x 50, 7v7 60 x 40,
5v5 40 x 30 yards).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["DEFAULT_FORMAT", "PITCHES", "Pitch", "pitch_for"]

REFERENCE_LENGTH: Final = 120.0
REFERENCE_WIDTH: Final = 80.0


@dataclass(frozen=True, slots=True)
class Pitch:
    length: float = REFERENCE_LENGTH
    width: float = REFERENCE_WIDTH

    def x(self, yards: float) -> float:
        """A length on the reference pitch (along x), on this pitch."""
        return yards * self.length / REFERENCE_LENGTH

    def y(self, yards: float) -> float:
        """A width on the reference pitch (along y), on this pitch."""
        return yards * self.width / REFERENCE_WIDTH

    def in_penalty_area(self, x: float, y: float | None) -> bool:
        """In the attacked penalty area (18 x 44 yards on the reference pitch)."""
        return (
            y is not None
            and x >= self.length - self.x(18.0)
            and self.y(18.0) <= y <= self.width - self.y(18.0)
        )


PITCHES: Final = {
    "11v11": Pitch(),
    "9v9": Pitch(80.0, 50.0),
    "7v7": Pitch(60.0, 40.0),
    "5v5": Pitch(40.0, 30.0),
}
DEFAULT_FORMAT: Final = "11v11"


def pitch_for(team_format: str | None) -> Pitch:
    """The pitch of a team format ("11v11", "9v9", "7v7", "5v5"); 11v11 when unknown."""
    return PITCHES.get(team_format or DEFAULT_FORMAT, PITCHES[DEFAULT_FORMAT])
