"""Graph files keep every tie's direction in the readers people use (NetworkX, igraph)."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace
from pathlib import Path

import igraph
import networkx as nx
import pytest
from lxml import etree

from mapping.demo.sample import load_sample
from mapping.io.xml.gexf import read_gexf, write_gexf
from mapping.io.xml.graphml import read_graphml, write_graphml
from mapping.model import Map
from tests.conftest import make_small_map


def _all(m: Map, directed: bool) -> Map:
    return m.with_relationships(replace(r, directed=directed) for r in m.relationships)


MAPS = {
    "sample (mixed)": load_sample,
    "small (mixed)": make_small_map,
    "all one-way": lambda: _all(make_small_map(), True),
    "all mutual": lambda: _all(make_small_map(), False),
}


def _expected_arcs(m: Map) -> Counter[tuple[str, str]]:
    """The (from, to) pairs a reader must see: one-way ties once, mutual ties both ways
    (an undirected reader's pairs are sorted)."""
    mixed = len({r.directed for r in m.relationships}) == 2
    directed_file = mixed or all(r.directed for r in m.relationships)
    arcs: Counter[tuple[str, str]] = Counter()
    for r in m.relationships:
        if not directed_file:
            arcs[tuple(sorted((r.source, r.target)))] += 1
            continue
        arcs[(r.source, r.target)] += 1
        if not r.directed:
            arcs[(r.target, r.source)] += 1
    return arcs


def _nx_arcs(G: nx.Graph) -> Counter[tuple[str, str]]:
    pairs = [(u, v) for u, v, *_ in G.edges(keys=True)] if G.is_multigraph() else list(G.edges)
    return Counter(pairs if G.is_directed() else (tuple(sorted(p)) for p in pairs))


WRITERS = {
    "GraphML": (write_graphml, read_graphml, nx.read_graphml),
    "GEXF": (write_gexf, read_gexf, nx.read_gexf),
}


@pytest.mark.parametrize("fmt", WRITERS)
@pytest.mark.parametrize("which", MAPS)
def test_networkx_reads_every_map_with_each_ties_direction(fmt, which):
    m = MAPS[which]()
    write, _, nx_read = WRITERS[fmt]
    G = nx_read(io.BytesIO(write(m)))
    mixed = len({r.directed for r in m.relationships}) == 2
    assert G.is_directed() == (mixed or all(r.directed for r in m.relationships))
    assert G.number_of_nodes() == len(m.stakeholders)
    assert _nx_arcs(G) == _expected_arcs(m)


@pytest.mark.parametrize("which", MAPS)
def test_igraph_reads_graphml_with_each_ties_direction(which, tmp_path):
    m = MAPS[which]()
    path = tmp_path / "map.graphml"
    path.write_bytes(write_graphml(m))
    g = igraph.Graph.Read_GraphML(str(path))
    ids = g.vs["id"]
    assert g.vcount() == len(m.stakeholders)
    if g.is_directed():
        arcs = Counter((ids[e.source], ids[e.target]) for e in g.es)
    else:
        arcs = Counter(tuple(sorted((ids[e.source], ids[e.target]))) for e in g.es)
    assert arcs == _expected_arcs(m)
    assert g.is_directed() == any(r.directed for r in m.relationships)


@pytest.mark.parametrize("fmt", WRITERS)
@pytest.mark.parametrize("which", MAPS)
def test_our_readers_fold_each_mutual_pair_back_into_one_tie(fmt, which):
    m = MAPS[which]()
    write, read, _ = WRITERS[fmt]
    assert read(write(m)) == m


def test_a_mixed_map_writes_mutual_ties_as_marked_pairs():
    m = make_small_map()
    mutual = next(r for r in m.relationships if not r.directed)
    text = write_graphml(m).decode()
    assert '<graph id="G" edgedefault="directed">' in text
    assert (
        f'<edge id="{mutual.id}_x007E_reverse" source="{mutual.target}" target="{mutual.source}">'
        in text
    )
    assert 'directed="' not in text.split("<graph", 1)[1]
    gexf = write_gexf(m).decode()
    assert 'defaultedgetype="directed"' in gexf and ' type="' not in gexf.split("<edges", 1)[1]
    assert (
        f'<edges count="{len(m.relationships) + sum(not r.directed for r in m.relationships)}">'
        in gexf
    )


def test_files_from_other_programs_keep_their_per_edge_directions():
    graphml = b"""<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<graph edgedefault="undirected"><node id="a"/><node id="b"/><node id="c"/>
<edge source="a" target="b" directed="true"/><edge source="b" target="c"/></graph></graphml>"""
    assert [r.directed for r in read_graphml(graphml).relationships] == [True, False]
    gexf = b"""<?xml version="1.0"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="directed">
<nodes><node id="a" label="A"/><node id="b" label="B"/></nodes>
<edges><edge id="0" source="a" target="b" type="mutual"/><edge id="1" source="b" target="a"/></edges>
</graph></gexf>"""
    assert [r.directed for r in read_gexf(gexf).relationships] == [False, True]


@pytest.mark.parametrize("which", MAPS)
def test_direction_encodings_are_valid_against_the_schemas(which, shared_dir: Path):
    m = MAPS[which]()
    graphml = etree.XMLSchema(etree.parse(str(shared_dir / "schemas/graphml/graphml.xsd")))
    gexf = etree.XMLSchema(etree.parse(str(shared_dir / "schemas/gexf/1.3/gexf.xsd")))
    assert graphml.validate(etree.fromstring(write_graphml(m))), graphml.error_log
    assert gexf.validate(etree.fromstring(write_gexf(m))), gexf.error_log
