"""The analysis golden set: the full report and every stored number of the four shared
StatsBomb files, recorded from the code before the issue 16 store refactoring.

For each file, uploaded through the API by a coach of the file's home team (Argentina for the
World Cup files, one club holding all three, Barcelona for the league match), the golden file in
`tests/analysis_golden/` keeps

- the analysis report (`report.to_dict()` of the analysis from the club's side);
- every row the upload stored that comes from the file: the match, lineups, goals, team and
  player statistics (per-90 values included), the squad and opponent rows, the club's and the
  players' season aggregates, and the events (their count and a sha256 of their rows in order:
  every column, the raw event included);

with database ids replaced by what the row is about (names, dates), timestamps and random
invite codes left out. `flask spinta reanalyse` must then store exactly the same rows again.

Both databases compare against the same files. Re-record (only for a listed, justified change):
`SPINTA_RECORD_ANALYSIS_GOLDEN=1 .venv/bin/python -m pytest tests/test_analysis_golden.py`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import os
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from spinta import analytics
from spinta.extensions import db
from spinta.models import Club
from spinta.services import matches as matches_service
from tests.conftest import statsbomb_file
from tests.factories import register_coach
from tests.test_matches import upload

GOLDEN_DIR = Path(__file__).resolve().parent / "analysis_golden"
RECORD = os.environ.get("SPINTA_RECORD_ANALYSIS_GOLDEN") == "1"

# club -> its files, uploaded in this order
CLUBS = {
    "Argentina": (
        "argentina-mexico-2022-11-26.json",
        "netherlands-argentina-2022-12-09.json",
        "argentina-croatia-2022-12-13.json",
    ),
    "Barcelona": ("barcelona-alaves-2018-08-18.json",),
}
DATES = {
    "argentina-mexico-2022-11-26.json": "2022-11-26",
    "netherlands-argentina-2022-12-09.json": "2022-12-09",
    "argentina-croatia-2022-12-13.json": "2022-12-13",
    "barcelona-alaves-2018-08-18.json": "2018-08-18",
}

# The tables an upload fills from the file, and the columns left out of the golden record
# (random or clock values; `data_version` belongs to the screen cache).
TABLES = (
    "clubs",
    "players",
    "opponent_clubs",
    "opponent_players",
    "matches",
    "match_lineups",
    "goals",
    "match_statistics",
    "player_match_statistics",
    "club_season_statistics",
    "player_season_statistics",
)
SKIPPED = {
    "id",
    "created_at",
    "updated_at",
    "invite_code",
    "invite_expires_at",
    "data_version",
    "user_id",
}
SKIPPED_BY_TABLE = {"clubs": {"coach_id", "club_logo_url", "coach_name"}}
# (table, stored column) -> the name it had when the golden set was recorded: the listed
# change of issue 16 (external ids) renames them and keeps their values.
RECORDED_NAME: dict[tuple[str, str], str] = {
    ("clubs", "external_id"): "statsbomb_team_id",
    ("players", "external_id"): "statsbomb_player_id",
    ("opponent_clubs", "external_id"): "statsbomb_team_id",
    ("opponent_players", "external_id"): "statsbomb_player_id",
    ("matches", "our_external_id"): "our_statsbomb_team_id",
    ("matches", "opponent_external_id"): "opponent_statsbomb_team_id",
    ("match_lineups", "external_id"): "statsbomb_player_id",
    ("player_match_statistics", "external_id"): "statsbomb_player_id",
    ("match_statistics", "team_external_id"): "team_statsbomb_id",
    ("goals", "team_external_id"): "team_statsbomb_id",
    ("goals", "scorer_external_id"): "scorer_statsbomb_id",
    ("goals", "assist_external_id"): "assist_statsbomb_id",
    ("events", "external_id"): "statsbomb_id",
}
# Added by the same change: the provider of every stored external id (all StatsBomb files).
PROVIDER_COLUMN = "provider"
# Added by issue 20 (children's data), checked apart: an uploaded match's players have not
# left the club, are not kept past the retention period and are not erased.
PRIVACY_DEFAULTS = {"players": {"left_at": None, "retention_kept": False, "erased_at": None}}
# Added by issue 17 (teams and seasons), checked apart by _season_column: every match and
# season row has its team and season; the club's settings have their defaults; a club season
# row's sums (`*_total`) are its per-match averages times its matches.
SEASON_KEYS = frozenset({"team_id", "season_id"})
CLUB_SETTINGS = {"season_start": "08-01", "min_playing_share": 0.5}
SEASON_COLUMNS: dict[str, frozenset[str]] = {
    "clubs": frozenset(CLUB_SETTINGS),
    "matches": SEASON_KEYS,
    "player_season_statistics": SEASON_KEYS,
    "club_season_statistics": SEASON_KEYS | {"possession_total", "possession_matches"},
}


def _season_column(table: str, column: str, value: Any, row: Any) -> None:
    if column in SEASON_KEYS:
        assert value is not None, (table, column)
    elif table == "clubs":
        assert value == CLUB_SETTINGS[column], (table, column, value)
    elif column == "possession_matches":
        assert value == row["matches_played"], (table, column, value)
    elif column == "possession_total":
        average = row["avg_possession_percentage"] * row["matches_played"]
        assert math.isclose(value, average, rel_tol=1e-9), (table, column, value)
    else:  # a *_total sum
        average = row[f"avg_{column.removesuffix('_total')}"] * row["matches_played"]
        assert math.isclose(value, average, rel_tol=1e-9, abs_tol=1e-9), (table, column, value)


def _labels() -> dict[uuid.UUID, str]:
    """Every row id of the tables above -> what the row is about."""
    labels: dict[uuid.UUID, str] = {}
    tables = _metadata().tables
    describe = {
        "clubs": lambda r: f"club {r['club_name']}",
        "players": lambda r: f"player {r['player_name']}",
        "opponent_clubs": lambda r: f"opponent {r['name']}",
        "opponent_players": lambda r: f"opponent player {r['player_name']}",
        "matches": lambda r: f"match {r['match_date']} {r['opponent_name']}",
    }
    for name, label in describe.items():
        for row in db.session.execute(select(tables[name])).mappings():
            labels[row["id"]] = label(row)
    return labels


def _metadata():
    from spinta.models.base import Base

    return Base.metadata


def _plain(value: Any, labels: dict[uuid.UUID, str]) -> Any:
    if isinstance(value, uuid.UUID):
        return labels.get(value, "an unknown id")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def stored_rows() -> dict[str, Any]:
    """Every row of the upload tables (one club per test), by table, sorted, ids replaced by
    labels."""
    tables = _metadata().tables
    labels = _labels()
    dump: dict[str, Any] = {}
    for name in TABLES:
        skipped = SKIPPED | SKIPPED_BY_TABLE.get(name, set())
        rows = []
        for row in db.session.execute(select(tables[name])).mappings():
            record = _recorded(name, row, labels, skipped)
            rows.append(dict(sorted(record.items())))
        dump[name] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))
    dump["events"] = _events(labels)
    return dump


def _recorded(
    table: str, row: Any, labels: dict[uuid.UUID, str], skipped: set[str]
) -> dict[str, Any]:
    """The row as the golden set recorded it: old column names, the provider checked apart."""
    record = {}
    for column, value in row.items():
        if column == PROVIDER_COLUMN:
            stored_id = row.get("external_id", row.get("our_external_id"))
            assert value == ("statsbomb" if stored_id is not None else None), (table, dict(row))
        elif column in SEASON_COLUMNS.get(table, ()) or (
            table == "club_season_statistics" and column.endswith("_total")
        ):
            _season_column(table, column, value, row)
        elif column in PRIVACY_DEFAULTS.get(table, {}):
            assert value == PRIVACY_DEFAULTS[table][column], (table, column, value)
        elif (table, column) == ("matches", "length_minutes"):
            _length_column(value, row["id"])
        elif column not in skipped:
            record[RECORDED_NAME.get((table, column), column)] = _plain(value, labels)
    return record


def _length_column(value: Any, match_id: uuid.UUID) -> None:
    """A match's length (added after the golden set was recorded) is what a player who was on
    the pitch from kick-off to the end played: the longest stint of the stored lineups."""
    table = _metadata().tables["match_lineups"]
    longest = db.session.scalar(
        select(func.max(table.c.minutes_played)).where(table.c.match_id == match_id)
    )
    assert value is not None and math.isclose(value, longest, rel_tol=1e-12), (value, longest)


def _events(labels: dict[uuid.UUID, str]) -> dict[str, Any]:
    """Per match: the number of stored events and a sha256 of their rows in ordinal order."""
    table = _metadata().tables["events"]
    result: dict[str, Any] = {}
    rows = db.session.execute(select(table).order_by(table.c.match_id, table.c.ordinal)).mappings()
    digests: dict[str, Any] = {}
    for row in rows:
        match = labels[row["match_id"]]
        entry = digests.setdefault(match, [0, hashlib.sha256()])
        entry[0] += 1
        values = _recorded("events", row, labels, set())
        entry[1].update(orjson.dumps(values, option=orjson.OPT_SORT_KEYS) + b"\n")
    for match, (count, digest) in sorted(digests.items()):
        result[match] = {"count": count, "sha256": digest.hexdigest()}
    return result


def _golden(club_name: str, name: str) -> Path:
    return GOLDEN_DIR / f"{club_name.lower()}--{name}"


def _compare(path: Path, actual: dict[str, Any]) -> None:
    text = json.dumps(actual, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
    if RECORD:
        GOLDEN_DIR.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert _differences(json.loads(text), expected) == [], path.name


def _differences(actual: Any, expected: Any, where: str = "") -> list[str]:
    """Where two JSON values differ, as "path: actual != expected" lines (the first 20)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in expected.keys() | actual.keys():
            found += _differences(actual.get(key), expected.get(key), f"{where}.{key}")
        return found[:20]
    if isinstance(expected, list) and isinstance(actual, list) and len(actual) == len(expected):
        found = []
        for index, (mine, theirs) in enumerate(zip(actual, expected, strict=True)):
            found += _differences(mine, theirs, f"{where}[{index}]")
        return found[:20]
    if actual == expected or _last_bits(actual, expected, where):
        return []
    return [f"{where}: {actual!r} != {expected!r}"]


# The season aggregates are float sums the database adds up in the order it reads the rows,
# which PostgreSQL does not fix (main before issue 16 alike: 1.0555357941228254 vs ...256
# from one run to the next); they are compared to the last bits, everything else exactly.
SEASON_TABLES = (".stored.club_season_statistics[", ".stored.player_season_statistics[")


def _last_bits(actual: Any, expected: Any, where: str) -> bool:
    return (
        where.startswith(SEASON_TABLES)
        and type(actual) is float
        and type(expected) is float
        and math.isclose(actual, expected, rel_tol=1e-12)
    )


@pytest.mark.parametrize("club_name", sorted(CLUBS))
def test_reports_and_stored_numbers_are_unchanged(app, client, club_name):
    coach = register_coach(client, club_name=club_name)
    club_id = uuid.UUID(coach.club_id)
    for name in CLUBS[club_name]:
        events = json.loads(statsbomb_file(name).read_bytes())
        with app.app_context():
            club = db.session.get(Club, club_id)
            report = analytics.analyse_match(
                events, club_name=club.club_name, club_team_id=club.external_id
            )
        response = upload(client, coach, name)
        assert response.status_code == 201, response.get_json()
        with app.app_context():
            _compare(
                _golden(club_name, name),
                {"report": json.loads(orjson.dumps(report.to_dict()))},
            )
    with app.app_context():
        stored = stored_rows()
    _compare(_golden(club_name, "stored.json"), {"stored": stored})
    # the re-analysis stores exactly the same numbers again
    with app.app_context():
        club = db.session.get(Club, club_id)
        assert matches_service.reanalyse_club(club=club) == len(CLUBS[club_name])
        assert _differences({"stored": stored_rows()}, {"stored": stored}) == []
