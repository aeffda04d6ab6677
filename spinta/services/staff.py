"""A club's staff: invite codes for new coaches (role and teams), the staff list, removal.

A club's founder is its first admin. An admin invites a staff member with a code (the player
invite-code machinery: format, expiry, single use); a coach registering with it joins the club
with the code's role and teams (:func:`spinta.services.auth.join_club`). Removing a member
deletes his account (his tokens stop working at once); the last admin cannot be removed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import delete, select

from spinta.errors import Conflict, NotFound, ValidationFailed
from spinta.extensions import db
from spinta.models import Club, Coach, CoachTeam, StaffInvite, Team, User
from spinta.screen_cache import commit_club_write
from spinta.services.invites import InviteCode, generate_invite_code

ADMIN, COACH = "admin", "coach"
NO_MEMBER = "Staff member not found."
NO_TEAM = "Team not found."
NEEDS_TEAMS = "A coach needs at least one team: give team_ids."
LAST_ADMIN = "This is the club's last admin; make another admin first."


def club_team_ids(club_id: uuid.UUID, team_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """``team_ids`` in the club's team order, each once; a team of another club -> 404."""
    wanted = set(team_ids)
    found = list(
        db.session.scalars(
            select(Team.id)
            .where(Team.club_id == club_id, Team.id.in_(wanted))
            .order_by(Team.created_at, Team.id)
        )
    )
    if len(found) != len(wanted):
        raise NotFound(NO_TEAM)
    return found


def _unique_code(club_name: str) -> str:
    while True:  # a clash of 40 random bits: astronomically rare
        code = generate_invite_code(club_name)
        taken = db.session.scalar(select(StaffInvite.id).where(StaffInvite.invite_code == code))
        if taken is None:
            return code


def issue_invite(
    *, club: Club, role: str, team_ids: list[uuid.UUID], email: str | None = None
) -> dict:
    """A single-use code that lets one new coach join ``club`` as ``role`` (a ``coach``: of
    ``team_ids``, at least one team of the club)."""
    teams = club_team_ids(club.id, team_ids) if role == COACH else []
    if role == COACH and not teams:
        raise ValidationFailed(NEEDS_TEAMS)
    invite = StaffInvite(
        club_id=club.id,
        invite_code=_unique_code(club.club_name),
        role=role,
        team_ids=[str(team) for team in teams],
        email=email,
    )
    db.session.add(invite)
    db.session.commit()  # no screen shows invites
    issued = InviteCode(invite.invite_code, invite.invite_expires_at)
    return {
        "invite_code": issued.invite_code,
        "role": role,
        "team_ids": teams,
        "expires_at": issued.expires_at,
    }


def list_staff(club_id: uuid.UUID) -> list[dict]:
    """The club's staff, admins first, then by name; a coach with the teams he coaches."""
    rows = db.session.execute(
        select(Coach.id, Coach.role, User.full_name, User.email)
        .join(User, User.id == Coach.user_id)
        .where(Coach.club_id == club_id)
        .order_by(Coach.role, User.full_name, Coach.id)
    ).all()
    teams: dict[uuid.UUID, list[uuid.UUID]] = {}
    for coach_id, team_id in db.session.execute(
        select(CoachTeam.coach_id, CoachTeam.team_id)
        .join(Team, Team.id == CoachTeam.team_id)
        .join(Coach, Coach.id == CoachTeam.coach_id)
        .where(Coach.club_id == club_id)
        .order_by(Team.created_at, Team.id)
    ):
        teams.setdefault(coach_id, []).append(team_id)
    return [
        {
            "coach_id": row.id,
            "full_name": row.full_name,
            "email": row.email,
            "role": row.role,
            "team_ids": teams.get(row.id, []) if row.role == COACH else [],
        }
        for row in rows
    ]


def remove_member(*, club: Club, coach_id: uuid.UUID) -> None:
    """Delete a staff member's account (409 for the club's last admin). The club row is locked
    first, so two admins removing each other cannot leave the club without one."""
    db.session.scalar(select(Club.id).where(Club.id == club.id).with_for_update())
    member = db.session.scalar(select(Coach).where(Coach.id == coach_id, Coach.club_id == club.id))
    if member is None:
        raise NotFound(NO_MEMBER)
    admins = list(
        db.session.scalars(
            select(Coach.id)
            .where(Coach.club_id == club.id, Coach.role == ADMIN)
            .order_by(Coach.created_at, Coach.id)
        )
    )
    if member.role == ADMIN and len(admins) == 1:
        db.session.rollback()
        raise Conflict(LAST_ADMIN)
    founder = db.session.scalar(select(Club.coach_id).where(Club.id == club.id))
    if founder == member.id:  # the club outlives its founder: the next admin takes his place
        heir = next(admin for admin in admins if admin != member.id)
        db.session.execute(Club.__table__.update().where(Club.id == club.id).values(coach_id=heir))
    user_id = member.user_id
    db.session.expunge(member)
    # The account and, by the database's cascades, his profile, teams and chat sessions; his
    # training plans stay (written by no one now).
    db.session.execute(delete(User).where(User.id == user_id))
    commit_club_write(club.id)
