"""The peers the benchmark runs beside ours: NetworkX's exact betweenness and igraph's."""

from __future__ import annotations

import time
from collections.abc import Mapping
from random import Random
from typing import Any

import igraph
import networkx as nx
import numpy as np

from mapping.analysis.betweenness import integer_lengths

__all__ = ["FULL_PEER_LIMIT", "networkx_betweenness", "igraph_peers", "agreement"]

#: Above this many people a peer's exact betweenness is timed from a sample of route starts
#: and scaled up to all of them (its cost is the same for every start); the table says so.
FULL_PEER_LIMIT = 5000
_PEER_SAMPLE = 200


def _lengths(G: nx.Graph) -> dict[tuple, int]:
    """Whole-number tie lengths 1/strength x lcm, so that equal routes tie exactly."""
    edges = list(G.edges(data="strength", default=1))
    lengths = integer_lengths(np.array([s for _, _, s in edges], dtype=float))
    if lengths is None:
        msg = "The benchmark needs whole-number tie strengths."
        raise ValueError(msg)
    return {(u, v): int(x) for (u, v, _), x in zip(edges, lengths, strict=True)}


def networkx_betweenness(G: nx.Graph) -> tuple[float, bool, dict[Any, float] | None]:
    """Seconds NetworkX takes for exact betweenness, whether that was scaled up from a
    sample of starts, and the exact values (``None`` when scaled up)."""
    H = G.copy()
    nx.set_edge_attributes(H, _lengths(G), "bench_length")
    n = len(H)
    if n <= FULL_PEER_LIMIT:
        started = time.perf_counter()
        values = nx.betweenness_centrality(H, weight="bench_length", normalized=True)
        return time.perf_counter() - started, False, values
    started = time.perf_counter()
    nx.betweenness_centrality(H, k=_PEER_SAMPLE, seed=1, weight="bench_length")
    return (time.perf_counter() - started) * n / _PEER_SAMPLE, True, None


def igraph_peers(G: nx.Graph) -> dict[str, Any]:
    """igraph's exact betweenness and multilevel (Louvain) communities on the same graph."""
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    lengths = _lengths(G)
    edges = [(index[u], index[v]) for u, v in lengths]
    g = igraph.Graph(n=len(nodes), edges=edges, directed=False)
    weights = list(lengths.values())
    strengths = [G.edges[u, v].get("strength", 1) for u, v in lengths]
    n = len(nodes)
    started = time.perf_counter()
    if n <= FULL_PEER_LIMIT:
        g.betweenness(directed=False, weights=weights)
        scaled = False
    else:
        starts = Random(1).sample(range(n), _PEER_SAMPLE)
        g.betweenness(directed=False, weights=weights, sources=starts)
        scaled = True
    seconds = time.perf_counter() - started
    if scaled:
        seconds *= n / _PEER_SAMPLE
    started = time.perf_counter()
    g.community_multilevel(weights=strengths)
    communities = time.perf_counter() - started
    return {
        "betweenness": seconds,
        "betweenness_scaled": scaled,
        "communities": communities,
        "version": igraph.__version__,
    }


def agreement(
    exact: Mapping[Any, float], estimate: Mapping[Any, float], top: int = 10
) -> tuple[int, float]:
    """How many of the ``top`` highest exact values the estimate also ranks in its top, and
    Spearman's rank correlation between the two over everyone.

    >>> agreement({"a": 3, "b": 2, "c": 1}, {"a": 2.9, "b": 2.2, "c": 0.5}, top=2)
    (2, 1.0)
    """
    from scipy.stats import spearmanr

    people = list(exact)
    x = np.array([exact[p] for p in people], dtype=float)
    y = np.array([estimate[p] for p in people], dtype=float)
    best = set(np.argsort(-x, kind="stable")[:top].tolist())
    found = set(np.argsort(-y, kind="stable")[:top].tolist())
    rho = float(spearmanr(x, y).statistic) if len(people) > 2 else 1.0
    return len(best & found), round(rho, 4)
