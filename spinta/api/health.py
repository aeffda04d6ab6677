"""Health checks for people and load balancers."""

from spinta import __version__
from spinta.api.blueprint import Blueprint
from spinta.database import is_reachable, server_version
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
    return {
        "status": "healthy",
        "database": {"status": _state(version is not None), "version": version},
        "api_version": __version__,
    }


@blp.route("/ready")
@blp.response(200, ReadySchema)
@blp.alt_response(503, schema=ReadySchema, description="The database does not answer")
def health_ready():
    """Readiness for load balancers: 503 while the database does not answer."""
    if is_reachable():
        return {"status": "ready", "database": "connected"}
    return {"status": "unavailable", "database": "disconnected"}, 503
