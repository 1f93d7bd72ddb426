"""Perspective coverage: which of the map's perspectives the coalition holds, and how strongly.

The facts (each perspective's coverage and gap) are found in
:mod:`mapping.analysis.coverage_facts` and offered here too; this module words them as findings.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import networkx as nx

from mapping.analysis.coverage_facts import (
    GAP_KINDS,
    METHOD,
    SOURCE,
    CoverageGap,
    CoverageSummary,
    PerspectiveCoverage,
    coalition_ties,
    coverage_gaps,
    coverage_summary,
    influence_of,
    invitation,
    perspective_coverage,
)
from mapping.analysis.findings import Finding, Severity
from mapping.analysis.perspectives import (
    UNSPECIFIED,
)
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


# --- findings -------------------------------------------------------------------------------


def _person(G: nx.Graph, n: object) -> str:
    rating = with_stance(f"influence {influence_of(G, n)}", G.nodes[n].get("stance", "unknown"))
    return f"{person_name(G, n)} ({rating})"


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


def _invite_action(G: nx.Graph, row: PerspectiveCoverage, label: str) -> str:
    """Who to invite from this perspective, and which coalition member is best placed to ask."""
    best, asker = invitation(G, row)
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
            ties=tuple((u, v) for u, v, _ in coalition_ties(G, row.outside)),
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
            ties=tuple((u, v) for u, v, _ in coalition_ties(G, row.outside)),
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
        key=lambda n: (favourable[G.nodes[n]["stance"]], -influence_of(G, n), str(n)),
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
