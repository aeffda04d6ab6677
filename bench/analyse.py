"""Benchmark: parse (orjson) and analyse each shared StatsBomb file; show linear scaling.

    python bench/analyse.py [REPETITIONS]

For every file in ../shared/statsbomb/ it prints the event count, the median time to parse the
bytes with orjson, the median time of `analyse_match`, the time per 1,000 events, and the same
figure for the file doubled (a second copy with fresh ids and indices, Starting XI dropped):
equal ms per 1,000 events means the analysis is linear. Target: < 50 ms per 4,000-event match.
"""

from __future__ import annotations

import statistics
import sys
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


def doubled(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    offset = max(event["index"] for event in events)
    copies = [
        {**event, "id": f"{event['id']}-copy", "index": event["index"] + offset}
        for event in events
        if event["type"]["name"] != "Starting XI"
    ]
    return events + copies


def main() -> int:
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    files = sorted(STATSBOMB_DIR.resolve().glob("*.json"))
    if not files:
        print(f"no StatsBomb files in {STATSBOMB_DIR.resolve()}", file=sys.stderr)
        return 1
    print(f"median of {repetitions} runs; analyse = analyse_match(); doubled = file x2, fresh ids")
    header = (
        f"{'file':<40} {'events':>6} {'parse ms':>9} {'analyse ms':>11} "
        f"{'ms/1k ev':>9} {'x2 events':>9} {'x2 ms':>8} {'x2 ms/1k':>9}"
    )
    print(header)
    print("-" * len(header))
    for path in files:
        data = path.read_bytes()
        events = orjson.loads(data)
        club = next(e["team"]["name"] for e in events if e["type"]["name"] == "Starting XI")
        parse = median_ms(lambda data=data: orjson.loads(data), repetitions)
        analyse = median_ms(lambda e=events, c=club: analyse_match(e, club_name=c), repetitions)
        twice = doubled(events)
        analyse2 = median_ms(lambda e=twice, c=club: analyse_match(e, club_name=c), repetitions)
        print(
            f"{path.name:<40} {len(events):>6} {parse:>9.2f} {analyse:>11.2f} "
            f"{1000 * analyse / len(events):>9.2f} {len(twice):>9} {analyse2:>8.2f} "
            f"{1000 * analyse2 / len(twice):>9.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
