"""How ties' directions are written to graph files so that every common reader keeps them.

NetworkX and igraph have no mixed graphs: NetworkX refuses a GraphML or GEXF file whose
edges differ from the file's default direction, and igraph drops the per-edge direction. So:

- a map whose ties all run one way is a directed graph, one edge a tie;
- a map whose ties are all mutual (or that has none) is an undirected graph, one edge a tie;
- a map with both is a directed graph in which a one-way tie is one edge and a mutual tie is
  a pair of edges, there and back, both with ``mutual`` true; the way back also names the
  tie it belongs to in ``reverse_of``. Readers that know nothing of this still see the tie
  in both directions; this project's readers fold each pair back into one mutual tie.

>>> from mapping.model import Map, Relationship, Stakeholder
>>> people = (Stakeholder("a", "Ann"), Stakeholder("b", "Bo"), Stakeholder("c", "Cy"))
>>> m = Map(name="M", stakeholders=people, relationships=(
...     Relationship("r1", "a", "b", directed=True), Relationship("r2", "b", "c")))
>>> directed, edges = edge_plan(m)
>>> directed, [(e.id, e.source, e.target, e.extra) for e in edges]
(True, [('r1', 'a', 'b', ()), ('r2', 'b', 'c', (('mutual', 'true'),)), ('r2~reverse', 'c', 'b', (('mutual', 'true'), ('reverse_of', 'r2')))])
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from mapping.model import Map, Relationship

__all__ = ["EXTRA_FIELDS", "Edge", "edge_plan", "is_mixed", "read_direction", "folded_away"]

#: Edge data written only for maps with both kinds of tie: (name, GraphML type, GEXF type).
EXTRA_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("mutual", "boolean", "boolean"),
    ("reverse_of", "string", "string"),
)


@dataclass(frozen=True)
class Edge:
    """One edge of the file: the tie it draws, its ends, and any direction data."""

    relationship: Relationship
    id: str
    source: str
    target: str
    extra: tuple[tuple[str, str], ...] = ()


def is_mixed(m: Map) -> bool:
    """Whether the map has both one-way and mutual ties."""
    kinds = {r.directed for r in m.relationships}
    return len(kinds) == 2


def edge_plan(m: Map) -> tuple[bool, list[Edge]]:
    """Whether the file is a directed graph, and its edges in order (see the module notes)."""
    if not is_mixed(m):
        directed = bool(m.relationships) and m.relationships[0].directed
        return directed, [Edge(r, r.id, r.source, r.target) for r in m.relationships]
    taken = {r.id for r in m.relationships}
    edges = []
    for r in m.relationships:
        if r.directed:
            edges.append(Edge(r, r.id, r.source, r.target))
            continue
        back = f"{r.id}~reverse"
        while back in taken:
            back += "~"
        taken.add(back)
        mutual = (("mutual", "true"),)
        edges.append(Edge(r, r.id, r.source, r.target, mutual))
        edges.append(Edge(r, back, r.target, r.source, (*mutual, ("reverse_of", r.id))))
    return True, edges


def folded_away(values: Mapping[str, str], edge_ids: Collection[str]) -> bool:
    """Whether an edge read from a file is the way back of a mutual pair whose first edge
    is also in the file (then the reader keeps only that first edge).

    >>> folded_away({"reverse_of": "r2"}, {"r1", "r2"}), folded_away({}, {"r1"})
    (True, False)
    """
    back = values.get("reverse_of", "")
    return bool(back) and back in edge_ids


def read_direction(values: dict[str, str], default: bool, explicit: bool | None) -> bool:
    """Whether an edge read from a file runs one way; takes the direction data out of
    ``values``. ``explicit`` is the edge's own direction attribute, if it has one.

    >>> values = {"mutual": "true", "reverse_of": "r2", "strength": "3"}
    >>> read_direction(values, True, None), values
    (False, {'strength': '3'})
    >>> read_direction({}, True, None), read_direction({}, False, True)
    (True, True)
    """
    mutual = values.pop("mutual", "").strip().lower() in ("true", "1")
    values.pop("reverse_of", None)
    if explicit is not None:
        return explicit and not mutual
    return default and not mutual
