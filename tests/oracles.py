"""Plain-loop reference versions of measures production computes another way (oracles).

Production computes Burt's structural holes and the Gould & Fernandez role counts as
sparse-matrix products (:mod:`mapping.analysis.fast_brokerage`) and betweenness with igraph
(:mod:`mapping.analysis.betweenness`). The loops here follow the published definitions
line by line, with nothing to make them fast, so the tests can check the fast versions
against them on any graph, directed ones included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import networkx as nx

from mapping.analysis.brokerage_roles import ROLES

__all__ = [
    "constraint",
    "effective_size",
    "brokerage_roles",
    "undirected_brokerage_roles",
    "betweenness",
]


def _weights(G: nx.Graph, weight: str | None) -> tuple[dict, Callable[[Any, Any], float]]:
    """Each person's total tie weight, and the weight of one tie."""

    def w(u: object, v: object) -> float:
        return 1.0 if weight is None else float(G[u][v].get(weight, 1))

    total = {v: sum(w(v, j) for j in G[v] if j != v) for v in G}
    return total, w


def _through_contacts(
    G: nx.Graph, v: object, w: Callable, total: dict, scale: Callable
) -> tuple[list, dict[Any, float]]:
    """v's contacts j, and for each the sum over v's contacts q of ``p_vq w(q, j) / scale(q, j)``.

    ``p_vq`` is the share of v's tie strength spent on q; only q tied to both count.
    """
    contacts = [j for j in G[v] if j != v]
    through: dict[Any, float] = defaultdict(float)
    for q in contacts:
        p_vq = w(v, q) / total[v]
        for j in G[q]:
            if j not in (v, q) and j in G[v]:
                through[j] += p_vq * w(q, j) / scale(q, j)
    return contacts, through


def constraint(G: nx.Graph, weight: str | None = "strength") -> dict[Any, float | None]:
    """Burt's constraint (1992), ``c(v) = sum_j (p_vj + sum_q p_vq p_qj)^2`` over v's
    contacts j and q; ``None`` for someone with no ties.

    >>> constraint(nx.star_graph(2), weight=None)
    {0: 0.5, 1: 1.0, 2: 1.0}
    """
    total, w = _weights(G, weight)
    result: dict[Any, float | None] = {}
    for v in G:
        if total[v] == 0:
            result[v] = None
            continue
        contacts, indirect = _through_contacts(G, v, w, total, lambda q, j: total[q])
        result[v] = float(sum((w(v, j) / total[v] + indirect[j]) ** 2 for j in contacts))
    return result


def effective_size(G: nx.Graph, weight: str | None = "strength") -> dict[Any, float]:
    """Burt's effective size (1992), ``e(v) = sum_j (1 - sum_q p_vq m_jq)`` with ``m_jq``
    j's tie to q over j's strongest tie; 0.0 for someone with no ties.

    >>> effective_size(nx.complete_graph(3), weight=None)
    {0: 1.0, 1: 1.0, 2: 1.0}
    """
    total, w = _weights(G, weight)
    strongest = {v: max((w(v, j) for j in G[v] if j != v), default=0.0) for v in G}
    result = {}
    for v in G:
        if total[v] == 0:
            result[v] = 0.0
            continue
        contacts, redundancy = _through_contacts(G, v, w, total, lambda q, j: strongest[j])
        result[v] = float(sum(1 - redundancy[j] for j in contacts))
    return result


def _role(ga: object, gb: object, gc: object) -> str:
    if ga == gb == gc:
        return "coordinator"
    if ga == gc:
        return "consultant"
    if gb == gc:
        return "gatekeeper"
    if ga == gb:
        return "representative"
    return "liaison"


def brokerage_roles(D: nx.DiGraph, group_attr: str = "perspective") -> dict[Any, dict[str, int]]:
    """Gould & Fernandez (1989) brokerage roles of every node, counted path by path.

    For each path a -> b -> c of three different people with no tie a -> c, b brokers
    between a and c, in the role given by their groups (``group_attr``): coordinator (all
    one group), gatekeeper (b and c share a group, a outside), representative (a and b
    share a group, c outside), consultant (a and c share a group, b outside), liaison (all
    different). A tie c -> a does not close the path, as in Gould & Fernandez and sna.

    >>> D = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(D, {"a": "x", "b": "y", "c": "y"}, "perspective")
    >>> brokerage_roles(D)["b"]
    {'coordinator': 0, 'gatekeeper': 1, 'representative': 0, 'consultant': 0, 'liaison': 0}
    """
    group = {n: D.nodes[n].get(group_attr) for n in D}
    succ = D.succ if D.is_directed() else D.adj
    pred = D.pred if D.is_directed() else D.adj
    counts = {n: dict.fromkeys(ROLES, 0) for n in D}
    for b in D:
        gb = group[b]
        for a in pred[b]:
            if a == b:
                continue
            ga, out_a = group[a], succ[a]
            for c in succ[b]:
                if c in (a, b) or c in out_a:
                    continue
                counts[b][_role(ga, gb, group[c])] += 1
    return counts


def undirected_brokerage_roles(
    G: nx.Graph, group_attr: str = "perspective"
) -> dict[Any, dict[str, int]]:
    """Brokerage roles with every tie read as mutual: each open triad counts both ways.

    >>> G = nx.path_graph(3)
    >>> nx.set_node_attributes(G, "x", "perspective")
    >>> undirected_brokerage_roles(G)[1]["coordinator"]
    2
    """
    return brokerage_roles(G.to_directed(as_view=True), group_attr)


def betweenness(G: nx.Graph, weight: str | None = "strength") -> dict:
    """NetworkX's own Brandes on whole-number lengths 60/strength (exact sums)."""
    if weight is None:
        return nx.betweenness_centrality(G, normalized=True)
    return nx.betweenness_centrality(
        G, weight=lambda u, v, d: 60 // d.get(weight, 1), normalized=True
    )
