"""Reading a match upload from the request: multipart (admin panel) or JSON (mobile/API).

The events are parsed once with orjson straight from the request body; the small typed fields
go through a marshmallow schema. The body size limit (MAX_CONTENT_LENGTH) applies before any
parsing (413).
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from flask import Request, Response, after_this_request
from marshmallow import ValidationError

from spinta.errors import (
    BadRequest,
    UnsupportedContentType,
    ValidationFailed,
    flatten_messages,
)
from spinta.schemas.matches import MatchUploadFieldsSchema
from spinta.services.matches import MatchUpload

_FIELDS = MatchUploadFieldsSchema()


def _parse_json(raw: bytes, what: str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"The {what} is not valid JSON ({exc.args[0]}).") from None


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
    - What the block passes to ``keep`` (the parsed events and their analysis: ~70 MB of objects
      for a 4 MB file) lives until the WSGI server closes the sent response (PEP 3333: always;
      gunicorn does so before it takes the next request), or until the response object is
      dropped unclosed. Then it is freed (~10 ms) and the GC resumes; its first collection, due
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
        file = request.files.get("events_file")
        if file is None:
            raise ValidationFailed(
                "Attach the StatsBomb events file as 'events_file'.",
                errors={"events_file": "Missing data for required field."},
            )
        data = {**_fields(request.form.to_dict()), "events_field": "events_file"}
        check(MatchUpload(events=None, **data))
        events = _parse_json(file.read(), "events file")
    elif mimetype == "application/json" or mimetype.endswith("+json"):
        body = _parse_json(request.get_data(cache=False), "request body")
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.")
        if "statsbomb_events" not in body:
            raise ValidationFailed(
                "'statsbomb_events' is required.",
                errors={"statsbomb_events": "Missing data for required field."},
            )
        events = body.pop("statsbomb_events")
        data = _fields(body)
        check(MatchUpload(events=None, **data))
    else:
        raise UnsupportedContentType(
            "Send the match as multipart/form-data (events_file) or as application/json."
        )
    return MatchUpload(events=events, **data)
