"""Every export reads back: the lossless formats to the same map, the others to what they keep.

Two maps: the sample map, and a small one with one-way, mutual and both-way ties, saved
positions far from the origin, an unused perspective, unused and sign-like relationship
types (``++``), and every optional field filled in for someone. Each file is read back
through :func:`mapping.io.formats.read_file` from a file name with the format's extension,
so the format is recognised as it would be on import. Node-link JSON is also read by
NetworkX (GraphML and GEXF are read by NetworkX and igraph in test_graph_directions.py).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import networkx as nx
import pytest
from networkx.readwrite import json_graph

from mapping.demo.sample import load_sample
from mapping.io.formats import FORMATS, Format, read_file, write_file
from mapping.model import Map, Relationship, Stakeholder, Stance


def mixed_directions() -> Map:
    """Five people; one-way, mutual and both-way (two one-way) ties; three placed far away."""
    people = (
        Stakeholder(
            "ann",
            "Ann Lee",
            organisation="St Mary's",
            role="GP",
            perspective="clinical",
            influence=5,
            interest=4,
            stance=Stance.CHAMPION,
            coalition=True,
            tags=("north", "primary care"),
            review_by=date(2026, 3, 1),
            notes="met twice",
            custom={"Phone": "0114 496 0000"},
        ),
        Stakeholder(
            "bo",
            "Bo Diaz",
            organisation="Council",
            perspective="local authority & social care",
            influence=4,
            interest=2,
            stance=Stance.SUPPORTER,
        ),
        Stakeholder("cy", "Cy Park", perspective="patient & carer", stance=Stance.NEUTRAL),
        Stakeholder(
            "dee", "Dee Obi", perspective="voluntary & community sector", stance=Stance.SCEPTIC
        ),
        Stakeholder("eve", "Eve Ng", perspective="commissioner", stance=Stance.OPPOSED),
    )
    ties = (
        Relationship(
            "r1",
            "ann",
            "bo",
            type="funds",
            strength=4,
            directed=True,
            how_we_know="board minutes",
            last_confirmed=date(2025, 11, 2),
            notes="grant",
            custom={"Since": "2019"},
        ),
        Relationship("r2", "bo", "cy", type="collaborates", directed=False),
        Relationship("r3", "cy", "dee", type="advises", strength=2, directed=True),
        Relationship("r4", "dee", "cy", type="advises", strength=5, directed=True),
        Relationship("r5", "eve", "ann", type="conflict", strength=1, directed=False),
        Relationship("r6", "ann", "dee", type="++", directed=True),
    )
    return Map(
        name="Mixed directions",
        description="One-way, mutual and both-way ties",
        perspectives=(
            "clinical",
            "local authority & social care",
            "patient & carer",
            "voluntary & community sector",
            "commissioner",
            "public health",
        ),
        relationship_types=("collaborates", "funds", "advises", "conflict", "++", "reports to"),
        stakeholders=people,
        relationships=ties,
        positions={"ann": (-9749.0, 120.5), "bo": (-1642.0, 3000.25), "cy": (-5000.0, -40.0)},
    )


MAPS = {"sample": load_sample, "mixed directions": mixed_directions}
WRITTEN = [f for f in FORMATS if f.writer is not None and f.reader is not None]
LOSSLESS = [f for f in WRITTEN if f.lossless]
LOSSY = [f for f in WRITTEN if not f.lossless]


def _round_trip(m: Map, fmt: Format) -> Map:
    return read_file(f"map{fmt.extensions[0]}", write_file(m, fmt))


def test_the_formats_are_the_ones_this_test_knows():
    assert {f.name for f in LOSSLESS} == {"project", "node-link", "graphml", "gexf"}
    assert {f.name for f in LOSSY} == {"kumu-json", "kumu-xlsx", "csv", "csv-zip", "excel"}


@pytest.mark.parametrize("which", MAPS)
@pytest.mark.parametrize("fmt", LOSSLESS, ids=lambda f: f.name)
def test_every_lossless_export_reads_back_to_the_same_map(fmt, which):
    m = MAPS[which]()
    assert _round_trip(m, fmt) == m


def _ties(m: Map) -> list[tuple[str, str, str, int, bool]]:
    names = m.names()
    return [
        (names[r.source], names[r.target], r.type, r.strength, r.directed) for r in m.relationships
    ]


#: What each lossy format keeps, as the map it reads back to.
KEEPS = {
    # Kumu JSON carries the name, vocabularies and positions (in its default map's view).
    "kumu-json": lambda m: m,
    # Workbooks and CSV zips carry everything but the positions.
    "kumu-xlsx": lambda m: replace(m, positions={}),
    "csv-zip": lambda m: replace(m, positions={}),
    "excel": lambda m: replace(m, positions={}),
}


@pytest.mark.parametrize("which", MAPS)
@pytest.mark.parametrize("fmt", LOSSY, ids=lambda f: f.name)
def test_every_lossy_export_keeps_what_its_format_carries(fmt, which):
    m = MAPS[which]()
    back = _round_trip(m, fmt)
    if fmt.name == "csv":
        # One table of people: no ties, no map settings; the file's name names the map.
        assert back.stakeholders == m.stakeholders
        assert (back.relationships, back.positions, back.name) == ((), {}, "map")
        return
    expected = KEEPS[fmt.name](m)
    # Checked part by part first, so that a failure says what was lost.
    assert [s.name for s in back.stakeholders] == [s.name for s in m.stakeholders]
    assert _ties(back) == _ties(m)
    assert (back.perspectives, back.relationship_types) == (m.perspectives, m.relationship_types)
    assert (back.name, back.description) == (m.name, m.description)
    assert back.positions == expected.positions
    assert back == expected


@pytest.mark.parametrize("which", MAPS)
def test_node_link_json_opens_in_networkx_with_every_direction(which):
    m = MAPS[which]()
    data = json.loads(write_file(m, "node-link"))
    g = json_graph.node_link_graph(data, edges="links")
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == len(m.stakeholders)
    assert g.number_of_edges() == len(m.relationships)
    assert {n: g.nodes[n]["name"] for n in g} == m.names()
    for r in m.relationships:
        edge = g.edges[r.source, r.target, r.id]
        assert (edge["directed"], edge["type"], edge["strength"]) == (
            r.directed,
            r.type,
            r.strength,
        )
    one_way = {(r.source, r.target) for r in m.relationships if r.directed}
    assert {(u, v) for u, v, d in g.edges(data="directed") if d} == one_way
    placed = {n: (g.nodes[n]["x"], g.nodes[n]["y"]) for n in g if "x" in g.nodes[n]}
    assert placed == dict(m.positions)
    assert g.graph["name"] == m.name
