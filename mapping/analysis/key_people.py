"""Who the network depends on (the facts behind the resilience findings): fragmentation, cut points, critical ties, gateways and the network's separate pieces."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

import networkx as nx

from mapping.analysis.cutpoints import Search, fragmentation_score
from mapping.analysis.sources import BORGATTI_2006, HOPCROFT_TARJAN_1973, cite
from mapping.errors import NotFoundError
from mapping.model.graph import shared_results
from mapping.model.wording import person_name

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
