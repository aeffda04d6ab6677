"""Benchmark: one upload per provider (POST /api/coach/matches, in-process, to the committed
201) against kloppy's own load of the same file, with kloppy's bundled test files.

    python bench/providers.py [--rounds N] [--events N] [--profile CASE]

SQLite in a temporary folder (SPINTA_BENCH_DATABASE_URL for another database: its tables are
dropped and re-created). One club; the cases take turns round by round, each match deleted
after its upload. Per case: events, the median upload and kloppy load times, wall and CPU,
and the CPU ratio; the target is an upload under 1 s. `--profile CASE` prints a pyinstrument
profile of one more upload of that case (pyinstrument from requirements-dev.txt).

`--events N` (default 3500; 0: the files as bundled) first enlarges each file to about N events
(`provider_scaling.py`: its events repeated with fresh ids), so every provider is timed at a
real match's size, and adds the tagging CSV (its template's rows repeated to N rows); kloppy's
own load then reads the same enlarged file.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "providers"), str(ROOT / "bench")]

from provider_files import CASES, case_bytes, kloppy_dataset  # noqa: E402
from provider_scaling import scaled  # noqa: E402

from config import TestingConfig  # noqa: E402
from spinta.app import create_app  # noqa: E402
from spinta.extensions import db  # noqa: E402

PASSWORD = "bench-password-1"


def _app(url: str):
    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": url, "LOG_LEVEL": "WARNING"}))
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def _coach(client, n: int) -> dict:
    body = client.post(
        "/api/auth/register/coach",
        json={
            "email": f"bench{n}@example.com",
            "password": PASSWORD,
            "full_name": "Bench Coach",
            "club": {"club_name": f"Bench Club {n}"},
        },
    ).get_json()
    return {"Authorization": f"Bearer {body['token']}"}


def _upload(client, headers: dict, events: bytes, meta: bytes | None) -> tuple[float, float]:
    form = {"match_date": "2024-05-01", "our_team": "away"}
    form["events_file"] = (io.BytesIO(events), "events")
    if meta is not None:
        form["meta_file"] = (io.BytesIO(meta), "meta")
    start, cpu = time.perf_counter(), time.process_time()
    response = client.post(
        "/api/coach/matches", headers=headers, data=form, content_type="multipart/form-data"
    )
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    if response.status_code != 201:
        raise SystemExit(f"upload failed: {response.status_code} {response.get_json()}")
    match_id = response.get_json()["match_id"]
    client.delete(f"/api/coach/matches/{match_id}", headers=headers)  # the next round's turn
    return elapsed


def _kloppy(case: str, events: bytes, meta: bytes | None) -> tuple[float, float, int]:
    if case == "csv":  # Spinta's own reader: no kloppy load to compare with
        from spinta.analytics.providers import read_file

        start, cpu = time.perf_counter(), time.process_time()
        count = len(read_file("csv", events).match.events)
        return time.perf_counter() - start, time.process_time() - cpu, count
    start, cpu = time.perf_counter(), time.process_time()
    dataset = kloppy_dataset(case, events, meta)
    return time.perf_counter() - start, time.process_time() - cpu, len(dataset.events)


def _csv(target: int) -> bytes:
    from spinta.analytics.providers.csv_tagging import TEMPLATE

    header, *rows = TEMPLATE.strip().split("\n")
    body = [rows[n % len(rows)] for n in range(max(target, len(rows)))]
    return "\n".join([header, *body]).encode() + b"\n"


def _files(target: int) -> dict[str, tuple[str, bytes, bytes | None]]:
    files = {case: case_bytes(case) for case in sorted(CASES)}
    if not target:
        return files
    files = {
        case: (provider, scaled(case, events, target), meta)
        for case, (provider, events, meta) in files.items()
    }
    files["csv"] = ("csv", _csv(target), None)
    return files


def _table(files, sizes, uploads, loads) -> None:
    """Medians of wall and CPU seconds (CPU: the process's own time, what a busy machine does
    not inflate; the 1 s target reads on it when other processes share the cores)."""
    print(
        f"{'case':<18}{'events':>7}{'upload wall':>12}{'cpu':>7}"
        f"{'kloppy wall':>12}{'cpu':>7}{'cpu ratio':>10}"
    )
    for case in files:
        up = [statistics.median(v) for v in zip(*uploads[case], strict=True)]
        load = [statistics.median(v) for v in zip(*loads[case], strict=True)]
        flag = "" if up[1] < 1 else "  over 1 s"
        print(
            f"{case:<18}{sizes[case]:>7}{up[0]:>12.3f}{up[1]:>7.3f}"
            f"{load[0]:>12.3f}{load[1]:>7.3f}{up[1] / load[1]:>10.2f}{flag}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--events", type=int, default=3500)
    parser.add_argument("--profile", choices=[*sorted(CASES), "csv"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        import os

        url = os.environ.get("SPINTA_BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        app = _app(url)
        client = app.test_client()
        files = _files(args.events)
        uploads: dict[str, list[tuple[float, float]]] = {case: [] for case in files}
        loads: dict[str, list[tuple[float, float]]] = {case: [] for case in files}
        sizes: dict[str, int] = {}
        n = 0
        headers = _coach(client, 0)  # one club; each match is deleted after its upload
        for _ in range(args.rounds):
            for case, (_provider, events, meta) in files.items():
                n += 1
                uploads[case].append(_upload(client, headers, events, meta))
                wall, cpu, sizes[case] = _kloppy(case, events, meta)
                loads[case].append((wall, cpu))
        _table(files, sizes, uploads, loads)
        if args.profile:
            from pyinstrument import Profiler

            _provider, events, meta = files[args.profile]
            with Profiler() as profiler:
                _upload(client, headers, events, meta)
            print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
