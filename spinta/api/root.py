"""The service root and the offline assets of the API documentation pages."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint as FlaskBlueprint
from flask import abort, send_from_directory

from spinta.api.blueprint import Blueprint
from spinta.schemas.service import WelcomeSchema

blp = Blueprint("root", __name__, description="Service entry point")
# A plain Flask blueprint: static files of the docs pages are not part of the API document.
assets_blp = FlaskBlueprint("docs_assets", __name__)


# Swagger UI and ReDoc builds vendored from npm by scripts/fetch_docs_assets.sh (versions in
# VERSIONS, licences beside each build), plus Spinta's own page glue: no CDN, no extra package.
DOCS_ASSETS_DIR = Path(__file__).resolve().parents[1] / "static" / "docs"
ASSETS = ("swagger-ui", "redoc", "spinta")


@blp.route("/")
@blp.response(200, WelcomeSchema)
def welcome():
    """Welcome message with links to the docs and the health check."""
    return {"message": "Welcome to Spinta Backend API", "docs": "/docs", "health": "/api/health"}


@assets_blp.route("/docs/assets/<string:bundle>/<path:filename>")
def docs_asset(bundle: str, filename: str):
    """Static files of Swagger UI / ReDoc, served by this server."""
    if bundle not in ASSETS:
        abort(404)
    return send_from_directory(DOCS_ASSETS_DIR / bundle, filename, max_age=86400)
