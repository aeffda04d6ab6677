"""Every performance goal of issue 23 as a ratio measured in one run (`make bench` runs it first).

    python bench/ratios.py [--quick]

One PostgreSQL database (SPINTA_BENCH_DATABASE_URL, default
postgresql+psycopg2://postgres@127.0.0.1:5432/bench_perf_ratios, dropped and re-created, dropped
again at the end) holds a club with a history (bench/history.py's seeding: 10 teams x 5 seasons x
30 matches; ``--quick``: 2 x 2 x 30) named "Argentina", so the shared World Cup files are its own
matches. Every figure is taken on that club, against a baseline measured in the same run, so a
loaded machine slows both sides:

- upload: POST /api/coach/matches of the largest shared StatsBomb file through gunicorn (request
  to committed 201; the match deleted again between rounds) / the floor: PostgreSQL COPYing the
  same file's events (one row per event, the raw JSON, rows built before the clock starts) into
  a table with the events table's indexes (primary key, player, type), committed; goal <= 2;
- providers: each kloppy test file enlarged to ~3,500 events (bench/providers.py --events 3500),
  its upload (in-process) / kloppy's own load of the same file; goal <= 3;
- memory: peak RSS growth of one upload of the largest file (bench/upload_memory.py's child
  process) / the file size; goal < 4;
- read screens (dashboard, match detail, player list, player detail, playing time) on gunicorn
  (2 workers, 16 connections; bench/read.py's load generator, wrk when installed): req/s as a
  share of GET /api/health's in the same round (goal >= 0.8) and p99 / health's p99 (goal < 2);
- cold screens: the first read after a write (a PATCH of a player, to and fro, moves the club's
  data version) / a cached read, on one connection; goal < 3;
- charts: a cached chart / GET /api/health, p50 on one connection (wrk -c1 when installed, else
  http.client) (goal <= 1.5); a cold chart (first draw after a write), in seconds (goal < 0.2).

It prints one table (measure | value | goal | met) with the machine (nproc, load average) and
date, and writes it into bench/RESULTS.md (the section between the "ratios" markers).
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests" / "providers")]
DEFAULT_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/bench_perf_ratios"
# the benches' modules read it at import
URL = os.environ.setdefault("SPINTA_BENCH_DATABASE_URL", DEFAULT_URL)

import orjson  # noqa: E402
import psycopg2  # noqa: E402
from charts_readme import MESSI, chart_paths  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import bench.history as history  # noqa: E402
import bench.providers as providers  # noqa: E402
import bench.read as read  # noqa: E402
import bench.upload_memory as upload_memory  # noqa: E402
from bench._harness import (  # noqa: E402
    fresh_database,
    request,
    start_gunicorn,
    stop_gunicorn,
    wait_ready,
)
from bench.upload import multipart  # noqa: E402
from config import TestingConfig  # noqa: E402
from spinta.app import create_app  # noqa: E402
from spinta.extensions import db  # noqa: E402
from spinta.models import Player  # noqa: E402

SHARED = ROOT.parent / "shared" / "statsbomb"
LARGEST = "netherlands-argentina-2022-12-09.json"
OTHERS = ("argentina-mexico-2022-11-26.json", "argentina-croatia-2022-12-13.json")
PORT = int(os.environ.get("BENCH_PORT", "5141"))
PROVIDER_EVENTS = 3500  # each provider's file enlarged to a match's size (bench/providers.py)
CHART_WRK_SECONDS = 1  # wrk takes whole seconds
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BEGIN, END = "<!-- ratios: begin -->", "<!-- ratios: end -->"


class Settings:
    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.teams, self.seasons = (2, 2) if quick else (history.TEAMS, history.SEASONS)
        self.upload_rounds = 3 if quick else 9
        self.provider_rounds = 1 if quick else 5
        self.screen_rounds, self.screen_seconds = (1, 1.5) if quick else (3, 4.0)
        self.cold_rounds = 3 if quick else 9
        self.chart_kinds = 3 if quick else None  # None: every kind


Row = tuple[str, float, str, bool]  # measure, value, goal text, met


def ratio_row(measure: str, value: float, op: str, goal: float) -> Row:
    met = {"<=": value <= goal, "<": value < goal, ">=": value >= goal}[op]
    return measure, value, f"{op} {goal:g}", met


# ---------------------------------------------------------------- the club


def seed(settings: Settings) -> dict:
    """The history club (coach, seasons, stored matches) in a fresh database."""
    fresh_database(URL)
    app = create_app(
        TestingConfig(
            {"SPINTA_TEST_DATABASE_URL": URL, "LOG_LEVEL": "WARNING", "RATELIMIT_ENABLED": "0"}
        )
    )
    with app.app_context():
        db.create_all()
        seeded = history.seed_club("Argentina", settings.teams, settings.seasons)
        history.store(seeded)
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        db.engine.dispose()
    return {
        "app": app,
        "email": "argentina@bench.local",
        "password": "bench-history-password",
        "team": seeded["team"],
        "season": seeded["season"],
        "matches": len(seeded["rows"]["matches"]),
    }


def login(port: int, club: dict) -> dict[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = orjson.dumps({"email": club["email"], "password": club["password"]})
    status, raw = request(
        conn, "POST", "/api/auth/login", {"Content-Type": "application/json"}, body
    )
    conn.close()
    assert status == 200, raw[:300]
    return {"Authorization": f"Bearer {orjson.loads(raw)['token']}"}


# ---------------------------------------------------------------- upload vs the COPY floor


def floor_copy(raw: bytes) -> float:
    """Seconds PostgreSQL takes to COPY the file's events (one row per event: match, ordinal,
    type, player and the raw JSON) into a table with the events table's indexes, committed."""
    events = orjson.loads(raw)
    match = uuid.uuid4()
    null = "\\N"
    lines = "".join(
        "\t".join(
            (
                str(match),
                str(n),
                e["type"]["name"],
                str(e["player"]["id"]) if "player" in e else null,
                orjson.dumps(e).decode().replace("\\", "\\\\"),
            )
        )
        + "\n"
        for n, e in enumerate(events)
    )
    dsn = make_url(URL).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS floor_events (match_id uuid, ordinal integer, "
                "type_name varchar(60), player_id integer, data json, "
                "PRIMARY KEY (match_id, ordinal));"
                "CREATE INDEX IF NOT EXISTS ix_floor_player ON floor_events (player_id);"
                "CREATE INDEX IF NOT EXISTS ix_floor_type ON floor_events (type_name);"
            )
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cur:
            cur.copy_expert(
                "COPY floor_events (match_id, ordinal, type_name, player_id, data) FROM STDIN",
                io.StringIO(lines),
            )
        conn.commit()
        elapsed = time.perf_counter() - started
        with conn.cursor() as cur:
            cur.execute("DELETE FROM floor_events")
        conn.commit()
        return elapsed
    finally:
        conn.close()


def http_upload(port: int, headers: dict, name: str) -> tuple[float, str]:
    body, content_type = multipart((SHARED / name).read_bytes())
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    status, raw = request(
        conn, "POST", "/api/coach/matches", {**headers, "Content-Type": content_type}, body
    )
    elapsed = time.perf_counter() - started
    conn.close()
    assert status == 201, raw[:300]
    return elapsed, orjson.loads(raw)["match_id"]


def http_delete(port: int, headers: dict, match_id: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    status, raw = request(conn, "DELETE", f"/api/coach/matches/{match_id}", headers)
    conn.close()
    assert status in (200, 204), raw[:300]


def upload_rows(settings: Settings, port: int, headers: dict) -> tuple[list[Row], str]:
    """Upload / floor, interleaved round by round (medians); the last upload stays."""
    raw = (SHARED / LARGEST).read_bytes()
    uploads, floors, match_id = [], [], ""
    floor_copy(raw)  # warm-up (table, caches)
    for number in range(settings.upload_rounds + 1):  # the first round warms up
        if match_id:
            http_delete(port, headers, match_id)
        elapsed, match_id = http_upload(port, headers, LARGEST)
        floor = floor_copy(raw)
        if number:
            uploads.append(elapsed)
            floors.append(floor)
    upload, floor = statistics.median(uploads), statistics.median(floors)
    rows = [
        ratio_row(
            f"upload {LARGEST[:21]} / COPY floor ({upload * 1000:.0f} / {floor * 1000:.0f} ms)",
            upload / floor,
            "<=",
            2,
        )
    ]
    return rows, match_id


def provider_rows(settings: Settings, club: dict) -> list[Row]:
    """Each kloppy test file enlarged to a match's size (PROVIDER_EVENTS, bench/providers.py's
    --events: its events repeated with fresh ids): the upload (in-process, to the committed
    201; deleted after) / kloppy's load of the same enlarged file, medians of wall seconds,
    interleaved. At the bundled sizes (14-28 ms kloppy loads) the ratio measured the upload's
    fixed cost (login check, club lookups, the commit), not the reading."""
    app = club["app"]
    client = app.test_client()
    answer = client.post(
        "/api/auth/login", json={"email": club["email"], "password": club["password"]}
    )
    headers = {"Authorization": f"Bearer {answer.get_json()['token']}"}
    files = providers._files(PROVIDER_EVENTS)
    files.pop("csv", None)  # Spinta's own reader: no kloppy load to compare with
    sizes = {}
    for case, (_provider, events, meta) in files.items():  # warm-up: imports of each reader
        providers._upload(client, headers, events, meta)
        sizes[case] = providers._kloppy(case, events, meta)[2]
    uploads: dict[str, list[float]] = {case: [] for case in files}
    loads: dict[str, list[float]] = {case: [] for case in files}
    for _ in range(settings.provider_rounds):
        for case, (_provider, events, meta) in files.items():
            uploads[case].append(providers._upload(client, headers, events, meta)[0])
            loads[case].append(providers._kloppy(case, events, meta)[0])
    with app.app_context():
        db.engine.dispose()
    rows = []
    for case in files:
        up, load = statistics.median(uploads[case]), statistics.median(loads[case])
        label = (
            f"provider {case} ({sizes[case]} ev) upload / kloppy "
            f"({up * 1000:.0f} / {load * 1000:.0f} ms)"
        )
        rows.append(ratio_row(label, up / load, "<=", 3))
    return rows


def memory_row() -> Row:
    path = SHARED / LARGEST
    outcome = upload_memory.run_child(path, "rss", "multipart")
    assert outcome["status"] == 201, outcome
    size = path.stat().st_size
    grown = outcome["bytes"] / 2**20
    label = f"upload peak RSS growth / file ({grown:.0f} / {size / 2**20:.1f} MB)"
    return ratio_row(label, outcome["bytes"] / size, "<", 4)


# ---------------------------------------------------------------- screens and charts


def messi_id(club: dict) -> str:
    """The id of the player whose screens are read (the shared files' Messi)."""
    with club["app"].app_context():
        messi = db.session.scalar(select(Player.id).where(Player.player_name == MESSI))
        db.engine.dispose()
    return str(messi)


def screen_paths(club: dict, ids: dict) -> dict[str, str]:
    scope = f"team_id={club['team']}&season_id={club['season']}"
    return {
        "dashboard": f"/api/coach/dashboard?{scope}",
        "match detail": f"/api/coach/matches/{ids['match']}",
        "player list": f"/api/coach/players?{scope}",
        "player detail": f"/api/coach/players/{ids['messi']}?{scope}",
        "playing time": f"/api/coach/teams/{club['team']}/playing-time?season_id={club['season']}",
    }


def screen_rows(settings: Settings, port: int, headers: dict, paths: dict) -> list[Row]:
    read.ROUNDS = settings.screen_rounds
    read.SECONDS = settings.screen_seconds * settings.screen_rounds
    targets = [("health", port, "/api/health", {})]
    targets += [(name, port, path, headers) for name, path in paths.items()]
    for _label, _port, path, head in targets:
        read.warm_up(port, path, head)
    results = read.run_rounds(targets)
    health = results["health"]
    rows = []
    for name in paths:
        result = results[name]
        rows.append(
            ratio_row(
                f"{name}: req/s / health's ({result['rps']:.0f} / {health['rps']:.0f})",
                result["share"],
                ">=",
                0.8,
            )
        )
        rows.append(
            ratio_row(
                f"{name}: p99 / health's ({result['p99'] * 1000:.1f} / "
                f"{health['p99'] * 1000:.1f} ms)",
                result["p99"] / health["p99"],
                "<",
                2,
            )
        )
    return rows


class Client:
    """One keep-alive connection, timing each GET (the status must be 200)."""

    def __init__(self, port: int, headers: dict) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = headers

    def get(self, path: str, headers: dict | None = None) -> float:
        started = time.perf_counter()
        status, raw = request(self.conn, "GET", path, self.headers if headers is None else headers)
        elapsed = time.perf_counter() - started
        assert status == 200, (path, status, raw[:300])
        return elapsed

    def write(self, player: str, positions: list[str]) -> None:
        """Move the club's data version: a player's position, to and fro."""
        positions.reverse()
        body = orjson.dumps({"position": positions[0]})
        status, raw = request(
            self.conn,
            "PATCH",
            f"/api/coach/players/{player}",
            {**self.headers, "Content-Type": "application/json"},
            body,
        )
        assert status == 200, raw[:300]


def cold_rows(settings: Settings, client: Client, paths: dict, messi: str) -> list[Row]:
    positions = ["Right Wing", "Center Forward"]
    rows = []
    for name, path in paths.items():
        colds, cached = [], []
        for _ in range(settings.cold_rounds):
            client.write(messi, positions)
            colds.append(client.get(path))
            cached.append(statistics.median(client.get(path) for _ in range(3)))
        cold, warm = statistics.median(colds), statistics.median(cached)
        label = f"{name}: cold / cached ({cold * 1000:.1f} / {warm * 1000:.1f} ms)"
        rows.append(ratio_row(label, cold / warm, "<", 3))
    return rows


def cached_wrk(headers: dict, path: str) -> tuple[list[float], list[float]]:
    """p50 seconds of a cached chart and of GET /api/health, each from wrk on one keep-alive
    connection for CHART_WRK_SECONDS, alternating three times."""
    cached, health = [], []
    for _ in range(3):
        cached.append(read.measure_wrk(PORT, path, headers, CHART_WRK_SECONDS, 1).p50)
        health.append(read.measure_wrk(PORT, "/api/health", {}, CHART_WRK_SECONDS, 1).p50)
    return cached, health


def chart_rows(settings: Settings, client: Client, ids: dict) -> list[Row]:
    paths = list(chart_paths(ids["match"], ids["messi"]).items())[: settings.chart_kinds]
    positions = ["Right Wing", "Center Forward"]
    for _kind, path in paths:
        client.get(path)  # imports, fonts
    rows = []
    colds: list[float] = []
    cached_ratios: list[float] = []
    for _kind, path in paths:
        kind_colds, cached, health = [], [], []
        for _ in range(settings.cold_rounds):
            client.write(ids["messi"], positions)
            kind_colds.append(client.get(path))
            for _ in range(3):  # alternate, so a slow spell hits both
                cached.append(client.get(path))
                health.append(client.get("/api/health", {}))
        if read.LOADGEN == "wrk":  # the C client: no Python request overhead on both sides
            cached, health = cached_wrk(client.headers, path)
        colds.append(statistics.median(kind_colds))
        cached_ratios.append(statistics.median(cached) / statistics.median(health))
    worst = max(range(len(paths)), key=lambda n: cached_ratios[n])
    rows.append(
        ratio_row(
            f"cached chart / health (worst: {paths[worst][0]})", cached_ratios[worst], "<=", 1.5
        )
    )
    slowest = max(range(len(paths)), key=lambda n: colds[n])
    rows.append(ratio_row(f"cold chart, s (worst: {paths[slowest][0]})", colds[slowest], "<", 0.2))
    return rows


# ---------------------------------------------------------------- the run


def served(settings: Settings, club: dict, log) -> tuple[list[Row], list[Row]]:
    """Everything measured through gunicorn: (the upload's rows, the reads' rows)."""
    process = start_gunicorn(URL, PORT, log, workers=2)
    try:
        wait_ready(process, PORT)
        headers = login(PORT, club)
        uploads, match_id = upload_rows(settings, PORT, headers)
        for name in OTHERS:  # the rest of the club's real matches, for the screens
            http_upload(PORT, headers, name)
        ids = {"match": match_id, "messi": messi_id(club)}
        paths = screen_paths(club, ids)
        rows = screen_rows(settings, PORT, headers, paths)
        client = Client(PORT, headers)
        rows += cold_rows(settings, client, paths, ids["messi"])
        rows += chart_rows(settings, client, ids)
        return uploads, rows
    except BaseException:
        log.seek(0)
        sys.stderr.write("gunicorn output (last lines):\n" + "".join(log.readlines()[-20:]))
        raise
    finally:
        stop_gunicorn(process)


def table(rows: list[Row], header: str) -> str:
    width = max(len(r[0]) for r in rows)
    lines = [header, "", f"| {'measure':{width}} | value  | goal   | met |"]
    lines.append(f"|{'-' * (width + 2)}|--------|--------|-----|")
    for measure, value, goal, met in rows:
        verdict = "yes" if met else "NO"
        lines.append(f"| {measure:{width}} | {value:6.2f} | {goal:6} | {verdict:3} |")
    missed = sum(not r[3] for r in rows)
    lines.append("")
    lines.append(f"{len(rows) - missed} of {len(rows)} goals met")
    return "\n".join(lines)


def write_results(section: str) -> None:
    block = f"{BEGIN}\n{section}\n{END}"
    current = RESULTS.read_text() if RESULTS.exists() else "# Spinta benchmark results\n"
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        current = head + block + rest.split(END, 1)[1]
    else:
        title, _, body = current.partition("\n")
        current = f"{title}\n\n{block}\n{body}"
    RESULTS.write_text(current)


def drop_database() -> None:
    parsed = make_url(URL)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="few rounds, a small history")
    parser.add_argument("--no-write", action="store_true", help="leave bench/RESULTS.md alone")
    args = parser.parse_args()
    settings = Settings(args.quick)
    if read.LOADGEN != "wrk":
        print(
            "notice: wrk is not installed (Debian package wrk); the screens and charts are "
            "loaded from Python threads on the server's own cores, which lowers health's "
            "throughput most and so flatters the screens' shares",
            file=sys.stderr,
        )
    started = time.perf_counter()
    load_before = os.getloadavg()
    try:
        club = seed(settings)
        with tempfile.TemporaryFile(mode="w+") as log:
            uploads, reads = served(settings, club, log)
        rows = uploads + provider_rows(settings, club) + [memory_row()] + reads
    finally:
        drop_database()
    load_after = os.getloadavg()
    header = (
        f"### Performance goals (`bench/ratios.py{' --quick' if settings.quick else ''}`)\n\n"
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; "
        f"{time.perf_counter() - started:.0f} s\n"
        f"- machine: nproc {os.cpu_count()}, load average {load_before[0]:.2f} at start, "
        f"{load_after[0]:.2f} at the end (other sessions share the cores; ratios are taken "
        "in one run)\n"
        f"- club: {settings.teams} teams x {settings.seasons} seasons x {history.MATCHES} "
        f"matches stored ({club['matches']}) + the 3 shared Argentina matches; "
        f"load generator: {read.LOADGEN}, {read.CONNECTIONS} connections, gunicorn 2 workers"
    )
    section = table(rows, header)
    print(section)
    if not args.no_write:
        write_results(section)


if __name__ == "__main__":
    main()
