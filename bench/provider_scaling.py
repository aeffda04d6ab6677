"""A kloppy test file enlarged to a match's size: its events repeated (fresh ids, the same
clock) until the file holds about ``target`` events, so every provider is timed at the
3,500-event scale of a real match (kloppy's Opta and Sportec files hold 29-39 events). The
copies are the provider's own events, read by the same reader; the score and lineups stay."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET  # kloppy's bundled test files: trusted input
from typing import Any

# The element of an event and its id attributes in each XML provider's file.
_XML: dict[str, tuple[str, tuple[str, ...]]] = {
    "opta": ("Event", ("id",)),
    "sportec": ("Event", ("EventId",)),
    "statsperform_xml": ("event", ("id",)),
}


# Events not repeated: a period's kick-off and final whistle (Sportec's would add periods).
_PERIOD_MARKS = frozenset({"KickOff", "FinalWhistle"})


def _copies(have: int, target: int) -> int:
    return max(1, round(target / max(have, 1)))


def _json_events(case: str, data: Any) -> list | dict:
    if case.startswith("wyscout"):
        return data["events"]
    if case == "statsperform_json":
        return data["liveData"]["event"]
    if case == "metrica":
        return data["data"]
    if case == "datafactory":
        return data["incidences"]
    return data  # impect: the array itself


def _repeat_list(events: list, copies: int) -> None:
    top = max(int(e["id"]) for e in events) + 1
    originals = list(events)
    for n in range(1, copies):
        for event in originals:
            again = copy.deepcopy(event)
            again["id"] = int(event["id"]) + n * top
            events.append(again)


def _repeat_incidences(groups: dict, copies: int) -> None:
    top = max(int(key) for group in groups.values() for key in group) + 1
    for group in groups.values():
        for key, event in list(group.items()):
            for n in range(1, copies):
                group[str(int(key) + n * top)] = copy.deepcopy(event)


def _count(events: list | dict) -> int:
    return sum(map(len, events.values())) if isinstance(events, dict) else len(events)


def _scaled_xml(case: str, raw: bytes, target: int) -> bytes:
    tag, ids = _XML[case]
    root = ET.fromstring(raw)
    parents = [
        (parent, child)
        for parent in root.iter()
        for child in parent
        if child.tag == tag and not any(mark.tag in _PERIOD_MARKS for mark in child)
    ]
    copies = _copies(len(parents), target)
    top = max(int(child.get(ids[0]) or 0) for _, child in parents) + 1
    for n in range(1, copies):
        for parent, child in parents:
            again = copy.deepcopy(child)
            for name in ids:
                again.set(name, str(int(child.get(name) or 0) + n * top))
            parent.append(again)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def scaled(case: str, raw: bytes, target: int) -> bytes:
    """The events file of ``case`` with its events repeated to about ``target`` events."""
    if case in _XML:
        return _scaled_xml(case, raw, target)
    data = json.loads(raw)
    events = _json_events(case, data)
    copies = _copies(_count(events), target)
    if copies > 1:
        if isinstance(events, dict):
            _repeat_incidences(events, copies)
        else:
            _repeat_list(events, copies)
    return json.dumps(data).encode()
