"""Read use cases behind the mobile screens (coach and player), answered from stored rows.

Every function reads the precomputed per-match and season rows with a small, fixed number of
queries (never one per match or per player) and returns plain dicts in the shape of api.md with
the values at full precision. Presentation (None -> 0, rounding half-up, dates) belongs to
:mod:`spinta.schemas.screens`. Ownership is part of every query: a row of another club or
player is simply not found (404).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Uuid, and_, bindparam, func, or_, select, true

from spinta import screen_sections
from spinta.analytics.data_source import missing_names
from spinta.analytics.data_source import season_gaps as source_gaps
from spinta.errors import NotFound
from spinta.extensions import db
from spinta.models import (
    Club,
    ClubSeasonStatistics,
    Coach,
    Goal,
    Match,
    MatchLineup,
    MatchStatistics,
    OpponentPlayer,
    Player,
    PlayerMatchStatistics,
    PlayerSeasonStatistics,
    TeamPlayer,
    TrainingPlan,
    User,
)
from spinta.screen_sections import NOT_AVAILABLE, Section, reported_minute
from spinta.security import visible_teams
from spinta.services import consent, development, privacy
from spinta.services.invites import as_utc
from spinta.services.seasons import (
    Scope,
    club_row,
    player_views_from_rows,
    scope_for,
    scoped_statement,
    season_sum_columns,
)
from spinta.store import advanced

MATCH_NOT_FOUND = "Match not found."
PLAYER_NOT_FOUND = "Player not found."
PLAYER_MATCH_NOT_FOUND = "This player did not play in this match."

_NEWEST_FIRST = (Match.match_date.desc(), Match.created_at.desc())


# ---------------------------------------------------------------- small helpers


def _per_match(total: float | None, matches: int | None) -> float | None:
    """A season total divided by the matches it spans; None without matches."""
    if total is None or not matches:
        return None
    return total / matches


def _rate(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return 100 * part / whole


def _sections(
    sections: tuple[Section, ...],
    row: Any,
    matches: int | None = None,
    missing: frozenset[str] = frozenset(),
    having: dict[str, int] | None = None,
) -> dict:
    """The statistics blocks of ``sections`` filled from ``row`` (None: no data yet), the
    per-match leaves divided by ``matches``; a statistic in ``missing`` (the match's data source
    cannot give it, or no match of a season can) is NOT_AVAILABLE (shown null); a club average
    of a statistic only ``having[key]`` of the ``matches`` give is their mean."""

    def value(leaf: screen_sections.Leaf) -> Any:
        key = screen_sections.statistic(leaf)
        if key in missing:
            return NOT_AVAILABLE
        raw = getattr(row, leaf.column) if row is not None else None
        if having and key in having and leaf.column.startswith("avg_") and raw is not None:
            return raw * (matches or 0) / having[key]  # stored: the mean over every match
        return _per_match(raw, matches) if leaf.per_match else raw

    return {
        section.name: {leaf.name: value(leaf) for leaf in section.leaves} for section in sections
    }


def _other_provider(player_id: Any, club_id: Any, scope: Scope) -> Any:
    """A column: whether he played a match of another provider than StatsBomb in the scope
    (only then can a season figure of his be missing), read with a screen's own query."""
    return (
        select(Match.id)
        .where(_played_by(player_id, club_id), *scope.matches(), Match.provider != "statsbomb")
        .exists()
        .label("other_provider")
    )


# What the statements built once per scope shape (`scoped_statement`) bind of the request.
_CLUB_ID = bindparam("screen_club", type_=Uuid())
_PLAYER_ID = bindparam("screen_player", type_=Uuid())


def _season_gaps(
    build: Callable[[Scope], Any], scope: Scope, params: dict[str, Any], played: int
) -> tuple[frozenset[str], dict[str, int]]:
    """Of the ``played`` matches ``build``'s condition selects in the scope: the statistics
    none of them gives (a season total shown null) and, of those some lack, how many give each
    (one query)."""
    statement, bound = scoped_statement(_sources, scope, build)
    sources = db.read(statement, bound | params).scalars().all()
    none, having = source_gaps(sources, played)
    return frozenset(none), having


def _sources(scope: Scope, build: Callable[[Scope], Any]) -> Any:
    return select(Match.data_source).where(build(scope))


def _club_matches(scope: Scope) -> Any:
    """The club's matches of the scope (``screen_club``)."""
    return and_(Match.club_id == _CLUB_ID, *scope.matches())


def _played_matches(scope: Scope) -> Any:
    """The matches of the scope the player played (``screen_player`` of ``screen_club``)."""
    return and_(_played_by(_PLAYER_ID, _CLUB_ID), *scope.matches())


def club_header(club: Club) -> dict[str, Any]:
    return {"club_id": club.id, "club_name": club.club_name, "logo_url": club.logo_url}


def _teams(club: Club, match: Match) -> dict[str, Any]:
    return {
        "our_club": club_header(club),
        "opponent": {"opponent_name": match.opponent_name, "logo_url": match.opponent_logo_url},
    }


_SUMMARY_COLUMNS = (
    Match.id,
    Match.opponent_name,
    Match.match_date,
    Match.our_score,
    Match.opponent_score,
    Match.result,
)


def _match_page(
    condition: Any, *, limit: int, offset: int, total: int | None = None
) -> dict[str, Any]:
    """``{total_count, matches}`` of the matches selected by ``condition``.

    One query when the caller already knows the total (a season row's matches_played counts
    exactly these matches), two otherwise.
    """
    if total is None:
        total = db.session.scalar(select(func.count(Match.id)).where(condition)) or 0
    page = db.session.execute(
        _summary_page(condition), {"page_limit": limit, "page_offset": offset}
    ).all()
    return {"total_count": total, "matches": page}


def _summary_page(condition: Any) -> Any:
    """The matches ``condition`` selects, newest first: a page (``page_limit``,
    ``page_offset``)."""
    return (
        select(*_SUMMARY_COLUMNS)
        .where(condition)
        .order_by(*_NEWEST_FIRST)
        .limit(bindparam("page_limit"))
        .offset(bindparam("page_offset"))
    )


def _scoped_page(
    build: Callable[[Scope], Any],
    scope: Scope,
    params: dict[str, Any],
    *,
    limit: int,
    offset: int,
    total: int,
) -> dict[str, Any]:
    """``{total_count, matches}`` of the matches ``build``'s condition selects in the scope,
    whose number the caller knows (one query, built once per scope shape)."""
    statement, bound = scoped_statement(_page, scope, build)
    page = db.read(statement, bound | params | {"page_limit": limit, "page_offset": offset}).all()
    return {"total_count": total, "matches": page}


def _page(scope: Scope, build: Callable[[Scope], Any]) -> Any:
    return _summary_page(build(scope))


def _played_by(player_id: Any, club_id: Any) -> Any:
    """Matches of the club in which the player has a statistics row (i.e. he played)."""
    played = select(PlayerMatchStatistics.match_id).where(
        PlayerMatchStatistics.player_id == player_id
    )
    return and_(Match.club_id == club_id, Match.id.in_(played))


def age_label(birth_date: date | None, today: date | None = None) -> str | None:
    """Whole years since ``birth_date`` as "16 years" ("1 year"), or None when unknown."""
    if birth_date is None:
        return None
    today = today or date.today()
    years = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    years = max(years, 0)
    return f"{years} year" if years == 1 else f"{years} years"


# ---------------------------------------------------------------- player season blocks


def _season_value(season: PlayerSeasonStatistics | None, name: str) -> Any:
    return getattr(season, name) if season is not None else None


def attributes(season: PlayerSeasonStatistics | None) -> dict[str, int | None]:
    """The five ratings (None until rated; the schema shows 0)."""
    names = (
        "attacking_rating",
        "technique_rating",
        "tactical_rating",
        "defending_rating",
        "creativity_rating",
    )
    return {name: _season_value(season, name) for name in names}


def season_statistics(
    season: PlayerSeasonStatistics | None,
    player: Player | None = None,
    scope: Scope | None = None,
    *,
    other_provider: bool = True,
) -> dict[str, Any]:
    """The player's season block of the player screens (raw values, None when absent); with
    his ``scope``, a statistic none of his matches there gives is null (a total sums the
    matches that give it: the others stored 0). ``other_provider`` False (known from a query
    already made: he played StatsBomb matches only, which miss nothing) spares the look-up."""
    matches = _season_value(season, "matches_played") or 0
    missing: frozenset[str] = frozenset()
    if player is not None and scope is not None and matches and other_provider:
        ids = {"screen_player": player.id, "screen_club": player.club_id}
        missing = _season_gaps(_played_matches, scope, ids, matches)[0]
    return _sections(screen_sections.PLAYER_SEASON, season, matches, missing)


def player_card(player: Player, photo_hidden: bool | None = None) -> dict[str, Any]:
    """The player's card; ``photo_hidden`` as read with him (consent.photo_hidden), else asked
    (one query)."""
    if photo_hidden is None:
        photo_hidden = bool(db.session.scalar(select(consent.photo_hidden_of(player.id))))
    return {
        "player_id": player.id,
        "player_name": player.player_name,
        "jersey_number": player.jersey_number,
        "position": player.position,
        "height": player.height,
        "age": age_label(consent.birthday(player)),
        "profile_image_url": consent.shown_photo(player, bool(photo_hidden)),
        "is_linked": player.is_linked,
    }


# ---------------------------------------------------------------- coach screens


def coach_dashboard(
    *, user: User, club: Club, limit: int, offset: int, scope: Scope | None = None
) -> dict[str, Any]:
    """Season record, form, a page of matches and the season averages of a team and season
    (default: the club's first team, its latest season): two queries, three for every season."""
    scope = scope or scope_for(club.id)
    season = club_row(scope)
    played = season.matches_played if season is not None else 0
    club_id = {"screen_club": club.id}
    page = _scoped_page(_club_matches, scope, club_id, limit=limit, offset=offset, total=played)

    def value(name: str) -> Any:
        return getattr(season, name) if season is not None else None

    played = value("matches_played") or 0
    # Always asked, so an empty club reads with as many statements as a full one.
    missing, having = _season_gaps(_club_matches, scope, club_id, played)
    return {
        "coach": {"full_name": user.full_name},
        "club": club_header(club),
        "season_record": {
            "wins": value("wins"),
            "draws": value("draws"),
            "losses": value("losses"),
        },
        "team_form": value("team_form") or "",
        "matches": page,
        "statistics": _sections(screen_sections.DASHBOARD, season, played, missing, having),
    }


_MATCH_STAT_COLUMNS = screen_sections.columns(screen_sections.MATCH)


def _lineup_order(entry: Any) -> tuple:
    """Starters first, then by jersey number (unknown numbers last), then by name."""
    return (
        not entry.is_starter,
        entry.jersey_number is None,
        entry.jersey_number or 0,
        entry.player_name,
    )


# Statements built once (bound parameters): building a wide SELECT costs more than running it.
_OURS = MatchStatistics.__table__.alias("ours")
_THEIRS = MatchStatistics.__table__.alias("theirs")
_MATCH_ADVANCED = advanced.match_section_values(bindparam("match_id"))  # one row, always
_MATCH_WITH_TEAM_ROWS = (
    select(
        Match.id,
        Match.match_date,
        Match.our_score,
        Match.opponent_score,
        Match.result,
        Match.our_penalty_score,
        Match.opponent_penalty_score,
        Match.opponent_name,
        Match.opponent_logo_url,
        Match.data_source,
        *(_OURS.c[col].label(f"our_{col}") for col in _MATCH_STAT_COLUMNS),
        *(_THEIRS.c[col].label(f"their_{col}") for col in _MATCH_STAT_COLUMNS),
        *_MATCH_ADVANCED.c,
    )
    .outerjoin(_OURS, and_(_OURS.c.match_id == Match.id, _OURS.c.is_our_team.is_(True)))
    .outerjoin(_THEIRS, and_(_THEIRS.c.match_id == Match.id, _THEIRS.c.is_our_team.is_(False)))
    .join(_MATCH_ADVANCED, true())
    .where(Match.id == bindparam("match_id"), Match.club_id == bindparam("club_id"))
)
_MATCH_GOALS = (
    select(
        Goal.id.label("goal_id"),
        Goal.scorer_name,
        Goal.assist_name,
        Goal.minute,
        Goal.second,
        Goal.period,
        Goal.is_our_goal,
        Goal.own_goal,
        Goal.penalty,
    )
    .where(Goal.match_id == bindparam("match_id"))
    .order_by(Goal.sequence)
)
# A lineup row keeps the number the file gave for that match; when the file left it out (a
# substitute never listed in a Tactical Shift) the squad's number stands in.
_MATCH_LINEUP = (
    select(
        MatchLineup.is_our_team,
        MatchLineup.player_id,
        MatchLineup.opponent_player_id,
        MatchLineup.player_name,
        func.coalesce(
            MatchLineup.jersey_number, Player.jersey_number, OpponentPlayer.jersey_number
        ).label("jersey_number"),
        MatchLineup.position,
        MatchLineup.is_starter,
        MatchLineup.minutes_played,
    )
    .outerjoin(Player, Player.id == MatchLineup.player_id)
    .outerjoin(OpponentPlayer, OpponentPlayer.id == MatchLineup.opponent_player_id)
    .where(MatchLineup.match_id == bindparam("match_id"))
)


def _goal_entry(row: Any) -> dict[str, Any]:
    """A goal of the timeline with its minute as football reports it (the clock is stored)."""
    entry = row._asdict()
    entry["minute"], entry["display_minute"] = reported_minute(entry.pop("period"), row.minute)
    return entry


def match_detail(*, club: Club, match_id: uuid.UUID) -> dict[str, Any]:
    """Header, goal timeline, both teams' statistics and both lineups (three queries)."""
    match = db.read(_MATCH_WITH_TEAM_ROWS, {"match_id": match_id, "club_id": club.id}).first()
    if match is None:
        raise NotFound(MATCH_NOT_FOUND)

    missing = missing_names(match.data_source)

    def pair(column: str) -> dict[str, Any] | None:
        if column in missing:  # the file cannot give it: the pair is null
            return None
        return {
            "our_team": getattr(match, f"our_{column}"),
            "opponent": getattr(match, f"their_{column}"),
        }

    goals = db.read(_MATCH_GOALS, {"match_id": match.id}).all()
    lineup = db.read(_MATCH_LINEUP, {"match_id": match.id}).all()
    lineup = sorted(lineup, key=_lineup_order)
    shootout = None
    if match.our_penalty_score is not None:
        shootout = {"our": match.our_penalty_score, "opponent": match.opponent_penalty_score}
    detail = {
        "match": {
            "match_id": match.id,
            "match_date": match.match_date,
            "our_score": match.our_score,
            "opponent_score": match.opponent_score,
            "result": match.result,
            "penalty_shootout": shootout,
        },
        "teams": _teams(club, match),
        "summary": {"goal_scorers": [_goal_entry(row) for row in goals]},
        "statistics": {
            **{
                section.name: {leaf.name: pair(leaf.column) for leaf in section.leaves}
                for section in screen_sections.MATCH
            },
            "advanced": {
                metric: None if metric in missing else pair  # as a box-score pair
                for metric, pair in advanced.match_section(match).items()
            },
        },
        "lineup": {
            # Rows as they are: the schema's dump reads a Row by attribute (a dict of each cost
            # 4.5 us a row, ~0.15 ms a match).
            "our_team": [row for row in lineup if row.is_our_team],
            "opponent_team": [row for row in lineup if not row.is_our_team],
        },
    }
    if match.data_source is not None:  # as the upload answered (absent for plain StatsBomb)
        detail["data_source"] = match.data_source
    return detail


def _in_squad(scope: Scope, admin: bool) -> Any:
    """Players of the club (``screen_club``) in the scope's squad (team, season), or for an
    ``admin`` in no team's squad yet (added by the coach before any match; a staff member with
    the ``coach`` role sees his teams' players); never one who left or was erased."""
    member = select(TeamPlayer.player_id).where(TeamPlayer.team_id == scope.team)
    if scope.season is not None:
        member = member.where(TeamPlayer.season_id == scope.season)
    listed = Player.id.in_(member)
    if admin:
        listed = or_(listed, Player.id.not_in(select(TeamPlayer.player_id)))
    return and_(
        Player.club_id == _CLUB_ID,
        Player.left_at.is_(None),
        Player.erased_at.is_(None),
        listed,
    )


def _squad_counts(scope: Scope, admin: bool) -> Any:
    return select(
        func.count(Player.id).label("total"),
        func.count(Player.id).filter(Player.is_linked.is_(True)).label("joined"),
        *scope.checks,
    ).where(_in_squad(scope, admin))


_SQUAD_COLUMNS = (
    Player.id,
    Player.player_name,
    Player.jersey_number,
    Player.position,
    Player.profile_image_url,
    Player.is_linked,
    Player.birth_date,  # with the month: whether he is a minor (consent.is_minor)
    Player.birth_month,
)


def _squad_page(scope: Scope, admin: bool, _adult_born_before: date) -> Any:
    """A page of the squad: the columns its entries show, as plain values (a Core statement:
    prepared, see `db.read`; the ORM's Player entities were a quarter of a cold read)."""
    return (
        select(*_SQUAD_COLUMNS, consent.photo_hidden(), privacy.erasure_due_at(Player.id))
        .where(_in_squad(scope, admin))
        .order_by(
            Player.jersey_number.is_(None),
            Player.jersey_number,
            Player.player_name,
            Player.id,
        )
        .limit(bindparam("page_limit"))
        .offset(bindparam("page_offset"))
    )


def squad(*, club: Club, limit: int, offset: int, scope: Scope | None = None) -> dict[str, Any]:
    """A page of the scope's squad by jersey number (unknown numbers last) with joined /
    pending counts of the whole squad (two queries, built once per scope shape)."""
    scope = scope or scope_for(club.id)
    admin = visible_teams() is None
    statement, bound = scoped_statement(_squad_counts, scope, admin)
    counts = db.read(statement, bound | {"screen_club": club.id}).one()
    scope.verify(counts)
    statement, bound = scoped_statement(_squad_page, scope, admin, consent.adult_born_before())
    params = {"screen_club": club.id, "page_limit": limit, "page_offset": offset}
    rows = db.read(statement, bound | params).all()
    missing = consent.missing_by_player(club.id, rows)
    return {
        "total_count": counts.total,
        "summary": {
            "total_players": counts.total,
            "joined": counts.joined,
            "pending": counts.total - counts.joined,
        },
        "players": [_squad_entry(row, missing.get(row.id)) for row in rows],
    }


def _squad_entry(row: Any, consent_missing: list[str] | None) -> dict[str, Any]:
    """A squad page row, with what the coach must see of children's data where it applies
    (other players' entries read exactly as before): ``consent_missing``, a minor's purposes
    without consent (`consent.missing_by_player`), and ``erasure_due_at``, a pending erasure
    request (read with the row: `privacy.erasure_due_at`)."""
    entry = {
        "id": row.id,
        "player_name": row.player_name,
        "jersey_number": row.jersey_number,
        "position": row.position,
        "profile_image_url": consent.shown_photo(row, bool(row.photo_hidden)),
        "is_linked": row.is_linked,
    }
    if consent_missing is not None:
        entry["consent_missing"] = consent_missing
    if row.erasure_due_at is not None:
        entry["erasure_due_at"] = row.erasure_due_at
    return entry


def _player_detail(scope: Scope, _adult_born_before: date) -> Any:
    """The player (``screen_player`` of ``screen_club``) with the scope's season rows (see
    `player_detail`); the consent age's cutoff is a value the statement holds. The player's
    columns as plain values (a Core statement: prepared, see `db.read`)."""
    return (
        select(
            *Player.__table__.c,
            consent.photo_hidden(),
            development.has_goals(Player.id).label("has_goals"),
            _other_provider(_PLAYER_ID, _CLUB_ID, scope),
            *scope.checks,
            *season_sum_columns(),
        )
        .outerjoin(PlayerSeasonStatistics, and_(*scope.rows(PlayerSeasonStatistics)))
        .where(Player.id == _PLAYER_ID, Player.club_id == _CLUB_ID)
    )


_PLANS = (
    select(
        TrainingPlan.id.label("plan_id"),
        TrainingPlan.plan_name,
        TrainingPlan.created_at,
        TrainingPlan.status,
    )
    .where(TrainingPlan.player_id == _PLAYER_ID)
    .order_by(TrainingPlan.created_at.desc(), TrainingPlan.id)
)


def player_detail(
    *, club: Club, player_id: uuid.UUID, limit: int, offset: int, scope: Scope | None = None
) -> dict[str, Any]:
    """One squad member for his coach: card, ratings, season, matches, training plans and
    (when he has any) his development goals.

    Three queries: the player with the scope's season rows (his ratings rank him among them;
    their columns as plain values) and whether he has goals, a page of his matches, his plans;
    three more for his goals and their current values when he has any.
    """
    scope = scope or scope_for(club.id)
    ids = {"screen_player": player_id, "screen_club": club.id}
    statement, bound = scoped_statement(_player_detail, scope, consent.adult_born_before())
    rows = db.read(statement, bound | ids).all()
    scope.verify(rows[0] if rows else None)
    if not rows:
        raise NotFound(PLAYER_NOT_FOUND)
    player = found = rows[0]  # his columns, read as a Player's attributes
    views = player_views_from_rows(row for row in rows if row.player_id is not None)
    season = views.get(player.id)
    plans = db.read(_PLANS, {"screen_player": player.id}).all()
    body = {
        "player": player_card(player, found.photo_hidden),
        "invite_code": None if player.is_linked else player.invite_code,
        "invite_expires_at": None if player.is_linked else as_utc(player.invite_expires_at),
        "attributes": attributes(season),
        "season_statistics": season_statistics(
            season, player, scope, other_provider=bool(found.other_provider)
        ),
        "matches": _scoped_page(
            _played_matches,
            scope,
            ids,
            limit=limit,
            offset=offset,
            # Appearances: exactly the matches of the club he has a statistics row in.
            total=season.matches_played if season is not None else 0,
        ),
        "training_plans": [
            {**plan._asdict(), "created_at": plan.created_at.date()} for plan in plans
        ],
    }
    if found.has_goals:
        development.with_goals(body, club.id, player.id)
    return body


def player_match(
    *, club_id: uuid.UUID, player_id: uuid.UUID, match_id: uuid.UUID
) -> dict[str, Any]:
    """One player's numbers in one match of his club (one query); 404 when he did not play."""
    row = db.session.execute(
        select(
            Match,
            PlayerMatchStatistics,
            Player.player_name,
            Club,
            *advanced.player_match_columns(Match.id, PlayerMatchStatistics.player_id),
        )
        .join(PlayerMatchStatistics, PlayerMatchStatistics.match_id == Match.id)
        .join(Player, Player.id == PlayerMatchStatistics.player_id)
        .join(Club, Club.id == Match.club_id)
        .where(
            Match.id == match_id,
            Match.club_id == club_id,
            PlayerMatchStatistics.player_id == player_id,
            Player.club_id == club_id,
        )
    ).first()
    if row is None:
        raise NotFound(PLAYER_MATCH_NOT_FOUND)
    match, stats, player_name, club = row[:4]
    missing = missing_names(match.data_source)
    return {
        "match": {
            "match_id": match.id,
            "match_date": match.match_date,
            "our_score": match.our_score,
            "opponent_score": match.opponent_score,
            "result": match.result,
        },
        "teams": _teams(club, match),
        "player_summary": {
            "player_name": player_name,
            "goals": stats.goals,
            "assists": NOT_AVAILABLE if "assists" in missing else stats.assists,
            "minutes_played": stats.minutes_played,
        },
        "statistics": {
            **_sections(screen_sections.PLAYER_MATCH, stats, missing=missing),
            "advanced": {
                metric: NOT_AVAILABLE if metric in missing else value
                for metric, value in advanced.player_match_section(row).items()
            },
        },
    }


def club_player_match(*, club: Club, player_id: uuid.UUID, match_id: uuid.UUID) -> dict[str, Any]:
    """The coach's view of one of his players in one match."""
    return player_match(club_id=club.id, player_id=player_id, match_id=match_id)


def coach_profile(
    *, user: User, coach: Coach, club: Club, scope: Scope | None = None
) -> dict[str, Any]:
    """The coach, his club and three figures of a team and season (one query): its squad (the
    squad screen's players; a staff coach sees only his teams'), its matches and win rate."""
    scope = scope or scope_for(club.id)
    admin = visible_teams() is None
    players = select(func.count(Player.id)).where(_in_squad(scope, admin)).scalar_subquery()
    row = db.session.execute(
        select(
            players.label("players"),
            func.sum(ClubSeasonStatistics.matches_played).label("matches_played"),
            func.sum(ClubSeasonStatistics.wins).label("wins"),
        )
        .select_from(Club)
        .outerjoin(ClubSeasonStatistics, and_(*scope.rows(ClubSeasonStatistics)))
        .where(Club.id == club.id),
        {"screen_club": club.id},
    ).one()
    matches = row.matches_played or 0
    return {
        "coach": {
            "full_name": user.full_name,
            "email": user.email,
            "gender": coach.gender,
            "birth_date": coach.birth_date,
        },
        "club": {
            "club_name": club.club_name,
            "logo_url": club.logo_url,
            "country": club.country,
            "age_group": club.age_group,
            "stadium": club.stadium,
        },
        "club_stats": {
            "total_players": row.players or 0,
            "total_matches": matches,
            "win_rate_percentage": _rate(row.wins, matches) or 0,
        },
    }


# ---------------------------------------------------------------- player screens


def player_scope(player: Player, season_id: Any = None) -> Scope:
    """A player's screens show his club's first team, in the season asked for (default: its
    latest season with a match; ``all``: every season)."""
    return scope_for(player.club_id, None, season_id)


def player_dashboard(*, player: Player, scope: Scope | None = None) -> dict[str, Any]:
    """The player's card, ratings, season block and (when he has any) development goals (one
    query; three more for his goals and their current values when he has any)."""
    scope = scope or player_scope(player)
    # every season row of the scope (his ratings rank him among them) next to whether he has
    # goals and whether a figure of his may be missing: one query, as player_rows reads them
    rows = db.session.execute(
        select(
            PlayerSeasonStatistics,
            development.has_goals(player.id).label("has_goals"),
            _other_provider(player.id, player.club_id, scope),
        )
        .select_from(Player)
        .outerjoin(PlayerSeasonStatistics, and_(*scope.rows(PlayerSeasonStatistics)))
        .where(Player.id == player.id)
    ).all()
    season = player_views_from_rows(row[0] for row in rows if row[0] is not None).get(player.id)
    card = player_card(player)
    card.pop("is_linked")
    other = bool(rows and rows[0].other_provider)
    body = {
        "player": card,
        "attributes": attributes(season),
        "season_statistics": season_statistics(season, player, scope, other_provider=other),
    }
    if rows and rows[0].has_goals:
        development.with_goals(body, player.club_id, player.id)
    return body


def player_matches(
    *, player: Player, limit: int, offset: int, scope: Scope | None = None
) -> dict[str, Any]:
    """The matches the player played in the scope, newest first (two queries)."""
    scope = scope or player_scope(player)
    return _match_page(
        and_(_played_by(player.id, player.club_id), *scope.matches()), limit=limit, offset=offset
    )


def _season_assists(player: Player, scope: Scope, row: Any) -> Any:
    """His season's assists; null when none of his matches' files marks assists."""
    played, assists = row.matches_played, row.assists
    if (
        played
        and row.other_provider
        and "assists"
        in _season_gaps(
            _played_matches,
            scope,
            {"screen_player": player.id, "screen_club": player.club_id},
            played,
        )[0]
    ):
        return NOT_AVAILABLE
    return assists


def player_profile(*, user: User, player: Player, scope: Scope | None = None) -> dict[str, Any]:
    """The player's own profile, club header and season summary (one query)."""
    scope = scope or player_scope(player)
    row = db.session.execute(
        select(
            Club.club_name,
            Club.logo_url,
            func.sum(PlayerSeasonStatistics.matches_played).label("matches_played"),
            func.sum(PlayerSeasonStatistics.goals).label("goals"),
            func.sum(PlayerSeasonStatistics.assists).label("assists"),
            consent.photo_hidden_of(player.id),
            _other_provider(player.id, player.club_id, scope),
        )
        .select_from(Club)
        .outerjoin(
            PlayerSeasonStatistics,
            and_(
                PlayerSeasonStatistics.player_id == player.id,
                *scope.rows(PlayerSeasonStatistics),
            ),
        )
        .where(Club.id == player.club_id)
        .group_by(Club.club_name, Club.logo_url)
    ).one()
    return {
        "player": {
            "player_name": player.player_name,
            "email": user.email,
            "jersey_number": player.jersey_number,
            "position": player.position,
            "birth_date": player.birth_date,
            "height": player.height,
            "profile_image_url": consent.shown_photo(player, bool(row.photo_hidden)),
        },
        "club": {"club_name": row.club_name, "logo_url": row.logo_url},
        "season_summary": {
            "matches_played": row.matches_played,
            "goals": row.goals,
            "assists": _season_assists(player, scope, row),
        },
    }


__all__: Sequence[str] = (
    "age_label",
    "club_player_match",
    "coach_dashboard",
    "coach_profile",
    "match_detail",
    "player_dashboard",
    "player_detail",
    "player_match",
    "player_matches",
    "player_profile",
    "squad",
)
