"""Playing time: each player's share of the minutes his team played in a season.

Read from the stored lineups (``match_lineups``: the minutes statistics.md defines, to the
second, as the upload stored them) and the matches' stored lengths (``matches.length_minutes``,
periods 1-4), so the figures are the ones every other screen shows. One statement whatever the
club's history: the team's matches of the season (an index range on (team_id, season_id)), their
lineup rows grouped by player and position (an index range per match, see MatchLineup) and the
squad, each row with its player's name and number (primary keys).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Boolean, case, cast, func, literal, null, select, union_all

from spinta.extensions import db
from spinta.models import Club, Match, MatchLineup, Player, TeamPlayer
from spinta.services.seasons import (
    ALL_SEASONS,
    Scope,
    asked_scope,
    latest_season_id,
    scoped_statement,
)

DEFAULT_MIN_PLAYING_SHARE = 0.5


def _scope(club_id: uuid.UUID, team_id: uuid.UUID, season_id: Any) -> tuple[Scope, Any]:
    """The team and season asked for, the default season resolved to its id (None: the team
    has no match yet), and the season as the answer names it (an id, "all" or None). For a
    season id and a team he may see the scope carries its ownership checks (`asked_scope`),
    which the screen's statement reads; else it is checked already. A team or season of
    another club is not found (404)."""
    scope = asked_scope(club_id, team_id, season_id)
    if scope.checks or season_id not in (None, ALL_SEASONS):
        return scope, scope.season
    if season_id == ALL_SEASONS:
        return scope, ALL_SEASONS
    season = db.session.scalar(select(latest_season_id(team_id)))
    return Scope(team_id, season), season


PLAYED, SQUAD, TOTALS = 0, 1, 2  # what a row of _played's statement is


# Who a row names: his player row's columns, so the screen needs no second statement (the
# club's other players are never read).
_WHO = (Player.player_name, Player.jersey_number, Player.left_at, Player.erased_at)


def _played_statement(scope: Scope) -> Any:
    """_played's statement for a scope (see `scoped_statement`): the rows, then who each names
    (one join by primary key for all of them)."""
    empty = [cast(null(), Boolean).label(check.name) for check in scope.checks]
    grouped = (
        select(
            MatchLineup.player_id,
            MatchLineup.position,
            func.count().label("matches"),
            func.sum(case((MatchLineup.is_starter, 1), else_=0)).label("starts"),
            func.sum(MatchLineup.minutes_played).label("minutes"),
            literal(PLAYED).label("kind"),
            *empty,
        )
        .join(Match, Match.id == MatchLineup.match_id)
        .where(*scope.matches(), MatchLineup.is_our_team.is_(True))
        .group_by(MatchLineup.player_id, MatchLineup.position)
    )
    squad = select(TeamPlayer.player_id, null(), null(), null(), null(), literal(SQUAD), *empty)
    squad = squad.where(TeamPlayer.team_id == scope.team)
    if scope.season is not None:
        squad = squad.where(TeamPlayer.season_id == scope.season)
    totals = select(
        null(),
        null(),
        func.count(Match.id),
        null(),
        func.coalesce(func.sum(Match.length_minutes), 0.0),
        literal(TOTALS),
        *scope.checks,
    ).where(*scope.matches())
    rows = union_all(grouped, squad, totals).subquery("rows")
    return select(rows, *_WHO).outerjoin(Player, Player.id == rows.c.player_id)


def _played(scope: Scope) -> tuple[Any, dict[uuid.UUID, dict[str, Any]], list[Any]]:
    """The scope's matches and their minutes (one row, with the scope's checks); each of
    our players' matches, starts and minutes in them, with his minutes by position (his lineup
    position in each match), grouped; and who the screen lists: everyone who played, and the
    team's squad of the scope who has not left the club, even without a minute. One statement
    (UNION ALL)."""
    statement, params = scoped_statement(_played_statement, scope)
    rows = db.read(statement, params).all()
    played: dict[uuid.UUID, dict[str, Any]] = {}
    for row in rows:
        if row.kind != PLAYED:
            continue
        entry = played.setdefault(
            row.player_id, {"matches": 0, "starts": 0, "minutes_played": 0.0, "by_position": []}
        )
        entry["matches"] += row.matches
        entry["starts"] += int(row.starts or 0)
        entry["minutes_played"] += row.minutes or 0.0
        entry["by_position"].append(
            {"position": row.position, "minutes_played": row.minutes or 0.0}
        )
    for entry in played.values():
        entry["by_position"].sort(key=lambda p: (-p["minutes_played"], p["position"] or ""))
    (total,) = (row for row in rows if row.kind == TOTALS)
    listed = {
        row.player_id: row
        for row in rows
        if row.kind == PLAYED
        or (row.kind == SQUAD and row.left_at is None and row.erased_at is None)
    }
    return total, played, list(listed.values())


def _share(minutes: float, available: float) -> float:
    return minutes / available if available > 0 else 0.0


def playing_time(*, club: Club, team_id: uuid.UUID, season_id: Any = None) -> dict[str, Any]:
    """The team's playing time in a season (default: its latest season with a match; "all":
    every season): matches, the minutes available, each player's share, lowest share first."""
    scope, season = _scope(club.id, team_id, season_id)
    total, played, listed = _played(scope)  # no match: only the squad is listed
    scope.verify(total)  # 404 for a team or season of another club, read with the statement
    matches = total.matches
    available = float(total.minutes or 0.0) if matches else 0.0
    minimum = club.min_playing_share
    minimum = DEFAULT_MIN_PLAYING_SHARE if minimum is None else minimum
    players = []
    for player in listed:
        entry = played.get(player.player_id) or {
            "matches": 0,
            "starts": 0,
            "minutes_played": 0.0,
            "by_position": [],
        }
        share = _share(entry["minutes_played"], available)
        players.append(
            {
                "player_id": player.player_id,
                "player_name": player.player_name,
                "jersey_number": player.jersey_number,
                **entry,
                "share": share,
                "below_minimum": share < minimum,
            }
        )
    players.sort(key=lambda p: (p["share"], p["player_name"], str(p["player_id"])))
    return {
        "team_id": team_id,
        "season_id": season,
        "matches": matches,
        "available_minutes": available,
        "min_playing_share": minimum,
        "players": players,
    }


__all__ = ["DEFAULT_MIN_PLAYING_SHARE", "playing_time"]
