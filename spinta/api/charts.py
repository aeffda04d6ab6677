"""Charts, event locations, reports and exports (api.md "Charts, reports and exports").

The coach's under /api/coach, the player's own under /api/player. Charts answer SVG (default)
or PNG with an ETag and 304 to a matching ``If-None-Match``; matplotlib is imported only when a
chart is drawn (spinta.charts.render), never by another endpoint.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Response, g, request

from spinta import reports
from spinta.api.blueprint import Blueprint
from spinta.api.docs import COACH, PLAYER, errors
from spinta.charts import MATCH_KINDS, PLAYER_MATCH_KINDS
from spinta.errors import NotFound
from spinta.schemas.charts import (
    ChartQuerySchema,
    EventListSchema,
    EventQuerySchema,
    ExportQuerySchema,
    ExportSchema,
    MatchChartQuerySchema,
    PlayerReportQuerySchema,
    ReportQuerySchema,
    ScopedChartQuerySchema,
    SeasonChartQuerySchema,
)
from spinta.security import (
    coach_required,
    current_club,
    current_player,
    guarded_club_id,
    peek_login,
    player_required,
)
from spinta.services import charts, events, exports

F = TypeVar("F", bound=Callable[..., Any])

coach_blp = Blueprint(
    "coach_charts", __name__, description="Charts, event locations, reports and exports"
)
player_blp = Blueprint("player_charts", __name__, description="A player's own charts")

NO_MATCH = (404, "No such match in this club, or no such chart kind")
NO_PLAYER_MATCH = (
    404,
    "No such player or match in this club, he did not play in it, or no such chart kind",
)
NO_PLAYER = (404, "No such player in this club")
NO_SCOPED_PLAYER = (404, "No such player, team or season in this club")

_NOT_MODIFIED = {
    "description": "Not modified: the request's If-None-Match holds the current ETag",
    "headers": {"ETag": {"schema": {"type": "string"}}},
}
CHART_DOC = {
    "responses": {
        "200": {
            "description": "The chart (SVG by default, PNG with format=png)",
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": {
                "image/svg+xml": {"schema": {"type": "string"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        "304": _NOT_MODIFIED,
    },
}


def fast_cached(role: str) -> Callable[[F], F]:
    """Serve a chart or report already drawn without the role guard (one Core query), as
    ``spinta.screen_cache.screen`` does for the screens and with the same reasoning:
    the key holds the user, his club and its data version read before the view ran, and the
    raw query string; anything unusual and every miss go through the guarded view."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            cache = charts.chart_cache()
            if not cache.enabled:
                return view(*args, **kwargs)
            login = peek_login(role)
            if login is None:
                return view(*args, **kwargs)
            key = (
                "fast",
                request.endpoint,
                login.user_id,
                login.club_id,
                login.data_version,
                tuple(sorted(kwargs.items())),
                request.query_string,
            )
            found = cache.get(key)
            if found is not None:
                return chart_response(found)
            response = view(*args, **kwargs)
            rendered = getattr(g, "rendered", None)
            if rendered is not None and guarded_club_id() == login.club_id:
                cache.put(key, rendered, shared=False)
            return response

        return wrapper  # type: ignore[return-value]

    return decorate


def _kind(kind: str, kinds: Sequence[str]) -> str:
    if kind not in kinds:
        raise NotFound(f"No chart {kind[:40]!r}; the kinds are {', '.join(kinds)}.")
    return kind


def chart_response(rendered: charts.Rendered) -> Response:
    """The chart, or 304 when the client's If-None-Match holds its ETag."""
    g.rendered = rendered  # for fast_cached
    response = Response(rendered.body, mimetype=rendered.mimetype)
    response.set_etag(rendered.etag)
    if rendered.etag in request.if_none_match or request.if_none_match.star_tag:
        not_modified = Response(status=304)
        not_modified.set_etag(rendered.etag)
        return not_modified
    return response


@coach_blp.route("/matches/<uuid:match_id>/charts/<string:kind>", methods=["GET"])
@fast_cached("coach")
@coach_required
@coach_blp.arguments(MatchChartQuerySchema, location="query", as_kwargs=True)
@errors(coach_blp, NO_MATCH, query=True, auth=COACH)
@coach_blp.doc(**CHART_DOC)
def match_chart(match_id: uuid.UUID, kind: str, format: str, width: int, team: str):
    """A match chart: `shot-map`, `pass-network`, `xg-race` or `xt-by-zone` (team = our |
    opponent). 422 with the reason when the match's file cannot give it: a chart of where
    things happened for events without locations, the xG race when no shot has xG."""
    rendered = charts.match_chart(
        club=current_club(),
        match_id=match_id,
        kind=_kind(kind, MATCH_KINDS),
        team=team,
        width=width,
        fmt=format,
    )
    return chart_response(rendered)


@coach_blp.route("/matches/<uuid:match_id>/events", methods=["GET"])
@coach_required
@coach_blp.arguments(EventQuerySchema, location="query", as_kwargs=True)
@coach_blp.response(200, EventListSchema)
@errors(coach_blp, (404, "No such match in this club"), query=True, auth=COACH)
def match_events(match_id: uuid.UUID, limit: int, offset: int, type: str | None, player_id):
    """The match's neutral events with locations on the 120 x 80 pitch, our team attacking
    left to right (a page; filter by `type`, e.g. shot,pass, and by our `player_id`)."""
    return events.match_events(
        club=current_club(),
        match_id=match_id,
        types=type,
        player_id=player_id,
        limit=limit,
        offset=offset,
    )


# ---------------------------------------------------------------- a player's charts
# One registration serves the coach's (/api/coach/players/{player_id}/...) and the player's
# own (/api/player/...): they differ only in who is asked for and the query the radar takes.


def _coach_asks(player_id: uuid.UUID) -> tuple[Any, uuid.UUID]:
    return current_club(), player_id


def _player_asks(player_id: None = None) -> tuple[Any, uuid.UUID]:
    player = current_player()
    return player.club, player.id


def _player_charts(
    blp: Blueprint,
    *,
    prefix: str,
    role: str,
    guard: Callable[[F], F],
    asks: Callable[..., tuple[Any, uuid.UUID]],
    radar_query: type,
    not_found: tuple[tuple[int, str], tuple[int, str]],
    endpoints: tuple[str, str],
) -> None:
    auth = COACH if role == "coach" else PLAYER

    @blp.route(
        f"{prefix}/matches/<uuid:match_id>/charts/<string:kind>",
        methods=["GET"],
        endpoint=endpoints[0],
    )
    @fast_cached(role)
    @guard
    @blp.arguments(ChartQuerySchema, location="query", as_kwargs=True)
    @errors(blp, not_found[0], query=True, auth=auth)
    @blp.doc(**CHART_DOC)
    def match_chart(match_id: uuid.UUID, kind: str, format: str, width: int, **who: Any):
        """A player's chart of one match: `heatmap` (touches), `passes` or `shots`; 422 with
        the reason when the match's events have no locations (a tagging CSV without x, y)."""
        club, player_id = asks(**who)
        rendered = charts.player_match_chart(
            club=club,
            player_id=player_id,
            match_id=match_id,
            kind=_kind(kind, PLAYER_MATCH_KINDS),
            width=width,
            fmt=format,
        )
        return chart_response(rendered)

    @blp.route(f"{prefix}/charts/radar", methods=["GET"], endpoint=endpoints[1])
    @fast_cached(role)
    @guard
    @blp.arguments(radar_query, location="query", as_kwargs=True)
    @errors(blp, not_found[1], query=True, auth=auth)
    @blp.doc(**CHART_DOC)
    def radar(format: str, width: int, season_id=None, team_id=None, **who: Any):
        """A player's season radar: his per-90 numbers and rates as percentiles of the squad
        (the team's players in the season; `season_id` as the screens, `all`: every season)."""
        club, player_id = asks(**who)
        rendered = charts.radar(
            club=club,
            player_id=player_id,
            width=width,
            fmt=format,
            scope=(team_id, season_id),
        )
        return chart_response(rendered)


_player_charts(
    coach_blp,
    prefix="/players/<uuid:player_id>",
    role="coach",
    guard=coach_required,
    asks=_coach_asks,
    radar_query=ScopedChartQuerySchema,
    not_found=(NO_PLAYER_MATCH, NO_SCOPED_PLAYER),
    endpoints=("player_match_chart", "player_radar"),
)
_player_charts(
    player_blp,
    prefix="",
    role="player",
    guard=player_required,
    asks=_player_asks,
    radar_query=SeasonChartQuerySchema,
    not_found=(
        (404, "No such match, he did not play in it, or no such chart kind"),
        (404, "No such season"),
    ),
    endpoints=("own_match_chart", "own_radar"),
)


# ---------------------------------------------------------------- reports and exports

_PAGE = {"type": "string"}
REPORT_DOC = {
    "responses": {
        "200": {
            "description": "A self-contained HTML page (default) or, with format=pdf, a PDF",
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": {
                "text/html": {"schema": _PAGE},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        "304": _NOT_MODIFIED,
    }
}
EXPORT_DOC = {
    "responses": {
        "200": {
            "description": "JSON (default): the columns and one object a row; CSV with format=csv",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Export"}},
                "text/csv": {"schema": _PAGE},
            },
        }
    }
}


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@coach_blp.route("/matches/<uuid:match_id>/report", methods=["GET"])
@fast_cached("coach")
@coach_required
@coach_blp.arguments(ReportQuerySchema, location="query", as_kwargs=True)
@errors(coach_blp, (404, "No such match in this club"), query=True, auth=COACH)
@coach_blp.doc(**REPORT_DOC)
def match_report(match_id: uuid.UUID, format: str):
    """The printable match report: result, goals, team statistics, charts, lineups (A4)."""
    return chart_response(reports.match_report(club=current_club(), match_id=match_id, fmt=format))


@coach_blp.route("/players/<uuid:player_id>/report", methods=["GET"])
@fast_cached("coach")
@coach_required
@coach_blp.arguments(PlayerReportQuerySchema, location="query", as_kwargs=True)
@errors(coach_blp, NO_SCOPED_PLAYER, query=True, auth=COACH)
@coach_blp.doc(**REPORT_DOC)
def player_report(player_id: uuid.UUID, format: str, team_id=None, season_id=None):
    """A player's printable season report: season figures, ratings, radar, his matches of the
    season (`team_id` and `season_id` as the screens: default the coach's first team and its
    latest season with a match; `season_id=all`: every season)."""
    rendered = reports.player_report(
        club=current_club(), player_id=player_id, fmt=format, scope=(team_id, season_id)
    )
    return chart_response(rendered)


def _export(columns, rows, format: str, name: str):
    if format == "csv":
        return _download(exports.as_csv(columns, rows), "text/csv", f"{name}.csv")
    return {"columns": list(columns), "rows": rows}


@coach_blp.route("/matches/<uuid:match_id>/export", methods=["GET"])
@coach_required
@coach_blp.arguments(ExportQuerySchema, location="query", as_kwargs=True)
@coach_blp.response(200, ExportSchema)
@errors(coach_blp, (404, "No such match in this club"), query=True, auth=COACH)
@coach_blp.doc(**EXPORT_DOC)
def match_export(match_id: uuid.UUID, format: str):
    """The match's player statistics, one row per player of both teams (JSON or CSV)."""
    columns, rows = exports.match_rows(club=current_club(), match_id=match_id)
    return _export(columns, rows, format, f"match-{match_id}")


@coach_blp.route("/players/<uuid:player_id>/export", methods=["GET"])
@coach_required
@coach_blp.arguments(ExportQuerySchema, location="query", as_kwargs=True)
@coach_blp.response(200, ExportSchema)
@errors(coach_blp, NO_PLAYER, query=True, auth=COACH)
@coach_blp.doc(**EXPORT_DOC)
def player_export(player_id: uuid.UUID, format: str):
    """A player's statistics, one row per match he played (JSON or CSV)."""
    columns, rows = exports.player_rows(club=current_club(), player_id=player_id)
    return _export(columns, rows, format, f"player-{player_id}")
