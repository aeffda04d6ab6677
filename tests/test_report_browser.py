"""The match report in a real browser: Debian's headless Chromium driven by Playwright's Python
client (no browser download: ``executable_path`` is the system's chromium).

The page must load with no console message and no page error, request nothing but itself,
show its five charts, and print the numbers the match screen gives. A full-page screenshot is
kept in tests/artifacts/ (ignored by git; CI keeps it as an artifact).
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import ROOT
from tests.test_charts import croatia  # noqa: F401 (fixture)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "tests" / "artifacts"
# Port of the throwaway server (0: any free one).
PORT = int(os.environ.get("SPINTA_TEST_BROWSER_PORT", "0"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (apt-get install chromium)"),
]


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", PORT, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_match_report_in_chromium(client, croatia, served):  # noqa: F811
    sync_api = pytest.importorskip("playwright.sync_api")
    coach, match_id = croatia
    screen = client.get(f"/api/coach/matches/{match_id}", headers=coach.headers).get_json()
    console, errors, requests = [], [], []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(
                extra_http_headers={"Authorization": f"Bearer {coach.token}"},
                viewport={"width": 900, "height": 1200},
            )
            page = context.new_page()
            page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            url = f"{served}/api/coach/matches/{match_id}/report"
            response = page.goto(url, wait_until="networkidle")
            assert response.status == 200
            charts = page.locator("figure.chart svg")
            assert charts.count() == 7  # shot maps, pass networks, xT by zone (both teams), xG race
            for n in range(5):
                box = charts.nth(n).bounding_box()
                assert charts.nth(n).is_visible() and box["width"] > 200 and box["height"] > 100
            shown = {
                cell.get_attribute("data-stat"): cell.inner_text()
                for cell in page.locator("td.ours[data-stat]").all()
            }
            theirs = {
                cell.get_attribute("data-stat"): cell.inner_text()
                for cell in page.locator("td.theirs[data-stat]").all()
            }
            heading = page.locator("h1").inner_text()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "match-report.png"), full_page=True)
        finally:
            browser.close()
    assert console == [] and errors == []
    assert requests == [url]  # the page itself, nothing else
    assert heading == "Argentina 3-0 Croatia"
    for leaves in screen["statistics"].values():
        for name, pair in leaves.items():
            assert shown[name] == str(pair["our_team"]), name
            assert theirs[name] == str(pair["opponent"]), name
