"""/api/auth: registration, login, invite codes, password change (no token needed except the last).

The mobile app sends its Authorization header here too; these views never read it (except
change-password), so a stale token cannot break a login.
"""

import hashlib

from flask import current_app, request
from flask_jwt_extended import get_jwt

from spinta.api.blueprint import Blueprint
from spinta.api.docs import ANY, errors
from spinta.extensions import limiter
from spinta.schemas.auth import (
    ChangePasswordSchema,
    CoachAuthSchema,
    InviteCodeSchema,
    InviteResultSchema,
    LoggedOutSchema,
    LoginResultSchema,
    LoginSchema,
    PlayerAuthSchema,
    RegisterCoachSchema,
    RegisterPlayerSchema,
    TokenSchema,
)
from spinta.schemas.privacy import GuardianAuthSchema, RegisterGuardianSchema
from spinta.security import current_account, login_required
from spinta.services import auth
from spinta.services.auth import normalise_email

blp = Blueprint("auth", __name__, description="Accounts and sign-in")


def auth_rate_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


def account_rate_limit() -> str:
    return current_app.config["RATELIMIT_ACCOUNT"]


def login_account_key() -> str:
    """The account a login tries: the body's normalised email, hashed (no email in the counter
    store). Unknown emails are counted the same way, so a 429 says nothing about existence."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    email = normalise_email(email) if isinstance(email, str) else ""
    return "account:" + hashlib.sha256(email.encode("utf-8", "surrogatepass")).hexdigest()


def token_account_key() -> str:
    """The signed-in account (below ``login_required``)."""
    return f"user:{current_account().id}"


# Per client address (login, invite check, registrations, change-password) ...
rate_limited = limiter.limit(auth_rate_limit, per_method=True)
# ... and per account (login, change-password): many addresses cannot try one account's password
# more often than one address can.
login_account_limited = limiter.limit(
    account_rate_limit, key_func=login_account_key, per_method=True
)
token_account_limited = limiter.limit(
    account_rate_limit, key_func=token_account_key, per_method=True
)


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
@errors(
    blp,
    (404, "Unknown staff invite code"),
    (409, "The email is already registered, or the invite code was already used"),
    (410, "The staff invite code has expired (an admin can issue a new one)"),
    body=True,
    rate_limited=True,
)
def register_coach(body):
    """Register a coach with his club, or (with a staff `invite_code` instead of `club`) as a
    member of the club that invited him, with the code's role and teams."""
    invite_code = body.pop("invite_code", None)
    if invite_code is not None:
        session = auth.join_club(invite_code=invite_code, **body)
    else:
        session = auth.register_coach(**body)
    club = session.user.coach.club
    return {"user": {**_user(session.user), "club": club}, "token": session.token}


@blp.route("/login", methods=["POST"])
@rate_limited
@login_account_limited
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
    (410, "The invite code has expired (the coach can issue a new one)"),
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
    (410, "The invite code has expired (the coach can issue a new one)"),
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


@blp.route("/register/guardian", methods=["POST"])
@rate_limited
@blp.arguments(RegisterGuardianSchema)
@blp.response(201, GuardianAuthSchema)
@errors(
    blp,
    (404, "Unknown invite code"),
    (409, "Code already used or email already registered"),
    (410, "The invite code has expired (the club can invite him again)"),
    body=True,
    rate_limited=True,
)
def register_guardian(body):
    """Sign up as a guardian with the invite code the club gave you."""
    session = auth.register_guardian(**body)
    return {"user": _user(session.user), "token": session.token}


@blp.route("/change-password", methods=["POST"])
@login_required
@rate_limited
@token_account_limited
@blp.arguments(ChangePasswordSchema)
@blp.response(200, TokenSchema)
@errors(
    blp,
    (401, "Wrong current password, or a missing/invalid token"),
    body=True,
    auth=ANY,
    rate_limited=True,
)
def change_password(body):
    """Change the password; every earlier token stops working."""
    token = auth.change_password(user=current_account(), **body)
    return {"token": token}


@blp.route("/logout", methods=["POST"])
@login_required
@blp.response(200, LoggedOutSchema)
@errors(blp, auth=ANY)
def logout():
    """Log out: the token this is called with answers 401 from now on (other tokens of the
    account keep working)."""
    claims = get_jwt()
    auth.logout(jti=claims["jti"], expires=claims["exp"])
    return {"message": "You have been logged out."}
