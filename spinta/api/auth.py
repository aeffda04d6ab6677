"""/api/auth: registration, login, invite codes, password change (no token needed except the last).

The mobile app sends its Authorization header here too; these views never read it (except
change-password), so a stale token cannot break a login.
"""

from flask import current_app
from flask_smorest import Blueprint

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
@blp.alt_response(409, description="The email is already registered")
@blp.alt_response(429, description="Too many attempts from this address")
def register_coach(body):
    """Register a coach with his club."""
    session = auth.register_coach(**body)
    club = session.user.coach.club
    return {"user": {**_user(session.user), "club": club}, "token": session.token}


@blp.route("/login", methods=["POST"])
@rate_limited
@blp.arguments(LoginSchema)
@blp.response(200, LoginResultSchema)
@blp.alt_response(401, description="Invalid email or password")
@blp.alt_response(429, description="Too many attempts from this address")
def login(body):
    """Log in with email and password."""
    session = auth.authenticate(**body)
    return {"user": _user(session.user), "token": session.token}


@blp.route("/verify-invite", methods=["POST"])
@rate_limited
@blp.arguments(InviteCodeSchema)
@blp.response(200, InviteResultSchema)
@blp.alt_response(404, description="Unknown invite code")
@blp.alt_response(409, description="The invite code was already used")
@blp.alt_response(429, description="Too many attempts from this address")
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
@blp.alt_response(404, description="Unknown invite code")
@blp.alt_response(409, description="Code already used or email already registered")
@blp.alt_response(429, description="Too many attempts from this address")
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
@blp.alt_response(401, description="Wrong current password or invalid token")
@blp.doc(security=[{"bearerAuth": []}])
def change_password(body):
    """Change the password; every earlier token stops working."""
    token = auth.change_password(user=current_account(), **body)
    return {"token": token}
