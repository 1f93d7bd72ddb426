"""Gould & Fernandez brokerage roles: how the middle person of an open path links groups."""

from __future__ import annotations

from typing import Any

import networkx as nx

from mapping.analysis.sources import GOULD_FERNANDEZ_1989

__all__ = ["METHOD", "SOURCE", "ROLES", "brokerage_roles", "undirected_brokerage_roles"]

METHOD = (
    "Counts each open path a -> b -> c (no tie a -> c) once for the middle person b, in the "
    "role its three groups give (Gould & Fernandez 1989); undirected ties count both ways."
)

SOURCE = GOULD_FERNANDEZ_1989

#: Gould & Fernandez's five roles of the middle person b on a path a -> b -> c.
ROLES: tuple[str, ...] = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")


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
    """Gould & Fernandez (1989) brokerage roles of every node, counted over open paths.

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
    """Brokerage roles with every tie read as mutual (both directions), without copying G.

    Each open triad a - b - c is counted both ways, so a coordinator, consultant or liaison
    scores 2 per pair, and gatekeeper and representative counts are equal.

    >>> G = nx.path_graph(3)
    >>> nx.set_node_attributes(G, "x", "perspective")
    >>> undirected_brokerage_roles(G)[1]["coordinator"]
    2
    """
    return brokerage_roles(G.to_directed(as_view=True), group_attr)
