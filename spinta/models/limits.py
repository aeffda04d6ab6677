"""What a column can store, read from the model: the one place uploads check values against.

A string column takes up to its ``String(n)`` length and no NUL character (PostgreSQL text
refuses it); an integer column takes the range of its type (``SmallInteger``, ``Integer``,
``BigInteger``), or the narrower range the contract sets in the column's ``info["range"]``
(jersey numbers 0-99, :data:`JERSEY_NUMBERS`). Each column's limit is read once and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Integer, SmallInteger, String

# api.md: a jersey number is 0-99 (players' CHECK constraint and every jersey column's range).
JERSEY_NUMBERS = (0, 99)
JERSEY_RANGE = {"range": JERSEY_NUMBERS}

# Most specific type first (BigInteger and SmallInteger are Integer subclasses).
_INTEGER_BITS = ((BigInteger, 64), (SmallInteger, 16), (Integer, 32))


@dataclass(frozen=True, slots=True)
class Limit:
    """What one column takes: a longest text (None: any), an integer range (None: no integer)."""

    length: int | None = None
    range: tuple[int, int] | None = None

    def problem(self, value: Any) -> str | None:
        """Why the column cannot take the value, as the end of a sentence (None when it can)."""
        kind = type(value)
        if kind is str:
            if "\x00" in value:
                return "contains a NUL character (\\u0000)"
            if self.length is not None and len(value) > self.length:
                return f"is longer than {self.length} characters ({value[:40]!r}...)"
        elif kind is int and self.range is not None:
            low, high = self.range
            if not low <= value <= high:
                return f"is {value}, outside the range {low} to {high}"
        return None


@cache
def limit_of(column: Any) -> Limit:
    """The limit of a column (a Column or a mapped attribute such as ``Goal.minute``)."""
    kind = column.type
    if isinstance(kind, String):
        return Limit(length=kind.length)
    narrower = column.info.get("range")
    if narrower is not None:
        return Limit(range=narrower)
    for integer, bits in _INTEGER_BITS:
        if isinstance(kind, integer):
            return Limit(range=(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1))
    return Limit()


def text_length(column: Any) -> int | None:
    """The longest string the column takes (None: no limit)."""
    return limit_of(column).length


def int_range(column: Any) -> tuple[int, int]:
    """The smallest and largest integer the column takes."""
    bounds = limit_of(column).range
    if bounds is None:
        raise TypeError(f"{column} is not an integer column")
    return bounds


def storage_problem(column: Any, value: Any) -> str | None:
    """Why the column cannot take the value, as the end of a sentence (None when it can)."""
    return limit_of(column).problem(value)
