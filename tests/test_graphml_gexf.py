"""Tests for mapping.io.graphml_gexf: schema validity, exact round trips, foreign files, safety."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from mapping.errors import FormatError, ValidationError
from mapping.io.graphml_gexf import (
    from_nmtoken,
    read_gexf,
    read_graphml,
    to_nmtoken,
    write_gexf,
    write_graphml,
)
from mapping.model import Map, Relationship, Stakeholder
from tests.test_csv_excel import rich_map
from tests.test_safety import BILLION_LAUGHS


@pytest.fixture(scope="module")
def graphml_schema(shared_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_dir / "schemas/graphml/graphml.xsd")))


@pytest.fixture(scope="module")
def gexf_schema(shared_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_dir / "schemas/gexf/1.3/gexf.xsd")))


def awkward_map() -> Map:
    """Ids and field names XML would choke on, text XML would normalise, positions."""
    people = (
        Stakeholder(
            "Ann Clark #1",
            "Ann <Clark> & co",
            notes='  two\r\nlines\tand "quotes"  ',
            tags=("x y", "[draft]"),
            custom={"Job title": "", "über/field": "ü"},
        ),
        Stakeholder("_x0041_", "Bo\u2028Li", organisation=" spaced ", custom={"": "blank key"}),
        Stakeholder("3", "Cy"),
    )
    ties = (
        Relationship(
            "tie 1",
            "Ann Clark #1",
            "_x0041_",
            "the  odd type",
            1,
            directed=True,
            custom={"k": "v\nw"},
        ),
        Relationship("tie 2", "3", "Ann Clark #1"),
    )
    return Map(
        name="Ünïcode map",
        description="\n leading and trailing \n",
        relationship_types=("the  odd type", "collaborates"),
        stakeholders=people,
        relationships=ties,
        positions={"Ann Clark #1": (1e-300, -2.5), "3": (float("inf"), 0.0)},
    )


MAPS = {
    "empty": lambda: Map(name="Empty"),
    "one person": lambda: Map(name="One", stakeholders=(Stakeholder("a", "Ann"),)),
    "rich": rich_map,
    "awkward": awkward_map,
}


@pytest.mark.parametrize("which", MAPS)
def test_graphml_is_valid_against_the_schema(which, graphml_schema, small_map):
    for m in (MAPS[which](), small_map):
        doc = etree.fromstring(write_graphml(m))
        assert graphml_schema.validate(doc), graphml_schema.error_log


@pytest.mark.parametrize("which", MAPS)
def test_gexf_is_valid_against_the_1_3_schema(which, gexf_schema, small_map):
    for m in (MAPS[which](), small_map):
        doc = etree.fromstring(write_gexf(m))
        assert gexf_schema.validate(doc), gexf_schema.error_log


@pytest.mark.parametrize("which", MAPS)
@pytest.mark.parametrize(
    ("write", "read"), [(write_graphml, read_graphml), (write_gexf, read_gexf)]
)
def test_round_trip_is_exact(which, write, read):
    m = MAPS[which]()
    assert read(write(m)) == m


def test_small_map_round_trips_exactly(small_map):
    m = replace(small_map, positions={"ann": (10.5, -3.25), "fay": (0.1, 0.2)})
    assert read_graphml(write_graphml(m)) == m
    assert read_gexf(write_gexf(m)) == m


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("s-1f3a9c0b2e", "s-1f3a9c0b2e"),
        ("Ann Clark", "Ann_x0020_Clark"),
        ("a_b", "a_b"),
        ("a_xb", "a_x005F_xb"),
        ("é", "_x00E9_"),
        ("😀", "_x1F600_"),
    ],
)
def test_nmtoken_encoding(text, token):
    assert to_nmtoken(text) == token
    assert from_nmtoken(token) == text


def test_uniform_direction_maps_read_in_networkx(small_map):
    mutual = small_map.with_relationships(
        replace(r, directed=False) for r in small_map.relationships
    )
    G = nx.read_graphml(io.BytesIO(write_graphml(mutual)))
    assert (G.is_directed(), G.number_of_nodes(), G.number_of_edges()) == (False, 6, 5)
    one_way = small_map.with_relationships(
        replace(r, directed=True) for r in small_map.relationships
    )
    G = nx.read_gexf(io.BytesIO(write_gexf(one_way)))
    assert (G.is_directed(), G.nodes["ann"]["label"], G.number_of_edges()) == (True, "Ann Clark", 5)


def test_mixed_direction_is_kept_per_edge(small_map):
    text = write_graphml(small_map).decode()
    assert '<graph id="G" edgedefault="undirected">' in text
    assert '<edge id="r2" source="ann" target="cat" directed="true">' in text
    gexf = write_gexf(small_map).decode()
    assert 'defaultedgetype="undirected"' in gexf and 'type="directed"' in gexf
    assert [r.directed for r in read_gexf(write_gexf(small_map)).relationships] == [
        False,
        True,
        False,
        True,
        False,
    ]


@pytest.mark.parametrize("read", [read_graphml, read_gexf])
def test_billion_laughs_is_refused(read):
    with pytest.raises(FormatError, match="declares XML entities"):
        read(BILLION_LAUGHS)


@pytest.mark.parametrize("write", [write_graphml, write_gexf])
def test_control_characters_are_refused_with_the_field(write):
    m = Map(name="M", stakeholders=(Stakeholder("a", "Ann", role="Chair\x0b"),))
    with pytest.raises(FormatError, match=r"Stakeholder 'Ann', role: holds the control character"):
        write(m)


def test_wrong_root_and_malformed_xml_are_format_errors():
    with pytest.raises(FormatError, match=r"not GraphML \(its root element is <gexf>\)"):
        read_graphml(write_gexf(Map(name="M")))
    with pytest.raises(FormatError, match=r"not GEXF \(its root element is <graphml>\)"):
        read_gexf(write_graphml(Map(name="M")))
    with pytest.raises(FormatError, match="not well-formed XML"):
        read_graphml(b"<graphml><graph>")


# --- Files from other programs -----------------------------------------------------------

GEPHI_GRAPHML = b"""<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key attr.name="label" attr.type="string" for="node" id="label"/>
<key attr.name="Edge Label" attr.type="string" for="edge" id="edgelabel"/>
<key attr.name="weight" attr.type="double" for="edge" id="weight"/>
<key attr.name="Modularity Class" attr.type="int" for="node" id="modularity_class"/>
<key attr.name="Organization" attr.type="string" for="node" id="org"/>
<key attr.name="Group" attr.type="string" for="node" id="group"><default>other</default></key>
<key attr.name="size" attr.type="float" for="node" id="size"/>
<key attr.name="x" attr.type="float" for="node" id="x"/>
<key attr.name="y" attr.type="float" for="node" id="y"/>
<graph edgedefault="directed">
<node id="0"><data key="label">Ann Clark</data><data key="modularity_class">1</data>
  <data key="org">North ICB</data><data key="group">Commissioner</data>
  <data key="size">10.0</data><data key="x">-12.5</data><data key="y">40.25</data></node>
<node id="1"><data key="label">Bo Li</data><data key="group">GP practice</data></node>
<node id="2"/>
<edge id="0" source="0" target="1"><data key="weight">1.0</data></edge>
<edge id="1" source="1" target="2" directed="false"><data key="edgelabel">funds</data></edge>
</graph>
</graphml>"""

GEPHI_GEXF = b"""<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz"
      version="1.2">
  <meta lastmodifieddate="2024-01-01"><creator>Gephi 0.10</creator>
    <description>Trial network</description></meta>
  <graph defaultedgetype="directed" mode="static">
    <attributes class="node" mode="static">
      <attribute id="modularity_class" title="Modularity Class" type="integer"/>
      <attribute id="0" title="Organisation" type="string"/>
      <attribute id="1" title="Sector" type="string"><default>other</default></attribute>
      <attribute id="2" title="Power" type="integer"/>
    </attributes>
    <attributes class="edge" mode="static">
      <attribute id="e0" title="Type" type="string"/>
    </attributes>
    <nodes>
      <node id="n0" label="Ann Clark">
        <attvalues><attvalue for="modularity_class" value="0"/>
          <attvalue for="0" value="North ICB"/><attvalue for="1" value="Commissioner"/>
          <attvalue for="2" value="5"/></attvalues>
        <viz:size value="10.0"/><viz:position x="1.5" y="-2.0" z="0.0"/>
        <viz:color r="1" g="2" b="3"/>
      </node>
      <node id="n1" label="Bo Li"/>
    </nodes>
    <edges>
      <edge id="0" source="n0" target="n1" weight="1.0">
        <attvalues><attvalue for="e0" value="Funds"/></attvalues></edge>
      <edge id="1" source="n1" target="n0" type="undirected" label="met at a conference"/>
    </edges>
  </graph>
</gexf>"""


def test_reads_a_gephi_style_graphml():
    m = read_graphml(GEPHI_GRAPHML, filename="trial network.graphml")
    assert m.name == "trial network"
    assert m.perspectives[-1] == "GP practice"
    ann, bo, third = m.stakeholders
    assert (ann.id, ann.name, ann.organisation, ann.perspective) == (
        "0",
        "Ann Clark",
        "North ICB",
        "commissioner",
    )
    assert ann.custom == {"Modularity Class": "1", "size": "10.0"}
    assert (bo.name, bo.perspective, third.name, third.perspective) == (
        "Bo Li",
        "GP practice",
        "2",
        "other",
    )
    assert m.positions == {"0": (-12.5, 40.25)}
    first, second = m.relationships
    assert (first.id, first.directed, first.strength, first.type, first.custom) == (
        "0",
        True,
        3,
        "collaborates",
        {"weight": "1.0"},
    )
    assert (second.directed, second.custom) == (False, {"Edge Label": "funds"})


def test_reads_a_gephi_style_gexf():
    m = read_gexf(GEPHI_GEXF, filename="trial.gexf")
    assert (m.name, m.description) == ("trial", "Trial network")
    ann, bo = m.stakeholders
    assert (ann.name, ann.organisation, ann.perspective, ann.influence) == (
        "Ann Clark",
        "North ICB",
        "commissioner",
        5,
    )
    assert ann.custom == {"Modularity Class": "0"}
    assert (bo.perspective, bo.custom) == ("other", {})
    assert m.positions == {"n0": (1.5, -2.0)}
    funds, met = m.relationships
    assert (funds.type, funds.directed, funds.custom) == ("funds", True, {"weight": "1.0"})
    assert (met.type, met.directed, met.custom) == (
        "collaborates",
        False,
        {"label": "met at a conference"},
    )
    assert "funds" in m.relationship_types


def test_reads_networkx_florentine_families_graphml():
    out = io.BytesIO()
    nx.write_graphml(nx.florentine_families_graph(), out)
    m = read_graphml(out.getvalue())
    assert (len(m.stakeholders), len(m.relationships)) == (15, 20)
    assert "Medici" in {s.name for s in m.stakeholders}
    assert not any(r.directed for r in m.relationships)


def test_reads_networkx_karate_club_gexf():
    out = io.BytesIO()
    nx.write_gexf(nx.karate_club_graph(), out)
    m = read_gexf(out.getvalue())
    assert (len(m.stakeholders), len(m.relationships)) == (34, 78)
    assert {s.custom["club"] for s in m.stakeholders} == {"Mr. Hi", "Officer"}


def test_foreign_edge_to_a_missing_node_is_reported_not_dropped():
    data = GEPHI_GRAPHML.replace(b'source="1" target="2"', b'source="1" target="9"')
    with pytest.raises(
        ValidationError, match=r"Edge '1', attribute To ID: no stakeholder has the ID '9'"
    ):
        read_graphml(data, filename="t.graphml")


def test_foreign_bad_values_are_reported_with_the_node():
    data = GEPHI_GEXF.replace(b'value="5"', b'value="50"')
    with pytest.raises(ValidationError, match=r"Node 'n0', attribute Power: '50' is not a whole"):
        read_gexf(data, filename="t.gexf")
