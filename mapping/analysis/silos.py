"""Silos between perspectives: perspectives cut off from the rest, pairs that never talk,
perspectives that mostly talk to themselves. The measures (tie matrix, E-I index) are in
:mod:`mapping.analysis.silo_measures`; their names are offered here too."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.perspectives import node_perspective, perspective_lookup
from mapping.analysis.silo_measures import (
    METHOD,
    SOURCE,
    EIIndex,
    TieMatrix,
    ei_by_perspective,
    ei_overall,
    perspective_sizes,
    silo_pairs,
    tie_matrix,
)
from mapping.model.wording import count_of, join, person_name

__all__ = [
    "METHOD",
    "SOURCE",
    "TieMatrix",
    "EIIndex",
    "tie_matrix",
    "silo_pairs",
    "ei_by_perspective",
    "ei_overall",
    "CutOff",
    "NoTie",
    "Inward",
    "SiloFacts",
    "silo_facts",
    "findings",
    "silo_findings",
]


def _best(G: nx.Graph, people: list[str]) -> str:
    """The person best placed to act: coalition members first, then by influence."""
    return min(
        people,
        key=lambda n: (
            not G.nodes[n].get("coalition", False),
            -G.nodes[n].get("influence", 3),
            str(n),
        ),
    )


@dataclass(frozen=True)
class CutOff:
    """A perspective on the map with no tie to any other: its people, and the one best
    placed to be introduced (``best``, with ``best_name``)."""

    perspective: str
    people: tuple[str, ...]
    best: str
    best_name: str


@dataclass(frozen=True)
class NoTie:
    """Two perspectives that both reach others but never each other, with their sizes.

    ``brokers`` know someone on both sides; ``go_between`` names the best of them, or, when
    there is none, ``first_pair`` names the best person on each side; ``ties`` are the
    go-between's ties into the two perspectives.
    """

    perspectives: tuple[str, str]
    sizes: tuple[int, int]
    brokers: tuple[str, ...]
    go_between: str | None
    first_pair: tuple[str, str] | None
    ties: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Inward:
    """A perspective that mostly talks to itself: its E-I index, people, the perspectives
    it never reaches, and whether it still keeps to itself allowing for its size
    (``None`` when that cannot be said)."""

    ei: EIIndex
    people: tuple[str, ...]
    unreached: tuple[str, ...]
    inward_for_its_size: bool | None


@dataclass(frozen=True)
class SiloFacts:
    """What :func:`findings` words, in its order."""

    cut_off: tuple[CutOff, ...] = ()
    no_tie: tuple[NoTie, ...] = ()
    inward: tuple[Inward, ...] = ()


def silo_facts(G: nx.Graph, *, inward_ei: float = -0.5, min_ties: int = 3) -> SiloFacts:
    """The cut-off perspectives, the pairs that never talk and the inward-looking
    perspectives :func:`findings` reports (same parameters).

    >>> G = nx.Graph(perspectives=("a", "b"))
    >>> G.add_nodes_from([(1, {"perspective": "a"}), (2, {"perspective": "b"})])
    >>> [c.perspective for c in silo_facts(G).cut_off]
    ['a', 'b']
    """
    sizes = perspective_sizes(G)
    counts = tie_matrix(G).counts
    people: dict[str, list[str]] = {p: [] for p in sizes}
    for n in G:
        people[node_perspective(G, n)].append(n)
    present = [p for p, k in sizes.items() if k]
    cut_off = {p for p in present if not any(counts[p][q] for q in present if q != p)}
    cut: list[CutOff] = []
    if len(present) > 1:
        for p in present:
            if p in cut_off:
                best = _best(G, people[p])
                cut.append(CutOff(p, tuple(people[p]), best, person_name(G, best)))
    perspective = perspective_lookup(G)
    neighbour_perspectives = {
        n: {perspective[m] for m in near} for n, near in G.adj.items() if len(near) >= 2
    }
    pairs: list[NoTie] = []
    for p, q in silo_pairs(G):
        if p in cut_off or q in cut_off:
            continue
        brokers = [n for n, seen in neighbour_perspectives.items() if p in seen and q in seen]
        if brokers:
            best = _best(G, brokers)
            go_between, first_pair = person_name(G, best), None
            ties = tuple((best, m) for m in G[best] if node_perspective(G, m) in (p, q))
        else:
            a, b = _best(G, people[p]), _best(G, people[q])
            go_between, first_pair = None, (person_name(G, a), person_name(G, b))
            ties = ()
        pairs.append(
            NoTie((p, q), (sizes[p], sizes[q]), tuple(brokers), go_between, first_pair, ties)
        )
    inward: list[Inward] = []
    for row in ei_by_perspective(G):
        ties_total = row.internal + row.external
        if row.ei is None or ties_total < min_ties or row.ei > inward_ei:
            continue
        p = row.group
        unreached = tuple(q for q in present if q != p and counts[p][q] == 0)
        own = None if row.size_corrected is None else row.size_corrected <= inward_ei
        inward.append(Inward(row, tuple(people[p]), unreached, own))
    return SiloFacts(cut_off=tuple(cut), no_tie=tuple(pairs), inward=tuple(inward))


def findings(G: nx.Graph, *, inward_ei: float = -0.5, min_ties: int = 3) -> list[Finding]:
    """Perspectives that never talk to each other, and perspectives that talk mostly inward.

    Codes: ``silos.cut-off`` (a perspective on the map with no tie to any other perspective,
    MEDIUM); ``silos.no-tie`` (two perspectives that both reach others but never each other,
    MEDIUM); ``silos.inward`` (E-I <= ``inward_ei`` over at least ``min_ties`` ties, MEDIUM).
    The facts come from :func:`silo_facts`; :func:`silo_findings` words them.

    >>> G = nx.Graph(perspectives=("a", "b"))
    >>> G.add_nodes_from([(1, {"perspective": "a"}), (2, {"perspective": "b"})])
    >>> [f.code for f in findings(G)]
    ['silos.cut-off', 'silos.cut-off']
    """
    return silo_findings(silo_facts(G, inward_ei=inward_ei, min_ties=min_ties))


def silo_findings(facts: SiloFacts) -> list[Finding]:
    """:class:`SiloFacts` in words, one finding each."""
    return (
        [_cut_off_finding(c) for c in facts.cut_off]
        + [_no_tie_finding(t) for t in facts.no_tie]
        + [_inward_finding(i) for i in facts.inward]
    )


def _cut_off_finding(c: CutOff) -> Finding:
    p, size = c.perspective, len(c.people)
    if size == 1:
        who = f"The only {p} stakeholder on the map, {c.best_name}, has no"
    else:
        who = f"None of the {size} {p} stakeholders on the map has a"
    return Finding(
        code="silos.cut-off",
        severity=Severity.MEDIUM,
        title=f"The {p} perspective has no tie to any other perspective",
        explanation=(
            f"{who} recorded tie with anyone from another perspective, so this "
            "view cannot reach the rest of the system."
        ),
        action=(
            f"Find out whether ties are missing from the map; if not, introduce "
            f"{c.best_name} to someone in the coalition from another "
            "perspective."
        ),
        stakeholders=c.people,
        evidence={"perspective": p, "stakeholders": size, "external_ties": 0},
    )


def _no_tie_finding(t: NoTie) -> Finding:
    (p, q), (size_p, size_q), brokers = t.perspectives, t.sizes, t.brokers
    if t.go_between is not None:
        action = (
            f"Ask {t.go_between}, who knows people on both sides, to bring "
            f"{p} and {q} colleagues together."
        )
    else:
        a, b = t.first_pair or ("", "")
        action = f"Set up a first conversation between {a} and {b}."
    return Finding(
        code="silos.no-tie",
        severity=Severity.MEDIUM,
        title=f"The {p} and {q} perspectives never talk to each other",
        explanation=(
            f"No recorded tie joins the {count_of(size_p, p + ' stakeholder')} and the "
            f"{count_of(size_q, q + ' stakeholder')} on the map"
            + (
                f"; {count_of(len(brokers), 'person', 'people')} "
                f"know{'s' if len(brokers) == 1 else ''} someone on both sides."
                if brokers
                else ", and nobody knows someone on both sides."
            )
        ),
        action=action,
        stakeholders=brokers,
        ties=t.ties,
        evidence={"perspectives": [p, q], "ties": 0, "intermediaries": len(brokers)},
    )


def _inward_finding(i: Inward) -> Finding:
    row, p = i.ei, i.ei.group
    if i.inward_for_its_size is None:
        corrected = ""
    elif i.inward_for_its_size:
        corrected = " Even allowing for the size of the group, it keeps to itself."
    else:
        corrected = " Allowing for the size of the group, this is less marked."
    unreached = list(i.unreached)
    return Finding(
        code="silos.inward",
        severity=Severity.MEDIUM,
        title=f"The {p} perspective mostly talks to itself",
        explanation=(
            f"Of the {row.internal + row.external} ties held by {p} stakeholders, "
            f"{row.internal} are with other {p} stakeholders: the group is mostly "
            f"inward-looking.{corrected}"
        ),
        action=(
            f"Pair {p} colleagues with people from "
            f"{join(unreached) if unreached else 'other perspectives'} on shared work."
        ),
        stakeholders=i.people,
        evidence={
            "perspective": p,
            "internal_ties": row.internal,
            "external_ties": row.external,
            "ei": row.ei,
            "expected_ei": row.expected,
            "size_corrected_ei": row.size_corrected,
        },
    )
