"""The engagement plan measured against the map: from a finding to an action, from an action
done to the change on the map, and whether it worked.

Pure functions of maps, findings and :class:`mapping.model.actions.PlannedAction`: nothing here
reads the database or mutates what it is given. The page and the report pass in the maps
(the current one, or one of its snapshots) and the findings. Measuring an action is in
:mod:`mapping.changes.plan_results`, the plan looked back on (summary, open marks, the
report's rows) in :mod:`mapping.changes.plan_overview`; this module offers their names too.

>>> from datetime import date
>>> from mapping.model import Relationship, Stakeholder
>>> m = Map(name="M", stakeholders=(Stakeholder("n", "Nadia"), Stakeholder("r", "Richard")),
...         relationships=(Relationship("t", "n", "r", strength=2),))
>>> a = PlannedAction("a", "Meet", actor="n",
...                   expected=(Expected(STRENGTH, "n", 4, other="r", before=2),))
>>> after = apply_changes(m, a, date(2026, 5, 1))
>>> after.relationships[0].strength, after.relationships[0].last_confirmed
(4, datetime.date(2026, 5, 1))
>>> result(a, after).verdict
'reached'
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from mapping.changes.plan_overview import (
    AgreedRow,
    OpenMarks,
    PlanSummary,
    agreed_rows,
    open_marks,
    plan_summary,
    summary_text,
)
from mapping.changes.plan_results import (
    NOT_REACHED,
    PARTLY,
    REACHED,
    FindingLike,
    Measured,
    Result,
    current_value,
    finding_key,
    finding_subject,
    is_resolved,
    result,
    strongest_tie,
)
from mapping.model import Map, Relationship, Stance, new_id
from mapping.model.actions import COALITION, STANCE, STRENGTH, Expected, PlannedAction

__all__ = [
    "REACHED",
    "PARTLY",
    "NOT_REACHED",
    "FindingLike",
    "finding_subject",
    "finding_key",
    "action_from_finding",
    "current_value",
    "apply_changes",
    "Measured",
    "Result",
    "result",
    "is_resolved",
    "PlanSummary",
    "plan_summary",
    "summary_text",
    "OpenMarks",
    "open_marks",
    "AgreedRow",
    "agreed_rows",
]

_STEP_UP = {
    Stance.OPPOSED: Stance.SCEPTIC,
    Stance.SCEPTIC: Stance.NEUTRAL,
    Stance.NEUTRAL: Stance.SUPPORTER,
}


def _expected_for(f: FindingLike, m: Map, strong: int) -> list[Expected]:
    people = {s.id: s for s in m.stakeholders}
    others = [p for p in f.stakeholders if p in people and p != f.actor]
    if f.code.startswith(("recruitment.", "coverage.")):
        for p in others:
            if not people[p].coalition:
                return [Expected(COALITION, p, True, before=False)]
    out: list[Expected] = []
    for a, b in f.ties[:3]:
        if a in people and b in people and a != b:
            now = current_value(Expected(STRENGTH, a, 1, other=b), m)
            target = max(strong, min(5, int(now or 0) + 1))
            out.append(Expected(STRENGTH, a, target, other=b, before=now))
    if out:
        return out
    for p in others:
        step = _STEP_UP.get(people[p].stance)
        if step is not None:
            out.append(Expected(STANCE, p, step.value, before=people[p].stance.value))
    if out:
        return out[:3]
    if f.actor in people and others and f.code.startswith(("investment.", "silos.", "support.")):
        now = current_value(Expected(STRENGTH, f.actor or "", 1, other=others[0]), m)
        target = max(strong, min(5, int(now or 0) + 1))
        return [Expected(STRENGTH, f.actor or "", target, other=others[0], before=now)]
    return []


def action_from_finding(
    f: FindingLike,
    m: Map,
    *,
    today: date,
    due: date | None = None,
    strong_tie: int = 4,
    action_id: str | None = None,
) -> PlannedAction:
    """A planned action made from a finding's advice: who acts (the finding's actor, when
    the analysis knows one), with whom, and the expected change (a tie to ``strong_tie`` or
    one stronger, a stance one step more favourable, or joining the coalition), with the
    map's values now kept as the "before".

    >>> from mapping.analysis.findings import Finding, Severity
    >>> from mapping.model import Stakeholder
    >>> from mapping.model.actions import expected_text
    >>> m = Map(name="M", stakeholders=(Stakeholder("n", "Nadia"),
    ...     Stakeholder("r", "Richard", stance="sceptic")))
    >>> f = Finding("grid.unmanaged-opposition", Severity.HIGH, "T", "E", "Talk to Richard",
    ...             stakeholders=("r",), actor="n")
    >>> a = action_from_finding(f, m, today=date(2026, 3, 2))
    >>> a.what, a.actor, a.with_whom, [expected_text(e, m.names()) for e in a.expected]
    ('Talk to Richard', 'n', ('r',), ['Richard from sceptic to neutral'])
    """
    people = {s.id for s in m.stakeholders}
    actor = f.actor if f.actor in people else ""
    with_whom = tuple(dict.fromkeys(p for p in f.stakeholders if p in people and p != actor))
    return PlannedAction(
        id=action_id or new_id("a"),
        what=f.action.strip() or f.title,
        actor=actor or "",
        with_whom=with_whom,
        due=due,
        expected=tuple(_expected_for(f, m, strong_tie)),
        finding_code=f.code,
        finding_subject=finding_subject(f),
        finding_title=f.title,
        created_on=today,
    )


def apply_changes(m: Map, a: PlannedAction, today: date) -> Map:
    """``m`` with every change ``a`` expected made, confirmed ``today``: the tie's strength
    (a new tie if there was none), the stance, the coalition membership. People no longer on
    the map are passed over; ``m`` itself is left as it is."""
    stakeholders = {s.id: s for s in m.stakeholders}
    ties = list(m.relationships)
    for e in a.expected:
        if e.person not in stakeholders:
            continue
        if e.kind == STRENGTH:
            if e.other not in stakeholders:
                continue
            tie = strongest_tie(m, e.person, e.other)
            if tie is None:
                ties.append(
                    Relationship(
                        new_id("r"),
                        e.person,
                        e.other,
                        strength=int(e.value),
                        how_we_know=f"Engagement plan: {a.what}"[:500],
                        last_confirmed=today,
                    )
                )
            else:
                i = ties.index(tie)
                ties[i] = replace(tie, strength=int(e.value), last_confirmed=today)
        elif e.kind == STANCE:
            s = stakeholders[e.person]
            stakeholders[e.person] = replace(s, stance=Stance.parse(e.value))
        else:
            s = stakeholders[e.person]
            stakeholders[e.person] = replace(s, coalition=bool(e.value))
    people = tuple(stakeholders[s.id] for s in m.stakeholders)
    return replace(m, stakeholders=people, relationships=tuple(ties))
