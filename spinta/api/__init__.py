"""HTTP blueprints, one module per area. :func:`register_blueprints` mounts them under /api."""

from flask import Flask

from spinta.extensions import api


def register_blueprints(app: Flask) -> None:
    from spinta.api import (
        auth,
        charts,
        chat,
        coach,
        development,
        health,
        player,
        privacy,
        root,
        teams,
        training,
    )

    api.register_blueprint(root.blp)
    app.register_blueprint(root.assets_blp)
    api.register_blueprint(health.blp, url_prefix="/api/health")
    api.register_blueprint(auth.blp, url_prefix="/api/auth")
    api.register_blueprint(coach.blp, url_prefix="/api/coach")
    api.register_blueprint(teams.blp, url_prefix="/api/coach")
    api.register_blueprint(training.coach_blp, url_prefix="/api/coach/training-plans")
    api.register_blueprint(training.player_blp, url_prefix="/api/player/training")
    api.register_blueprint(player.blp, url_prefix="/api/player")
    api.register_blueprint(chat.blp, url_prefix="/api/chat")
    api.register_blueprint(charts.coach_blp, url_prefix="/api/coach")
    api.register_blueprint(charts.player_blp, url_prefix="/api/player")
    api.register_blueprint(privacy.coach_blp, url_prefix="/api/coach")
    api.register_blueprint(privacy.player_blp, url_prefix="/api/player")
    api.register_blueprint(privacy.guardian_blp, url_prefix="/api/guardian")
    api.register_blueprint(development.blp, url_prefix="/api")
