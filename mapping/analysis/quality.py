"""Data quality: isolated people, stale or unconfirmed ties, overdue reviews, missing details."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.perspectives import UNSPECIFIED
from mapping.analysis.sources import TIMMINS_2015
from mapping.model import Map, Stance
from mapping.model.wording import long_date, truncate

__all__ = [
    "METHOD",
    "SOURCE",
    "NEVER_CONFIRMED",
    "STALE",
    "REVIEW_OVERDUE",
    "FUTURE_DATE",
    "ISOLATED",
    "MISSING",
    "QualityIssue",
    "confirm_by",
    "is_stale",
    "isolated",
    "looks_like_people",
    "quality_issues",
    "findings",
]

METHOD = (
    "Checks of the map's own dates and fields against a given date: a tie confirmed exactly "
    "stale_months calendar months ago is stale (due on its anniversary); a tie with no date "
    "(never confirmed, e.g. imported) is not stale but counted once as not yet confirmed; a "
    "review dated today is due."
)

SOURCE = TIMMINS_2015

NEVER_CONFIRMED = "never confirmed"
STALE = "stale"
REVIEW_OVERDUE = "review overdue"
FUTURE_DATE = "future date"
ISOLATED = "isolated"
MISSING = "missing information"
_ORDER = (REVIEW_OVERDUE, STALE, FUTURE_DATE, NEVER_CONFIRMED, ISOLATED, MISSING)
_TIE_KINDS = (STALE, FUTURE_DATE, NEVER_CONFIRMED)


@dataclass(frozen=True)
class QualityIssue:
    """One gap in the map's data.

    ``subject`` is the id of the stakeholder or relationship; ``overdue_days`` is how many
    days past due a dated check is (0 means due today), ``None`` when nothing was due.
    """

    kind: str
    subject: str
    stakeholders: tuple[str, ...]
    description: str
    overdue_days: int | None = None


@lru_cache(maxsize=8192)
def confirm_by(last_confirmed: date, stale_months: int = 12) -> date:
    """The day a tie falls due for confirming: its anniversary after ``stale_months`` months.

    When that month is too short (29 February), the tie falls due the day after its end.

    Examples
    --------
    >>> confirm_by(date(2025, 6, 1))
    datetime.date(2026, 6, 1)
    >>> confirm_by(date(2024, 2, 29))
    datetime.date(2025, 3, 1)
    """
    index = last_confirmed.year * 12 + last_confirmed.month - 1 + stale_months
    year, month = divmod(index, 12)
    if last_confirmed.day <= calendar.monthrange(year, month + 1)[1]:
        return date(year, month + 1, last_confirmed.day)
    year, month = divmod(index + 1, 12)
    return date(year, month + 1, 1)


def is_stale(last_confirmed: date | None, today: date, stale_months: int = 12) -> bool:
    """Whether a tie is due for confirming: last confirmed ``stale_months`` or more ago.

    The one staleness rule of the map, the picture, the findings and Needs review. A tie
    with no date at all (never confirmed, e.g. imported) is not stale: it is drawn like any
    other and counted once, in the "never confirmed" data-quality finding.

    Examples
    --------
    >>> is_stale(date(2025, 6, 1), date(2026, 6, 1))  # exactly twelve months: stale
    True
    >>> is_stale(date(2025, 6, 2), date(2026, 6, 1))
    False
    >>> is_stale(None, date(2026, 6, 1))  # never confirmed: not yet, rather than stale
    False
    """
    return last_confirmed is not None and today >= confirm_by(last_confirmed, stale_months)


def _days(n: int) -> str:
    return "due today" if n == 0 else f"{n} day{'s' if n != 1 else ''} overdue"


def isolated(m: Map) -> list[str]:
    """Stakeholders with no recorded relationship of any kind, in map order.

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> isolated(Map("M", stakeholders=(Stakeholder("a", "Ann"),)))
    ['a']
    """
    tied = {end for r in m.relationships for end in (r.source, r.target)}
    return [s.id for s in m.stakeholders if s.id not in tied]


def _relationship_issues(m: Map, today: date, stale_months: int) -> Iterable[QualityIssue]:
    names = m.names()
    for r in m.relationships:
        pair = f"{names.get(r.source, r.source)} and {names.get(r.target, r.target)} ({r.type})"
        ends = (r.source, r.target)
        if r.last_confirmed is None:
            yield QualityIssue(NEVER_CONFIRMED, r.id, ends, f"{pair}: never confirmed")
        elif r.last_confirmed > today:
            text = f"{pair}: last confirmed date {long_date(r.last_confirmed)} is in the future"
            yield QualityIssue(FUTURE_DATE, r.id, ends, text)
        elif is_stale(r.last_confirmed, today, stale_months):
            late = (today - confirm_by(r.last_confirmed, stale_months)).days
            text = f"{pair}: last confirmed {long_date(r.last_confirmed)}, {_days(late)}"
            yield QualityIssue(STALE, r.id, ends, text, late)


def _stakeholder_issues(m: Map, today: date) -> Iterable[QualityIssue]:
    alone = set(isolated(m))
    for s in m.stakeholders:
        if s.review_by is not None and s.review_by <= today:
            late = (today - s.review_by).days
            text = f"{s.name}: review was due {long_date(s.review_by)}, {_days(late)}"
            yield QualityIssue(REVIEW_OVERDUE, s.id, (s.id,), text, late)
        if s.id in alone:
            yield QualityIssue(ISOLATED, s.id, (s.id,), f"{s.name}: no relationships recorded")
        missing = []
        if s.stance is Stance.UNKNOWN:
            missing.append("stance")
        if s.perspective == UNSPECIFIED:
            missing.append("perspective")
        if not s.organisation.strip():
            missing.append("organisation")
        if missing:
            text = f"{s.name}: {' and '.join(missing)} not recorded"
            yield QualityIssue(MISSING, s.id, (s.id,), text)


def quality_issues(m: Map, today: date, stale_months: int = 12) -> list[QualityIssue]:
    """Every data-quality issue in the map, the most overdue first.

    Dated issues (overdue reviews, stale ties) come first, most days overdue first; then
    dates in the future, ties never confirmed, people with no ties and missing details.

    Parameters
    ----------
    m : Map
        The map to check; it is not changed.
    today : date
        The date to judge against (pass it in: analysis never reads the clock).
    stale_months : int, optional
        A tie confirmed this many calendar months ago or more is stale.

    Examples
    --------
    >>> from mapping.model import Relationship, Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", "ICB", stance="champion",
    ...     perspective="clinical"), Stakeholder("b", "Bo", "ICB", stance="supporter",
    ...     perspective="clinical")), relationships=(Relationship("r1", "a", "b",
    ...     last_confirmed=date(2025, 1, 10)),))
    >>> [i.description for i in quality_issues(m, today=date(2026, 1, 20))]
    ['Ann and Bo (collaborates): last confirmed 10 January 2025, 10 days overdue']
    """
    issues = [*_relationship_issues(m, today, stale_months), *_stakeholder_issues(m, today)]
    issues.sort(
        key=lambda i: (
            i.overdue_days is None,
            -(i.overdue_days or 0),
            _ORDER.index(i.kind),
            i.description,
        )
    )
    return issues


_TEXT = {
    REVIEW_OVERDUE: (
        Severity.MEDIUM,
        "{n} stakeholder review{s} overdue",
        "Check where each of them now stands, update their stance and influence, and set a "
        "new review date.",
    ),
    STALE: (
        Severity.MEDIUM,
        "{n} relationship{s} not confirmed in the last {months} months",
        "Check in with the people on each side: is the relationship as strong as recorded? "
        "Update its strength and confirm it.",
    ),
    FUTURE_DATE: (
        Severity.LOW,
        "{n} relationship{s} confirmed on a date in the future",
        "Correct the last-confirmed date.",
    ),
    NEVER_CONFIRMED: (
        Severity.LOW,
        "{n} relationship{s} never confirmed",
        "Confirm them when you next speak to the people involved and record the date (the "
        "Needs review page can list them one by one); until then they are drawn like any "
        "other relationship.",
    ),
    ISOLATED: (
        Severity.LOW,
        "{n} stakeholder{s} with no recorded relationships",
        "Record who they work with, or remove them if they no longer matter to the change.",
    ),
    MISSING: (
        Severity.LOW,
        "{n} stakeholder{s} missing stance, perspective or organisation",
        "Fill in the missing details: stance drives recruitment, perspective drives coverage "
        "and organisation separates internal from external support.",
    ),
}


def looks_like_people(m: Map) -> bool:
    """Whether the map's elements look like people: someone has a perspective or a stance.

    A map of agencies, systems or steps (nobody with a perspective but the catch-all, and
    nobody with a stance) does not: the people-centred findings may not apply to it.

    >>> from mapping.model import Stakeholder
    >>> looks_like_people(Map("M", stakeholders=(Stakeholder("a", "Agency A"),) * 3))
    False
    >>> looks_like_people(Map("M", stakeholders=(Stakeholder("a", "Ann", stance="champion"),)))
    True
    """
    if len(m.stakeholders) < 3:
        return True
    return any(
        (s.perspective and s.perspective != "other") or s.stance.value != "unknown"
        for s in m.stakeholders
    )


def _not_people(m: Map) -> Finding:
    n = len(m.stakeholders)
    return Finding(
        code="quality.not-people",
        severity=Severity.MEDIUM,
        title="This map may not be of people: the people-centred findings may not apply",
        explanation=(
            f"None of the {n} elements on the map has a perspective or a stance. Findings "
            "about the coalition, its voices, key people and who to bring in assume a map of "
            "people with views of the change; on a map of agencies, systems or steps they may "
            "not mean much."
        ),
        action=(
            "If these are people, record their perspective and stance on the Stakeholders "
            "page. If they are organisations, read the findings about ties and pieces, and "
            "map the people inside them when you can."
        ),
        evidence={"count": n},
    )


def findings(m: Map, today: date, *, stale_months: int = 12) -> list[Finding]:
    """One finding per kind of data-quality issue, naming the first few people or ties.

    A map whose elements do not look like people (:func:`looks_like_people`) first gets a
    ``quality.not-people`` finding.

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", "ICB", stance="champion",
    ...     perspective="clinical", review_by=date(2026, 1, 1)),))
    >>> [f.title for f in findings(m, today=date(2026, 1, 2))]
    ['1 stakeholder review overdue', '1 stakeholder with no recorded relationships']
    """
    issues = quality_issues(m, today, stale_months)
    ties = {r.id: (r.source, r.target) for r in m.relationships}
    out = [] if looks_like_people(m) else [_not_people(m)]
    for kind in _ORDER:
        chosen = [i for i in issues if i.kind == kind]
        if not chosen:
            continue
        severity, title, action = _TEXT[kind]
        n = len(chosen)
        people = tuple(dict.fromkeys(u for i in chosen for u in i.stakeholders))
        out.append(
            Finding(
                code=f"quality.{kind.replace(' ', '-')}",
                severity=severity,
                title=title.format(n=n, s="" if n == 1 else "s", months=stale_months),
                explanation="; ".join(truncate([i.description for i in chosen], 5)) + ".",
                action=action,
                stakeholders=people,
                ties=tuple(ties[i.subject] for i in chosen if kind in _TIE_KINDS),
                evidence={
                    "count": n,
                    "subjects": [i.subject for i in chosen],
                    "overdue_days": [i.overdue_days for i in chosen],
                },
            )
        )
    return out
