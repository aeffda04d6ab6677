"""Security headers on every response, and no server version on the development server.

- ``X-Content-Type-Options: nosniff`` on every response (JSON, errors, docs pages, assets).
- ``Cache-Control: private, no-store`` on personal data: every ``/api`` response except the health
  checks (tokens, profiles, statistics, errors), and any response to a request that carries an
  ``Authorization`` header.
- The docs pages (``/docs``, ``/redoc``) get a Content-Security-Policy that allows this server
  only, plus what the vendored bundles need, as found in headless Chromium: inline styles
  (ReDoc's styled-components), ``data:`` images (icons in both bundles' CSS) and ReDoc's search
  worker from a ``blob:``. The HTML reports get their inline styles only (``REPORT_CSP``).
  Every other response gets ``default-src 'none'``. Nothing may frame
  any of it (``frame-ancestors 'none'``, ``X-Frame-Options: DENY``).
- The Server header: gunicorn sends ``gunicorn`` without a version; Werkzeug's development
  server sends ``Werkzeug/x.y Python/x.y`` unless :func:`hide_dev_server_version` is called
  (``wsgi.py`` does for ``flask run``).
"""

from __future__ import annotations

from flask import Flask, Request, Response, request

DOCS_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "worker-src blob:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# The printable reports (self-contained HTML): their own inline styles, inline SVG charts and
# nothing else (no script, no request leaving the page).
REPORT_CSP = "; ".join(
    (
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
REPORT_ENDPOINTS = ("coach_charts.match_report", "coach_charts.player_report")
# flask-smorest's views of the two docs pages (the document itself is plain JSON).
DOCS_ENDPOINTS = ("openapi_swagger_ui", "openapi_redoc")
CACHEABLE_API_PREFIX = "/api/health"
SERVER_NAME = "Spinta"
# Never stored by a shared cache (proxies, CDNs) nor by the browser: personal data of minors.
PERSONAL_CACHE_CONTROL = "private, no-store"


def register_security_headers(app: Flask) -> None:
    app.after_request(security_headers)


def security_headers(response: Response) -> Response:
    headers = response.headers
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Content-Security-Policy"] = _csp(response)
    if holds_personal_data(request):
        headers["Cache-Control"] = PERSONAL_CACHE_CONTROL
    return response


def _csp(response: Response) -> str:
    if is_docs_page(request):
        return DOCS_CSP
    if request.endpoint in REPORT_ENDPOINTS and response.mimetype == "text/html":
        return REPORT_CSP
    return API_CSP


def is_docs_page(req: Request) -> bool:
    return (req.endpoint or "").rpartition(".")[2] in DOCS_ENDPOINTS


def holds_personal_data(req: Request) -> bool:
    """Authenticated requests and every /api answer but the health checks."""
    if "Authorization" in req.headers:
        return True
    return req.path.startswith("/api/") and not req.path.startswith(CACHEABLE_API_PREFIX)


def hide_dev_server_version() -> None:
    """Make Werkzeug's development server send ``Server: Spinta`` (no software versions)."""
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.version_string = _server_name  # type: ignore[method-assign]


def _server_name(_handler: object) -> str:
    return SERVER_NAME
