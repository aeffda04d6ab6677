"""spinta.json: measuring a JSON text on its bytes, reading a document, and reading an events
file a piece at a time (the same items as a whole parse, refused past a count)."""

from __future__ import annotations

import random

import orjson
import pytest

from spinta import json as spinta_json
from spinta.json import (
    MAX_DEPTH,
    TooManyItems,
    UnreadableJson,
    measure,
    parse_array,
    read_document,
)
from tests.conftest import statsbomb_file


def nested(depth: int, inner: bytes = b"1") -> bytes:
    return b"[" * depth + inner + b"]" * depth


def python_depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max((python_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((python_depth(v) for v in value), default=0)
    return 0


def python_counts(value) -> tuple[int, int]:
    """(containers, values) of a parsed document."""
    if isinstance(value, dict):
        inner = [python_counts(v) for v in value.values()]
    elif isinstance(value, list):
        inner = [python_counts(v) for v in value]
    else:
        return (0, 1)
    return (1 + sum(c for c, _ in inner), 1 + sum(v for _, v in inner))


# ---------------------------------------------------------------- measure()

DOCUMENTS = {
    "scalar": b"42",
    "empty_array": b"[]",
    "empty_object": b"{}",
    "flat": b'{"a": 1, "b": "x", "c": null}',
    "brackets_in_strings": b'{"a": "[[[[[[", "b": "]]]]", "c": ["{", "}"], "[": "x,y:z"}',
    "escaped_quotes": rb'{"a": "say \"[\"", "b": "\\", "c": "\\\"]", "d": [1, "\\"]}',
    "unicode_escapes": rb'{"a": "\u005b\u005d \n \t \/", "b": ["\ud83d\ude00"]}',
    "deep_32": nested(32),
    "deep_33": nested(33),
    "deep_mixed": b'{"a": [{"b": [{"c": [[], {}, [[[1]]]]}]}]}',
    "siblings": b"[[[[]]], [], [[[[[[]]]]]], {}]",
}


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_measure_matches_the_parsed_document(name):
    raw = DOCUMENTS[name]
    parsed = orjson.loads(raw)
    shape = measure(raw)
    assert shape.too_deep == (python_depth(parsed) > MAX_DEPTH)
    containers, values = python_counts(parsed)
    assert shape.containers == containers
    assert shape.values >= values  # an upper bound (commas between members count twice)
    assert shape.strings == raw.replace(rb"\\", b"").replace(rb"\"", b"").count(b'"') // 2


@pytest.mark.parametrize("depth", [1, 2, 31, 32])
def test_depth_up_to_the_limit_is_accepted(depth):
    assert not measure(nested(depth)).too_deep
    assert not measure(b"[" + b"{}," * 5 + nested(depth - 1) + b"]").too_deep


@pytest.mark.parametrize("depth", [33, 254, 255, 1000, 1024, 1025, 100_000])
def test_deeper_than_the_limit_is_refused(depth):
    assert measure(nested(depth)).too_deep
    with pytest.raises(UnreadableJson, match="nested more than 32 levels deep"):
        read_document(nested(depth), "request body")


def test_strings_cannot_hide_or_fake_depth():
    # Brackets inside strings (plain or escaped quotes around them) are not structure.
    fake = b'["' + b"[" * 100 + b'", "\\"' + b"[" * 100 + b'"]'
    assert not measure(fake).too_deep
    hidden = b'["' + b"]" * 40 + b'", ' + nested(40) + b', "' + b"[" * 40 + b'"]'
    assert measure(hidden).too_deep


def test_random_documents_are_measured_exactly():
    rng = random.Random(15)
    scalars = [1, 2.5, "x[", "]}", 'q"[', "\\", None, True, "", "a:b,c"]

    def build(depth: int, budget: list[int]):
        budget[0] -= 1
        kind = rng.random()
        if budget[0] <= 0 or kind < 0.2:
            return rng.choice(scalars)
        if kind < 0.6:
            return [build(depth + 1, budget) for _ in range(rng.randint(0, 2))]
        keys = [rng.choice(["k", "[", "}", '"']) + str(i) for i in range(rng.randint(0, 2))]
        return {key: build(depth + 1, budget) for key in keys}

    for _ in range(500):
        value = build(0, [rng.choice([10, 60, 200])])
        raw = orjson.dumps(value)
        shape = measure(raw)
        assert shape.too_deep == (python_depth(value) > MAX_DEPTH), raw
        assert shape.containers == python_counts(value)[0], raw


# ---------------------------------------------------------------- read_document()


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        (b'{"a": "\\ud800"}', "is not valid UTF-8 text: it holds an escape of a lone surrogate"),
        (b'{"a": "\\udc00"}', "is not valid UTF-8 text: it holds an escape of a lone surrogate"),
        (b'{"a": ["x", {"b": "\\ud800\\u0041"}]}', "lone surrogate"),
        (b'{"\\ud800": 1}', "lone surrogate"),
        (b'{"a": "\xed\xa0\x80"}', "is not valid UTF-8 text"),
        (b'{"a": "\xff"}', "is not valid UTF-8 text"),
        (b'{"a": ', "is not valid JSON"),
        (b'{"a": NaN}', "is not valid JSON"),
    ],
)
def test_unreadable_documents_get_one_sentence(raw, sentence):
    with pytest.raises(UnreadableJson, match=sentence.replace("(", r"\(")) as caught:
        read_document(raw, "request body")
    assert caught.value.status == 400
    assert str(caught.value).startswith("The request body ")


def test_a_surrogate_pair_is_the_character_it_encodes():
    assert read_document(b'{"a": "\\ud83d\\ude00"}', "request body") == {"a": "\U0001f600"}


# ---------------------------------------------------------------- parse_array()


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(spinta_json, "PIECE_BYTES", 64)


def test_pieces_give_the_items_of_a_whole_parse(small_pieces):
    rng = random.Random(11)
    for _ in range(200):
        items = []
        for i in range(rng.randint(0, 30)):
            event = {"id": f"e{i}", "s": rng.choice(["}, {", '"}, {"', "x"]), "n": i}
            if rng.random() < 0.5:  # lists of objects: "}, {" inside an event
                event["list"] = [{"a": j, "b": "}, {"} for j in range(rng.randint(0, 6))]
            items.append(event)
        option = rng.choice([0, orjson.OPT_INDENT_2])
        raw = orjson.dumps(items, option=option)
        assert parse_array(raw, "events file", max_items=10**6) == items


def test_a_shared_file_is_read_as_a_whole_parse():
    raw = statsbomb_file("netherlands-argentina-2022-12-09.json").read_bytes()
    assert parse_array(raw, "events file", max_items=10**6) == orjson.loads(raw)


def test_more_items_than_allowed_stop_the_parse(small_pieces):
    raw = orjson.dumps([{"id": i, "pad": "x" * 20} for i in range(1000)])
    with pytest.raises(TooManyItems) as caught:
        parse_array(raw, "events file", max_items=50)
    assert 50 < caught.value.count < 1000  # stopped a few pieces past the limit


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"[]", []),
        (b"  [ ]  \n", []),
        (b"[1, 2, 3]", [1, 2, 3]),
        (b'{"events": []}', {"events": []}),
        (b'"text"', "text"),
    ],
)
def test_documents_that_are_not_event_arrays_parse_whole(raw, expected):
    assert parse_array(raw, "events file", max_items=10) == expected


@pytest.mark.parametrize(
    "raw", [b"[{}, {},]", b"[{}, {}", b'[{"a": 1}, {"b": "\\ud800"}]', b"", b"[{}]]"]
)
def test_invalid_files_get_the_whole_file_error(small_pieces, raw):
    with pytest.raises(UnreadableJson) as caught:
        parse_array(raw, "events file", max_items=10)
    with pytest.raises(orjson.JSONDecodeError) as whole:
        orjson.loads(raw)
    assert str(whole.value) in str(caught.value)


# ---------------------------------------------------------------- parse_object_with_array()


def _events(count: int) -> list[dict]:
    return [
        {"id": f"e{i}", "loc": [i, 2], "list": [{"a": 1}, {"b": "]}, {"}], "s": "x]"}
        for i in range(count)
    ]


BODIES = {
    "events_last": lambda e: {"match_date": "2024-01-01", "statsbomb_events": e},
    "events_first": lambda e: {"statsbomb_events": e, "match_date": "2024-01-01", "n": [1, [2]]},
    "lists_after": lambda e: {"statsbomb_events": e, "more": [{"x": "]"}, {"y": [[]]}]},
    "nested_key_first": lambda e: {
        "other": {"statsbomb_events": [{"a": 1}]},
        "statsbomb_events": e,
    },
    "key_in_a_string": lambda e: {"name": '"statsbomb_events": [', "statsbomb_events": e},
    "empty": lambda e: {"statsbomb_events": []},
    "not_a_list": lambda e: {"statsbomb_events": {"a": [1]}},
    "absent": lambda e: {"match_date": "2024-01-01"},
}


@pytest.mark.parametrize("name", list(BODIES))
@pytest.mark.parametrize("indent", [False, True], ids=["compact", "indented"])
def test_a_json_upload_body_is_read_as_a_whole_parse(small_pieces, name, indent):
    body = BODIES[name](_events(40))
    raw = orjson.dumps(body, option=orjson.OPT_INDENT_2 if indent else 0)
    parsed = spinta_json.parse_object_with_array(
        raw, "statsbomb_events", "request body", max_items=1000
    )
    assert parsed == body


def test_a_duplicate_key_keeps_the_last_as_a_whole_parse_does(small_pieces):
    raw = b'{"statsbomb_events": [{"a": 1}], "statsbomb_events": [{"b": 2}, {"c": 3}]}'
    parsed = spinta_json.parse_object_with_array(raw, "statsbomb_events", "body", max_items=9)
    assert parsed == orjson.loads(raw) == {"statsbomb_events": [{"b": 2}, {"c": 3}]}


def test_a_body_with_too_many_events_is_stopped(small_pieces):
    raw = orjson.dumps({"match_date": "2024-01-01", "statsbomb_events": _events(500)})
    with pytest.raises(TooManyItems):
        spinta_json.parse_object_with_array(raw, "statsbomb_events", "body", max_items=50)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"match_date": "\\ud800", "statsbomb_events": [{"a": 1}, {"b": 2}]}',
        b'{"statsbomb_events": [{"a": 1}, {"b": "\\ud800"}]}',
        b'{"statsbomb_events": [{"a": 1}, {"b": 2}]',
        b'{"statsbomb_events": [{"a": 1}, {"b": 2},]}',
    ],
)
def test_an_invalid_upload_body_gets_the_whole_body_error(small_pieces, raw):
    with pytest.raises(UnreadableJson) as caught:
        spinta_json.parse_object_with_array(raw, "statsbomb_events", "request body", max_items=9)
    with pytest.raises(orjson.JSONDecodeError) as whole:
        orjson.loads(raw)
    assert str(whole.value) in str(caught.value)


def test_each_piece_is_kept_before_the_next_is_parsed(small_pieces, monkeypatch):
    """`keep` sees a piece's items as soon as it is parsed: the items of every piece never
    exist at once (an upload keeps what it needs of each event, not its dict)."""
    log: list[str] = []
    parse_piece = spinta_json._parse_piece

    def logged_piece(*args):
        items = parse_piece(*args)
        log.append(f"piece of {len(items)}")
        return items

    def keep(item):
        log.append("keep")
        return item["id"]

    monkeypatch.setattr(spinta_json, "_parse_piece", logged_piece)
    items = [{"id": f"e{i}", "pad": "x" * 30} for i in range(12)]
    kept = parse_array(orjson.dumps(items), "events file", max_items=100, keep=keep)
    assert kept == [item["id"] for item in items]
    counts = [int(entry.split()[-1]) for entry in log if entry.startswith("piece")]
    assert len(counts) > 2
    for count in counts:  # each piece's items kept right after it is parsed, before the next
        assert log[: 1 + count] == [f"piece of {count}"] + ["keep"] * count
        del log[: 1 + count]
    assert log == []


def test_a_body_array_is_kept_by_pieces_too(small_pieces):
    events = [{"id": f"e{i}", "pad": "y" * 30} for i in range(10)]
    raw = orjson.dumps({"match_date": "2022-12-01", "statsbomb_events": events})
    body = spinta_json.parse_object_with_array(
        raw, "statsbomb_events", "request body", max_items=100, keep=lambda item: item["id"]
    )
    assert body == {"match_date": "2022-12-01", "statsbomb_events": [e["id"] for e in events]}
