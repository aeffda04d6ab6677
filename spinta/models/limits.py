"""What a column can store, read from the model: the one place uploads check values against.

A string column takes up to its ``String(n)`` length and no NUL character (PostgreSQL text
refuses it); an integer column takes the range of its type (``SmallInteger``, ``Integer``,
``BigInteger``), or the narrower range the contract sets in the column's ``info["range"]``
(jersey numbers 0-99, :data:`JERSEY_NUMBERS`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Integer, SmallInteger, String

# api.md: a jersey number is 0-99 (players' CHECK constraint and every jersey column's range).
JERSEY_NUMBERS = (0, 99)
JERSEY_RANGE = {"range": JERSEY_NUMBERS}

# Most specific type first (BigInteger and SmallInteger are Integer subclasses).
_INTEGER_BITS = ((BigInteger, 64), (SmallInteger, 16), (Integer, 32))


def text_length(column: Any) -> int | None:
    """The longest string the column takes (None: no limit)."""
    kind = column.type
    return kind.length if isinstance(kind, String) else None


def int_range(column: Any) -> tuple[int, int]:
    """The smallest and largest integer the column takes."""
    narrower = column.info.get("range")
    if narrower is not None:
        return narrower
    for kind, bits in _INTEGER_BITS:
        if isinstance(column.type, kind):
            return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    raise TypeError(f"{column} is not an integer column")


def storage_problem(column: Any, value: Any) -> str | None:
    """Why the column cannot take the value, as the end of a sentence (None when it can)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if "\x00" in value:
            return "contains a NUL character (\\u0000)"
        limit = text_length(column)
        if limit is not None and len(value) > limit:
            return f"is longer than {limit} characters ({value[:40]!r}...)"
    elif isinstance(value, int) and isinstance(column.type, Integer):
        low, high = int_range(column)
        if not low <= value <= high:
            return f"is {value}, outside the range {low} to {high}"
    return None
