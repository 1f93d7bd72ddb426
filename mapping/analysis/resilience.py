"""Key-person risk: who, if they left, would cut the coalition apart or cut a perspective off.

The facts (fragmentation, cut points, critical ties, gateways, pieces) are found in
:mod:`mapping.analysis.key_people` and offered here too; this module words them as findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.key_people import (
    METHOD,
    SOURCE,
    Gateway,
    PersonRisk,
    Pieces,
    Repair,
    TieRisk,
    articulation_points,
    critical_ties,
    distance_fragmentation,
    fragmentation,
    key_person_risks,
    network_gateways,
    pieces,
)
from mapping.model.wording import count_of, listing, percent, person_name

__all__ = [
    "METHOD",
    "SOURCE",
    "Repair",
    "PersonRisk",
    "TieRisk",
    "fragmentation",
    "distance_fragmentation",
    "articulation_points",
    "critical_ties",
    "key_person_risks",
    "Gateway",
    "network_gateways",
    "Pieces",
    "pieces",
    "findings",
]


def _perspectives(names: tuple[str, ...]) -> str:
    quoted = listing([f"'{p}'" for p in names], 6, others=True)
    return f"the {quoted} perspective" + ("s" if len(names) > 1 else "")


def _gateway_finding(G: nx.Graph, g: Gateway) -> Finding:
    lost = _perspectives(g.perspectives)
    role = f"{g.name} ({g.perspective or 'no perspective'}"
    role += ", coalition member)" if g.coalition else ")"
    return Finding(
        code="resilience.gateway",
        severity=Severity.HIGH,
        title=f"{g.name} is the network's only link to {lost}",
        explanation=(
            f"{role} holds parts of the network together: every route from the rest of the "
            f"network to {lost} goes through them. If they left, "
            f"{count_of(g.people_separated, 'person', 'people')} would be cut off."
        ),
        action=(
            f"Build a second route: introduce someone from {lost} to another person in the "
            f"network, so that the link does not rest on {g.name} alone."
        ),
        stakeholders=(g.id,),
        ties=tuple((g.id, u) for u in G[g.id]),
        evidence={
            "perspectives_lost": list(g.perspectives),
            "people_separated": g.people_separated,
        },
        actor=g.id,
    )


def _fragmented_finding(p: Pieces) -> Finding:
    return Finding(
        code="resilience.fragmented",
        severity=Severity.HIGH,
        title=f"The map falls apart into {p.pieces} separate pieces",
        explanation=(
            f"{percent(p.fragmentation)} of pairs of people cannot reach each other through "
            f"any chain of relationships: the largest piece holds "
            f"{count_of(p.largest, 'person', 'people')}"
            + (
                f", and {count_of(p.alone, 'person', 'people')} have no tie at all."
                if p.alone
                else "."
            )
            + " Findings about single pieces (echo chambers, silos) say little until the pieces "
            "are joined, or the missing relationships are recorded."
        ),
        action=(
            "Check whether relationships are missing from the map; where they really are "
            "separate, find the one or two people who could join the pieces up."
        ),
        evidence={
            "pieces": p.pieces,
            "alone": p.alone,
            "largest": p.largest,
            "share": round(p.fragmentation, 4),
        },
    )


def _person_finding(G: nx.Graph, r: PersonRisk) -> Finding:
    def who(ids: Iterable[str]) -> str:
        return listing([person_name(G, u) for u in ids], 4, others=True)

    lost = _perspectives(r.perspectives_lost) if r.perspectives_lost else ""
    if r.cut_off_members:
        title = f"If {r.name} left, {who(r.cut_off_members)} would be cut off from the coalition"
    elif r.articulation_point:
        verb = "would lose their" if len(r.perspectives_lost) > 1 else "would lose its"
        title = f"If {r.name} left, {lost} {verb} only route into the coalition"
    else:
        title = f"If {r.name} left, the coalition would lose its only connection to {lost}"
    role = f"{r.name} ({r.perspective or 'no perspective'}"
    role += ", coalition member)" if r.coalition else ")"
    parts = [
        f"{role} is the only connection holding parts of the network together."
        if r.articulation_point
        else f"{role} is the coalition's only connection to {lost}: no one else from it is "
        "in the coalition or connected to a coalition member."
    ]
    if r.cut_off_members:
        parts.append(
            f"Without them, {who(r.cut_off_members)} would have no path to the rest of the "
            "coalition."
        )
    if r.perspectives_lost and (r.articulation_point or r.cut_off_members):
        parts.append(f"No one from {lost} would be connected to any coalition member.")
    if r.people_separated:
        people = count_of(r.people_separated, "person", "people")
        parts.append(f"{people} in all would be separated from the coalition.")
    if r.fragmentation_increase > 0:
        parts.append(
            f"The share of pairs of people who cannot reach each other would rise from "
            f"{percent(r.fragmentation_before)} to {percent(r.fragmentation_after)}."
        )
    if r.repair is not None:
        gains = []
        if r.repair.members_restored:
            gains.append(f"reconnect {who(r.repair.members_restored)}")
        if r.repair.perspectives_restored:
            gains.append(f"keep {_perspectives(r.repair.perspectives_restored)} connected")
        action = (
            f"Build a second route now: a relationship between {who([r.repair.source])} and "
            f"{who([r.repair.target])} would {' and '.join(gains)} even if {r.name} left. "
            f"Share {r.name}'s relationships: introduce their contacts to other coalition "
            "members."
        )
    else:
        action = (
            f"Reduce the reliance on {r.name}: bring a second voice from {lost or 'their side'} "
            f"into the coalition, and introduce {r.name}'s contacts to other coalition members."
        )
    return Finding(
        code="resilience.key-person",
        severity=Severity.HIGH if r.articulation_point else Severity.MEDIUM,
        title=title,
        explanation=" ".join(parts),
        action=action,
        stakeholders=(r.id, *r.cut_off_members),
        ties=tuple((r.id, u) for u in r.contacts_cut_off),
        evidence={
            "fragmentation_before": round(r.fragmentation_before, 4),
            "fragmentation_after": round(r.fragmentation_after, 4),
            "cut_off_members": list(r.cut_off_members),
            "perspectives_lost": list(r.perspectives_lost),
            "people_separated": r.people_separated,
            "suggested_tie": [r.repair.source, r.repair.target] if r.repair else None,
        },
        actor=r.repair.source if r.repair else r.id,
    )


def _tie_finding(G: nx.Graph, t: TieRisk) -> Finding:
    a, b = (person_name(G, u) for u in (t.source, t.target))
    both = t.source_side_members and t.target_side_members
    sides = (
        f"On {a}'s side are {t.source_side} people ({t.source_side_members} in the coalition); "
        f"on {b}'s side {t.target_side} ({t.target_side_members} in the coalition)."
    )
    if both:
        effect = "the coalition would split in two."
    else:
        effect = "one group would have no route into the coalition."
    return Finding(
        code="resilience.bridge",
        severity=Severity.HIGH if both else Severity.MEDIUM,
        title=f"The relationship between {a} and {b} is the only tie between two groups",
        explanation=f"{sides} If this relationship lapsed, {effect}",
        action=(
            f"Build a second relationship across this gap, between people other than {a} and "
            f"{b}, and keep this one strong (strength now {t.strength} of 5)."
        ),
        stakeholders=(t.source, t.target),
        ties=((t.source, t.target),),
        evidence={
            "strength": t.strength,
            "source_side": t.source_side,
            "target_side": t.target_side,
            "source_side_members": t.source_side_members,
            "target_side_members": t.target_side_members,
        },
    )


def findings(
    G: nx.Graph, *, limit: int = 10, risks: Sequence[PersonRisk] | None = None
) -> list[Finding]:
    """Single points of failure and bridges, in plain language, most damaging first.

    Parameters
    ----------
    G : networkx.Graph
        The tie graph (:func:`mapping.model.graph.tie_graph`).
    limit : int, optional
        At most this many people, and this many ties, are reported.
    risks : sequence of PersonRisk, optional
        :func:`key_person_risks` of ``G``, to reuse a computation.

    Examples
    --------
    >>> from mapping.model.graph import tie_graph
    >>> from mapping.model import Map, Relationship, Stakeholder
    >>> m = Map("M", stakeholders=(
    ...     Stakeholder("a", "Ann", perspective="commissioner", coalition=True),
    ...     Stakeholder("d", "Dan", perspective="local authority & social care", coalition=True),
    ...     Stakeholder("e", "Eve", perspective="local authority & social care")),
    ...     relationships=(Relationship("r1", "a", "d"), Relationship("r2", "d", "e")))
    >>> print(findings(tie_graph(m))[0].title)  # doctest: +ELLIPSIS
    If Dan left, the 'local authority & social care' perspective would lose its only route...
    """
    ranked = key_person_risks(G) if risks is None else risks
    high = [r for r in ranked if r.is_high_risk][:limit]
    out = [_person_finding(G, r) for r in high]
    named = {r.id for r in high}
    out += [_gateway_finding(G, g) for g in network_gateways(G) if g.id not in named][:limit]
    split = pieces(G)
    if split.is_fragmented:
        out.insert(0, _fragmented_finding(split))
    members = [v for v, c in G.nodes(data="coalition") if c]
    if len(members) >= 2 and len(out) == 0:
        out.append(
            Finding(
                code="resilience.no-key-person",
                severity=Severity.INFO,
                title="No single person holds the coalition together",
                explanation=(
                    "Whoever left, the coalition's members could still reach one another and "
                    "every perspective would stay connected to the coalition."
                ),
                action="Keep it that way: review this after people join or leave.",
                stakeholders=tuple(members),
            )
        )
    ties = [
        t
        for t in critical_ties(G)
        if min(t.source_side, t.target_side) >= 2
        and (t.source_side_members or t.target_side_members)
    ]
    ties.sort(key=lambda t: not (t.source_side_members and t.target_side_members))
    out.extend(_tie_finding(G, t) for t in ties[:limit])
    return out
