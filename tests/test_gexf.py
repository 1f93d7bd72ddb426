"""Tests for mapping.io.xml.gexf: GEXF 1.3 schema validity, direction, files from Gephi and NetworkX."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from mapping.errors import FormatError, ValidationError
from mapping.io.xml.gexf import read_gexf, write_gexf
from mapping.io.xml.graphml import write_graphml
from mapping.model import Map
from tests.sample_maps import MAPS


@pytest.fixture(scope="module")
def gexf_schema(shared_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_dir / "schemas/gexf/1.3/gexf.xsd")))


@pytest.mark.parametrize("which", MAPS)
def test_gexf_is_valid_against_the_1_3_schema(which, gexf_schema, small_map):
    for m in (MAPS[which](), small_map):
        doc = etree.fromstring(write_gexf(m))
        assert gexf_schema.validate(doc), gexf_schema.error_log


def test_uniform_direction_maps_read_in_networkx(small_map):
    one_way = small_map.with_relationships(
        replace(r, directed=True) for r in small_map.relationships
    )
    G = nx.read_gexf(io.BytesIO(write_gexf(one_way)))
    assert (G.is_directed(), G.nodes["ann"]["label"], G.number_of_edges()) == (True, "Ann Clark", 5)


def test_wrong_root_is_a_format_error():
    with pytest.raises(FormatError, match=r"not GEXF \(its root element is <graphml>\)"):
        read_gexf(write_graphml(Map(name="M")))


# --- Files from other programs -----------------------------------------------------------

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


def test_reads_networkx_karate_club_gexf():
    out = io.BytesIO()
    nx.write_gexf(nx.karate_club_graph(), out)
    m = read_gexf(out.getvalue())
    assert (len(m.stakeholders), len(m.relationships)) == (34, 78)
    assert {s.custom["club"] for s in m.stakeholders} == {"Mr. Hi", "Officer"}


def test_foreign_bad_values_are_reported_with_the_node():
    data = GEPHI_GEXF.replace(b'value="5"', b'value="50"')
    with pytest.raises(ValidationError, match=r"Node 'n0', attribute Power: '50' is not a whole"):
        read_gexf(data, filename="t.gexf")
