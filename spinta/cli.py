"""``flask spinta ...`` operator commands; they call the same services as the API."""

import re
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from spinta.analytics.providers import PROVIDER_NAMES

spinta_cli = AppGroup("spinta", help="Spinta operator commands.")


@spinta_cli.command("check-db")
def check_db() -> None:
    """Exit non-zero when the configured database does not answer."""
    from flask import current_app

    from spinta.database import check_database_or_exit, server_version

    check_database_or_exit(current_app._get_current_object())
    click.echo(f"Database reachable: {server_version()}")


@spinta_cli.command("create-coach")
@click.option("--email", prompt=True, help="The coach's email (his login).")
@click.option("--full-name", prompt="Full name", help="The coach's full name.")
@click.option("--club-name", prompt="Club name", help="Name of his club, as in the match files.")
@click.option(
    "--age-group",
    prompt="Age group (U6..U21, Senior, empty for none)",
    default="",
    help="The club's age group: U6..U21, Senior, or empty.",
)
@click.password_option(help="The coach's password (prompted twice, hidden, when not given).")
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
        data.pop("invite_code", None)  # the CLI founds a club; staff join with a code via the API
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


DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.json$", re.IGNORECASE)
ONE_FILE_OPTIONS = ("--opponent-name", "--our-score", "--opponent-score", "--meta")


@dataclass
class ImportRow:
    """One line of import-match's summary table."""

    file: str
    result: str  # stored, duplicate or error
    detail: str
    match_id: str = ""
    score: str = ""


SUMMARY_COLUMNS = ("file", "result", "match_id", "score", "detail")


def _event_files(paths: tuple[str, ...]) -> list[Path]:
    """The files named, and every *.json file of the folders named (sorted by name)."""
    files: list[Path] = []
    for path in map(Path, paths):
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    return files


def _file_date(path: Path, given: date | None) -> date:
    if given is not None:
        return given
    found = DATE_IN_NAME.search(path.name)
    if found is None:
        raise click.ClickException("no --date given and no YYYY-MM-DD date in the file name.")
    try:
        return date.fromisoformat(found.group(1))
    except ValueError:
        raise click.ClickException(f"{found.group(1)} in the file name is not a date.") from None


def _score(match_id: str) -> str:
    from spinta.extensions import db
    from spinta.models import Match

    match = db.session.get(Match, uuid.UUID(match_id))
    if match is None:
        return ""
    return f"{match.our_score}-{match.opponent_score} {match.result}"


def _file_events(path: Path, options: dict) -> object:
    """A StatsBomb file's parsed events, or another provider's file to read (ProviderFile)."""
    import orjson

    from spinta.analytics.providers import UnknownFormatError, detect
    from spinta.services.matches import ProviderFile

    raw = path.read_bytes()
    provider = options["provider"]
    if provider is None:
        try:
            provider = detect(raw)
        except UnknownFormatError:
            provider = "statsbomb"
    if provider == "statsbomb":
        return orjson.loads(raw)
    meta = Path(options["meta"]).read_bytes() if options["meta"] else None
    return ProviderFile(provider, raw, meta, detected=options["provider"] is None)


def _import_one(club, path: Path, options: dict) -> ImportRow:
    """Import one file; every failure becomes an error row (the other files go on)."""
    import orjson

    from spinta.errors import Conflict, DomainError
    from spinta.extensions import db
    from spinta.services.matches import MatchUpload, import_match

    try:
        match_date = _file_date(path, options["match_date"])
        events = _file_events(path, options)
        upload = MatchUpload(events=events, match_date=match_date, **options["upload"])
        result = import_match(club=club, upload=upload)
    except Conflict as exc:
        match_id = str(exc.extra.get("match_id", ""))
        kind = "duplicate" if match_id else "error"
        return ImportRow(path.name, kind, exc.detail, match_id, match_id and _score(match_id))
    except DomainError as exc:
        return ImportRow(path.name, "error", exc.detail)
    except click.ClickException as exc:
        return ImportRow(path.name, "error", exc.message)
    except orjson.JSONDecodeError as exc:
        return ImportRow(path.name, "error", f"The file is not valid JSON ({exc}).")
    except OSError as exc:
        return ImportRow(path.name, "error", f"The file cannot be read ({exc.strerror}).")
    except Exception as exc:  # one bad file must not stop the others
        db.session.rollback()
        return ImportRow(path.name, "error", f"Unexpected {type(exc).__name__}: {exc}")
    from spinta.tasks import registry

    registry.upload_committed(result.match.id, club.id)
    match_id = str(result.match.id)
    return ImportRow(path.name, "stored", result.message, match_id, _score(match_id))


def _queue_one(club, path: Path, options: dict) -> tuple[str, str]:
    """(job id, "") for a queued file, ("", why) for one that cannot be read."""
    import orjson

    from spinta.services import jobs
    from spinta.services.matches import MatchUpload, ProviderFile
    from spinta.tasks import enqueue
    from spinta.tasks.jobs import UPLOAD

    try:
        match_date = _file_date(path, options["match_date"])
        events = _file_events(path, options)
    except click.ClickException as exc:
        return "", exc.message
    except orjson.JSONDecodeError as exc:
        return "", f"The file is not valid JSON ({exc})."
    except OSError as exc:
        return "", f"The file cannot be read ({exc.strerror})."
    if isinstance(events, ProviderFile):
        return "", "--queue takes StatsBomb files; import other providers' files without it."
    upload = MatchUpload(events=events, match_date=match_date, **options["upload"])
    job = jobs.create_upload_job(club=club, upload=upload)
    enqueue(UPLOAD, str(job.id))
    return str(job.id), ""


def _queue_imports(club, files: list[Path], options: dict) -> None:
    from spinta.extensions import db
    from spinta.models import Job
    from spinta.tasks import in_process

    failed = False
    for path in files:
        job_id, problem = _queue_one(club, path, options)
        if not job_id:
            failed = True
            click.echo(f"{path.name}  error  {problem}")
            continue
        status = "queued"
        if in_process():  # no broker: the job ran just now
            status = db.session.get(Job, uuid.UUID(job_id), populate_existing=True).status
        click.echo(f"{path.name}  job {job_id}  {status}")
    where = "ran in this process (no broker)" if in_process() else "are queued for the workers"
    click.echo(f"{len(files)} files: the jobs {where}; GET /api/coach/jobs/<job id> shows each.")
    if failed:
        raise SystemExit(1)


def _summary_table(rows: list[ImportRow]) -> str:
    header = ImportRow("file", "result", "detail", "match id", "score")
    table = [header, *rows]
    widths = [max(len(getattr(row, name)) for row in table) for name in SUMMARY_COLUMNS]
    lines = [
        "  ".join(
            getattr(row, name).ljust(width)
            for name, width in zip(SUMMARY_COLUMNS, widths, strict=True)
        )
        for row in table
    ]
    counts = Counter(row.result for row in rows)
    totals = ", ".join(f"{counts[kind]} {kind}" for kind in ("stored", "duplicate", "error"))
    return "\n".join(
        [
            *(line.rstrip() for line in lines),
            f"{len(rows)} file{'s' if len(rows) != 1 else ''}: {totals}.",
        ]
    )


@spinta_cli.command("import-match")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--coach", "coach_email", required=True, help="Email of the club's coach.")
@click.option(
    "--date",
    "match_date",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Match date (YYYY-MM-DD) for every file; default: the date ending each file's name "
    "(argentina-croatia-2022-12-13.json).",
)
@click.option("--opponent-name", default=None, help="Opponent's name (one file only).")
@click.option(
    "--our-score", type=click.IntRange(min=0), default=None, help="Official score (one file only)."
)
@click.option(
    "--opponent-score",
    type=click.IntRange(min=0),
    default=None,
    help="Official opponent score (one file only).",
)
@click.option(
    "--queue",
    is_flag=True,
    help="Queue one background job per file for the workers and print the job ids (without a "
    "broker the jobs run here, one after the other).",
)
@click.option(
    "--provider",
    type=click.Choice(PROVIDER_NAMES),
    default=None,
    help="The files' provider (default: detected from each file).",
)
@click.option(
    "--meta",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="The provider's second file: Opta F7, Stats Perform MA1, Sportec or Metrica metadata, "
    "Impect lineups (one file only).",
)
@click.option("--our-team", default=None, help="Our side: home, away or the team's name.")
@click.option(
    "--team",
    "team",
    default=None,
    help="The club's team the matches are for: its id or its name (default: the first team).",
)
def import_match_command(
    paths, coach_email, match_date, opponent_name, our_score, opponent_score, queue, **source
):
    """Import match files (PATHS: files or folders of *.json) for a coach's club: StatsBomb
    by default, every provider of the upload API with --provider or detected.

    Same rules as the upload API, one transaction per file: a file that fails stores nothing
    and the others go on. Prints a summary table; exits 1 when any file failed (a match
    already stored is a duplicate, not a failure). With --queue the files are stored by the
    workers: follow each job with GET /api/coach/jobs/{job_id}.
    """
    if (our_score is None) != (opponent_score is None):
        raise click.UsageError("Give both --our-score and --opponent-score, or neither.")
    files = _event_files(paths)
    if not files:
        raise click.UsageError("No *.json files in the folders given.")
    if len(files) > 1 and (opponent_name or our_score is not None or source["meta"]):
        raise click.UsageError(f"{', '.join(ONE_FILE_OPTIONS)} apply to a single file.")
    club = _coach_club(coach_email)
    options = {
        "match_date": match_date.date() if match_date else None,
        "upload": {
            "opponent_name": opponent_name,
            "our_score": our_score,
            "opponent_score": opponent_score,
            "our_team": source["our_team"],
            "team_id": _named(club.id, "--team", source["team"]),
        },
        "provider": source["provider"],
        "meta": source["meta"],
    }
    if queue:
        _queue_imports(club, files, options)
        return
    rows = []
    with click.progressbar(
        files, label="Importing", item_show_func=lambda path: path.name if path else None
    ) as bar:
        for path in bar:
            rows.append(_import_one(club, path, options))
    click.echo(_summary_table(rows))
    if any(row.result == "error" for row in rows):
        raise SystemExit(1)


@spinta_cli.command("recompute-stats")
@click.option("--club", "club_id", default=None, help="Only this club (UUID); default: all.")
@click.option(
    "--seasons-only",
    is_flag=True,
    help="Only rebuild the season rows from the stored match rows (after an upgrade).",
)
@click.option(
    "--season",
    "season",
    default=None,
    help='Only rebuild this season\'s rows (its id, or its name in every club: "2022/23").',
)
def recompute_stats(club_id, seasons_only, season):
    """Re-derive every stored statistic from the stored events (after a definition change)."""
    from sqlalchemy import func, select

    from spinta.extensions import db
    from spinta.models import Match
    from spinta.screen_cache import commit_club_write
    from spinta.services.matches import reanalyse_club
    from spinta.services.seasons import recompute_club

    clubs = _clubs(club_id)
    if season is not None:
        _recompute_season(clubs, season)
        return
    counts = dict(
        db.session.execute(
            select(Match.club_id, func.count())
            .where(Match.club_id.in_([c.id for c in clubs]))
            .group_by(Match.club_id)
        ).all()
    )
    if seasons_only:
        pairs = 0
        for club in clubs:
            pairs += recompute_club(club.id)
            commit_club_write(club.id)
        click.echo(f"Rebuilt {pairs} team seasons in {len(clubs)} clubs.")
        return
    total, skipped = 0, []
    # One transaction per club: the bar moves by each club's matches once they are committed.
    with click.progressbar(
        length=sum(counts.values()), label="Re-analysing matches", show_pos=True
    ) as bar:
        for club in clubs:
            done = reanalyse_club(club=club, skipped=skipped.append)
            total += done
            bar.update(counts.get(club.id, 0))
    for message in skipped:  # a tagging CSV's match or one stored before: kept as uploaded
        click.echo(message)
    extra = f" {len(skipped)} skipped." if skipped else ""
    click.echo(f"Re-analysed {total} matches in {len(clubs)} clubs.{extra}")


def _recompute_season(clubs: list, season: str) -> None:
    """Rebuild the rows of the season named in each club that has it, from the stored match
    rows (every team's; rows without matches go)."""
    from sqlalchemy import select

    from spinta.extensions import db
    from spinta.models import Team
    from spinta.screen_cache import commit_club_write
    from spinta.services.seasons import recompute_club

    pairs = done = 0
    for club in clubs:
        seasons = _named_ids(club.id, "--season", season)
        if not seasons:
            continue  # a club without that season
        teams = db.session.scalars(select(Team.id).where(Team.club_id == club.id)).all()
        pairs += recompute_club(club.id, [(t, s) for t in teams for s in seasons])
        commit_club_write(club.id)
        done += 1
    if not done:
        raise click.BadParameter(f"no season {season!r}", param_hint="--season")
    click.echo(f"Rebuilt {pairs} team seasons of {season} in {done} clubs.")


def _named_ids(club_id, option: str, given: str) -> list:
    """The ids of the club's teams (``--team``) or seasons (``--season``) named ``given``: an
    id, or a name (case-insensitive)."""
    from sqlalchemy import func, select

    from spinta.extensions import db
    from spinta.models import Season, Team

    model = Team if option == "--team" else Season
    try:
        by = model.id == uuid.UUID(given)
    except ValueError:
        by = func.lower(model.name) == given.strip().lower()
    return list(db.session.scalars(select(model.id).where(model.club_id == club_id, by)))


def _named(club_id, option: str, given: str | None):
    """The one id ``_named_ids`` finds; None when not given."""
    if given is None:
        return None
    found = _named_ids(club_id, option, given)
    if len(found) != 1:
        what = "no" if not found else f"{len(found)} teams named"
        raise click.BadParameter(f"{what} {given!r} in the club", param_hint=option)
    return found[0]


def _clubs(club_id: str | None) -> list:
    """Every club, or the one ``--club`` names."""
    from sqlalchemy import select

    from spinta.extensions import db
    from spinta.models import Club

    query = select(Club).order_by(Club.created_at)
    if club_id:
        try:
            query = query.where(Club.id == uuid.UUID(club_id))
        except ValueError:
            raise click.BadParameter("not a UUID", param_hint="--club") from None
    clubs = list(db.session.scalars(query).all())
    if club_id and not clubs:
        raise click.ClickException(f"No club {club_id}.")
    return clubs


@spinta_cli.command("reanalyse")
@click.option("--club", "club_id", default=None, help="Only this club (UUID); default: all.")
@click.option(
    "--queue",
    is_flag=True,
    help="Queue the jobs for the workers (clubs run in parallel across them) instead of "
    "running them here.",
)
@click.option("--wait", is_flag=True, help="With --queue: follow the jobs until they finish.")
def reanalyse(club_id, queue, wait):
    """Re-analyse every club's stored matches (or one club's) as background jobs.

    One job per club (one transaction each, with its progress in matches); a club's coach sees
    his at GET /api/coach/jobs/{job_id}. Without --queue the jobs run here, one after the
    other; with --queue the workers take them, in parallel. Exits 1 when a job failed.
    """
    from spinta.services import jobs
    from spinta.tasks import in_process

    clubs = _clubs(club_id)
    created = [jobs.create_job(club_id=club.id, kind="reanalyse") for club in clubs]
    ids = [job.id for job in created]
    if queue and not in_process():
        _enqueue_reanalyses(ids)
        if not wait:
            for club, job_id in zip(clubs, ids, strict=True):
                click.echo(f"club {club.id}  job {job_id}  queued")
            click.echo(f"Queued {len(ids)} re-analysis jobs.")
            return
    else:
        _run_reanalyses(ids)
    _report_jobs(ids)


def _enqueue_reanalyses(ids: list) -> None:
    from spinta.tasks import enqueue
    from spinta.tasks.jobs import REANALYSE

    for job_id in ids:
        enqueue(REANALYSE, str(job_id))


def _run_reanalyses(ids: list) -> None:
    """Run the jobs in this process, one after the other."""
    from spinta.tasks import celery_app
    from spinta.tasks.jobs import REANALYSE

    task = celery_app().tasks[REANALYSE]
    with click.progressbar(ids, label="Re-analysing clubs", show_pos=True) as bar:
        for job_id in bar:
            task.apply(args=(str(job_id),))


def _report_jobs(ids: list, poll_seconds: float = 0.5) -> None:
    """Follow the jobs until all have finished (progress in clubs), then summarise them."""
    import time

    from sqlalchemy import select

    from spinta.extensions import db
    from spinta.models import Job

    def finished() -> list[Job]:
        db.session.expire_all()
        rows = db.session.scalars(select(Job).where(Job.id.in_(ids))).all()
        db.session.rollback()
        return rows

    with click.progressbar(length=len(ids), label="Jobs finished", show_pos=True) as bar:
        rows = finished()
        while True:
            done = sum(1 for job in rows if job.finished)
            bar.update(done - bar.pos)
            if done == len(ids):
                break
            time.sleep(poll_seconds)
            rows = finished()
    matches = sum((job.result or {}).get("matches", 0) for job in rows if job.status == "done")
    failures = [job for job in rows if job.status == "failed"]
    for job in failures:
        click.echo(f"job {job.id} (club {job.club_id}) failed: {(job.error or {}).get('detail')}")
    click.echo(f"Re-analysed {matches} matches in {len(rows) - len(failures)} clubs.")
    if failures:
        raise SystemExit(1)


def _celery_for_command():
    from flask import current_app

    from spinta.tasks import celery_app, in_process

    if in_process():
        raise click.ClickException(
            "No broker configured: set REDIS_URL (or CELERY_BROKER_URL, e.g. "
            "amqp://guest:guest@127.0.0.1:5672//); without one, jobs run in the web process."
        )
    return celery_app(current_app._get_current_object())


@spinta_cli.command(
    "worker", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@click.option(
    "--concurrency",
    "-c",
    type=click.IntRange(min=1),
    default=None,
    help="Pool processes running jobs at once (default: one per core).",
)
@click.option("--loglevel", "-l", default="INFO", show_default=True, help="Celery's log level.")
@click.pass_context
def worker(ctx, concurrency, loglevel):
    """Run a Celery worker for Spinta's jobs (other celery worker options pass through)."""
    app = _celery_for_command()
    argv = ["worker", f"--loglevel={loglevel}", *ctx.args]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    app.worker_main(argv=argv)


@spinta_cli.command(
    "beat", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@click.option("--loglevel", "-l", default="INFO", show_default=True, help="Celery's log level.")
@click.pass_context
def beat(ctx, loglevel):
    """Run Celery beat: sends the scheduled jobs of spinta.tasks.registry (run exactly one)."""
    app = _celery_for_command()
    schedule = app.conf.beat_schedule
    click.echo(f"{len(schedule)} scheduled job(s): {', '.join(sorted(schedule)) or 'none yet'}.")
    app.start(argv=["beat", f"--loglevel={loglevel}", *ctx.args])


@spinta_cli.command("report")
@click.argument("match_id")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False), help="Write the PDF here.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Write the HTML here.")
def report_command(match_id, pdf_path, html_path):
    """Write a match's printable report (the one GET .../report serves) as PDF and/or HTML."""
    from spinta import reports
    from spinta.extensions import db
    from spinta.models import Club, Match

    try:
        match = db.session.get(Match, uuid.UUID(match_id))
    except ValueError:
        raise click.BadParameter("not a UUID", param_hint="MATCH_ID") from None
    if match is None:
        raise click.ClickException(f"No match {match_id}.")
    if not pdf_path and not html_path:
        raise click.UsageError("Give --pdf FILE and/or --html FILE.")
    club = db.session.get(Club, match.club_id)
    for path, fmt in ((pdf_path, "pdf"), (html_path, "html")):
        if path:
            rendered = reports.match_report(club=club, match_id=match.id, fmt=fmt)
            Path(path).write_bytes(rendered.body)
            click.echo(f"Wrote {path} ({len(rendered.body):,} bytes).")


DEMO_MATCHES = (
    ("argentina-mexico-2022-11-26.json", "2022-11-26", "Mexico"),
    ("netherlands-argentina-2022-12-09.json", "2022-12-09", "Netherlands"),
    ("argentina-croatia-2022-12-13.json", "2022-12-13", "Croatia"),
)


@spinta_cli.command("demo")
@click.option("--email", default="demo@spinta.local", show_default=True, help="Demo coach's email.")
@click.option(
    "--password", default="demo-password", show_default=True, help="Demo coach's password."
)
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


@spinta_cli.command("purge")
@click.option(
    "--pending", is_flag=True, help="Carry out every pending erasure now, not only the due ones."
)
def purge_command(pending: bool) -> None:
    """Carry out due erasure requests, erase players past the retention period and drop old
    access-log entries (idempotent: safe to run as often as wanted, e.g. daily)."""
    from spinta.services.privacy import purge

    report = purge(pending=pending)
    click.echo(
        f"Erased {report.erased_on_request} player(s) on request and "
        f"{report.erased_after_retention} after the retention period; "
        f"deleted {report.access_log_deleted} old access-log entries."
    )
