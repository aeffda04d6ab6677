"""The service root and the offline assets of the API documentation pages."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from flask import Blueprint as FlaskBlueprint
from flask import abort, send_from_directory

from spinta.api.blueprint import Blueprint
from spinta.schemas.service import WelcomeSchema

blp = Blueprint("root", __name__, description="Service entry point")
# A plain Flask blueprint: static files of the docs pages are not part of the API document.
assets_blp = FlaskBlueprint("docs_assets", __name__)


def docs_assets_dir() -> Path:
    """Swagger UI and ReDoc builds shipped by the drf-spectacular-sidecar package (no CDN).

    Located without importing the package, so Django is never loaded.
    """
    spec = importlib.util.find_spec("drf_spectacular_sidecar")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("drf-spectacular-sidecar is not installed")
    package = Path(next(iter(spec.submodule_search_locations)))
    return package / "static" / "drf_spectacular_sidecar"


ASSETS = {
    "swagger-ui": "swagger-ui-dist",
    "redoc": "redoc/bundles",
}


@blp.route("/")
@blp.response(200, WelcomeSchema)
def welcome():
    """Welcome message with links to the docs and the health check."""
    return {"message": "Welcome to Spinta Backend API", "docs": "/docs", "health": "/api/health"}


@assets_blp.route("/docs/assets/<string:bundle>/<path:filename>")
def docs_asset(bundle: str, filename: str):
    """Static files of Swagger UI / ReDoc, served by this server."""
    folder = ASSETS.get(bundle)
    if folder is None:
        abort(404)
    return send_from_directory(docs_assets_dir() / folder, filename, max_age=86400)
