"""The golden set: the analysis output recorded before the issue 16 refactoring.

Each case is one `analyse_match` call: a shared StatsBomb file seen from one of its two teams
(the `python -m spinta.analytics` command), or a tiny hand-made event list of the rule tests
(recorded, with its arguments, from `test_analytics_rules.py`). A golden file keeps

- `cli_sha256`: sha256 of the bytes the command prints (the JSON report, indented by orjson);
- `full_sha256`: sha256 of every dataclass field of the report (ids, per-90 values and the
  analysed events' ids in order included), serialised the same deterministic way;
- a readable summary (scores, team rows, goals, lineups, every non-zero player value) so a
  failing comparison shows what differs before it shows that a hash differs.

Re-record (only for a listed, justified change): `python tests/analytics/golden_set.py`.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
TINY_FILE = GOLDEN_DIR / "tiny_cases.jsonl.gz"  # gzip: the inputs repeat two team sheets
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from analytics_files import ALL_FILES, STATSBOMB_DIR  # noqa: E402

from spinta.analytics import EventDataError, MatchReport, analyse_match  # noqa: E402


def cli_bytes(report: MatchReport) -> bytes:
    """What `python -m spinta.analytics` prints for the report."""
    return orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2) + b"\n"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def full_dump(report: MatchReport) -> dict[str, Any]:
    """Every field of the report (the raw events by id, per-90 values included)."""
    data = _plain(dataclasses.replace(report, events=(), advanced=None))
    data.pop("advanced")  # the advanced metrics have their own tests (test_analytics_advanced)
    # Recorded after the golden set (playing time, issue 17); checked against the lineups by
    # tests/test_analysis_golden.py and to the second by tests/test_playing_time.py.
    data.pop("length_minutes")
    data["events"] = [event["id"] for event in report.events]
    for row, stats in zip(data["player_stats"], report.player_stats, strict=True):
        row["per90"] = stats.per90
    return data


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _nonzero(row: dict[str, Any], skip: tuple[str, ...]) -> str:
    """The row's non-zero, non-null values as one line `name=json` (types kept: 1 vs 1.0)."""
    return " ".join(
        f"{name}={json.dumps(value)}"
        for name, value in row.items()
        if name not in skip and value is not None and not (type(value) is int and value == 0)
    )


# player row fields the lineups already show (the hashes cover them all)
_IN_LINEUPS = ("per90", "player_name", "team_name", "is_starter", "jersey_number", "position")


def summary(report: MatchReport) -> dict[str, Any]:
    """The golden record of one report (see the module docstring)."""
    full = full_dump(report)
    return {
        "cli_sha256": _digest(cli_bytes(report)),
        "full_sha256": _digest(orjson.dumps(full, option=orjson.OPT_INDENT_2)),
        "teams": full["teams"],
        "our_team": full["our_team"],
        "score": full["score"],
        "derived_score": full["derived_score"],
        "result": full["result"],
        "penalty_shootout": full["penalty_shootout"],
        "warnings": full["warnings"],
        "fingerprint": full["fingerprint"],
        "event_count": len(full["events"]),
        "team_stats": [_nonzero(row, ()) for row in full["team_stats"]],
        "goals": [_nonzero(goal, ()) for goal in full["goals"]],
        "lineups": [_nonzero(p, ()) for lineup in full["lineups"] for p in lineup["players"]],
        "player_stats": [_nonzero(row, _IN_LINEUPS) for row in full["player_stats"]],
        "keys": {
            "report": list(report.to_dict()),
            "team_statistics": list(report.to_dict()["team_statistics"][0]),
            "player_statistics": list(report.to_dict()["player_statistics"][0]),
        },
    }


def outcome(events: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The summary of one call, or the error it raises (class and sentence)."""
    try:
        report = analyse_match(events, **kwargs)
    except (EventDataError, ValueError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    return summary(report)


def real_cases() -> list[tuple[str, str]]:
    """(file name, club name) for both teams of every shared file."""
    cases = []
    for name in ALL_FILES:
        events = json.loads((STATSBOMB_DIR / name).read_text(encoding="utf-8"))
        teams = dict.fromkeys(
            e["team"]["name"] for e in events if e["type"]["name"] == "Starting XI"
        )
        cases.extend((name, team) for team in teams)
    return cases


def real_golden_path(file_name: str, club: str) -> Path:
    return GOLDEN_DIR / f"{file_name.removesuffix('.json')}--{club.lower().replace(' ', '-')}.json"


def tiny_cases() -> list[dict[str, Any]]:
    """The recorded rule-test calls: {"test", "events", "kwargs", "expect"}."""
    with gzip.open(TINY_FILE, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def dump_json(value: Any) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False) + "\n"


class _Recorder:
    """A pytest plugin that records every analyse_match call of the rule tests."""

    def __init__(self) -> None:
        self.cases: dict[str, dict[str, Any]] = {}
        self.current = ""

    def pytest_configure(self, config) -> None:
        import spinta.analytics as package

        original = package.analyse_match

        def recording(events, **kwargs):
            try:
                text = json.dumps({"events": events, "kwargs": kwargs}, allow_nan=False)
            except (TypeError, ValueError):
                text = None  # not JSON: not a golden case
            if text is not None:
                call = json.loads(text)
                if call["events"] == events and call["kwargs"] == kwargs:
                    key = _digest(text.encode("utf-8", "surrogatepass"))
                    self.cases.setdefault(key, {"test": self.current, **call})
            return original(events, **kwargs)

        package.analyse_match = recording

    def pytest_runtest_setup(self, item) -> None:
        self.current = item.nodeid.split("::", 1)[1]


def record() -> None:
    import pytest

    GOLDEN_DIR.mkdir(exist_ok=True)
    for file_name, club in real_cases():
        events = json.loads((STATSBOMB_DIR / file_name).read_text(encoding="utf-8"))
        result = {
            "case": {"file": file_name, "club_name": club},
            **outcome(events, {"club_name": club}),
        }
        real_golden_path(file_name, club).write_text(dump_json(result), encoding="utf-8")
    recorder = _Recorder()
    rules = str(Path(__file__).resolve().parent / "test_analytics_rules.py")
    status = pytest.main(["-q", "-p", "no:cacheprovider", rules], plugins=[recorder])
    if status != 0:
        raise SystemExit(f"the rule tests failed ({status}); nothing recorded for them")
    lines = []
    for case in recorder.cases.values():
        expect = outcome(case["events"], case["kwargs"])
        lines.append(json.dumps({**case, "expect": expect}, ensure_ascii=False) + "\n")
    with TINY_FILE.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write("".join(lines).encode("utf-8"))
    print(f"recorded {len(real_cases())} real cases and {len(lines)} tiny cases")


if __name__ == "__main__":
    record()
