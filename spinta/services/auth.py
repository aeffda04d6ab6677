"""Accounts: coach registration, login, invite check, player signup, password change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from spinta.errors import Conflict, Gone, NotFound, Unauthorized, ValidationFailed
from spinta.extensions import db
from spinta.models import (
    Club,
    Coach,
    CoachTeam,
    Guardian,
    Player,
    RevokedToken,
    StaffInvite,
    Team,
    User,
    utcnow,
)
from spinta.screen_cache import commit_club_write
from spinta.security import hash_password, issue_token, needs_rehash, verify_password
from spinta.services.consent import stored_birth
from spinta.services.invites import is_expired, normalise_invite_code

INVALID_LOGIN = "Invalid email or password."
EMAIL_TAKEN = "An account with this email already exists."
UNKNOWN_CODE = "This invite code does not exist. Check it with your coach."
USED_CODE = "This invite code has already been used."
EXPIRED_CODE = "This invite code has expired. Ask your coach for a new one."
OTHER_EMAIL = "This invite code was issued for another email address."


@dataclass(frozen=True)
class Session:
    """A signed-in user and his token."""

    user: User
    token: str


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _email_exists(email: str) -> bool:
    return db.session.scalar(select(User.id).where(User.email == email)) is not None


def _commit_or_conflict(message: str, *, club_id: uuid.UUID | None = None) -> None:
    """Commit (as a change of ``club_id``'s screens when given); a unique clash -> 409."""
    try:
        if club_id is None:
            db.session.commit()
        else:
            commit_club_write(club_id)
    except IntegrityError:
        db.session.rollback()
        raise Conflict(message) from None


def _coach_user(email: str, password: str, full_name: str) -> User:
    return User(
        email=email,
        password_hash=hash_password(password),
        full_name=full_name,
        user_type="coach",
        token_version=0,
    )


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
    user = _coach_user(email, password, full_name)
    coach = Coach(user=user, birth_date=birth_date, gender=gender, role="admin")
    new_club = Club(
        coach=coach,
        club_name=club["club_name"],
        country=club.get("country"),
        age_group=club.get("age_group"),
        stadium=club.get("stadium"),
        logo_url=club.get("logo_url"),
    )
    # Every club starts with one team, named after it; its first coach coaches it.
    new_club.teams.append(Team(name=club["club_name"], age_group=club.get("age_group")))
    coach.club = new_club  # its founder is its first admin
    db.session.add(user)
    _commit_or_conflict(EMAIL_TAKEN)
    return Session(user=user, token=issue_token(user))


def join_club(
    *,
    email: str,
    password: str,
    full_name: str,
    invite_code: str,
    birth_date: date | None = None,
    gender: str | None = None,
) -> Session:
    """Register a coach who joins an existing club with a staff invite code: his role and
    teams are the code's (404 unknown, 409 used or email taken, 410 expired, 422 when the code
    names another email). The code is used once: of two signups with it, one wins."""
    invite = _open_staff_invite(invite_code)
    email = normalise_email(email)
    if invite.email is not None and invite.email != email:
        raise ValidationFailed(OTHER_EMAIL)
    if _email_exists(email):
        raise Conflict(EMAIL_TAKEN)
    used = db.session.execute(
        update(StaffInvite)
        .where(StaffInvite.id == invite.id, StaffInvite.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        db.session.rollback()
        raise Conflict(USED_CODE)
    user = _coach_user(email, password, full_name)
    coach = Coach(
        id=uuid.uuid4(),
        user=user,
        birth_date=birth_date,
        gender=gender,
        club_id=invite.club_id,
        role=invite.role,
    )
    db.session.add(user)
    db.session.flush()
    teams = select(Team.id).where(
        Team.club_id == invite.club_id, Team.id.in_([uuid.UUID(t) for t in invite.team_ids])
    )
    db.session.add_all(
        CoachTeam(coach_id=coach.id, team_id=team) for team in db.session.scalars(teams)
    )
    _commit_or_conflict(EMAIL_TAKEN, club_id=invite.club_id)
    return Session(user=user, token=issue_token(user))


def check_code(found: object, *, used: bool, expires_at: datetime | None) -> None:
    """An invite code's row (None: unknown, 404), whether it was used (409) or has expired
    (410): the same answers for player, guardian and staff codes."""
    if found is None:
        raise NotFound(UNKNOWN_CODE)
    if used:
        raise Conflict(USED_CODE)
    if expires_at is not None and is_expired(expires_at):
        raise Gone(EXPIRED_CODE)


def _open_staff_invite(invite_code: str) -> StaffInvite:
    code = normalise_invite_code(invite_code)
    invite = db.session.scalar(select(StaffInvite).where(StaffInvite.invite_code == code))
    check_code(
        invite,
        used=invite is not None and invite.used_at is not None,
        expires_at=invite and invite.invite_expires_at,
    )
    return invite


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
    """The squad entry behind an unused, current code (404 unknown, 409 used, 410 expired)."""
    code = normalise_invite_code(invite_code)
    player = db.session.scalar(select(Player).where(Player.invite_code == code))
    check_code(
        player,
        used=player is not None and player.is_linked,
        expires_at=player and player.invite_expires_at,
    )
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
    # Conditional update: of two concurrent signups with one code, only one sees is_linked false;
    # a code the coach replaced meanwhile no longer matches.
    linked = db.session.execute(
        update(Player)
        .where(
            Player.id == player.id,
            Player.is_linked.is_(False),
            Player.invite_code == player.invite_code,
        )
        .values(
            user_id=user.id,
            is_linked=True,
            linked_at=utcnow(),
            player_name=player_name,
            **stored_birth(birth_date),
            height=height,
            profile_image_url=profile_image_url,
        )
        .execution_options(synchronize_session=False)
    )
    if linked.rowcount != 1:
        db.session.rollback()
        raise Conflict(USED_CODE)
    _commit_or_conflict(EMAIL_TAKEN, club_id=player.club_id)
    db.session.refresh(player)
    return Session(user=user, token=issue_token(user))


def register_guardian(*, invite_code: str, email: str, password: str, full_name: str) -> Session:
    """A guardian's login, linked to the guardian entry his club made (atomically, once)."""
    code = normalise_invite_code(invite_code)
    guardian = db.session.scalar(select(Guardian).where(Guardian.invite_code == code))
    if guardian is None:
        raise NotFound(UNKNOWN_CODE)
    if guardian.user_id is not None:
        raise Conflict(USED_CODE)
    if is_expired(guardian.invite_expires_at):
        raise Gone(EXPIRED_CODE)
    user = _guardian_login(normalise_email(email), password, full_name)
    linked = db.session.execute(
        update(Guardian)
        .where(Guardian.id == guardian.id, Guardian.user_id.is_(None))
        .values(user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if linked.rowcount != 1:
        db.session.rollback()
        raise Conflict(USED_CODE)
    _commit_or_conflict(EMAIL_TAKEN)
    return Session(user=user, token=issue_token(user))


def _guardian_login(email: str, password: str, full_name: str) -> User:
    """A new guardian login, or his existing one (a second child) when the password matches;
    any other account with the email -> 409."""
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None:
        if existing.user_type != "guardian" or not verify_password(
            existing.password_hash, password
        ):
            raise Conflict(EMAIL_TAKEN)
        return existing
    user = User(
        id=uuid.uuid4(),
        email=email,
        password_hash=hash_password(password),
        full_name=full_name,
        user_type="guardian",
        token_version=0,
    )
    db.session.add(user)
    db.session.flush()
    return user


def change_password(*, user: User, current_password: str, new_password: str) -> str:
    """Set a new password and revoke every earlier token; returns a fresh token."""
    if not verify_password(user.password_hash, current_password):
        raise Unauthorized("The current password is incorrect.")
    user.password_hash = hash_password(new_password)
    user.token_version = User.token_version + 1
    db.session.commit()
    db.session.refresh(user)
    return issue_token(user)


def logout(*, jti: str, expires: int) -> None:
    """Revoke one token (its ``jti``) until it expires; the user's other tokens keep working.

    Rows of tokens that have expired anyway are deleted here, so the table stays as small as
    the number of tokens logged out within ``JWT_EXPIRES_DAYS``."""
    now = utcnow()
    db.session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now))
    db.session.add(RevokedToken(jti=jti, expires_at=datetime.fromtimestamp(expires, UTC)))
    try:
        db.session.commit()
    except IntegrityError:  # the same token logged out twice at once: revoked either way
        db.session.rollback()
