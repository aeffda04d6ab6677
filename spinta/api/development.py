"""Player development (issue 22): trends, percentiles and development goals.

Coach routes under /api/coach/players/{player_id}/..., the player's own under /api/player/...
Percentiles are for coaches only (children's data: no leaderboards for players)."""

from __future__ import annotations

import uuid

from spinta.api.blueprint import Blueprint
from spinta.api.docs import COACH, PLAYER, errors
from spinta.schemas.common import PaginationSchema
from spinta.schemas.development import (
    GoalCreateSchema,
    GoalListSchema,
    GoalSchema,
    PercentileQuerySchema,
    PercentilesSchema,
    PossessionListSchema,
    TrendsQuerySchema,
    TrendsSchema,
)
from spinta.security import coach_required, current_club, current_player, player_required
from spinta.services import development
from spinta.services.training import club_player

blp = Blueprint(
    "development",
    __name__,
    description="Development: trends, percentiles and goals of the advanced metrics",
)

NO_PLAYER = (404, "No such player in this club, or no such season")
NO_SCOPE = (404, "No such player, team or season in this club")


@blp.route("/coach/players/<uuid:player_id>/trends", methods=["GET"])
@coach_required
@blp.arguments(TrendsQuerySchema, location="query", as_kwargs=True)
@blp.response(200, TrendsSchema)
@errors(blp, NO_PLAYER, query=True, auth=COACH)
def coach_trends(player_id: uuid.UUID, metrics: str | None, season_id: str | None):
    """Per-season and rolling five-match per-90 values of any catalogue metric of a player
    (a match counts with 15 minutes or 10 actions)."""
    club = current_club()
    player = club_player(club, player_id)
    return development.player_trends(club=club, player=player, metrics=metrics, season_id=season_id)


@blp.route("/player/trends", methods=["GET"])
@player_required
@blp.arguments(TrendsQuerySchema, location="query", as_kwargs=True)
@blp.response(200, TrendsSchema)
@errors(blp, (404, "No such season"), query=True, auth=PLAYER)
def player_trends(metrics: str | None, season_id: str | None):
    """The player's own trends (same body as the coach's)."""
    player = current_player()
    return development.player_trends(
        club=player.club, player=player, metrics=metrics, season_id=season_id
    )


@blp.route("/coach/players/<uuid:player_id>/percentiles", methods=["GET"])
@coach_required
@blp.arguments(PercentileQuerySchema, location="query", as_kwargs=True)
@blp.response(200, PercentilesSchema)
@errors(blp, NO_SCOPE, query=True, auth=COACH)
def coach_percentiles(
    player_id: uuid.UUID,
    metrics: str | None,
    team_id: uuid.UUID | None = None,
    season_id: str | None = None,
):
    """The player's per-90 percentile in a season among the club's players of his position
    group in the squads of the team's age group who played 15 minutes or made 10 actions
    for those teams (coaches only)."""
    return development.percentiles(
        club=current_club(),
        player_id=player_id,
        metrics=metrics,
        team_id=team_id,
        season_id=season_id,
    )


@blp.route("/coach/players/<uuid:player_id>/goals", methods=["POST"])
@coach_required
@blp.arguments(GoalCreateSchema)
@blp.response(201, GoalSchema)
@errors(blp, NO_PLAYER, body=True, auth=COACH)
def create_goal(body, player_id: uuid.UUID):
    """Set a per-90 target on a metric for a player, due by a date, counted over his matches
    of a club season (default: the season holding the due date) up to the due date; his
    dashboard, detail screen and training plans show it at once."""
    return development.create_goal(club=current_club(), player_id=player_id, **body)


@blp.route("/coach/players/<uuid:player_id>/goals", methods=["GET"])
@coach_required
@blp.response(200, GoalListSchema)
@errors(blp, NO_PLAYER, auth=COACH)
def list_goals(player_id: uuid.UUID):
    """The player's goals with his current per-90 value, progress and whether achieved."""
    club = current_club()
    player = club_player(club, player_id)
    return development.list_goals(club_id=club.id, player_id=player.id)


@blp.route("/player/goals", methods=["GET"])
@player_required
@blp.response(200, GoalListSchema)
@errors(blp, auth=PLAYER)
def player_goals():
    """The player's own development goals and his progress."""
    player = current_player()
    return development.list_goals(club_id=player.club_id, player_id=player.id)


@blp.route("/coach/matches/<uuid:match_id>/possessions", methods=["GET"])
@coach_required
@blp.arguments(PaginationSchema, location="query", as_kwargs=True)
@blp.response(200, PossessionListSchema)
@errors(blp, (404, "No such match in this club"), query=True, auth=COACH)
def match_possessions(match_id: uuid.UUID, limit: int, offset: int):
    """The match's possession sequences in order (a page), each with its pass string."""
    return development.possessions(
        club=current_club(), match_id=match_id, limit=limit, offset=offset
    )
