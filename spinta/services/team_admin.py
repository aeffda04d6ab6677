"""The club admin's changes to teams and squads: create, rename, delete a team, set a team's
squad for a season and carry it into the next (issue 17). Each is one transaction ending with
``commit_club_write``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select

from spinta.errors import Conflict, NotFound
from spinta.extensions import db
from spinta.models import Club, Match, Player, Team, TeamPlayer
from spinta.screen_cache import commit_club_write
from spinta.services.matches import take_club_turn
from spinta.services.teams import (
    add_to_squad,
    club_season,
    club_team,
    list_teams,
    new_team,
    season_for,
    squad_ids,
)

TEAM_FIELDS = ("name", "age_group", "format")
PLAYER_NOT_FOUND = "Player not found."


def team_item(club_id: uuid.UUID, team_id: uuid.UUID) -> dict:
    """One team as the teams list shows it."""
    return next(team for team in list_teams(club_id) if team["team_id"] == team_id)


def create_team(*, club: Club, fields: Mapping[str, Any]) -> dict:
    team = new_team(club, **{name: fields[name] for name in TEAM_FIELDS})
    commit_club_write(club.id)
    return team_item(club.id, team.id)


def update_team(*, club: Club, team_id: uuid.UUID, changes: Mapping[str, Any]) -> dict:
    """Apply the given fields (None: unchanged)."""
    team = club_team(club.id, team_id)
    for name in TEAM_FIELDS:
        if changes.get(name) is not None:
            setattr(team, name, changes[name])
    commit_club_write(club.id)
    return team_item(club.id, team.id)


def delete_team(*, club: Club, team_id: uuid.UUID) -> None:
    """Remove a team without matches (409 with matches, 409 for the club's last team)."""
    take_club_turn(club.id)  # no upload to this team slips in between the check and the delete
    team = club_team(club.id, team_id)
    played = db.session.scalar(select(func.count(Match.id)).where(Match.team_id == team.id))
    if played:
        raise Conflict(
            f"The team has {played} match{'es' if played > 1 else ''}; delete them first."
        )
    teams = db.session.scalar(select(func.count(Team.id)).where(Team.club_id == club.id))
    if teams <= 1:
        raise Conflict("A club keeps at least one team.")
    db.session.execute(delete(TeamPlayer).where(TeamPlayer.team_id == team.id))
    db.session.delete(team)
    commit_club_write(club.id)


def _club_players(club_id: uuid.UUID, player_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The ids, all of them the club's players (404 when one is not)."""
    wanted = set(player_ids)
    found = set(
        db.session.scalars(
            select(Player.id).where(Player.club_id == club_id, Player.id.in_(wanted))
        )
    )
    if found != wanted:
        raise NotFound(PLAYER_NOT_FOUND)
    return wanted


def _squad(team_id: uuid.UUID, season_id: uuid.UUID) -> dict:
    return {"team_id": team_id, "season_id": season_id, "player_ids": squad_ids(team_id, season_id)}


def replace_squad(
    *, club: Club, team_id: uuid.UUID, season_id: uuid.UUID | None, player_ids: list[uuid.UUID]
) -> dict:
    """The team's squad for the season (default: the current one, created when missing)
    becomes exactly ``player_ids``."""
    team = club_team(club.id, team_id)
    wanted = _club_players(club.id, player_ids)
    if season_id is None:
        season = season_for(club, date.today())
    else:
        season = club_season(club.id, season_id)
    db.session.execute(
        delete(TeamPlayer).where(
            TeamPlayer.team_id == team.id,
            TeamPlayer.season_id == season.id,
            TeamPlayer.player_id.not_in(wanted),
        )
    )
    add_to_squad(team.id, season.id, wanted)
    commit_club_write(club.id)
    return _squad(team.id, season.id)


def rollover(
    *,
    club: Club,
    season_id: uuid.UUID,
    team_id: uuid.UUID,
    to_season_id: uuid.UUID,
    promote_to_team_id: uuid.UUID | None = None,
) -> dict:
    """Copy the team's squad of ``season_id`` into ``to_season_id``, into the team
    ``promote_to_team_id`` when given (players moving up an age group); those already there
    stay. Answers the receiving squad."""
    team = club_team(club.id, team_id)
    source = club_season(club.id, season_id)
    target = club_season(club.id, to_season_id)
    receiving = club_team(club.id, promote_to_team_id) if promote_to_team_id else team
    add_to_squad(receiving.id, target.id, squad_ids(team.id, source.id))
    commit_club_write(club.id)
    return _squad(receiving.id, target.id)
