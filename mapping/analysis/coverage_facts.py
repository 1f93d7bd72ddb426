"""Which perspectives the coalition holds, and how strongly: each perspective's coverage
and its gap (the facts behind the coverage findings, worded in
:mod:`mapping.analysis.coverage`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from mapping.analysis.perspectives import (
    UNSPECIFIED,
    is_patient_perspective,
    perspective_lookup,
    perspectives_of,
)
from mapping.analysis.sources import TIMMINS_2015
from mapping.model.graph import remembered

__all__ = [
    "METHOD",
    "SOURCE",
    "coalition_ties",
    "influence_of",
    "invitation",
    "PerspectiveCoverage",
    "CoverageSummary",
    "perspective_coverage",
    "coverage_summary",
    "GAP_KINDS",
    "CoverageGap",
    "coverage_gaps",
]

METHOD = (
    "Counts coalition members per perspective (King's Fund, The practice of system "
    "leadership, Timmins 2015: a diverse coalition that sees the system from several "
    "perspectives)."
)


SOURCE = TIMMINS_2015


@dataclass(frozen=True)
class PerspectiveCoverage:
    """How one perspective is represented on the map and in the coalition.

    ``members`` and ``outside`` are stakeholder ids (coalition members / everyone else of
    this perspective), highest influence first. ``highest_member_influence`` and
    ``highest_outside_influence`` are ``None`` when there is nobody to rate.
    ``ties_into_coalition`` counts ties from anyone of this perspective to a coalition
    member (each tie once, ties between two members included).
    """

    perspective: str
    stakeholders: int
    members: tuple[str, ...]
    outside: tuple[str, ...]
    highest_member_influence: int | None
    highest_outside_influence: int | None
    ties_into_coalition: int

    @property
    def covered(self) -> bool:
        """Whether at least one coalition member holds this perspective."""
        return bool(self.members)


@dataclass(frozen=True)
class CoverageSummary:
    """Perspectives covered by the coalition out of the map's perspectives.

    ``share`` is ``covered / total`` and 0.0 when the map has no perspectives.
    """

    covered: int
    total: int
    share: float
    missing: tuple[str, ...]


def influence_of(G: nx.Graph, n: object) -> int:
    return int(G.nodes[n].get("influence", 3))


def perspective_coverage(G: nx.Graph) -> list[PerspectiveCoverage]:
    """Coalition members, their highest influence and ties into the coalition, per perspective.

    Every perspective of the map comes out, in the map's order, including those with nobody.

    >>> G = nx.Graph(perspectives=("clinical", "patient & carer"))
    >>> G.add_node("a", perspective="clinical", influence=4, coalition=True)
    >>> G.add_node("b", perspective="patient & carer", influence=2, coalition=False)
    >>> G.add_edge("a", "b")
    >>> [(c.perspective, c.members, c.outside, c.ties_into_coalition)
    ...  for c in perspective_coverage(G)]
    [('clinical', ('a',), (), 0), ('patient & carer', (), ('b',), 1)]
    """
    return list(remembered(G, "coverage.rows", lambda: _perspective_coverage(G)))


def _perspective_coverage(G: nx.Graph) -> list[PerspectiveCoverage]:
    perspective = perspective_lookup(G)
    member = {n: bool(c) for n, c in G.nodes(data="coalition", default=False)}
    by_perspective: dict[str, list] = {p: [] for p in perspectives_of(G)}
    for n in G:
        by_perspective[perspective[n]].append(n)
    ties = dict.fromkeys(by_perspective, 0)
    for u, v in G.edges():
        pu, pv = perspective[u], perspective[v]
        cu, cv = member[u], member[v]
        # Each tie counts once per perspective it leads from into the coalition.
        touched = set()
        if cv:
            touched.add(pu)
        if cu:
            touched.add(pv)
        for p in touched:
            ties[p] += 1
    result = []
    for p, people in by_perspective.items():
        people = sorted(people, key=lambda n: (-influence_of(G, n), str(n)))
        members = tuple(n for n in people if member[n])
        outside = tuple(n for n in people if not member[n])
        result.append(
            PerspectiveCoverage(
                perspective=p,
                stakeholders=len(people),
                members=members,
                outside=outside,
                highest_member_influence=influence_of(G, members[0]) if members else None,
                highest_outside_influence=influence_of(G, outside[0]) if outside else None,
                ties_into_coalition=ties[p],
            )
        )
    return result


def coverage_summary(G: nx.Graph) -> CoverageSummary:
    """How many of the map's perspectives have at least one coalition member.

    >>> G = nx.Graph(perspectives=("clinical", "provider"))
    >>> G.add_node("a", perspective="clinical", coalition=True)
    >>> coverage_summary(G)
    CoverageSummary(covered=1, total=2, share=0.5, missing=('provider',))
    """
    rows = perspective_coverage(G)
    covered = sum(1 for c in rows if c.covered)
    total = len(rows)
    return CoverageSummary(
        covered=covered,
        total=total,
        share=covered / total if total else 0.0,
        missing=tuple(c.perspective for c in rows if not c.covered),
    )


def coalition_ties(G: nx.Graph, people: Iterable[str]) -> list[tuple[str, str, int]]:
    """Ties from these people to coalition members, strongest first."""
    found = []
    for n in people:
        for m, data in G[n].items():
            if G.nodes[m].get("coalition", False):
                found.append((n, m, data.get("strength", 1)))
    found.sort(key=lambda t: (-t[2], str(t[0]), str(t[1])))
    return found


def invitation(G: nx.Graph, row: PerspectiveCoverage) -> tuple[str, str | None]:
    """Whom of this perspective to invite first, and the coalition member best placed to ask."""
    routes = coalition_ties(G, row.outside)
    best_route: dict[str, tuple[str, int]] = {}
    for n, m, s in routes:
        best_route.setdefault(n, (m, s))
    favourable = {"champion", "supporter"}
    candidates = sorted(
        row.outside,
        key=lambda n: (
            -influence_of(G, n),
            G.nodes[n].get("stance") not in favourable,
            -(best_route[n][1] if n in best_route else 0),
            str(n),
        ),
    )
    best = candidates[0]
    return best, best_route[best][0] if best in best_route else None


#: The kinds of :class:`CoverageGap`, each worded as one finding.
GAP_KINDS: tuple[str, ...] = (
    "no-coalition",
    "no-patient-perspective",
    "not-mapped",
    "no-member",
    "low-influence",
    "covered",
)


@dataclass(frozen=True)
class CoverageGap:
    """One perspective's place in the coalition, as a finding reports it.

    ``kind`` is one of :data:`GAP_KINDS`: nobody in the coalition at all; no patient
    perspective on the map; nobody of the perspective on the map; people only outside the
    coalition; members, all below the influence threshold; covered (reported for patient
    and carer perspectives only). ``row`` is the perspective's coverage (``None`` for the
    first two kinds), ``patient`` whether it is a patient or carer perspective,
    ``stronger`` people outside who are more influential than every member, ``invite``
    whom to invite first and ``asker`` the coalition member best placed to ask.
    """

    kind: str
    row: PerspectiveCoverage | None = None
    patient: bool = False
    stronger: tuple[str, ...] = ()
    invite: str | None = None
    asker: str | None = None


def coverage_gaps(
    G: nx.Graph, *, high_influence: int = 4, ignore: Iterable[str] = (UNSPECIFIED,)
) -> list[CoverageGap]:
    """The facts behind :func:`findings` (same parameters), in its order.

    >>> G = nx.Graph(perspectives=("clinical", "patient & carer"))
    >>> G.add_node("a", name="Ann", perspective="clinical", influence=4, coalition=True)
    >>> [(g.kind, g.row.perspective) for g in coverage_gaps(G)]
    [('not-mapped', 'patient & carer')]
    """
    ignored = set(ignore)
    rows = perspective_coverage(G)
    if len(G) and not any(row.members for row in rows):
        return [CoverageGap("no-coalition")]
    patient_rows = [r for r in rows if is_patient_perspective(r.perspective)]
    gaps = [] if patient_rows else [CoverageGap("no-patient-perspective", patient=True)]
    gaps += [_gap(G, row, True, high_influence) for row in patient_rows]
    for row in rows:
        if is_patient_perspective(row.perspective):
            continue
        if row.stakeholders == 0 and row.perspective in ignored:
            continue
        gap = _gap(G, row, False, high_influence)
        if gap.kind != "covered":
            gaps.append(gap)
    # Nobody of a perspective on the map at all is the loudest gap: those findings lead.
    return sorted(gaps, key=lambda g: (g.row.stakeholders if g.row else 1) != 0)


def _gap(G: nx.Graph, row: PerspectiveCoverage, patient: bool, high: int) -> CoverageGap:
    if row.stakeholders == 0:
        return CoverageGap("not-mapped", row, patient)
    if not row.members:
        invite, asker = invitation(G, row)
        return CoverageGap("no-member", row, patient, invite=invite, asker=asker)
    if (row.highest_member_influence or 0) < high:
        stronger = tuple(
            n for n in row.outside if influence_of(G, n) > (row.highest_member_influence or 0)
        )
        return CoverageGap("low-influence", row, patient, stronger=stronger)
    return CoverageGap("covered", row, patient)
