"""Read screens served from a per-process cache that can never be stale.

Every screen a coach or player reads depends only on his club's data, on who asks and on the
date (a player's ``age``). Each club row carries ``data_version``, a random token: every
transaction that changes what any of the club's screens shows calls :func:`club_changed` before
it commits, which replaces the token in that same transaction, so a write makes every older
entry unreachable at once, in every worker process; old entries age out of the bounded LRU.

A hit skips the ORM guard: :func:`cached_screen` decodes the bearer token itself and reads the
user's type and token version, whether the token was logged out, and his club's id and
``data_version`` in one Core query. Only
when all of that checks out does it look in the cache; anything else (no or bad token, revoked,
deleted user, wrong role, no club) and every miss goes through the guarded view as usual, so
every error still comes from the one normal code path.

Why this is never stale: an entry is stored under the version v the fast path read *before*
the view ran. The view's queries come later, so they see every write committed before v was
set; a write committed in between replaced v, so the entry is reachable only by requests that
read v before that write committed, i.e. ran concurrently with it. (A version read after the
view could label older data with a newer version and serve it until the next write.) Random
tokens never repeat, also not after a database is restored from a backup.

Only 200 bodies are cached, as the JSON bytes the response schema produced; errors are not.
``SCREEN_CACHE_ENTRIES`` sizes the cache per process (0 turns it off). With ``REDIS_URL`` set
the entries live in Redis instead (:class:`RedisScreenCache`), shared by every process.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import structlog
from cachetools import LRUCache
from flask import Flask, current_app, g, request
from flask_jwt_extended import decode_token
from redis.exceptions import RedisError
from sqlalchemy import Select, bindparam, select, update

from spinta.extensions import db
from spinta.models import Club, Coach, Player, User
from spinta.security import is_revoked

F = TypeVar("F", bound=Callable[..., Any])
_EXTENSION = "spinta.screen_cache"
log = structlog.get_logger(__name__)


def club_changed(club_id: uuid.UUID) -> None:
    """Invalidate the club's cached screens when the current transaction commits.

    Call it last before ``commit()``: pending ORM changes are flushed first, so the club row is
    always the last lock a writer takes.
    """
    db.session.execute(update(Club).where(Club.id == club_id).values(data_version=uuid.uuid4()))


class ScreenCache:
    """A thread-safe LRU of response bodies (``flask run`` serves requests on threads)."""

    def __init__(self, entries: int) -> None:
        self._entries: LRUCache | None = LRUCache(maxsize=entries) if entries > 0 else None
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._entries is not None

    def get(self, key: tuple) -> bytes | None:
        if self._entries is None:
            return None
        with self._lock:
            return self._entries.get(key)

    def put(self, key: tuple, body: bytes) -> None:
        if self._entries is None:
            return
        with self._lock:
            self._entries[key] = body

    def clear(self) -> None:
        if self._entries is not None:
            with self._lock:
                self._entries.clear()


class RedisScreenCache:
    """The same cache in Redis (``REDIS_URL``), shared by every process and host.

    Keys are a digest of the same tuple (with the club's data version), so the never-stale
    argument above holds unchanged: a write replaces the version in the database, which every
    process reads before looking here. Entries expire after ``SCREEN_CACHE_TTL`` seconds (a
    day), and Redis's own eviction bounds the memory (``maxmemory-policy allkeys-lru``). When
    Redis does not answer, screens are rendered as if the cache were empty.
    """

    PREFIX = "spinta:screen:"

    def __init__(self, url: str, ttl: int) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._ttl = ttl

    enabled = True

    def _name(self, key: tuple) -> str:
        return self.PREFIX + hashlib.sha256(repr(key).encode()).hexdigest()

    def get(self, key: tuple) -> bytes | None:
        try:
            return self._redis.get(self._name(key))
        except RedisError:
            log.warning("screen_cache_unavailable")
            return None

    def put(self, key: tuple, body: bytes) -> None:
        try:
            self._redis.set(self._name(key), body, ex=self._ttl)
        except RedisError:
            log.warning("screen_cache_unavailable")

    def clear(self) -> None:
        names = list(self._redis.scan_iter(match=self.PREFIX + "*", count=1000))
        if names:
            self._redis.delete(*names)


def init_app(app: Flask) -> None:
    entries, url = app.config["SCREEN_CACHE_ENTRIES"], app.config.get("REDIS_URL")
    if entries > 0 and url:
        cache: ScreenCache | RedisScreenCache = RedisScreenCache(
            url, app.config.get("SCREEN_CACHE_TTL", 86400)
        )
    else:
        cache = ScreenCache(entries)
    app.extensions[_EXTENSION] = cache


def screen_cache(app: Flask | None = None) -> ScreenCache | RedisScreenCache:
    return (app or current_app).extensions[_EXTENSION]


# ---------------------------------------------------------------- the fast path


def _principal_statement(role: str) -> Select:
    """User type and token version, club id and data version: users -> coaches -> clubs for a
    coach, users -> players -> clubs for a player (no row: no such user, profile or club)."""
    users, clubs = User.__table__, Club.__table__
    if role == "coach":
        coaches = Coach.__table__
        joined = users.join(coaches, coaches.c.user_id == users.c.id).join(
            clubs, clubs.c.coach_id == coaches.c.id
        )
    elif role == "player":
        players = Player.__table__
        joined = users.join(players, players.c.user_id == users.c.id).join(
            clubs, clubs.c.id == players.c.club_id
        )
    else:
        raise ValueError(f"unknown role {role!r}")
    return (
        select(
            users.c.user_type,
            users.c.token_version,
            clubs.c.id.label("club_id"),
            clubs.c.data_version,
            is_revoked(bindparam("jti")),
        )
        .select_from(joined)
        .where(users.c.id == bindparam("user_id"))
    )


# Exactly one "Bearer <token>" (what flask-jwt-extended reads from a plain header); any other
# form goes to the guard.
_BEARER = re.compile(r"Bearer ([^\s,]+)")


def _principal(role: str, statement: Select) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID] | None:
    """(user id, club id, club data version) when the request's token is valid, current and of
    ``role`` and its user has a club; None when anything is off (the guard then answers)."""
    match = _BEARER.fullmatch(request.headers.get("Authorization", ""))
    if match is None:
        return None
    try:
        claims = decode_token(match.group(1))  # signature, expiry, algorithm as configured
        user_id = uuid.UUID(str(claims["sub"]))
    except Exception:  # any invalid token: the guard gives the right 401
        return None
    if claims.get("type") != "access":
        return None
    row = db.session.execute(statement, {"user_id": user_id, "jti": claims.get("jti")}).first()
    if row is None or row.revoked or row.user_type != role:
        return None
    if claims.get("token_version") != row.token_version:
        return None
    return user_id, row.club_id, row.data_version


def _guard_club_id() -> uuid.UUID | None:
    """The club the role guard loaded: the coach's (``g.club``) or the player's (``g.player``)."""
    club = getattr(g, "club", None)
    if club is not None:
        return club.id
    player = getattr(g, "player", None)
    return player.club_id if player is not None else None


def cached_screen(role: str) -> Callable[[F], F]:
    """Serve a GET screen's 200 body from the cache without the guard; otherwise call the view.

    Put it above the role guard (``@cached_screen("coach")`` over ``@coach_required``): a hit
    then costs one Core query and skips the ORM guard, argument parsing, the screen's queries
    and the schema dump. The key holds the raw query string, so only a string that was once
    parsed and answered successfully can ever hit.
    """
    statement = _principal_statement(role)

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            cache = screen_cache()
            if not cache.enabled:
                return view(*args, **kwargs)  # no fast-path query either
            principal = _principal(role, statement)
            if principal is None:
                return view(*args, **kwargs)  # the guard answers, nothing is cached
            user_id, club_id, data_version = principal
            key = (
                request.endpoint,
                user_id,
                club_id,
                data_version,  # read before the view runs: see the module docstring
                date.today(),
                tuple(sorted(kwargs.items())),
                request.query_string,
            )
            body = cache.get(key)
            if body is not None:
                return current_app.response_class(body, mimetype="application/json")
            response = current_app.make_response(view(*args, **kwargs))
            # The guard re-read the principal; keep the body only if it found the same club.
            if response.status_code == 200 and _guard_club_id() == club_id:
                cache.put(key, response.get_data())
            return response

        return wrapper  # type: ignore[return-value]

    return decorate
