"""Tests for mapping.io.node_link: exact round trips, NetworkX interop, foreign files."""

from __future__ import annotations

import json
from dataclasses import replace

import networkx as nx
import pytest

from mapping.errors import FormatError, ValidationError
from mapping.io.node_link import node_link_data, read_node_link, write_node_link
from mapping.model import Map, Stakeholder
from tests.sample_maps import awkward_map, rich_map


@pytest.mark.parametrize("make", [rich_map, awkward_map, lambda: Map(name="Empty")])
def test_round_trip_is_exact(make):
    m = make()
    assert read_node_link(write_node_link(m)) == m
    assert read_node_link(write_node_link(m).encode("utf-8")) == m


def test_small_map_with_positions_round_trips(small_map):
    m = replace(small_map, positions={"ann": (1.25, -7.0)})
    assert read_node_link(write_node_link(m)) == m


def test_networkx_reads_our_file_as_a_multidigraph(small_map):
    G = nx.node_link_graph(json.loads(write_node_link(small_map)), edges="links")
    assert isinstance(G, nx.MultiDiGraph)
    assert (G.number_of_nodes(), G.number_of_edges()) == (6, 5)
    assert G.edges["ann", "cat", "r2"]["type"] == "commissions"
    assert G.nodes["fay"]["review_by"] == "2026-01-31"
    assert G.graph["perspectives"][0] == "clinical"


def test_node_link_data_is_plain_json(small_map):
    data = node_link_data(small_map)
    assert json.loads(json.dumps(data)) == data
    assert data["links"][1] == {
        "source": "ann",
        "target": "cat",
        "key": "r2",
        "type": "commissions",
        "strength": 2,
        "directed": True,
        "how_we_know": "",
        "last_confirmed": None,
        "notes": "",
        "custom": {},
    }


def test_reads_networkx_karate_club():
    data = nx.node_link_data(nx.karate_club_graph(), edges="links")
    m = read_node_link(json.dumps(data))
    assert (m.name, len(m.stakeholders), len(m.relationships)) == ("Zachary's Karate Club", 34, 78)
    assert m.stakeholders[0].custom == {"club": "Mr. Hi"}
    assert m.relationships[0].custom == {"weight": "4"}
    assert not any(r.directed for r in m.relationships)


def test_reads_d3_style_links_by_index_and_labels():
    data = {
        "directed": True,
        "nodes": [
            {"id": "a", "label": "Ann", "group": "Clinical", "x": 3, "y": 4},
            {"id": "b", "name": "Bo", "tags": ["x", "y"], "meta": {"k": 1}},
        ],
        "edges": [{"source": 0, "target": 1, "value": 2}],
    }
    m = read_node_link(json.dumps(data))
    ann, bo = m.stakeholders
    assert (ann.name, ann.perspective, bo.name, bo.tags, bo.custom) == (
        "Ann",
        "clinical",
        "Bo",
        ("x", "y"),
        {"meta": '{"k": 1}'},
    )
    assert m.positions == {"a": (3.0, 4.0)}
    (tie,) = m.relationships
    assert (tie.source, tie.target, tie.directed, tie.custom) == ("a", "b", True, {"value": "2"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "needs a 'nodes' list"),
        ("{not json", "not valid JSON"),
        ('{"nodes": [{"name": "x"}]}', "node 1 has no 'id'"),
    ],
)
def test_bad_files_are_format_errors(text, message):
    with pytest.raises(FormatError, match=message):
        read_node_link(text)


def test_links_to_unknown_nodes_are_reported():
    data = {"nodes": [{"id": "a"}], "links": [{"source": "a", "target": "zz"}]}
    with pytest.raises(
        ValidationError, match="Link 1, field To ID: no stakeholder has the ID 'zz'"
    ):
        read_node_link(json.dumps(data))


def test_our_marker_keeps_the_map_vocabulary_strict():
    m = Map(name="M", stakeholders=(Stakeholder("a", "Ann"),))
    data = node_link_data(m)
    data["nodes"][0]["perspective"] = "martian"
    with pytest.raises(ValidationError, match="'martian' is not one of the map's perspectives"):
        read_node_link(json.dumps(data))


def test_foreign_file_with_null_vocabularies_uses_the_defaults():
    from mapping.model import DEFAULT_PERSPECTIVES, DEFAULT_RELATIONSHIP_TYPES

    text = (
        '{"directed": false, "multigraph": false, "graph": {"relationship_types": null, '
        '"perspectives": null}, "nodes": [{"id": "a"}, {"id": "b"}], '
        '"links": [{"source": "a", "target": "b"}]}'
    )
    m = read_node_link(text)
    assert m.relationship_types == DEFAULT_RELATIONSHIP_TYPES
    assert m.perspectives == DEFAULT_PERSPECTIVES
    assert len(m.relationships) == 1
