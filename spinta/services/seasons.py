"""Season aggregates per team and season, kept up to date one match at a time.

Each (team, season) has one club row (ClubSeasonStatistics) and one row per player who played
(PlayerSeasonStatistics). They hold additive sums: an upload adds its match's share
(:func:`apply_match`), a delete takes it away (:func:`subtract_match`), reading only that
match's rows and the rows of its team and season (the squad), so the cost does not grow with
the club's history. :func:`recompute_team_season` rebuilds the same rows from every stored
match (``flask spinta recompute-stats``, re-analysis, moved season boundaries); the two agree
(tests/test_season_totals.py, a property test over random upload/delete sequences).
All-time is the aggregate of a team's season rows (:func:`club_view`, :func:`player_views`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, Uuid, bindparam, case, delete, func, select, tuple_

from spinta import analytics
from spinta.analytics.totals import (
    CLUB_TOTAL_FIELDS,
    add_player_totals,
    add_totals,
    club_match_totals,
    club_season_from_totals,
    team_form,
)
from spinta.errors import NotFound
from spinta.extensions import db
from spinta.models import (
    ClubSeasonStatistics,
    Match,
    MatchStatistics,
    PlayerMatchStatistics,
    PlayerSeasonStatistics,
    Season,
    Team,
)
from spinta.security import UNSEEN_ID, visible_teams
from spinta.store.copy import insert_rows

_TEAM_COLUMNS = [getattr(MatchStatistics, name) for name in analytics.TEAM_STAT_FIELDS]
# Summed per player by the database (SUM skips NULLs; a player's all-NULL sum counts as 0).
_PLAYER_SUMS = [
    getattr(PlayerMatchStatistics, name)
    for name in ("minutes_played", *analytics.PLAYER_COUNT_FIELDS)
]
FORM_LENGTH = 5


# ---------------------------------------------------------------- reading stored matches


def _club_matches(*conditions: Any) -> list[tuple[Any, analytics.ClubMatch]]:
    """(match id, ClubMatch) for the matches meeting ``conditions`` (our team's rows)."""
    assists = (
        select(
            PlayerMatchStatistics.match_id,
            func.sum(PlayerMatchStatistics.assists).label("assists"),
        )
        .where(PlayerMatchStatistics.is_our_team.is_(True))
        .group_by(PlayerMatchStatistics.match_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Match.id,
            Match.match_date,
            Match.created_at,
            Match.our_score,
            Match.opponent_score,
            Match.result,
            func.coalesce(assists.c.assists, 0).label("assists"),
            *_TEAM_COLUMNS,
        )
        .join(
            MatchStatistics,
            (MatchStatistics.match_id == Match.id) & MatchStatistics.is_our_team.is_(True),
        )
        .outerjoin(assists, assists.c.match_id == Match.id)
        .where(*conditions)
    ).all()
    return [
        (
            row.id,
            analytics.ClubMatch(
                match_date=row.match_date,
                upload_order=row.created_at,
                our_score=row.our_score,
                opponent_score=row.opponent_score,
                result=row.result,
                assists=int(row.assists or 0),
                team_stats={name: getattr(row, name) for name in analytics.TEAM_STAT_FIELDS},
            ),
        )
        for row in rows
    ]


def _player_sums(*conditions: Any) -> dict[uuid.UUID, analytics.PlayerTotals]:
    """Each of our players' sums over the matches meeting ``conditions`` (added up by the
    database: one row per player comes back)."""
    rows = db.session.execute(
        select(
            PlayerMatchStatistics.player_id,
            func.count().label("matches"),
            func.sum(case((PlayerMatchStatistics.is_starter, 1), else_=0)).label("starts"),
            *(func.sum(column).label(column.key) for column in _PLAYER_SUMS),
        )
        .join(Match, Match.id == PlayerMatchStatistics.match_id)
        .where(*conditions, PlayerMatchStatistics.player_id.is_not(None))
        .group_by(PlayerMatchStatistics.player_id)
    ).all()
    return {
        row.player_id: analytics.PlayerTotals(
            matches=row.matches,
            starts=int(row.starts or 0),
            minutes=row.minutes_played or 0.0,
            totals={name: getattr(row, name) or 0 for name in analytics.PLAYER_COUNT_FIELDS},
        )
        for row in rows
    }


def _form(*conditions: Any) -> str:
    """The last results of the matches meeting ``conditions``, most recent first."""
    results = db.session.scalars(
        select(Match.result)
        .where(*conditions)
        .order_by(Match.match_date.desc(), Match.created_at.desc())
        .limit(FORM_LENGTH)
    )
    return team_form(results)


def _in_team_season(team_id: uuid.UUID, season_id: uuid.UUID) -> tuple[Any, Any]:
    return Match.team_id == team_id, Match.season_id == season_id


# ---------------------------------------------------------------- writing season rows


def _club_values(totals: dict[str, float], form: str) -> dict[str, Any]:
    season = club_season_from_totals(totals, form)
    return {**season.to_dict(), **{name: totals.get(name) or 0 for name in CLUB_TOTAL_FIELDS}}


def _write_club_row(
    club_id: uuid.UUID, team_id: uuid.UUID, season_id: uuid.UUID, totals: dict[str, float]
) -> None:
    """Store the team's season sums (and what derives from them); no matches -> no row."""
    existing = db.session.get(ClubSeasonStatistics, (team_id, season_id))
    if (totals.get("matches_played") or 0) <= 0:
        if existing is not None:
            db.session.delete(existing)
        return
    values = _club_values(totals, _form(*_in_team_season(team_id, season_id)))
    if existing is None:
        db.session.add(
            ClubSeasonStatistics(club_id=club_id, team_id=team_id, season_id=season_id, **values)
        )
        return
    for name, value in values.items():
        setattr(existing, name, value)


def _player_values(season: analytics.PlayerSeason) -> dict[str, Any]:
    return {
        "matches_played": season.matches_played,
        "starts": season.starts,
        "minutes_played": season.minutes_played,
        **season.totals,
        **season.rates,
        **{f"{name}_per90": value for name, value in season.per90.items()},
        **season.ratings(),
    }


def _write_player_rows(
    club_id: uuid.UUID,
    team_id: uuid.UUID,
    season_id: uuid.UUID,
    sums: dict[uuid.UUID, analytics.PlayerTotals],
) -> None:
    """Replace the team-season's player rows (ratings rank its players against each other)."""
    db.session.execute(
        delete(PlayerSeasonStatistics).where(
            PlayerSeasonStatistics.team_id == team_id,
            PlayerSeasonStatistics.season_id == season_id,
        )
    )
    seasons = analytics.player_seasons({k: v for k, v in sums.items() if v.matches > 0})
    if not seasons:
        return
    insert_rows(
        PlayerSeasonStatistics.__table__,
        [
            {
                "player_id": season.player_id,
                "team_id": team_id,
                "season_id": season_id,
                "club_id": club_id,
                **_player_values(season),
            }
            for season in seasons.values()
        ],
    )


def _stored_player_sums(
    team_id: uuid.UUID, season_id: uuid.UUID | None
) -> dict[uuid.UUID, analytics.PlayerTotals]:
    """The player sums stored for a team and season (every season: None), added up."""
    query = select(PlayerSeasonStatistics).where(PlayerSeasonStatistics.team_id == team_id)
    if season_id is not None:
        query = query.where(PlayerSeasonStatistics.season_id == season_id)
    sums: dict[uuid.UUID, analytics.PlayerTotals] = {}
    for row in db.session.scalars(query):
        sums[row.player_id] = add_player_totals(sums.get(row.player_id), _row_totals(row))
    return sums


def _row_totals(row: PlayerSeasonStatistics | Row) -> analytics.PlayerTotals:
    """A season row's sums: a mapped row, or a plain one (read through its mapping, five times
    faster than its attributes)."""
    values: Any = row._mapping if isinstance(row, Row) else None
    if values is None:
        return analytics.PlayerTotals(
            matches=row.matches_played or 0,
            starts=row.starts or 0,
            minutes=row.minutes_played or 0.0,
            totals={name: getattr(row, name) or 0 for name in analytics.PLAYER_COUNT_FIELDS},
        )
    return analytics.PlayerTotals(
        matches=values["matches_played"] or 0,
        starts=values["starts"] or 0,
        minutes=values["minutes_played"] or 0.0,
        totals={name: values[name] or 0 for name in analytics.PLAYER_COUNT_FIELDS},
    )


# ---------------------------------------------------------------- one match in or out


@dataclass
class MatchShare:
    """What one stored match adds to its team's season rows."""

    club_id: uuid.UUID
    team_id: uuid.UUID
    season_id: uuid.UUID
    club: dict[str, float]
    players: dict[uuid.UUID, analytics.PlayerTotals] = field(default_factory=dict)


def match_share(match_id: uuid.UUID) -> MatchShare:
    """Read one match's share (its own rows only)."""
    db.session.flush()
    match = db.session.get(Match, match_id)
    ((_, club_match),) = _club_matches(Match.id == match_id)
    return MatchShare(
        club_id=match.club_id,
        team_id=match.team_id,
        season_id=match.season_id,
        club=club_match_totals(club_match),
        players=_player_sums(Match.id == match_id),
    )


def apply_share(share: MatchShare, sign: int = 1) -> None:
    """Add (sign 1) or take away (sign -1) one match's share; the caller commits."""
    db.session.flush()
    key = (share.team_id, share.season_id)
    row = db.session.get(ClubSeasonStatistics, key)
    base = {name: getattr(row, name) for name in CLUB_TOTAL_FIELDS} if row is not None else {}
    _write_club_row(share.club_id, *key, add_totals(base, share.club, sign))
    sums = _stored_player_sums(*key)
    for player_id, change in share.players.items():
        sums[player_id] = add_player_totals(sums.get(player_id), change, sign)
    _write_player_rows(share.club_id, *key, sums)


def apply_match(match_id: uuid.UUID) -> None:
    """A newly stored match into its team's season rows."""
    apply_share(match_share(match_id), 1)


def subtract_match(share: MatchShare) -> None:
    """A deleted match (its share read before the delete) out of its season rows."""
    apply_share(share, -1)


# ---------------------------------------------------------------- full recompute


def recompute_team_season(club_id: uuid.UUID, team_id: uuid.UUID, season_id: uuid.UUID) -> None:
    """A team's season rows from every stored match of that team and season; no commit."""
    db.session.flush()
    conditions = (Match.club_id == club_id, *_in_team_season(team_id, season_id))
    totals: dict[str, float] = {}
    for _, club_match in _club_matches(*conditions):
        totals = add_totals(totals, club_match_totals(club_match))
    _write_club_row(club_id, team_id, season_id, totals)
    _write_player_rows(club_id, team_id, season_id, _player_sums(*conditions))


def recompute_club(club_id: uuid.UUID, pairs: Iterable[tuple[Any, Any]] | None = None) -> int:
    """Rebuild the club's season rows (only ``pairs`` of (team, season) when given, else every
    pair); rows of pairs without matches go. Returns the number of pairs rebuilt."""
    db.session.flush()
    with_matches = set(
        db.session.execute(
            select(Match.team_id, Match.season_id).where(Match.club_id == club_id).distinct()
        ).all()
    )
    wanted = with_matches if pairs is None else set(pairs)
    for model in (ClubSeasonStatistics, PlayerSeasonStatistics):
        stale = delete(model).where(model.club_id == club_id)
        if pairs is not None:
            stale = stale.where(tuple_(model.team_id, model.season_id).in_(list(wanted)))
        db.session.execute(stale)
    for team_id, season_id in sorted(wanted & with_matches, key=str):
        recompute_team_season(club_id, team_id, season_id)
    return len(wanted & with_matches)


def recompute_season(club_id: uuid.UUID) -> None:
    """Every season row of the club from its matches (the full recompute); no commit."""
    recompute_club(club_id)


# ---------------------------------------------------------------- reading (screens)


def default_team_id(club_id: Any) -> Any:
    """The club's default team (its first) as a scalar subquery, to embed in a screen's query."""
    return (
        select(Team.id)
        .where(Team.club_id == club_id)
        .order_by(Team.created_at, Team.id)
        .limit(1)
        .scalar_subquery()
    )


def club_view_from_rows(
    rows: Iterable[ClubSeasonStatistics], form: str
) -> ClubSeasonStatistics | None:
    """The aggregate of a team's season rows (all-time, or any span of seasons), with the form
    of its last matches; None without rows. A transient row (never added to the session)."""
    totals: dict[str, float] = {}
    for row in rows:
        totals = add_totals(totals, {name: getattr(row, name) for name in CLUB_TOTAL_FIELDS})
    if not totals:
        return None
    return ClubSeasonStatistics(**_club_values(totals, form))


def team_form_of(team_id: Any) -> str:
    """The last results of a team over every season."""
    return _form(Match.team_id == team_id)


class PlayerViews(Mapping[uuid.UUID, PlayerSeasonStatistics]):
    """Player id -> his transient season row, built when first asked for: a screen of one
    player rates him against the whole team (every player's season is computed) but reads one
    row, and building a mapped row per player was a fifth of a cold player detail. Only the
    ratings are computed for everyone; a player's other figures when his row is asked for."""

    def __init__(self, sums: dict[uuid.UUID, analytics.PlayerTotals]) -> None:
        self._sums = sums
        self._ratings = analytics.player_ratings(sums)
        self._rows: dict[uuid.UUID, PlayerSeasonStatistics] = {}

    def __getitem__(self, player_id: uuid.UUID) -> PlayerSeasonStatistics:
        row = self._rows.get(player_id)
        if row is None:
            ratings = self._ratings.get(player_id, {})
            season = analytics.player_season(player_id, self._sums[player_id], ratings)
            row = PlayerSeasonStatistics(player_id=player_id, **_player_values(season))
            self._rows[player_id] = row
        return row

    def __iter__(self) -> Iterator[uuid.UUID]:
        return iter(self._sums)

    def __len__(self) -> int:
        return len(self._sums)


def player_views_from_rows(rows: Iterable[Any]) -> PlayerViews:
    """Each player's aggregate of the given season rows (mapped rows, or rows of
    `season_sum_columns`), rated against the players of the same rows (a team over every
    season). Transient rows."""
    sums: dict[uuid.UUID, analytics.PlayerTotals] = {}
    for row in rows:
        base = sums.get(row.player_id)
        totals = _row_totals(row)
        # a first row is its own sum: _row_totals already turned None (and -0.0) into 0
        sums[row.player_id] = totals if base is None else add_player_totals(base, totals)
    return PlayerViews(sums)


def season_sum_columns() -> tuple[Any, ...]:
    """The season row columns a player's view is made of (`_row_totals`): read as plain
    rows, not mapped ones (a team's rows are read on every cold screen)."""
    model = PlayerSeasonStatistics
    return (
        model.player_id,
        model.matches_played,
        model.starts,
        model.minutes_played,
        *(getattr(model, name) for name in analytics.PLAYER_COUNT_FIELDS),
    )


def scope_sums(scope: Scope) -> list[Any]:
    """The scope's season rows, the columns of `season_sum_columns` (one query)."""
    model = PlayerSeasonStatistics
    return db.session.execute(select(*season_sum_columns()).where(*scope.rows(model))).all()


def player_views(club_id: uuid.UUID) -> PlayerViews:
    """The default view of every player of the club: his all-time row in the default team."""
    rows = db.session.scalars(
        select(PlayerSeasonStatistics).where(
            PlayerSeasonStatistics.team_id == default_team_id(club_id)
        )
    )
    return player_views_from_rows(rows)


def club_view(club_id: uuid.UUID) -> ClubSeasonStatistics:
    """The default view of the club: its default team over every season (zeros without
    matches). A transient row."""
    team = db.session.scalar(
        select(Team.id).where(Team.club_id == club_id).order_by(Team.created_at, Team.id).limit(1)
    )
    rows = db.session.scalars(
        select(ClubSeasonStatistics).where(ClubSeasonStatistics.team_id == team)
    ).all()
    season = club_view_from_rows(rows, team_form_of(team) if rows else "")
    return season if season is not None else ClubSeasonStatistics(**_club_values({}, ""))


# ---------------------------------------------------------------- what a screen shows

TEAM_NOT_FOUND = "Team not found."
SEASON_NOT_FOUND = "Season not found."
ALL_SEASONS = "all"


@dataclass(frozen=True)
class Scope:
    """A screen's team and season: ids, or scalar subqueries (the defaults, resolved inside
    the screen's own queries so they cost no statement); ``season`` None means every season."""

    team: Any
    season: Any
    # Set by `scope_for` and `asked_scope`: the club asked for (a default team is its first
    # team, a subquery) and whether ``season`` is the team's latest season (a subquery); they
    # let `scoped_statement` build a default scope's statements once, like a scope of ids.
    club: Any = field(default=None, compare=False)
    latest: bool = field(default=False, compare=False)
    # Set by `asked_scope` only: the ownership columns (`owned_columns`) the screen's first
    # statement reads instead of a statement of their own; `verify` checks them.
    checks: tuple[Any, ...] = field(default=(), compare=False)

    def verify(self, row: Any) -> None:
        """After the screen's first statement (``row``: one of its rows with the ``checks``
        columns; None when it gave none): a team or season of another club is not found (404)
        exactly as `scope_for` answers it; nothing to do for a scope checked already."""
        if not self.checks:
            return
        owned = None if row is None else (row._mapping["team"], row._mapping["season"])
        scope_for(self.club, self.team, self.season, owned=owned)

    def matches(self) -> list[Any]:
        """Conditions selecting the scope's matches."""
        conditions = [Match.team_id == self.team]
        if self.season is not None:
            conditions.append(Match.season_id == self.season)
        return conditions

    def rows(self, model: Any) -> list[Any]:
        """Conditions selecting the scope's season rows of ``model``."""
        conditions = [model.team_id == self.team]
        if self.season is not None:
            conditions.append(model.season_id == self.season)
        return conditions


def latest_season_id(team: Any) -> Any:
    """The season of the team's latest match, as a scalar subquery (NULL without matches)."""
    return (
        select(Match.season_id)
        .where(Match.team_id == team)
        .order_by(Match.match_date.desc(), Match.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def scope_for(
    club_id: uuid.UUID,
    team_id: uuid.UUID | None = None,
    season_id: Any = None,
    *,
    owned: tuple[bool, bool] | None = None,
) -> Scope:
    """The scope a request asks for: its team (default: the club's first team) and season
    (``"all"``: every season; default: the latest season with a match of the team). A team or
    season of another club is not found (404), and so is a team a staff member with the
    ``coach`` role does not coach; his default team is the first he coaches. A team and a
    season asked for are both checked with one statement, or with ``owned``: what a screen's
    own statement read with `owned_columns` (team, season)."""
    seen = visible_teams()
    season, bad_season = None, None
    if season_id not in (None, ALL_SEASONS):
        try:
            season = uuid.UUID(str(season_id))
        except ValueError as exc:  # raised where it was: after the team's check
            bad_season = exc
    team_found, season_found = owned or _owned(club_id, team_id, season)
    if team_id is not None:
        if not team_found or (seen is not None and team_id not in seen):
            raise NotFound(TEAM_NOT_FOUND)
        team: Any = team_id
    elif seen is not None:
        team = seen[0] if seen else UNSEEN_ID
    else:
        team = default_team_id(club_id)
    if bad_season is not None:
        raise bad_season
    if season_id == ALL_SEASONS:
        return Scope(team, None, club=club_id)
    if season_id is None:
        return Scope(team, latest_season_id(team), club=club_id, latest=True)
    if not season_found:
        raise NotFound(SEASON_NOT_FOUND)
    return Scope(team, season, club=club_id)


# A scope as bound parameters: the statements of a screen are built once per process for it
# (`scoped_statement`); building a wide SELECT and its cache key costs more CPU than
# PostgreSQL takes to run it.
_BOUND = {
    "team": bindparam("scope_team", type_=Uuid()),
    "season": bindparam("scope_season", type_=Uuid()),
    "club": bindparam("scope_club", type_=Uuid()),
}
_BUILT: dict[tuple, Any] = {}
_BUILT_MAX = 256


def scoped_statement(
    build: Callable[..., Any], scope: Scope, *shape: Hashable
) -> tuple[Any, dict[str, Any]]:
    """``build(scope, *shape)`` and the parameters it runs with. The statement is built once
    per process, form of the scope (`_bound_scope`) and ``shape``, with the scope's values as
    bound parameters (``scope_team``, ``scope_season``, ``scope_club``); a scope of other
    expressions is built now. ``build`` binds every other value of the request itself (the
    caller adds them to the parameters); ``shape`` holds what changes its form or a value it
    holds (a date cutoff), so a statement is never reused where it would differ."""
    bound = _bound_scope(scope)
    if bound is None:
        return build(scope, *shape), {}
    form, params = bound
    key = (build, form, *shape)
    statement = _BUILT.get(key)  # one lookup: another thread may clear it meanwhile
    if statement is None:
        if len(_BUILT) >= _BUILT_MAX:  # shapes that held an old date: start afresh
            _BUILT.clear()
        statement = _BUILT[key] = build(_bound_scopes[form], *shape)
    return statement, params


def _bound_scope(scope: Scope) -> tuple[tuple[str, str, bool], dict[str, Any]] | None:
    """The scope's form (team: an id or the club's default; season: an id, every season or
    the team's latest; ownership checks or not) and the values of its bound parameters; None
    for a scope of other expressions."""
    params: dict[str, Any] = {"scope_club": scope.club}
    if isinstance(scope.team, uuid.UUID):
        team = "id"
        params["scope_team"] = scope.team
    elif scope.club is not None:
        team = "default"
    else:
        return None
    if isinstance(scope.season, uuid.UUID):
        season = "id"
        params["scope_season"] = scope.season
    elif scope.season is None or scope.latest:
        season = "all" if scope.season is None else "latest"
    else:
        return None
    return (team, season, bool(scope.checks)), params


class _BoundScopes(dict):
    """The scope of bound parameters for each form (built on first use)."""

    def __missing__(self, form: tuple[str, str, bool]) -> Scope:
        team_form, season_form, checked = form
        team = _BOUND["team"] if team_form == "id" else default_team_id(_BOUND["club"])
        season = {"id": _BOUND["season"], "all": None}.get(season_form)
        if season_form == "latest":
            season = latest_season_id(team)
        checks = tuple(owned_columns(_BOUND["club"], team, season)) if checked else ()
        self[form] = Scope(team, season, checks=checks)
        return self[form]


_bound_scopes = _BoundScopes()


def asked_scope(club_id: uuid.UUID, team_id: Any = None, season_id: Any = None) -> Scope:
    """`scope_for` without a statement of its own when a team he may see and a season id are
    asked for (the screens' usual request): the scope then carries its ownership ``checks``,
    which the screen's first statement reads and `Scope.verify` checks right after it, before
    any of its rows is used (its statements select by team and season, so a row of another
    club's team may come back: verify answers 404 before any such row is looked at). Any
    other request is checked at once by `scope_for`."""
    season = season_uuid(season_id)
    seen = visible_teams()
    if team_id is not None and season is not None and (seen is None or team_id in seen):
        checks = _bound_scopes["id", "id", True].checks  # of bound parameters: built once
        return Scope(team_id, season, club=club_id, checks=checks)
    return scope_for(club_id, team_id, season_id)


def season_uuid(season_id: Any) -> uuid.UUID | None:
    """A season id asked for as a UUID; None for the default, "all" or a malformed id (which
    `scope_for` answers in its order)."""
    if season_id in (None, ALL_SEASONS):
        return None
    try:
        return uuid.UUID(str(season_id))
    except ValueError:
        return None


def owned_columns(club_id: uuid.UUID, team_id: Any, season_id: Any) -> list[Any]:
    """Columns ``team`` and ``season``: whether the club has the team and the season asked
    for (only those asked for, None not)."""
    asked = {"team": (Team, team_id), "season": (Season, season_id)}
    return [
        select(model.id).where(model.id == value, model.club_id == club_id).exists().label(name)
        for name, (model, value) in asked.items()
        if value is not None
    ]


def _owned(club_id: uuid.UUID, team_id: Any, season_id: Any) -> tuple[bool, bool]:
    """Whether the club has the team and the season asked for (None: not asked, True), in one
    statement; none without either."""
    columns = owned_columns(club_id, team_id, season_id)
    if not columns:
        return True, True
    row = db.session.execute(select(*columns)).one()._mapping
    return row.get("team", True), row.get("season", True)


def _club_rows(scope: Scope) -> Any:
    return select(ClubSeasonStatistics, *scope.checks).where(*scope.rows(ClubSeasonStatistics))


def club_row(scope: Scope) -> ClubSeasonStatistics | None:
    """The scope's club row: the stored row of one season (one query), or every season's rows
    added up with the team's form (two queries); None without matches. A scope's checks are
    read with the first query (and verified with a statement of their own without rows)."""
    found = db.session.execute(*scoped_statement(_club_rows, scope)).all()
    scope.verify(found[0] if found else None)
    rows = [row[0] for row in found]
    if scope.season is not None:
        return rows[0] if rows else None
    return club_view_from_rows(rows, team_form_of(scope.team))  # the same statements when empty


def player_rows(scope: Scope) -> PlayerViews:
    """Each player's row of the scope: his stored row of one season, or his season rows added
    up (rated against the team's players over the same seasons)."""
    return player_views_from_rows(scope_sums(scope))
