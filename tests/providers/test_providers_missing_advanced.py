"""The advanced metrics a match's file cannot give (no locations, no carries, no defensive
actions) are listed in data_source.missing_statistics with the reason and answered null, never
0: the match screen's `advanced` section, a player's match advanced values, the exports, the
trends, percentiles and development goals; the pass strings need only the events' order."""

from __future__ import annotations

import pytest
from provider_files import CASES, case_bytes
from test_providers_csv_locations import WITHOUT_XY
from test_providers_upload import post

from spinta.analytics.advanced import ADVANCED_PLAYER_FIELDS, analyse_advanced
from spinta.analytics.data_source import MAY_BE_MISSING, data_source
from spinta.analytics.providers import read_file
from spinta.analytics.providers.csv_tagging import TEMPLATE
from spinta.store.advanced import MATCH_SECTION
from tests.factories import register_coach

pytestmark = pytest.mark.filterwarnings("ignore")

LOCATED = {"progressive_passes", "progressive_carries", "expected_threat", "field_tilt", "ppda"}
STRINGS = {"pass_strings_3_5", "pass_strings_6_8", "pass_strings_9_plus"}


def _missing(provider: str, events: bytes, meta: bytes | None = None) -> dict[str, str]:
    source = data_source(provider, True, read_file(provider, events, meta))
    return {item.statistic: item.reason for item in source.missing_statistics}


def test_a_csv_without_x_y_lacks_every_located_metric_with_the_reason():
    missing = _missing("csv", WITHOUT_XY.encode())
    assert LOCATED <= set(missing) <= MAY_BE_MISSING
    assert not STRINGS & set(missing)
    assert missing["progressive_passes"] == "the file's passes have no start and end location"
    assert missing["field_tilt"] == "the file's passes have no location"
    # with x/y (start only): field tilt and PPDA are computed, what needs an end is not
    with_xy = _missing("csv", TEMPLATE.encode())
    assert {"field_tilt", "ppda"}.isdisjoint(with_xy)
    assert {"progressive_passes", "expected_threat"} <= set(with_xy)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_listed_metric_is_one_the_file_cannot_give(case):
    provider, events, meta = case_bytes(case)
    read = read_file(provider, events, meta)
    missing = set(_missing(provider, events, meta)) & LOCATED
    report = analyse_advanced(read.match)
    for values in report.teams.values():
        for metric in missing - {"ppda"}:  # nothing was measured: both teams' 0
            assert not values[metric], (case, metric)
    if "ppda" in missing:
        assert all(not v["ppda_defensive_actions"] for v in report.teams.values())


def _upload(client, events: bytes, meta: bytes | None = None, **fields):
    coach = register_coach(client, club_name="Spinta FC")
    response = post(client, coach, events, meta, **fields)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    missing = {item["statistic"] for item in body["data_source"]["missing_statistics"]}
    return coach, body["match_id"], missing


def _check_match_screens(client, coach, match_id, missing):
    get = lambda path: client.get(path, headers=coach.headers).get_json()  # noqa: E731
    advanced = get(f"/api/coach/matches/{match_id}")["statistics"]["advanced"]
    for metric in MATCH_SECTION:
        assert (advanced[metric] is None) == (metric in missing), metric
    rows = get(f"/api/coach/matches/{match_id}/export")["rows"]
    for row in rows:
        for metric in ADVANCED_PLAYER_FIELDS:
            if metric in missing:
                assert row[metric] is None, metric
    player_id = next(row["player_id"] for row in rows if row["is_our_team"])
    screen = get(f"/api/coach/players/{player_id}/matches/{match_id}")
    for metric in ADVANCED_PLAYER_FIELDS:
        value = screen["statistics"]["advanced"][metric]
        assert (value is None) == (metric in missing), metric
    return player_id


@pytest.mark.parametrize("case", ["sportec", "opta"])
def test_kloppy_files_answer_null_for_what_they_lack(client, case):
    _provider, events, meta = case_bytes(case)
    coach, match_id, missing = _upload(client, events, meta, our_team="away")
    assert "progressive_carries" in missing  # the case proves something
    _check_match_screens(client, coach, match_id, missing)


def test_a_csv_without_x_y_answers_null_in_trends_percentiles_and_goals(client):
    coach, match_id, missing = _upload(client, WITHOUT_XY.encode(), our_team="Spinta FC")
    assert LOCATED <= missing
    player = _check_match_screens(client, coach, match_id, missing)
    get = lambda path, **q: client.get(path, headers=coach.headers, query_string=q)  # noqa: E731
    metrics = {"metrics": "progressive_passes,expected_threat,goals"}
    trends = get(f"/api/coach/players/{player}/trends", **metrics).get_json()["metrics"]
    for metric in ("progressive_passes", "expected_threat"):
        (season,) = trends[metric]["per_season"]
        assert season["value"] is None and season["per90"] is None, metric
        assert {entry["value"] for entry in trends[metric]["rolling"]} == {None}
    (goals,) = trends["goals"]["per_season"]
    assert goals["value"] is not None  # the box score's goals are given
    ranks = get(f"/api/coach/players/{player}/percentiles", **metrics).get_json()["metrics"]
    assert ranks["progressive_passes"]["per90"] is None
    assert ranks["progressive_passes"]["percentile"] is None
    goal = client.post(
        f"/api/coach/players/{player}/goals",
        headers=coach.headers,
        json={"metric": "progressive_passes", "target_per90": 2, "due_date": "2024-06-30"},
    )
    assert goal.status_code == 201, goal.get_json()
    assert goal.get_json()["current_per90"] is None
    assert goal.get_json()["achieved"] is False


def test_a_season_counts_only_the_matches_whose_file_gives_the_metric():
    from datetime import date

    from spinta.analytics import trends
    from spinta.analytics.trends import MatchValues

    def match(day, passes, missing=frozenset()):
        values = {"progressive_passes": passes}
        return MatchValues(day, date(2024, 1, day), "s", 90, 40, values, missing)

    lacking = frozenset({"progressive_passes"})
    given, csv = match(1, 4), match(2, 0, lacking)
    # 4 per 90 over the match that gives it, not 2 per 90 over both
    assert trends.season_value([given, csv], "progressive_passes") == (4, 4.0)
    assert trends.season_value([csv], "progressive_passes") == (None, None)
    assert trends.season_value([], "progressive_passes") == (0, None)
    # the CSV match enters no rolling window
    assert [v for _, v in trends.rolling([given, csv], "progressive_passes")] == [4.0, 4.0]
    assert trends.rolling([csv], "progressive_passes")[0][1] is None


def _stored_source(match_id: str):
    import uuid

    from spinta.extensions import db
    from spinta.models import Match

    db.session.expire_all()
    return db.session.get(Match, uuid.UUID(match_id))


def _reanalyse(coach) -> None:
    import uuid

    from spinta.extensions import db
    from spinta.models import Club
    from spinta.services.matches import reanalyse_club

    assert reanalyse_club(club=db.session.get(Club, uuid.UUID(coach.club_id))) == 1


@pytest.mark.parametrize("case", sorted(CASES))
def test_reanalysis_finds_the_list_the_upload_found(client, app, case):
    _provider, events, meta = case_bytes(case)
    coach, match_id, _ = _upload(client, events, meta, our_team="away")
    before = _stored_source(match_id).data_source
    _reanalyse(coach)
    assert _stored_source(match_id).data_source == before


def test_reanalysis_lists_what_an_older_upload_did_not(client, app):
    """A CSV uploaded before the advanced metrics were in the table: re-analysis lists them,
    and the screens answer null from then on."""
    from spinta.extensions import db

    coach, match_id, _ = _upload(client, WITHOUT_XY.encode(), our_team="Spinta FC")
    match = _stored_source(match_id)
    upload = match.data_source
    match.data_source = {
        **upload,
        "missing_statistics": [
            item for item in upload["missing_statistics"] if item["statistic"] not in LOCATED
        ],
    }
    db.session.commit()
    path = f"/api/coach/matches/{match_id}"
    advanced = client.get(path, headers=coach.headers).get_json()["statistics"]["advanced"]
    assert advanced["progressive_passes"] is not None  # the old list: a silent 0
    _reanalyse(coach)
    assert _stored_source(match_id).data_source == upload
    advanced = client.get(path, headers=coach.headers).get_json()["statistics"]["advanced"]
    assert advanced["progressive_passes"] is None and advanced["pass_strings_3_5"] is not None


def test_the_openapi_marks_the_advanced_values_a_file_can_lack_nullable(client):
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]

    def nullable(schema: str, name: str) -> bool:
        field = schemas[schema]["properties"][name]
        options = [field, *field.get("anyOf", ())]  # a nested pair: {$ref} or null
        return any(option.get("nullable") is True for option in options)

    for metric in ("progressive_passes", "ppda", "field_tilt", "expected_threat"):
        assert nullable("MatchAdvanced", metric), metric
    assert not nullable("MatchAdvanced", "pass_strings_3_5")
    for metric in ADVANCED_PLAYER_FIELDS:
        assert nullable("PlayerMatchAdvanced", metric), metric
    assert nullable("SeasonValue", "per90") and nullable("MetricPercentile", "percentile")
    assert nullable("Goal", "current_per90")
