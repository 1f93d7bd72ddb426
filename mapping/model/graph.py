"""Build NetworkX graphs from a map, and a map back from a graph."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, fields
from typing import Any, TypeVar

import networkx as nx

from mapping.model import Map, Relationship, Stakeholder

__all__ = [
    "to_networkx",
    "from_networkx",
    "tie_graph",
    "shared_tie_graph",
    "shared_results",
    "remembered",
    "distance",
]

#: The map whose tie graph is being shared (see :func:`shared_tie_graph`), the graph, and
#: results computed from it.
_SHARED: ContextVar[tuple[Map, nx.Graph, dict[Hashable, Any]] | None] = ContextVar(
    "shared_tie_graph", default=None
)

T = TypeVar("T")

_STAKEHOLDER_FIELDS = [f.name for f in fields(Stakeholder) if f.name != "id"]
_RELATIONSHIP_FIELDS = [
    f.name for f in fields(Relationship) if f.name not in ("id", "source", "target")
]


def distance(strength: int) -> float:
    """Path length of a tie: a strong tie is a short distance.

    NetworkX reads an edge ``weight`` as a distance in shortest-path measures, so analysis
    uses this explicit ``distance`` attribute instead of strength.

    >>> distance(5) < distance(1)
    True
    >>> distance(2)
    0.5
    """
    return 1.0 / strength


def to_networkx(m: Map) -> nx.MultiDiGraph:
    """Every stakeholder and relationship, losslessly, keyed by their ids.

    A mutual relationship is one edge with ``directed=False``.

    >>> from mapping.model import Stakeholder, Relationship
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")),
    ...         relationships=(Relationship("r1", "a", "b"),))
    >>> G = to_networkx(m)
    >>> list(G.edges(keys=True))
    [('a', 'b', 'r1')]
    >>> from_networkx(G) == m
    True
    """
    G = nx.MultiDiGraph(
        name=m.name,
        description=m.description,
        perspectives=list(m.perspectives),
        relationship_types=list(m.relationship_types),
    )
    for s in m.stakeholders:
        attrs = asdict(s)
        del attrs["id"]
        if s.id in m.positions:
            attrs["position"] = m.positions[s.id]
        G.add_node(s.id, **attrs)
    for r in m.relationships:
        attrs = {name: getattr(r, name) for name in _RELATIONSHIP_FIELDS}
        attrs["custom"] = dict(r.custom)
        G.add_edge(r.source, r.target, key=r.id, **attrs)
    return G


def from_networkx(G: nx.MultiDiGraph) -> Map:
    """The map that :func:`to_networkx` built ``G`` from."""
    stakeholders = []
    positions = {}
    for node, data in G.nodes(data=True):
        stakeholders.append(
            Stakeholder(id=node, **{k: data[k] for k in _STAKEHOLDER_FIELDS if k in data})
        )
        if "position" in data:
            positions[node] = tuple(data["position"])
    relationships = [
        Relationship(
            id=key,
            source=u,
            target=v,
            **{k: data[k] for k in _RELATIONSHIP_FIELDS if k in data},
        )
        for u, v, key, data in G.edges(keys=True, data=True)
    ]
    return Map(
        name=G.graph.get("name", ""),
        description=G.graph.get("description", ""),
        perspectives=tuple(G.graph.get("perspectives", ())),
        relationship_types=tuple(G.graph.get("relationship_types", ())),
        stakeholders=tuple(stakeholders),
        relationships=tuple(relationships),
        positions=positions,
    )


def tie_graph(m: Map) -> nx.Graph:
    """The undirected network of supportive ties that analysis works on.

    Every stakeholder is a node (isolated people included) carrying ``name``,
    ``organisation``, ``perspective``, ``influence``, ``interest``, ``stance`` (text) and
    ``coalition``. Conflict ties are left out: they are tension, not a channel of support.
    Parallel ties between two people collapse to one edge with the strongest ``strength``,
    its ``distance`` (see :func:`distance`), the ``types`` involved and ``relationships``
    (their ids). Graph attributes: ``name`` and ``perspectives``.

    >>> from mapping.model import Stakeholder, Relationship
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")),
    ...         relationships=(Relationship("r1", "a", "b", strength=2),
    ...                        Relationship("r2", "b", "a", type="funds", strength=4),
    ...                        Relationship("r3", "a", "b", type="conflict")))
    >>> G = tie_graph(m)
    >>> G.edges["a", "b"]["strength"], sorted(G.edges["a", "b"]["types"])
    (4, ['collaborates', 'funds'])
    """
    shared = _SHARED.get()
    if shared is not None and shared[0] is m:
        return shared[1]
    G = nx.Graph(name=m.name, perspectives=tuple(m.perspectives))
    for s in m.stakeholders:
        G.add_node(
            s.id,
            name=s.name,
            organisation=s.organisation,
            perspective=s.perspective,
            influence=s.influence,
            interest=s.interest,
            stance=s.stance.value,
            coalition=s.coalition,
        )
    for r in m.relationships:
        if r.is_conflict:
            continue
        if G.has_edge(r.source, r.target):
            data = G.edges[r.source, r.target]
            data["types"] = data["types"] | {r.type}
            data["relationships"] = data["relationships"] + (r.id,)
            if r.strength > data["strength"]:
                data["strength"] = r.strength
                data["distance"] = distance(r.strength)
        else:
            G.add_edge(
                r.source,
                r.target,
                strength=r.strength,
                distance=distance(r.strength),
                types=frozenset({r.type}),
                relationships=(r.id,),
            )
    return G


@contextmanager
def shared_tie_graph(m: Map) -> Iterator[nx.Graph]:
    """Build ``m``'s tie graph once for a block: inside it, ``tie_graph(m)`` returns that graph.

    For running many analyses on one map (every one of them leaves the graph unchanged);
    only this very ``Map`` object is shared, and only inside the block (and its thread).
    Analyses may keep results about the shared graph in :func:`shared_results`.

    >>> m = Map(name="M")
    >>> with shared_tie_graph(m) as G:
    ...     tie_graph(m) is G
    True
    >>> tie_graph(m) is G
    False
    """
    G = tie_graph(m)
    token = _SHARED.set((m, G, {}))
    try:
        yield G
    finally:
        _SHARED.reset(token)


def shared_results(G: nx.Graph) -> dict[Hashable, Any] | None:
    """A place to keep results about ``G`` while it is the graph :func:`shared_tie_graph`
    shares, so that analyses asking the same question of it compute the answer once;
    ``None`` for any other graph.

    >>> m = Map(name="M")
    >>> with shared_tie_graph(m) as G:
    ...     shared_results(G) == {}, shared_results(G.copy())
    (True, None)
    """
    shared = _SHARED.get()
    return shared[2] if shared is not None and shared[1] is G else None


def remembered(G: nx.Graph, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, worked out once per ``key`` while ``G`` is the shared tie graph.

    Analyses that ask the same question of one graph in a block of
    :func:`shared_tie_graph` then share one answer; outside the block every call computes.
    The answer is shared: callers must treat it as read-only.

    >>> m = Map(name="M")
    >>> calls = []
    >>> with shared_tie_graph(m) as G:
    ...     [remembered(G, "size", lambda: calls.append(1) or len(G)) for _ in range(3)]
    [0, 0, 0]
    >>> len(calls)
    1
    """
    memo = shared_results(G)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
