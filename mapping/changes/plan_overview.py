"""The engagement plan looked back on: the plan in figures and in one sentence, the people and
ties open actions are about (for the map's toggle), and the report's "What we agreed and what
happened" rows.

Pure functions of actions, maps and findings (:mod:`mapping.changes.plan` offers these names
too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from mapping.changes.plan_results import (
    REACHED,
    FindingLike,
    Result,
    finding_key,
    is_resolved,
    result,
)
from mapping.model import Map
from mapping.model.actions import (
    DONE,
    STRENGTH,
    PlannedAction,
    expected_text,
    is_overdue,
    quarter_start,
    who_text,
)
from mapping.model.wording import long_date

__all__ = [
    "PlanSummary",
    "plan_summary",
    "summary_text",
    "OpenMarks",
    "open_marks",
    "AgreedRow",
    "agreed_rows",
]


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

    >>> from dataclasses import replace
    >>> from mapping.model import Stakeholder
    >>> from mapping.model.actions import Expected
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
