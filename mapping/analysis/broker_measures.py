"""Where each person sits between others: betweenness, Burt's constraint and effective
size, Gould & Fernandez's brokerage roles between perspectives, and the table of them all
(the facts behind the brokerage findings, worded in :mod:`mapping.analysis.brokerage`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from mapping.analysis.betweenness import betweenness
from mapping.analysis.brokerage_roles import ROLES
from mapping.analysis.fast_brokerage import adjacency, burt_measures, undirected_role_counts
from mapping.analysis.perspectives import node_perspective
from mapping.analysis.sources import (
    BORGATTI_1997,
    BRANDES_2001,
    BURT_1992,
    FREEMAN_1977,
    GOULD_FERNANDEZ_1989,
    cite,
)
from mapping.model.wording import person_name

if TYPE_CHECKING:  # pandas loads only where a table is built (a faster command line)
    import pandas as pd

__all__ = [
    "METHOD",
    "SOURCE",
    "constraint",
    "effective_size",
    "BrokerPosition",
    "broker_positions",
    "BROKER_COLUMNS",
    "broker_records",
    "broker_table",
    "positions_table",
]

METHOD = (
    "Betweenness on distance = 1/strength (Freeman 1977; Brandes 2001); constraint and "
    "effective size (Burt 1992); brokerage roles by perspective (Gould & Fernandez 1989)."
)


SOURCE = cite(FREEMAN_1977, BRANDES_2001, BURT_1992, BORGATTI_1997, GOULD_FERNANDEZ_1989)


def _burt(G: nx.Graph, weight: str | None) -> tuple[dict[Any, float | None], dict[Any, float]]:
    """Both Burt measures by sparse-matrix products (:mod:`mapping.analysis.fast_brokerage`).

    The plain loops of the definitions are the tests' oracles (``tests/oracles.py``).
    """
    if len(G) == 0:
        return {}, {}
    a = adjacency(G, weight)
    if a is None or a.weights is None or (a.weights.nnz and a.weights.data.min() < 0):
        msg = (
            "Burt's constraint and effective size need an undirected graph without parallel "
            f"ties whose {weight!r} values are numbers of at least 0."
        )
        raise ValueError(msg)
    return burt_measures(a)


def constraint(G: nx.Graph, weight: str | None = "strength") -> dict[Any, float | None]:
    """Burt's constraint: how far v's contacts are tied to each other (1992); lower = broker.

    ``c(v) = sum_j (p_vj + sum_q p_vq p_qj)^2`` over contacts j and q of v, where ``p_vj``
    is the share of v's tie strength spent on j. ``None`` for someone with no ties (NetworkX
    gives NaN). Undirected graphs with non-negative numeric weights only (``ValueError``
    otherwise); computed by sparse-matrix products.

    >>> constraint(nx.star_graph(2), weight=None)
    {0: 0.5, 1: 1.0, 2: 1.0}
    """
    return _burt(G, weight)[0]


def effective_size(G: nx.Graph, weight: str | None = "strength") -> dict[Any, float]:
    """Burt's effective size: the number of contacts, less their redundancy (1992).

    ``e(v) = sum_j (1 - sum_q p_vq m_jq)`` where ``m_jq`` is j's tie to q over j's strongest
    tie. Unweighted (``weight=None``) it is Borgatti's ``deg - 2 t / deg`` with t the ties
    among v's contacts (1997). Someone with no ties has effective size 0.0 (NetworkX: NaN).
    Weighted, as :func:`constraint`: undirected graphs with non-negative numeric weights.

    >>> effective_size(nx.complete_graph(3), weight=None)
    {0: 1.0, 1: 1.0, 2: 1.0}
    """
    if weight is None:
        triangles = nx.triangles(G)
        result = {}
        for v in G:
            deg = sum(1 for j in G[v] if j != v)
            result[v] = float(deg - 2 * triangles[v] / deg) if deg else 0.0
        return result
    return _burt(G, weight)[1]


@dataclass(frozen=True)
class BrokerPosition:
    """One person's brokerage: betweenness, Burt's measures and Gould-Fernandez roles."""

    id: Any
    name: str
    perspective: str
    coalition: bool
    betweenness: float
    constraint: float | None
    effective_size: float
    roles: Mapping[str, int] = field(hash=False)

    @property
    def brokerage(self) -> int:
        """All brokerage roles added up."""
        return sum(self.roles.values())


def broker_positions(
    G: nx.Graph, betweenness_values: Mapping[Any, float] | None = None
) -> list[BrokerPosition]:
    """Every person's brokerage, highest betweenness first (pass precomputed betweenness).

    >>> G = nx.path_graph(3)
    >>> [(p.id, p.betweenness, p.brokerage) for p in broker_positions(G)][0]
    (1, 1.0, 2)
    """
    bc = betweenness(G) if betweenness_values is None else betweenness_values
    cons, eff = _burt(G, "strength")
    roles = undirected_role_counts(G)
    if roles is None:
        msg = "Brokerage roles need an undirected graph whose perspectives are plain values."
        raise ValueError(msg)
    people = [
        BrokerPosition(
            id=n,
            name=person_name(G, n),
            perspective=node_perspective(G, n),
            coalition=bool(data.get("coalition", False)),
            betweenness=float(bc.get(n, 0.0)),
            constraint=cons[n],
            effective_size=eff[n],
            roles=roles[n],
        )
        for n, data in G.nodes(data=True)
    ]
    return sorted(people, key=lambda p: (-p.betweenness, str(p.id)))


#: The columns of :func:`broker_table` and of :func:`broker_records`.
BROKER_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "perspective",
    "coalition",
    "betweenness",
    "constraint",
    "effective_size",
    *ROLES,
    "brokerage",
)


def _row(p: BrokerPosition) -> list[Any]:
    return [
        p.id,
        p.name,
        p.perspective,
        p.coalition,
        p.betweenness,
        p.constraint,
        p.effective_size,
        *(p.roles[r] for r in ROLES),
        p.brokerage,
    ]


def broker_records(positions: Sequence[BrokerPosition]) -> list[dict[str, Any]]:
    """Positions as plain JSON-ready rows with the columns :data:`BROKER_COLUMNS` (what
    :func:`broker_table` holds, a missing or NaN value as ``None``), without pandas.

    >>> broker_records(broker_positions(nx.path_graph(2)))[0]["constraint"]
    1.0
    """
    return [{c: _plain(v) for c, v in zip(BROKER_COLUMNS, _row(p), strict=True)} for p in positions]


def _plain(value: Any) -> Any:
    """``None`` for a missing or NaN number; a numpy scalar as its Python value."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def broker_table(
    G: nx.Graph,
    betweenness_values: Mapping[Any, float] | None = None,
    *,
    positions: Sequence[BrokerPosition] | None = None,
) -> pd.DataFrame:
    """:func:`broker_positions` as a table; missing constraint shows as ``<NA>`` (Float64).

    Pass ``positions`` (from :func:`broker_positions`) to reuse a computation. Imports
    pandas on first use.

    >>> broker_table(nx.Graph()).shape
    (0, 13)
    """
    rows = broker_positions(G, betweenness_values) if positions is None else positions
    return positions_table(rows)


def positions_table(positions: Sequence[BrokerPosition]) -> pd.DataFrame:
    """Positions as the table :func:`broker_table` gives (imports pandas on first use).

    >>> positions_table(broker_positions(nx.path_graph(2)))["constraint"].tolist()
    [1.0, 1.0]
    """
    import pandas as pd

    frame = pd.DataFrame([_row(p) for p in positions], columns=list(BROKER_COLUMNS))
    frame["constraint"] = pd.array([p.constraint for p in positions], dtype="Float64")
    return frame
