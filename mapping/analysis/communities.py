"""Communities: clusters of closely tied people, compared with the map's perspectives."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import igraph
import networkx as nx

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.perspectives import node_perspective, perspectives_of
from mapping.analysis.sources import BLONDEL_2008
from mapping.model.wording import join, listing, person_name

__all__ = [
    "METHOD",
    "SOURCE",
    "Community",
    "communities",
    "louvain_parts",
    "membership",
    "ClusterFact",
    "cluster_facts",
    "findings",
    "cluster_finding",
]

METHOD = (
    "Louvain modularity communities weighted by tie strength, seeded so they stay stable "
    "(Blondel et al. 2008), compiled (igraph)."
)

SOURCE = BLONDEL_2008

#: igraph draws random numbers from one generator per process: seeding it and clustering
#: must not interleave between threads (each browser session runs in a thread of its own).
_IGRAPH_LOCK = threading.Lock()


@dataclass(frozen=True)
class Community:
    """One cluster: its members (highest influence first) and their perspective mix.

    ``perspectives`` maps each perspective present to its head count, in the map's order;
    ``dominant`` is the largest (first in map order on a tie) and ``dominant_share`` its
    share of members.
    """

    index: int
    members: tuple[Any, ...]
    perspectives: Mapping[str, int] = field(hash=False)
    dominant: str
    dominant_share: float

    @property
    def size(self) -> int:
        """Number of members."""
        return len(self.members)


def communities(
    G: nx.Graph, seed: int = 42, weight: str | None = "strength", resolution: float = 1.0
) -> list[Community]:
    """Louvain communities (Blondel et al. 2008), largest first, numbered from 0.

    The seed fixes the random node order so a map gives the same clusters every
    time; ``weight`` (tie strength) is passed explicitly. People with no ties form a
    community of one.

    >>> G = nx.Graph(perspectives=("x", "y"))
    >>> G.add_nodes_from([(1, {"perspective": "x"}), (2, {"perspective": "y"}),
    ...                   (3, {"perspective": "y"})])
    >>> G.add_edge(1, 2, strength=5)
    >>> [(c.members, dict(c.perspectives), c.dominant_share) for c in communities(G)]
    [((1, 2), {'x': 1, 'y': 1}, 0.5), ((3,), {'y': 1}, 1.0)]
    """
    if len(G) == 0:
        return []
    parts = louvain_parts(G, seed=seed, weight=weight, resolution=resolution)
    order = {p: i for i, p in enumerate(perspectives_of(G))}

    def influence(n: object) -> int:
        return G.nodes[n].get("influence", 3)

    found = []
    for part in parts:
        members = tuple(sorted(part, key=lambda n: (-influence(n), str(n))))
        counts = Counter(node_perspective(G, n) for n in members)
        mix = {p: counts[p] for p in sorted(counts, key=order.__getitem__)}
        dominant = max(mix, key=lambda p: (mix[p], -order[p]))
        found.append((members, mix, dominant, mix[dominant] / len(members)))
    found.sort(key=lambda c: (-len(c[0]), min(str(n) for n in c[0])))
    return [Community(i, *c) for i, c in enumerate(found)]


def louvain_parts(
    G: nx.Graph,
    seed: int = 42,
    weight: str | None = "strength",
    resolution: float = 1.0,
    compiled: bool = True,
) -> list[set]:
    """Louvain's partition of ``G``'s people, by igraph (``compiled``) or NetworkX.

    igraph's compiled Louvain is about ten times faster than NetworkX's and clusters as
    well by modularity (the tests compare them). Both are seeded: the same graph and seed
    give the same parts.

    >>> G = nx.barbell_graph(4, 0)
    >>> sorted(map(sorted, louvain_parts(G, compiled=True)))
    [[0, 1, 2, 3], [4, 5, 6, 7]]
    >>> louvain_parts(G, compiled=True) == louvain_parts(G, compiled=False)
    True
    """
    if not compiled:
        return nx.community.louvain_communities(G, weight=weight, seed=seed, resolution=resolution)
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in G.edges() if u != v]
    weights = None
    if weight is not None:
        weights = [float(w) for u, v, w in G.edges(data=weight, default=1) if u != v]
    graph = igraph.Graph(n=len(nodes), edges=edges)
    with _IGRAPH_LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            found = graph.community_multilevel(weights=weights, resolution=resolution)
        finally:
            igraph.set_random_number_generator(random)
    return [{nodes[i] for i in part} for part in found]


def membership(found: Sequence[Community]) -> dict[Any, int]:
    """Person -> index of their community.

    >>> membership([Community(0, ("a", "b"), {"x": 2}, "x", 1.0)])
    {'a': 0, 'b': 0}
    """
    return {n: c.index for c in found for n in c.members}


def _is_piece(G: nx.Graph, members: Sequence) -> bool:
    """Whether these people are a whole connected piece of the network (no tie leaves it)."""
    inside = set(members)
    return all(m in inside for n in members for m in G[n])


@dataclass(frozen=True)
class ClusterFact:
    """A cluster worth a finding: all of one perspective (``mixed`` false: a possible echo
    chamber) or of several (a place to convene).

    ``names`` are the members' names in member order; ``ties_inside`` the ties among them.
    An echo chamber's ``bridge`` is the person of another perspective with the most ties
    into it (name, perspective, ties), if anyone has one; a mixed group's ``host`` is the
    name of the best connected within it (a coalition member when there is one).
    """

    community: Community
    mixed: bool
    names: tuple[str, ...]
    ties_inside: int
    bridge: tuple[str, str, int] | None = None
    host: str = ""


def cluster_facts(
    G: nx.Graph,
    *,
    seed: int = 42,
    min_size: int = 3,
    min_mix: int = 3,
    found: Sequence[Community] | None = None,
    whole_pieces: bool = True,
) -> list[ClusterFact]:
    """The clusters :func:`findings` reports (same parameters), in cluster order.

    >>> G = nx.complete_graph(3)
    >>> nx.set_node_attributes(G, "clinical", "perspective")
    >>> [(f.mixed, f.ties_inside, f.bridge) for f in cluster_facts(G)]
    [(False, 3, None)]
    """
    if found is None:
        found = communities(G, seed=seed)
    out: list[ClusterFact] = []
    for c in found:
        if c.size < min_size:
            continue
        inside = set(c.members)
        internal = G.subgraph(c.members).number_of_edges()
        names = tuple(person_name(G, n) for n in c.members)
        if len(c.perspectives) == 1 and not whole_pieces and _is_piece(G, c.members):
            continue
        if len(c.perspectives) == 1:
            links: Counter = Counter()
            for n in c.members:
                for m in G[n]:
                    if m not in inside and node_perspective(G, m) != c.dominant:
                        links[m] += 1
            bridge = None
            if links:
                b = min(links, key=lambda m: (-links[m], str(m)))
                bridge = (person_name(G, b), node_perspective(G, b), links[b])
            out.append(ClusterFact(c, False, names, internal, bridge=bridge))
        elif len(c.perspectives) >= min_mix:
            hosts = [n for n in c.members if G.nodes[n].get("coalition", False)] or list(c.members)
            host = max(
                hosts,
                key=lambda n: (sum(1 for m in G[n] if m in inside), G.nodes[n].get("influence", 3)),
            )
            out.append(ClusterFact(c, True, names, internal, host=person_name(G, host)))
    return out


def findings(
    G: nx.Graph,
    *,
    seed: int = 42,
    min_size: int = 3,
    min_mix: int = 3,
    found: Sequence[Community] | None = None,
    whole_pieces: bool = True,
) -> list[Finding]:
    """Single-perspective clusters (possible echo chambers) and mixed clusters to convene.

    Codes: ``communities.single-perspective`` (a cluster of at least ``min_size`` people
    all of one perspective, LOW); ``communities.mixed`` (a cluster of at least ``min_size``
    people from ``min_mix`` or more perspectives, INFO). Pass ``found`` to reuse
    :func:`communities`. With ``whole_pieces=False`` (a map that falls apart into many
    pieces, which one finding already says), a single-perspective cluster that is a whole
    separate piece of the network is not reported again as an echo chamber. The facts come
    from :func:`cluster_facts`; :func:`cluster_finding` words each.

    >>> G = nx.complete_graph(3)
    >>> nx.set_node_attributes(G, "clinical", "perspective")
    >>> [f.code for f in findings(G)]
    ['communities.single-perspective']
    """
    facts = cluster_facts(
        G,
        seed=seed,
        min_size=min_size,
        min_mix=min_mix,
        found=found,
        whole_pieces=whole_pieces,
    )
    return [cluster_finding(f) for f in facts]


def cluster_finding(fact: ClusterFact) -> Finding:
    """One cluster in words: ``communities.single-perspective`` or ``communities.mixed``."""
    c = fact.community
    names = listing(list(fact.names), 6)
    evidence = {
        "community": c.index,
        "size": c.size,
        "perspectives": dict(c.perspectives),
        "dominant": c.dominant,
        "dominant_share": round(c.dominant_share, 4),
        "ties_inside": fact.ties_inside,
    }
    if not fact.mixed:
        if fact.bridge is not None:
            name, perspective, ties = fact.bridge
            action = (
                "Bring other perspectives into their conversations; "
                f"{name} ({perspective}) already knows "
                f"{ties} of them and could join in."
            )
        else:
            action = (
                "Bring other perspectives into their conversations: nobody from another "
                "perspective has a recorded tie to this group yet."
            )
        return Finding(
            code="communities.single-perspective",
            severity=Severity.LOW,
            title=f"A closely tied group of {c.size} {c.dominant} people: a possible echo chamber",
            explanation=(
                f"{names} are tied more to each other than to anyone "
                f"else, and all hold the {c.dominant} perspective, so they may hear "
                "mostly their own view."
            ),
            action=action,
            stakeholders=c.members,
            evidence=evidence,
        )
    mix = join([f"{p} ({k})" for p, k in c.perspectives.items()])
    return Finding(
        code="communities.mixed",
        severity=Severity.INFO,
        title=f"A mixed group of {c.size} people from {len(c.perspectives)} "
        "perspectives: a natural place to convene",
        explanation=(f"{names} are closely tied and bring together the {mix} perspectives."),
        action=(
            f"Use this group to test and co-design the change; {fact.host}, "
            "the best connected within it, could convene them."
        ),
        stakeholders=c.members,
        evidence=evidence,
    )
