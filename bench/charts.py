"""Chart and report speed (issue 19): each chart cold (its cache emptied) and cached, and the
whole PDF match report, in-process through the WSGI test client on a throwaway SQLite
database holding the Argentina-Croatia match. Also the cost of importing matplotlib and
WeasyPrint, which only a chart or PDF request pays.

Targets: a chart under 0.2 s cold and 5 ms cached; the PDF report under 2 s.
``BENCH_REPEATS`` (default 5) cold draws and 50 cached reads per chart; medians printed.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import TestingConfig  # noqa: E402
from spinta.app import create_app  # noqa: E402
from spinta.extensions import db  # noqa: E402
from spinta.services.charts import chart_cache  # noqa: E402

DATA = ROOT.parent / "shared" / "statsbomb" / "argentina-croatia-2022-12-13.json"
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
MESSI = "Lionel Andrés Messi Cuccittini"


def import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def timed(call) -> float:
    start = time.perf_counter()
    response = call()
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - start


def main() -> None:
    print(f"import matplotlib + mplsoccer: {import_seconds('mplsoccer'):.2f} s (first chart only)")
    print(f"import weasyprint: {import_seconds('weasyprint'):.2f} s (first PDF only)")
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            TestingConfig(
                {
                    "SPINTA_TEST_DATABASE_URL": f"sqlite:///{folder}/bench.db",
                    "LOG_LEVEL": "ERROR",
                    "RATELIMIT_ENABLED": "0",
                }
            )
        )
        with app.app_context():
            db.create_all()
        client = app.test_client()
        token = client.post(
            "/api/auth/register/coach",
            json={
                "email": "bench@spinta.local",
                "password": "bench-charts-password",
                "full_name": "Bench Coach",
                "club": {"club_name": "Argentina"},
            },
        ).get_json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        match_id = client.post(
            "/api/coach/matches",
            headers=headers,
            data={"match_date": "2022-12-13", "events_file": (io.BytesIO(DATA.read_bytes()), "m")},
            content_type="multipart/form-data",
        ).get_json()["match_id"]
        squad = client.get("/api/coach/players?limit=100", headers=headers).get_json()["players"]
        messi = next(p["player_id"] for p in squad if p["player_name"] == MESSI)
        paths = {
            "shot-map": f"/api/coach/matches/{match_id}/charts/shot-map",
            "pass-network": f"/api/coach/matches/{match_id}/charts/pass-network",
            "xg-race": f"/api/coach/matches/{match_id}/charts/xg-race",
            "heatmap": f"/api/coach/players/{messi}/matches/{match_id}/charts/heatmap",
            "passes": f"/api/coach/players/{messi}/matches/{match_id}/charts/passes",
            "shots": f"/api/coach/players/{messi}/matches/{match_id}/charts/shots",
            "radar": f"/api/coach/players/{messi}/charts/radar",
        }
        client.get(paths["xg-race"], headers=headers)  # pays the imports once
        print(f"{'chart':<14}{'cold svg':>10}{'cold png':>10}{'cached':>10}")
        for kind, path in paths.items():
            cold = {}
            for fmt in ("svg", "png"):
                runs = []
                for _ in range(REPEATS):
                    with app.app_context():
                        chart_cache().clear()  # the neutral match is re-read too: fully cold
                    runs.append(
                        timed(lambda p=path, f=fmt: client.get(f"{p}?format={f}", headers=headers))
                    )
                cold[fmt] = statistics.median(runs)
            cached = statistics.median(
                timed(lambda p=path: client.get(p, headers=headers)) for _ in range(50)
            )
            print(f"{kind:<14}{cold['svg']:>9.3f}s{cold['png']:>9.3f}s{cached * 1000:>8.1f}ms")
        client.get(f"/api/coach/matches/{match_id}/report?format=pdf", headers=headers)
        runs = []
        for _ in range(REPEATS):
            with app.app_context():
                chart_cache().clear()
            runs.append(
                timed(
                    lambda: client.get(
                        f"/api/coach/matches/{match_id}/report?format=pdf", headers=headers
                    )
                )
            )
        print(f"PDF match report, cold (charts drawn too): {statistics.median(runs):.2f} s median")


if __name__ == "__main__":
    main()
