"""Which provider wrote a file, from its first 64 KB (the upload's `provider` when absent).

Each provider's files open in their own way; the first rule that holds wins:

| provider | events file opens with |
|---|---|
| statsbomb | a JSON array whose events have `"possession"` and `"type": {"id", "name"}` |
| impect | a JSON array whose events have `"actionType"` and `"squadId"` |
| wyscout | a JSON object with `"events"` whose events have `"eventName"` (v2) or `"primary"` (v3) |
| statsperform | a JSON object with `"liveData"`, or XML `<matchEvents>` (MA3) |
| datafactory | a JSON object with `"incidences"` |
| metrica | a JSON object with `"data"` whose events have `"subtypes"` |
| opta | XML `<Games>` with `<Event ... type_id=` (F24) |
| sportec | XML `<PutDataRequest>` with `<Event ... EventId=` |
| csv | text whose first line names the template's columns (`period`, `clock`, `team`, `action`) |

A match sheet sent as the events file (Opta F7, Stats Perform MA1, Sportec's match
information, Metrica's EPTS metadata) is named as such, so the coach knows to swap the files.
"""

from __future__ import annotations

import re
from typing import Final

from ..errors import EventDataError

__all__ = ["UnknownFormatError", "detect"]

_SNIFF: Final = 65536


class UnknownFormatError(EventDataError):
    """No provider recognises the file (`meta_file`: it is a provider's second file)."""

    def __init__(self, message: str, *, meta_file: bool = False) -> None:
        super().__init__(message)
        self.meta_file = meta_file


def _has(text: str, *needles: str) -> bool:
    return all(needle in text for needle in needles)


_META_FILES: Final = (
    (re.compile(r"<SoccerFeed"), "an Opta F7 match sheet"),
    (re.compile(r"<MatchInformation"), "a Sportec match information file"),
    (re.compile(r"<main\b[^>]*>\s*<Metadata|FIFADataTransferFormatEPTS"), "an EPTS metadata file"),
    (re.compile(r'"lineUp"'), "a Stats Perform MA1 match sheet"),
    (re.compile(r"<match>\s*<matchInfo"), "a Stats Perform MA1 match sheet"),
)


def _json_array(text: str) -> str | None:
    if _has(text, '"possession"', '"type"') and re.search(r'"type"\s*:\s*\{\s*"id"', text):
        return "statsbomb"
    if _has(text, '"actionType"', '"squadId"'):
        return "impect"
    return None


def _json_object(text: str) -> str | None:
    if '"events"' in text and ('"eventName"' in text or '"primary"' in text):
        return "wyscout"
    if '"liveData"' in text and '"event"' in text:
        return "statsperform"
    if '"incidences"' in text:
        return "datafactory"
    if '"data"' in text and '"subtypes"' in text:
        return "metrica"
    return None


def _xml(text: str) -> str | None:
    if "<matchEvents" in text:
        return "statsperform"
    if re.search(r"<Games\b", text) and "type_id=" in text:
        return "opta"
    if "<PutDataRequest" in text and "<Event " in text and "EventId=" in text:
        return "sportec"
    return None


def _csv(text: str) -> str | None:
    first = text.split("\n", 1)[0].casefold()
    columns = {column.strip().strip('"') for column in first.split(",")}
    return "csv" if {"period", "clock", "team", "action"} <= columns else None


def detect(events: bytes) -> str:
    """The provider of an events file (UnknownFormatError naming what it looks like)."""
    text = events[:_SNIFF].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    head = text[:1]
    if head == "[":
        found = _json_array(text)
    elif head == "{":
        found = _json_object(text)
    elif head == "<":
        found = _xml(text)
    else:
        found = _csv(text)
    if found is not None:
        return found
    for pattern, what in _META_FILES:
        if pattern.search(text):
            raise UnknownFormatError(
                f"The events file is {what}: send it as 'meta_file' and the events as "
                "'events_file'.",
                meta_file=True,
            )
    raise UnknownFormatError(
        "Spinta does not recognise the events file's format (StatsBomb, Wyscout, Opta F24, "
        "Stats Perform MA3, Sportec, Metrica, Impect, DataFactory or Spinta's CSV template); "
        "name it with 'provider' if it is one of them."
    )
