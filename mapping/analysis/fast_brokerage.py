"""Burt's structural holes and Gould-Fernandez role counts as sparse-matrix products (scipy)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse import csr_array, diags_array

from mapping.analysis.brokerage_roles import ROLES
from mapping.analysis.sources import BORGATTI_1997, BURT_1992, GOULD_FERNANDEZ_1989, cite

__all__ = [
    "METHOD",
    "SOURCE",
    "Adjacency",
    "adjacency",
    "burt_measures",
    "undirected_role_counts",
]

METHOD = (
    "Constraint, effective size and undirected brokerage roles from products of the sparse "
    "tie matrix: two-step routes p_vq p_qj are the entries of P @ P, open triads are pairs "
    "of contacts less the triangles counted by (A @ A) * A."
)

SOURCE = cite(BURT_1992, BORGATTI_1997, GOULD_FERNANDEZ_1989)


@dataclass(frozen=True)
class Adjacency:
    """An undirected simple graph as sparse matrices over ``nodes`` (self-ties left out).

    ``pattern`` holds 1 for every tie (both directions); ``weights`` the tie's weight
    (``None`` when weights are not numbers).
    """

    nodes: list
    pattern: csr_array
    weights: csr_array | None


def adjacency(G: nx.Graph, weight: str | None) -> Adjacency | None:
    """The tie matrices of an undirected graph; ``None`` for a directed graph or multigraph.

    >>> a = adjacency(nx.path_graph(3), None)
    >>> a.pattern.toarray().tolist()
    [[0, 1, 0], [1, 0, 1], [0, 1, 0]]
    """
    if G.is_directed() or G.is_multigraph():
        return None
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    rows, cols, values = [], [], []
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        rows.append(index[u])
        cols.append(index[v])
        values.append(1 if weight is None else d.get(weight, 1))
    n = len(nodes)
    r = np.array(rows + cols, dtype=np.int64)
    c = np.array(cols + rows, dtype=np.int64)
    pattern = csr_array((np.ones(len(r), dtype=np.int64), (r, c)), shape=(n, n))
    try:
        w = np.array(values + values, dtype=float)
    except (TypeError, ValueError):
        return Adjacency(nodes, pattern, None)
    weights = csr_array((w, (r, c)), shape=(n, n))
    weights.sum_duplicates()
    return Adjacency(nodes, pattern, weights)


def burt_measures(a: Adjacency) -> tuple[dict[Hashable, float | None], dict[Hashable, float]]:
    """Burt's constraint and effective size of every node, as the definitions' loops give.

    ``p_vj = w_vj / sum_k w_vk``; constraint sums ``(p_vj + (P @ P)_vj)^2`` over v's contacts
    j, effective size is v's contacts less ``sum_j (P @ W)_vj / max_k w_jk``. Someone whose
    ties add up to no weight has constraint ``None`` and effective size 0.0.

    >>> c, e = burt_measures(adjacency(nx.star_graph(2), None))
    >>> c, e
    ({0: 0.5, 1: 1.0, 2: 1.0}, {0: 2.0, 1: 1.0, 2: 1.0})
    """
    W = a.weights
    n = len(a.nodes)
    if W is None or n == 0:
        msg = "burt_measures needs numeric tie weights."
        raise ValueError(msg)
    total = np.asarray(W.sum(axis=1)).ravel()
    safe = np.where(total != 0, total, 1.0)
    P = diags_array(1.0 / safe) @ W
    pattern = a.pattern.astype(float)
    through = (P @ P).multiply(pattern)
    share = (P + through).tocsr()
    cons = np.asarray(share.multiply(share).sum(axis=1)).ravel()
    strongest = _row_max(W)
    redundancy = (P @ W).multiply(pattern).tocsr()
    inverse = np.where(strongest > 0, 1.0 / np.where(strongest > 0, strongest, 1.0), 0.0)
    redundant = np.asarray((redundancy @ diags_array(inverse)).sum(axis=1)).ravel()
    degree = np.diff(a.pattern.indptr)
    constraint: dict[Hashable, float | None] = {}
    effective: dict[Hashable, float] = {}
    for i, v in enumerate(a.nodes):
        if total[i] == 0:
            constraint[v] = None
            effective[v] = 0.0
        else:
            constraint[v] = float(cons[i])
            effective[v] = float(degree[i] - redundant[i])
    return constraint, effective


def _row_max(W: csr_array) -> np.ndarray:
    """The largest entry of each row (0.0 for an empty row)."""
    n = W.shape[0]
    out = np.zeros(n)
    filled = np.flatnonzero(np.diff(W.indptr))
    if len(filled):
        out[filled] = np.maximum.reduceat(W.data, W.indptr[filled])
    return out


def undirected_role_counts(
    G: nx.Graph, group_attr: str = "perspective"
) -> dict[Any, dict[str, int]] | None:
    """Gould & Fernandez role counts with every tie read both ways, from triangle counts.

    For middle person b with N contacts, ``n_own`` of them in b's group: ordered pairs of
    contacts (a, c) number N(N - 1); those with a tie a - c (closed) are subtracted per
    role from ``(A_x @ A) * A_y`` row sums. ``None`` when groups are not hashable, or the
    graph is directed or a multigraph.

    >>> G = nx.path_graph(3)
    >>> nx.set_node_attributes(G, "x", "perspective")
    >>> undirected_role_counts(G)[1]["coordinator"]
    2
    """
    a = adjacency(G, None)
    if a is None:
        return None
    try:
        codes: dict[Any, int] = {}
        group = np.array(
            [codes.setdefault(G.nodes[v].get(group_attr), len(codes)) for v in a.nodes],
            dtype=np.int64,
        )
    except TypeError:
        return None
    n = len(a.nodes)
    if n == 0:
        return {}
    A = a.pattern
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    same_mask = group[rows] == group[A.indices]
    same = csr_array((same_mask.astype(np.int64), A.indices.copy(), A.indptr.copy()), shape=(n, n))
    same.eliminate_zeros()
    diff = (A - same).tocsr()
    diff.eliminate_zeros()

    def closed(X: csr_array, Z: csr_array, Y: csr_array) -> np.ndarray:
        """Row sums of (X @ Z) * Y: ordered pairs (a, c) of b's contacts with a tie a - c."""
        return np.asarray(((X @ Z).multiply(Y)).sum(axis=1)).ravel().astype(np.int64)

    degree = np.diff(A.indptr).astype(np.int64)
    own = np.diff(same.indptr).astype(np.int64)
    onehot = csr_array((np.ones(n, dtype=np.int64), (np.arange(n), group)), shape=(n, len(codes)))
    per_group = A @ onehot
    squares = np.asarray(per_group.multiply(per_group).sum(axis=1)).ravel().astype(np.int64)
    open_pairs = degree * (degree - 1) - closed(A, A, A)
    # a and c in b's group; a and c in one group; a outside b's group and c inside
    coordinator = own * (own - 1) - closed(same, A, same)
    consultant = (squares - degree) - closed(A, same, A) - coordinator
    gatekeeper = (degree - own) * own - closed(diff, A, same)
    liaison = open_pairs - coordinator - consultant - 2 * gatekeeper
    counts = np.stack([coordinator, gatekeeper, gatekeeper, consultant, liaison], axis=1)
    return {
        v: dict(zip(ROLES, (int(x) for x in counts[i]), strict=True)) for i, v in enumerate(a.nodes)
    }
