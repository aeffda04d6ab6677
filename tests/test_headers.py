"""Security headers on every response (spinta/headers.py) and no server version anywhere."""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import threading
import uuid

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from config import TestingConfig
from spinta.app import create_app
from spinta.headers import API_CSP, DOCS_CSP, hide_dev_server_version
from tests.conftest import POSTGRES_URL
from tests.factories import register_coach

VERSION = re.compile(r"\d+\.\d+")
DOCS_PAGES = ("/docs", "/redoc")


def assert_common_headers(response, path):
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff", path
    assert headers["X-Frame-Options"] == "DENY", path
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
    assert "Server" not in headers, path


def concrete_url(rule) -> str:
    """A URL for a url_map rule, with made-up values for its arguments."""
    values = {
        name: uuid.uuid4() if type(conv).__name__ == "UUIDConverter" else "x"
        for name, conv in rule._converters.items()
    }
    return rule.build(values, append_unknown=False)[1]


def every_route(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, concrete_url(rule)


def test_every_route_sends_the_headers_and_authenticated_answers_are_not_stored(app, client):
    coach = register_coach(client)
    seen = 0
    for method, url in every_route(app):
        response = client.open(url, method=method, json={}, headers=coach.headers)
        assert_common_headers(response, f"{method} {url}")
        # Any request carrying a token may get personal data back: never stored by a cache.
        assert response.headers["Cache-Control"] == "private, no-store", f"{method} {url}"
        seen += 1
    assert seen > 30


def test_api_answers_without_a_token_are_not_stored_but_health_may_be(app, client):
    for method, url in every_route(app):
        response = client.open(url, method=method, json={})
        assert_common_headers(response, f"{method} {url}")
        cache = response.headers.get("Cache-Control")
        if url.startswith("/api/") and not url.startswith("/api/health"):
            assert cache == "private, no-store", f"{method} {url}"  # tokens, errors, invite checks
        else:
            assert cache != "private, no-store", f"{method} {url}"


def test_login_answer_holding_a_token_is_not_stored(client):
    coach = register_coach(client)
    from tests.factories import PASSWORD

    response = client.post("/api/auth/login", json={"email": coach.email, "password": PASSWORD})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/docs/assets/swagger-ui/swagger-ui.css", 200),
        ("GET", "/openapi.json", 200),
        ("GET", "/nowhere", 404),
        ("GET", "/docs/assets/nope/x.js", 404),
        ("DELETE", "/api/health", 405),
        ("POST", "/api/auth/login", 415),
    ],
)
def test_error_and_static_answers_carry_the_headers(client, method, path, status):
    response = client.open(path, method=method, data="x", content_type="text/plain")
    assert response.status_code == status
    assert_common_headers(response, path)
    assert response.headers["Content-Security-Policy"] == API_CSP


def test_413_and_500_carry_the_headers(database_url):
    environ = {"SPINTA_TEST_DATABASE_URL": database_url, "MAX_UPLOAD_MB": "1"}
    app = create_app(TestingConfig({**environ, "LOG_LEVEL": "CRITICAL"}))

    @app.route("/api/boom")
    def boom():
        raise RuntimeError("boom")

    client = app.test_client()
    too_large = client.post(
        "/api/auth/login", data=b"x" * (1024 * 1024 + 1), content_type="application/json"
    )
    assert too_large.status_code == 413
    crashed = client.get("/api/boom")
    assert crashed.status_code == 500
    for response in (too_large, crashed):
        assert_common_headers(response, response.status_code)
        assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("path", DOCS_PAGES)
def test_docs_pages_forbid_every_external_origin(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_common_headers(response, path)
    policy = response.headers["Content-Security-Policy"]
    assert policy == DOCS_CSP
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    allowed = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}
    for name, sources in directives.items():
        assert set(sources.split()) <= allowed, f"{name}: {sources}"


def test_dev_server_sends_no_software_version(app, monkeypatch):
    """Werkzeug's server (``flask run``) names itself and Python with versions unless told not
    to; wsgi.py calls hide_dev_server_version() for ``flask run``."""
    monkeypatch.setattr(WSGIRequestHandler, "version_string", WSGIRequestHandler.version_string)

    def server_header() -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            conn.request("GET", "/api/health")
            response = conn.getresponse()
            response.read()
            conn.close()
            return response.getheader("Server")
        finally:
            server.shutdown()
            server.server_close()

    assert VERSION.search(server_header())  # Werkzeug/3.x Python/3.x by default
    hide_dev_server_version()
    assert server_header() == "Spinta"


@pytest.mark.slow
@pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (SPINTA_TEST_DATABASE_URL)")
def test_gunicorn_sends_no_software_version(app, tmp_path):
    """The production server: every header without a version, nosniff on each answer."""
    from bench._harness import gunicorn

    with (
        open(tmp_path / "gunicorn.log", "w+") as log,
        gunicorn(POSTGRES_URL, log, workers=1) as (
            _process,
            port,
        ),
    ):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for path in ("/", "/api/health", "/docs", "/nowhere", "/api/coach/players"):
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            assert response.getheader("X-Content-Type-Options") == "nosniff", path
            for name, value in response.getheaders():
                assert not VERSION.search(value), f"{path}: {name}: {value}"
            assert response.getheader("Server") == "gunicorn", path
        conn.close()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
RENDERED = {"/docs": 'class="opblock-tag', "/redoc": 'alt="redocly logo"'}


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (apt-get install chromium)")
@pytest.mark.parametrize("path", DOCS_PAGES)
def test_docs_pages_render_in_chromium_without_a_csp_report(app, tmp_path, path):
    """The real browser: the page renders under its CSP, and Chromium reports no directive
    violated (a blocked script, style, image, worker or outside request would be logged)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        browser = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--enable-logging=stderr",
                "--v=1",
                "--virtual-time-budget=15000",
                "--dump-dom",
                f"http://127.0.0.1:{server.server_port}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert RENDERED[path] in browser.stdout, browser.stderr[-2000:]
    console = [line for line in browser.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
