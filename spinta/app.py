"""The application factory: a wiring diagram, no I/O."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, config_for
from spinta import replica, screen_cache
from spinta.extensions import api, cors, db, jwt, limiter, migrate
from spinta.headers import register_security_headers
from spinta.json import OrjsonProvider
from spinta.schemas.common import OPENAPI_FIELD_TYPES
from spinta.services import charts


def create_app(config_class: type[Config] | Config | None = None) -> Flask:
    """Build a Spinta app from a config class (default: the one ``SPINTA_ENV`` names)."""
    config = config_class or config_for()
    app = Flask(__name__, instance_relative_config=False)
    app.json_provider_class = OrjsonProvider
    app.json = OrjsonProvider(app)
    app.config.from_object(config() if isinstance(config, type) else config)

    register_logging(app)
    register_extensions(app)
    register_body_limits(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    register_tasks(app)
    register_request_buffering(app)
    register_proxy_fix(app)
    register_security_headers(app)
    return app


def register_logging(app: Flask) -> None:
    from spinta.logging import configure_logging, register_request_id

    configure_logging(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    register_request_id(app)


def register_extensions(app: Flask) -> None:
    import spinta.database
    import spinta.models
    import spinta.security  # token callbacks

    db.init_app(app)
    spinta.database.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    cors.init_app(
        app,
        resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}},
        expose_headers=["X-Request-ID", "Retry-After"],
    )
    jwt.init_app(app)
    limiter.init_app(app)
    api.init_app(app)
    screen_cache.init_app(app)
    replica.init_app(app)
    charts.init_app(app)
    for field, openapi_type in OPENAPI_FIELD_TYPES.items():
        api.register_field(field, *openapi_type)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )


def register_body_limits(app: Flask) -> None:
    from spinta import bodies

    bodies.init_app(app)  # after the rate limiter: a limited client's body is never read


def register_blueprints(app: Flask) -> None:
    from spinta.api import register_blueprints as register

    register(app)


def register_error_handlers(app: Flask) -> None:
    from spinta.errors import register_error_handlers as register

    register(app)


def register_cli(app: Flask) -> None:
    from spinta.cli import spinta_cli

    app.cli.add_command(spinta_cli)


def register_tasks(app: Flask) -> None:
    from spinta.tasks import celery_init_app

    celery_init_app(app)


def register_request_buffering(app: Flask) -> None:
    from spinta.buffering import BufferedRequestBody

    app.wsgi_app = BufferedRequestBody(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"])


def register_proxy_fix(app: Flask) -> None:
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
