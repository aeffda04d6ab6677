"""Building blocks shared by request schemas."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from spinta.passwords import password_weakness


class RequestSchema(Schema):
    """Base of request bodies.

    Unknown fields are ignored (the existing clients may send more than they need); optional
    fields may be absent, null or "" and all three mean "not given". Strings are trimmed.
    """

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _blank_is_none(self, data: Any, **_kwargs: Any) -> Any:
        if not isinstance(data, dict):
            return data
        cleaned = dict(data)
        for key, value in cleaned.items():
            if isinstance(value, str) and "\x00" in value:
                # PostgreSQL cannot store NUL characters; refuse them up front.
                raise ValidationError({key: ["Must not contain NUL characters."]})
        for name, field in self.fields.items():
            key = field.data_key or name
            value = cleaned.get(key)
            if isinstance(value, str) and not isinstance(field, Password):
                value = value.strip()
                cleaned[key] = value
            if value == "" and not field.required:
                cleaned[key] = None
            # marshmallow truncates 170.5 to 170 (and 1.5 goals to 1); refuse fractions.
            fraction = isinstance(value, float) and not value.is_integer()
            if fraction and isinstance(field, fields.Integer):
                raise ValidationError({key: ["Must be a whole number."]})
        return cleaned


class ResponseSchema(Schema):
    """Base of response bodies whose fields are always present (null where ``allow_none``).

    Every field is documented as required, so the OpenAPI document (and schemathesis) can hold
    the responses to it. ``required`` has no effect on dumping.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True


class Normalised(fields.String):
    """A string normalised by ``normalise`` (e.g. lower-cased) before its validators run.

    Lengths and formats are checked on the value that is compared and stored, not on what was
    typed: ``"İ".lower()`` is two characters, so 212 typed characters can become 412.
    """

    def __init__(self, normalise: Callable[[str], str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.normalise = normalise

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return self.normalise(super()._deserialize(value, attr, data, **kwargs))


class NormalisedEmail(fields.Email):
    """An email address, normalised (``normalise``) before it is validated as one."""

    def __init__(self, normalise: Callable[[str], str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.normalise = normalise

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return self.normalise(fields.String._deserialize(self, value, attr, data, **kwargs))


class Password(fields.String):
    """A password exactly as typed (1 to 128 characters): never trimmed or normalised, so
    "  secret " at signup is "  secret " at login. Every password field is one of these."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Length(min=1, max=128))
        kwargs.setdefault("load_only", True)
        super().__init__(**kwargs)


def _strong_enough(password: str) -> None:
    weakness = password_weakness(password)
    if weakness:
        raise ValidationError(weakness)


class NewPassword(Password):
    """A password being chosen: 8 to 128 characters and not common or easy to guess
    (:mod:`spinta.passwords` says why in the error)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", [validate.Length(min=8, max=128), _strong_enough])
        super().__init__(**kwargs)


def optional_string(max_length: int, **kwargs: Any) -> fields.String:
    return fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=max_length), **kwargs
    )


# http(s), a host, then anything but white space and control characters.
# "" is allowed too: it means "none" (strings are trimmed before validation).
HTTP_URL_PATTERN = r"^(https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?([/?#][^\s\u0000-\u001f\u007f]*)?)?$"


class HttpUrl(fields.String):
    """An optional http(s) URL (never javascript:, data: or file:); "" or null mean none.

    Validated with the same pattern the OpenAPI document publishes.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", None)
        kwargs.setdefault("allow_none", True)
        kwargs.setdefault(
            "validate",
            [
                validate.Length(max=500),
                validate.Regexp(HTTP_URL_PATTERN, error="Must be an http(s) URL."),
            ],
        )
        metadata = {
            "pattern": HTTP_URL_PATTERN,
            "maxLength": 500,
            "example": "https://example.com/logo.png",
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)


class OptionalDate(fields.Date):
    """An optional date "YYYY-MM-DD"; null or "" mean none (documented with a pattern: the
    OpenAPI "date" format would reject "")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", None)
        kwargs.setdefault("allow_none", True)
        metadata = {
            "pattern": r"^(\d{4}-\d{2}-\d{2})?$",
            "example": "2010-05-01",
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)


def http_url(**kwargs: Any) -> HttpUrl:
    return HttpUrl(**kwargs)


# Documented as plain strings with a pattern (their OpenAPI "format" would reject "").
OPENAPI_FIELD_TYPES = {OptionalDate: ("string", None)}


# The largest offset a list accepts: past it a database rejects the number (SQLite's and
# PostgreSQL's OFFSET are 64-bit; a bigger one answered 500), and no list is that long anyway.
MAX_OFFSET = 2**31 - 1


class PaginationSchema(Schema):
    """``limit`` (1-100, default 20) and ``offset`` (0 to 2**31-1) of list endpoints."""

    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_OFFSET))


class UTCDateTime(fields.DateTime):
    """An ISO date-time in UTC with its offset on both databases (SQLite gives stored times
    back without their zone)."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
