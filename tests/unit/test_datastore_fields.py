"""Table Schema -> DataStore fields, data dictionary and primary key."""

from __future__ import annotations

import pytest

from opencatalog.datastore.fields import datastore_type, table_spec


@pytest.mark.parametrize(("field", "expected"), [
    ({"type": "integer"}, "bigint"),
    ({"type": "integer", "constraints": {"minimum": 2500, "maximum": 2600}}, "int"),
    ({"type": "integer", "constraints": {"minimum": 0}}, "bigint"),  # no upper bound
    ({"type": "integer", "constraints": {"minimum": 0, "maximum": 2**31}}, "bigint"),
    ({"type": "number"}, "numeric"),
    ({"type": "boolean"}, "bool"),
    ({"type": "date"}, "date"),
    ({"type": "datetime"}, "timestamp"),
    ({"type": "time"}, "time"),
    ({"type": "string"}, "text"),
    ({"type": "year"}, "int"),
    ({"type": "geopoint"}, "text"),
    ({"type": "object"}, "text"),
    ({}, "text"),  # Table Schema's default type is string
])
def test_type_mapping(field, expected):
    assert datastore_type(field) == expected


def test_data_dictionary_and_primary_key_from_the_schema():
    spec = table_spec({
        "fields": [
            {"name": "code", "type": "string", "title": "รหัสจังหวัด",
             "description": "รหัสจังหวัด 2 หลักของกรมการปกครอง"},
            {"name": "population", "type": "integer"},
        ],
        "primaryKey": "code",
    })
    assert spec.ckan_fields() == [
        {"id": "code", "type": "text",
         "info": {"label": "รหัสจังหวัด", "notes": "รหัสจังหวัด 2 หลักของกรมการปกครอง"}},
        {"id": "population", "type": "bigint"},
    ]
    assert spec.primary_key == ("code",)
    assert spec.missing_values == ("",)


def test_fields_hash_follows_definitions_not_order_of_keys():
    base = {"fields": [{"name": "a", "type": "integer", "title": "ก"}], "primaryKey": ["a"]}
    same = {"primaryKey": ["a"], "fields": [{"title": "ก", "type": "integer", "name": "a"}]}
    assert table_spec(base).fields_hash == table_spec(same).fields_hash
    retyped = {"fields": [{"name": "a", "type": "number", "title": "ก"}], "primaryKey": ["a"]}
    relabelled = {"fields": [{"name": "a", "type": "integer", "title": "ข"}], "primaryKey": ["a"]}
    reparsed = {"fields": [{"name": "a", "type": "integer", "title": "ก", "groupChar": ","}],
                "primaryKey": ["a"]}
    hashes = {table_spec(s).fields_hash for s in (base, retyped, relabelled, reparsed)}
    assert len(hashes) == 4
