"""/api/coach: the club's teams, squads, seasons and settings (coach token; changes: the
club's admin). The lists (GET /teams, GET /seasons) are in spinta.api.coach."""

from __future__ import annotations

import uuid

from spinta.api.blueprint import Blueprint
from spinta.api.docs import COACH, errors
from spinta.schemas.screens import SeasonSchema, TeamSchema
from spinta.schemas.teams import (
    ClubSchema,
    ClubUpdateSchema,
    DeletedTeamSchema,
    RolloverSchema,
    SeasonCreateSchema,
    SeasonUpdateSchema,
    SquadInSchema,
    SquadOutSchema,
    SquadQuerySchema,
    TeamCreateSchema,
    TeamUpdateSchema,
)
from spinta.security import admin_required, coach_required, current_club
from spinta.services import season_admin, team_admin

blp = Blueprint("coach_teams", __name__, description="Coach: teams, squads, seasons, club")

NOT_ADMIN = (403, "Not a coach's token, or a coach who is not the club's admin")
NO_TEAM = (404, "No such team in this club")
NO_SEASON = (404, "No such team or season in this club")
OVERLAP = (409, "The dates overlap another season of the club")


@blp.route("/teams", methods=["POST"])
@coach_required
@admin_required
@blp.arguments(TeamCreateSchema)
@blp.response(201, TeamSchema)
@errors(blp, NOT_ADMIN, body=True, auth=COACH)
def create_team(body):
    """Add a team (name, age group, format) to the club."""
    return team_admin.create_team(club=current_club(), fields=body)


@blp.route("/teams/<uuid:team_id>", methods=["PATCH"])
@coach_required
@admin_required
@blp.arguments(TeamUpdateSchema)
@blp.response(200, TeamSchema)
@errors(blp, NOT_ADMIN, NO_TEAM, body=True, auth=COACH)
def update_team(body, team_id: uuid.UUID):
    """Rename a team or change its age group or format; absent fields stay."""
    return team_admin.update_team(club=current_club(), team_id=team_id, changes=body)


@blp.route("/teams/<uuid:team_id>", methods=["DELETE"])
@coach_required
@admin_required
@blp.response(200, DeletedTeamSchema)
@errors(
    blp,
    NOT_ADMIN,
    NO_TEAM,
    (409, "The team has matches, or it is the club's last team"),
    auth=COACH,
)
def delete_team(team_id: uuid.UUID):
    """Delete a team without matches (its squads go with it)."""
    team_admin.delete_team(club=current_club(), team_id=team_id)
    return {"deleted": True, "team_id": team_id, "message": "Team deleted."}


@blp.route("/teams/<uuid:team_id>/players", methods=["PUT"])
@coach_required
@blp.arguments(SquadQuerySchema, location="query", as_kwargs=True)
@blp.arguments(SquadInSchema)
@blp.response(200, SquadOutSchema)
@errors(blp, (404, "No such team, season or player in this club"), body=True, auth=COACH)
def replace_squad(body, team_id: uuid.UUID, season_id=None):
    """Set the team's squad for a season (default: the current one); a player may be in
    several teams."""
    return team_admin.replace_squad(
        club=current_club(), team_id=team_id, season_id=season_id, player_ids=body["player_ids"]
    )


@blp.route("/seasons", methods=["POST"])
@coach_required
@admin_required
@blp.arguments(SeasonCreateSchema)
@blp.response(201, SeasonSchema)
@errors(blp, NOT_ADMIN, OVERLAP, body=True, auth=COACH)
def create_season(body):
    """Add a season (a named date range that overlaps no other season of the club)."""
    return season_admin.create_season(club=current_club(), **body)


@blp.route("/seasons/<uuid:season_id>", methods=["PATCH"])
@coach_required
@admin_required
@blp.arguments(SeasonUpdateSchema)
@blp.response(200, SeasonSchema)
@errors(blp, NOT_ADMIN, (404, "No such season in this club"), OVERLAP, body=True, auth=COACH)
def update_season(body, season_id: uuid.UUID):
    """Rename a season or move its dates: matches follow their dates into the season that
    now contains them, and the statistics of the seasons they leave and join are rebuilt."""
    return season_admin.update_season(club=current_club(), season_id=season_id, changes=body)


@blp.route("/seasons/<uuid:season_id>/rollover", methods=["POST"])
@coach_required
@admin_required
@blp.arguments(RolloverSchema)
@blp.response(200, SquadOutSchema)
@errors(blp, NOT_ADMIN, NO_SEASON, body=True, auth=COACH)
def rollover(body, season_id: uuid.UUID):
    """Start the next season: copy the team's squad of this season into `to_season_id` (into
    `promote_to_team_id` when given, to move the players up an age group)."""
    return team_admin.rollover(club=current_club(), season_id=season_id, **body)


@blp.route("/club", methods=["GET"])
@coach_required
@blp.response(200, ClubSchema)
@errors(blp, auth=COACH)
def club_settings():
    """The club's name, logo, country, season start and minimum playing-time share."""
    return current_club()


@blp.route("/club", methods=["PATCH"])
@coach_required
@admin_required
@blp.arguments(ClubUpdateSchema)
@blp.response(200, ClubSchema)
@errors(blp, NOT_ADMIN, body=True, auth=COACH)
def update_club(body):
    """Change the club's settings; absent fields stay. A new season start shapes the seasons
    created from then on."""
    return season_admin.update_club(club=current_club(), changes=body)
