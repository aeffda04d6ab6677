"""OpenAPI documentation of what can go wrong: one decorator per view instead of a stack of
``alt_response`` lines.

Every error a view can answer is documented with the contract's ``Error`` schema; protected
views also get the ``bearerAuth`` security requirement. The statuses come from a few flags
(who may call, whether there is a JSON body, query arguments, rate limiting) plus the
view's own domain errors (404, 409, ...), each with a sentence for the docs.

    @blp.route("/matches/<uuid:match_id>", methods=["GET"])
    @coach_required
    @blp.response(200, MatchDetailSchema)
    @errors(blp, (404, "No such match in this club"), auth=COACH)
    def match_detail(match_id): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from spinta.api.blueprint import Blueprint
from spinta.errors import DEFAULT_SENTENCES
from spinta.schemas.service import ErrorSchema

F = TypeVar("F", bound=Callable[..., Any])
Auth = Literal["any", "coach", "player", "guardian"]

ANY: Auth = "any"
COACH: Auth = "coach"
PLAYER: Auth = "player"
GUARDIAN: Auth = "guardian"
BEARER = [{"bearerAuth": []}]

UNAUTHORIZED = "Missing, malformed, expired or revoked token, or a deleted account"
WRONG_ROLE = {
    "coach": "A valid token, but of a player or guardian (this endpoint is for coaches)",
    "player": "A valid token, but of a coach or guardian (this endpoint is for players)",
    "guardian": "A valid token, but of a coach or player (this endpoint is for guardians)",
}
NOT_JSON = (
    "The body is not valid JSON, not UTF-8 text (e.g. a lone surrogate escape such as "
    "`\\ud800` in any string), nested more than 32 levels, or not a JSON object"
)
TOO_LARGE = "The body is over 1 MB (every endpoint's limit but the match upload's)"
NOT_JSON_TYPE = "A body sent with a Content-Type other than application/json"
INVALID = "A field is missing or invalid; `errors` names each one"
RATE_LIMITED = (
    "Too many attempts from this address (or on this account); retry after `Retry-After` seconds"
)
NOT_FOUND_ID = "No such resource (or not a UUID)"

HEADERS = {
    401: {
        "WWW-Authenticate": {
            "description": "Always `Bearer`",
            "schema": {"type": "string", "example": "Bearer"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before trying again",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
}


def errors(
    blp: Blueprint,
    *responses: int | tuple[int, str],
    auth: Auth | None = None,
    body: bool = False,
    query: bool = False,
    rate_limited: bool = False,
) -> Callable[[F], F]:
    """Document a view's error responses (all with the ``Error`` schema) and its security.

    - ``auth``: ``"any"`` -> 401; ``"coach"`` / ``"player"`` -> 401 and 403 (other role);
      all three add the bearerAuth requirement.
    - ``body``: a JSON body -> 400 (not JSON / not an object), 413, 415 (other content type),
      422.
    - ``query``: validated query arguments -> 422.
    - ``rate_limited``: 429 with ``Retry-After``.
    - ``responses``: the view's own statuses, bare (the contract's default sentence) or as
      ``(status, description)``.
    """
    documented: dict[int, str] = {}
    if auth is not None:
        documented[401] = UNAUTHORIZED
        if auth in WRONG_ROLE:
            documented[403] = WRONG_ROLE[auth]
    if body:
        documented.update({400: NOT_JSON, 413: TOO_LARGE, 415: NOT_JSON_TYPE, 422: INVALID})
    if query:
        documented[422] = INVALID
    if rate_limited:
        documented[429] = RATE_LIMITED
    for response in responses:
        status, description = (
            response if isinstance(response, tuple) else (response, DEFAULT_SENTENCES[response])
        )
        documented[status] = description

    def decorator(func: F) -> F:
        for status in sorted(documented, reverse=True):
            func = blp.alt_response(
                status,
                schema=ErrorSchema,
                description=documented[status],
                headers=HEADERS.get(status),
            )(func)
        if auth is not None:
            func = blp.doc(security=BEARER)(func)
        return func

    return decorator
