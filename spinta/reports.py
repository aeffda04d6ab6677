"""Printable reports: a match report and a player's season report, as one self-contained HTML
page (styles, charts as inline SVG, the club badge drawn inline: no external asset) or as a
PDF of that page (A4, selectable text).

The numbers are the screens' (the match screen's and the player screen's, dumped by their
response schemas), so a report never disagrees with the app. PDFs are made by WeasyPrint
(imported only when a PDF is asked for) with a URL fetcher that refuses every URL: nothing is
ever fetched while rendering. Reports are cached like the charts (keyed by the club's data
version) and carry an ETag.

A presentation module above the use cases (like the views): it renders the screens' response
schemas into a page, so it lives outside ``spinta.services`` (which never imports schemas).
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from flask import render_template
from markupsafe import Markup

from spinta.charts import DEFAULT_WIDTH, MATCH_KINDS
from spinta.errors import NotFound, ValidationFailed
from spinta.extensions import db
from spinta.models import Club
from spinta.schemas.screens import MatchDetailSchema, PlayerDetailSchema
from spinta.services import charts, exports, screens

REPORT_WIDTH = 700
MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
_PROLOGUE = re.compile(rb"^.*?(?=<svg)", re.S)


def inline_svg(svg: bytes, prefix: str) -> str:
    """An SVG document as an element of the page: no XML prologue, ids made unique."""
    body = _PROLOGUE.sub(b"", svg, count=1).decode("utf-8")
    body = body.replace('id="', f'id="{prefix}-')
    body = body.replace("url(#", f"url(#{prefix}-")
    return body.replace('href="#', f'href="#{prefix}-')


def initials(name: str) -> str:
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict:
    raise ValueError(f"reports fetch nothing: {url[:60]}")


def to_pdf(html: str) -> bytes:
    import weasyprint  # only when a PDF is asked for

    # WeasyPrint warns about every SVG presentation property it maps itself (hundreds a page).
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf()


def _chart(club: Club, match_id: uuid.UUID, kind: str, team: str) -> Markup | str:
    try:
        rendered = charts.match_chart(
            club=club, match_id=match_id, kind=kind, team=team, width=REPORT_WIDTH, fmt="svg"
        )
    except ValidationFailed as exc:  # a chart the match's file cannot give: its reason
        return Markup('<p class="no-chart">{}</p>').format(exc.detail)
    return inline_svg(rendered.body, f"{kind}-{team}")


def match_report_html(*, club: Club, match_id: uuid.UUID) -> str:
    detail = MatchDetailSchema().dump(screens.match_detail(club=club, match_id=match_id))
    pictures = {"xg-race": _chart(club, match_id, "xg-race", "our")}
    for kind in ("shot-map", "pass-network", "xt-by-zone"):
        for team in ("our", "opponent"):
            pictures[f"{kind}-{team}"] = _chart(club, match_id, kind, team)
    rows, seen = [], set()
    for leaves in detail["statistics"].values():  # a statistic some sections repeat: once
        for name, pair in leaves.items():
            if name not in seen:
                seen.add(name)
                if pair is None:  # the match's file cannot give it: "-" on both sides
                    rows.append((name, None, None))
                else:
                    rows.append((name, pair["our_team"], pair["opponent"]))
    our_name = detail["teams"]["our_club"]["club_name"]
    opponent_name = detail["teams"]["opponent"]["opponent_name"]
    return render_template(
        "reports/match.html",
        title=f"{our_name} {detail['match']['our_score']}-{detail['match']['opponent_score']}"
        f" {opponent_name}",
        m=detail,
        our_name=our_name,
        opponent_name=opponent_name,
        club_name=club.club_name,
        initials=initials(club.club_name),
        charts=pictures,
        statistics=rows,
    )


def _match_lines(club: Club, player_id: uuid.UUID) -> list[dict[str, Any]]:
    _columns, rows = exports.player_rows(club=club, player_id=player_id)
    return [
        {
            "match_date": row["match_date"],
            "opponent_name": row["opponent_name"],
            "score": f"{row['our_score']}-{row['opponent_score']}",
            "minutes": round(row["minutes_played"] or 0),
            "goals": row["goals"],
            "assists": row["assists"],
            "xg": f"{row['expected_goals'] or 0:.2f}",
            "passes": row["total_passes"],
        }
        for row in rows
    ]


def player_report_html(*, club: Club, player_id: uuid.UUID) -> str:
    detail = PlayerDetailSchema().dump(
        screens.player_detail(club=club, player_id=player_id, limit=1, offset=0)
    )
    radar = charts.radar(club=club, player_id=player_id, width=REPORT_WIDTH, fmt="svg")
    return render_template(
        "reports/player.html",
        title=f"{detail['player']['player_name']}: season report",
        p=detail,
        club_name=club.club_name,
        initials=initials(club.club_name),
        radar=inline_svg(radar.body, "radar"),
        matches=_match_lines(club, player_id),
    )


def _render(key: tuple, html: Any, fmt: str) -> charts.Rendered:
    def draw() -> tuple[bytes, str]:
        page = html()
        body = to_pdf(page) if fmt == "pdf" else page.encode("utf-8")
        return body, MEDIA_TYPES[fmt]

    return charts.cached(key, draw)


def match_report(*, club: Club, match_id: uuid.UUID, fmt: str) -> charts.Rendered:
    key = ("match-report", club.id, club.data_version, match_id, fmt)
    return _render(key, lambda: match_report_html(club=club, match_id=match_id), fmt)


def player_report(*, club: Club, player_id: uuid.UUID, fmt: str) -> charts.Rendered:
    key = ("player-report", club.id, club.data_version, player_id, fmt)
    return _render(key, lambda: player_report_html(club=club, player_id=player_id), fmt)


def prerender_match(club_id: uuid.UUID, match_id: uuid.UUID) -> int:
    """Draw a match's charts (every kind, both teams, default width, SVG) and its report (HTML
    and PDF) into the chart cache, so the coach's first look is a cache hit; returns how many
    entries it drew or found. For the jobs' "after upload" hook: needs an app context, and
    reaches other processes through the shared store (``CHART_CACHE_URL``). A match or club
    deleted meanwhile is no error (0)."""
    club = db.session.get(Club, club_id)
    if club is None:
        return 0
    try:
        charts.club_match(club.id, match_id)
    except NotFound:
        return 0
    done = 0
    for kind in MATCH_KINDS:
        for team in ("our", "opponent") if kind != "xg-race" else ("our",):
            try:
                charts.match_chart(
                    club=club,
                    match_id=match_id,
                    kind=kind,
                    team=team,
                    width=DEFAULT_WIDTH,
                    fmt="svg",
                )
            except ValidationFailed:  # the match's file cannot give this chart (no locations)
                continue
            done += 1
    for fmt in ("html", "pdf"):
        match_report(club=club, match_id=match_id, fmt=fmt)
        done += 1
    return done
