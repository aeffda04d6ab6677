"""The request body's limits, each answered with 413 and a sentence naming the limit that was hit.

- The body: ``MAX_UPLOAD_MB`` (Flask's MAX_CONTENT_LENGTH). A body with a Content-Length over
  it is refused before it is read (werkzeug). A body sent without one (chunked transfer
  encoding) is read here, before the view, up to the limit; one more byte means it is over:
  413, instead of the body silently cut at the limit and then failing to parse (400).
- A multipart form: at most ``MAX_FORM_PARTS`` parts (Flask's default, 1,000) and text fields
  (parts without a file name) of at most ``MAX_FORM_MEMORY_SIZE`` (1 MB). Werkzeug raises the
  same bare 413 for these as for the body's size; :class:`SpintaRequest` says which it was.
- A JSON body other than a match upload: 1 MB (:data:`spinta.api.blueprint.MAX_JSON_BODY`).
"""

from __future__ import annotations

from flask import Flask, Request, request
from werkzeug.exceptions import RequestEntityTooLarge

from spinta.errors import PayloadTooLarge, body_too_large, megabytes

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
        return body_too_large(self.max_content_length or 0)


def read_unsized_body() -> None:
    """Before each view: read a body sent without Content-Length (chunked) up to the limit.

    Werkzeug stops reading such a body at MAX_CONTENT_LENGTH and hands over what it has, so a
    60 MB JSON body became a 50 MB prefix and a 400 "not valid JSON". Here the body is read
    (and cached for the view, as ``get_data`` does) and the server's stream is asked for one
    more byte: if there is one, the body is over the limit.
    """
    if request.content_length is not None or "wsgi.input_terminated" not in request.environ:
        return
    limit = request.max_content_length
    data = request.get_data(cache=True)
    if limit is not None and len(data) >= limit and request.environ["wsgi.input"].read(1):
        raise body_too_large(limit)


def init_app(app: Flask) -> None:
    app.request_class = SpintaRequest
    app.before_request(read_unsized_body)
