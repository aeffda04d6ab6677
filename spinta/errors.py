"""The one JSON error contract: ``{"detail": str, "message": str, "errors"?: {field: str}}``.

Every error the app can produce goes through here: HTTP errors (404, 405, 413, ...), request
validation (422, or 400 for a body that is not JSON / not an object), domain errors raised by
services, database integrity errors (409) and unexpected failures (500, rolled back, generic).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from flask import Flask, Response, jsonify
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

log = structlog.get_logger(__name__)

GENERIC_500 = "Something went wrong on our side. Please try again."
RATE_LIMIT_STORE_DOWN = (
    "This service is briefly unavailable (its rate-limit store does not answer); "
    "please try again in a moment."
)

DEFAULT_SENTENCES = {
    400: "The request is malformed.",
    401: "Authentication required.",
    403: "You do not have access to this resource.",
    404: "The requested resource was not found.",
    405: "This method is not allowed for this endpoint.",
    409: "This conflicts with existing data.",
    410: "This resource is no longer available.",
    413: "The request body is too large.",
    415: "Unsupported content type.",
    422: "The request contains invalid data.",
    429: "Too many requests. Please slow down and try again later.",
}


class DomainError(Exception):
    """Base of the errors services raise; views never abort()."""

    status = 400
    default = "The request could not be processed."

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.default)
        self.detail = detail or self.default
        self.errors = dict(errors) if errors else None
        self.extra = dict(extra) if extra else {}


class BadRequest(DomainError):
    status = 400
    default = DEFAULT_SENTENCES[400]


class Unauthorized(DomainError):
    status = 401
    default = DEFAULT_SENTENCES[401]


class Forbidden(DomainError):
    status = 403
    default = DEFAULT_SENTENCES[403]


class NotFound(DomainError):
    status = 404
    default = DEFAULT_SENTENCES[404]


class Conflict(DomainError):
    status = 409
    default = DEFAULT_SENTENCES[409]


class Gone(DomainError):
    status = 410
    default = DEFAULT_SENTENCES[410]


class PayloadTooLarge(DomainError):
    """413: the body, a form or an events file is over one of the limits; the sentence names
    which one (the body's size, the form's parts or text fields, the file's content)."""

    status = 413
    default = DEFAULT_SENTENCES[413]


def megabytes(size: int) -> str:
    """A limit in bytes as people read it: "50 MB", "1 MB", "512 KB"."""
    return f"{size / (1024 * 1024):g} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def body_too_large(limit_bytes: int) -> PayloadTooLarge:
    """The body is over MAX_UPLOAD_MB (``limit_bytes``)."""
    return PayloadTooLarge(
        f"The request body is larger than the {megabytes(limit_bytes)} limit (MAX_UPLOAD_MB)."
    )


class UnsupportedContentType(DomainError):
    status = 415
    default = "Send the request body as JSON (Content-Type: application/json)."


class ValidationFailed(DomainError):
    status = 422
    default = DEFAULT_SENTENCES[422]


class InvalidEventData(DomainError):
    """An uploaded match file that cannot be analysed (the sentence says why)."""

    status = 422
    default = "The events file could not be analysed."


def error_response(
    status: int, detail: str | None = None, *, errors: Mapping[str, str] | None = None, **extra: Any
) -> Response:
    """Build the contract body; ``detail`` is always a string, ``message`` the same sentence."""
    sentence = str(detail or DEFAULT_SENTENCES.get(status, "The request failed."))
    body: dict[str, Any] = {"detail": sentence, "message": sentence, **extra}
    if errors:
        body["errors"] = {str(k): str(v) for k, v in errors.items()}
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, str]:
    """Turn marshmallow/webargs nested messages into ``{"field.path": "what is wrong"}``."""
    flat: dict[str, str] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            # A nested object's own error ("_schema", e.g. a string where an object belongs)
            # belongs to the field that holds it: "club", not "club._schema".
            if key == "_schema" and prefix:
                path = prefix
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_messages(value, path))
    elif isinstance(messages, list | tuple):
        if all(isinstance(item, str) for item in messages):
            flat[prefix or "_schema"] = " ".join(messages)
        else:
            for item in messages:
                flat.update(flatten_messages(item, prefix))
    else:
        flat[prefix or "_schema"] = str(messages)
    return flat


def validation_response(exc: HTTPException) -> Response:
    """A webargs/flask-smorest validation failure: 422 naming each field, 400 for a bad shape."""
    messages = (getattr(exc, "data", None) or {}).get("messages", {})
    # Drop the request location ("json", "query", "form") from the field path.
    by_field: dict[str, str] = {}
    for location_messages in messages.values() if isinstance(messages, Mapping) else []:
        by_field.update(flatten_messages(location_messages))
    if set(by_field) == {"_schema"} and "invalid input type" in by_field["_schema"].lower():
        return error_response(400, "The request body must be a JSON object.")
    if not by_field:
        return error_response(422)
    first_field, first_problem = next(iter(by_field.items()))
    if first_field == "_schema":
        sentence = first_problem
    elif first_problem == "Missing data for required field.":
        sentence = f"'{first_field}' is required."
    else:
        sentence = f"Invalid '{first_field}': {first_problem}"
    return error_response(422, sentence, errors=by_field)


def _rollback(db) -> None:
    """Roll back the request's transaction; a dead connection (database restarting) must not
    turn the JSON error into an HTML one."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        log.warning("rollback_failed")
        db.discard_session()


def register_error_handlers(app: Flask) -> None:
    from spinta.extensions import db

    @app.errorhandler(HTTPException)
    def handle_http_exception(exc: HTTPException) -> Response:
        if exc.code == 422:
            return validation_response(exc)
        if exc.code == 400 and getattr(exc, "data", None):
            # webargs reports an undecodable JSON body as 400 with data.
            return error_response(400, "The request body is not valid JSON.")
        detail = None
        if exc.code == 413:  # werkzeug's own check of Content-Length against MAX_CONTENT_LENGTH
            detail = body_too_large(app.config["MAX_CONTENT_LENGTH"]).detail
        elif exc.code == 429:
            detail = DEFAULT_SENTENCES[429]
        elif exc.code not in DEFAULT_SENTENCES and exc.description:
            detail = exc.description
        response = error_response(exc.code or 500, detail)
        for name, value in exc.get_headers() if exc.code in (405, 429) else []:
            if name.lower() in {"allow", "retry-after"}:
                response.headers[name] = value
        return response

    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError) -> Response:
        _rollback(db)
        return error_response(exc.status, exc.detail, errors=exc.errors, **exc.extra)

    @app.errorhandler(IntegrityError)
    def handle_integrity_error(exc: IntegrityError) -> Response:
        _rollback(db)
        # The first line only: PostgreSQL's DETAIL line repeats the row's values.
        log.warning("integrity_error", error=str(exc.orig).strip().splitlines()[0])
        return error_response(409, DEFAULT_SENTENCES[409])

    @app.errorhandler(RedisError)
    def handle_rate_limit_store_down(exc: RedisError) -> Response:
        # The shared rate-limit counters (Redis) do not answer: the limited endpoints stay
        # closed rather than run unlimited, with a retryable 503 instead of a 500.
        _rollback(db)
        log.warning("rate_limit_store_unavailable", error=type(exc).__name__)
        response = error_response(503, RATE_LIMIT_STORE_DOWN)
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> Response:
        _rollback(db)
        log.exception("unhandled_exception")
        return error_response(500, GENERIC_500)
