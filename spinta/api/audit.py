"""The access log of personal screens: who read a player's personal data, also from the cache.

``@audited("read", ("profile",))`` goes above ``@cached_screen`` (or the guard): after a 2xx
answer it records the reader (from the token, already checked by the guard or the cache's fast
path) and the player (the ``player_id`` path parameter, or the reader himself on /api/player)
in ``access_log``, in a transaction of its own.

On a cached screen over PostgreSQL the fast path writes the entry already, in its login read's
statement (:class:`spinta.security.Audit`): the audit keeps it after a 2xx answer and deletes it
after any other answer or an error, so the log holds exactly the reads that were answered.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, make_response, request
from flask_jwt_extended import decode_token

from spinta.security import Audit
from spinta.services import privacy

F = TypeVar("F", bound=Callable[..., Any])


def _reader() -> tuple[str, uuid.UUID] | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    claims = decode_token(token.strip())
    return claims["user_type"], uuid.UUID(claims["user_id"])


def audited(action: str, fields: tuple[str, ...]) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.audit = audit = Audit(action, list(fields), kwargs.get("player_id"))
            try:
                response = make_response(view(*args, **kwargs))
            except BaseException:
                if audit.logged_id is not None:
                    privacy.forget_read(audit.logged_id)
                raise
            answered = 200 <= response.status_code < 300
            if audit.logged_id is not None:
                if not answered:
                    privacy.forget_read(audit.logged_id)
            elif answered:
                reader = _reader()
                if reader is not None:
                    role, user_id = reader
                    privacy.log_read(role, user_id, kwargs.get("player_id"), action, list(fields))
            return response

        return wrapper  # type: ignore[return-value]

    return decorate
