"""Perspective coverage: which of the map's perspectives the coalition holds, and how strongly."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import networkx as nx

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.perspectives import (
    UNSPECIFIED,
    is_patient_perspective,
    perspective_lookup,
    perspectives_of,
)
from mapping.analysis.sources import TIMMINS_2015
from mapping.model.graph import remembered
from mapping.model.wording import count_of, join, person_name, truncate, with_stance

__all__ = [
    "METHOD",
    "SOURCE",
    "PerspectiveCoverage",
    "CoverageSummary",
    "perspective_coverage",
    "coverage_summary",
    "GAP_KINDS",
    "CoverageGap",
    "coverage_gaps",
    "findings",
    "gap_finding",
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


def _influence(G: nx.Graph, n: object) -> int:
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
        people = sorted(people, key=lambda n: (-_influence(G, n), str(n)))
        members = tuple(n for n in people if member[n])
        outside = tuple(n for n in people if not member[n])
        result.append(
            PerspectiveCoverage(
                perspective=p,
                stakeholders=len(people),
                members=members,
                outside=outside,
                highest_member_influence=_influence(G, members[0]) if members else None,
                highest_outside_influence=_influence(G, outside[0]) if outside else None,
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


# --- findings -------------------------------------------------------------------------------


def _person(G: nx.Graph, n: object) -> str:
    rating = with_stance(f"influence {_influence(G, n)}", G.nodes[n].get("stance", "unknown"))
    return f"{person_name(G, n)} ({rating})"


def _coalition_ties(G: nx.Graph, people: Iterable[str]) -> list[tuple[str, str, int]]:
    """Ties from these people to coalition members, strongest first."""
    found = []
    for n in people:
        for m, data in G[n].items():
            if G.nodes[m].get("coalition", False):
                found.append((n, m, data.get("strength", 1)))
    found.sort(key=lambda t: (-t[2], str(t[0]), str(t[1])))
    return found


def _outside_sentence(
    G: nx.Graph, row: PerspectiveCoverage, in_conflict: Collection[str] = ()
) -> str:
    """Who of this perspective is on the map but outside, and how many ties reach in."""
    p = row.perspective
    shown = truncate([_person(G, n) for n in row.outside], 5)
    if len(row.outside) == 1:
        who = f"{shown[0]} is the only {p} stakeholder on the map and is not in the coalition"
    else:
        who = (
            f"{len(row.outside)} {p} stakeholders are on the map ({join(shown)}), "
            "but none is in the coalition"
        )
    k = row.ties_into_coalition
    if k == 0 and set(row.outside) & set(in_conflict):
        reach = "their only contact with the coalition is a conflict (see the tension finding)"
    elif k == 0:
        reach = "no tie links them to a coalition member yet"
    else:
        reach = f"{count_of(k, 'tie')} link{'' if k > 1 else 's'} them to the coalition"
    return f"{who}; {reach}."


def _members_below(row: PerspectiveCoverage, shown: list[str], high: int) -> str:
    if len(row.members) == 1:
        return (
            f"{shown[0]}, the coalition's only {row.perspective} member, is rated below "
            f"influence {high}"
        )
    return (
        f"The coalition's {row.perspective} members, {join(shown)}, are all rated below "
        f"influence {high}"
    )


def _invitation(G: nx.Graph, row: PerspectiveCoverage) -> tuple[str, str | None]:
    """Whom of this perspective to invite first, and the coalition member best placed to ask."""
    routes = _coalition_ties(G, row.outside)
    best_route: dict[str, tuple[str, int]] = {}
    for n, m, s in routes:
        best_route.setdefault(n, (m, s))
    favourable = {"champion", "supporter"}
    candidates = sorted(
        row.outside,
        key=lambda n: (
            -_influence(G, n),
            G.nodes[n].get("stance") not in favourable,
            -(best_route[n][1] if n in best_route else 0),
            str(n),
        ),
    )
    best = candidates[0]
    return best, best_route[best][0] if best in best_route else None


def _invite_action(G: nx.Graph, row: PerspectiveCoverage, label: str) -> str:
    """Who to invite from this perspective, and which coalition member is best placed to ask."""
    best, asker = _invitation(G, row)
    if asker is not None:
        strength = G.edges[best, asker].get("strength", 1)
        return (
            f"Invite {person_name(G, best)} into the coalition to bring in the {label} view; "
            f"{person_name(G, asker)} already has a tie with them (strength {strength}) and is "
            "best placed to ask."
        )
    return (
        f"Invite {person_name(G, best)} into the coalition to bring in the {label} view; nobody in "
        "the coalition has a tie with them yet, so first find who could make the introduction."
    )


def _evidence(row: PerspectiveCoverage, high: int) -> dict:
    return {
        "perspective": row.perspective,
        "stakeholders": row.stakeholders,
        "coalition_members": len(row.members),
        "highest_member_influence": row.highest_member_influence,
        "highest_outside_influence": row.highest_outside_influence,
        "ties_into_coalition": row.ties_into_coalition,
        "high_influence": high,
    }


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
        invite, asker = _invitation(G, row)
        return CoverageGap("no-member", row, patient, invite=invite, asker=asker)
    if (row.highest_member_influence or 0) < high:
        stronger = tuple(
            n for n in row.outside if _influence(G, n) > (row.highest_member_influence or 0)
        )
        return CoverageGap("low-influence", row, patient, stronger=stronger)
    return CoverageGap("covered", row, patient)


def findings(
    G: nx.Graph,
    *,
    high_influence: int = 4,
    ignore: Iterable[str] = (UNSPECIFIED,),
    in_conflict: Collection[str] = (),
) -> list[Finding]:
    """Gaps in the coalition's perspectives, in plain language.

    Codes: ``coverage.patient-voice`` (always reported: HIGH when no patient or carer is a
    member, MEDIUM when none has influence >= ``high_influence``, INFO when covered);
    ``coverage.no-member`` (present only outside the coalition: HIGH when someone outside
    has influence >= ``high_influence``, else MEDIUM); ``coverage.low-influence`` (members,
    but none with influence >= ``high_influence``: MEDIUM when a more influential person
    of that perspective is outside, else LOW); ``coverage.not-mapped`` (nobody of that
    perspective on the map: LOW). Perspectives in ``ignore`` are only checked when they
    have people. The facts come from :func:`coverage_gaps`; :func:`gap_finding` words each.

    >>> G = nx.Graph(perspectives=("clinical", "patient & carer"))
    >>> G.add_node("a", name="Ann", perspective="clinical", influence=4, coalition=True)
    >>> [(f.code, f.severity.value) for f in findings(G)]
    [('coverage.patient-voice', 'high')]
    """
    gaps = coverage_gaps(G, high_influence=high_influence, ignore=ignore)
    if gaps and gaps[0].kind == "no-coalition":
        return [_no_coalition(G, perspective_coverage(G), set(ignore))]
    return [gap_finding(G, g, high_influence=high_influence, in_conflict=in_conflict) for g in gaps]


def gap_finding(
    G: nx.Graph, gap: CoverageGap, *, high_influence: int = 4, in_conflict: Collection[str] = ()
) -> Finding:
    """One :class:`CoverageGap` in words (``G`` gives the names and ratings it shows).

    >>> G = nx.Graph(perspectives=("clinical",))
    >>> gap_finding(G, CoverageGap("no-patient-perspective", patient=True)).title
    'No patient or carer voice in the coalition'
    """
    if gap.kind == "no-coalition":
        return _no_coalition(G, perspective_coverage(G), {UNSPECIFIED})
    if gap.row is None:
        return Finding(
            code="coverage.patient-voice",
            severity=Severity.HIGH,
            title="No patient or carer voice in the coalition",
            explanation=(
                "The map has no patient, carer or service-user perspective at all, so "
                "nobody can check the change against the experience of people who use "
                "services."
            ),
            action=(
                "Add a patient & carer perspective and ask your local Healthwatch, carers' "
                "organisations or patient participation groups who could join the coalition."
            ),
            evidence={"patient_perspectives": 0},
        )
    if gap.patient:
        return _patient_finding(G, gap, high_influence)
    row, high = gap.row, high_influence
    p = row.perspective
    evidence = _evidence(row, high)
    if gap.kind == "not-mapped":
        return Finding(
            code="coverage.not-mapped",
            severity=Severity.HIGH,
            title=f"Nobody from the {p} perspective is on the map",
            explanation=(
                f"The map lists the {p} perspective but no stakeholder holds it, so "
                "the coalition may be missing how the change looks from there."
            ),
            action=(
                f"Ask the coalition who could speak for the {p} perspective, and add "
                "them to the map (or remove the perspective if it does not apply)."
            ),
            evidence=evidence,
        )
    if gap.kind == "no-member":
        severe = (row.highest_outside_influence or 0) >= high
        return Finding(
            code="coverage.no-member",
            severity=Severity.HIGH if severe else Severity.MEDIUM,
            title=f"No {p} voice in the coalition",
            explanation=_outside_sentence(G, row, in_conflict),
            action=_invite_action(G, row, p),
            stakeholders=row.outside,
            ties=tuple((u, v) for u, v, _ in _coalition_ties(G, row.outside)),
            evidence={**evidence, "invite": gap.invite},
            actor=gap.asker,
        )
    members = [_person(G, n) for n in row.members[:5]]
    if gap.stronger:
        action = _invite_action(G, row, p)
    else:
        action = (
            f"Back the coalition's {p} members with an influential sponsor, or look "
            f"beyond the map for a more senior {p} voice."
        )
    return Finding(
        code="coverage.low-influence",
        severity=Severity.MEDIUM if gap.stronger else Severity.LOW,
        title=f"The coalition's {p} voice carries little weight",
        explanation=(f"{_members_below(row, members, high)}."),
        action=action,
        stakeholders=row.members + gap.stronger,
        evidence=evidence,
    )


def _patient_finding(G: nx.Graph, gap: CoverageGap, high: int) -> Finding:
    """A patient or carer perspective's place in the coalition, in words."""
    code = "coverage.patient-voice"
    row = gap.row
    assert row is not None
    p = row.perspective
    evidence = _evidence(row, high)
    if gap.kind == "not-mapped":
        return Finding(
            code=code,
            severity=Severity.HIGH,
            title="No patient or carer voice in the coalition",
            explanation=(
                f"Nobody from the {p} perspective is on the map, so the coalition "
                "cannot test the change against the experience of people who use "
                "services."
            ),
            action=(
                "Ask your local Healthwatch, carers' organisations, patient "
                "participation groups or voluntary sector partners who could represent "
                "patients and carers, add them to the map and invite them to co-design."
            ),
            evidence=evidence,
        )
    if gap.kind == "no-member":
        return Finding(
            code=code,
            severity=Severity.HIGH,
            title="No patient or carer voice in the coalition",
            explanation=_outside_sentence(G, row),
            action=_invite_action(G, row, p)
            + " Co-design with them rather than consulting them afterwards.",
            stakeholders=row.outside,
            ties=tuple((u, v) for u, v, _ in _coalition_ties(G, row.outside)),
            evidence={**evidence, "invite": gap.invite},
            actor=gap.asker,
        )
    members = [_person(G, n) for n in row.members[:5]]
    if gap.kind == "low-influence":
        return Finding(
            code=code,
            severity=Severity.MEDIUM,
            title="The patient and carer voice in the coalition carries little weight",
            explanation=(
                f"{_members_below(row, members, high)}; patients and carers are "
                "easily kept informed rather than heard."
            ),
            action=(
                "Give them a standing place where decisions are made, pair them with an "
                "influential sponsor in the coalition, and help them organise so their "
                "influence grows."
            ),
            stakeholders=row.members,
            evidence=evidence,
        )
    return Finding(
        code=code,
        severity=Severity.INFO,
        title="Patient and carer voice is in the coalition",
        explanation=f"The coalition includes {join(members)} ({p}).",
        action="Keep them involved in design decisions, not only in consultation.",
        stakeholders=row.members,
        evidence=evidence,
    )


def _no_coalition(G: nx.Graph, rows: list[PerspectiveCoverage], ignored: set[str]) -> Finding:
    """The one finding of a map with people but nobody marked as in the coalition."""
    held = [r.perspective for r in rows if r.stakeholders and r.perspective not in ignored]
    favourable = {"champion": 0, "supporter": 1}
    start = sorted(
        (n for n in G if G.nodes[n].get("stance") in favourable),
        key=lambda n: (favourable[G.nodes[n]["stance"]], -_influence(G, n), str(n)),
    )
    first = join([person_name(G, n) for n in start[:3]])
    begin = (
        f"Start with the champions and supporters already on it, such as {first}."
        if start
        else "Start with the people already working together on the change."
    )
    return Finding(
        code="coverage.no-coalition",
        severity=Severity.HIGH,
        title="Nobody is marked as in the coalition yet",
        explanation=(
            f"The map has {count_of(len(G), 'person', 'people')} from "
            f"{count_of(len(held), 'perspective')}, but nobody is marked as a coalition "
            "member, so the checks of whose voice the coalition holds cannot run yet."
        ),
        action=(
            "On the Stakeholders page, tick 'In coalition' for your coalition of the willing. "
            + begin
        ),
        stakeholders=tuple(start[:3]),
        evidence={"stakeholders": len(G), "perspectives_with_stakeholders": len(held)},
    )
