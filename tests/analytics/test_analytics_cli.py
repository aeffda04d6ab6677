"""The command line and the purity of the package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from analytics_builder import HOME, MatchBuilder
from analytics_files import BARCELONA_ALAVES, statsbomb_path

from spinta.analytics.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def run_cli(capsysbinary, *args: str) -> tuple[int, bytes, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:
        status = exc.code
    captured = capsysbinary.readouterr()
    return status, captured.out, captured.err.decode()


def test_cli_prints_the_report(tmp_path, capsysbinary):
    b = MatchBuilder()
    b.shot(HOME, 9, "Goal", at=60)
    path = tmp_path / "events.json"
    path.write_text(json.dumps(b.events))
    status, out, err = run_cli(
        capsysbinary, str(path), "--club-name", "Away United", "--our-score", "1",
        "--opponent-score", "1",
    )  # fmt: skip
    assert status == 0 and err == ""
    report = json.loads(out)
    assert report["score"] == {"our": 1, "opponent": 1}
    assert report["derived_score"] == {"our": 0, "opponent": 1}
    assert report["result"] == "D" and len(report["warnings"]) == 1
    assert report["our_team"]["name"] == "Away United"


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        (None, (), "Cannot read"),
        (b"{not json", (), "not a valid JSON file"),
        (b"\xff\xfe", (), "not a valid JSON file"),
        (b'{"events": []}', (), "JSON array"),
        (b"[]", (), "contains no events"),
        (b'[{"id": "a"}]', (), "Event 1 has no 'index'."),
        ("builder", ("--club-name", "Nobody"), "Could not find 'Nobody'"),
        ("builder", ("--our-score", "1"), "both --our-score and --opponent-score"),
        ("builder", ("--our-score", "-1", "--opponent-score", "0"), "negative"),
    ],
)
def test_cli_fails_with_one_line_and_status_2(tmp_path, capsysbinary, content, args, expected):
    path = tmp_path / "events.json"
    if content == "builder":
        path.write_text(json.dumps(MatchBuilder().events))
    elif content is not None:
        path.write_bytes(content)
    if "--club-name" not in args:
        args = ("--club-name", "Home FC", *args)
    status, out, err = run_cli(capsysbinary, str(path), *args)
    assert status == 2 and out == b""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert expected in err


def test_python_dash_m_on_a_real_file():
    path = statsbomb_path(BARCELONA_ALAVES)
    done = subprocess.run(
        [sys.executable, "-m", "spinta.analytics", str(path), "--club-name", "Alaves"],
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["score"] == {"our": 0, "opponent": 3} and report["result"] == "L"
    assert report["our_team"] == {
        "id": 206,
        "name": "Deportivo Alavés",
        "matched_by": "contains_name",
    }
    assert done.stderr == b""


def test_importing_the_package_loads_only_the_standard_library():
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import spinta.analytics\n"
        "new = {name.split('.')[0] for name in set(sys.modules) - before}\n"
        "print(sorted(new - set(sys.stdlib_module_names) - {'spinta'}))\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in {'flask', 'sqlalchemy'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == ["[]", "[]"], done.stdout
