"""Guardians and consent per purpose (api.md "Children's data").

A player is a minor while he is under ``CONSENT_AGE`` (default 16) by his birth date; without a
birth date (a squad entry nobody has joined with yet) his age is unknown and he is treated as
an adult until he signs up. Consent is recorded per purpose (:data:`PURPOSES`) with who gave it
(the player or one of his primary guardians), how and to which text version; a withdrawal stops
that processing from that moment:

- ``statistics`` withdrawn: no new match statistics are stored for him (his team's totals
  still count his actions: they are the team's);
- ``training`` withdrawn: no new training plan is written or suggested for him;
- ``assistant`` withdrawn, or a minor without it: the assistant and its club comparisons
  (leader lists, "who needs improvement") leave him out;
- ``photos`` withdrawn, or a minor without it: his profile picture is not shown.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, delete, exists, or_, select

from spinta.errors import Conflict, NotFound, ValidationFailed
from spinta.extensions import db
from spinta.models import PURPOSES, Club, Consent, Guardian, Player, User, utcnow
from spinta.screen_cache import commit_club_write
from spinta.services.invites import generate_invite_code

NO_PLAYER = "Player not found."
NO_GUARDIAN = "Guardian not found."
NO_CONSENT = "There is no consent for this purpose to withdraw."
# Purposes that a minor needs consent for before they apply to him at all (the others stop only
# on an explicit withdrawal).
NEEDED_BY_MINORS = ("assistant", "photos")
GUARDIAN_CODE_PREFIX = "guardian"  # codes read GUA-XXXXXXXX: nothing of the child's name


def consent_age() -> int:
    return current_app.config.get("CONSENT_AGE", 16)


def adult_born_before(today: date | None = None) -> date:
    """Players born on or before this day are of consent age."""
    today = today or date.today()
    years = consent_age()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def month_end(month: date) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - timedelta(days=1)


def birthday(player: Player) -> date | None:
    """His birth date as far as Spinta knows it: the full date where it is kept, else the last
    day of his birth month (the latest he can have been born: an age is never overstated, and
    a minor stays one until the month he turns the consent age is over)."""
    if player.birth_date is not None:
        return player.birth_date
    return month_end(player.birth_month) if player.birth_month is not None else None


def stored_birth(birth_date: date, today: date | None = None) -> dict[str, date | None]:
    """The columns a given birth date is stored as: the month always; the full date only at or
    over the consent age (README "Children's data")."""
    adult = birth_date <= adult_born_before(today)
    return {"birth_date": birth_date if adult else None, "birth_month": birth_date.replace(day=1)}


def is_minor(player: Player, today: date | None = None) -> bool | None:
    """True under the consent age, False at or over it, None without a birth date."""
    known = birthday(player)
    return None if known is None else known > adult_born_before(today)


def _minor_condition(cutoff: date):
    """SQL: :func:`is_minor` is true (the same rule on the columns), for the consent-age
    cutoff ``adult_born_before()``."""
    first = cutoff.replace(day=1)
    # month_end(birth_month) > cutoff  <=>  birth_month >= cutoff's month (unless the cutoff is
    # that month's last day, then the next month)
    threshold = first if cutoff < month_end(first) else month_end(first) + timedelta(days=1)
    return or_(
        and_(Player.birth_date.is_not(None), Player.birth_date > cutoff),
        and_(
            Player.birth_date.is_(None),
            Player.birth_month.is_not(None),  # never NULL: unknown ages are not minors
            Player.birth_month >= threshold,
        ),
    )


def club_player(club: Club, player_id: uuid.UUID) -> Player:
    player = db.session.scalar(
        select(Player).where(
            Player.id == player_id, Player.club_id == club.id, Player.erased_at.is_(None)
        )
    )
    if player is None:
        raise NotFound(NO_PLAYER)
    return player


# ---------------------------------------------------------------- who is left out


def _active(purpose: str):
    return exists().where(
        Consent.player_id == Player.id,
        Consent.purpose == purpose,
        Consent.withdrawn_at.is_(None),
    )


def _withdrawn(purpose: str):
    return exists().where(
        Consent.player_id == Player.id,
        Consent.purpose == purpose,
        Consent.withdrawn_at.is_not(None),
    )


def excluded_condition(purpose: str):
    """SQL condition on ``Player``: this processing must leave him out."""
    return _excluded_condition(purpose, adult_born_before())


@functools.lru_cache(maxsize=32)
def _excluded_condition(purpose: str, cutoff: date):
    """Built once per purpose and consent-age cutoff (the only value it holds): building it
    cost about 0.4 ms of every cold screen that shows a photo. SQL expressions are immutable,
    so one object serves every query and thread."""
    withdrawn = and_(_withdrawn(purpose), ~_active(purpose))
    condition = withdrawn | Player.erased_at.is_not(None)
    if purpose in NEEDED_BY_MINORS:
        condition = condition | and_(_minor_condition(cutoff), ~_active(purpose))
    return condition


def excluded_players(club_id: uuid.UUID, purpose: str) -> set[uuid.UUID]:
    """The club's players this processing leaves out (one query)."""
    return set(
        db.session.scalars(
            select(Player.id).where(Player.club_id == club_id, excluded_condition(purpose))
        )
    )


def photo_hidden():
    """A column of a query over ``Player``: his photo link must not be shown (``photos``
    withdrawn, or a minor without it). Screens read it with the player, in the same query."""
    return excluded_condition("photos").label("photo_hidden")


def photo_hidden_of(player_id: uuid.UUID):
    """The same as a column of any query (one player)."""
    return (
        exists().where(Player.id == player_id, excluded_condition("photos")).label("photo_hidden")
    )


def shown_photo(player: Player, hidden: bool) -> str | None:
    return None if hidden else player.profile_image_url


def is_excluded(player: Player, purpose: str) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where(Player.id == player.id, excluded_condition(purpose)))
        )
    )


def refuse_if_withdrawn(player: Player, purpose: str, sentence: str) -> None:
    if is_excluded(player, purpose):
        raise Conflict(sentence)


def missing_by_player(club_id: uuid.UUID, players: Sequence[Any]) -> dict[uuid.UUID, list[str]]:
    """For each minor among ``players`` (players, or rows with their ``id``, ``birth_date`` and
    ``birth_month``): the purposes without active consent (one query)."""
    minors = [p.id for p in players if is_minor(p)]
    if not minors:
        return {}
    given: dict[uuid.UUID, set[str]] = {pid: set() for pid in minors}
    rows = db.session.execute(
        select(Consent.player_id, Consent.purpose).where(
            Consent.player_id.in_(minors), Consent.withdrawn_at.is_(None)
        )
    )
    for player_id, purpose in rows:
        given[player_id].add(purpose)
    return {
        pid: [p for p in PURPOSES if p not in purposes]
        for pid, purposes in given.items()
        if len(purposes) < len(PURPOSES)
    }


# ---------------------------------------------------------------- consents


def consent_status(player: Player) -> dict:
    consents = db.session.scalars(
        select(Consent).where(Consent.player_id == player.id).order_by(Consent.given_at, Consent.id)
    ).all()
    active = {c.purpose for c in consents if c.withdrawn_at is None}
    minor = is_minor(player)
    return {
        "consent_age": consent_age(),
        "is_minor": minor,
        "consents": list(consents),
        "missing": [p for p in PURPOSES if p not in active] if minor else [],
    }


def record_consent(
    *,
    club: Club,
    player_id: uuid.UUID,
    purpose: str,
    given_by: str,
    method: str,
    text_version: str,
) -> Consent:
    player = club_player(club, player_id)
    if given_by != "player":
        guardian = _guardian_by_text_id(player.id, given_by)
        if guardian is None:
            raise ValidationFailed(
                'given_by must be "player" or the id of one of his guardians.',
                errors={"given_by": 'Not "player" nor one of his guardians.'},
            )
        if not guardian.is_primary:
            raise ValidationFailed(
                "A view-only guardian cannot give consent; ask a primary guardian.",
                errors={"given_by": "A view-only guardian."},
            )
    elif is_minor(player):
        raise ValidationFailed(
            f"He is under {consent_age()}: consent comes from a primary guardian.",
            errors={"given_by": "A minor's consent is given by a primary guardian."},
        )
    consent = Consent(
        player_id=player.id,
        purpose=purpose,
        given_by=given_by,
        method=method,
        text_version=text_version,
    )
    db.session.add(consent)
    commit_club_write(club.id)
    return consent


def withdraw_consent(*, player: Player, purpose: str) -> int:
    """Withdraw every active consent of the purpose (404 when none is active)."""
    now = utcnow()
    active = db.session.scalars(
        select(Consent).where(
            Consent.player_id == player.id,
            Consent.purpose == purpose,
            Consent.withdrawn_at.is_(None),
        )
    ).all()
    if not active:
        raise NotFound(NO_CONSENT)
    for consent in active:
        consent.withdrawn_at = now
    commit_club_write(player.club_id)
    return len(active)


# ---------------------------------------------------------------- guardians


def _guardian_by_text_id(player_id: uuid.UUID, text_id: str) -> Guardian | None:
    try:
        guardian_id = uuid.UUID(text_id)
    except ValueError:
        return None
    return db.session.scalar(
        select(Guardian).where(Guardian.id == guardian_id, Guardian.player_id == player_id)
    )


def unique_guardian_code() -> str:
    while True:
        code = generate_invite_code(GUARDIAN_CODE_PREFIX)
        taken = db.session.scalar(select(Guardian.id).where(Guardian.invite_code == code))
        if taken is None:
            return code


def add_guardian(
    *,
    club: Club,
    player_id: uuid.UUID,
    full_name: str,
    email: str,
    relation: str,
    is_primary: bool,
) -> Guardian:
    player = club_player(club, player_id)
    days = current_app.config.get("INVITE_CODE_TTL_DAYS", 30)
    guardian = Guardian(
        player_id=player.id,
        full_name=full_name,
        email=email,
        relation=relation,
        is_primary=is_primary,
        invite_code=unique_guardian_code(),
        invite_expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(guardian)
    db.session.commit()
    return guardian


def list_guardians(*, club: Club, player_id: uuid.UUID) -> list[Guardian]:
    player = club_player(club, player_id)
    return list(
        db.session.scalars(
            select(Guardian)
            .where(Guardian.player_id == player.id)
            .order_by(Guardian.created_at, Guardian.id)
        )
    )


def delete_guardian(*, club: Club, player_id: uuid.UUID, guardian_id: uuid.UUID) -> None:
    """Remove a guardian; his login goes too when he is no other child's guardian."""
    player = club_player(club, player_id)
    guardian = db.session.scalar(
        select(Guardian).where(Guardian.id == guardian_id, Guardian.player_id == player.id)
    )
    if guardian is None:
        raise NotFound(NO_GUARDIAN)
    user_id = guardian.user_id
    db.session.delete(guardian)
    db.session.flush()
    if user_id is not None:
        delete_orphan_guardian_user(user_id)
    db.session.commit()


def delete_orphan_guardian_user(user_id: uuid.UUID) -> None:
    """Delete a guardian's login once he is nobody's guardian any more."""
    still = db.session.scalar(select(Guardian.id).where(Guardian.user_id == user_id).limit(1))
    if still is None:
        db.session.execute(delete(User).where(User.id == user_id, User.user_type == "guardian"))


def guardian_children(user: User) -> list[tuple[Player, str]]:
    rows = db.session.execute(
        select(Player, Club.club_name)
        .join(Guardian, Guardian.player_id == Player.id)
        .join(Club, Club.id == Player.club_id)
        .where(Guardian.user_id == user.id, Player.erased_at.is_(None))
        .order_by(Player.player_name, Player.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def guardian_child(user: User, player_id: uuid.UUID) -> Player:
    player = db.session.scalar(
        select(Player)
        .join(Guardian, Guardian.player_id == Player.id)
        .where(Guardian.user_id == user.id, Player.id == player_id, Player.erased_at.is_(None))
    )
    if player is None:
        raise NotFound(NO_PLAYER)
    return player
