"""`make audit`: known vulnerabilities of every pinned requirement, and what was checked.

pip-audit checks each exact pin against PyPI's vulnerability data (per release). Where that
data cannot be had (a registry mirror that serves only each project's page, no network), a
pin that is the project's latest release is checked against the vulnerabilities PyPI lists
on the project page, which are those of its latest release. Anything still unchecked is
named, never passed over in silence.

Exit status: 1 when a vulnerability is found; with AUDIT_STRICT=1 also when a pin could not
be checked. A lack of network alone does not fail (CI machines may have none): the report
then says plainly that nothing was checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")
PROJECT_URL = "https://pypi.org/pypi/{name}/json"
TIMEOUT = 15


def pins() -> dict[str, str]:
    """name -> pinned version, from the requirements files (lines ``name==version``)."""
    found = {}
    for filename in REQUIREMENTS:
        for line in (ROOT / filename).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if "==" in line:
                name, version = line.split("==", 1)
                found[normalise(name)] = version.strip()
    return found


def normalise(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(".", "-")


def pip_audit() -> dict[str, list[str] | None]:
    """name -> vulnerability ids from pip-audit, or None when it could not check the pin."""
    files = [arg for filename in REQUIREMENTS for arg in ("-r", str(ROOT / filename))]
    command = [sys.executable, "-m", "pip_audit", *files, "--no-deps", "--disable-pip"]
    command += ["--progress-spinner", "off", "--format", "json", "--timeout", str(TIMEOUT)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit could not run (status {done.returncode}): {last}")
        return {}
    return {
        normalise(dep["name"]): (
            None if "skip_reason" in dep else [vuln["id"] for vuln in dep.get("vulns", [])]
        )
        for dep in report["dependencies"]
    }


def latest_release_vulns(name: str, version: str) -> tuple[list[str] | None, str]:
    """Vulnerabilities of the pin when it is the latest release; (None, why) otherwise."""
    try:
        with urllib.request.urlopen(PROJECT_URL.format(name=name), timeout=TIMEOUT) as answer:
            project = json.load(answer)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, f"registry unreachable ({getattr(exc, 'reason', exc)})"
    latest = project["info"]["version"]
    if latest != version:
        return None, f"no data for {version} (latest release is {latest})"
    return [vuln["id"] for vuln in project.get("vulnerabilities") or []], "latest release"


Row = tuple[str, str, str, "list[str] | None"]  # name, version, how checked, vulnerability ids


def check(pinned: dict[str, str], audited: dict[str, list[str] | None]) -> list[Row]:
    """One row per pin: pip-audit's answer, else the latest-release check, else why not."""
    missing = [(name, pinned[name]) for name in pinned if audited.get(name) is None]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = pool.map(lambda pin: latest_release_vulns(*pin), missing)
        fallback = dict(zip(missing, answers, strict=True))
    rows = []
    for name, version in sorted(pinned.items()):
        vulns, how = audited.get(name), "pip-audit"
        if vulns is None:
            vulns, how = fallback[(name, version)]
        rows.append((name, version, how if vulns is not None else f"NOT CHECKED: {how}", vulns))
    return rows


def report(rows: list[Row], strict: bool = False) -> int:
    """Print every pin and a summary; the exit status."""
    for name, version, how, vulns in rows:
        found = ", ".join(vulns) if vulns else ("none" if vulns is not None else "-")
        print(f"{name:28} {version:18} {how:55} vulnerabilities: {found}")
    checked = [row for row in rows if row[3] is not None]
    vulnerable = [row for row in checked if row[3]]
    unchecked = len(rows) - len(checked)
    by_pip_audit = sum(row[2] == "pip-audit" for row in checked)
    print(
        f"audit: {len(rows)} pinned packages ({', '.join(REQUIREMENTS)}); checked {len(checked)}"
        f" ({by_pip_audit} by pip-audit per release, {len(checked) - by_pip_audit} as the"
        f" latest release), NOT checked {unchecked}; {len(vulnerable)} with known"
        " vulnerabilities."
    )
    if not checked:
        print("audit: NOTHING was checked: no vulnerability data could be reached.")
    if vulnerable:
        return 1
    return 1 if unchecked and strict else 0


def main() -> int:
    rows = check(pins(), pip_audit())
    return report(rows, strict=os.environ.get("AUDIT_STRICT") == "1")


if __name__ == "__main__":
    sys.exit(main())
