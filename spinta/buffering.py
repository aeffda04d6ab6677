"""Request bodies are read in full before the application sees the request.

A buffering reverse proxy (nginx's ``proxy_request_buffering``) does the same. Under gunicorn's
gevent workers a client dribbling its body costs a greenlet; without this, a request whose view
takes a database connection (the token check) before reading the body would hold that
connection while the client dribbles, and a few dozen such clients would empty the pool. Here
the body is waiting for the view, so a connection is only ever held by a request in progress.

Bodies larger than ``MAX_CONTENT_LENGTH`` (announced by ``Content-Length``) are not read: the
app answers 413 at once. Chunked bodies are read up to one byte past the limit, so the app still
sees what is too large. Up to 64 KiB a body stays in memory, larger ones go to a temporary file
(as nginx's ``client_body_buffer_size``), so open connections cost little memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wsgi import ClosingIterator, get_content_length

MEMORY_BYTES = 64 * 1024
ORIGINAL_INPUT = "spinta.original_input"
CHUNK_BYTES = 64 * 1024


class BufferedRequestBody:
    """WSGI middleware: replace ``wsgi.input`` by the whole body, read before the app runs."""

    def __init__(self, app: Callable[..., Iterable[bytes]], max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        length = get_content_length(environ)
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if length and length <= self.max_bytes:
            limit = length
        elif length is None and chunked and "wsgi.input_terminated" in environ:
            limit = self.max_bytes + 1
        else:
            return self.app(environ, start_response)
        # The server's stream stays at hand: past an oversized chunked body's first
        # MAX_CONTENT_LENGTH + 1 bytes, spinta.bodies drains it so the client gets its 413.
        environ[ORIGINAL_INPUT] = environ["wsgi.input"]
        body = environ["wsgi.input"] = self._read(environ["wsgi.input"], limit)
        return ClosingIterator(self.app(environ, start_response), body.close)

    @staticmethod
    def _read(stream: Any, limit: int) -> tempfile.SpooledTemporaryFile:
        # Handed to the app as wsgi.input; closed when the server closes the response.
        body = tempfile.SpooledTemporaryFile(max_size=MEMORY_BYTES)  # noqa: SIM115
        remaining = limit
        while remaining > 0:
            chunk = stream.read(min(remaining, CHUNK_BYTES))
            if not chunk:
                break  # the client stopped early; the app sees the short body
            body.write(chunk)
            remaining -= len(chunk)
        body.seek(0)
        return body
