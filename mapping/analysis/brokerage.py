"""Brokers and gatekeepers: betweenness, structural holes and brokerage between perspectives."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from mapping.analysis.betweenness import betweenness
from mapping.analysis.brokerage_roles import ROLES
from mapping.analysis.fast_brokerage import adjacency, burt_measures, undirected_role_counts
from mapping.analysis.findings import Finding, Severity
from mapping.analysis.perspectives import node_perspective, perspectives_of
from mapping.analysis.sources import (
    BORGATTI_1997,
    BRANDES_2001,
    BURT_1992,
    FREEMAN_1977,
    GOULD_FERNANDEZ_1989,
    cite,
)
from mapping.model.wording import count_of, join, percent, person_name, with_stance

if TYPE_CHECKING:  # pandas loads only where a table is built (a faster command line)
    import pandas as pd

__all__ = [
    "METHOD",
    "SOURCE",
    "BrokerPosition",
    "constraint",
    "effective_size",
    "broker_positions",
    "BROKER_COLUMNS",
    "broker_records",
    "broker_table",
    "Broker",
    "Gatekeeper",
    "BrokerageFacts",
    "brokerage_facts",
    "broker_finding",
    "gatekeeper_finding",
    "positions_table",
    "findings",
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


# --- findings -------------------------------------------------------------------------------


_RESISTANT = {"sceptic": "sceptical", "opposed": "opposed to the change"}


def _strongest_member_tie(G: nx.Graph, n: object) -> tuple[Any, int] | None:
    ties = [
        (m, d.get("strength", 1)) for m, d in G[n].items() if G.nodes[m].get("coalition", False)
    ]
    return min(ties, key=lambda t: (-t[1], str(t[0])), default=None)


@dataclass(frozen=True)
class Broker:
    """A broker the findings name: their position, the perspectives they reach (in the
    map's order), those of them the coalition lacks, their stance and, for someone outside
    the coalition, the coalition member with the strongest tie to them (id, name, strength)."""

    position: BrokerPosition
    reach: tuple[str, ...]
    missing: tuple[str, ...]
    stance: str
    route: tuple[Any, str, int] | None
    ties: tuple[tuple[Any, Any], ...]


@dataclass(frozen=True)
class Gatekeeper:
    """The one person most of the gatekeeper routes into a perspective pass through:
    ``count`` of its ``total`` routes; their ties to people outside and inside it."""

    position: BrokerPosition
    perspective: str
    count: int
    total: int
    outsiders: tuple[Any, ...]
    insiders: tuple[Any, ...]

    @property
    def share(self) -> float:
        """The share of the perspective's gatekeeper routes that pass through them."""
        return self.count / self.total


@dataclass(frozen=True)
class BrokerageFacts:
    """What :func:`findings` words: brokers outside the coalition, then inside it (most
    between first), then one gatekeeper per perspective that has one."""

    brokers: tuple[Broker, ...] = ()
    gatekeepers: tuple[Gatekeeper, ...] = ()


def brokerage_facts(
    G: nx.Graph,
    *,
    top: int = 3,
    min_betweenness: float = 0.05,
    min_gatekeeper_share: float = 0.5,
    min_gatekeeper_paths: int = 2,
    betweenness_values: Mapping[Any, float] | None = None,
    positions: Sequence[BrokerPosition] | None = None,
) -> BrokerageFacts:
    """The brokers and gatekeepers :func:`findings` reports (same parameters).

    >>> G = nx.path_graph(3)
    >>> nx.set_node_attributes(G, {0: "x", 1: "y", 2: "z"}, "perspective")
    >>> [(b.position.id, b.reach, b.route) for b in brokerage_facts(G).brokers]
    [(1, ('x', 'z'), None)]
    """
    if G.number_of_edges() == 0:
        return BrokerageFacts()
    people = broker_positions(G, betweenness_values) if positions is None else list(positions)
    covered = {p.perspective for p in people if p.coalition}
    order = perspectives_of(G)
    found: list[Broker] = []
    for inside in (False, True):
        brokers = [p for p in people if p.coalition == inside and p.betweenness >= min_betweenness]
        for p in brokers[:top]:
            n = p.id
            known = {node_perspective(G, m) for m in G[n]}
            reach = tuple(q for q in order if q in known)
            missing = tuple(
                q for q in order if q not in covered and (q in reach or q == p.perspective)
            )
            route = None if inside else _strongest_member_tie(G, n)
            found.append(
                Broker(
                    position=p,
                    reach=reach,
                    missing=missing,
                    stance=G.nodes[n].get("stance", "unknown"),
                    route=None if route is None else (route[0], person_name(G, route[0]), route[1]),
                    ties=tuple((n, m) for m in G[n]),
                )
            )
    by_perspective: dict[str, list[BrokerPosition]] = defaultdict(list)
    for p in people:
        by_perspective[p.perspective].append(p)
    gates: list[Gatekeeper] = []
    for perspective, members in by_perspective.items():
        total = sum(p.roles["gatekeeper"] for p in members)
        if total == 0:
            continue
        gate = max(members, key=lambda p: (p.roles["gatekeeper"], p.betweenness))
        count = gate.roles["gatekeeper"]
        if count < min_gatekeeper_paths or count / total < min_gatekeeper_share:
            continue
        n = gate.id
        gates.append(
            Gatekeeper(
                position=gate,
                perspective=perspective,
                count=count,
                total=total,
                outsiders=tuple(m for m in G[n] if node_perspective(G, m) != perspective),
                insiders=tuple(m for m in G[n] if node_perspective(G, m) == perspective),
            )
        )
    return BrokerageFacts(brokers=tuple(found), gatekeepers=tuple(gates))


def findings(
    G: nx.Graph,
    *,
    top: int = 3,
    min_betweenness: float = 0.05,
    min_gatekeeper_share: float = 0.5,
    min_gatekeeper_paths: int = 2,
    betweenness_values: Mapping[Any, float] | None = None,
    positions: Sequence[BrokerPosition] | None = None,
) -> list[Finding]:
    """Brokers to win over, brokers to protect, and gateways into a perspective.

    Codes: ``brokerage.leverage`` (up to ``top`` people outside the coalition with
    betweenness >= ``min_betweenness``; MEDIUM when they reach a perspective the coalition
    lacks, else LOW); ``brokerage.asset`` (the same inside the coalition, LOW);
    ``brokerage.gatekeeper`` (one person holds at least ``min_gatekeeper_share`` of the
    gatekeeper paths into a perspective, and at least ``min_gatekeeper_paths`` of them;
    MEDIUM outside the coalition, LOW inside). Pass ``betweenness_values``, or ``positions``
    (from :func:`broker_positions`), to reuse a computation. The facts come from
    :func:`brokerage_facts`; :func:`broker_finding` and :func:`gatekeeper_finding` word them.

    >>> G = nx.path_graph(3)
    >>> nx.set_node_attributes(G, {0: "x", 1: "y", 2: "z"}, "perspective")
    >>> [(f.code, f.stakeholders) for f in findings(G)]
    [('brokerage.leverage', (1,))]
    """
    facts = brokerage_facts(
        G,
        top=top,
        min_betweenness=min_betweenness,
        min_gatekeeper_share=min_gatekeeper_share,
        min_gatekeeper_paths=min_gatekeeper_paths,
        betweenness_values=betweenness_values,
        positions=positions,
    )
    return [broker_finding(b) for b in facts.brokers] + [
        gatekeeper_finding(g) for g in facts.gatekeepers
    ]


def broker_finding(b: Broker) -> Finding:
    """A broker in words: ``brokerage.asset`` inside the coalition, else
    ``brokerage.leverage``."""
    p = b.position
    where = (
        f"lies on {percent(p.betweenness)} of the shortest routes between other people "
        f"on the map and knows people in {count_of(len(b.reach), 'perspective')}: "
        f"{join(list(b.reach))}"
    )
    evidence = {
        "betweenness": round(p.betweenness, 4),
        "constraint": None if p.constraint is None else round(p.constraint, 4),
        "effective_size": round(p.effective_size, 4),
        "perspectives_reached": list(b.reach),
        **p.roles,
    }
    if p.coalition:
        return Finding(
            code="brokerage.asset",
            severity=Severity.LOW,
            title=f"{p.name} is a broker inside the coalition: protect them",
            explanation=f"{p.name} ({p.perspective}) {where}.",
            action=(
                f"Keep {p.name} engaged and share their connections: introduce "
                "their contacts to other coalition members so the coalition does "
                "not depend on one person."
            ),
            stakeholders=(p.id,),
            ties=b.ties,
            evidence=evidence,
        )
    gain = (
        f" Winning them brings in {join(list(b.missing))}, which the coalition lacks."
        if b.missing
        else ""
    )
    if b.stance in _RESISTANT:
        gain += f" They are {_RESISTANT[b.stance]}: the same position lets them block the change."
    if b.route:
        action = (
            f"Win {p.name} over: {b.route[1]} already "
            f"has a tie with them (strength {b.route[2]}) and is best placed to ask."
        )
    else:
        action = f"Win {p.name} over: find who in the coalition could introduce you."
    return Finding(
        code="brokerage.leverage",
        severity=Severity.MEDIUM if b.missing else Severity.LOW,
        title=f"{p.name} is a bridge outside the coalition: a point of leverage",
        explanation=f"{p.name} ({with_stance(p.perspective, b.stance)}) {where}.{gain}",
        action=action,
        stakeholders=(p.id,),
        ties=b.ties,
        evidence=evidence,
    )


def gatekeeper_finding(g: Gatekeeper) -> Finding:
    """A gatekeeper in words (``brokerage.gatekeeper``)."""
    gate, perspective, n = g.position, g.perspective, g.position.id
    return Finding(
        code="brokerage.gatekeeper",
        severity=Severity.LOW if gate.coalition else Severity.MEDIUM,
        title=f"{gate.name} is the gateway into the {perspective} perspective",
        explanation=(
            f"{g.count} of the {g.total} routes by which people from other perspectives "
            f"reach {perspective} colleagues they do not know directly pass through "
            f"{gate.name} ({percent(g.share)})."
        ),
        action=(
            f"Work with {gate.name} rather than around them, and build direct ties "
            f"between the coalition and other {perspective} stakeholders so access "
            "does not hang on one person."
        ),
        stakeholders=(n,),
        ties=tuple((m, n) for m in g.outsiders) + tuple((n, m) for m in g.insiders),
        evidence={
            "perspective": perspective,
            "gatekeeper_paths": g.count,
            "all_gatekeeper_paths": g.total,
            "share": round(g.share, 4),
        },
    )
