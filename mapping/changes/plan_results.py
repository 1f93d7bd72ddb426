"""Whether an engagement action worked: a finding's lasting key, the map's value of what an
action expects to change, and each change measured as reached, partly or not reached.

Pure functions of maps, findings and :class:`mapping.model.actions.PlannedAction`
(:mod:`mapping.changes.plan` offers these names too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from mapping.model import Map, Relationship, Stance
from mapping.model.actions import STANCE, STRENGTH, Expected, PlannedAction

__all__ = [
    "REACHED",
    "PARTLY",
    "NOT_REACHED",
    "FindingLike",
    "finding_subject",
    "finding_key",
    "strongest_tie",
    "current_value",
    "Measured",
    "Result",
    "result",
    "is_resolved",
]

REACHED = "reached"
PARTLY = "partly"
NOT_REACHED = "not reached"

#: Stances from most to least favourable (unknown is not on the scale).
_RANK = {s.value: i for i, s in enumerate(Stance) if s is not Stance.UNKNOWN}


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


def strongest_tie(m: Map, a: str, b: str) -> Relationship | None:
    """The strongest tie between ``a`` and ``b`` that is not a conflict (``None``: none)."""
    found = [r for r in m.relationships if {r.source, r.target} == {a, b} and not r.is_conflict]
    return max(found, key=lambda r: r.strength) if found else None


def current_value(e: Expected, m: Map) -> int | str | bool | None:
    """The map's value of what ``e`` expects to change (``None``: no tie, or nobody)."""
    people = {s.id: s for s in m.stakeholders}
    person = people.get(e.person)
    if person is None:
        return None
    if e.kind == STRENGTH:
        tie = strongest_tie(m, e.person, e.other)
        return tie.strength if tie else None
    if e.kind == STANCE:
        return person.stance.value
    return person.coalition


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
