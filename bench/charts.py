"""Chart and report speed (issue 19), in-process through the WSGI test client on a throwaway
SQLite database holding the three Argentina matches (scripts/charts_readme.py loads them).

- cold: the first draw of a chart after a write to the club's data (a PATCH of a player's
  position, to and fro: it moves the club's data version, so every drawn chart and the re-read
  match are unreachable, as after an upload); goal 0.2 s;
- cached: the same chart asked again, next to GET /api/health (the floor of a request here);
  goal 5 ms;
- the PDF match report, cold after a write (its seven charts drawn too, as print PNGs); goal
  2 s.

``BENCH_REPEATS`` (default 5) cold draws and 50 cached reads per chart; medians printed, and
the slowest cold draw (a garbage collector's full pass would show there). Cold SVG draws are
also given in CPU seconds of this process (the request runs in it): on a loaded
machine the wall clock counts the time other processes held the cores, the CPU time does not,
and the verdict is on the CPU time. Also the cost of importing matplotlib and WeasyPrint,
which only a chart or PDF request pays.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from charts_readme import chart_paths, load_club  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
COLD_GOAL, CACHED_GOAL, PDF_GOAL = 0.2, 0.005, 2.0


def import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def timed(call) -> float:
    return timed_both(call)[0]


def timed_both(call) -> tuple[float, float]:
    """(wall, CPU) seconds of one request."""
    start, cpu = time.perf_counter(), time.process_time()
    response = call()
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - start, time.process_time() - cpu


def verdict(seconds: float, goal: float) -> str:
    return "ok" if seconds <= goal else "OVER"


def main() -> None:
    print(f"import matplotlib + mplsoccer: {import_seconds('mplsoccer'):.2f} s (first chart only)")
    print(f"import weasyprint: {import_seconds('weasyprint'):.2f} s (first PDF only)")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        _app, client, headers, match_id, messi = load_club(folder)
        paths = chart_paths(match_id, messi)
        player = f"/api/coach/players/{messi}"
        positions = ["Right Wing", "Center Forward"]

        def write() -> None:  # moves the club's data version
            positions.reverse()
            answer = client.patch(player, headers=headers, json={"position": positions[0]})
            assert answer.status_code == 200, answer.get_json()

        client.get(paths["xg-race"], headers=headers)  # pays the imports once
        health = statistics.median(timed(lambda: client.get("/api/health")) for _ in range(50))
        print(f"GET /api/health: {health * 1000:.1f} ms median (the floor of a request here)")
        print(
            f"{'chart':<14}{'cold svg':>10}{'cpu':>8}{'max cpu':>9}{'cold png':>10}{'cached':>10}"
            "   goal"
        )
        colds, worsts = [], []
        for kind, path in paths.items():
            cold, cpu = {}, []
            for fmt in ("svg", "png"):
                runs = []
                for _ in range(REPEATS):
                    write()
                    wall, used = timed_both(
                        lambda p=path, f=fmt: client.get(f"{p}?format={f}", headers=headers)
                    )
                    runs.append(wall)
                    cpu += [used] if fmt == "svg" else []
                cold[fmt] = statistics.median(runs)
            colds.append(statistics.median(cpu))
            worsts.append(max(cpu))  # a garbage collector's full pass would show here
            cached = statistics.median(
                timed(lambda p=path: client.get(p, headers=headers)) for _ in range(50)
            )
            print(
                f"{kind:<14}{cold['svg']:>9.3f}s{colds[-1]:>7.3f}s{worsts[-1]:>8.3f}s"
                f"{cold['png']:>9.3f}s"
                f"{cached * 1000:>8.1f}ms   {verdict(colds[-1], COLD_GOAL)}/"
                f"{verdict(cached, CACHED_GOAL)}"
            )
        worst = max(colds)
        print(
            f"cold chart (svg, CPU): median {statistics.median(colds):.3f} s, worst kind's median"
            f" {worst:.3f} s (slowest single draw {max(worsts):.3f} s); goal {COLD_GOAL} s:"
            f" {verdict(worst, COLD_GOAL)}"
        )
        pdf = f"/api/coach/matches/{match_id}/report?format=pdf"
        client.get(pdf, headers=headers)
        runs = []
        for _ in range(REPEATS):
            write()
            runs.append(timed_both(lambda: client.get(pdf, headers=headers)))
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(
            f"PDF match report, cold after a write: {wall:.2f} s wall, {cpu:.2f} s CPU median;"
            f" goal {PDF_GOAL} s: {verdict(cpu, PDF_GOAL)}"
        )


if __name__ == "__main__":
    main()
