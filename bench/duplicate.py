"""Benchmark: how long a duplicate upload takes to be refused (409), in-process, PostgreSQL.

One club uploads the largest shared file once; then, round by round (BENCH_REPEATS), the same
multipart body is sent again three ways, paired so a slow spell of the machine hits all:

- "typed opponent": the admin panel's form with opponent_name: the same-day rule answers 409
  from the typed fields, before the events file is parsed (the path since issue 15);
- "no opponent typed": the file is parsed, its first two teams name the opponent, and the
  same-day rule answers 409 before the analysis;
- "allow_same_day=true": the same-day rule is waived, so the file's fingerprint answers 409
  after the full parse and analysis (what every duplicate cost before issue 15).

Prints the median and interquartile range of each. Run from a checkout before issue 15, every
way is the full-analysis fingerprint 409.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from werkzeug.test import EnvironBuilder  # noqa: E402

from bench.upload import CLUB_NAMES, REPEATS, SHARED, fresh_app  # noqa: E402
from spinta.extensions import db  # noqa: E402

MATCH_DATE = "2022-12-01"


def body(raw: bytes, **fields: str) -> tuple[bytes, str]:
    environ = EnvironBuilder(
        method="POST",
        data={"events_file": (io.BytesIO(raw), "events.json"), "match_date": MATCH_DATE, **fields},
    ).get_environ()
    return environ["wsgi.input"].read(), environ["CONTENT_TYPE"]


def main() -> None:
    largest = max(SHARED.glob("*.json"), key=lambda p: p.stat().st_size, default=None)
    if largest is None:
        sys.exit(f"no StatsBomb files in {SHARED}")
    raw = largest.read_bytes()
    app = fresh_app()
    client = app.test_client()
    answer = client.post(
        "/api/auth/register/coach",
        json={
            "email": "duplicate@example.com",
            "password": "bench-password",
            "full_name": "Bench Coach",
            "club": {"club_name": CLUB_NAMES.get(largest.name, "Argentina")},
        },
    )
    headers = {"Authorization": f"Bearer {answer.get_json()['token']}"}
    data, content_type = body(raw)
    first = client.post("/api/coach/matches", data=data, headers=headers, content_type=content_type)
    assert first.status_code == 201, first.get_json()
    stored = client.get("/api/coach/matches", headers=headers).get_json()["matches"][0]
    opponent = stored["opponent_name"]  # the file's opponent, as the admin panel would type it
    ways = {
        "typed opponent (409 before parsing)": body(raw, opponent_name=opponent),
        "no opponent typed (409 before analysis)": body(raw),
        "allow_same_day=true (fingerprint 409)": body(
            raw, opponent_name=opponent, allow_same_day="true"
        ),
    }
    times: dict[str, list[float]] = {way: [] for way in ways}
    for round_ in range(REPEATS + 1):  # the first round warms up
        for way, (data, content_type) in ways.items():
            started = time.perf_counter()
            response = client.post(
                "/api/coach/matches", data=data, headers=headers, content_type=content_type
            )
            elapsed = time.perf_counter() - started
            assert response.status_code == 409, response.get_json()
            response.close()
            if round_:
                times[way].append(elapsed)
    print(f"duplicate upload of {largest.name} ({len(raw) / 2**20:.1f} MiB), {REPEATS} rounds:")
    for way, series in times.items():
        q1, _, q3 = statistics.quantiles(series, n=4) if len(series) > 1 else (0, 0, 0)
        print(
            f"  {way:42} median {statistics.median(series) * 1000:7.1f} ms"
            f"  (p25-p75 {q1 * 1000:.1f}-{q3 * 1000:.1f})"
        )
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
