"""``flask spinta ...`` operator commands; they call the same services as the API."""

import click
from flask.cli import AppGroup

spinta_cli = AppGroup("spinta", help="Spinta operator commands.")


@spinta_cli.command("check-db")
def check_db() -> None:
    """Exit non-zero when the configured database does not answer."""
    from flask import current_app

    from spinta.database import check_database_or_exit, server_version

    check_database_or_exit(current_app._get_current_object())
    click.echo(f"Database reachable: {server_version()}")
