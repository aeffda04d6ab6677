"""`make audit` (scripts/audit.py): what it checks and when it fails, without any network."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import ROOT


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_pin_of_both_files_is_audited(audit):
    pinned = audit.pins()
    for name in ("flask", "gunicorn", "pytest", "pip-audit", "tomli-w"):
        assert name in pinned, name
    assert "django" not in pinned


def test_pip_audit_first_then_the_latest_release_then_named_as_unchecked(audit, monkeypatch):
    answers = {
        "flask": (["GHSA-fake"], "latest release"),
        "redis": (None, "no data for 8.1.0 (latest release is 9.0)"),
    }
    monkeypatch.setattr(audit, "latest_release_vulns", lambda name, _version: answers[name])
    pinned = {"werkzeug": "3.1.9", "flask": "3.1.3", "redis": "8.1.0"}
    rows = audit.check(pinned, {"werkzeug": [], "flask": None})
    assert rows == [
        ("flask", "3.1.3", "latest release", ["GHSA-fake"]),
        ("redis", "8.1.0", "NOT CHECKED: no data for 8.1.0 (latest release is 9.0)", None),
        ("werkzeug", "3.1.9", "pip-audit", []),
    ]


def test_a_vulnerability_fails_and_the_summary_says_what_was_checked(audit, capsys):
    rows = [("flask", "3.1.3", "pip-audit", ["GHSA-x"]), ("redis", "8.1.0", "pip-audit", [])]
    assert audit.report(rows) == 1
    out = capsys.readouterr().out
    assert "vulnerabilities: GHSA-x" in out
    assert "2 pinned packages" in out and "checked 2 (2 by pip-audit" in out
    assert "1 with known vulnerabilities" in out


def test_no_network_is_reported_not_failed_unless_strict(audit, capsys):
    rows = [("flask", "3.1.3", "NOT CHECKED: registry unreachable (refused)", None)]
    assert audit.report(rows) == 0
    out = capsys.readouterr().out
    assert "NOT checked 1" in out
    assert "NOTHING was checked" in out
    assert audit.report(rows, strict=True) == 1
