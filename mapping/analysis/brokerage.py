"""Brokers and gatekeepers: betweenness, structural holes and brokerage between perspectives.

The measures (betweenness, constraint, effective size, brokerage roles and their table) are
computed in :mod:`mapping.analysis.broker_measures` and offered here too; this module finds
the brokers and gatekeepers among them and words them as findings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.perspectives import node_perspective, perspectives_of
from mapping.model.wording import count_of, join, percent, person_name, with_stance

if TYPE_CHECKING:  # pandas loads only where a table is built (a faster command line)
    pass
from mapping.analysis.broker_measures import (
    BROKER_COLUMNS,
    METHOD,
    SOURCE,
    BrokerPosition,
    broker_positions,
    broker_records,
    broker_table,
    constraint,
    effective_size,
    positions_table,
)

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
