"""`flask spinta ...` operator commands, and config errors of every `flask` command."""

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from sqlalchemy import select

from spinta.extensions import db
from spinta.models import User
from spinta.services.seasons import club_view
from tests.conftest import ROOT


def test_create_coach(runner, app):
    result = runner.invoke(
        args=[
            "spinta",
            "create-coach",
            "--email",
            "Ops@Example.com",
            "--full-name",
            "Op Coach",
            "--club-name",
            "Ops FC",
            "--age-group",
            "U12",
        ],
        input="secret-pass-1\nsecret-pass-1\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created coach ops@example.com" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ops@example.com"))
        assert user.coach.club.age_group == "U12"


def test_create_coach_rejects_bad_input(runner, app):
    result = runner.invoke(
        args=[
            "spinta",
            "create-coach",
            "--email",
            "nope",
            "--full-name",
            "Op Coach",
            "--club-name",
            "Ops FC",
            "--age-group",
            "",
        ],
        input="secret-pass-1\nsecret-pass-1\n",
    )
    assert result.exit_code != 0
    assert "email" in result.output
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def _statsbomb(name):
    from tests.conftest import statsbomb_file

    return str(statsbomb_file(name))


def test_import_match_and_recompute_stats(runner, app, client):
    import uuid

    from sqlalchemy import func

    from spinta.models import Match, MatchStatistics
    from tests.factories import register_coach

    coach = register_coach(client, club_name="Argentina")
    path = _statsbomb("argentina-croatia-2022-12-13.json")
    result = runner.invoke(
        args=["spinta", "import-match", path, "--coach", coach.email, "--date", "2022-12-13"]
    )
    assert result.exit_code == 0, result.output
    assert "3-0 (win)" in result.output
    again = runner.invoke(
        args=["spinta", "import-match", path, "--coach", coach.email, "--date", "2022-12-13"]
    )
    # Already stored: a duplicate, not a failure (a folder can be imported again).
    assert again.exit_code == 0 and "already uploaded" in again.output
    assert "duplicate" in again.output
    unknown = runner.invoke(
        args=["spinta", "import-match", path, "--coach", "nobody@x.io", "--date", "2022-12-13"]
    )
    assert unknown.exit_code != 0 and "No coach" in unknown.output

    with app.app_context():
        # Corrupt a derived number: recompute-stats must re-derive it from the stored events.
        row = db.session.scalar(select(MatchStatistics).where(MatchStatistics.is_our_team))
        expected_shots = row.total_shots
        row.total_shots = 999
        db.session.commit()
        detail = f"/api/coach/matches/{row.match_id}"

    def shots_on_screen() -> int:
        body = client.get(detail, headers=coach.headers).get_json()
        return body["statistics"]["attacking"]["total_shots"]["our_team"]

    assert shots_on_screen() == 999  # read (and cached) before the re-analysis
    result = runner.invoke(args=["spinta", "recompute-stats", "--club", coach.club_id])
    assert result.exit_code == 0, result.output
    assert "Re-analysed 1 matches in 1 clubs." in result.output
    assert shots_on_screen() == expected_shots  # the re-analysis invalidated the cached screen
    with app.app_context():
        row = db.session.scalar(select(MatchStatistics).where(MatchStatistics.is_our_team))
        assert row.total_shots == expected_shots
        assert db.session.scalar(select(func.count(Match.id))) == 1
        season = club_view(uuid.UUID(coach.club_id))
        assert season.avg_total_shots == expected_shots
    bad = runner.invoke(args=["spinta", "recompute-stats", "--club", "not-a-uuid"])
    assert bad.exit_code != 0


def test_demo_loads_the_shared_matches(runner, app):
    from sqlalchemy import func

    from spinta.models import Match

    _statsbomb("argentina-mexico-2022-11-26.json")
    result = runner.invoke(args=["spinta", "demo"])
    assert result.exit_code == 0, result.output
    assert "Created coach demo@spinta.local" in result.output
    again = runner.invoke(args=["spinta", "demo"])
    assert again.exit_code == 0 and again.output.count("already loaded") == 3
    with app.app_context():
        assert db.session.scalar(select(func.count(Match.id))) == 3


def _import(runner, *args):
    return runner.invoke(args=["spinta", "import-match", *map(str, args)])


def test_import_match_takes_a_folder_and_reports_each_file(runner, app, client, tmp_path):
    """Several files (a folder here): a progress bar, a summary table, the date from each
    file's name; one bad file stores nothing and does not stop the others; exit 1."""
    from sqlalchemy import func

    from spinta.models import Match
    from tests.factories import register_coach

    coach = register_coach(client, club_name="Argentina")
    folder = tmp_path / "matches"
    folder.mkdir()
    for name in ("argentina-croatia-2022-12-13.json", "argentina-mexico-2022-11-26.json"):
        (folder / name).symlink_to(_statsbomb(name))
    (folder / "broken-2022-01-01.json").write_text("[{")
    (folder / "undated.json").write_text("[]")
    (folder / "notes.txt").write_text("not an events file")

    result = _import(runner, folder, "--coach", coach.email)
    assert result.exit_code == 1, result.output
    assert "Importing" in result.output  # the progress bar's label (no terminal here)
    lines = result.output.splitlines()
    table = lines[lines.index(next(line for line in lines if line.startswith("file"))) :]
    assert table[0].split() == ["file", "result", "match", "id", "score", "detail"]
    rows = {line.split()[0]: line for line in table[1:-1]}
    assert set(rows) == {
        "argentina-croatia-2022-12-13.json",
        "argentina-mexico-2022-11-26.json",
        "broken-2022-01-01.json",
        "undated.json",
    }
    assert rows["argentina-croatia-2022-12-13.json"].split()[1:4][::2] == ["stored", "3-0"]
    assert "stored" in rows["argentina-mexico-2022-11-26.json"]
    assert "error" in rows["broken-2022-01-01.json"] and "not valid JSON" in result.output
    assert "no --date given and no YYYY-MM-DD date in the file name" in rows["undated.json"]
    assert table[-1] == "4 files: 2 stored, 0 duplicate, 2 error."
    with app.app_context():
        dates = db.session.scalars(select(Match.match_date).order_by(Match.match_date)).all()
        assert [d.isoformat() for d in dates] == ["2022-11-26", "2022-12-13"]

    # Again, the two good files only: duplicates with the stored match's id, exit status 0.
    again = _import(
        runner,
        folder / "argentina-croatia-2022-12-13.json",
        folder / "argentina-mexico-2022-11-26.json",
        "--coach",
        coach.email,
    )
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[-1] == "2 files: 0 stored, 2 duplicate, 0 error."
    with app.app_context():
        ids = {str(i) for i in db.session.scalars(select(Match.id))}
        assert db.session.scalar(select(func.count(Match.id))) == 2
    assert all(match_id in again.output for match_id in ids)


def test_import_match_date_option_and_one_file_options(runner, app, client, tmp_path):
    from spinta.models import Match
    from tests.factories import register_coach

    coach = register_coach(client, club_name="Argentina")
    undated = tmp_path / "final.json"
    undated.symlink_to(_statsbomb("argentina-croatia-2022-12-13.json"))
    result = _import(runner, undated, "--coach", coach.email, "--date", "2022-12-14")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(Match.match_date)).isoformat() == "2022-12-14"
    several = _import(
        runner,
        undated,
        undated,
        "--coach",
        coach.email,
        "--our-score",
        "1",
        "--opponent-score",
        "0",
    )
    assert several.exit_code == 2 and "apply to a single file" in several.output
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = _import(runner, empty, "--coach", coach.email)
    assert nothing.exit_code == 2 and "No *.json files" in nothing.output


def test_recompute_stats_shows_progress(runner, app, client):
    from tests.factories import register_coach

    coach = register_coach(client, club_name="Argentina")
    path = _statsbomb("argentina-croatia-2022-12-13.json")
    assert _import(runner, path, "--coach", coach.email, "--date", "2022-12-13").exit_code == 0
    result = runner.invoke(args=["spinta", "recompute-stats"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Re-analysing matches",  # the progress bar's label (no terminal here)
        "Re-analysed 1 matches in 1 clubs.",
    ]


def test_every_option_has_help_text():
    from spinta.cli import spinta_cli

    for name, command in spinta_cli.commands.items():
        assert command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"flask spinta {name} {param.opts[0]}"


def _flask(*args, **env):
    """`flask ...` in a process of its own, with no Spinta settings but ``env``."""
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SPINTA_", "DATABASE", "SECRET", "JWT_"))
    }
    return subprocess.run(
        [str(Path(sys.executable).parent / "flask"), *args],
        cwd=ROOT,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"SPINTA_ENV": "production"},
            "Error: Refusing to start in production: DATABASE_URL is not set",
        ),
        (
            {"SPINTA_ENV": "prod"},
            "Error: SPINTA_ENV='prod' is not one of development, production, testing."
            " Did you mean production?",
        ),
    ],
)
def test_config_error_in_flask_commands_is_one_line(env, expected):
    for command in (["db", "upgrade"], ["spinta", "recompute-stats"]):
        result = _flask(*command, **env)
        assert result.returncode == 2, result.stderr
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith(expected), result.stderr


def test_gunicorn_names_the_valid_environments_too():
    from bench._harness import free_port

    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SPINTA_", "DATABASE"))}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "wsgi:app"],
        cwd=ROOT,
        env={**environ, "SPINTA_ENV": "prod", "PORT": str(free_port())},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "is not one of development, production, testing. Did you mean production?" in output
    assert "Traceback" not in output
