"""Hidden influencers and paper tigers: rated influence beside position in the network."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from mapping.analysis.betweenness import betweenness
from mapping.analysis.findings import Finding, Severity
from mapping.analysis.perspectives import node_perspective
from mapping.analysis.sources import FREEMAN_1977, FREEMAN_1978, cite
from mapping.model.wording import count_of, percent, person_name

__all__ = [
    "METHOD",
    "SOURCE",
    "HIDDEN_INFLUENCER",
    "PAPER_TIGER",
    "InfluencePosition",
    "percentile_ranks",
    "influence_positions",
    "findings",
]

METHOD = (
    "Rated influence (1-5) against network position: the mean of percentile ranks of tie "
    "strength (weighted degree) and betweenness on distance = 1/strength (Freeman 1977)."
)

SOURCE = cite(FREEMAN_1977, FREEMAN_1978)

HIDDEN_INFLUENCER = "hidden influencer"
PAPER_TIGER = "paper tiger"


@dataclass(frozen=True)
class InfluencePosition:
    """One person's rated influence beside their position in the network.

    ``influence_rank`` and ``position_rank`` are percentile ranks from 0 (lowest on the map)
    to 1 (highest); ``position_rank`` ranks the mean of the percentile ranks of
    ``tie_strength`` (sum of strengths) and ``betweenness``. ``category`` is
    :data:`HIDDEN_INFLUENCER`, :data:`PAPER_TIGER` or ``""``.
    """

    id: Any
    name: str
    perspective: str
    coalition: bool
    influence: int
    ties: int
    tie_strength: int
    betweenness: float
    influence_rank: float
    position_rank: float
    category: str


def percentile_ranks(values: Mapping[Any, float]) -> dict[Any, float]:
    """Mid-rank percentiles: the share of others below, counting ties as half.

    ``(below + (equal - 1) / 2) / (n - 1)``: 0 for the unique lowest, 1 for the unique
    highest, 0.5 when all are equal. With fewer than two people everyone gets 0.5.

    >>> percentile_ranks({"a": 1, "b": 2, "c": 2, "d": 5})
    {'a': 0.0, 'b': 0.5, 'c': 0.5, 'd': 1.0}
    """
    n = len(values)
    if n < 2:
        return dict.fromkeys(values, 0.5)
    ordered = sorted(values.values())
    below: dict[float, int] = {}
    equal: dict[float, int] = {}
    for i, v in enumerate(ordered):
        below.setdefault(v, i)
        equal[v] = equal.get(v, 0) + 1
    return {k: (below[v] + (equal[v] - 1) / 2) / (n - 1) for k, v in values.items()}


def influence_positions(
    G: nx.Graph,
    *,
    low: int = 2,
    high: int = 4,
    few_ties: int = 1,
    top_quartile: float = 0.75,
    bottom_quartile: float = 0.25,
    min_people: int = 4,
    betweenness_values: Mapping[Any, float] | None = None,
) -> list[InfluencePosition]:
    """Everyone's rated influence and network position, biggest gap first.

    A *hidden influencer* is rated ``low`` or less but sits in the top quarter by position
    with at least two ties; a *paper tiger* is rated ``high`` or more but sits in the bottom
    quarter or has ``few_ties`` or fewer. Nobody is categorised on a map with fewer than
    ``min_people`` people or no ties, where ranks say little.

    >>> G = nx.star_graph(4)
    >>> nx.set_node_attributes(G, {0: 1, 1: 5, 2: 3, 3: 3, 4: 3}, "influence")
    >>> [(p.id, p.category) for p in influence_positions(G)][:2]
    [(0, 'hidden influencer'), (1, 'paper tiger')]
    """
    bc = betweenness(G) if betweenness_values is None else betweenness_values
    strength = {n: sum(d.get("strength", 1) for d in G[n].values()) for n in G}
    bc_rank = percentile_ranks({n: float(bc.get(n, 0.0)) for n in G})
    strength_rank = percentile_ranks(strength)
    position = percentile_ranks({n: (bc_rank[n] + strength_rank[n]) / 2 for n in G})
    influence = {n: int(G.nodes[n].get("influence", 3)) for n in G}
    influence_rank = percentile_ranks(influence)
    judge = len(G) >= min_people and G.number_of_edges() > 0
    people = []
    for n, data in G.nodes(data=True):
        ties = G.degree(n)
        category = ""
        if judge and influence[n] <= low and position[n] >= top_quartile and ties >= 2:
            category = HIDDEN_INFLUENCER
        elif (
            judge and influence[n] >= high and (position[n] <= bottom_quartile or ties <= few_ties)
        ):
            category = PAPER_TIGER
        people.append(
            InfluencePosition(
                id=n,
                name=person_name(G, n),
                perspective=node_perspective(G, n),
                coalition=bool(data.get("coalition", False)),
                influence=influence[n],
                ties=ties,
                tie_strength=int(strength[n]),
                betweenness=float(bc.get(n, 0.0)),
                influence_rank=float(influence_rank[n]),
                position_rank=float(position[n]),
                category=category,
            )
        )
    people.sort(key=lambda p: (-abs(p.position_rank - p.influence_rank), str(p.id)))
    return people


def findings(
    G: nx.Graph,
    *,
    low: int = 2,
    high: int = 4,
    few_ties: int = 1,
    min_people: int = 4,
    betweenness_values: Mapping[Any, float] | None = None,
) -> list[Finding]:
    """Hidden influencers and paper tigers, in plain language.

    Codes: ``influence.hidden`` (MEDIUM outside the coalition, LOW inside) and
    ``influence.paper-tiger`` (MEDIUM inside the coalition, LOW outside). Thresholds as in
    :func:`influence_positions`.

    >>> G = nx.star_graph(4)
    >>> nx.set_node_attributes(G, {0: 1, 1: 5, 2: 3, 3: 3, 4: 3}, "influence")
    >>> [(f.code, f.severity.value) for f in findings(G)]
    [('influence.hidden', 'medium'), ('influence.paper-tiger', 'low')]
    """
    out = []
    for p in influence_positions(
        G,
        low=low,
        high=high,
        few_ties=few_ties,
        min_people=min_people,
        betweenness_values=betweenness_values,
    ):
        evidence = {
            "influence": p.influence,
            "ties": p.ties,
            "tie_strength": p.tie_strength,
            "betweenness": round(p.betweenness, 4),
            "influence_rank": round(p.influence_rank, 4),
            "position_rank": round(p.position_rank, 4),
        }
        ties = tuple((p.id, m) for m in G[p.id])
        if p.category == HIDDEN_INFLUENCER:
            invite = "" if p.coalition else " Consider inviting them into the coalition."
            out.append(
                Finding(
                    code="influence.hidden",
                    severity=Severity.LOW if p.coalition else Severity.MEDIUM,
                    title=f"{p.name} may be a hidden influencer",
                    explanation=(
                        f"{p.name} ({p.perspective}) is rated influence {p.influence} of 5, yet "
                        f"has {p.ties} ties and is better placed in the network than "
                        f"{percent(p.position_rank)} of people on the map."
                    ),
                    action=(
                        f"Check whether {p.name}'s influence is under-rated and involve them: "
                        "people this well connected often sway opinion behind the scenes." + invite
                    ),
                    stakeholders=(p.id,),
                    ties=ties,
                    evidence=evidence,
                )
            )
        elif p.category == PAPER_TIGER:
            tie_text = "no ties" if p.ties == 0 else f"only {count_of(p.ties, 'tie')}"
            out.append(
                Finding(
                    code="influence.paper-tiger",
                    severity=Severity.MEDIUM if p.coalition else Severity.LOW,
                    title=f"{p.name}'s rated influence may not reach the network",
                    explanation=(
                        f"{p.name} ({p.perspective}) is rated influence {p.influence} of 5 but "
                        f"has {tie_text} on the map"
                        + (
                            f" and is less well placed in the network than "
                            f"{percent(1 - p.position_rank)} of people."
                            if p.position_rank <= 0.25
                            else "."
                        )
                    ),
                    action=(
                        f"First check whether {p.name}'s relationships are missing from the "
                        "map; if not, their formal authority may not reach the people who "
                        "carry the change, so pair them with well-connected colleagues."
                    ),
                    stakeholders=(p.id,),
                    ties=ties,
                    evidence=evidence,
                )
            )
    return out
