"""The request body's limits, each answered with 413 and a sentence naming the limit that was hit.

- The body: 1 MB (:data:`MAX_BODY`) for every endpoint but the match upload, whose view is
  marked :func:`large_body` and takes ``MAX_UPLOAD_MB`` (Flask's MAX_CONTENT_LENGTH). Checked
  before the view, by :func:`limit_body`: a body whose Content-Length is over the limit is
  refused before it is read; a body sent without one (chunked transfer encoding) is read up to
  the limit, and one more byte means it is over (werkzeug stopped at the limit and handed over
  what it had: a 60 MB JSON body became a 50 MB prefix and a 400 "not valid JSON").
- A multipart form: at most ``MAX_FORM_PARTS`` parts (Flask's default, 1,000) and text fields
  (parts without a file name) of at most ``MAX_FORM_MEMORY_SIZE`` (1 MB). Werkzeug raises the
  same bare 413 for these as for the body's size; :class:`SpintaRequest` says which it was.

The body has been read before the app runs (spinta.buffering): up to MAX_UPLOAD_MB, or one
byte past it for a chunked body. An oversized body is read on and thrown away, up to
MAX_UPLOAD_MB more, before the 413 is sent: a client that writes its whole body before reading
the answer (most do) then gets the 413 instead of a broken connection. (Reading that much
costs no more than an upload does.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Request, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from spinta.buffering import ORIGINAL_INPUT
from spinta.errors import PayloadTooLarge, body_too_large, megabytes

MAX_BODY = 1024 * 1024  # every body but a match upload's: the biggest real one is ~250 KB
_CHUNK = 64 * 1024

F = TypeVar("F", bound=Callable)


def large_body(view: F) -> F:
    """Mark a view whose body may be up to MAX_UPLOAD_MB (the match upload)."""
    view.spinta_large_body = True  # type: ignore[attr-defined]
    return view


def body_limit() -> int:
    """The body limit of the current request's endpoint."""
    upload_limit = current_app.config["MAX_CONTENT_LENGTH"]
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "spinta_large_body", False):
        return upload_limit
    return min(MAX_BODY, upload_limit)


def too_large(limit: int) -> PayloadTooLarge:
    if limit >= current_app.config["MAX_CONTENT_LENGTH"]:
        return body_too_large(limit)
    return PayloadTooLarge(
        f"The request body is larger than the {megabytes(limit)} limit of this endpoint "
        "(only a match upload may be larger)."
    )


def _discard(budget: int) -> None:
    """Read and drop up to ``budget`` more bytes of the body (see the module's docstring):
    what spinta.buffering has not read yet comes from the server's own stream."""
    for stream in (request.environ["wsgi.input"], request.environ.get(ORIGINAL_INPUT)):
        while stream is not None and budget > 0:
            chunk = stream.read(min(_CHUNK, budget))
            if not chunk:
                break
            budget -= len(chunk)


def limit_body() -> None:
    """Before each view: apply the endpoint's body limit (see the module's docstring)."""
    limit = body_limit()
    request.max_content_length = limit
    drain = current_app.config["MAX_CONTENT_LENGTH"]
    length = request.content_length
    if length is not None:
        if length > limit:
            if length <= limit + drain:
                _discard(length)
            raise too_large(limit)
        return
    if "wsgi.input_terminated" not in request.environ:
        return  # no Content-Length and no terminated stream: werkzeug reads no body
    data = request.get_data(cache=True)
    if len(data) >= limit and request.environ["wsgi.input"].read(1):
        _discard(drain)
        raise too_large(limit)


# Where werkzeug raises each form limit (innermost frame of the RequestEntityTooLarge).
_TOO_MANY_PARTS = {"next_event"}  # sansio.multipart.MultipartDecoder
_FIELD_TOO_LARGE = {"receive_data", "parse"}  # MultipartDecoder, formparser.MultiPartParser


def _raised_in(exc: BaseException) -> str:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_name if tb is not None else ""


class SpintaRequest(Request):
    """Flask's request, whose form-parsing 413s name the limit that was hit."""

    def _load_form_data(self) -> None:
        try:
            super()._load_form_data()
        except RequestEntityTooLarge as exc:
            raise self._form_limit(exc) from None

    def _form_limit(self, exc: RequestEntityTooLarge) -> PayloadTooLarge:
        where = _raised_in(exc)
        if where in _TOO_MANY_PARTS and self.max_form_parts is not None:
            return PayloadTooLarge(
                f"The form has more than {self.max_form_parts:,} parts (fields and files); "
                "send the events file and the match fields only."
            )
        if where in _FIELD_TOO_LARGE and self.max_form_memory_size is not None:
            return PayloadTooLarge(
                f"A form field is larger than the {megabytes(self.max_form_memory_size)} "
                "limit for text fields; send the events as a file (events_file, with a file "
                "name)."
            )
        return too_large(self.max_content_length or 0)


def init_app(app: Flask) -> None:
    app.request_class = SpintaRequest
    app.before_request(limit_body)
