"""An upload reads each StatsBomb event as its file is parsed (spinta.json's pieces and
`services.matches.early_reader`), so the parsed dicts never exist all at once: the same match,
the same statistics, the same rows and job payload as reading the whole parsed array, in a
fraction of its memory (bench/upload_memory.py)."""

from __future__ import annotations

import dataclasses
import gc
import random
import tracemalloc
import uuid
from datetime import date

import orjson
import pytest

from spinta import analytics
from spinta.analytics.providers import statsbomb
from spinta.json import parse_array
from spinta.services.jobs import upload_payload
from spinta.services.matches import MatchUpload, early_reader
from spinta.store.events import event_rows
from tests.conftest import statsbomb_file

FILES = (
    "barcelona-alaves-2018-08-18.json",
    "argentina-mexico-2022-11-26.json",
    "netherlands-argentina-2022-12-09.json",
    "argentina-croatia-2022-12-13.json",
)
LARGEST = "netherlands-argentina-2022-12-09.json"


def read_early(raw: bytes) -> list:
    return parse_array(raw, "events file", max_items=10**6, keep=early_reader())


def shuffled_with_duplicates(raw: bytes) -> bytes:
    """The file's events out of order, some ids twice (the first one in the file wins)."""
    events = orjson.loads(raw)
    rng = random.Random(23)
    rng.shuffle(events)
    for event in rng.sample(events, 40):
        events.insert(rng.randrange(len(events)), {**event, "possession": 999})
    return orjson.dumps(events)


def assert_same_match(raw: bytes) -> None:
    early, whole = statsbomb.read_match(read_early(raw)), statsbomb.read_match(orjson.loads(raw))
    for field in ("teams", "starting", "events", "period_ends", "possessions", "event_ids"):
        assert getattr(early, field) == getattr(whole, field), field
    match_id = uuid.uuid4()
    early_rows = list(event_rows(match_id, early.raw_events))
    assert early_rows == list(event_rows(match_id, whole.raw_events))
    assert [orjson.loads(row[-1]) for row in early_rows] == list(whole.raw_events)


@pytest.mark.parametrize("name", FILES)
def test_events_read_while_parsing_are_the_match_of_the_whole_array(name):
    raw = statsbomb_file(name).read_bytes()
    assert_same_match(raw)
    early = analytics.analyse_match(read_early(raw), club_name="Argentina", club_team_id=217)
    whole = analytics.analyse_match(orjson.loads(raw), club_name="Argentina", club_team_id=217)
    assert dataclasses.replace(early, events=()) == dataclasses.replace(whole, events=())


def test_events_out_of_order_and_repeated_read_as_the_whole_array():
    assert_same_match(shuffled_with_duplicates(statsbomb_file(LARGEST).read_bytes()))


def test_an_upload_never_holds_its_parsed_events_at_once():
    """Parsing and analysing the largest shared file takes under 3x its size of Python
    memory beyond its bytes (its parsed dicts alone are 3.9x: they must never all exist)."""
    raw = statsbomb_file(LARGEST).read_bytes()
    read_early(raw)  # imports and caches
    gc.collect()
    tracemalloc.start()
    try:
        report = analytics.analyse_match(read_early(raw), club_name="Argentina")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.events
    assert peak < 3 * len(raw), f"{peak / len(raw):.1f}x the file"


def test_a_job_payload_holds_the_events_as_they_are_stored():
    raw = statsbomb_file(FILES[0]).read_bytes()
    upload = MatchUpload(events=read_early(raw), match_date=date(2018, 8, 18))
    assert orjson.loads(upload_payload(upload))["events"] == orjson.loads(raw)
