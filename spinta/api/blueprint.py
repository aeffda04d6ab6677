"""The Blueprint every /api module uses: flask-smorest's, with a stricter JSON body parser."""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Request
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import RequestEntityTooLarge

from spinta.errors import UnsupportedContentType


class JsonBodyParser(FlaskParser):
    """How views read JSON bodies (``@blp.arguments``), stricter than webargs' default.

    webargs reads a body sent as text/plain, as a form or as multipart as "no body", so the
    request went on as if empty (an optional-only body such as the exercise toggle then
    *changed* data). Here a body in any other content type is refused with 415, and a body
    over the upload limit with 413 before anything is read. No body at all stays "{}".
    """

    def _raw_load_json(self, req: Request) -> Any:
        length = req.content_length
        if length and req.max_content_length is not None and length > req.max_content_length:
            raise RequestEntityTooLarge()
        chunked = "chunked" in req.headers.get("Transfer-Encoding", "").lower()
        if not is_json_request(req) and (length or chunked):
            raise UnsupportedContentType()
        return super()._raw_load_json(req)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint reading request bodies with :class:`JsonBodyParser`."""

    ARGUMENTS_PARSER = JsonBodyParser()
