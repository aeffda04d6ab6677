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


@spinta_cli.command("create-coach")
@click.option("--email", prompt=True)
@click.option("--full-name", prompt="Full name")
@click.option("--club-name", prompt="Club name")
@click.option("--age-group", prompt="Age group (U6..U21, Senior, empty for none)", default="")
@click.password_option()
def create_coach(email: str, full_name: str, club_name: str, age_group: str, password: str) -> None:
    """Create a coach account with his club (prompts for what is missing)."""
    from marshmallow import ValidationError

    from spinta.errors import DomainError
    from spinta.schemas.auth import RegisterCoachSchema
    from spinta.services.auth import register_coach

    raw = {
        "email": email,
        "password": password,
        "full_name": full_name,
        "club": {"club_name": club_name, "age_group": age_group},
    }
    try:
        data = RegisterCoachSchema().load(raw)
        session = register_coach(**data)
    except ValidationError as exc:
        raise click.ClickException(f"Invalid input: {exc.messages}") from None
    except DomainError as exc:
        raise click.ClickException(exc.detail) from None
    click.echo(f"Created coach {session.user.email} (club {session.user.coach.club.club_name}).")
