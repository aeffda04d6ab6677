"""Printable reports (HTML and PDF) and statistics exports (CSV and JSON) on a shared match."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import orjson
import pypdf
import pytest

from spinta import analytics
from tests.conftest import statsbomb_file
from tests.factories import register_coach
from tests.test_charts import (  # noqa: F401 (fixture)
    CROATIA,
    MESSI,
    coach_of_a_second_team,
    croatia,
    squad_id,
    upload,
)

ALVAREZ = 29560


class Page(HTMLParser):
    """What a browser would fetch from the page: every URL in src, href, url(...), @import."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.svgs = 0
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.svgs += tag == "svg"
        self.scripts += tag == "script"
        for name, value in attrs:
            if name in {"src", "srcset", "data", "poster"} and value:
                self.fetched.append(value)
            if name in {"href", "xlink:href"} and value and not value.startswith("#"):
                self.fetched.append(value)


def stat_cells(html: str) -> dict[str, tuple[str, str]]:
    cells = re.findall(r'<td class="(ours|theirs)" data-stat="([a-z0-9_]+)">([^<]*)</td>', html)
    found: dict[str, dict[str, str]] = {}
    for side, name, value in cells:
        found.setdefault(name, {})[side] = value
    return {name: (v["ours"], v["theirs"]) for name, v in found.items()}


def test_match_report_html_is_self_contained_and_matches_the_screen(client, croatia):  # noqa: F811
    coach, match_id = croatia
    response = client.get(f"/api/coach/matches/{match_id}/report", headers=coach.headers)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "style-src 'unsafe-inline'" in response.headers["Content-Security-Policy"]
    assert "script-src" not in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    page = Page()
    page.feed(html)
    assert page.fetched == [] and page.scripts == 0
    assert not re.search(r"url\((?!#)|@import|https?://(?!www\.w3\.org/)", html)
    assert page.svgs >= 6  # the badge and five charts
    assert len(set(re.findall(r'id="([^"]+)"', html))) == len(re.findall(r'id="[^"]+"', html))
    screen = client.get(f"/api/coach/matches/{match_id}", headers=coach.headers).get_json()
    assert "Argentina 3-0 Croatia" in html
    for goal in screen["summary"]["goal_scorers"]:
        assert f"{goal['display_minute']}</td>" in html.replace("&#39;", "'")
        assert goal["scorer_name"] in html
    cells = stat_cells(html)
    compared = 0
    for leaves in screen["statistics"].values():
        for name, pair in leaves.items():
            ours, theirs = cells[name]
            assert (ours, theirs) == (str(pair["our_team"]), str(pair["opponent"])), name
            compared += 1
    assert compared > 10
    for side in ("our_team", "opponent_team"):
        for player in screen["lineup"][side]:
            assert player["player_name"] in html


def test_match_report_pdf_holds_the_teams_score_and_scorers(client, croatia):  # noqa: F811
    coach, match_id = croatia
    response = client.get(f"/api/coach/matches/{match_id}/report?format=pdf", headers=coach.headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Argentina 3-0 Croatia" in text
    for scorer in ("Lionel Andrés Messi Cuccittini", "Julián Álvarez"):
        assert scorer in text
    assert "34'" in text and "69'" in text
    etag = response.headers["ETag"]
    again = client.get(
        f"/api/coach/matches/{match_id}/report?format=pdf",
        headers={**coach.headers, "If-None-Match": etag},
    )
    assert again.status_code == 304


def pdf_pictures(data: bytes) -> list[tuple[int, int]]:
    """(width, height) of every distinct picture the PDF's pages show."""
    found = {}
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for name, ref in page["/Resources"].get("/XObject", {}).items():
            picture = ref.get_object()
            if picture["/Subtype"] == "/Image":
                found[ref.idnum if hasattr(ref, "idnum") else name] = (
                    picture["/Width"],
                    picture["/Height"],
                )
    return sorted(found.values())


def test_the_pdf_shows_the_charts_as_print_pictures_the_page_as_svg(client, croatia):  # noqa: F811
    coach, match_id = croatia
    url = f"/api/coach/matches/{match_id}/report"
    pdf = client.get(url + "?format=pdf", headers=coach.headers)
    # six team charts half the page wide and the xG race across it, ~200 pixels per inch
    assert pdf_pictures(pdf.data) == [(700, 518)] * 6 + [(1400, 770)]
    html = client.get(url, headers=coach.headers).get_data(as_text=True)
    assert "<img" not in html and html.count('<figure class="chart"><svg') == 7


def test_the_pdf_fetches_data_urls_only():
    from spinta.reports import inline_only

    fetch = inline_only()
    assert fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for url in ("file:///etc/hostname", "http://127.0.0.1:9/x.png", "https://example.org/x"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetch(url)


def test_player_report_html_and_pdf(client, app, croatia):  # noqa: F811
    coach, _match_id = croatia
    messi = squad_id(app, coach.club_id, MESSI)
    html = client.get(f"/api/coach/players/{messi}/report", headers=coach.headers)
    assert html.status_code == 200 and html.mimetype == "text/html"
    text = html.get_data(as_text=True)
    assert "Lionel Andrés Messi Cuccittini" in text and "Croatia" in text
    assert "invite" not in text.lower()  # nothing a parent should not see
    pdf = client.get(f"/api/coach/players/{messi}/report?format=pdf", headers=coach.headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf.data))
    assert "Lionel Andrés Messi Cuccittini" in reader.pages[0].extract_text()


def scope_line(html: str) -> str:
    return re.search(r'<p id="scope">([^<]*)</p>', html).group(1)


def opponents(html: str) -> set[str]:
    """The opponents of the matches the season report lists."""
    table = html[html.index('id="matches"') :]
    return set(re.findall(r"<tr><td>[0-9-]+</td><td>([^<]+)</td>", table))


def test_player_report_takes_the_team_and_season_as_the_screens(client, app, croatia):  # noqa: F811
    """Default: the latest season with a match of the team; `season_id` picks one, `all`
    every season; another club's team or season is 404, a malformed season 422."""
    coach, _match_id = croatia
    upload(client, coach, "argentina-mexico-2022-11-26.json", "2023-09-10")  # the next season
    seasons = client.get("/api/coach/seasons", headers=coach.headers).get_json()["seasons"]
    by_name = {s["name"]: s["season_id"] for s in seasons}
    messi = squad_id(app, coach.club_id, MESSI)
    url = f"/api/coach/players/{messi}/report"

    def report(**query) -> str:
        response = client.get(url, headers=coach.headers, query_string=query)
        assert response.status_code == 200, response.get_json()
        return response.get_data(as_text=True)

    latest = report()
    assert latest == report(season_id=by_name["2023/24"])
    assert ", 2023/24" in scope_line(latest) and opponents(latest) == {"Mexico"}
    earlier = report(season_id=by_name["2022/23"])
    assert ", 2022/23" in scope_line(earlier) and opponents(earlier) == {"Croatia"}
    every = report(season_id="all")
    assert "every season" in scope_line(every) and opponents(every) == {"Croatia", "Mexico"}
    screen = client.get(
        f"/api/coach/players/{messi}?season_id={by_name['2022/23']}", headers=coach.headers
    ).get_json()
    goals = screen["season_statistics"]["attacking"]["goals"]
    assert f'<tr><td>goals</td><td class="num">{goals}</td></tr>' in earlier
    pdf = client.get(url, headers=coach.headers, query_string={"format": "pdf", "season_id": "all"})
    text = pypdf.PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert pdf.status_code == 200 and "every season" in text
    stranger = register_coach(client, club_name="Croatia")
    upload(client, stranger)
    theirs = client.get("/api/coach/seasons", headers=stranger.headers).get_json()["seasons"][0]
    their_team = client.get("/api/coach/teams", headers=stranger.headers).get_json()["teams"][0]
    for query in ({"season_id": theirs["season_id"]}, {"team_id": their_team["team_id"]}):
        assert client.get(url, headers=coach.headers, query_string=query).status_code == 404
    bad = client.get(url, headers=coach.headers, query_string={"season_id": "last"})
    assert bad.status_code == 422 and "season_id" in bad.get_json()["errors"]


def test_a_staff_coach_gets_his_teams_season_report_never_the_admins(client, app, croatia):  # noqa: F811
    """The report's cache key holds the teams the coach sees: the admin's report of the first
    team is never served to a coach of the second (his default team), who gets 404 for the
    first team and for a player of no team he coaches."""
    admin, _match_id = croatia
    coach, first, messi = coach_of_a_second_team(client, app, admin)
    url = f"/api/coach/players/{messi}/report"
    theirs = {"team_id": first["team_id"]}
    for fmt in ("html", "pdf"):
        admins = client.get(url, headers=admin.headers, query_string={"format": fmt})
        assert admins.status_code == 200
        mine = client.get(url, headers=coach.headers, query_string={"format": fmt})
        assert mine.status_code == 200 and mine.data != admins.data
        asked = {**theirs, "format": fmt}
        assert client.get(url, headers=admin.headers, query_string=asked).status_code == 200
        assert client.get(url, headers=coach.headers, query_string=asked).status_code == 404
    html = client.get(url, headers=coach.headers).get_data(as_text=True)
    assert "(Reserves)" in scope_line(html) and opponents(html) == set()
    admins = client.get(url, headers=admin.headers).get_data(as_text=True)
    assert "Reserves" not in scope_line(admins) and opponents(admins) == {"Croatia"}
    alvarez = squad_id(app, admin.club_id, ALVAREZ)  # of the first team only
    other = f"/api/coach/players/{alvarez}/report"
    assert client.get(other, headers=admin.headers).status_code == 200
    assert client.get(other, headers=coach.headers).status_code == 404


def test_player_report_has_his_advanced_metrics(client, app, croatia):  # noqa: F811
    """The season table's progressive passes and carries and xT (total and per 90) and the
    match lines' columns are his values in the match, as the analysis computes them."""
    coach, _match_id = croatia
    report = analytics.analyse_match(
        orjson.loads(statsbomb_file(CROATIA).read_bytes()), club_name="Argentina"
    )
    stats = next(s for s in report.player_stats if s.player_id == MESSI and s.is_our_team)
    mine = report.advanced.player(stats.team_id, MESSI)
    messi = squad_id(app, coach.club_id, MESSI)
    text = client.get(f"/api/coach/players/{messi}/report", headers=coach.headers).get_data(
        as_text=True
    )
    rows = dict(
        (key, (total, per90))
        for key, total, per90 in re.findall(
            r'<tr data-stat="([a-z_]+)"><td>[^<]*</td><td class="num">([^<]*)</td>'
            r'<td class="num">([^<]*)</td></tr>',
            text,
        )
    )
    minutes = stats.minutes_played
    assert rows == {
        "progressive_passes": (
            str(mine["progressive_passes"]),
            f"{mine['progressive_passes'] * 90 / minutes:.2f}",
        ),
        "progressive_carries": (
            str(mine["progressive_carries"]),
            f"{mine['progressive_carries'] * 90 / minutes:.2f}",
        ),
        "expected_threat": (
            f"{mine['expected_threat']:.3f}",
            f"{mine['expected_threat'] * 90 / minutes:.3f}",
        ),
    }
    line = re.search(r'<table id="matches">.*?</table>', text, re.S).group(0)
    cells = re.findall(r'<td class="num">([^<]*)</td>', line)
    assert cells[-3:] == [
        str(mine["progressive_passes"]),
        str(mine["progressive_carries"]),
        f"{mine['expected_threat']:.3f}",
    ]


@pytest.mark.parametrize("path", ["matches/{match}/report", "players/{player}/report"])
def test_reports_are_club_scoped_and_check_their_format(client, app, croatia, path):  # noqa: F811
    coach, match_id = croatia
    url = "/api/coach/" + path.format(match=match_id, player=squad_id(app, coach.club_id, MESSI))
    stranger = register_coach(client, club_name="Somebody Else")
    assert client.get(url, headers=stranger.headers).status_code == 404
    bad = client.get(url + "?format=docx", headers=coach.headers)
    assert bad.status_code == 422 and "format" in bad.get_json()["errors"]


def test_exports_csv_and_json(client, app, croatia):  # noqa: F811
    coach, match_id = croatia
    as_json = client.get(f"/api/coach/matches/{match_id}/export", headers=coach.headers)
    assert as_json.status_code == 200
    body = as_json.get_json()
    screen = client.get(f"/api/coach/matches/{match_id}", headers=coach.headers).get_json()
    everyone = screen["lineup"]["our_team"] + screen["lineup"]["opponent_team"]
    assert len(body["rows"]) == len(everyone)
    assert body["columns"][:5] == ["player_id", "player_name", "team", "is_our_team", "is_starter"]
    assert {"goals", "expected_goals", "pass_completion_rate"} <= set(body["columns"])
    messi = next(r for r in body["rows"] if r["player_name"].startswith("Lionel"))
    assert messi["goals"] == 1 and messi["team"] == "Argentina"
    as_csv = client.get(f"/api/coach/matches/{match_id}/export?format=csv", headers=coach.headers)
    assert as_csv.status_code == 200 and as_csv.mimetype == "text/csv"
    assert "attachment" in as_csv.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(as_csv.get_data(as_text=True))))
    assert table[0] == body["columns"] and len(table) == len(body["rows"]) + 1
    player = squad_id(app, coach.club_id, MESSI)
    mine = client.get(f"/api/coach/players/{player}/export", headers=coach.headers).get_json()
    assert [r["opponent_name"] for r in mine["rows"]] == ["Croatia"]
    assert mine["rows"][0]["goals"] == 1
    bad = client.get(f"/api/coach/players/{player}/export?format=xlsx", headers=coach.headers)
    assert bad.status_code == 422
    stranger = register_coach(client, club_name="Somebody Else")
    assert (
        client.get(f"/api/coach/players/{player}/export", headers=stranger.headers).status_code
        == 404
    )


ADVANCED_COLUMNS = ["progressive_passes", "progressive_carries", "expected_threat"]


def test_exports_carry_the_advanced_metrics(client, app, croatia):  # noqa: F811
    """Both exports end with the player's advanced metrics (the catalogue's player entries);
    each team's players add up to the team's figure on the match screen."""
    coach, match_id = croatia
    body = client.get(f"/api/coach/matches/{match_id}/export", headers=coach.headers).get_json()
    assert body["columns"][-3:] == ADVANCED_COLUMNS
    screen = client.get(f"/api/coach/matches/{match_id}", headers=coach.headers).get_json()
    advanced = screen["statistics"]["advanced"]
    for is_ours, side in ((True, "our_team"), (False, "opponent")):
        rows = [r for r in body["rows"] if r["is_our_team"] is is_ours]
        for name in ("progressive_passes", "progressive_carries"):
            assert sum(r[name] for r in rows) == advanced[name][side] > 0, (name, side)
        threat = sum(r["expected_threat"] for r in rows)
        # exported to 3 decimals, as the screens show xT
        assert threat == pytest.approx(advanced["expected_threat"][side], abs=0.0005 * len(rows))
    messi = next(r for r in body["rows"] if r["player_name"].startswith("Lionel"))
    player = squad_id(app, coach.club_id, MESSI)
    mine = client.get(f"/api/coach/players/{player}/export", headers=coach.headers).get_json()
    assert mine["columns"][-3:] == ADVANCED_COLUMNS
    assert {k: mine["rows"][0][k] for k in ADVANCED_COLUMNS} == {
        k: messi[k] for k in ADVANCED_COLUMNS
    }
    as_csv = client.get(f"/api/coach/matches/{match_id}/export?format=csv", headers=coach.headers)
    table = list(csv.DictReader(io.StringIO(as_csv.get_data(as_text=True))))
    row = next(r for r in table if r["player_name"].startswith("Lionel"))
    assert float(row["progressive_passes"]) == messi["progressive_passes"]


def test_csv_cells_never_start_a_formula():
    from spinta.services.exports import as_csv

    out = as_csv(("player_name", "goals"), [{"player_name": "=HYPERLINK(1)", "goals": 2}])
    assert out.decode().splitlines()[1] == "'=HYPERLINK(1),2"


def test_report_command_writes_the_pdf(runner, croatia, tmp_path):  # noqa: F811
    _coach, match_id = croatia
    out = tmp_path / "report.pdf"
    result = runner.invoke(args=["spinta", "report", match_id, "--pdf", str(out)])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(str(out)).pages)
    assert "Argentina 3-0 Croatia" in text
    missing = runner.invoke(args=["spinta", "report", "00000000-0000-0000-0000-000000000000"])
    assert missing.exit_code != 0 and "No match" in missing.output
    bad = runner.invoke(args=["spinta", "report", "nope", "--pdf", str(out)])
    assert bad.exit_code != 0 and "not a UUID" in bad.output
