"""Passwords (argon2id), tokens (HS256 JWT) and the role guards views use.

Every authentication failure answers 401 with the error contract; a valid token of the wrong
role answers 403 (the mobile app logs out on any 401).
"""

from __future__ import annotations

import contextlib
import functools
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

import orjson
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g, request
from flask_jwt_extended import (
    create_access_token,
    current_user,
    decode_token,
    verify_jwt_in_request,
)
from sqlalchemy import (
    Connection,
    Select,
    String,
    Uuid,
    and_,
    bindparam,
    cast,
    insert,
    null,
    or_,
    select,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import contains_eager, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from spinta.errors import Forbidden, NotFound, Unauthorized, error_response
from spinta.extensions import db, jwt
from spinta.models import (
    AccessLogEntry,
    Club,
    Coach,
    CoachTeam,
    Match,
    Player,
    RevokedToken,
    Team,
    TeamPlayer,
    TrainingPlan,
    User,
    utcnow,
)
from spinta.prepared import execute_prepared

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


# ---------------------------------------------------------------- the login loader
#
# A token is a current login when it is a valid access token (signature, expiry, algorithm as
# configured: flask-jwt-extended decodes it), its subject is a user id, this very token was not
# logged out and its token version is the user's. The guards (``coach_required``,
# ``player_required``, through flask-jwt-extended's user loader) and the screen cache's fast path
# (:func:`peek_login`) both apply these rules through :func:`_token_user_id` and
# :func:`_is_current`; they differ only in what they load: the guards the ORM user with his
# profile and club, the fast path one Core row (no ORM objects, so a cache hit stays cheap).


def _token_user_id(payload: dict) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(payload.get("sub")))
    except ValueError:
        return None


def _is_current(payload: dict, *, token_version: int, revoked: bool) -> bool:
    return not revoked and payload.get("token_version") == token_version


@functools.cache
def _guard_statement(user_type: str) -> Select:
    """One query for the user with his coach profile and club, or his squad entry and club (the
    signed token says which): every guard needs them, lazy loading would cost three round trips.
    The same query says whether this very token was logged out. Built once per process: building
    it (the eager-loading options and their cache key) was about half of a guard's CPU."""
    profile, model = (User.coach, Coach) if user_type == "coach" else (User.player, Player)
    return (
        select(User, is_revoked(bindparam("jti")))
        .outerjoin(profile)
        .outerjoin(model.club)
        .where(User.id == bindparam("user_id"))
        .options(contains_eager(profile).contains_eager(model.club))
    )


@jwt.user_lookup_loader
def _load_user(_header: dict, payload: dict) -> User | None:
    """The token's user, or None (-> 401) when deleted, logged out or the token version is
    behind."""
    user_id = _token_user_id(payload)
    if user_id is None:
        return None
    adopted = _adopted(user_id)
    if adopted is not None:  # the fast path's row, by the same rules (adopt_login)
        setattr(g, _ADOPTED_TEAMS, adopted[1])
        return adopted[0]
    statement = _guard_statement("coach" if payload.get("user_type") == "coach" else "player")
    row = db.session.execute(statement, {"user_id": user_id, "jti": payload.get("jti")}).first()
    if row is None:
        return None
    user, revoked = row
    if not _is_current(payload, token_version=user.token_version, revoked=revoked):
        return None
    return user


@dataclass(frozen=True)
class Login:
    """A current login of a coach or player with a club, as :func:`peek_login` reads it."""

    user_id: uuid.UUID
    club_id: uuid.UUID
    data_version: uuid.UUID
    # The teams a staff member with the ``coach`` role sees (first: his default team); None
    # for an admin and a player (the whole club, or the player's own screens).
    teams: tuple[uuid.UUID, ...] | None = None
    # The login row itself: the user's, his profile's and his club's columns (adopt_login).
    row: Any = field(default=None, compare=False, repr=False)


# ---------------------------------------------------------------- the guard's objects, adopted
#
# On a screen's cache miss the guard would load the user, his profile and his club with its
# own query, moments after the fast path read the same rows by the same rules (a third of a
# cold read: bench/ratios.py, match detail). The login statement carries their columns
# instead (labelled ``<table>__<column>``), and :func:`adopt_login` turns them into the
# session's objects as a query would have (persistent, no history, relationships set), so
# the guard finds its user without a query. Every other request loads him as before.

_ADOPTED, _ADOPTED_TEAMS = "spinta_adopted_login", "spinta_adopted_teams"


@functools.cache
def _column_labels(model: type) -> tuple[tuple[str, str], ...]:
    """(attribute, label) of each mapped column of ``model``."""
    table = model.__table__.name
    return tuple(
        (attr.key, f"{table}__{attr.columns[0].name}") for attr in sa_inspect(model).column_attrs
    )


def _adopted_columns(model: type) -> list[Any]:
    columns = model.__table__.c
    return [columns[label.split("__", 1)[1]].label(label) for _key, label in _column_labels(model)]


def _persistent(model: type, row: Any) -> Any:
    """An object of ``model`` from the login row's columns, in the session as if loaded."""
    mapping = row._mapping
    instance = model(**{key: mapping[label] for key, label in _column_labels(model)})
    make_transient_to_detached(instance)
    db.session.add(instance)
    return instance


def adopt_login(login: Login) -> None:
    """The guard's user, his coach profile or squad entry, and his club, from ``login``'s row
    (read by the guard's own rules: current token, user type, profile and club exist); the
    guard then takes them instead of querying (:func:`_load_user`)."""
    row = login.row
    user, club = _persistent(User, row), _persistent(Club, row)
    name, model = ("coach", Coach) if row.user_type == "coach" else ("player", Player)
    profile = _persistent(model, row)
    set_committed_value(user, name, profile)
    set_committed_value(profile, "user", user)
    set_committed_value(profile, "club", club)
    g.setdefault(_ADOPTED, (user, login.teams))


def _adopted(user_id: uuid.UUID) -> tuple[User, tuple[uuid.UUID, ...] | None] | None:
    """The user (and his teams) :func:`adopt_login` built for this request, once."""
    adopted = g.pop(_ADOPTED, None)
    return adopted if adopted is not None and adopted[0].id == user_id else None


@dataclass
class Audit:
    """The access-log entry of an audited read screen (``@audited`` puts it in ``g.audit``).

    On PostgreSQL the fast path writes it in its login read's own statement (one round trip
    where a cached personal screen took two: ``bench/ratios.py``, player detail) and sets
    ``logged_id``; the audit then keeps it after a 2xx answer and deletes it after any other.
    Everywhere else ``logged_id`` stays None and the audit writes the entry after a 2xx answer.
    """

    action: str
    fields: list[str]
    player_id: uuid.UUID | None  # the ``player_id`` path parameter; None: the reader himself
    logged_id: uuid.UUID | None = None


def _login_statement(role: str) -> Select:
    """User type and token version, club id and data version: users -> coaches -> clubs for a
    coach, users -> players -> clubs for a player (no row: no such user, profile or club)."""
    users, clubs = User.__table__, Club.__table__
    if role == "coach":
        coaches = Coach.__table__
        joined = users.join(coaches, coaches.c.user_id == users.c.id).join(
            clubs, clubs.c.id == coaches.c.club_id
        )
        staff = (coaches.c.id.label("coach_id"), coaches.c.role)
    elif role == "player":
        players = Player.__table__
        joined = users.join(players, players.c.user_id == users.c.id).join(
            clubs, clubs.c.id == players.c.club_id
        )
        staff = (null().label("coach_id"), null().label("role"))
    else:
        raise ValueError(f"unknown role {role!r}")
    profile = Coach if role == "coach" else Player
    return (
        select(
            users.c.user_type,
            users.c.token_version,
            clubs.c.id.label("club_id"),
            clubs.c.data_version,
            *staff,
            is_revoked(bindparam("jti")),
            *(column for model in (User, profile, Club) for column in _adopted_columns(model)),
        )
        .select_from(joined)
        .where(users.c.id == bindparam("user_id"))
    )


def _audited_login_statement(role: str, by_player: bool) -> Select:
    """The login statement, and in the same statement (PostgreSQL: a data-modifying WITH) the
    access-log entry of the audited screen, when the login is current and its subject is a player
    of his club the reader may see (by id: for a staff member with the ``coach`` role, one of his
    teams' players; else the reading player himself). ``logged_id``: the entry's id, or NULL."""
    login = _login_statement(role).cte("login")
    log, players = AccessLogEntry.__table__, Player.__table__
    subject = select(players.c.id).where(players.c.club_id == login.c.club_id)
    if not by_player:
        subject = subject.where(players.c.user_id == bindparam("actor_id"))
    else:
        subject = subject.where(players.c.id == bindparam("player_id", type_=Uuid()))
        if role == "coach":
            coached = (
                select(TeamPlayer.player_id)
                .join(CoachTeam, CoachTeam.team_id == TeamPlayer.team_id)
                .where(CoachTeam.coach_id == login.c.coach_id)
            )
            subject = subject.where(or_(login.c.role != COACH_ROLE, players.c.id.in_(coached)))
    current = and_(
        login.c.user_type == role,
        login.c.token_version == bindparam("token_version"),
        login.c.revoked.is_(False),
    )
    values = (
        select(
            bindparam("id", type_=Uuid()),
            subject.scalar_subquery(),
            # Typed in the SQL, so a prepared form knows them (PostgreSQL only, as the WITH).
            cast(bindparam("at", type_=log.c.at.type), log.c.at.type),
            cast(bindparam("actor_role", type_=String()), log.c.actor_role.type),
            bindparam("actor_id", type_=Uuid()),
            cast(bindparam("action", type_=String()), log.c.action.type),
            cast(bindparam("fields", type_=String()), JSONB()),
        )
        .select_from(login)
        .where(current, subject.exists())
    )
    columns = ["id", "player_id", "at", "actor_role", "actor_id", "action", "fields"]
    logged = insert(log).from_select(columns, values).returning(log.c.id).cte("logged")
    return select(login, select(logged.c.id).scalar_subquery().label("logged_id"))


_LOGIN_STATEMENTS: dict[str, Select] = {}
_AUDITED_LOGIN_STATEMENTS: dict[tuple[str, bool], Select] = {}


# Exactly one "Bearer <token>" (what flask-jwt-extended reads from a plain header); any other
# form is left to the guard.
_BEARER = re.compile(r"Bearer ([^\s,]+)")


def peek_login(role: str, audit: Audit | None = None) -> Login | None:
    """The request's login when its token is a current login of ``role`` whose user has a club,
    in one Core query; None when anything is off (the guard then gives the right answer).
    With ``audit`` on PostgreSQL the same statement writes its access-log entry (:class:`Audit`)."""
    match = _BEARER.fullmatch(request.headers.get("Authorization", ""))
    if match is None:
        return None
    try:
        claims = decode_token(match.group(1))  # a token seen before: its expiry only
    except Exception:  # any invalid token: the guard gives the right 401
        return None
    user_id = _token_user_id(claims)
    if claims.get("type") != "access" or user_id is None:
        return None
    # A connection of its own (the primary's, as the replica rules want), not the session's: a
    # hit then never starts the ORM session (about 0.1 ms of CPU per read), a miss renders
    # the screen in the session's own transaction, which begins after this read.
    with db.own_connection() as connection:
        params = {"user_id": user_id, "jti": claims.get("jti")}
        if audit is not None and connection.dialect.name == "postgresql":
            row = _audited_login_row(connection, role, audit, claims, params)
        else:
            row = _login_row(connection, role, params)
        if row is None or row.user_type != role:
            return None
        if not _is_current(claims, token_version=row.token_version, revoked=row.revoked):
            return None
        teams = coached_team_ids(row.coach_id, connection) if row.role == COACH_ROLE else None
    return Login(user_id, row.club_id, row.data_version, teams, row)


def _audited_login_row(
    connection: Connection, role: str, audit: Audit, claims: dict, params: dict
) -> Any:
    """The login row of :func:`_audited_login_statement`, committed with its entry (the
    connection is in autocommit: as durable as any commit before the answer is sent)."""
    key = (role, audit.player_id is not None)
    if key not in _AUDITED_LOGIN_STATEMENTS:
        _AUDITED_LOGIN_STATEMENTS[key] = _audited_login_statement(*key)
    version = claims.get("token_version")
    params |= {
        "token_version": version if type(version) is int else None,
        "id": uuid.uuid4(),
        "at": utcnow(),
        "actor_role": role,
        "actor_id": params["user_id"],
        "action": audit.action,
        "fields": orjson.dumps(audit.fields).decode(),
    }
    if audit.player_id is not None:
        params["player_id"] = audit.player_id
    name = f"spinta_login_{role}_audited{'_by_id' if key[1] else ''}"
    row = execute_prepared(connection, _AUDITED_LOGIN_STATEMENTS[key], params, name).first()
    connection.commit()
    audit.logged_id = row.logged_id if row is not None else None
    return row


def _login_row(connection: Connection, role: str, params: dict) -> Any:
    """The login statement's row, prepared on PostgreSQL (planning was about half of the login
    read: ~250 -> ~130 us a call, bench in its commit)."""
    if role not in _LOGIN_STATEMENTS:
        _LOGIN_STATEMENTS[role] = _login_statement(role)
    statement = _LOGIN_STATEMENTS[role]
    return execute_prepared(connection, statement, params, f"spinta_login_{role}").first()


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
    """A coach token; loads the coach's club into ``g.club`` and the teams he sees into
    ``g.teams`` (None: every team, an admin). A player token -> 403.

    A staff member with the ``coach`` role reaches only his teams' matches, players and
    plans: a path id of anything else (``team_id``, ``match_id``, ``player_id``, ``plan_id``)
    is replaced by :data:`UNSEEN_ID`, an id no row has, so the view answers exactly what it
    answers for another club's id (the same 404, from its own code path)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        verify_jwt_in_request()
        user: User = current_user
        if user.user_type != "coach":
            raise Forbidden("This endpoint is for coaches.")
        coach = user.coach
        club = coach.club if coach else None
        if club is None:
            raise Unauthorized("This account no longer has a club. Please log in again.")
        g.club = club
        g.teams = _coach_teams(coach)
        return view(*args, **{name: seen(name, value) for name, value in kwargs.items()})

    return wrapper  # type: ignore[return-value]


def _coach_teams(coach: Coach) -> tuple[uuid.UUID, ...] | None:
    """None for an admin; a staff coach's teams, as the fast path read them for this request
    (:func:`adopt_login`) or else queried."""
    if coach.role != COACH_ROLE:
        return None
    adopted = g.pop(_ADOPTED_TEAMS, None)
    return adopted if adopted is not None else coached_team_ids(coach.id)


def admin_required(view: F) -> F:
    """Below ``coach_required``: a club admin only; a staff member with the ``coach`` role
    -> 403 (he knows the endpoint exists; it is the role, not the resource, he lacks)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not is_club_admin(current_user, current_club()):
            raise Forbidden("This endpoint is for the club's admins.")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def is_club_admin(user: User, club: Club) -> bool:
    """Whether the coach ``user`` administers ``club`` (his role there is ``admin``)."""
    coach = user.coach
    return coach is not None and coach.club_id == club.id and coach.role == ADMIN_ROLE


# ---------------------------------------------------------------- what a staff member sees

ADMIN_ROLE, COACH_ROLE = "admin", "coach"
# The nil UUID: no row has it (every id is a random uuid4), so it is "another club's id".
UNSEEN_ID = uuid.UUID(int=0)


def coached_team_ids(coach_id: Any, connection: Any = None) -> tuple[uuid.UUID, ...]:
    """The teams a staff member with the ``coach`` role coaches, in the club's team order
    (the first is his default team); on ``connection`` if given, else the session's."""
    return tuple(
        (connection or db.session).scalars(
            select(Team.id)
            .join(CoachTeam, CoachTeam.team_id == Team.id)
            .where(CoachTeam.coach_id == coach_id)
            .order_by(Team.created_at, Team.id)
        )
    )


def visible_teams() -> tuple[uuid.UUID, ...] | None:
    """The teams the request's coach sees: None for every team (an admin, or no coach)."""
    return getattr(g, "teams", None)


def _visible(name: str, value: uuid.UUID, teams: tuple[uuid.UUID, ...]) -> bool:
    if name == "team_id":
        return value in teams
    if name == "match_id":
        statement = select(Match.id).where(Match.id == value, Match.team_id.in_(teams))
    elif name == "player_id":
        statement = select(TeamPlayer.player_id).where(
            TeamPlayer.player_id == value, TeamPlayer.team_id.in_(teams)
        )
    else:  # plan_id: a plan of one of his players
        squads = select(TeamPlayer.player_id).where(TeamPlayer.team_id.in_(teams))
        statement = select(TrainingPlan.id).where(
            TrainingPlan.id == value, TrainingPlan.player_id.in_(squads)
        )
    return db.session.scalar(statement.limit(1)) is not None


def seen_body(body: dict) -> dict:
    """A request body with every scoped id in it passed through :func:`seen`."""
    return {name: seen(name, value) for name, value in body.items()}


def upload_team(requested: uuid.UUID | None) -> uuid.UUID | None:
    """The team an upload goes to: ``requested``, or for a ``coach`` his default team; a team
    he does not coach (or none at all) -> 404, as a team of another club."""
    teams = visible_teams()
    if teams is None:
        return requested
    team = requested if requested is not None else (teams[0] if teams else None)
    if team not in teams:
        raise NotFound("Team not found.")
    return team


SCOPED_IDS = frozenset({"team_id", "match_id", "player_id", "plan_id"})


def seen(name: str, value: Any) -> Any:
    """``value`` (a ``team_id``, ``match_id``, ``player_id`` or ``plan_id``) when the
    request's coach may see it, else :data:`UNSEEN_ID`; any other value unchanged.

    A ``coach`` sees his teams, their matches, the players in their squads (any season) and
    those players' training plans; an admin sees everything of his club."""
    teams = visible_teams()
    if teams is None or name not in SCOPED_IDS or not isinstance(value, uuid.UUID):
        return value
    return value if _visible(name, value, teams) else UNSEEN_ID


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


def guarded_club_id() -> uuid.UUID | None:
    """The club the role guard loaded: the coach's (``g.club``) or the player's (``g.player``)."""
    club = getattr(g, "club", None)
    if club is not None:
        return club.id
    player = getattr(g, "player", None)
    return player.club_id if player is not None else None
