"""Season figures of a club whose matches come from several providers: a season total sums
the matches that give the statistic (the others stored 0), a club average is the mean over
those matches, and a figure none of the season's matches gives is null, never 0."""

from __future__ import annotations

import pytest
from provider_files import case_bytes
from test_providers_upload import post

from spinta import screen_sections
from tests.conftest import statsbomb_file
from tests.factories import register_coach

pytestmark = pytest.mark.filterwarnings("ignore")

DATE = "2024-05-01"


def _leaves(sections):
    return {
        screen_sections.statistic(leaf): (section.name, leaf)
        for section in sections
        for leaf in section.leaves
        if leaf.column.startswith("avg_")
    }


def _provider_match(client, coach):
    _provider, events, meta = case_bytes("datafactory")
    body = post(client, coach, events, meta, our_team="away", match_date=DATE).get_json()
    return {item["statistic"] for item in body["data_source"]["missing_statistics"]}


def test_a_club_average_is_the_mean_over_the_matches_that_give_it(client):
    coach = register_coach(client, club_name="Argentina")
    raw = statsbomb_file("argentina-mexico-2022-11-26.json").read_bytes()
    assert post(client, coach, raw, match_date=DATE, our_team="Argentina").status_code == 201
    alone = client.get("/api/coach/dashboard", headers=coach.headers).get_json()["statistics"]
    missing = _provider_match(client, coach)
    both = client.get("/api/coach/dashboard", headers=coach.headers).get_json()["statistics"]
    averages = _leaves(screen_sections.DASHBOARD)
    lacking = sorted(missing & set(averages))
    assert lacking, missing  # the case proves something
    for key in lacking:
        section, leaf = averages[key]
        # Only the StatsBomb match gives it: the mean over that one match, not halved.
        assert both[section][leaf.name] == alone[section][leaf.name], key
        assert both[section][leaf.name] is not None
    total_passes = both["passes"]["avg_passes"]
    assert total_passes != alone["passes"]["avg_passes"]  # both matches give passes


def test_a_season_figure_no_match_gives_is_null(client):
    coach = register_coach(client, club_name="Grassroots United")
    missing = _provider_match(client, coach)
    statistics = client.get("/api/coach/dashboard", headers=coach.headers).get_json()["statistics"]
    for key, (section, leaf) in _leaves(screen_sections.DASHBOARD).items():
        value = statistics[section][leaf.name]
        assert (value is None) == (key in missing), key
    if "assists" in missing:
        assert statistics["season_summary"]["total_assists"] is None
    squad = client.get("/api/coach/players?limit=100", headers=coach.headers).get_json()
    player_id = squad["players"][0]["player_id"]
    season = client.get(f"/api/coach/players/{player_id}", headers=coach.headers).get_json()[
        "season_statistics"
    ]
    checked = 0
    for section in screen_sections.PLAYER_SEASON:
        for leaf in section.leaves:
            if leaf.per_match or leaf.column not in missing:
                continue
            assert season[section.name][leaf.name] is None, leaf.name
            checked += 1
    assert checked
