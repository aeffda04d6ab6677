"""A compiled dump of response schemas: marshmallow's ``Schema.dump`` output, for less CPU.

marshmallow 4 dumps every field of every nested schema through ``Field.serialize`` ->
``Field.get_value`` -> ``Schema.get_attribute`` -> ``utils.get_value`` -> ``Field._serialize``,
and every nested object through ``Schema.dump`` -> ``Schema._serialize``: the big screens
(playing time: ~180 nested dumps, ~650 fields a request) spent most of their dump in those
calls, not in formatting. :func:`install` (called by :class:`spinta.api.blueprint.Blueprint`
for every ``@blp.response`` schema) replaces a schema instance's ``dump`` with a plan compiled
once from its ``dump_fields``, which does what ``Schema._serialize`` does, in one loop:

- each dump field in order, read from ``attribute`` (else its name), written under
  ``data_key`` (else its name); a missing value leaves the key out;
- the read is marshmallow's own: from a plain ``dict`` ``obj[key]`` else ``getattr(obj, key)``;
  from an object without ``__getitem__``, a SQLAlchemy ``Row`` or a tuple ``getattr`` (their
  ``obj["name"]`` fails, and marshmallow then takes the attribute); else ``utils.get_value``;
- the formatting is inlined only where the field's class uses marshmallow's own code unchanged
  (checked by identity of the methods at compile time): ``String`` (``None`` stays ``None``,
  a ``str`` as is, else ``ensure_text_type``), ``UUID`` (``str``), ``Integer``/``Float``
  without ``as_string`` (``int``/``float``), fields that do not format (``Raw``, ``Boolean``),
  ``Nested`` (its cached schema instance's plan; ``many`` as marshmallow decides) and ``List``
  (its inner field's formatting per item). Every other field (``Count``, ``Stat``, ``Minutes``,
  ``UTCDateTime``, ``Date``, ``Dict``...) is formatted by calling its own ``_serialize``, so it
  cannot diverge from marshmallow.

Falls back to marshmallow itself: a schema with ``pre_dump``/``post_dump`` hooks or its own
``dump``/``_serialize``/``dict_class`` is dumped (as a whole or as a nested schema) by
``Schema.dump``; a field with a dotted ``attribute`` or a ``dump_default``, a field class with its
own ``serialize``/``get_value``, or one that does not read an attribute (``Method``,
``Function``, ``Constant``) is dumped by ``field.serialize``, as marshmallow does.
``tests/test_dumping.py`` holds every response schema's fast dump equal to marshmallow's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, utils
from marshmallow.schema import POST_DUMP, PRE_DUMP
from marshmallow.utils import missing
from sqlalchemy.engine import Row

_ABSENT = object()

# How a field's value is formatted (what its ``_serialize`` does).
_CALL = 0  # its own _serialize(value, attr, obj)
_AS_IS = 1  # Field._serialize: the value unchanged
_STRING = 2
_UUID = 3
_INT = 4
_FLOAT = 5
_SERIALIZE = 6  # the whole field.serialize(name, obj, accessor=...): read and formatting

# marshmallow's own methods, taken at import: a class (or a test) replacing one of them is
# formatted by its own code instead.
_FIELD_SERIALIZE = fields.Field.serialize
_FIELD_GET_VALUE = fields.Field.get_value
_SERIALIZERS = {
    fields.Field._serialize: _AS_IS,
    fields.String._serialize: _STRING,
    fields.UUID._serialize: _UUID,
}
_NUMBER_SERIALIZE = fields.Number._serialize
_NUMBER_FORMAT = fields.Number._format_num
_NESTED_SERIALIZE = fields.Nested._serialize
_NESTED_SCHEMA = fields.Nested.schema
_LIST_SERIALIZE = fields.List._serialize
_SCHEMA_METHODS = (Schema.dump, Schema._serialize, Schema.get_attribute)


def _compilable(schema: Schema) -> bool:
    """Whether the plan can stand in for the schema's dump (no hooks, nothing overridden)."""
    cls = type(schema)
    return (
        not schema._hooks[PRE_DUMP]
        and not schema._hooks[POST_DUMP]
        and (cls.dump, cls._serialize, cls.get_attribute) == _SCHEMA_METHODS
        and schema.dict_class is dict
    )


def _kind(field: fields.Field) -> int:
    cls = type(field)
    if cls.serialize is not _FIELD_SERIALIZE or cls.get_value is not _FIELD_GET_VALUE:
        return _SERIALIZE
    if not field._CHECK_ATTRIBUTE:
        return _SERIALIZE
    serialize = cls._serialize
    if serialize is _NUMBER_SERIALIZE and cls._format_num is _NUMBER_FORMAT:
        if not field.as_string and field.num_type is int:  # type: ignore[attr-defined]
            return _INT
        if not field.as_string and field.num_type is float:  # type: ignore[attr-defined]
            return _FLOAT
        return _CALL
    return _SERIALIZERS.get(serialize, _CALL)


def _formatter(field: fields.Field) -> Callable[[Any, Any, Any], Any]:
    """What ``field._serialize(value, attr, obj)`` returns, as a function of the same."""
    cls = type(field)
    if cls._serialize is _NESTED_SERIALIZE and cls.schema is _NESTED_SCHEMA:
        nested = field.schema  # type: ignore[attr-defined]
        if _compilable(nested):
            many = nested.many or field.many  # type: ignore[attr-defined]
            plan: list[Callable[[Any], dict]] = []  # compiled at the first value (no recursion)

            def nested_value(value: Any, _attr: Any, _obj: Any) -> Any:
                if value is None:
                    return None
                if not plan:
                    plan.append(_plan(nested))
                one = plan[0]
                if many:
                    return [one(each) for each in value]
                return one(value)

            return nested_value
    if cls._serialize is _LIST_SERIALIZE:
        inner = _formatter(field.inner)  # type: ignore[attr-defined]

        def list_value(value: Any, attr: Any, obj: Any) -> Any:
            if value is None:
                return None
            return [inner(each, attr, obj) for each in value]

        return list_value
    kind = _kind(field)
    if kind == _AS_IS:
        return lambda value, _attr, _obj: value
    if kind == _STRING:
        return lambda value, _attr, _obj: (
            value if type(value) is str or value is None else utils.ensure_text_type(value)
        )
    if kind == _UUID:
        return lambda value, _attr, _obj: None if value is None else str(value)
    if kind == _INT:
        return lambda value, _attr, _obj: (
            value if type(value) is int or value is None else int(value)
        )
    if kind == _FLOAT:
        return lambda value, _attr, _obj: (
            value if type(value) is float or value is None else float(value)
        )
    return field._serialize


# How marshmallow's ``utils.get_value`` reads a (non-dotted) key of an object: a plain dict by
# ``obj[key]``, falling back to ``getattr`` on a KeyError; an object without ``__getitem__``, a
# SQLAlchemy ``Row`` and a tuple (whose ``obj["name"]`` is always a TypeError, which marshmallow
# catches) by ``getattr``; anything else through ``utils.get_value`` itself.
_BY_KEY = 0
_BY_ATTRIBUTE = 1
_GENERAL = 2
_UNLESS_OWN_GETITEM = 3  # the type has no __getitem__: by attribute, unless the object has one
_READING: dict[type, int] = {}


def _type_reading(cls: type) -> int:
    getitem = getattr(cls, "__getitem__", None)
    if getitem is None:
        return _UNLESS_OWN_GETITEM
    if getitem is tuple.__getitem__ or getitem is Row.__getitem__:
        return _BY_ATTRIBUTE
    return _GENERAL


def _reading(obj: Any) -> int:
    cls = type(obj)
    if cls is dict:
        return _BY_KEY
    read = _READING.get(cls)
    if read is None:
        read = _READING[cls] = _type_reading(cls)
    if read == _UNLESS_OWN_GETITEM:
        return _GENERAL if hasattr(obj, "__getitem__") else _BY_ATTRIBUTE
    return read


def _plan(schema: Schema) -> Callable[[Any], dict]:
    """The compiled ``schema._serialize(obj, many=False)`` of a schema instance."""
    entries: list[tuple[Any, ...]] = []

    def dump_one(obj: Any) -> dict:
        ret = {}
        read = _reading(obj)
        for name, key, source, whole, fmt, field in entries:
            if whole:
                value = field.serialize(name, obj, accessor=schema.get_attribute)
            elif read == _BY_KEY:
                value = obj.get(source, _ABSENT)
                if value is _ABSENT:
                    value = getattr(obj, source, missing)
            elif read == _BY_ATTRIBUTE:
                value = getattr(obj, source, missing)
            else:
                value = utils.get_value(obj, source, missing)
            if value is missing:
                continue
            if fmt is not None:
                value = fmt(value, name, obj)
            ret[key] = value
        return ret

    for name, field in schema.dump_fields.items():
        source = field.attribute if field.attribute is not None else name
        key = field.data_key if field.data_key is not None else name
        kind = _kind(field)
        # marshmallow's own serialize (the read, dump_default, the formatting) where the plan
        # would only repeat it: a dotted attribute, a dump_default, a field reading for itself.
        whole = kind == _SERIALIZE or "." in source or field.dump_default is not missing
        fmt = None if whole or kind == _AS_IS else _formatter(field)
        entries.append((name, key, source, whole, fmt, field))
    return dump_one


class FastDump:
    """``Schema.dump(obj, many=None)`` of one schema instance, by its compiled plan."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._one: Callable[[Any], dict] | None = None

    def __call__(self, obj: Any, *, many: bool | None = None) -> Any:
        one = self._one
        if one is None:
            one = self._one = _plan(self.schema)
        many = self.schema.many if many is None else bool(many)
        if many and obj is not None:
            return [one(each) for each in obj]
        return one(obj)


def install(schema: Schema) -> Schema:
    """Give the schema instance the compiled dump (unless marshmallow must do it: see above)."""
    if isinstance(schema, Schema) and _compilable(schema):
        schema.dump = FastDump(schema)  # type: ignore[method-assign]
    return schema
