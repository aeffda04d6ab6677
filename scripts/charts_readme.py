"""Draw one picture of each chart kind for the README (``make charts-readme``).

Loads the three Argentina matches of ``../shared/statsbomb`` into a throwaway SQLite database
through the real API, asks each chart endpoint for a PNG and writes ``docs/charts/KIND.png``.
The charts are deterministic, so the files only change when the drawing code or the data do.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import TestingConfig  # noqa: E402
from spinta.app import create_app  # noqa: E402
from spinta.charts import MATCH_KINDS, PLAYER_MATCH_KINDS  # noqa: E402
from spinta.extensions import db  # noqa: E402

DATA = ROOT.parent / "shared" / "statsbomb"
FILES = (
    ("argentina-mexico-2022-11-26.json", "2022-11-26"),
    ("netherlands-argentina-2022-12-09.json", "2022-12-09"),
    ("argentina-croatia-2022-12-13.json", "2022-12-13"),
)
OUT = ROOT / "docs" / "charts"
WIDTH = 640
MESSI = "Lionel Andrés Messi Cuccittini"


def load_club(folder: str, files=FILES):
    """A throwaway SQLite app in ``folder`` with a coach of "Argentina" and ``files`` uploaded
    through the real API: (app, client, headers, id of the last match, Messi's squad id).
    Also used by bench/charts.py."""
    url = f"sqlite:///{folder}/charts.db"
    app = create_app(
        TestingConfig(
            {"SPINTA_TEST_DATABASE_URL": url, "LOG_LEVEL": "ERROR", "RATELIMIT_ENABLED": "0"}
        )
    )
    with app.app_context():
        db.create_all()
    client = app.test_client()
    answer = client.post(
        "/api/auth/register/coach",
        json={
            "email": "charts@spinta.local",
            "password": "charts-readme-password",
            "full_name": "Charts Coach",
            "club": {"club_name": "Argentina"},
        },
    )
    headers = {"Authorization": f"Bearer {answer.get_json()['token']}"}
    for name, date in files:
        upload = client.post(
            "/api/coach/matches",
            headers=headers,
            data={
                "match_date": date,
                "events_file": (io.BytesIO((DATA / name).read_bytes()), name),
            },
            content_type="multipart/form-data",
        )
        assert upload.status_code == 201, upload.get_json()
        match_id = upload.get_json()["match_id"]  # the last one: Croatia
    squad = client.get("/api/coach/players?limit=100", headers=headers).get_json()
    messi = next(p["player_id"] for p in squad["players"] if p["player_name"] == MESSI)
    return app, client, headers, match_id, messi


def chart_paths(match_id: str, messi: str) -> dict[str, str]:
    """One path of each chart kind (the match charts of our team)."""
    match = f"/api/coach/matches/{match_id}/charts"
    player = f"/api/coach/players/{messi}"
    return {
        **{kind: f"{match}/{kind}" for kind in MATCH_KINDS},
        **{kind: f"{player}/matches/{match_id}/charts/{kind}" for kind in PLAYER_MATCH_KINDS},
        "radar": f"{player}/charts/radar",
    }


def main() -> int:
    missing = [name for name, _ in FILES if not (DATA / name).exists()]
    if missing:
        print(f"missing shared files in {DATA}: {', '.join(missing)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        _app, client, headers, match_id, messi = load_club(folder)
        OUT.mkdir(parents=True, exist_ok=True)
        for kind, path in chart_paths(match_id, messi).items():
            response = client.get(f"{path}?format=png&width={WIDTH}", headers=headers)
            assert response.status_code == 200, (kind, response.get_json())
            (OUT / f"{kind}.png").write_bytes(response.data)
            print(f"docs/charts/{kind}.png ({len(response.data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
