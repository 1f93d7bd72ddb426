"""Support networks: a person's direct and two-step contacts, inside and outside their employer."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.perspectives import UNSPECIFIED, present_perspectives
from mapping.analysis.sources import TIMMINS_2015
from mapping.errors import NotFoundError
from mapping.model.wording import count_of, join, person_name

__all__ = [
    "METHOD",
    "SOURCE",
    "Contact",
    "SupportNetwork",
    "same_organisation",
    "support_network",
    "SupportGaps",
    "support_gaps",
    "findings",
    "support_findings",
]

METHOD = (
    "Ego network of radius two for the King's Fund question 'what support networks do I "
    "have internally and externally?' (Timmins 2015); a two-step contact is reached through "
    "the direct contact whose weaker tie on the way is strongest."
)

SOURCE = TIMMINS_2015


def same_organisation(a: str, b: str) -> bool:
    """Whether two organisation names are the same, ignoring case; blank never matches.

    Examples
    --------
    >>> same_organisation("North ICB", " north icb")
    True
    >>> same_organisation("", "")
    False
    """
    a, b = a.strip().casefold(), b.strip().casefold()
    return bool(a) and a == b


@dataclass(frozen=True)
class Contact:
    """Someone in a person's network.

    ``steps`` is 1 for a direct tie and 2 for a friend of a friend; ``strength`` is the
    tie's strength, or for two steps the weaker of the two ties; ``path`` runs from the
    person to the contact.
    """

    id: str
    name: str
    organisation: str
    perspective: str
    steps: int
    strength: int
    path: tuple[str, ...]
    internal: bool


@dataclass(frozen=True)
class SupportNetwork:
    """Everyone within two steps of one person, strongest first."""

    person: str
    name: str
    organisation: str
    direct: tuple[Contact, ...]
    two_step: tuple[Contact, ...]

    @property
    def contacts(self) -> tuple[Contact, ...]:
        """Direct contacts, then two-step ones."""
        return self.direct + self.two_step

    @property
    def internal(self) -> tuple[Contact, ...]:
        """Contacts in the person's own organisation."""
        return tuple(c for c in self.contacts if c.internal)

    @property
    def external(self) -> tuple[Contact, ...]:
        """Contacts in other organisations (or with none recorded)."""
        return tuple(c for c in self.contacts if not c.internal)

    def by_perspective(self) -> dict[str, tuple[str, ...]]:
        """Contact ids grouped by perspective, in order of first appearance."""
        out: dict[str, list[str]] = {}
        for c in self.contacts:
            out.setdefault(c.perspective, []).append(c.id)
        return {k: tuple(v) for k, v in out.items()}

    @property
    def summary(self) -> str:
        """One plain sentence about the network."""
        if not self.direct:
            return f"{self.name} has no recorded relationships yet."
        inside = sum(c.internal for c in self.direct)
        where = (
            f"{inside} inside {self.organisation.strip()}, {len(self.direct) - inside} outside"
            if self.organisation.strip()
            else "no organisation recorded for them"
        )
        n = len(self.direct)
        text = f"{self.name} has {count_of(n, 'direct contact')} ({where})"
        if self.two_step:
            more = len(self.two_step)
            text += f" and reaches {count_of(more, 'more person', 'more people')} through them"
        kinds = len(self.by_perspective())
        text += f", across {count_of(kinds, 'perspective')}."
        best = self.direct[0]
        return text + f" Strongest tie: {best.name} ({best.strength} of 5)."


def _contact(G: nx.Graph, person: str, v: str, path: tuple[str, ...], strength: int) -> Contact:
    data = G.nodes[v]
    organisation = str(data.get("organisation", ""))
    return Contact(
        id=v,
        name=person_name(G, v),
        organisation=organisation,
        perspective=str(data.get("perspective", UNSPECIFIED)),
        steps=len(path) - 1,
        strength=strength,
        path=path,
        internal=same_organisation(organisation, str(G.nodes[person].get("organisation", ""))),
    )


def support_network(G: nx.Graph, person: str) -> SupportNetwork:
    """Who ``person`` can call on directly, and who through one introduction.

    Parameters
    ----------
    G : networkx.Graph
        The tie graph (:func:`mapping.model.graph.tie_graph`); conflict ties are not support.
    person : str
        A stakeholder id.

    Raises
    ------
    NotFoundError
        If ``person`` is not on the map.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"name": "Ann", "organisation": "ICB"}),
    ...     ("b", {"name": "Bo", "organisation": "icb"}), ("c", {"name": "Cy"})])
    >>> G.add_edges_from([("a", "b", {"strength": 4}), ("b", "c", {"strength": 2})])
    >>> net = support_network(G, "a")
    >>> [(c.id, c.steps, c.strength, c.path, c.internal) for c in net.contacts]
    [('b', 1, 4, ('a', 'b'), True), ('c', 2, 2, ('a', 'b', 'c'), False)]
    """
    if person not in G:
        msg = f"Stakeholder {person!r} is not on this map; choose someone who is."
        raise NotFoundError(msg)

    def strength(u: str, v: str) -> int:
        return int(G.edges[u, v].get("strength", 1))

    near = sorted(G[person], key=lambda u: (-strength(person, u), person_name(G, u)))
    direct = tuple(_contact(G, person, u, (person, u), strength(person, u)) for u in near)
    best: dict[str, tuple[int, int, str]] = {}
    for via in sorted(near, key=lambda u: person_name(G, u)):
        first = strength(person, via)
        for w in G[via]:
            if w == person or w in G[person]:
                continue
            key = (min(first, strength(via, w)), first + strength(via, w))
            if w not in best or key > best[w][:2]:
                best[w] = (*key, via)
    two = sorted(best, key=lambda w: (-best[w][0], -best[w][1], person_name(G, w)))
    two_step = tuple(_contact(G, person, w, (person, best[w][2], w), best[w][0]) for w in two)
    data = G.nodes[person]
    return SupportNetwork(
        person=person,
        name=person_name(G, person),
        organisation=str(data.get("organisation", "")),
        direct=direct,
        two_step=two_step,
    )


@dataclass(frozen=True)
class SupportGaps:
    """What a person's own network lacks (the facts :func:`findings` words).

    ``internal_only``: every direct tie is with a colleague of their own (named)
    organisation; ``colleagues``: people of that organisation on the map, when none of
    them is tied to the person; ``gateway``: the one direct contact (id, name) through whom
    two or more people two steps away are reached; ``missing``: perspectives present on
    the map that no one within two steps holds.
    """

    network: SupportNetwork
    internal_only: bool = False
    colleagues: tuple[str, ...] = ()
    gateway: tuple[str, str] | None = None
    missing: tuple[str, ...] = ()


def support_gaps(G: nx.Graph, person: str) -> SupportGaps:
    """The facts behind :func:`findings` for ``person``.

    >>> G = nx.Graph([("a", "b", {"strength": 3})])
    >>> nx.set_node_attributes(G, {"a": "ICB", "b": "ICB"}, "organisation")
    >>> support_gaps(G, "a").internal_only
    True
    """
    net = support_network(G, person)
    if not net.direct:
        return SupportGaps(net)
    internal_only = bool(net.organisation.strip()) and all(c.internal for c in net.direct)
    colleagues = [
        v
        for v, org in G.nodes(data="organisation")
        if v != person and same_organisation(str(org or ""), net.organisation)
    ]
    external_only = bool(colleagues) and not any(c.internal for c in net.direct)
    vias = {c.path[1] for c in net.two_step}
    gateway = None
    if len(net.two_step) >= 2 and len(vias) == 1:
        (gate_id,) = vias
        gateway = (gate_id, person_name(G, gate_id))
    reached = set(net.by_perspective()) | {str(G.nodes[person].get("perspective"))}
    return SupportGaps(
        network=net,
        internal_only=internal_only,
        colleagues=tuple(colleagues) if external_only else (),
        gateway=gateway,
        missing=tuple(p for p in present_perspectives(G) if p not in reached),
    )


def findings(G: nx.Graph, person: str) -> list[Finding]:
    """What a person's own network lacks: any ties, outside support, breadth, reach.

    The facts come from :func:`support_gaps`; :func:`support_findings` words them.

    Examples
    --------
    >>> G = nx.Graph([("a", "b", {"strength": 3})])
    >>> nx.set_node_attributes(G, {"a": "ICB", "b": "ICB"}, "organisation")
    >>> [f.code for f in findings(G, "a")]
    ['support.internal-only']
    """
    return support_findings(support_gaps(G, person))


def support_findings(gaps: SupportGaps) -> list[Finding]:
    """:class:`SupportGaps` in words."""
    net = gaps.network
    person = net.person
    if not net.direct:
        return [
            Finding(
                code="support.none",
                severity=Severity.MEDIUM,
                title=f"{net.name} has no support network on the map",
                explanation=f"No relationships are recorded for {net.name}.",
                action=(
                    f"Record who {net.name} works with and trusts, inside and outside their "
                    "organisation."
                ),
                stakeholders=(person,),
            )
        ]
    out = []
    ties = tuple((person, c.id) for c in net.direct)
    organisation = net.organisation.strip()
    if gaps.internal_only:
        out.append(
            Finding(
                code="support.internal-only",
                severity=Severity.MEDIUM,
                title=f"{net.name}'s support comes only from inside {organisation}",
                explanation=(
                    (
                        f"All {len(net.direct)} of {net.name}'s direct relationships are with "
                        f"colleagues in {organisation}."
                        if len(net.direct) > 1
                        else f"{net.name}'s only direct relationship is with a colleague in "
                        f"{organisation}."
                    )
                    + " System leadership runs across organisations, through peers elsewhere."
                ),
                action=(
                    "Build at least one trusted relationship with a peer in another "
                    "organisation, for example through a shared programme or action learning set."
                ),
                stakeholders=(person, *(c.id for c in net.direct)),
                ties=ties,
            )
        )
    if gaps.colleagues:
        out.append(
            Finding(
                code="support.external-only",
                severity=Severity.LOW,
                title=f"{net.name} has no recorded support inside {organisation}",
                explanation=(
                    f"{count_of(len(gaps.colleagues), 'colleague')} in "
                    f"{organisation} are on the map, but none has a relationship "
                    f"with {net.name}."
                ),
                action=(f"Check who in {organisation} {net.name} can rely on, and record it."),
                stakeholders=(person, *gaps.colleagues),
            )
        )
    if gaps.gateway is not None:
        gate_id, gate = gaps.gateway
        out.append(
            Finding(
                code="support.one-gateway",
                severity=Severity.LOW,
                title=f"{net.name}'s wider network runs through {gate}",
                explanation=(
                    f"All {len(net.two_step)} people two steps from {net.name} are reached "
                    f"only through {gate}."
                ),
                action=(
                    f"Ask {gate} for direct introductions, so the network does not rest on "
                    "one person."
                ),
                stakeholders=(person, gate_id),
                ties=((person, gate_id),),
            )
        )
    missing = list(gaps.missing)
    if missing:
        names = join(f"'{p}'" for p in missing)
        out.append(
            Finding(
                code="support.perspectives-out-of-reach",
                severity=Severity.INFO,
                title=(
                    f"{net.name}'s network does not reach {count_of(len(missing), 'perspective')}"
                ),
                explanation=(
                    f"No one within two steps of {net.name} is from the {names} "
                    f"perspective{'s' if len(missing) != 1 else ''}."
                ),
                action="Seek out someone from these perspectives to learn how they see the system.",
                stakeholders=(person,),
                evidence={"perspectives": missing},
            )
        )
    return out
