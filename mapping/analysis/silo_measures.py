"""The measures behind the silo findings: perspective x perspective tie counts and strengths,
the pairs of perspectives with no tie, and Krackhardt & Stern's E-I index (the findings are
in :mod:`mapping.analysis.silos`, which offers these names too)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from mapping.analysis.perspectives import perspective_lookup, perspectives_of
from mapping.analysis.sources import KRACKHARDT_STERN_1988
from mapping.model.graph import remembered

if TYPE_CHECKING:  # pandas loads only where a table is built (a faster command line)
    import pandas as pd

__all__ = [
    "METHOD",
    "SOURCE",
    "TieMatrix",
    "EIIndex",
    "perspective_sizes",
    "tie_matrix",
    "silo_pairs",
    "ei_by_perspective",
    "ei_overall",
]

METHOD = (
    "E-I index = (external - internal) / (external + internal) ties (Krackhardt & Stern 1988); "
    "size-corrected by tie densities given group sizes."
)

SOURCE = KRACKHARDT_STERN_1988


@dataclass(frozen=True)
class TieMatrix:
    """Perspective x perspective ties: ``counts[p][q]`` ties and their ``mean_strength``.

    Symmetric; the diagonal holds ties within a perspective. ``mean_strength`` is ``None``
    where there is no tie.
    """

    perspectives: tuple[str, ...]
    counts: Mapping[str, Mapping[str, int]] = field(hash=False)
    mean_strength: Mapping[str, Mapping[str, float | None]] = field(hash=False)

    def count_frame(self) -> pd.DataFrame:
        """Tie counts as a DataFrame (rows and columns in the map's perspective order)."""
        import pandas as pd

        order = list(self.perspectives)
        return pd.DataFrame(self.counts, index=order, columns=order).T.astype("int64")

    def strength_frame(self) -> pd.DataFrame:
        """Mean strength as a float DataFrame for a heat map; NaN where there is no tie."""
        import pandas as pd

        order = list(self.perspectives)
        rows = {
            p: [float("nan") if v is None else v for v in (self.mean_strength[p][q] for q in order)]
            for p in order
        }
        return pd.DataFrame.from_dict(rows, orient="index", columns=order).astype("float64")


@dataclass(frozen=True)
class EIIndex:
    """Krackhardt & Stern's E-I index of one perspective (or of the whole map).

    ``internal`` and ``external`` count ties (each once). ``ei`` is
    ``(external - internal) / (external + internal)``: -1 all internal, +1 all external;
    ``None`` when there are no ties. ``expected`` is the E-I index if every possible tie
    existed, ``(E_max - I_max) / (E_max + I_max)``, the value chance alone gives with these
    group sizes (UCINET's expected E-I). ``size_corrected`` replaces counts by densities,
    ``(E/E_max - I/I_max) / (E/E_max + I/I_max)``, so 0 means ties fall inside and outside
    at the same rate whatever the group sizes; ``None`` when ``E_max`` or ``I_max`` is 0
    (e.g. a perspective of one person) or there are no ties.
    """

    group: str
    people: int
    internal: int
    external: int
    possible_internal: int
    possible_external: int
    ei: float | None
    expected: float | None
    size_corrected: float | None


def _ei(group: str, people: int, i: int, e: int, i_max: int, e_max: int) -> EIIndex:
    ei = (e - i) / (e + i) if e + i else None
    expected = (e_max - i_max) / (e_max + i_max) if e_max + i_max else None
    corrected = None
    if i_max and e_max and e + i:
        d_e, d_i = e / e_max, i / i_max
        corrected = (d_e - d_i) / (d_e + d_i)
    return EIIndex(group, people, i, e, i_max, e_max, ei, expected, corrected)


def perspective_sizes(G: nx.Graph) -> dict[str, int]:
    """How many people hold each perspective, in the map's order (0 for one nobody holds)."""
    sizes = dict.fromkeys(perspectives_of(G), 0)
    for p in perspective_lookup(G).values():
        sizes[p] += 1
    return sizes


def tie_matrix(G: nx.Graph) -> TieMatrix:
    """How many ties join each pair of perspectives, and how strong they are on average.

    >>> G = nx.Graph(perspectives=("a", "b"))
    >>> G.add_nodes_from([(1, {"perspective": "a"}), (2, {"perspective": "b"})])
    >>> G.add_edge(1, 2, strength=4)
    >>> m = tie_matrix(G)
    >>> m.counts["a"]["b"], m.counts["b"]["a"], m.mean_strength["a"]["b"], m.counts["a"]["a"]
    (1, 1, 4.0, 0)
    """
    return remembered(G, "silos.tie_matrix", lambda: _tie_matrix(G))


def _tie_matrix(G: nx.Graph) -> TieMatrix:
    perspective = perspective_lookup(G)
    order = perspectives_of(G)
    counts = {p: dict.fromkeys(order, 0) for p in order}
    totals = {p: dict.fromkeys(order, 0) for p in order}
    for u, v, s in G.edges(data="strength", default=1):
        p, q = perspective[u], perspective[v]
        counts[p][q] += 1
        totals[p][q] += s
        if p != q:
            counts[q][p] += 1
            totals[q][p] += s
    means = {
        p: {q: (totals[p][q] / counts[p][q] if counts[p][q] else None) for q in order}
        for p in order
    }
    return TieMatrix(tuple(order), counts, means)


def silo_pairs(G: nx.Graph) -> list[tuple[str, str]]:
    """Pairs of perspectives, both on the map, with no tie between them (map order).

    >>> G = nx.Graph(perspectives=("a", "b", "c"))
    >>> G.add_nodes_from([(1, {"perspective": "a"}), (2, {"perspective": "b"}),
    ...                   (3, {"perspective": "c"})])
    >>> G.add_edge(1, 2)
    >>> silo_pairs(G)
    [('a', 'c'), ('b', 'c')]
    """
    sizes = perspective_sizes(G)
    counts = tie_matrix(G).counts
    present = [p for p, n in sizes.items() if n]
    return [(p, q) for i, p in enumerate(present) for q in present[i + 1 :] if counts[p][q] == 0]


def ei_by_perspective(G: nx.Graph) -> list[EIIndex]:
    """The E-I index of each perspective, in the map's order (Krackhardt & Stern 1988).

    For perspective p with n_p of N people: internal ties have both ends in p, external
    ties one end; ``I_max = n_p (n_p - 1) / 2`` and ``E_max = n_p (N - n_p)``.

    >>> G = nx.Graph(perspectives=("a", "b"))
    >>> G.add_nodes_from([(1, {"perspective": "a"}), (2, {"perspective": "a"}),
    ...                   (3, {"perspective": "b"})])
    >>> G.add_edges_from([(1, 2), (2, 3)])
    >>> [(r.group, r.internal, r.external, r.ei) for r in ei_by_perspective(G)]
    [('a', 1, 1, 0.0), ('b', 0, 1, 1.0)]
    """
    return list(remembered(G, "silos.ei", lambda: _ei_by_perspective(G)))


def _ei_by_perspective(G: nx.Graph) -> list[EIIndex]:
    perspective = perspective_lookup(G)
    sizes = perspective_sizes(G)
    total = sum(sizes.values())
    internal = dict.fromkeys(sizes, 0)
    external = dict.fromkeys(sizes, 0)
    for u, v in G.edges():
        p, q = perspective[u], perspective[v]
        if p == q:
            internal[p] += 1
        else:
            external[p] += 1
            external[q] += 1
    return [
        _ei(p, n, internal[p], external[p], n * (n - 1) // 2, n * (total - n))
        for p, n in sizes.items()
    ]


def ei_overall(G: nx.Graph) -> EIIndex:
    """The E-I index of the whole map, grouping people by perspective (group ``"all"``).

    ``I_max`` sums ``n_p (n_p - 1) / 2`` over perspectives; ``E_max`` is every other pair.

    >>> G = nx.Graph(perspectives=("a", "b"))
    >>> G.add_nodes_from([(1, {"perspective": "a"}), (2, {"perspective": "a"}),
    ...                   (3, {"perspective": "b"})])
    >>> G.add_edges_from([(1, 2), (2, 3)])
    >>> r = ei_overall(G)
    >>> r.ei, r.possible_internal, r.possible_external, r.expected
    (0.0, 1, 2, 0.3333333333333333)
    """
    sizes = perspective_sizes(G)
    n = sum(sizes.values())
    i_max = sum(k * (k - 1) // 2 for k in sizes.values())
    e_max = n * (n - 1) // 2 - i_max
    perspective = perspective_lookup(G)
    internal = sum(1 for u, v in G.edges() if perspective[u] == perspective[v])
    return _ei("all", n, internal, G.number_of_edges() - internal, i_max, e_max)
