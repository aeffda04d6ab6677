"""Benchmark: the peak memory of one match upload, against the size of the file.

    python bench/upload_memory.py

Each case runs in a fresh Python process (the app on PostgreSQL, SPINTA_BENCH_DATABASE_URL,
default postgresql://postgres@127.0.0.1:5432/spinta_bench_memory, dropped and re-created): it
registers a coach, uploads a tiny match once (imports, caches, connections), resets the
process's peak RSS (/proc/self/clear_refs), then uploads the case's file as the admin panel
sends it (multipart) and reports:

- status and wall time of that upload;
- RSS growth: peak resident memory during the upload minus the resident memory before it;
  what the worker really takes from the machine;
- the peak of Python allocations (tracemalloc, a second process): it also counts memory that
  is reserved but never touched, such as the JSON parser's worst-case buffer;
- both as a ratio to the file size. The target (issue 15): under 10x the file size and under
  400 MB; for a match file, the largest shared one, under 4x (issue 23; bench/ratios.py's
  memory row runs this child on it).

Cases: the largest shared StatsBomb file; that file's events repeated (fresh ids) up to the
event limit (the biggest file Spinta accepts that looks like a match), both also as a JSON body
(the mobile app's way); and pathological files near the 50 MB upload limit: `[{},{},...]`, one
event holding millions of `{}`, and `[1,1,1,...]`.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

from bench._harness import fresh_database  # noqa: E402

SHARED = ROOT.parent / "shared" / "statsbomb"
URL = os.environ.get(
    "SPINTA_BENCH_DATABASE_URL",
    "postgresql+psycopg2://postgres@127.0.0.1:5432/spinta_bench_memory",
)
NEAR_LIMIT = 49 * 1000 * 1000  # bytes: under the default MAX_UPLOAD_MB (50 MiB)
TARGET_RATIO, TARGET_MB = 10, 400
MB = 1024 * 1024


# ---------------------------------------------------------------- the files


def largest_shared() -> Path:
    files = sorted(SHARED.glob("*.json"), key=lambda p: p.stat().st_size)
    if not files:
        sys.exit(f"no StatsBomb files in {SHARED}")
    return files[-1]


def repeated_to(events: list[dict], count: int) -> list[dict]:
    """The match's events repeated with fresh ids and indices (one Starting XI per team)."""
    out = list(events)
    offset = max(e["index"] for e in events)
    body = [e for e in events if e["type"]["name"] != "Starting XI"]
    copy = 1
    while len(out) < count:
        for event in body:
            if len(out) >= count:
                break
            out.append(
                {**event, "id": f"{event['id']}-{copy}", "index": event["index"] + copy * offset}
            )
        copy += 1
    return out


def empty_objects(size: int) -> bytes:
    count = (size - 2) // 3
    return b"[" + b"{}," * (count - 1) + b"{}]"


def one_fat_event(size: int) -> bytes:
    head = b'[{"id":"x","index":1,"period":1,"timestamp":"00:00:00.000","fat":['
    count = (size - len(head) - 4) // 3
    return head + b"{}," * (count - 1) + b"{}]}]"


def ones(size: int) -> bytes:
    count = (size - 2) // 2
    return b"[" + b"1," * (count - 1) + b"1]"


def write_cases(folder: Path, max_events: int) -> list[tuple[str, Path, str]]:
    """(label, file, how it is sent: "multipart" or "json") of every case."""
    largest = largest_shared()
    events = orjson.loads(largest.read_bytes())
    cases = [
        (f"largest shared file ({largest.name[:18]}...)", largest, "multipart"),
        ("the same, as a JSON body", largest, "json"),
    ]
    many = folder / "many-events.json"
    many.write_bytes(orjson.dumps(repeated_to(events, max_events)))
    cases.append((f"its events repeated to {max_events:,}", many, "multipart"))
    cases.append(("the same, as a JSON body", many, "json"))
    for label, build in (
        ("[{},{},...]", empty_objects),
        ("one event holding [{},{},...]", one_fat_event),
        ("[1,1,1,...]", ones),
    ):
        path = folder / f"{build.__name__}.json"
        path.write_bytes(build(NEAR_LIMIT))
        cases.append((label, path, "multipart"))
    return cases


# ---------------------------------------------------------------- one upload in a child process


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def json_body(raw: bytes) -> tuple[bytes, str]:
    return b'{"match_date": "2022-12-01", "statsbomb_events": ' + raw + b"}", "application/json"


def multipart(raw: bytes) -> tuple[bytes, str]:
    environ = EnvironBuilder(
        method="POST",
        data={"events_file": (io.BytesIO(raw), "events.json"), "match_date": "2022-12-01"},
    ).get_environ()
    return environ["wsgi.input"].read(), environ["CONTENT_TYPE"]


def child(path: Path, mode: str, how: str) -> None:
    """Upload ``path`` once after a warm-up; print "status seconds growth_bytes"."""
    from config import TestingConfig
    from spinta.app import create_app
    from tests.world import tiny_match

    app = create_app(
        TestingConfig(
            {"SPINTA_TEST_DATABASE_URL": URL, "LOG_LEVEL": "ERROR", "RATELIMIT_ENABLED": "0"}
        )
    )
    client = app.test_client()
    marker = f"{os.getpid()}-{time.time_ns()}"
    response = client.post(
        "/api/auth/register/coach",
        json={
            "email": f"memory-{marker}@example.com",
            "password": "bench-password",
            "full_name": "Bench Coach",
            "club": {"club_name": "Argentina"},
        },
    )
    headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
    warm_body, warm_type = multipart(orjson.dumps(tiny_match()))
    client.post("/api/coach/matches", data=warm_body, headers=headers, content_type=warm_type)

    body, content_type = (json_body if how == "json" else multipart)(path.read_bytes())
    if mode == "tracemalloc":
        tracemalloc.start()
    else:
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    before = _status_kib("VmRSS") * 1024
    started = time.perf_counter()
    response = client.post(
        "/api/coach/matches", data=body, headers=headers, content_type=content_type
    )
    elapsed = time.perf_counter() - started
    status = response.status_code
    detail = "" if status == 201 else response.get_json().get("detail", "")
    response.close()
    if mode == "tracemalloc":
        growth = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        growth = _status_kib("VmHWM") * 1024 - before
    outcome = {"status": status, "seconds": elapsed, "bytes": growth, "detail": detail}
    print(orjson.dumps(outcome).decode())


def run_child(path: Path, mode: str, how: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(path), mode, how],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if result.returncode != 0:
        sys.exit(f"child failed on {path}:\n{result.stdout}\n{result.stderr}")
    return orjson.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    from config import TestingConfig

    max_events = TestingConfig({}).MAX_EVENTS
    fresh_database(URL)
    from spinta.app import create_app
    from spinta.extensions import db

    app = create_app(TestingConfig({"SPINTA_TEST_DATABASE_URL": URL, "LOG_LEVEL": "ERROR"}))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    print(
        "one upload per fresh process, after a warm-up upload; RSS growth = peak RSS during the "
        "upload - RSS before it;\npython peak = tracemalloc peak (counts reserved but untouched "
        f"memory too); target: RSS growth < {TARGET_RATIO}x the file and < {TARGET_MB} MB"
    )
    header = (
        f"{'file':42} {'MB':>6} {'status':>6} {'s':>6} {'RSS MB':>7} {'x file':>7} "
        f"{'py MB':>7} {'x file':>7}  within target"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for label, path, how in write_cases(Path(folder), max_events):
            size = path.stat().st_size
            rss = run_child(path, "rss", how)
            python = run_child(path, "tracemalloc", how)
            ratio = rss["bytes"] / size
            ok = ratio < TARGET_RATIO and rss["bytes"] < TARGET_MB * MB
            print(
                f"{label[:42]:42} {size / MB:>6.1f} {rss['status']:>6} {rss['seconds']:>6.2f} "
                f"{rss['bytes'] / MB:>7.1f} {ratio:>7.1f} {python['bytes'] / MB:>7.1f} "
                f"{python['bytes'] / size:>7.1f}  {'yes' if ok else 'NO'}"
            )
            if rss["detail"]:
                print(f"{'':42} -> {rss['detail']}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        main()
