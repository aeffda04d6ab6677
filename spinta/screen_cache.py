"""Read screens served from a per-process cache that can never be stale.

Every screen a coach or player reads depends only on his club's data, on who asks and on the
date (a player's ``age``). Each club row carries ``data_version``, a random token: every
transaction that changes what any of the club's screens shows ends with
:func:`commit_club_write`, which replaces the token and commits in one call, so a write makes
every older entry unreachable at once, in every worker process; old entries age out of the
bounded LRU.

Every cached screen is declared once, with :func:`screen` over its role guard; the declarations
form the registry :data:`SCREENS` (:func:`cached_screen_rules` maps them to the app's routes,
which is how the staleness test finds every one of them).

A hit skips the ORM guard: :func:`screen` asks the login loader for the request's login
(:func:`spinta.security.peek_login`: the same token rules as the guards, the user's type and
token version, whether the token was logged out, and his club's id and ``data_version`` in one
Core query; for an audited personal screen on PostgreSQL the same statement writes the read's
access-log entry, :class:`spinta.security.Audit`). Only when all of that checks out does it
look in the cache; anything else (no or bad
token, revoked, deleted user, wrong role, no club) and every miss goes through the guarded view
as usual, so every error still comes from the one normal code path.

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
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import structlog
from cachetools import LRUCache
from flask import Flask, current_app, g, request
from redis.exceptions import RedisError
from sqlalchemy import update
from werkzeug.routing import Rule

from spinta.extensions import db
from spinta.models import Club
from spinta.security import adopt_login, guarded_club_id, peek_login, visible_teams

F = TypeVar("F", bound=Callable[..., Any])
_EXTENSION = "spinta.screen_cache"
log = structlog.get_logger(__name__)
ROLES = ("coach", "player")


def commit_club_write(club_id: uuid.UUID) -> None:
    """Commit the current transaction as a change of the club's screens.

    Replaces the club's ``data_version`` in the same transaction, then commits: every cached
    screen of the club becomes unreachable exactly when the change becomes visible. Pending ORM
    changes are flushed first, so the club row is always the last lock a writer takes. Every
    write that changes what a screen shows ends with this call instead of ``commit()``.
    """
    db.session.execute(update(Club).where(Club.id == club_id).values(data_version=uuid.uuid4()))
    db.session.commit()


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


# ---------------------------------------------------------------- the registry and the fast path


@dataclass(frozen=True)
class Screen:
    """One cached read screen: the role whose token reads it and its view (undecorated)."""

    role: str
    view: Callable[..., Any]

    @property
    def name(self) -> str:
        return f"{self.view.__module__}.{self.view.__qualname__}"


SCREENS: list[Screen] = []


def cached_screen_rules(app: Flask) -> list[tuple[Screen, Rule]]:
    """Every declared screen with the app's route that serves it, in URL-map order."""
    found = []
    for rule in app.url_map.iter_rules():
        declared = getattr(app.view_functions.get(rule.endpoint), "screen", None)
        if declared is not None:
            found.append((declared, rule))
    return found


def screen(role: str) -> Callable[[F], F]:
    """Declare a cached GET screen: serve its 200 body from the cache without the guard,
    otherwise call the view.

    Put it above the role guard (``@screen("coach")`` over ``@coach_required``): a hit then
    costs one Core query and skips the ORM guard, argument parsing, the screen's queries and the
    schema dump. The key holds the raw query string, so only a string that was once parsed and
    answered successfully can ever hit.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def decorate(view: F) -> F:
        declared = Screen(role=role, view=view)
        SCREENS.append(declared)

        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            cache = screen_cache()
            if not cache.enabled:
                return view(*args, **kwargs)  # no fast-path query either
            login = peek_login(role, g.get("audit"))
            if login is None:
                return view(*args, **kwargs)  # the guard answers, nothing is cached
            key = (
                request.endpoint,
                login.user_id,
                login.club_id,
                login.data_version,  # read before the view runs: see the module docstring
                # What he may see: a staff member with the ``coach`` role sees his teams only,
                # so a screen rendered for another team set (an admin's, or his own before his
                # teams changed) is never his.
                login.teams,
                date.today(),
                tuple(sorted(kwargs.items())),
                request.query_string,
            )
            body = cache.get(key)
            if body is not None:
                return current_app.response_class(body, mimetype="application/json")
            db.session_reads_outside_a_transaction()  # a screen only reads
            adopt_login(login)  # the guard takes the login row's objects, no query of its own
            response = current_app.make_response(view(*args, **kwargs))
            # The guard re-read the login; keep the body only if it found the same club and
            # the same teams.
            same = guarded_club_id() == login.club_id and visible_teams() == login.teams
            if response.status_code == 200 and same:
                cache.put(key, response.get_data())
            return response

        wrapper.screen = declared  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
