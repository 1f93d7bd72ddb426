"""Tests for mapping.io.xml.graphml: schema validity, NMTOKEN ids, direction, foreign files."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from mapping.errors import FormatError, ValidationError
from mapping.io.xml.gexf import write_gexf
from mapping.io.xml.graphml import from_nmtoken, read_graphml, to_nmtoken, write_graphml
from mapping.model import Map
from tests.sample_maps import MAPS


@pytest.fixture(scope="module")
def graphml_schema(shared_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_dir / "schemas/graphml/graphml.xsd")))


@pytest.mark.parametrize("which", MAPS)
def test_graphml_is_valid_against_the_schema(which, graphml_schema, small_map):
    for m in (MAPS[which](), small_map):
        doc = etree.fromstring(write_graphml(m))
        assert graphml_schema.validate(doc), graphml_schema.error_log


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


def test_wrong_root_and_malformed_xml_are_format_errors():
    with pytest.raises(FormatError, match=r"not GraphML \(its root element is <gexf>\)"):
        read_graphml(write_gexf(Map(name="M")))
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


def test_reads_networkx_florentine_families_graphml():
    out = io.BytesIO()
    nx.write_graphml(nx.florentine_families_graph(), out)
    m = read_graphml(out.getvalue())
    assert (len(m.stakeholders), len(m.relationships)) == (15, 20)
    assert "Medici" in {s.name for s in m.stakeholders}
    assert not any(r.directed for r in m.relationships)


def test_foreign_edge_to_a_missing_node_is_reported_not_dropped():
    data = GEPHI_GRAPHML.replace(b'source="1" target="2"', b'source="1" target="9"')
    with pytest.raises(
        ValidationError, match=r"Edge '1', attribute To ID: no stakeholder has the ID '9'"
    ):
        read_graphml(data, filename="t.graphml")
