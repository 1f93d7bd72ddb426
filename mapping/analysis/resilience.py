"""Key-person risk: who, if they left, would cut the coalition apart or cut a perspective off."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import networkx as nx

from mapping.analysis.cutpoints import Search, fragmentation_score
from mapping.analysis.findings import Finding, Severity
from mapping.analysis.sources import BORGATTI_2006, HOPCROFT_TARJAN_1973, cite
from mapping.errors import NotFoundError
from mapping.model.graph import shared_results
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

METHOD = (
    "Articulation points and bridges by Hopcroft & Tarjan's (1973) depth-first search; "
    "fragmentation F = 1 - sum s_k(s_k - 1) / (n(n - 1)) over component sizes, Borgatti's "
    "(2006) key-player measure, recomputed as if each person left."
)

SOURCE = cite(BORGATTI_2006, HOPCROFT_TARJAN_1973)


@dataclass(frozen=True)
class Repair:
    """One new relationship that would undo most of the damage of a departure."""

    source: str
    target: str
    members_restored: tuple[str, ...]
    perspectives_restored: tuple[str, ...]
    fragmentation_after: float


@dataclass(frozen=True)
class PersonRisk:
    """What the network would lose if one person left.

    ``cut_off_members`` are coalition members who would lose every path to the rest of the
    coalition around this person; ``perspectives_lost`` are perspectives that would have no
    one left connected to any coalition member; ``people_separated`` counts everyone left in
    a part of the network apart from the largest coalition part, and ``contacts_cut_off``
    are their direct contacts among them (the ties that are the only route).
    """

    id: str
    name: str
    perspective: str
    coalition: bool
    articulation_point: bool
    fragmentation_before: float
    fragmentation_after: float
    cut_off_members: tuple[str, ...]
    perspectives_lost: tuple[str, ...]
    people_separated: int
    contacts_cut_off: tuple[str, ...] = ()
    repair: Repair | None = None

    @property
    def fragmentation_increase(self) -> float:
        """How much their departure would raise the network's fragmentation."""
        return self.fragmentation_after - self.fragmentation_before

    @property
    def is_high_risk(self) -> bool:
        """Whether losing them would cut coalition members or a perspective off."""
        return bool(self.cut_off_members or self.perspectives_lost)


@dataclass(frozen=True)
class TieRisk:
    """A bridge: a tie whose loss would split the network in two."""

    source: str
    target: str
    strength: int
    source_side: int
    target_side: int
    source_side_members: int
    target_side_members: int


def _search(G: nx.Graph) -> Search:
    """The depth-first search of ``G``, done once while ``G`` is a shared tie graph."""
    memo = shared_results(G)
    if memo is None:
        return Search(G)
    if "resilience.search" not in memo:
        memo["resilience.search"] = Search(G)
    return memo["resilience.search"]


def _check_nodes(G: nx.Graph, nodes: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(nodes))
    for node in wanted:
        if node not in G:
            msg = f"Stakeholder {node!r} is not on this map; check the id."
            raise NotFoundError(msg)
    return wanted


def fragmentation(G: nx.Graph, removed: Iterable[str] = ()) -> float:
    """Borgatti's fragmentation: the share of pairs of people with no path between them.

    0 means everyone can reach everyone; 1 means no one can reach anyone. A network of
    fewer than two people has no pairs and scores 0.

    Parameters
    ----------
    G : networkx.Graph
        An undirected network, such as :func:`mapping.model.graph.tie_graph`.
    removed : iterable of str, optional
        People to leave out first, as if they had left.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> fragmentation(G)
    0.0
    >>> round(fragmentation(G, removed=["b"]), 3)
    1.0
    """
    gone = _check_nodes(G, removed)
    H = nx.restricted_view(G, gone, [])
    total = sum(len(c) * (len(c) - 1) for c in nx.connected_components(H))
    return fragmentation_score(total, len(H))


def distance_fragmentation(G: nx.Graph, removed: Iterable[str] = ()) -> float:
    """Borgatti's distance-weighted fragmentation, from the number of steps between people.

    ``DF = 1 - sum(1 / d_ij) / (n (n - 1))`` over ordered pairs, with ``1 / d = 0`` for
    people who cannot reach each other. It also rises when paths grow longer. It takes a
    breadth-first search from every person, so keep it for maps of a few thousand people.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> round(distance_fragmentation(G), 4)  # pairs at 1, 1 and 2 steps: 1 - 2.5 / 3
    0.1667
    """
    gone = _check_nodes(G, removed)
    H = nx.restricted_view(G, gone, [])
    paths = nx.all_pairs_shortest_path_length(H)
    total = sum(sum(1.0 / d for d in lengths.values() if d) for _, lengths in paths)
    return fragmentation_score(total, len(H))


def articulation_points(G: nx.Graph) -> list[str]:
    """People whose departure would split the network (Hopcroft-Tarjan), in map order.

    Examples
    --------
    >>> articulation_points(nx.path_graph(["a", "b", "c", "d"]))
    ['b', 'c']
    """
    search = _search(G)
    return [v for v in G if len(search.pieces(v)) > 1]


def critical_ties(G: nx.Graph) -> list[TieRisk]:
    """Bridges: ties that are the only connection between two parts of the network.

    The tie whose smaller side is largest comes first.

    Examples
    --------
    >>> G = nx.barbell_graph(3, 0)
    >>> [(t.source, t.target, t.source_side, t.target_side) for t in critical_ties(G)]
    [(2, 3, 3, 3)]
    """
    search = _search(G)
    out = []
    for p, c in search.bridges:
        outside, inside = search.sides(c)
        out.append(
            TieRisk(
                source=p,
                target=c,
                strength=int(G.edges[p, c].get("strength", 1)),
                source_side=outside.size,
                target_side=inside.size,
                source_side_members=outside.members,
                target_side_members=inside.members,
            )
        )
    out.sort(key=lambda t: -min(t.source_side, t.target_side))
    return out


def key_person_risks(G: nx.Graph, people: Iterable[str] | None = None) -> list[PersonRisk]:
    """What each person's departure would do to the coalition, most damaging first.

    Parameters
    ----------
    G : networkx.Graph
        The tie graph (:func:`mapping.model.graph.tie_graph`); nodes carry ``coalition``,
        ``perspective`` and ``name``.
    people : iterable of str, optional
        Whom to ask about; by default every coalition member and every articulation point.

    Returns
    -------
    list of PersonRisk
        Ranked by coalition members cut off, perspectives lost, people separated, then the
        rise in fragmentation. High-risk people carry the one new tie (``repair``) that
        would reconnect the most coalition members, then perspectives, then people.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> nx.set_node_attributes(G, {"a": True, "b": True, "c": True}, "coalition")
    >>> top = key_person_risks(G)[0]
    >>> top.id, top.cut_off_members, round(top.fragmentation_after, 2)
    ('b', ('c',), 1.0)
    >>> (top.repair.source, top.repair.target)
    ('a', 'c')
    """
    memo = shared_results(G) if people is None else None
    if memo is not None and "resilience.risks" in memo:
        return list(memo["resilience.risks"])
    search = _search(G)
    if people is None:
        chosen = [v for v in G if search.is_member(v) or len(search.pieces(v)) > 1]
    else:
        chosen = _check_nodes(G, people)
    risks = [_risk(search, v) for v in chosen]
    risks.sort(
        key=lambda r: (
            -len(r.cut_off_members),
            -len(r.perspectives_lost),
            -r.people_separated,
            -r.fragmentation_increase,
            r.name,
        )
    )
    if memo is not None:
        memo["resilience.risks"] = tuple(risks)
    return risks


def _risk(search: Search, v: str) -> PersonRisk:
    d = search.depart(v)
    risk = PersonRisk(
        id=v,
        name=person_name(search.G, v),
        perspective=str(search.G.nodes[v].get("perspective", "")),
        coalition=search.is_member(v),
        articulation_point=d.articulation_point,
        fragmentation_before=d.fragmentation_before,
        fragmentation_after=d.fragmentation_after,
        cut_off_members=d.cut_off_members,
        perspectives_lost=d.perspectives_lost,
        people_separated=d.people_separated,
        contacts_cut_off=d.contacts_cut_off,
    )
    if not risk.is_high_risk:
        return risk
    plan = search.repair(d)
    return replace(risk, repair=None if plan is None else Repair(*plan))


def _perspectives(names: tuple[str, ...]) -> str:
    quoted = listing([f"'{p}'" for p in names], 6, others=True)
    return f"the {quoted} perspective" + ("s" if len(names) > 1 else "")


@dataclass(frozen=True)
class Gateway:
    """Someone who is the whole network's only link to all the people of some perspectives.

    Coalition or not: if they left, ``perspectives`` (everyone of them who remains) would be
    in parts of the network apart from its main part (the one with most coalition members,
    then the largest), with ``people_separated`` people.
    """

    id: str
    name: str
    perspective: str
    coalition: bool
    perspectives: tuple[str, ...]
    people_separated: int


def network_gateways(G: nx.Graph) -> list[Gateway]:
    """Articulation points that are the network's only way to every person of a perspective.

    Most people separated first. Counts per part come from the one depth-first search.

    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("a", "x")])
    >>> nx.set_node_attributes(G, {"a": "clinical", "b": "clinical", "x": "clinical",
    ...     "c": "public health", "d": "public health"}, "perspective")
    >>> [(g.id, g.perspectives) for g in network_gateways(G)]
    [('b', ('public health',))]
    """
    search = _search(G)
    out = []
    for v in G:
        parts = search.pieces(v)
        if len(parts) < 2:
            continue
        main = max(parts, key=lambda p: (p.members, p.size))
        comp = search.component_of[v]
        rest: Counter[int] = Counter()
        for p in parts:
            if p is not main:
                rest.update(p.kinds())
        own = search.kind[search.disc[v]]
        remaining = Counter(search.counts[comp.lo])
        if own >= 0:
            remaining[own] -= 1
        cut = tuple(
            search.perspectives[k]
            for k in sorted(rest)
            if rest[k] == remaining[k] and remaining[k] > 0 and k != own
        )
        if cut:
            out.append(
                Gateway(
                    id=v,
                    name=person_name(G, v),
                    perspective=str(G.nodes[v].get("perspective", "")),
                    coalition=search.is_member(v),
                    perspectives=cut,
                    people_separated=sum(p.size for p in parts if p is not main),
                )
            )
    out.sort(key=lambda g: (-g.people_separated, g.name))
    return out


@dataclass(frozen=True)
class Pieces:
    """How the network falls apart: pieces of two or more people, and the people alone."""

    pieces: int
    alone: int
    largest: int
    fragmentation: float

    @property
    def is_fragmented(self) -> bool:
        """Three or more pieces of several people, and most pairs cannot reach each other."""
        return self.pieces >= 3 and self.fragmentation >= 0.5


def pieces(G: nx.Graph) -> Pieces:
    """The network's separate pieces.

    >>> pieces(nx.Graph([(1, 2), (3, 4), (5, 6)]))
    Pieces(pieces=3, alone=0, largest=2, fragmentation=0.8)
    """
    sizes = [len(c) for c in nx.connected_components(G)]
    return Pieces(
        pieces=sum(1 for k in sizes if k >= 2),
        alone=sum(1 for k in sizes if k == 1),
        largest=max(sizes, default=0),
        fragmentation=fragmentation(G),
    )


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
