"""Printable reports: a match report and a player's season report, as one self-contained HTML
page (styles, charts as inline SVG, the club badge drawn inline: no external asset) or as a
PDF of that page (A4, selectable text).

In the PDF the charts are pictures (PNG at about 200 pixels per inch of paper, embedded in
the page as ``data:`` URLs) rather than SVG: WeasyPrint styles and paints every element of an
inline SVG (thousands in a match report), which was three quarters of a PDF's time; matplotlib
rasterises the same figures in a fraction of it. The text of the report stays text.

The numbers are the screens' (the match screen's and the player screen's, dumped by their
response schemas), so a report never disagrees with the app. PDFs are made by WeasyPrint
(imported only when a PDF is asked for) with a URL fetcher that takes ``data:`` URLs only (the
page's own pictures): nothing is ever fetched while rendering. Reports are cached like the
charts (keyed by the club's data version) and carry an ETag.

A presentation module above the use cases (like the views): it renders the screens' response
schemas into a page, so it lives outside ``spinta.services`` (which never imports schemas).
"""

from __future__ import annotations

import base64
import logging
import re
import uuid
from typing import Any

from flask import render_template
from markupsafe import Markup, escape
from sqlalchemy import select

from spinta.charts import DEFAULT_WIDTH, MATCH_KINDS
from spinta.errors import NotFound, ValidationFailed
from spinta.extensions import db
from spinta.models import Club, Season, Team
from spinta.schemas.screens import MatchDetailSchema, PlayerDetailSchema
from spinta.security import visible_teams
from spinta.services import charts, development, exports, screens
from spinta.services.seasons import Scope, scope_for

REPORT_WIDTH = 700
# The PDF's pictures: a 7-inch figure (REPORT_WIDTH) at these dpi is about 200 pixels per inch
# on A4, whether it fills half the page's width (a team's chart) or all of it (the xG race).
HALF_DPI, FULL_DPI = 100, 200
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


def picture(rendered: charts.Rendered, alt: str) -> str:
    """A drawn PNG as an image of the page (a ``data:`` URL: the page stays self-contained)."""
    data = base64.b64encode(rendered.body).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}">'


def inline_only() -> Any:
    """WeasyPrint's URL fetcher for ``data:`` URLs only (the page's own pictures, decoded by
    the standard library); any other URL raises ValueError (WeasyPrint leaves it out)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))


def to_pdf(html: str) -> bytes:
    import weasyprint  # only when a PDF is asked for

    # WeasyPrint warns about every SVG presentation property it maps itself (the badge).
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint.HTML(string=html, url_fetcher=inline_only()).write_pdf()


def _chart(club: Club, match_id: uuid.UUID, kind: str, team: str, *, pdf: bool) -> Markup | str:
    """A match chart for the page: inline SVG, or for a PDF a PNG at print resolution; a chart
    the match's file cannot give (no locations, no xG) is its reason in a sentence."""
    size = {"club": club, "match_id": match_id, "kind": kind, "team": team, "width": REPORT_WIDTH}
    try:
        if not pdf:
            return inline_svg(charts.match_chart(**size, fmt="svg").body, f"{kind}-{team}")
        dpi = FULL_DPI if kind == "xg-race" else HALF_DPI
        rendered = charts.match_chart(**size, fmt="print", dpi=dpi)
    except ValidationFailed as exc:
        return Markup('<p class="no-chart">{}</p>').format(exc.detail)
    return picture(rendered, f"{kind.replace('-', ' ')}, {team}")


def match_report_html(*, club: Club, match_id: uuid.UUID, pdf: bool = False) -> str:
    """The match report page; ``pdf``: the page for the PDF (its charts as PNG pictures)."""
    detail = MatchDetailSchema().dump(screens.match_detail(club=club, match_id=match_id))
    pictures = {"xg-race": _chart(club, match_id, "xg-race", "our", pdf=pdf)}
    for kind in ("shot-map", "pass-network", "xt-by-zone"):
        for team in ("our", "opponent"):
            pictures[f"{kind}-{team}"] = _chart(club, match_id, kind, team, pdf=pdf)
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


def _match_lines(club: Club, player_id: uuid.UUID, scope: Scope) -> list[dict[str, Any]]:
    _columns, rows = exports.player_rows(club=club, player_id=player_id, scope=scope)
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
            "progressive_passes": _number(row["progressive_passes"], 0),
            "progressive_carries": _number(row["progressive_carries"], 0),
            "xt": _number(row["expected_threat"], 3),
        }
        for row in rows
    ]


def _number(value: Any, places: int) -> str:
    """A report cell: "-" for no value (a match stored before the metric, not recomputed; or
    no file of the season's matches gives the metric: data_source.missing_statistics)."""
    return "-" if value is None else f"{value:.{places}f}"


def _advanced_lines(club: Club, player_id: uuid.UUID, scope: Scope) -> list[dict[str, Any]]:
    """The season table's advanced rows: total and per 90 over the same team and season as
    the season figures (the report's team and season)."""
    places = {"expected_threat": 3}
    values = development.season_advanced(club.id, player_id, *scope.matches())
    return [
        {
            "key": key,
            "name": key.replace("_", " "),
            "total": _number(total, places.get(key, 0)),
            "per90": _number(per90, places.get(key, 2)),
        }
        for key, (total, per90) in values.items()
    ]


def scope_names(scope: Scope) -> tuple[str, str]:
    """The scope's team and season as the report names them (its defaults resolved)."""
    team = db.session.scalar(select(Team.name).where(Team.id == scope.team))
    if scope.season is None:
        return team or "", "every season"
    season = db.session.scalar(select(Season.name).where(Season.id == scope.season))
    return team or "", season or "no season yet"


def player_report_html(
    *, club: Club, player_id: uuid.UUID, scope: tuple[Any, Any] = (None, None), pdf: bool = False
) -> str:
    """His season report: ``scope`` is the (team_id, season_id) asked for, as the screens take
    them (a staff coach's default team is his first; another's team -> 404)."""
    resolved = scope_for(club.id, *scope)
    detail = PlayerDetailSchema().dump(
        screens.player_detail(club=club, player_id=player_id, limit=1, offset=0, scope=resolved)
    )
    size = {"club": club, "player_id": player_id, "width": REPORT_WIDTH, "scope": scope}
    if pdf:
        radar = picture(charts.radar(**size, fmt="print", dpi=HALF_DPI), "season radar")
    else:
        radar = inline_svg(charts.radar(**size, fmt="svg").body, "radar")
    team_name, season_name = scope_names(resolved)
    return render_template(
        "reports/player.html",
        title=f"{detail['player']['player_name']}: season report",
        p=detail,
        club_name=club.club_name,
        team_name=team_name,
        season_name=season_name,
        initials=initials(club.club_name),
        radar=radar,
        matches=_match_lines(club, player_id, resolved),
        advanced=_advanced_lines(club, player_id, resolved),
    )


def _render(key: tuple, html: Any, fmt: str) -> charts.Rendered:
    def draw() -> tuple[bytes, str]:
        page = html(pdf=fmt == "pdf")
        body = to_pdf(page) if fmt == "pdf" else page.encode("utf-8")
        return body, MEDIA_TYPES[fmt]

    return charts.cached(key, draw)


def match_report(*, club: Club, match_id: uuid.UUID, fmt: str) -> charts.Rendered:
    key = ("match-report", club.id, club.data_version, match_id, fmt)
    return _render(key, lambda pdf: match_report_html(club=club, match_id=match_id, pdf=pdf), fmt)


def player_report(
    *, club: Club, player_id: uuid.UUID, fmt: str, scope: tuple[Any, Any] = (None, None)
) -> charts.Rendered:
    # the teams the request's coach sees pick his default team and what he may ask for
    seen = visible_teams()
    key = ("player-report", club.id, club.data_version, player_id, *map(str, scope), seen, fmt)
    return _render(
        key,
        lambda pdf: player_report_html(club=club, player_id=player_id, scope=scope, pdf=pdf),
        fmt,
    )


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
