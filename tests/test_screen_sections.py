"""The screens' statistics blocks come from one table (spinta.screen_sections) driven by the
statistic catalogue: the response schemas have exactly its leaves with the field type of the
statistic's kind, and the read use cases fill exactly those leaves from the stored columns."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from marshmallow import fields

from spinta import screen_sections
from spinta.analytics.catalogue import BY_KEY, Kind
from spinta.schemas import screens as schemas
from spinta.screen_sections import Show
from spinta.services import screens as services

TABLES = {
    "dashboard": (screen_sections.DASHBOARD, schemas.DashboardStatisticsSchema, "team"),
    "match": (screen_sections.MATCH, schemas.MatchStatisticsSchema, "team"),
    "player_match": (screen_sections.PLAYER_MATCH, schemas.PlayerMatchStatisticsSchema, "player"),
    "player_season": (screen_sections.PLAYER_SEASON, schemas.SeasonStatisticsSchema, "player"),
}
EXPECTED_FIELD = {
    Show.COUNT: (schemas.Count, None),
    Show.MINUTES: (schemas.Minutes, None),
    Show.XG: (schemas.Stat, schemas.XG),
    Show.RATE: (schemas.Stat, schemas.RATE),
    Show.AVERAGE: (schemas.Stat, schemas.AVERAGE),
}


@pytest.mark.parametrize("table", TABLES)
def test_the_schema_has_exactly_the_leaves_with_the_type_of_their_kind(table):
    sections, schema, _scope = TABLES[table]
    nested = schema().fields
    # The `advanced` section comes from catalogue.ADVANCED (its own test: test_advanced_metrics).
    assert [name for name in nested if name != "advanced"] == [s.name for s in sections]
    for section in sections:
        section_schema = nested[section.name].schema
        assert type(section_schema).__name__ == section.schema
        assert list(section_schema.fields) == [leaf.name for leaf in section.leaves]
        for leaf in section.leaves:
            field = section_schema.fields[leaf.name]
            if table == "match":  # {our_team, opponent} of the statistic
                assert isinstance(field, fields.Nested)
                field = field.schema.fields["our_team"]
            kind, places = EXPECTED_FIELD[leaf.show]
            assert type(field) is kind, (section.name, leaf.name)
            assert getattr(field, "places", None) == places, (section.name, leaf.name)


@pytest.mark.parametrize("table", TABLES)
def test_every_catalogue_leaf_shows_a_statistic_of_its_scope_as_its_kind_says(table):
    sections, _schema, scope = TABLES[table]
    by_kind = {
        Kind.COUNT: Show.COUNT,
        Kind.XG: Show.XG,
        Kind.RATIO: Show.RATE,
        Kind.SHARE: Show.RATE,
        Kind.DURATION: Show.MINUTES,
    }
    for leaf in (leaf for section in sections for leaf in section.leaves):
        key = leaf.column.removeprefix("avg_")
        if key not in BY_KEY:  # a figure outside the catalogue (matches played, ...)
            assert leaf.show in (Show.COUNT, Show.AVERAGE), leaf
            continue
        entry = BY_KEY[key]
        assert entry.team if scope == "team" else entry.player, leaf
        if leaf.per_match or leaf.column.startswith("avg_"):
            assert leaf.show in (Show.AVERAGE, Show.RATE), leaf
        else:
            assert leaf.show is by_kind[entry.kind], leaf


def test_a_statistic_outside_the_catalogue_is_refused():
    with pytest.raises(KeyError):
        screen_sections.stat("no_such_statistic")


@pytest.mark.parametrize("table", ["dashboard", "player_match", "player_season"])
def test_the_use_cases_fill_each_leaf_from_its_column(table):
    sections, _schema, _scope = TABLES[table]
    names = sorted({leaf.column for section in sections for leaf in section.leaves})
    row = SimpleNamespace(**{name: float(n + 1) for n, name in enumerate(names)})
    filled = services._sections(sections, row, 4)
    for section in sections:
        for leaf in section.leaves:
            expected = getattr(row, leaf.column) / (4 if leaf.per_match else 1)
            assert filled[section.name][leaf.name] == expected, leaf
    empty = services._sections(sections, None, 0)
    assert all(value is None for block in empty.values() for value in block.values())
