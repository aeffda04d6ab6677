"""Read screens served from a per-process cache that can never be stale.

Every screen a coach or player reads depends only on his club's data, on who asks and on the
date (a player's ``age``). Each club row carries ``data_version``, a random token: every
transaction that changes what any of the club's screens shows calls :func:`club_changed` before
it commits, which replaces the token in that same transaction. The cache key holds the token the
request's guard already loaded with the club (no extra query), so a write makes every older
entry unreachable at once, in every worker process; old entries age out of the bounded LRU.

Why this is never stale: an entry stored under token v was computed by a request that saw v,
so it saw every write committed before v was set and none committed after (each of those
replaced v). Random tokens never repeat, also not after a database is restored from a backup.

Only 200 bodies are cached, as the JSON bytes the response schema produced; errors are not.
``SCREEN_CACHE_ENTRIES`` sizes the cache per process (0 turns it off).
"""

from __future__ import annotations

import functools
import threading
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from cachetools import LRUCache
from flask import Flask, current_app, g, request
from flask_jwt_extended import current_user
from sqlalchemy import update

from spinta.extensions import db
from spinta.models import Club

F = TypeVar("F", bound=Callable[..., Any])
_EXTENSION = "spinta.screen_cache"


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


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = ScreenCache(app.config["SCREEN_CACHE_ENTRIES"])


def screen_cache(app: Flask | None = None) -> ScreenCache:
    return (app or current_app).extensions[_EXTENSION]


def _principal_club() -> Club:
    """The club of the authenticated coach (``g.club``) or player (``g.player``)."""
    club = getattr(g, "club", None)
    return club if club is not None else g.player.club


def cached_screen(view: F) -> F:
    """Serve a GET screen's 200 body from the cache; on a miss, let the view answer and keep it.

    Put it directly under the role guard, above ``blp.arguments`` / ``blp.response``: a hit then
    skips argument parsing, the queries and the schema dump. The key holds the raw query string,
    so only a string that was once parsed and answered successfully can ever hit.
    """

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        club = _principal_club()
        key = (
            request.endpoint,
            current_user.id,
            club.id,
            club.data_version,
            date.today(),
            tuple(sorted(kwargs.items())),
            request.query_string,
        )
        cache = screen_cache()
        body = cache.get(key)
        if body is not None:
            return current_app.response_class(body, mimetype="application/json")
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200:
            cache.put(key, response.get_data())
        return response

    return wrapper  # type: ignore[return-value]
