"""Accounts: coach registration, login, invite check, player signup, password change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from spinta.errors import Conflict, NotFound, Unauthorized
from spinta.extensions import db
from spinta.models import Club, Coach, Player, User, utcnow
from spinta.screen_cache import club_changed
from spinta.security import hash_password, issue_token, needs_rehash, verify_password
from spinta.services.invites import normalise_invite_code

INVALID_LOGIN = "Invalid email or password."
EMAIL_TAKEN = "An account with this email already exists."
UNKNOWN_CODE = "This invite code does not exist. Check it with your coach."
USED_CODE = "This invite code has already been used."


@dataclass(frozen=True)
class Session:
    """A signed-in user and his token."""

    user: User
    token: str


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _email_exists(email: str) -> bool:
    return db.session.scalar(select(User.id).where(User.email == email)) is not None


def _commit_or_conflict(message: str) -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(message) from None


def register_coach(
    *,
    email: str,
    password: str,
    full_name: str,
    club: dict,
    birth_date: date | None = None,
    gender: str | None = None,
) -> Session:
    """Create the user, the coach and his club in one transaction."""
    email = normalise_email(email)
    if _email_exists(email):
        raise Conflict(EMAIL_TAKEN)
    user = User(
        email=email,
        password_hash=hash_password(password),
        full_name=full_name,
        user_type="coach",
        token_version=0,
    )
    coach = Coach(user=user, birth_date=birth_date, gender=gender)
    Club(
        coach=coach,
        club_name=club["club_name"],
        country=club.get("country"),
        age_group=club.get("age_group"),
        stadium=club.get("stadium"),
        logo_url=club.get("logo_url"),
    )
    db.session.add(user)
    _commit_or_conflict(EMAIL_TAKEN)
    return Session(user=user, token=issue_token(user))


def authenticate(*, email: str, password: str) -> Session:
    """Check the credentials; one sentence and similar work for unknown email and bad password."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid:
        raise Unauthorized(INVALID_LOGIN)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return Session(user=user, token=issue_token(user))


def find_invited_player(invite_code: str) -> Player:
    """The squad entry behind an unused code (404 unknown, 409 used)."""
    code = normalise_invite_code(invite_code)
    player = db.session.scalar(select(Player).where(Player.invite_code == code))
    if player is None:
        raise NotFound(UNKNOWN_CODE)
    if player.is_linked:
        raise Conflict(USED_CODE)
    return player


def verify_invite(*, invite_code: str) -> Player:
    return find_invited_player(invite_code)


def register_player(
    *,
    invite_code: str,
    player_name: str,
    email: str,
    password: str,
    birth_date: date,
    height: int,
    profile_image_url: str | None = None,
) -> Session:
    """Create the player's user and link it to his squad entry, atomically and only once."""
    player = find_invited_player(invite_code)
    email = normalise_email(email)
    if _email_exists(email):
        raise Conflict(EMAIL_TAKEN)
    user = User(
        id=uuid.uuid4(),
        email=email,
        password_hash=hash_password(password),
        full_name=player_name,
        user_type="player",
        token_version=0,
    )
    db.session.add(user)
    db.session.flush()
    # Conditional update: of two concurrent signups with one code, only one sees is_linked false.
    linked = db.session.execute(
        update(Player)
        .where(Player.id == player.id, Player.is_linked.is_(False))
        .values(
            user_id=user.id,
            is_linked=True,
            linked_at=utcnow(),
            player_name=player_name,
            birth_date=birth_date,
            height=height,
            profile_image_url=profile_image_url,
        )
        .execution_options(synchronize_session=False)
    )
    if linked.rowcount != 1:
        db.session.rollback()
        raise Conflict(USED_CODE)
    club_changed(player.club_id)
    _commit_or_conflict(EMAIL_TAKEN)
    db.session.refresh(player)
    return Session(user=user, token=issue_token(user))


def change_password(*, user: User, current_password: str, new_password: str) -> str:
    """Set a new password and revoke every earlier token; returns a fresh token."""
    if not verify_password(user.password_hash, current_password):
        raise Unauthorized("The current password is incorrect.")
    user.password_hash = hash_password(new_password)
    user.token_version = User.token_version + 1
    db.session.commit()
    db.session.refresh(user)
    return issue_token(user)
