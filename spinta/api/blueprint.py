"""The Blueprint every /api module uses: flask-smorest's, with a stricter JSON body parser."""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from spinta.errors import PayloadTooLarge, UnsupportedContentType, body_too_large
from spinta.json import read_document

# The largest JSON body of any endpoint but the match upload (which has MAX_UPLOAD_MB): the
# biggest real one, a training plan of 100 exercises with long descriptions, is ~250 KB.
MAX_JSON_BODY = 1024 * 1024


def _too_large(limit: int) -> PayloadTooLarge:
    if limit < MAX_JSON_BODY:  # MAX_UPLOAD_MB is lower
        return body_too_large(limit)
    return PayloadTooLarge("The request body is larger than 1 MB, the limit of a JSON body.")


class JsonBodyParser(FlaskParser):
    """How views read JSON bodies (``@blp.arguments``), stricter than webargs' default.

    webargs reads a body sent as text/plain, as a form or as multipart as "no body", so the
    request went on as if empty (an optional-only body such as the exercise toggle then
    *changed* data). Here a body in any other content type is refused with 415, and a body
    over 1 MB (:data:`MAX_JSON_BODY`, or MAX_UPLOAD_MB if lower) with 413 before it is read.
    No body at all stays "{}".

    The body is parsed by :func:`spinta.json.read_document` (orjson): not UTF-8 text (a lone
    surrogate escape anywhere in it), not JSON, or nested more than 32 levels -> 400 with a
    sentence saying which, before any field is validated.
    """

    def _raw_load_json(self, req: Request) -> Any:
        limit = min(MAX_JSON_BODY, req.max_content_length or MAX_JSON_BODY)
        length = req.content_length
        if length and length > limit:
            raise _too_large(limit)
        chunked = "chunked" in req.headers.get("Transfer-Encoding", "").lower()
        if not is_json_request(req):
            if length or chunked:
                raise UnsupportedContentType()
            return core.missing
        raw = req.get_data(cache=True)
        if len(raw) > limit:  # sent without Content-Length
            raise _too_large(limit)
        if not raw.strip():
            return core.missing
        return read_document(raw, "request body")


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint reading request bodies with :class:`JsonBodyParser`."""

    ARGUMENTS_PARSER = JsonBodyParser()
