"""Run every benchmark in bench/ and write bench/RESULTS.md (`make bench`).

Each script prints its own figures; this collects them with the machine description and the
date, so the report says where and when the numbers were taken.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
# ratios.py first: the goals' table (issue 23) heads the report.
SCRIPTS = sorted(
    (p for p in HERE.glob("*.py") if p.name != "report.py" and not p.name.startswith("_")),
    key=lambda p: (p.name != "ratios.py", p.name),
)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def ratios_section(stdout: str) -> str:
    """ratios.py's table as it writes it into RESULTS.md itself (between its markers)."""
    begin, end = "<!-- ratios: begin -->", "<!-- ratios: end -->"
    return f"{begin}\n{stdout.strip()}\n{end}"


def main() -> int:
    sections = []
    failed = False
    for script in SCRIPTS:
        print(f"== {script.name}", flush=True)
        result = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, check=False
        )
        output = (result.stdout + result.stderr).strip()
        print(output, flush=True)
        status = "" if result.returncode == 0 else f" (exit status {result.returncode})"
        failed |= result.returncode != 0
        if script.name == "ratios.py":  # a Markdown table already, between its markers
            sections.append(f"## {script.name}{status}\n\n{ratios_section(result.stdout)}\n")
        else:
            sections.append(f"## {script.name}{status}\n\n```\n{output}\n```\n")
    report = (
        "# Spinta benchmark results\n\n"
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}\n"
        f"- machine: {machine()}\n"
        "- how: `make bench` (runs every script in bench/ and rewrites this file)\n\n"
        + "\n".join(sections)
    )
    (HERE / "RESULTS.md").write_text(report)
    print(f"wrote {HERE / 'RESULTS.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
