"""One record mapping: every field of a stakeholder and a relationship, found by
``dataclasses.fields`` (never listed here), reaches every format and comes back."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import fields
from datetime import date

import pytest

from mapping.io import node_link, project_json
from mapping.io.columns import RELATIONSHIP_COLUMNS, STAKEHOLDER_COLUMNS
from mapping.io.tabular_read import read_csv_zip
from mapping.io.tabular_write import write_csv_zip
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.fields import field_names, from_record, to_record
from mapping.storage.schema import relationships_table, stakeholders_table
from mapping.storage.store import Store

PEOPLE = tuple(f.name for f in fields(Stakeholder))
TIES = tuple(f.name for f in fields(Relationship))


def full_map() -> Map:
    """A map whose every field differs from its default."""
    ann = Stakeholder(
        "s-ann", "Ann Clark", "Trust", "Director", "clinical", 5, 2, "champion", True,
        "says yes", ("north", "acute"), date(2026, 5, 1), {"Ward": "5"},
    )  # fmt: skip
    bo = Stakeholder("s-bo", "Bo Diaz", perspective="commissioner", custom={"Ward": "7"})
    tie = Relationship(
        "r-1", "s-ann", "s-bo", "funds", 5, True, "board minutes", date(2025, 11, 3),
        "yearly", {"Budget": "12k"},
    )  # fmt: skip
    return Map(name="Full", stakeholders=(ann, bo), relationships=(tie,))


def test_the_full_map_sets_every_field_away_from_its_default():
    m = full_map()
    default_person = Stakeholder("x", "X")
    default_tie = Relationship("x", "a", "b")
    for name in PEOPLE:
        if name not in ("id", "name"):
            assert getattr(m.stakeholders[0], name) != getattr(default_person, name), name
    for name in TIES:
        if name not in ("id", "source", "target"):
            assert getattr(m.relationships[0], name) != getattr(default_tie, name), name


def test_field_names_are_the_dataclass_fields():
    assert field_names(Stakeholder) == PEOPLE
    assert field_names(Relationship) == TIES


def test_a_record_holds_every_field_and_reads_back():
    m = full_map()
    for item in (*m.stakeholders, *m.relationships):
        record = to_record(item)
        assert tuple(record) == field_names(type(item))
        json.dumps(record)  # plain values only
        assert from_record(type(item), record) == item
        assert from_record(type(item), to_record(item, iso_dates=False)) == item


def test_project_json_holds_every_field_and_round_trips():
    m = full_map()
    data = project_json.to_dict(m)["map"]
    ends = {"source": "from", "target": "to"}
    assert set(data["stakeholders"][0]) == set(PEOPLE)
    assert set(data["relationships"][0]) == {ends.get(n, n) for n in TIES}
    assert project_json.loads(project_json.dumps(m)) == m


def test_node_link_holds_every_field_and_round_trips():
    m = full_map()
    data = node_link.node_link_data(m)
    assert set(PEOPLE) <= set(data["nodes"][0])
    assert {"id" if k == "key" else k for k in data["links"][0]} == set(TIES)
    assert node_link.read_node_link(node_link.write_node_link(m)) == m


def test_the_database_tables_have_a_column_for_every_field_and_round_trip():
    assert set(PEOPLE) <= {c.name for c in stakeholders_table.c}
    assert set(TIES) <= {c.name for c in relationships_table.c}
    store = Store("sqlite://")
    m = full_map()
    assert store.load_map(store.create_map(m)) == m


@pytest.mark.parametrize(
    ("kind", "columns"), [(Stakeholder, STAKEHOLDER_COLUMNS), (Relationship, RELATIONSHIP_COLUMNS)]
)
def test_the_spreadsheets_have_a_column_for_every_field(kind, columns):
    """Custom fields are columns of their own (``custom.`` when needed)."""
    assert set(field_names(kind)) - {"custom"} <= {c.field for c in columns}


def test_the_spreadsheets_round_trip_every_field():
    m = full_map()
    back = read_csv_zip(write_csv_zip(m))
    assert back.stakeholders == m.stakeholders
    assert back.relationships == m.relationships


def test_a_spreadsheet_row_is_the_record_in_column_order():
    m = full_map()
    with zipfile.ZipFile(io.BytesIO(write_csv_zip(m))) as z:
        names = [n for n in z.namelist() if "takeholders" in n]
        header = z.read(names[0]).decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == [c.header for c in STAKEHOLDER_COLUMNS] + ["Ward"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_carry_every_field_and_round_trip(fmt):
    """Their attributes come from the dataclass fields (io/xml/common.py), typed by them."""
    from mapping.io.xml import common, gexf, graphml

    node_attrs = {name for name, _, _ in common.NODE_FIELDS} | {"id", "custom"}
    assert set(PEOPLE) <= {"name" if a == "label" else a for a in node_attrs}
    edge_attrs = {name for name, _, _ in common.EDGE_FIELDS}
    typed = dict((name, gexf_type) for name, _, gexf_type in common.NODE_FIELDS)
    assert (typed["influence"], typed["coalition"], typed["review_by"]) == (
        "integer",
        "boolean",
        "string",
    )
    assert set(TIES) - {"id", "source", "target", "directed", "custom"} <= edge_attrs
    m = full_map()
    if fmt == "graphml":
        back = graphml.read_graphml(graphml.write_graphml(m))
    else:
        back = gexf.read_gexf(gexf.write_gexf(m))
    assert back.stakeholders == m.stakeholders
    assert back.relationships == m.relationships


def test_kumu_carries_every_field_and_round_trips():
    """Kumu names its fields by hand too (io/kumu/fields.py)."""
    from mapping.io.kumu.read import read_kumu
    from mapping.io.kumu.write import write_kumu_json

    m = full_map()
    back = read_kumu("map.json", write_kumu_json(m).encode("utf-8"))
    assert back.stakeholders == m.stakeholders
    assert back.relationships == m.relationships
