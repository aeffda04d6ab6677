"""Benchmark: parse (orjson) and analyse each shared StatsBomb file; show linear scaling.

    python bench/analyse.py [REPETITIONS] [--baseline REV]

For every file in ../shared/statsbomb/ it prints the event count, the median time to parse the
bytes with orjson as the upload does (the cyclic GC paused, `spinta/api/uploads.py`; the parsed
events freed off the clock, as the upload frees them after its response) and the time that
freeing takes, the median time of `analyse_match`, the time per 1,000 events, and the same
figure for the file doubled (a second copy with fresh ids and indices, Starting XI dropped):
equal ms per 1,000 events means the analysis is linear. Target: < 50 ms per 4,000-event match.

`--baseline REV` compares with `spinta/analytics` as of the git revision REV instead (extracted
with `git archive` into a temporary folder and imported under another name): in each round
both versions analyse each file, in alternating order, so a slow spell of the machine hits
both; it prints the medians of the process CPU time (robust when other processes share the
cores; wall time would charge their time slices to whichever version was running) and new/old,
with the garbage collector on (the CLI) and paused (as the upload path runs it,
`spinta/api/uploads.py`). The change may cost at most 5%.
"""

from __future__ import annotations

import gc
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from spinta.analytics import analyse_match  # noqa: E402

STATSBOMB_DIR = ROOT / ".." / "shared" / "statsbomb"


def median_ms(work: Callable[[], Any], repetitions: int) -> float:
    work()  # warm-up
    timings = []
    for _ in range(repetitions):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def parse_ms(data: bytes, repetitions: int) -> tuple[float, float]:
    """Medians of orjson.loads with the GC paused, and of freeing its result (both off each
    other's clock). Timed as one statement with the GC on, the figure was 2-4 times higher
    (57 ms for 3.8 MB on a loaded machine): the collector re-scanning the growing list, and the
    previous result freed inside the clock."""
    parses, frees = [], []
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repetitions + 1):  # the first one warms up
            start = time.perf_counter()
            events = orjson.loads(data)
            parsed = time.perf_counter()
            del events
            parses.append((parsed - start) * 1000)
            frees.append((time.perf_counter() - parsed) * 1000)
    finally:
        if was_enabled:
            gc.enable()
    return statistics.median(parses[1:]), statistics.median(frees[1:])


def doubled(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    offset = max(event["index"] for event in events)
    copies = [
        {**event, "id": f"{event['id']}-copy", "index": event["index"] + offset}
        for event in events
        if event["type"]["name"] != "Starting XI"
    ]
    return events + copies


def baseline_analyse(revision: str, folder: str) -> Callable[..., Any]:
    """analyse_match of `spinta/analytics` at `revision`, imported as `baseline_analytics`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "spinta/analytics"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    Path(folder, "spinta", "analytics").rename(Path(folder, "baseline_analytics"))
    sys.path.insert(0, folder)
    return importlib.import_module("baseline_analytics").analyse_match


def paired(files: list[Path], repetitions: int, revision: str) -> int:
    """Medians of the baseline and the working tree, alternating within each round."""
    with tempfile.TemporaryDirectory(prefix="spinta-baseline-") as folder:
        versions = {"old": baseline_analyse(revision, folder), "new": analyse_match}
        print(
            f"CPU ms, median of {repetitions} alternating rounds; "
            f"old = {revision}, new = working tree"
        )
        header = f"{'file':<40} {'events':>6} {'gc':>4} {'old ms':>8} {'new ms':>8} {'new/old':>8}"
        print("new/old: the median of the rounds' ratios")
        print(header)
        print("-" * len(header))
        ratios = []
        for path in files:
            events = orjson.loads(path.read_bytes())
            club = next(e["team"]["name"] for e in events if e["type"]["name"] == "Starting XI")
            for collect in (True, False):
                timings: dict[str, list[float]] = {"old": [], "new": []}
                for name in ("old", "new"):
                    versions[name](events, club_name=club)  # warm-up
                if not collect:
                    gc.disable()
                for round_ in range(repetitions):
                    for name in ("old", "new") if round_ % 2 == 0 else ("new", "old"):
                        start = time.process_time()
                        versions[name](events, club_name=club)
                        timings[name].append((time.process_time() - start) * 1000)
                gc.enable()
                old = statistics.median(timings["old"])
                new = statistics.median(timings["new"])
                # each round's new/old: a slow spell slows both halves of a round alike
                paired_ratio = statistics.median(
                    n / o for n, o in zip(timings["new"], timings["old"], strict=True)
                )
                ratios.append(paired_ratio)
                print(
                    f"{path.name:<40} {len(events):>6} {'on' if collect else 'off':>4} "
                    f"{old:>8.2f} {new:>8.2f} {paired_ratio:>8.3f}"
                )
        print(f"new/old over all files and both gc modes: median {statistics.median(ratios):.3f}")
    return 0


def main() -> int:
    args = sys.argv[1:]
    revision = None
    if "--baseline" in args:
        at = args.index("--baseline")
        revision = args[at + 1]
        del args[at : at + 2]
    repetitions = int(args[0]) if args else 15
    files = sorted(STATSBOMB_DIR.resolve().glob("*.json"))
    if not files:
        print(f"no StatsBomb files in {STATSBOMB_DIR.resolve()}", file=sys.stderr)
        return 1
    if revision is not None:
        return paired(files, repetitions, revision)
    print(
        f"median of {repetitions} runs; parse = orjson.loads with the GC paused (as the upload), "
        "free = dropping its result; analyse = analyse_match(); doubled = file x2, fresh ids"
    )
    header = (
        f"{'file':<40} {'events':>6} {'parse ms':>9} {'free ms':>8} {'analyse ms':>11} "
        f"{'ms/1k ev':>9} {'x2 events':>9} {'x2 ms':>8} {'x2 ms/1k':>9}"
    )
    print(header)
    print("-" * len(header))
    for path in files:
        data = path.read_bytes()
        events = orjson.loads(data)
        club = next(e["team"]["name"] for e in events if e["type"]["name"] == "Starting XI")
        parse, free = parse_ms(data, repetitions)
        analyse = median_ms(lambda e=events, c=club: analyse_match(e, club_name=c), repetitions)
        twice = doubled(events)
        analyse2 = median_ms(lambda e=twice, c=club: analyse_match(e, club_name=c), repetitions)
        print(
            f"{path.name:<40} {len(events):>6} {parse:>9.2f} {free:>8.2f} {analyse:>11.2f} "
            f"{1000 * analyse / len(events):>9.2f} {len(twice):>9} {analyse2:>8.2f} "
            f"{1000 * analyse2 / len(twice):>9.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
