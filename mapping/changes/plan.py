"""The engagement plan measured against the map: from a finding to an action, from an action
done to the change on the map, and whether it worked.

Pure functions of maps, findings and :class:`mapping.model.actions.PlannedAction`: nothing here
reads the database or mutates what it is given. The page and the report pass in the maps
(the current one, or one of its snapshots) and the findings.

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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from mapping.model import Map, Relationship, Stance, new_id
from mapping.model.actions import (
    COALITION,
    DONE,
    STANCE,
    STRENGTH,
    Expected,
    PlannedAction,
    expected_text,
    is_overdue,
    quarter_start,
    who_text,
)
from mapping.model.wording import long_date

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

REACHED = "reached"
PARTLY = "partly"
NOT_REACHED = "not reached"

#: Stances from most to least favourable (unknown is not on the scale).
_RANK = {s.value: i for i, s in enumerate(Stance) if s is not Stance.UNKNOWN}
_STEP_UP = {
    Stance.OPPOSED: Stance.SCEPTIC,
    Stance.SCEPTIC: Stance.NEUTRAL,
    Stance.NEUTRAL: Stance.SUPPORTER,
}


class FindingLike(Protocol):
    """What a plan needs of a finding (``mapping.analysis.findings.Finding`` has it)."""

    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def stakeholders(self) -> tuple[str, ...]: ...
    @property
    def ties(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def actor(self) -> str | None: ...


def finding_subject(f: FindingLike) -> str:
    """Who a finding is about, as text that stays the same while the finding holds.

    >>> from mapping.analysis.findings import Finding, Severity
    >>> f = Finding("investment.tie", Severity.HIGH, "T", "E", "A", stakeholders=("r", "n"),
    ...             ties=(("r", "n"),))
    >>> finding_subject(f)
    'n;r|n~r'
    """
    people = ";".join(sorted(set(f.stakeholders)))
    ties = ";".join(sorted({"~".join(sorted(t)) for t in f.ties}))
    return f"{people}|{ties}"


def finding_key(f: FindingLike) -> tuple[str, str]:
    """A finding's kind and subject: the same finding on two versions of a map has the same key."""
    return (f.code, finding_subject(f))


def _tie(m: Map, a: str, b: str) -> Relationship | None:
    found = [r for r in m.relationships if {r.source, r.target} == {a, b} and not r.is_conflict]
    return max(found, key=lambda r: r.strength) if found else None


def current_value(e: Expected, m: Map) -> int | str | bool | None:
    """The map's value of what ``e`` expects to change (``None``: no tie, or nobody)."""
    people = {s.id: s for s in m.stakeholders}
    person = people.get(e.person)
    if person is None:
        return None
    if e.kind == STRENGTH:
        tie = _tie(m, e.person, e.other)
        return tie.strength if tie else None
    if e.kind == STANCE:
        return person.stance.value
    return person.coalition


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
            tie = _tie(m, e.person, e.other)
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


@dataclass(frozen=True)
class Measured:
    """One expected change, with the values before and after and whether it came about."""

    expected: Expected
    before: int | str | bool | None
    after: int | str | bool | None
    verdict: str


@dataclass(frozen=True)
class Result:
    """Whether an action brought about the change it expected: reached, partly or not
    (``verdict`` is blank for an action that expected no change on the map)."""

    action: PlannedAction
    measured: tuple[Measured, ...]
    verdict: str


def _measure(e: Expected, before: int | str | bool | None, after: int | str | bool | None) -> str:
    if e.kind == STRENGTH:
        if isinstance(after, int) and after >= int(e.value):
            return REACHED
        if isinstance(after, int) and (before is None or after > int(before)):
            return PARTLY
        return NOT_REACHED
    if e.kind == STANCE:
        target, now = _RANK.get(str(e.value)), _RANK.get(str(after))
        if now is None or target is None:
            return NOT_REACHED
        if now <= target:
            return REACHED
        was = _RANK.get(str(before))
        return PARTLY if was is not None and now < was else NOT_REACHED
    return REACHED if after is not None and bool(after) == bool(e.value) else NOT_REACHED


def result(a: PlannedAction, after: Map, before: Map | None = None) -> Result:
    """Measure ``a`` on ``after`` (the map now), against ``before`` (a snapshot from when it was
    planned) or, without one, the values kept when it was planned.

    Each change is reached (the value or better), partly (moved towards it: a stronger tie, a
    more favourable stance) or not; the action is reached when all are, not reached when
    none moved, partly otherwise.
    """
    measured = []
    for e in a.expected:
        was = current_value(e, before) if before is not None else e.before
        now = current_value(e, after)
        measured.append(Measured(e, was, now, _measure(e, was, now)))
    verdicts = {x.verdict for x in measured}
    if not verdicts:
        verdict = ""
    elif verdicts == {REACHED}:
        verdict = REACHED
    elif verdicts == {NOT_REACHED}:
        verdict = NOT_REACHED
    else:
        verdict = PARTLY
    return Result(a, tuple(measured), verdict)


def is_resolved(a: PlannedAction, findings: Iterable[FindingLike]) -> bool | None:
    """Whether the finding the action came from no longer holds on the map the ``findings``
    are of (``None`` for an action written by hand, or whose finding can no longer be told)."""
    if not a.finding_code or not a.finding_subject:
        return None
    return (a.finding_code, a.finding_subject) not in {finding_key(f) for f in findings}


@dataclass(frozen=True)
class PlanSummary:
    """The plan in figures."""

    actions: int
    open: int
    overdue: int
    done_this_quarter: int
    measured: int
    reached: int
    share_reached: float | None
    gaps_closed: int
    gaps_opened: int
    began: date | None


def plan_summary(
    actions: Sequence[PlannedAction],
    results: Mapping[str, Result],
    today: date,
    findings_then: Iterable[FindingLike] = (),
    findings_now: Iterable[FindingLike] = (),
) -> PlanSummary:
    """Actions done this quarter, the share of done actions (with an expected change) that
    reached it, and the gaps closed and opened between ``findings_then`` (the map when the
    plan began) and ``findings_now``; ``results`` maps an action's id to its :func:`result`.

    >>> a = PlannedAction("a", "x", status=DONE, done_on=date(2026, 4, 2),
    ...                   created_on=date(2026, 3, 1))
    >>> s = plan_summary([a], {"a": Result(a, (), REACHED)}, date(2026, 5, 1))
    >>> s.done_this_quarter, s.share_reached, s.began
    (1, 1.0, datetime.date(2026, 3, 1))
    """
    start = quarter_start(today)
    done = [a for a in actions if a.status == DONE]
    measured = [results[a.id] for a in done if a.id in results and results[a.id].verdict]
    reached = sum(1 for r in measured if r.verdict == REACHED)
    then = {finding_key(f) for f in findings_then}
    now = {finding_key(f) for f in findings_now}
    return PlanSummary(
        actions=len(actions),
        open=sum(1 for a in actions if a.is_open),
        overdue=sum(1 for a in actions if is_overdue(a, today)),
        done_this_quarter=sum(1 for a in done if a.done_on and start <= a.done_on <= today),
        measured=len(measured),
        reached=reached,
        share_reached=reached / len(measured) if measured else None,
        gaps_closed=len(then - now),
        gaps_opened=len(now - then),
        began=min((a.created_on for a in actions), default=None),
    )


def summary_text(s: PlanSummary) -> str:
    """The plan summary in one plain sentence.

    >>> print(summary_text(PlanSummary(4, 2, 1, 2, 2, 1, 0.5, 3, 1, date(2026, 3, 1))))
    4 actions since 1 March 2026: 2 open (1 overdue); 2 done this quarter; 1 of 2 done actions reached the change expected (50%); 3 gaps closed and 1 opened since the plan began.
    """
    if not s.actions:
        return "No actions yet: make one from a finding, or write one by hand."
    share = (
        f"{s.reached} of {s.measured} done actions reached the change expected "
        f"({round(100 * s.share_reached)}%)"
        if s.share_reached is not None
        else "no done action has a change to measure yet"
    )
    began = f" since {long_date(s.began)}" if s.began else ""
    noun = "action" if s.actions == 1 else "actions"
    return (
        f"{s.actions} {noun}{began}: {s.open} open ({s.overdue} overdue); "
        f"{s.done_this_quarter} done this quarter; {share}; "
        f"{s.gaps_closed} {'gap' if s.gaps_closed == 1 else 'gaps'} closed and "
        f"{s.gaps_opened} opened since the plan began."
    )


@dataclass(frozen=True)
class OpenMarks:
    """The people and ties (pairs of ids, sorted) with open actions, for the map's toggle."""

    people: frozenset[str]
    ties: frozenset[tuple[str, str]]


def open_marks(actions: Iterable[PlannedAction], m: Map) -> OpenMarks:
    """Who and which ties open actions are about: who acts, with whom, the people whose
    stance or membership should change, and the ties that should grow (people still on ``m``).

    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M", stakeholders=(Stakeholder("n", "N"), Stakeholder("r", "R")))
    >>> a = PlannedAction("a", "x", actor="n", expected=(Expected(STRENGTH, "r", 4, other="n"),))
    >>> marks = open_marks([a, replace(a, id="b", actor="gone", status=DONE)], m)
    >>> sorted(marks.people), sorted(marks.ties)
    (['n', 'r'], [('n', 'r')])
    """
    on_map = {s.id for s in m.stakeholders}
    people: set[str] = set()
    ties: set[tuple[str, str]] = set()
    for a in actions:
        if not a.is_open:
            continue
        people.update(p for p in a.people() if p in on_map)
        for e in a.expected:
            if e.kind == STRENGTH and e.person in on_map and e.other in on_map:
                low, high = sorted((e.person, e.other))
                ties.add((low, high))
    return OpenMarks(frozenset(people), frozenset(ties))


@dataclass(frozen=True)
class AgreedRow:
    """One line of "What we agreed and what happened", in words."""

    what: str
    who: str
    due: str
    status: str
    happened: str
    overdue: bool


def agreed_rows(
    actions: Sequence[PlannedAction], m: Map, today: date, findings_now: Iterable[FindingLike] = ()
) -> list[AgreedRow]:
    """The report's rows: actions done (what was expected, what happened on the map, whether
    the finding is resolved) and overdue actions, overdue first, then done latest first.

    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M", stakeholders=(Stakeholder("n", "Nadia"),))
    >>> late = PlannedAction("a", "Call the council", actor="n", due=date(2026, 3, 1))
    >>> [(r.who, r.status, r.overdue) for r in agreed_rows([late], m, date(2026, 3, 2))]
    [('Nadia', 'overdue since 1 March 2026', True)]
    """
    names = m.names()
    findings = list(findings_now)
    keyed: list[tuple[int, int, AgreedRow]] = []
    for a in actions:
        due = long_date(a.due) if a.due else ""
        if is_overdue(a, today) and a.due is not None:
            row = AgreedRow(a.what, who_text(a, names), due, f"overdue since {due}", "", True)
            keyed.append((0, a.due.toordinal(), row))
        elif a.status == DONE:
            parts = []
            for x in result(a, m).measured:
                target = expected_text(x.expected, names)
                parts.append(f"{target}: {x.verdict} (now {_said(x.after)})")
            resolved = is_resolved(a, findings)
            if resolved is not None:
                parts.append("the finding is resolved" if resolved else "the finding still holds")
            if a.outcome:
                parts.append(a.outcome)
            when = f"done {long_date(a.done_on)}" if a.done_on else "done"
            row = AgreedRow(a.what, who_text(a, names), due, when, "; ".join(parts), False)
            keyed.append((1, -(a.done_on or date.min).toordinal(), row))
    return [row for *_, row in sorted(keyed, key=lambda k: (k[0], k[1]))]


def _said(value: int | str | bool | None) -> str:
    if value is None:
        return "no tie"
    if isinstance(value, bool):
        return "in the coalition" if value else "not in the coalition"
    return str(value)
