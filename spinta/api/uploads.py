"""Reading a match upload from the request: multipart (admin panel) or JSON (mobile/API).

The events are read once from the request's bytes (:mod:`spinta.json`); the small typed
fields go through a marshmallow schema. What is refused, and when:

- the body over MAX_UPLOAD_MB: 413 before anything is read (spinta.bodies);
- a file or body that is not UTF-8 text, not JSON or nested too deep: 400;
- a file whose bytes hold far more objects and values than a match (:func:`check_density`):
  413 before it is parsed, since parsing it would take over 10 times its size in memory;
- more than MAX_EVENTS events: 422 while the file is parsed (128 KB at a time), before
  the analysis and before the rest of the file becomes Python objects.

Each event is read for the analysis and turned into its stored row as soon as its piece is
parsed (`services.matches.early_reader`), so the parsed dicts (3.9x their file) never exist
all at once. So an upload's memory stays under ~10 times the file and under 400 MB, and under
4 times a match file (bench/upload_memory.py).
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Request, Response, after_this_request, current_app
from marshmallow import ValidationError

from spinta.analytics.providers import UnknownFormatError, detect
from spinta.errors import (
    BadRequest,
    InvalidEventData,
    PayloadTooLarge,
    UnsupportedContentType,
    ValidationFailed,
    flatten_messages,
)
from spinta.json import (
    Shape,
    TooManyItems,
    measure,
    parse_array,
    parse_object_with_array,
    too_deep,
)
from spinta.schemas.matches import MatchUploadFieldsSchema
from spinta.services.matches import MatchUpload, ProviderFile, early_reader

_FIELDS = MatchUploadFieldsSchema()

# The memory an upload takes, from the shape of its file (CPython 3.11; checked against
# bench/upload_memory.py on the shared files, 50,000 of their events and files of nothing but
# {} or 1): the file twice (its bytes, and the text of its strings), and per object or array
# (an empty dict is 64 bytes, one with a few keys ~230; a list 56 + 8 a slot), per string
# value (~50 bytes + its text; orjson shares the keys) and per other value (a float 24
# bytes, its slot 8, the parser's 16).
BYTES_PER_CONTAINER = 100
BYTES_PER_STRING = 64
BYTES_PER_SCALAR = 48
MEMORY_RATIO = 10  # an upload may take up to 10 times its file (the shared files: ~3.6)
MEMORY_FLOOR = 32 * 1024 * 1024  # ... or 32 MB, whichever is more (small files)
MEMORY_CEILING = 400 * 1024 * 1024  # ... and never more than 400 MB
MB = 1024 * 1024


def upload_memory_estimate(shape: Shape, size: int) -> int:
    """The memory an upload of a JSON file of ``size`` bytes and this shape takes (an upper
    bound for the shapes measured; the shared files take ~15% less)."""
    string_values = max(shape.strings - shape.members, 0)
    scalars = max(shape.values - shape.containers - string_values, 0)
    return (
        2 * size
        + shape.containers * BYTES_PER_CONTAINER
        + string_values * BYTES_PER_STRING
        + scalars * BYTES_PER_SCALAR
    )


def check_density(shape: Shape, size: int, what: str) -> None:
    """Refuse, before parsing, a document whose objects and values would take more memory than
    a match file of its size ever does (e.g. 49 MB of ``[{},{},...]``: 16 million objects)."""
    needed = upload_memory_estimate(shape, size)
    allowed = min(max(MEMORY_RATIO * size, MEMORY_FLOOR), MEMORY_CEILING)
    if needed > allowed:
        raise PayloadTooLarge(
            f"The {what} holds {shape.values:,} JSON values in {size / MB:.1f} MB, "
            f"{shape.containers:,} of them objects or arrays: far more than a match, and "
            f"reading them would take about {needed / MB:,.0f} MB of memory, over the "
            f"{allowed / MB:,.0f} MB allowed for a file of its size."
        )


def _too_many_events(field: str) -> InvalidEventData:
    limit = current_app.config["MAX_EVENTS"]
    problem = (
        f"The events file holds more than {limit:,} events (MAX_EVENTS); "
        "a match has 3,000 to 5,000."
    )
    return InvalidEventData(problem, errors={field: problem})


def _measure(raw: bytes, what: str) -> None:
    shape = measure(raw)
    if shape.too_deep:
        raise too_deep(what)
    check_density(shape, len(raw), what)


def read_events_file(raw: bytes) -> Any:
    """The events of an uploaded file: measured, then parsed by pieces, each event read as its
    piece is parsed (`early_reader`)."""
    _measure(raw, "events file")
    try:
        return parse_array(
            raw, "events file", max_items=current_app.config["MAX_EVENTS"], keep=early_reader()
        )
    except TooManyItems:
        raise _too_many_events("events_file") from None


def read_json_upload(raw: bytes) -> Any:
    """A JSON upload's body: measured, then its events parsed by pieces and read as they come."""
    _measure(raw, "request body")
    try:
        return parse_object_with_array(
            raw,
            "statsbomb_events",
            "request body",
            max_items=current_app.config["MAX_EVENTS"],
            keep=early_reader(),
        )
    except TooManyItems:
        raise _too_many_events("statsbomb_events") from None


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    try:
        return _FIELDS.load(data)
    except ValidationError as exc:
        errors = flatten_messages(exc.messages)
        field, problem = next(iter(errors.items()))
        raise ValidationFailed(f"Invalid '{field}': {problem}", errors=errors) from None


# The release of the last upload whose response is not closed yet (at most one per process).
_unreleased: list[Callable[[], None]] = []


@contextmanager
def upload_memory() -> Iterator[Callable[..., None]]:
    """The memory side of an upload: the cyclic GC pauses while it builds ~600k objects, and
    both the big ones and the GC wait until the response has been sent.

    - The pause: collections would re-scan the growing graph (parsing a 4 MB file took ~40 ms
      instead of ~20 ms); the objects are freed by reference counting anyway.
    - What the block passes to ``keep`` (the events as read and their analysis: ~8 MB of
      objects for a 4 MB file; the parsed dicts go piece by piece while the file is parsed)
      lives until the WSGI server closes the sent response (PEP 3333: always; gunicorn does so
      before it takes the next request), or until the response object is dropped unclosed.
      Then it is freed (~4 ms) and the GC resumes; its first collection, due
      at once, finds only the request's leftovers instead of scanning the events (~9 ms).
      Neither is time the coach waits for.
    - Should a response stay open (a server that ignores PEP 3333, a test holding it), the next
      upload releases it first: never more than one upload is held, and the GC resumes.
    """
    for release in tuple(_unreleased):
        release()
    held: list[object] = []
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield lambda *objects: held.extend(objects)
    except BaseException:
        held.clear()
        if was_enabled:
            gc.enable()
        raise
    after_this_request(_release_when_sent(held, resume_gc=was_enabled))


def _release_when_sent(held: list[object], *, resume_gc: bool) -> Callable[[Response], Response]:
    def release() -> None:  # once: on close, when the response goes unclosed, or next upload
        if release not in _unreleased:
            return
        _unreleased.remove(release)
        held.clear()
        if resume_gc:
            gc.enable()

    def register(response: Response) -> Response:
        _unreleased.append(release)
        response.call_on_close(release)
        weakref.finalize(response, release)
        return response

    return register


def read_match_upload(
    request: Request, check: Callable[[MatchUpload], None] = lambda upload: None
) -> MatchUpload:
    """The upload in the request; `check` sees the typed fields (events None) before the events
    file is parsed (multipart) or analysed (JSON), so what they alone decide is answered early."""
    mimetype = request.mimetype
    if mimetype == "multipart/form-data":
        return _multipart_upload(request, check)
    if mimetype == "application/json" or mimetype.endswith("+json"):
        body = read_json_upload(request.get_data(cache=False))
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.")
        if "statsbomb_events" not in body:
            raise ValidationFailed(
                "'statsbomb_events' is required.",
                errors={"statsbomb_events": "Missing data for required field."},
            )
        events = body.pop("statsbomb_events")
        data = _fields(body)
        provider = data.pop("provider")
        if provider not in (None, "statsbomb"):
            problem = (
                "A JSON body carries StatsBomb events only; upload other providers' files as "
                "multipart/form-data (events_file, meta_file)."
            )
            raise ValidationFailed(problem, errors={"provider": problem})
        check(MatchUpload(events=None, **data))
        if provider is not None or data["our_team"] is not None:
            events = ProviderFile("statsbomb", None, detected=False, events=events)
        return MatchUpload(events=events, **data)
    raise UnsupportedContentType(
        "Send the match as multipart/form-data (events_file) or as application/json."
    )


def _provider_of(raw: bytes, named: str | None) -> str:
    """The named provider, else the detected one. A file no provider recognises goes the
    StatsBomb way (its sentences for files that are not JSON, not an array, empty ...), unless
    it is XML or one provider's second file."""
    if named is not None:
        return named
    try:
        return detect(raw)
    except UnknownFormatError as exc:
        if exc.meta_file or raw.lstrip()[:1] == b"<":
            raise InvalidEventData(str(exc), errors={"events_file": str(exc)}) from None
        return "statsbomb"


def _multipart_upload(request: Request, check: Callable[[MatchUpload], None]) -> MatchUpload:
    """A form upload: the events file of any provider, its meta file, the typed fields.

    A StatsBomb file sent with only the fields the admin panel knows is read and answered
    exactly as before (no `data_source` in the answer)."""
    file = request.files.get("events_file")
    if file is None:
        raise ValidationFailed(
            "Attach the match's events file as 'events_file'.",
            errors={"events_file": "Missing data for required field."},
        )
    data = {**_fields(request.form.to_dict()), "events_field": "events_file"}
    named = data.pop("provider")
    check(MatchUpload(events=None, **data))
    raw = file.read()
    meta_file = request.files.get("meta_file")
    meta = meta_file.read() if meta_file is not None else None
    provider = _provider_of(raw, named)
    if provider == "statsbomb":
        events = read_events_file(raw)
        if named is None and meta_file is None and data["our_team"] is None:
            return MatchUpload(events=events, **data)
        source = ProviderFile("statsbomb", None, detected=named is None, events=events)
        return MatchUpload(events=source, **data)
    source = ProviderFile(
        provider,
        raw,
        meta or None,
        detected=named is None,
        max_events=current_app.config["MAX_EVENTS"],
    )
    return MatchUpload(events=source, **data)
