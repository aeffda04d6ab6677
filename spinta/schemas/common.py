"""Building blocks shared by request schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields, pre_load, validate


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
        for name, field in self.fields.items():
            key = field.data_key or name
            value = cleaned.get(key)
            if isinstance(value, str) and not isinstance(field, Password):
                value = value.strip()
                cleaned[key] = value
            if value == "" and not field.required:
                cleaned[key] = None
        return cleaned


class Password(fields.String):
    """A password: never trimmed, 8 to 128 characters."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Length(min=8, max=128))
        kwargs.setdefault("load_only", True)
        super().__init__(**kwargs)


def optional_string(max_length: int, **kwargs: Any) -> fields.String:
    return fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=max_length), **kwargs
    )


def http_url(**kwargs: Any) -> fields.URL:
    return fields.URL(
        schemes={"http", "https"},
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=500),
        **kwargs,
    )


class PaginationSchema(Schema):
    """``limit`` (1-100, default 20) and ``offset`` (>= 0) of list endpoints."""

    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))
