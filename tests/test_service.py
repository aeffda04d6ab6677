"""The service endpoints: root, health, docs, and the error contract of the app itself."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask_smorest import Blueprint

from config import TestingConfig
from spinta.app import create_app
from spinta.extensions import db
from tests.conftest import POSTGRES_URL, requires_postgres


def assert_error(response, status):
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["message"] == body["detail"]
    return body


def test_root(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.get_json() == {
        "message": "Welcome to Spinta Backend API",
        "docs": "/docs",
        "health": "/api/health",
    }


def test_health(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "healthy", "database": "connected"}


def test_health_detailed_reports_real_server_version(client):
    body = client.get("/api/health/detailed").get_json()
    assert body["status"] == "healthy"
    assert body["database"]["status"] == "connected"
    prefix = "PostgreSQL " if POSTGRES_URL else "SQLite 3."
    assert body["database"]["version"].startswith(prefix)
    assert body["api_version"]


def test_one_version_in_the_document_and_the_health_check(client):
    from spinta import __version__

    document = client.get("/openapi.json").get_json()["info"]["version"]
    health = client.get("/api/health/detailed").get_json()["api_version"]
    assert document == health == __version__


@requires_postgres
def test_health_detailed_postgres_version_matches_server(client, app):
    from sqlalchemy import text

    with app.app_context():
        server = db.session.execute(text("SHOW server_version")).scalar_one()
    version = client.get("/api/health/detailed").get_json()["database"]["version"]
    assert version.startswith(f"PostgreSQL {server.split()[0]}")


def test_ready(client):
    response = client.get("/api/health/ready")
    assert response.status_code == 200
    assert response.get_json()["database"] == "connected"


@pytest.fixture
def down_app(tmp_path):
    """An app whose database cannot be opened (a SQLite file in a missing folder)."""
    url = f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}"
    return create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": url, "LOG_LEVEL": "CRITICAL"}))


def test_health_with_database_down(down_app):
    client = down_app.test_client()
    assert client.get("/api/health").get_json() == {
        "status": "healthy",
        "database": "disconnected",
    }
    detailed = client.get("/api/health/detailed").get_json()
    assert detailed["database"] == {"status": "disconnected", "version": None}
    ready = client.get("/api/health/ready")
    assert ready.status_code == 503
    assert ready.get_json()["database"] == "disconnected"


class AssetLinks(HTMLParser):
    """Every ``src`` and ``href`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in {"src", "href"} and value]


# Hosts that serve front-end builds, fonts and logos; none may be contacted by the docs pages.
CDN_MARKERS = ("cdn.", "unpkg.com", "jsdelivr", "cdnjs", "fonts.googleapis", "fonts.gstatic")


def test_docs_pages_load_every_asset_from_this_server(client):
    for path in ("/docs", "/redoc"):
        html = client.get(path).get_data(as_text=True)
        assert "http://" not in html and "https://" not in html, path
        parser = AssetLinks()
        parser.feed(html)
        assert parser.links, path
        for link in parser.links:
            assert link.startswith("/") and not link.startswith("//"), link
            response = client.get(link)
            assert response.status_code == 200, link
            text = response.get_data(as_text=True)
            assert not any(marker in text for marker in CDN_MARKERS), link
            # Stylesheets load nothing from elsewhere: only inline data: images.
            if link.endswith(".css"):
                for url in re.findall(r"url\(\s*[\"']?([^\"')]+)", text):
                    assert url.startswith("data:"), (link, url)
            response.close()


def test_redoc_logo_is_served_locally(client):
    """ReDoc's side menu shows a logo it would fetch from a CDN; the vendored bundle points at a
    local copy (scripts/fetch_docs_assets.sh)."""
    bundle = client.get("/docs/assets/redoc/redoc.standalone.js").get_data(as_text=True)
    assert "cdn.redoc.ly" not in bundle
    assert '"/docs/assets/redoc/logo-mini.svg"' in bundle
    logo = client.get("/docs/assets/redoc/logo-mini.svg")
    assert logo.status_code == 200 and logo.mimetype == "image/svg+xml"


def test_swagger_ui_never_sends_the_document_to_the_validator(client):
    init = client.get("/docs/assets/spinta/swagger-init.js").get_data(as_text=True)
    assert "config.validatorUrl = null" in init


def test_docs_builds_need_no_django():
    """The docs builds are vendored files: no drf-spectacular-sidecar and its Django."""
    from tests.conftest import ROOT

    pinned = (ROOT / "requirements.txt").read_text().lower()
    for name in ("drf-spectacular-sidecar", "django", "asgiref", "sqlparse"):
        assert f"\n{name}==" not in pinned, name


def test_openapi_document(client):
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/health" in spec["paths"]
    assert "/api/health/ready" in spec["paths"]
    assert set(spec["components"]["schemas"]["Error"]["properties"]) >= {"detail", "message"}
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_unknown_asset_is_404(client):
    assert_error(client.get("/docs/assets/nope/x.js"), 404)


def test_unknown_route_is_json_404(client):
    assert_error(client.get("/api/does-not-exist"), 404)
    assert_error(client.get("/api/does-not-exist", headers={"Accept": "text/html"}), 404)


def test_wrong_method_is_json_405(client):
    response = client.delete("/api/health")
    assert_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_body_over_limit_is_json_413(database_url):
    config = TestingConfig({"SPINTA_TEST_DATABASE_URL": database_url, "MAX_UPLOAD_MB": "1"})
    app = create_app(config)
    blp = Blueprint("echo", __name__)

    @blp.route("/api/echo", methods=["POST"])
    def echo():
        from flask import request

        return {"size": len(request.get_data())}

    from spinta.extensions import api

    api.register_blueprint(blp)
    client = app.test_client()
    ok = client.post("/api/echo", data=b"x" * 1000, content_type="application/octet-stream")
    assert ok.status_code == 200
    body = assert_error(
        client.post("/api/echo", data=b"x" * (1024 * 1024 + 1), content_type="text/plain"), 413
    )
    assert "1 MB" in body["detail"]


@pytest.fixture
def failing_app(database_url):
    app = create_app(
        TestingConfig({"SPINTA_TEST_DATABASE_URL": database_url, "LOG_LEVEL": "ERROR"})
    )
    seen = {}

    @app.route("/api/boom")
    def boom():
        db.session.get_bind()  # the request used the scoped session
        seen["session"] = db.session()
        raise RuntimeError("secret internal detail")

    return app, seen


def test_unexpected_error_is_generic_500_and_session_removed(failing_app):
    app, seen = failing_app
    response = app.test_client().get("/api/boom")
    body = assert_error(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert body["detail"]
    with app.app_context():
        # A new request context gets a brand-new session: the old one was removed.
        assert db.session() is not seen["session"]
        assert not seen["session"].in_transaction()


def test_session_removed_after_each_request(app):
    sessions = []

    with app.test_request_context():
        pass
    client = app.test_client()
    original = db.session.remove

    calls = []

    def tracking_remove():
        calls.append(1)
        return original()

    db.session.remove = tracking_remove
    try:
        client.get("/api/health")
        client.get("/api/health")
    finally:
        db.session.remove = original
    assert len(calls) == 2, sessions


def test_request_id_is_echoed_or_generated(client):
    echoed = client.get("/api/health", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    generated = client.get("/api/health")
    assert len(generated.headers["X-Request-ID"]) == 32
    forged = client.get("/api/health", headers={"X-Request-ID": 'x", "level": "forged'})
    assert len(forged.headers["X-Request-ID"]) == 32


def test_request_id_in_json_log_lines(failing_app):
    import io
    import json
    import logging

    from spinta.logging import json_formatter

    app, _ = failing_app
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    logging.getLogger().addHandler(handler)
    try:
        app.test_client().get("/api/boom", headers={"X-Request-ID": "req-42"})
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert any(
        line.get("request_id") == "req-42" and line["event"] == "unhandled_exception"
        for line in lines
    )


def test_cors_for_allowed_origin_only(client):
    allowed = client.get("/api/health", headers={"Origin": "http://localhost:3000"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    other = client.get("/api/health", headers={"Origin": "http://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = client.options(
        "/api/health",
        headers={"Origin": "http://localhost:8080", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "http://localhost:8080"


def test_error_stays_json_when_the_rollback_itself_fails(failing_app, monkeypatch):
    """The database going away mid-request: even the rollback fails; the answer is still the
    JSON contract, never Flask's HTML 500 page."""
    from sqlalchemy.exc import OperationalError

    app, _ = failing_app

    def dead_rollback():
        raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "rollback", dead_rollback)
    response = app.test_client().get("/api/boom")
    assert_error(response, 500)
