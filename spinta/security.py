"""Passwords (argon2id), tokens (HS256 JWT) and the role guards views use.

Every authentication failure answers 401 with the error contract; a valid token of the wrong
role answers 403 (the mobile app logs out on any 401).
"""

from __future__ import annotations

import contextlib
import functools
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g
from flask_jwt_extended import create_access_token, current_user, verify_jwt_in_request
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from spinta.errors import Forbidden, Unauthorized, error_response
from spinta.extensions import db, jwt
from spinta.models import Club, Coach, Player, RevokedToken, User

F = TypeVar("F", bound=Callable[..., Any])

# ---------------------------------------------------------------- passwords

_HASHERS: dict[tuple[int, int, int], PasswordHasher] = {}
_DUMMY_HASHES: dict[tuple[int, int, int], str] = {}


def _parameters() -> tuple[int, int, int]:
    config = current_app.config
    return (config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_KIB"], config["ARGON2_PARALLELISM"])


def _hasher() -> PasswordHasher:
    """argon2id with the configured cost (OWASP's recommendation by default)."""
    parameters = _parameters()
    if parameters not in _HASHERS:
        time_cost, memory_kib, parallelism = parameters
        _HASHERS[parameters] = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
        )
    return _HASHERS[parameters]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-work check: with no hash (unknown user) verify against a dummy hash anyway."""
    hasher = _hasher()
    if password_hash is None:
        parameters = _parameters()
        if parameters not in _DUMMY_HASHES:
            _DUMMY_HASHES[parameters] = hasher.hash(uuid.uuid4().hex)
        password_hash = _DUMMY_HASHES[parameters]
        with contextlib.suppress(VerificationError, InvalidHashError):
            hasher.verify(password_hash, password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


# ---------------------------------------------------------------- tokens


def issue_token(user: User) -> str:
    """A signed token carrying user_id, email, user_type and the user's token version."""
    return create_access_token(
        identity=str(user.id),
        additional_claims={
            "user_id": str(user.id),
            "email": user.email,
            "user_type": user.user_type,
            "token_version": user.token_version,
        },
        expires_delta=timedelta(days=current_app.config["JWT_EXPIRES_DAYS"]),
    )


@jwt.user_lookup_loader
def _load_user(_header: dict, payload: dict) -> User | None:
    """The token's user, or None (-> 401) when deleted, logged out or the token version is
    behind."""
    try:
        user_id = uuid.UUID(str(payload.get("sub")))
    except ValueError:
        return None
    # One query for the user with his coach profile and club, or his squad entry and club (the
    # signed token says which): every guard needs them, lazy loading would cost three round trips.
    profile, model = (
        (User.coach, Coach) if payload.get("user_type") == "coach" else (User.player, Player)
    )
    # The same query says whether this very token was logged out.
    row = db.session.execute(
        select(User, is_revoked(payload.get("jti")))
        .outerjoin(profile)
        .outerjoin(model.club)
        .where(User.id == user_id)
        .options(contains_eager(profile).contains_eager(model.club))
    ).first()
    if row is None:
        return None
    user, revoked = row
    if revoked or payload.get("token_version") != user.token_version:
        return None
    return user


def is_revoked(jti: Any) -> Any:
    """A boolean SQL expression: the token ``jti`` was logged out (``POST /api/auth/logout``)."""
    return select(RevokedToken.jti).where(RevokedToken.jti == jti).exists().label("revoked")


def _unauthorized(sentence: str):
    return error_response(401, sentence)


@jwt.unauthorized_loader
def _missing_token(_reason: str):
    return _unauthorized("Authentication required: send a Bearer token.")


@jwt.invalid_token_loader
def _invalid_token(_reason: str):
    return _unauthorized("Invalid token. Please log in again.")


@jwt.expired_token_loader
def _expired_token(_header: dict, _payload: dict):
    return _unauthorized("Your session has expired. Please log in again.")


@jwt.user_lookup_error_loader
def _stale_token(_header: dict, _payload: dict):
    return _unauthorized("This session is no longer valid. Please log in again.")


@jwt.revoked_token_loader
def _revoked_token(_header: dict, _payload: dict):
    return _unauthorized("This session is no longer valid. Please log in again.")


@jwt.needs_fresh_token_loader
def _needs_fresh(_header: dict, _payload: dict):
    return _unauthorized("Please log in again.")


# ---------------------------------------------------------------- guards


def login_required(view: F) -> F:
    """Any valid token (coach or player)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        verify_jwt_in_request()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def coach_required(view: F) -> F:
    """A coach token; loads the coach's club into ``g.club``. A player token -> 403."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        verify_jwt_in_request()
        user: User = current_user
        if user.user_type != "coach":
            raise Forbidden("This endpoint is for coaches.")
        club = user.coach.club if user.coach else None
        if club is None:
            raise Unauthorized("This account no longer has a club. Please log in again.")
        g.club = club
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def player_required(view: F) -> F:
    """A player token; loads his squad entry into ``g.player``. A coach token -> 403."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        verify_jwt_in_request()
        user: User = current_user
        if user.user_type != "player":
            raise Forbidden("This endpoint is for players.")
        if user.player is None:
            raise Unauthorized("This account is no longer part of a club. Please log in again.")
        g.player = user.player
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def guardian_required(view: F) -> F:
    """A guardian token (his children are looked up per request). Another role -> 403."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        verify_jwt_in_request()
        user: User = current_user
        if user.user_type != "guardian":
            raise Forbidden("This endpoint is for guardians.")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def current_club() -> Club:
    """The authenticated coach's club (inside a ``coach_required`` view)."""
    return g.club


def current_player() -> Player:
    """The authenticated player's squad entry (inside a ``player_required`` view)."""
    return g.player


def current_account() -> User:
    return current_user
