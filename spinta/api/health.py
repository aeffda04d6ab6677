"""Health checks for people and load balancers."""

from flask import current_app

from spinta import __version__
from spinta.api.blueprint import Blueprint
from spinta.database import is_reachable, server_version
from spinta.extensions import db
from spinta.replica import REPLICA
from spinta.schemas.service import DetailedHealthSchema, HealthSchema, ReadySchema

blp = Blueprint("health", __name__, description="Service health")


def _state(up: bool) -> str:
    return "connected" if up else "disconnected"


@blp.route("")
@blp.response(200, HealthSchema)
def health():
    """Liveness, with whether the database answers."""
    return {"status": "healthy", "database": _state(is_reachable())}


@blp.route("/detailed")
@blp.response(200, DetailedHealthSchema)
def health_detailed():
    """Liveness with the database server's version string and the API version."""
    version = server_version()
    body = {
        "status": "healthy",
        "database": {"status": _state(version is not None), "version": version},
        "api_version": __version__,
    }
    if REPLICA in current_app.config.get("SQLALCHEMY_BINDS", {}):
        replica = server_version(db.engines[REPLICA])
        body["replica"] = {"status": _state(replica is not None), "version": replica}
    return body


@blp.route("/ready")
@blp.response(200, ReadySchema)
@blp.alt_response(503, schema=ReadySchema, description="The database does not answer")
def health_ready():
    """Readiness for load balancers: 503 while the database does not answer."""
    if is_reachable():
        return {"status": "ready", "database": "connected"}
    return {"status": "unavailable", "database": "disconnected"}, 503
