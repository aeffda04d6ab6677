"""/api/auth: registration, login, invite codes, password change (no token needed except the last).

The mobile app sends its Authorization header here too; these views never read it (except
change-password), so a stale token cannot break a login.
"""

from flask import current_app

from spinta.api.blueprint import Blueprint
from spinta.api.docs import ANY, errors
from spinta.extensions import limiter
from spinta.schemas.auth import (
    ChangePasswordSchema,
    CoachAuthSchema,
    InviteCodeSchema,
    InviteResultSchema,
    LoginResultSchema,
    LoginSchema,
    PlayerAuthSchema,
    RegisterCoachSchema,
    RegisterPlayerSchema,
    TokenSchema,
)
from spinta.security import current_account, login_required
from spinta.services import auth

blp = Blueprint("auth", __name__, description="Accounts and sign-in")


def auth_rate_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


rate_limited = limiter.limit(auth_rate_limit, per_method=True)


def _user(user) -> dict:
    return {
        "user_id": user.id,
        "email": user.email,
        "user_type": user.user_type,
        "full_name": user.full_name,
    }


@blp.route("/register/coach", methods=["POST"])
@rate_limited
@blp.arguments(RegisterCoachSchema)
@blp.response(201, CoachAuthSchema)
@errors(blp, (409, "The email is already registered"), body=True, rate_limited=True)
def register_coach(body):
    """Register a coach with his club."""
    session = auth.register_coach(**body)
    club = session.user.coach.club
    return {"user": {**_user(session.user), "club": club}, "token": session.token}


@blp.route("/login", methods=["POST"])
@rate_limited
@blp.arguments(LoginSchema)
@blp.response(200, LoginResultSchema)
@errors(blp, (401, "Invalid email or password"), body=True, rate_limited=True)
def login(body):
    """Log in with email and password."""
    session = auth.authenticate(**body)
    return {"user": _user(session.user), "token": session.token}


@blp.route("/verify-invite", methods=["POST"])
@rate_limited
@blp.arguments(InviteCodeSchema)
@blp.response(200, InviteResultSchema)
@errors(
    blp,
    (404, "Unknown invite code"),
    (409, "The invite code was already used"),
    body=True,
    rate_limited=True,
)
def verify_invite(body):
    """Check an invite code and show whose squad entry it opens."""
    player = auth.verify_invite(**body)
    return {
        "valid": True,
        "player_data": {
            "player_id": player.id,
            "player_name": player.player_name,
            "jersey_number": player.jersey_number,
            "position": player.position,
            "club_name": player.club.club_name,
            "club_logo_url": player.club.logo_url,
        },
    }


@blp.route("/register/player", methods=["POST"])
@rate_limited
@blp.arguments(RegisterPlayerSchema)
@blp.response(201, PlayerAuthSchema)
@errors(
    blp,
    (404, "Unknown invite code"),
    (409, "Code already used or email already registered"),
    body=True,
    rate_limited=True,
)
def register_player(body):
    """Sign up as a player with an invite code."""
    session = auth.register_player(**body)
    player = session.user.player
    return {
        "user": {
            **_user(session.user),
            "jersey_number": player.jersey_number,
            "position": player.position,
            "birth_date": player.birth_date,
            "profile_image_url": player.profile_image_url,
            "club": player.club,
        },
        "token": session.token,
    }


@blp.route("/change-password", methods=["POST"])
@login_required
@blp.arguments(ChangePasswordSchema)
@blp.response(200, TokenSchema)
@errors(blp, (401, "Wrong current password, or a missing/invalid token"), body=True, auth=ANY)
def change_password(body):
    """Change the password; every earlier token stops working."""
    token = auth.change_password(user=current_account(), **body)
    return {"token": token}
