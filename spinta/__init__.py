"""Spinta: a backend for youth soccer analytics (StatsBomb uploads, statistics, training)."""

__version__ = "0.1.0"


def create_app(config_class=None):
    """Lazy re-export of :func:`spinta.app.create_app` (keeps ``import spinta.analytics`` light)."""
    from spinta.app import create_app as _create_app

    return _create_app(config_class)
