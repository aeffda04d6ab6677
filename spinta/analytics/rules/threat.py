"""Expected threat (statistics.md "Advanced metrics"): Karun Singh's 12 x 8 grid
(`data/xt_12x8.json`, with its source). A completed pass or a carry with both ends known earns
xT(end zone) - xT(start zone) for its team and player. Zones divide the pitch the event is on
into 12 columns along its length and 8 rows across, exactly as socceraction's `xthreat` bins
StatsBomb data: a StatsBomb location names the cell of the pitch *ending* at it (socceraction's
`_convert_locations` takes the cell's centre), so a point exactly on a zone boundary (x = 60,
y = 20) lies in the zone before it; 0 is in the first zone, the far edge in the last.
`tests/analytics/test_xt_reference.py` (`make test-reference`) checks every pass and carry of
the shared files against socceraction itself."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from ..domain import CarryEvent, EventType, PassEvent, PassResult
from ..pitch import Pitch
from . import Handler
from .tally import Tally

__all__ = ["GRID_PATH", "ExpectedThreat", "grid", "zone", "zone_value"]

GRID_PATH = Path(__file__).resolve().parent.parent / "data" / "xt_12x8.json"


@cache
def grid() -> tuple[tuple[float, ...], ...]:
    """The 8 rows x 12 columns of xT values."""
    rows = json.loads(GRID_PATH.read_text(encoding="utf-8"))["grid"]
    return tuple(tuple(float(value) for value in row) for row in rows)


def _index(position: float, last: int) -> int:
    """The zone (0..last) of a position in zone units: a boundary belongs to the zone before
    it (see the module's docstring)."""
    index = int(position)
    if index == position:
        index -= 1
    return 0 if index < 0 else last if index > last else index


def zone(x: float, y: float, pitch: Pitch) -> tuple[int, int]:
    """(row, column) of the grid zone holding the point."""
    values = grid()
    columns, rows = len(values[0]), len(values)
    row = _index(y / (pitch.width / rows), rows - 1)
    return row, _index(x / (pitch.length / columns), columns - 1)


def zone_value(x: float, y: float, pitch: Pitch) -> float:
    row, column = zone(x, y, pitch)
    return grid()[row][column]


class ExpectedThreat:
    __slots__ = ("column_scale", "columns", "pitch", "row_scale", "rows", "tally", "values")

    def __init__(self, tally: Tally, pitch: Pitch) -> None:
        self.tally = tally
        self.pitch = pitch
        self.values = grid()
        self.rows, self.columns = len(self.values) - 1, len(self.values[0]) - 1
        self.column_scale = pitch.length / (self.columns + 1)  # yards per zone
        self.row_scale = pitch.width / (self.rows + 1)

    def _value(self, x: float, y: float) -> float:
        """zone_value, with the pitch's scales at hand (the hot path)."""
        x, y = x / self.column_scale, y / self.row_scale
        column, row = int(x), int(y)
        if column == x:  # on a boundary: the zone before it
            column -= 1
        if row == y:
            row -= 1
        column = 0 if column < 0 else self.columns if column > self.columns else column
        row = 0 if row < 0 else self.rows if row > self.rows else row
        return self.values[row][column]

    def handlers(self) -> Mapping[EventType, Handler]:
        return {EventType.PASS: self.on_pass, EventType.CARRY: self.on_move}

    def shootout_handlers(self) -> Mapping[EventType, Handler]:
        return {}

    def on_pass(self, event: PassEvent) -> None:
        if event.result is PassResult.COMPLETE:
            self.on_move(event)

    def on_move(self, event: PassEvent | CarryEvent) -> None:
        x, y, end_x, end_y = event.x, event.y, event.end_x, event.end_y
        if x is None or y is None or end_x is None or end_y is None:
            return
        gain = self._value(end_x, end_y) - self._value(x, y)
        if gain:
            self.tally.add(event, "expected_threat", gain)
