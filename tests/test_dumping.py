"""The compiled dump (spinta.schemas.dumping) gives exactly marshmallow's ``Schema.dump``.

Every response schema of every endpoint (and every schema it nests) is dumped both ways on
generated bodies: every field's value drawn from what its type is given in practice and at the
edges (None, a missing key, NOT_AVAILABLE, floats at a rounding half, str subclasses, naive
date-times, empty and nested lists), as dicts, as objects and as SQLAlchemy rows.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import OrderedDict, namedtuple
from decimal import Decimal
from enum import StrEnum
from types import SimpleNamespace
from typing import Any

import flask_smorest
import pytest
from marshmallow import Schema, fields, post_dump, pre_dump
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData

from spinta.schemas import dumping
from spinta.schemas.screens import Count, Minutes, Stat
from spinta.screen_cache import cached_screen_rules
from spinta.screen_sections import NOT_AVAILABLE


class Colour(StrEnum):
    RED = "red"


def fast_dump(schema: Schema, obj: Any, *, many: bool | None = None) -> Any:
    """What a response schema's dump returns once installed: the compiled plan, or
    marshmallow's own dump for a schema it leaves alone."""
    installed = dumping.install(schema)
    if isinstance(installed.__dict__.get("dump"), dumping.FastDump):
        return installed.dump(obj, many=many)
    return Schema.dump(schema, obj, many=many)


def _row(data: dict[str, Any]) -> Any:
    """A SQLAlchemy Row with the same keys and values (how the services hand some lists on)."""
    keys = list(data)
    return IteratorResult(SimpleResultMetaData(keys), iter([tuple(data.values())])).one()


def _scalar(field: fields.Field, rng: random.Random) -> Any:
    if isinstance(field, (Count, Minutes, Stat)):
        return rng.choice([NOT_AVAILABLE, None, 0, 3, 2.5, 0.5, 1.005, 7.45, 12.345, 89.5])
    if isinstance(field, fields.Integer):
        return rng.choice([None, 0, 7, -3, 3.0, True, 2**40])
    if isinstance(field, fields.Float):
        return rng.choice([None, 0, 1, 2.5, 0.1 + 0.2, 1e-7, Decimal("1.5"), -0.0])
    if isinstance(field, fields.UUID):
        return rng.choice([None, uuid.UUID(int=rng.getrandbits(128)), "1" * 32])
    if isinstance(field, fields.Boolean):
        return rng.choice([None, True, False])
    if isinstance(field, fields.DateTime):
        naive = dt.datetime(2024, 5, 1, 12, 30, 15, rng.choice([0, 123456]))
        return rng.choice([None, naive, naive.replace(tzinfo=dt.UTC)])
    if isinstance(field, fields.Date):
        return rng.choice([None, dt.date(2024, 2, 29)])
    if isinstance(field, fields.Dict):
        return rng.choice([None, {}, {"a": "b", "c": "d"}])
    if isinstance(field, fields.String):
        return rng.choice([None, "", "Messi", "Łódź ⚽", Colour.RED, b"bytes", 5])
    return rng.choice([None, "x", 1, [1, 2], {"k": "v"}])


def _value(field: fields.Field, rng: random.Random, depth: int) -> Any:
    if isinstance(field, fields.Pluck):
        return _scalar(field, rng)
    if isinstance(field, fields.Nested):
        schema = field.schema
        if rng.random() < 0.1 or depth > 6:
            return None
        if schema.many or field.many:
            return [_body(schema, rng, depth + 1) for _ in range(rng.choice([0, 1, 3]))]
        return _body(schema, rng, depth + 1)
    if isinstance(field, fields.List):
        if rng.random() < 0.1:
            return None
        return [_value(field.inner, rng, depth + 1) for _ in range(rng.choice([0, 1, 2, 4]))]
    return _scalar(field, rng)


def _body(schema: Schema, rng: random.Random, depth: int = 0) -> Any:
    data = {}
    for name, field in schema.dump_fields.items():
        if rng.random() < 0.08:
            continue  # missing: the key is left out (or dump_default)
        data[field.attribute or name] = _value(field, rng, depth)
    shape = rng.random()
    if shape < 0.6:
        return data
    if shape < 0.8:
        return SimpleNamespace(**data)
    if shape < 0.9 and all("." not in key for key in data):
        return _row(data)
    return OrderedDict(data)


def _outcome(dump: Any) -> Any:
    try:
        return ("ok", dump())
    except Exception as error:  # both ways must fail alike
        return ("error", type(error))


def mismatches(schema: Schema, samples: int, seed: int = 0) -> list[Any]:
    """Bodies the two dumps answer differently (the value or the exception type)."""
    rng = random.Random(seed)
    found = []
    for _ in range(samples):
        body = _body(schema, rng)
        many = [body, _body(schema, rng)]
        for obj, kwargs in ((body, {}), (many, {"many": True})):
            expected = _outcome(lambda: Schema.dump(schema, obj, **kwargs))  # noqa: B023
            got = _outcome(lambda: fast_dump(schema, obj, **kwargs))  # noqa: B023
            if repr(expected) != repr(got):  # repr: 0 vs 0.0 and True vs 1 differ too
                found.append((obj, expected, got))
    return found


def response_schemas(app) -> dict[str, Schema]:
    """Every response schema instance of every endpoint, by endpoint and status."""
    found = {}
    for blueprint in app.blueprints.values():
        if not isinstance(blueprint, flask_smorest.Blueprint):
            continue
        for endpoint, docs in blueprint._docs.items():
            for method, doc in docs.items():
                if not isinstance(doc, dict):
                    continue
                for status, responses in doc.get("response", {}).get("responses", {}).items():
                    for response in responses:
                        schema = response.get("schema")
                        if isinstance(schema, Schema):
                            found[f"{blueprint.name}.{endpoint} {method} {status}"] = schema
    return found


def test_every_response_schema_dumps_as_marshmallow_does(app):
    schemas = response_schemas(app)
    assert len(schemas) > 50
    for name, schema in schemas.items():
        assert mismatches(schema, samples=25) == [], name


def test_the_cached_screens_use_the_compiled_dump(app):
    schemas = response_schemas(app)
    screens = {f"{rule.endpoint} get 200" for _screen, rule in cached_screen_rules(app)}
    assert len(screens) >= 5
    for name in screens:
        assert isinstance(schemas[name].__dict__.get("dump"), dumping.FastDump), name


class _Inner(Schema):
    name = fields.String()
    size = fields.Integer(dump_default=lambda: 4)


class _Hooked(Schema):
    value = fields.Float()

    @pre_dump
    def _wrap(self, data: Any, **_kwargs: Any) -> Any:
        return {"value": data["value"] * 2}

    @post_dump
    def _mark(self, data: Any, **_kwargs: Any) -> Any:
        return {**data, "hooked": True}


class _Edges(Schema):
    """What marshmallow's Schema._serialize does that the screens do not use (yet)."""

    renamed = fields.String(data_key="shownName")
    sourced = fields.Integer(attribute="stored_as")
    dotted = fields.String(attribute="inner.name")
    constant_default = fields.Float(dump_default=1.5)
    callable_default = fields.String(dump_default=lambda: "made")
    never_dumped = fields.String(load_only=True)
    method = fields.Method("_method")
    function = fields.Function(lambda obj: type(obj).__name__)
    constant = fields.Constant(7)
    plucked = fields.Pluck(_Inner, "name")
    plucked_many = fields.Pluck(_Inner, "name", many=True)
    only = fields.Nested(_Inner, only=("name",))
    many = fields.Nested(_Inner, many=True)
    hooked = fields.Nested(_Hooked)
    tuple_ = fields.Tuple((fields.String(), fields.Integer()))
    as_string = fields.Integer(as_string=True)
    decimal = fields.Decimal(places=2)
    strict = fields.Integer(strict=True)
    nan = fields.Float(allow_nan=True)
    timestamp = fields.DateTime(format="timestamp")
    formatted = fields.Date(format="%d.%m.%Y")
    mapping = fields.Dict(keys=fields.String(), values=fields.Nested(_Inner))
    items = fields.Raw()  # a dict without the key: marshmallow gives getattr(dict, "items")

    def _method(self, obj: Any) -> Any:
        return "method"


def _edge_bodies() -> list[Any]:
    full = {
        "renamed": "a",
        "stored_as": 3.9,
        "inner": {"name": "nested"},
        "constant_default": 2,
        "callable_default": None,
        "never_dumped": "x",
        "plucked": {"name": "p"},
        "plucked_many": [{"name": "p"}, {"name": "q"}],
        "only": {"name": "o", "size": 9},
        "many": [{"name": "m"}, {}],
        "hooked": {"value": 1.25},
        "tuple_": ("t", "5"),
        "as_string": 12.0,
        "decimal": Decimal("1.005"),
        "strict": 4,
        "nan": float("nan"),
        "timestamp": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        "formatted": dt.date(2024, 1, 2),
        "mapping": {"k": {"name": "v"}},
        "items": [1],
    }
    return [full, {}, SimpleNamespace(**full), OrderedDict(full), {"many": [], "only": None}]


def test_the_edges_of_marshmallows_dump():
    schema = _Edges()
    for body in _edge_bodies():
        expected = Schema.dump(schema, body)
        assert fast_dump(schema, body) == expected
        assert repr(fast_dump(schema, body)) == repr(expected)
    bodies = _edge_bodies()
    assert repr(Schema.dump(schema, bodies, many=True)) == repr(
        fast_dump(schema, bodies, many=True)
    )
    assert mismatches(schema, samples=40) == []


def test_a_schema_with_hooks_is_left_to_marshmallow():
    schema = dumping.install(_Hooked())
    assert "dump" not in schema.__dict__
    assert schema.dump({"value": 2}) == {"value": 4.0, "hooked": True}


def test_a_named_tuple_and_a_row_are_read_by_attribute():
    schema = _Inner()
    pair = namedtuple("Pair", "name size")("n", 2)
    assert fast_dump(schema, pair) == Schema.dump(schema, pair) == {"name": "n", "size": 2}
    row = _row({"name": "r", "size": 3})
    assert fast_dump(schema, row) == Schema.dump(schema, row) == {"name": "r", "size": 3}


def test_objects_read_as_marshmallow_reads_them():
    """marshmallow tries ``obj[key]`` whenever the object has ``__getitem__`` (also its own)."""

    class Generic(list):
        name = "attribute"

    schema = _Inner()
    own = SimpleNamespace(name="n", __getitem__=lambda key: "item")
    for obj in (own, Generic, Generic(), {"size": "7"}, None, 5):
        expected = _outcome(lambda: Schema.dump(schema, obj))  # noqa: B023
        assert repr(_outcome(lambda: fast_dump(schema, obj))) == repr(expected)  # noqa: B023


def test_a_changed_field_formatting_is_followed():
    """A field class whose formatting changes is formatted by its own (changed) code."""
    schema = _Inner()
    original = fields.String._serialize
    try:
        fields.String._serialize = lambda self, value, attr, obj, **kw: f"<{value}>"  # type: ignore[method-assign]
        assert fast_dump(schema, {"name": "a"}) == {"name": "<a>", "size": 4}
    finally:
        fields.String._serialize = original  # type: ignore[method-assign]


def test_a_diverging_fast_path_is_caught(app, monkeypatch):
    """The comparison above catches a plan that formats differently from marshmallow: here a
    Stat (rounded half-up) wrongly inlined as a plain Float."""
    schema = response_schemas(app)["coach.dashboard get 200"]
    assert mismatches(schema, samples=10) == []
    original = dumping._kind
    monkeypatch.setattr(
        dumping,
        "_kind",
        lambda field: dumping._FLOAT if isinstance(field, Stat) else original(field),
    )
    assert mismatches(schema, samples=10) != []


@pytest.mark.parametrize("many", [False, True])
def test_a_schema_instance_with_many(many):
    schema = _Inner(many=many)
    body = [{"name": "a"}, {"size": 2}] if many else {"name": "a"}
    assert fast_dump(schema, body) == Schema.dump(schema, body)
    assert fast_dump(schema, None) == Schema.dump(schema, None)
