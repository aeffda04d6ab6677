"""Request bodies are read in full before the application runs (spinta/buffering.py).

Under gevent workers this keeps a client dribbling its body from holding a database connection
(the slow-client test in tests/test_slow_clients.py shows it end to end).
"""

from __future__ import annotations

import io

from spinta.buffering import MEMORY_BYTES, BufferedRequestBody


class CountingStream(io.BytesIO):
    """A request body whose reads the test can inspect."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk


def call(environ: dict, max_bytes: int = 1000) -> tuple[dict, dict]:
    seen: dict = {}

    def app(env, start_response):
        seen["read_before_app"] = env["original"].read_bytes
        seen["body"] = env["wsgi.input"].read()
        seen["on_disk"] = getattr(env["wsgi.input"], "_rolled", None)
        start_response("204 No Content", [])
        return []

    result = BufferedRequestBody(app, max_bytes)(environ, lambda *_: None)
    if hasattr(result, "close"):
        result.close()
    return seen, environ


def environ_for(body: bytes, **extra: str) -> dict:
    stream = CountingStream(body)
    return {"wsgi.input": stream, "original": stream, **extra}


def test_the_whole_body_is_read_before_the_app_runs():
    seen, _ = call(environ_for(b'{"a": 1}', CONTENT_LENGTH="8"))
    assert seen["read_before_app"] == 8
    assert seen["body"] == b'{"a": 1}'
    assert seen["on_disk"] is False  # small bodies stay in memory


def test_a_large_body_waits_on_disk_not_in_memory():
    body = b"x" * (MEMORY_BYTES + 1)
    seen, _ = call(environ_for(body, CONTENT_LENGTH=str(len(body))), max_bytes=len(body))
    assert seen["body"] == body
    assert seen["on_disk"] is True


def test_a_body_over_the_limit_is_not_read():
    """The app answers 413 from Content-Length without reading anything."""
    seen, _ = call(environ_for(b"x" * 2000, CONTENT_LENGTH="2000"), max_bytes=1000)
    assert seen["read_before_app"] == 0


def test_a_chunked_body_is_read_one_byte_past_the_limit():
    environ = environ_for(
        b"x" * 5000, HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input_terminated": "1"}
    )
    seen, _ = call(environ, max_bytes=1000)
    assert seen["read_before_app"] == 1001
    assert len(seen["body"]) == 1001  # the app still sees that it is too large


def test_a_short_body_is_passed_as_sent():
    seen, _ = call(environ_for(b"abc", CONTENT_LENGTH="10"))
    assert seen["body"] == b"abc"


def test_a_request_without_body_is_untouched():
    environ = environ_for(b"")
    seen, _ = call(environ)
    assert seen["read_before_app"] == 0
