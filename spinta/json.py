"""JSON out and in, both with orjson.

Out: :class:`OrjsonProvider`, Flask's JSON provider (fast responses for large statistics).

In: every JSON document a client sends, request bodies and events files alike, is read here
(:func:`read_document`; an events file by pieces, :func:`parse_array` and
:func:`parse_object_with_array`), answering 400 with one sentence for each way a document can
be unreadable, before any field is looked at:

- not UTF-8 text: invalid bytes, or an escape naming a lone UTF-16 surrogate (``"\\ud800"``),
  which is no character, cannot be stored by any database and has no UTF-8 form. Wherever it
  is (a field, a nested object, an ignored extra field, an event), the whole document is
  refused: "... is not valid UTF-8 text (...)". A surrogate *pair* (``"\\ud83d\\ude00"``) is
  the character it encodes and is accepted;
- not JSON: "... is not valid JSON (...)";
- nested more than :data:`MAX_DEPTH` levels: "... is nested more than 32 levels deep". Spinta's
  bodies are 4 levels deep, StatsBomb events 7; deeper documents only cost recursion (the
  standard library's parser raised RecursionError at ~1,000 levels, orjson refuses 1,024, and
  orjson cannot write back more than 254, so such an event could not be stored).

The depth, and the number of objects, arrays and values of a document, are measured on its
bytes before it is parsed (:func:`measure`): whole-buffer bytes operations (translate, count,
replace) that run at memory speed, a few milliseconds for a 4 MB match file, with no Python
loop per character or per value. So a document is refused before it costs a Python object.
"""

from __future__ import annotations

import decimal
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from flask.json.provider import JSONProvider

from spinta.errors import BadRequest

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY

MAX_DEPTH = 32


def _default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, set | frozenset):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class OrjsonProvider(JSONProvider):
    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return orjson.dumps(obj, default=_default, option=_OPTIONS).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)

    def response(self, *args: Any, **kwargs: Any):
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(
            orjson.dumps(obj, default=_default, option=_OPTIONS), mimetype="application/json"
        )


# ---------------------------------------------------------------- measuring a document's bytes


@dataclass(frozen=True)
class Shape:
    """What a JSON text is made of, counted on its bytes (see :func:`measure`)."""

    containers: int  # objects and arrays
    strings: int  # strings, object keys included
    members: int  # object members (key: value)
    values: int  # every value, containers included (an upper bound: see measure)
    too_deep: bool  # nested more than the depth measure() was asked about


_STRUCTURAL = b'"[]{},:'
_NOT_STRUCTURAL = bytes(b for b in range(256) if b not in _STRUCTURAL)
_OBJECTS_AS_ARRAYS = bytes.maketrans(b"{}", b"[]")


def measure(raw: bytes, max_depth: int = MAX_DEPTH) -> Shape:
    """Count the containers and values of a JSON text and tell whether it nests deeper than
    ``max_depth``, without parsing it.

    Only structural characters count, so strings are removed first: escaped backslashes and
    quotes, then (after counting the quotes) the characters between each pair of quotes. What
    is left is brackets, commas and colons: one value per colon (an object member) and per
    comma, plus the first item of each array and the document itself (an upper bound: commas
    between members count twice).
    The depth is the number of rounds that delete every innermost ``[]`` pair (objects folded
    into arrays) until nothing is left; at most ``max_depth`` rounds are run.

    Exact for valid JSON; invalid JSON gets some answer, and orjson then says what is wrong.
    """
    if b"\\" in raw:  # only inside strings; `\\` first, so `\\"` still ends its string
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Strings without structural characters (nearly all) become "" and go at once; any
    # others are cut out between their quotes.
    marks = raw.translate(None, _NOT_STRUCTURAL)
    strings = marks.count(b'"') // 2
    marks = marks.replace(b'""', b"")
    if b'"' in marks:
        marks = b"".join(marks.split(b'"')[::2])
    arrays = marks.count(b"[")
    containers = arrays + marks.count(b"{")
    members = marks.count(b":")
    values = 1 + arrays + marks.count(b",") + members
    brackets = marks.translate(_OBJECTS_AS_ARRAYS, b",:")
    del marks
    for _ in range(max_depth):
        if not brackets:
            break
        inner_removed = brackets.replace(b"[]", b"")
        if len(inner_removed) == len(brackets):
            brackets = b""  # unbalanced: not JSON, which orjson will say
            break
        brackets = inner_removed
    too_deep = bool(brackets) and brackets.count(b"[") == brackets.count(b"]")
    return Shape(containers, strings, members, values, too_deep)


# ---------------------------------------------------------------- reading a document


class UnreadableJson(BadRequest):
    """A request body or events file that is not valid JSON, not UTF-8 text, or too deep."""


def too_deep(what: str) -> UnreadableJson:
    return UnreadableJson(f"The {what} is nested more than {MAX_DEPTH} levels deep.")


def _decode_error(exc: orjson.JSONDecodeError, what: str) -> UnreadableJson:
    reason = str(exc.args[0])
    if "depth limit" in reason or "recursion" in reason.lower():
        return too_deep(what)
    if "surrogate" in reason and "UTF-8" not in reason:
        return UnreadableJson(
            f"The {what} is not valid UTF-8 text: it holds an escape of a lone surrogate "
            f"(\\ud800-\\udfff), which is not a character ({reason})."
        )
    if "surrogate" in reason or "UTF-8" in reason:
        return UnreadableJson(f"The {what} is not valid UTF-8 text ({reason}).")
    return UnreadableJson(f"The {what} is not valid JSON ({reason}).")


def loads(raw: bytes | memoryview, what: str) -> Any:
    """orjson.loads with its errors as the 400 sentences of this module (no depth check)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise _decode_error(exc, what) from None


def read_document(raw: bytes, what: str) -> Any:
    """Parse a whole JSON document sent by a client (``what`` names it in the sentences),
    after measuring its bytes: nested too deep -> 400 before anything is parsed."""
    if measure(raw).too_deep:
        raise too_deep(what)
    return loads(raw, what)


# ---------------------------------------------------------------- an array of events, by pieces

# 128 KB: orjson's buffer for one piece (~12x it, partly touched) and the piece's dicts (~4x)
# stay small next to an upload's file; 1 MB pieces grew an upload by ~10 MB more.
PIECE_BYTES = 1 << 17
# Where one event ends and the next begins ("}, {"), or a place that looks like it (between
# two objects of a list inside an event, or inside a string): each piece is checked by parsing.
_BETWEEN_OBJECTS = re.compile(rb"\}\s*,\s*\{")
_WHITESPACE = b" \t\r\n"
_CLOSE_TRIES = 16


class TooManyItems(Exception):
    """More than the allowed number of items in the array (``count`` seen so far)."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def _parse_piece(raw: bytes, start: int, end: int) -> Any:
    return orjson.loads(b"".join((b"[", memoryview(raw)[start:end], b"]")))


def _keep_whole(item: Any) -> Any:
    return item


def _array_items(
    raw: bytes,
    open_at: int,
    closes: Iterable[int],
    max_items: int,
    keep: Callable[[Any], Any] = _keep_whole,
) -> tuple[list[Any], int] | None:
    """The items of the array whose ``[`` is at ``open_at``, parsed ~:data:`PIECE_BYTES` at a
    time, and the index just past its ``]``; None when no candidate in ``closes`` is its ``]``.

    Parsing a whole file at once makes orjson reserve a worst-case buffer of ~12x the file (and
    touch a good part of it); pieces keep that to ~12x one piece. A piece is cut before an
    ``{`` that follows ``},``; a cut inside an event or a string leaves a piece that does not
    parse, which is retried twice as long. A piece that parses as ``[...]`` is a run of whole
    items (JSON is read left to right, without lookahead), so the items are exactly those of a
    whole parse. Each item is passed to ``keep`` as soon as its piece is parsed, and what it
    returns is kept instead (so the items of every piece need not exist at once). Raises
    :class:`TooManyItems` as soon as there are more than ``max_items``.
    """
    items: list[Any] = []
    start = open_at + 1
    for close in closes:
        if close < start:
            continue
        size = PIECE_BYTES
        while True:
            found = (
                _BETWEEN_OBJECTS.search(raw, start + size, close) if start + size < close else None
            )
            end = found.start() + 1 if found else close
            try:
                piece = _parse_piece(raw, start, end)
            except orjson.JSONDecodeError:
                if found is None:
                    break  # this is not the array's "]" (or the array is not valid JSON)
                size = 2 * (end - start)  # the cut was inside an event: take a longer piece
                continue
            items.extend(map(keep, piece))
            del piece
            if len(items) > max_items:
                raise TooManyItems(len(items))
            if found is None:
                return items, close + 1
            start = found.end() - 1
            size = PIECE_BYTES
    return None


def parse_array(
    raw: bytes, what: str, *, max_items: int, keep: Callable[[Any], Any] = _keep_whole
) -> Any:
    """Parse a JSON document that should be an array (an events file) by pieces (see
    :func:`_array_items`; ``keep`` makes what is kept of each item). A document that is not an
    array, or not valid JSON, is parsed whole, for its own error message (after
    :func:`measure`, so its size is known to be affordable), and its items are kept whole.
    """
    first = 0
    while first < len(raw) and raw[first] in _WHITESPACE:
        first += 1
    last = len(raw) - 1
    while last > first and raw[last] in _WHITESPACE:
        last -= 1
    if first < last and raw[first] == ord("[") and raw[last] == ord("]"):
        found = _array_items(raw, first, (last,), max_items, keep)
        if found is not None:
            return found[0]
    return loads(raw, what)


def _closes_from_the_right(raw: bytes, after: int) -> Iterator[int]:
    end = len(raw)
    for _ in range(_CLOSE_TRIES):
        end = raw.rfind(b"]", after, end)
        if end < 0:
            return
        yield end


def parse_object_with_array(
    raw: bytes, key: str, what: str, *, max_items: int, keep: Callable[[Any], Any] = _keep_whole
) -> Any:
    """Parse a JSON object sent as a request body whose ``key`` holds a big array (the events
    of a JSON match upload): the array by pieces (each item through ``keep``), the rest of the
    object whole. Whatever does not fit that shape (no such key, the key twice or nested, not
    valid JSON) is parsed whole, its items kept whole.
    """
    found = re.search(rb'"%s"\s*:\s*\[' % re.escape(key.encode()), raw)
    if found is not None:
        open_at = found.end() - 1
        closes = _closes_from_the_right(raw, open_at)
        array = _array_items(raw, open_at, closes, max_items, keep)
        if array is not None:
            items, end = array
            marker = f"spinta-array-{uuid.uuid4()}"
            rest = b"".join((raw[:open_at], orjson.dumps(marker), raw[end:]))
            try:
                document = orjson.loads(rest)
            except orjson.JSONDecodeError:
                document = None  # parsed whole below, for the error's position in the body
            if isinstance(document, dict) and document.get(key) == marker:
                document[key] = items
                return document
            del items
    document = loads(raw, what)
    items = document.get(key) if isinstance(document, dict) else None
    if isinstance(items, list) and len(items) > max_items:
        raise TooManyItems(len(items))
    return document
