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


def _coach_club(email: str):
    from sqlalchemy import select

    from spinta.extensions import db
    from spinta.models import User

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or user.coach is None or user.coach.club is None:
        raise click.ClickException(f"No coach with the email {email}.")
    return user.coach.club


@spinta_cli.command("import-match")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--coach", "coach_email", required=True, help="Email of the club's coach.")
@click.option("--date", "match_date", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--opponent-name", default=None)
@click.option("--our-score", type=click.IntRange(min=0), default=None)
@click.option("--opponent-score", type=click.IntRange(min=0), default=None)
def import_match_command(file, coach_email, match_date, opponent_name, our_score, opponent_score):
    """Import one StatsBomb events file for a coach's club (same rules as the upload API)."""
    import orjson

    from spinta.errors import DomainError
    from spinta.services.matches import MatchUpload, import_match

    if (our_score is None) != (opponent_score is None):
        raise click.UsageError("Give both --our-score and --opponent-score, or neither.")
    club = _coach_club(coach_email)
    with open(file, "rb") as handle:
        try:
            events = orjson.loads(handle.read())
        except orjson.JSONDecodeError as exc:
            raise click.ClickException(f"{file} is not valid JSON ({exc}).") from None
    upload = MatchUpload(
        events=events,
        match_date=match_date.date(),
        opponent_name=opponent_name,
        our_score=our_score,
        opponent_score=opponent_score,
    )
    try:
        result = import_match(club=club, upload=upload)
    except DomainError as exc:
        raise click.ClickException(exc.detail) from None
    click.echo(result.message)


@spinta_cli.command("recompute-stats")
@click.option("--club", "club_id", default=None, help="Only this club (UUID); default: all.")
def recompute_stats(club_id):
    """Re-derive every stored statistic from the stored events (after a definition change)."""
    import uuid

    from sqlalchemy import select

    from spinta.extensions import db
    from spinta.models import Club
    from spinta.services.matches import reanalyse_club

    query = select(Club)
    if club_id:
        try:
            query = query.where(Club.id == uuid.UUID(club_id))
        except ValueError:
            raise click.BadParameter("not a UUID", param_hint="--club") from None
    clubs = db.session.scalars(query).all()
    if club_id and not clubs:
        raise click.ClickException(f"No club {club_id}.")
    total = 0
    for club in clubs:
        total += reanalyse_club(club=club)
    click.echo(f"Re-analysed {total} matches in {len(clubs)} clubs.")


DEMO_MATCHES = (
    ("argentina-mexico-2022-11-26.json", "2022-11-26", "Mexico"),
    ("netherlands-argentina-2022-12-09.json", "2022-12-09", "Netherlands"),
    ("argentina-croatia-2022-12-13.json", "2022-12-13", "Croatia"),
)


@spinta_cli.command("demo")
@click.option("--email", default="demo@spinta.local", show_default=True)
@click.option("--password", default="demo-password", show_default=True)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder with the shared StatsBomb files (default: ../shared/statsbomb).",
)
def demo(email, password, data_dir):
    """Create a demo coach (club Argentina) and load the shared World Cup matches."""
    from datetime import date
    from pathlib import Path

    import orjson
    from sqlalchemy import select

    from spinta.errors import Conflict
    from spinta.extensions import db
    from spinta.models import User
    from spinta.services.auth import register_coach
    from spinta.services.matches import MatchUpload, import_match

    folder = (
        Path(data_dir)
        if data_dir
        else Path(__file__).resolve().parents[2] / "shared" / ("statsbomb")
    )
    if db.session.scalar(select(User).where(User.email == email.lower())) is None:
        register_coach(
            email=email,
            password=password,
            full_name="Demo Coach",
            club={"club_name": "Argentina", "country": "Argentina", "age_group": "Senior"},
        )
        click.echo(f"Created coach {email} / {password} (club Argentina).")
    club = _coach_club(email)
    for name, day, opponent in DEMO_MATCHES:
        path = folder / name
        if not path.exists():
            click.echo(f"Skipped {name}: not found in {folder}.")
            continue
        upload = MatchUpload(
            events=orjson.loads(path.read_bytes()),
            match_date=date.fromisoformat(day),
            opponent_name=opponent,
        )
        try:
            click.echo(import_match(club=club, upload=upload).message)
        except Conflict:
            click.echo(f"{name}: already loaded.")
