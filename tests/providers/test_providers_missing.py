"""A statistic the match's file cannot give (data_source.missing_statistics) is answered null,
never 0, wherever a per-match statistic is shown: the match screen's team statistics, a
player's match statistics (and his summary's assists) and the match and player exports."""

from __future__ import annotations

import csv
import io

import pytest
from provider_files import CASES, case_bytes
from test_providers_upload import post

from spinta import screen_sections
from spinta.analytics.catalogue import player_row
from spinta.analytics.data_source import MAY_BE_MISSING
from tests.factories import register_coach

pytestmark = pytest.mark.filterwarnings("ignore")


def _upload(client, case):
    coach = register_coach(client, club_name="Grassroots United")
    _provider, events, meta = case_bytes(case)
    body = post(client, coach, events, meta, our_team="away").get_json()
    missing = {item["statistic"] for item in body["data_source"]["missing_statistics"]}
    return coach, body["match_id"], missing


@pytest.mark.parametrize("case", sorted(CASES))
def test_missing_statistics_are_null_on_every_per_match_screen(client, case):
    coach, match_id, missing = _upload(client, case)
    assert missing <= MAY_BE_MISSING
    detail = client.get(f"/api/coach/matches/{match_id}", headers=coach.headers).get_json()
    for section in screen_sections.MATCH:
        for leaf in section.leaves:
            pair = detail["statistics"][section.name][leaf.name]
            if leaf.column in missing:
                assert pair is None, (section.name, leaf.name)
            else:
                assert set(pair) == {"our_team", "opponent"}, (section.name, leaf.name)

    export = client.get(f"/api/coach/matches/{match_id}/export", headers=coach.headers)
    rows = export.get_json()["rows"]
    for row in rows:
        for name in missing & set(player_row()):
            assert row[name] is None, name
        for name in (MAY_BE_MISSING - missing) & set(player_row()):
            if not name.endswith("_rate"):  # a rate is null when its whole is 0 (rule 3)
                assert row[name] is not None, name
    ours = [row for row in rows if row["is_our_team"]]
    assert ours
    player_id = ours[0]["player_id"]
    screen = client.get(
        f"/api/coach/players/{player_id}/matches/{match_id}", headers=coach.headers
    ).get_json()
    assert (screen["player_summary"]["assists"] is None) == ("assists" in missing)
    for section in screen_sections.PLAYER_MATCH:
        for leaf in section.leaves:
            value = screen["statistics"][section.name][leaf.name]
            assert (value is None) == (leaf.column in missing), (section.name, leaf.name)
    mine = client.get(f"/api/coach/players/{player_id}/export", headers=coach.headers)
    (row,) = mine.get_json()["rows"]
    assert {name for name in player_row() if name in missing and row[name] is None} == (
        missing & set(player_row())
    )


def test_a_provider_without_dribbles_shows_null_not_0_and_csv_an_empty_cell(client):
    coach, match_id, missing = _upload(client, "datafactory")
    shown = {leaf.column for section in screen_sections.MATCH for leaf in section.leaves}
    assert missing & shown, missing  # the case proves something on the screen
    detail = client.get(f"/api/coach/matches/{match_id}", headers=coach.headers).get_json()
    name = sorted(missing & shown)[0]
    leaf = next(x for s in screen_sections.MATCH for x in s.leaves if x.column == name)
    section = next(s for s in screen_sections.MATCH if leaf in s.leaves)
    assert detail["statistics"][section.name][leaf.name] is None
    raw = client.get(f"/api/coach/matches/{match_id}/export?format=csv", headers=coach.headers)
    table = list(csv.DictReader(io.StringIO(raw.data.decode())))
    for column in missing & set(player_row()):
        assert {row[column] for row in table} == {""}, column


def test_a_statsbomb_match_misses_nothing_and_shows_numbers(client):
    from tests.conftest import statsbomb_file

    coach = register_coach(client, club_name="Somebody Else")
    raw = statsbomb_file("argentina-mexico-2022-11-26.json").read_bytes()
    body = post(client, coach, raw, match_date="2022-11-26", our_team="Argentina").get_json()
    detail = client.get(f"/api/coach/matches/{body['match_id']}", headers=coach.headers)
    statistics = detail.get_json()["statistics"]
    for section in screen_sections.MATCH:
        for leaf in section.leaves:
            assert statistics[section.name][leaf.name] is not None


def test_the_openapi_says_which_statistics_may_be_null(client):
    spec = client.get("/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    attacking = schemas["PlayerMatchAttacking"]["properties"]
    assert attacking["total_dribbles"].get("nullable") is True
    assert not attacking["goals"].get("nullable")
    assert schemas["PlayerSummary"]["properties"]["assists"].get("nullable") is True
    passing = schemas["MatchPassing"]["properties"]
    assert {"type": "object", "nullable": True} in passing["crosses"]["anyOf"]  # pair or null
    assert passing["total_passes"] == {"$ref": "#/components/schemas/CountPair"}
