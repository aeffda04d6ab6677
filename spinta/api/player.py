"""/api/player: a player's own screens (player token). Training routes live in training.py."""

from __future__ import annotations

import uuid

from spinta.api.audit import audited
from spinta.api.blueprint import Blueprint
from spinta.api.docs import PLAYER, errors
from spinta.schemas.screens import (
    PagedMatchesSchema,
    PlayerDashboardSchema,
    PlayerMatchSchema,
    PlayerProfileSchema,
    SeasonPaginationSchema,
    SeasonQuerySchema,
)
from spinta.screen_cache import screen
from spinta.security import current_account, current_player, player_required
from spinta.services import screens

NO_SEASON = (404, "No such season in the club")

blp = Blueprint(
    "player",
    __name__,
    url_prefix="/api/player",
    description="Player: his own statistics and matches",
)


@blp.route("/dashboard", methods=["GET"])
@audited("read", ("player_name", "height", "age", "profile_image_url"))
@screen("player")
@player_required
@blp.arguments(SeasonQuerySchema, location="query", as_kwargs=True)
@blp.response(200, PlayerDashboardSchema)
@errors(blp, NO_SEASON, query=True, auth=PLAYER)
def dashboard(season_id=None):
    """The player's home screen: card, attribute ratings and season statistics."""
    player = current_player()
    return screens.player_dashboard(player=player, scope=screens.player_scope(player, season_id))


@blp.route("/matches", methods=["GET"])
@screen("player")
@player_required
@blp.arguments(SeasonPaginationSchema, location="query", as_kwargs=True)
@blp.response(200, PagedMatchesSchema)
@errors(blp, NO_SEASON, query=True, auth=PLAYER)
def list_matches(limit: int, offset: int, season_id=None):
    """The matches the player played in a season (default: the latest), newest first."""
    player = current_player()
    return screens.player_matches(
        player=player, limit=limit, offset=offset, scope=screens.player_scope(player, season_id)
    )


@blp.route("/matches/<uuid:match_id>", methods=["GET"])
@screen("player")
@player_required
@blp.response(200, PlayerMatchSchema)
@errors(blp, (404, "No such match, or he did not play in it"), auth=PLAYER)
def match_detail(match_id: uuid.UUID):
    """The player's statistics in one match he played."""
    player = current_player()
    return screens.player_match(club_id=player.club_id, player_id=player.id, match_id=match_id)


@blp.route("/profile", methods=["GET"])
@audited("read", ("player_name", "email", "birth_date", "height", "profile_image_url"))
@screen("player")
@player_required
@blp.arguments(SeasonQuerySchema, location="query", as_kwargs=True)
@blp.response(200, PlayerProfileSchema)
@errors(blp, NO_SEASON, query=True, auth=PLAYER)
def profile(season_id=None):
    """The player's profile, club and season summary."""
    player = current_player()
    return screens.player_profile(
        user=current_account(), player=player, scope=screens.player_scope(player, season_id)
    )
