"""Charts of the club's matches and players: what to draw (club-scoped), cached, with ETags.

A chart is drawn from the match's stored raw events read back through the provider into
neutral events (`spinta.analytics.providers`), so it shows exactly what the statistics count.
Drawn charts live in a per-process LRU (``CHART_CACHE_ENTRIES``, default 512; 0 turns it
off) keyed by the club's ``data_version`` (see `spinta.screen_cache`): any write to the club's
data makes every older chart unreachable, nothing else does. The ETag is a digest of the bytes
(the drawing is deterministic), so it only changes when the picture does.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import structlog
from cachetools import LRUCache
from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import select

from spinta.analytics import domain
from spinta.analytics.catalogue import BY_KEY
from spinta.analytics.season import RATING_COMPONENTS, RATING_MIN_MINUTES, percentile_ranks
from spinta.charts import MEDIA_TYPES, data
from spinta.errors import NotFound, ValidationFailed
from spinta.extensions import db
from spinta.models import Club, Match, MatchLineup, Player, PlayerSeasonStatistics
from spinta.security import visible_teams
from spinta.services.seasons import Scope, player_views_from_rows, scope_for
from spinta.store.events import stored_match

_EXTENSION = "spinta.chart_cache"
log = structlog.get_logger(__name__)
MATCH_NOT_FOUND = "Match not found."
PLAYER_NOT_FOUND = "Player not found."
DID_NOT_PLAY = "This player did not play in this match."
NO_LOCATIONS = (
    "The {kind} chart needs where things happened, and this match's events have no "
    "locations (a tagging file without x and y): add x and y to the file and upload it again."
)
NO_XG = (
    "The xG race needs the shots' xG, and no shot of this match has one (the file gives "
    "neither xG nor shot locations for Spinta's shot model)."
)


def check_drawable(match: Match, neutral: domain.Match, kind: str) -> None:
    """A 422 with the reason when ``kind`` cannot be drawn from the events of a provider's
    match: every chart but the xG race needs locations, the xG race needs xG when there were
    shots. StatsBomb's files always have both (a chart of such a match is always drawn)."""
    if match.provider == "statsbomb":
        return
    if kind == "xg-race":
        shots = [e for e in neutral.events if e.type is domain.EventType.SHOT]
        if shots and all(getattr(e, "xg", None) is None for e in shots):
            raise ValidationFailed(NO_XG)
        return
    if all(e.x is None for e in neutral.events):
        raise ValidationFailed(NO_LOCATIONS.format(kind=kind))


# The radar's axes: the components of the attribute ratings (statistics.md), each once, as
# the season row stores them (per 90 or a rate), labelled from the statistic catalogue.
def _radar_axes() -> tuple[tuple[str, str], ...]:
    axes: dict[str, str] = {}
    for components in RATING_COMPONENTS.values():
        for kind, name in components:
            column = f"{name}_per90" if kind == "per90" else name
            label = BY_KEY[name].label if name in BY_KEY else name.replace("_", " ")
            axes.setdefault(column, label + (" p90" if kind == "per90" else ""))
    return tuple(axes.items())


RADAR_AXES = _radar_axes()


@dataclass(frozen=True)
class Rendered:
    body: bytes
    mimetype: str
    etag: str


class ChartCache:
    """A thread-safe LRU of drawn charts and reports (``flask run`` serves on threads), over an
    optional shared Redis store (``CHART_CACHE_URL``) that every worker process and the job
    worker read and fill, so a chart drawn once (or pre-rendered after an upload) is served
    by every process. A store that fails is skipped (the chart is drawn), never an error."""

    def __init__(self, entries: int, shared: Any = None, ttl: int = 7 * 86400) -> None:
        self._entries: LRUCache | None = LRUCache(maxsize=entries) if entries > 0 else None
        # neutral matches (whole, or the events of a chart kind), for a report's charts; a
        # whole match is ~13 MiB of objects: four at most, as before charts read parts
        self._matches: LRUCache = LRUCache(maxsize=4)
        self._lock = threading.Lock()
        self._shared = shared
        self._ttl = ttl

    @property
    def enabled(self) -> bool:
        return self._entries is not None

    @staticmethod
    def _shared_key(key: tuple) -> str:
        return "spinta:chart:" + hashlib.sha256(repr(key).encode()).hexdigest()

    def _shared_get(self, key: tuple) -> Rendered | None:
        if self._shared is None:
            return None
        try:
            stored = self._shared.get(self._shared_key(key))
        except RedisError:
            log.warning("chart_cache_unavailable")
            return None
        if not stored:
            return None
        mimetype, _, body = stored.partition(b"\n")
        return Rendered(body, mimetype.decode(), etag_of(body))

    def _shared_put(self, key: tuple, value: Rendered) -> None:
        if self._shared is None:
            return
        try:
            stored = value.mimetype.encode() + b"\n" + value.body
            self._shared.set(self._shared_key(key), stored, ex=self._ttl)
        except RedisError:
            log.warning("chart_cache_unavailable")

    def get(self, key: tuple) -> Rendered | None:
        if self._entries is not None:
            with self._lock:
                found = self._entries.get(key)
            if found is not None:
                return found
        found = self._shared_get(key)
        if found is not None and self._entries is not None:
            with self._lock:
                self._entries[key] = found
        return found

    def put(self, key: tuple, value: Rendered, *, shared: bool = True) -> None:
        if self._entries is not None:
            with self._lock:
                self._entries[key] = value
        if shared:
            self._shared_put(key, value)

    def peek_match(self, key: tuple) -> domain.Match | None:
        with self._lock:
            return self._matches.get(key)

    def match(self, key: tuple, load: Callable[[], domain.Match]) -> domain.Match:
        with self._lock:
            found = self._matches.get(key)
        if found is None:
            found = load()
            with self._lock:
                self._matches[key] = found
        return found

    def clear(self) -> None:
        """Forget this process's entries (the shared store's age out by themselves)."""
        with self._lock:
            if self._entries is not None:
                self._entries.clear()
            self._matches.clear()


def init_app(app: Flask) -> None:
    url = app.config.get("CHART_CACHE_URL") or ""
    shared = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5) if url else None
    app.extensions[_EXTENSION] = ChartCache(
        int(app.config.get("CHART_CACHE_ENTRIES", 512)),
        shared,
        int(app.config.get("CHART_CACHE_TTL_SECONDS", 7 * 86400)),
    )


def chart_cache() -> ChartCache:
    return current_app.extensions[_EXTENSION]


def etag_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No garbage collection while a chart or report is drawn. Reading a match keeps ~20k
    objects alive and a drawing makes thousands of figure objects: the collector's passes
    during a draw promoted them, and every few cold draws one of them was a full pass over the
    process's ~400k objects (0.3-0.5 s, measured by bench/charts.py). Paused, nothing is
    promoted mid-draw, the figures are freed young by the first pass after it, and full passes
    come seldom. Nested or concurrent pauses leave the collector as the outermost found it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cached(key: tuple, draw: Callable[[], tuple[bytes, str]]) -> Rendered:
    """The entry under ``key`` (which holds the club's data version), drawn on a miss (the
    collector paused: `gc_paused`)."""
    cache = chart_cache()
    found = cache.get(key)
    if found is None:
        with gc_paused():
            body, mimetype = draw()
        found = Rendered(body, mimetype, etag_of(body))
        cache.put(key, found)
    return found


# ---------------------------------------------------------------- loading


def club_match(club_id: uuid.UUID, match_id: uuid.UUID) -> Match:
    match = db.session.scalar(select(Match).where(Match.id == match_id, Match.club_id == club_id))
    if match is None:
        raise NotFound(MATCH_NOT_FOUND)
    return match


# The events each chart kind draws from (`spinta.charts.data`), read alone for a cold chart;
# a kind not listed reads every event (a pass network looks for each pass's receiver, a
# heatmap takes nearly every type).
_SHOTS = frozenset({"Shot", "Own Goal Against", "Own Goal For"})
KIND_EVENTS: dict[str, frozenset[str]] = {
    "shot-map": _SHOTS,
    "xg-race": _SHOTS,
    "shots": _SHOTS,
    "xt-by-zone": frozenset({"Pass", "Carry"}),
    "passes": frozenset({"Pass"}),
}
# The kinds that draw one team's events only (the shot map also shows the other's own goals).
TEAM_KINDS = frozenset({"xt-by-zone"})


def neutral_match(
    match: Match,
    data_version: uuid.UUID,
    kind: str | None = None,
    player: int | None = None,
    team: int | None = None,
) -> domain.Match:
    """The stored raw events read again by the provider (cached per data version): those
    ``kind`` draws from (`KIND_EVENTS`), for a player's chart his own (``player``) and for a
    team's chart of `TEAM_KINDS` the team's (``team``: the provider's ids); or all of them
    (once read, used for any kind)."""
    cache = chart_cache()
    whole = (match.id, data_version, None, None, None)
    types = KIND_EVENTS.get(kind or "")
    team = team if kind in TEAM_KINDS else None
    if types is None and player is None:
        return cache.match(whole, lambda: stored_match(match))
    if (found := cache.peek_match(whole)) is not None:
        return found
    key = (match.id, data_version, types, player, team)
    return cache.match(key, lambda: stored_match(match, types, player, team))


def chart_events(
    match: Match, data_version: uuid.UUID, kind: str, player: int | None = None, **team: int
) -> domain.Match:
    """The events a chart of ``kind`` draws from: a StatsBomb match's read for the kind only
    (`neutral_match`); another provider's whole, so that `check_drawable` judges all its events
    (a team without a shot still gets its empty shot map, not "no locations")."""
    if match.provider == "statsbomb":
        return neutral_match(match, data_version, kind, player, **team)
    neutral = neutral_match(match, data_version)
    check_drawable(match, neutral, kind)
    return neutral


def club_player(club_id: uuid.UUID, player_id: uuid.UUID) -> Player:
    player = db.session.scalar(
        select(Player).where(Player.id == player_id, Player.club_id == club_id)
    )
    if player is None:
        raise NotFound(PLAYER_NOT_FOUND)
    return player


def match_player_id(match: Match, player: Player) -> int:
    """The provider's id of our player in this match (404 when he did not play)."""
    found = db.session.scalar(
        select(MatchLineup.external_id).where(
            MatchLineup.match_id == match.id, MatchLineup.player_id == player.id
        )
    )
    if found is None:
        raise NotFound(DID_NOT_PLAY)
    return found


# ---------------------------------------------------------------- match charts


def _team_names(match: Match, neutral: domain.Match) -> dict[int, str]:
    return {team.id: team.name for team in neutral.teams}


def draw_match_chart(
    match: Match,
    neutral: domain.Match,
    kind: str,
    team: str,
    width: int,
    fmt: str,
    dpi: int = 100,
) -> bytes:
    from spinta.charts import render  # matplotlib: only when a chart is drawn

    ours, theirs = match.our_external_id, match.opponent_external_id
    names = _team_names(match, neutral)
    team_id, color = (ours, render.OURS) if team == "our" else (theirs, render.THEIRS)
    name = names.get(team_id, "Opponent" if team != "our" else "Our team")
    if kind == "shot-map":
        shots = data.shots(neutral, team_id)
        return render.shot_map(
            shots, title=f"{name}: shots", color=color, width=width, fmt=fmt, dpi=dpi
        )
    if kind == "xt-by-zone":
        cells = data.xt_by_zone(neutral, team_id)
        return render.xt_by_zone(cells, title=f"{name}: xT by zone", width=width, fmt=fmt, dpi=dpi)
    if kind == "pass-network":
        network = data.pass_network(neutral, team_id)
        return render.pass_network(
            network, title=f"{name}: pass network", color=color, width=width, fmt=fmt, dpi=dpi
        )
    teams = [
        (names.get(ours, "Our team"), data.xg_race(neutral, ours), render.OURS),
        (names.get(theirs, match.opponent_name), data.xg_race(neutral, theirs), render.THEIRS),
    ]
    score = f"{match.our_score}-{match.opponent_score}"
    return render.xg_race(teams, title=f"xG race ({score})", width=width, fmt=fmt, dpi=dpi)


def match_chart(
    *, club: Club, match_id: uuid.UUID, kind: str, team: str, width: int, fmt: str, dpi: int = 100
) -> Rendered:
    """``fmt`` "svg" or "png" (the API's), or "print" (an opaque PNG for a PDF page); ``dpi``
    its resolution (100: ``width`` pixels wide)."""
    if kind == "xg-race":
        team = "our"  # both teams on one chart: one entry
    key = ("match", club.id, club.data_version, match_id, kind, team, width, fmt, dpi)
    if (found := chart_cache().get(key)) is not None:
        return found

    def draw() -> tuple[bytes, str]:
        match = club_match(club.id, match_id)
        side = match.our_external_id if team == "our" else match.opponent_external_id
        neutral = chart_events(match, club.data_version, kind, team=side)
        body = draw_match_chart(match, neutral, kind, team, width, fmt, dpi)
        return body, MEDIA_TYPES[fmt]

    return cached(key, draw)


# ---------------------------------------------------------------- player charts


def draw_player_match_chart(
    neutral: domain.Match, provider_id: int, name: str, kind: str, width: int, fmt: str
) -> bytes:
    from spinta.charts import render

    if kind == "heatmap":
        points = data.touches(neutral, provider_id)
        return render.heatmap(points, title=f"{name}: touches", width=width, fmt=fmt)
    if kind == "passes":
        lines = data.passes(neutral, provider_id)
        return render.passes(lines, title=f"{name}: passes", width=width, fmt=fmt)
    team_id = data.team_of_player(neutral, provider_id)
    shots = data.shots(neutral, team_id, player_id=provider_id) if team_id is not None else []
    return render.shot_map(shots, title=f"{name}: shots", color=render.OURS, width=width, fmt=fmt)


def player_match_chart(
    *, club: Club, player_id: uuid.UUID, match_id: uuid.UUID, kind: str, width: int, fmt: str
) -> Rendered:
    key = ("player-match", club.id, club.data_version, player_id, match_id, kind, width, fmt)
    if (found := chart_cache().get(key)) is not None:
        return found

    def draw() -> tuple[bytes, str]:
        player = club_player(club.id, player_id)
        match = club_match(club.id, match_id)
        provider_id = match_player_id(match, player)
        neutral = chart_events(match, club.data_version, kind, provider_id)
        body = draw_player_match_chart(neutral, provider_id, player.player_name, kind, width, fmt)
        return body, MEDIA_TYPES[fmt]

    return cached(key, draw)


def radar_values(scope: Scope, player: Player) -> tuple[list[float], str]:
    """His percentile (0-100) on each radar axis among the players of the scope's team and
    season (the screens' rows; all-time: summed over seasons) with at least
    RATING_MIN_MINUTES minutes (statistics.md); a player under the minimum is ranked among
    them too, and the subtitle says his numbers are indicative."""
    rows = db.session.scalars(
        select(PlayerSeasonStatistics).where(*scope.rows(PlayerSeasonStatistics))
    )
    views = player_views_from_rows(rows)
    mine = views.get(player.id)
    pool = [
        row
        for pid, row in views.items()
        if (row.minutes_played or 0) >= RATING_MIN_MINUTES and pid != player.id
    ]
    minutes = (mine.minutes_played or 0) if mine is not None else 0
    eligible = minutes >= RATING_MIN_MINUTES
    pool.append(mine)
    values = []
    for column, _label in RADAR_AXES:
        column_values = [getattr(row, column) if row is not None else None for row in pool]
        ranks = percentile_ranks(column_values)
        values.append(float(ranks[-1] * 100) if column_values[-1] is not None else 0)
    squad = len(pool) - (0 if eligible else 1)
    subtitle = f"Percentiles among {squad} squad players with {RATING_MIN_MINUTES:g}+ minutes"
    if not eligible:
        subtitle += f"; he has {round(minutes)} minutes, so his are indicative"
    return values, subtitle


def radar(
    *,
    club: Club,
    player_id: uuid.UUID,
    width: int,
    fmt: str,
    scope: tuple[Any, Any] = (None, None),
    dpi: int = 100,
) -> Rendered:
    """``scope``: the (team_id, season_id) asked for, as the screens take them (None: the
    club's first team or the coach's first, its latest season with a match; season ``all``:
    every season); ``fmt`` and ``dpi`` as `match_chart`'s."""
    # the teams the request's coach sees (None: all) pick his default team and what he may ask
    seen = visible_teams()
    key = ("radar", club.id, club.data_version, player_id, *map(str, scope), seen, width, fmt, dpi)
    if (found := chart_cache().get(key)) is not None:
        return found

    def draw() -> tuple[bytes, str]:
        from spinta.charts import render

        player = club_player(club.id, player_id)
        values, subtitle = radar_values(scope_for(club.id, *scope), player)
        labels = [label for _column, label in RADAR_AXES]
        body = render.radar(
            labels,
            values,
            title=f"{player.player_name}: season radar",
            subtitle=subtitle,
            width=width,
            fmt=fmt,
            dpi=dpi,
        )
        return body, MEDIA_TYPES[fmt]

    return cached(key, draw)
