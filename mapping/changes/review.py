"""Staleness and review: ties due for confirming and people due for review, most overdue first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from mapping.analysis.quality import confirm_by
from mapping.errors import NotFoundError, ValidationError
from mapping.model import Map
from mapping.model.wording import long_date

__all__ = [
    "RELATIONSHIP",
    "STAKEHOLDER",
    "ReviewItem",
    "needs_review",
    "in_place",
    "stale_ties",
    "next_review",
    "confirm_relationships",
    "set_review_dates",
    "describe",
]

RELATIONSHIP = "relationship"
STAKEHOLDER = "stakeholder"


@dataclass(frozen=True)
class ReviewItem:
    """A relationship due for confirming or a stakeholder due for review.

    ``due`` is the day it fell (or falls) due, ``None`` when it has no date at all (a tie
    never confirmed, a person with no review-by date); ``overdue_days`` counts days past
    ``due`` (0 = due today, negative = due soon), ``None`` without a date.
    """

    kind: str
    subject: str
    stakeholders: tuple[str, ...]
    label: str
    due: date | None
    overdue_days: int | None

    @property
    def status(self) -> str:
        """How overdue, in words."""
        if self.overdue_days is None:
            return "never confirmed" if self.kind == RELATIONSHIP else "no review date set"
        n = self.overdue_days
        if n == 0:
            return "due today"
        if n < 0:
            return f"due in {-n} day{'s' if n != -1 else ''}"
        return f"{n} day{'s' if n != 1 else ''} overdue"


def _check_months(months: int) -> None:
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        msg = f"Months before a review falls due must be a whole number of at least 1, got {months!r}."
        raise ValidationError(msg)


def needs_review(
    m: Map,
    today: date,
    *,
    stale_months: int = 12,
    within_days: int = 0,
    include_undated: bool = True,
    include_unconfirmed: bool = False,
) -> list[ReviewItem]:
    """Everything to review, the most overdue first, then the undated.

    A relationship falls due ``stale_months`` calendar months after it was last confirmed
    (on the anniversary, as :func:`mapping.analysis.quality.is_stale` counts); a
    stakeholder on their review-by date. Items due within the next ``within_days`` days are
    listed too. Undated items come last: relationships never confirmed (only with
    ``include_unconfirmed``: they are not stale, and the data-quality findings count them
    once), then stakeholders with no review date (unless ``include_undated`` is false).

    Examples
    --------
    >>> from mapping.model import Relationship, Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", review_by=date(2026, 3, 1)),
    ...     Stakeholder("b", "Bo", review_by=date(2026, 6, 1))),
    ...     relationships=(Relationship("r1", "a", "b", last_confirmed=date(2025, 1, 10)),))
    >>> [(i.label, i.status) for i in needs_review(m, date(2026, 3, 1))]
    [('Ann and Bo (collaborates)', '50 days overdue'), ('Ann', 'due today')]
    """
    _check_months(stale_months)
    names = m.names()
    dated: list[ReviewItem] = []
    undated: list[ReviewItem] = []
    for r in m.relationships:
        label = f"{names.get(r.source, r.source)} and {names.get(r.target, r.target)} ({r.type})"
        ends = (r.source, r.target)
        if r.last_confirmed is None:
            if include_unconfirmed:
                undated.append(ReviewItem(RELATIONSHIP, r.id, ends, label, None, None))
            continue
        due = confirm_by(r.last_confirmed, stale_months)
        late = (today - due).days
        if late >= -within_days:
            dated.append(ReviewItem(RELATIONSHIP, r.id, ends, label, due, late))
    people: list[ReviewItem] = []
    for s in m.stakeholders:
        if s.review_by is None:
            people.append(ReviewItem(STAKEHOLDER, s.id, (s.id,), s.name, None, None))
            continue
        late = (today - s.review_by).days
        if late >= -within_days:
            dated.append(ReviewItem(STAKEHOLDER, s.id, (s.id,), s.name, s.review_by, late))
    dated.sort(key=lambda i: (-(i.overdue_days or 0), i.kind, i.label.casefold(), i.subject))
    return dated + undated + (people if include_undated else [])


def in_place(
    items: Sequence[ReviewItem],
    listed: Sequence[tuple[str, str]],
    done: Mapping[tuple[str, str], ReviewItem],
) -> list[tuple[ReviewItem, bool]]:
    """The ``items`` due, in their order, each with ``False``; and each item of ``done``
    (confirmed meanwhile, by ``(kind, subject)``) that is no longer due put back, with
    ``True``, in the place it had in ``listed`` (the rows as last listed, by the same key).

    A confirmed row keeps its place, so the rows below it do not move up under the pointer
    (a second click confirms nothing else) and the page changes by one row.

    >>> a, b, c = (ReviewItem(STAKEHOLDER, x, (x,), x.upper(), None, None) for x in "abc")
    >>> rows = in_place([a, c], [("stakeholder", "a"), ("stakeholder", "b"), ("stakeholder", "c")],
    ...                 {("stakeholder", "b"): b})
    >>> [(item.subject, confirmed) for item, confirmed in rows]
    [('a', False), ('b', True), ('c', False)]
    >>> [i.subject for i, _ in in_place([a, b], [("stakeholder", "b")], {("stakeholder", "b"): b})]
    ['a', 'b']
    """
    rows = [(item, False) for item in items]
    due = {(item.kind, item.subject) for item in items}
    for place, key in enumerate(listed):
        if key in done and key not in due:
            rows.insert(min(place, len(rows)), (done[key], True))
    return rows


def stale_ties(m: Map, today: date, *, stale_months: int = 12) -> list[tuple[str, str]]:
    """The pairs of people whose relationship is stale (due for confirming), in map order.

    Ties never confirmed are not stale (see :func:`mapping.analysis.quality.is_stale`).

    >>> from mapping.model import Relationship, Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")),
    ...     relationships=(Relationship("r1", "a", "b", last_confirmed=date(2025, 6, 1)),))
    >>> stale_ties(m, date(2026, 5, 31)), stale_ties(m, date(2026, 6, 1))
    ([], [('a', 'b')])
    """
    items = needs_review(m, today, stale_months=stale_months)
    due = {i.subject for i in items if i.kind == RELATIONSHIP}
    return [(r.source, r.target) for r in m.relationships if r.id in due]


def next_review(today: date, months: int = 12) -> date:
    """The review-by date ``months`` calendar months after ``today``.

    >>> next_review(date(2026, 1, 31), 1), next_review(date(2026, 5, 12))
    (datetime.date(2026, 3, 1), datetime.date(2027, 5, 12))
    """
    _check_months(months)
    return confirm_by(today, months)


def _unknown(kind: str, missing: Iterable[str]) -> None:
    gone = sorted(missing)
    if gone:
        msg = (
            f"Cannot update {kind} {', '.join(map(repr, gone))}: not on this map any more; "
            "reload the page."
        )
        raise NotFoundError(msg)


def confirm_relationships(m: Map, ids: Iterable[str], today: date) -> Map:
    """A copy of ``m`` in which these relationships were last confirmed ``today``.

    >>> from mapping.model import Relationship, Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")),
    ...     relationships=(Relationship("r1", "a", "b"),))
    >>> confirm_relationships(m, ["r1"], date(2026, 5, 12)).relationships[0].last_confirmed
    datetime.date(2026, 5, 12)
    """
    chosen = set(ids)
    _unknown("relationship", chosen - {r.id for r in m.relationships})
    return m.with_relationships(
        replace(r, last_confirmed=today) if r.id in chosen else r for r in m.relationships
    )


def set_review_dates(m: Map, ids: Iterable[str], review_by: date) -> Map:
    """A copy of ``m`` in which these stakeholders are next reviewed on ``review_by``.

    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann"),))
    >>> set_review_dates(m, ["a"], date(2027, 1, 1)).stakeholder("a").review_by
    datetime.date(2027, 1, 1)
    """
    chosen = set(ids)
    _unknown("stakeholder", chosen - {s.id for s in m.stakeholders})
    return replace(
        m,
        stakeholders=tuple(
            replace(s, review_by=review_by) if s.id in chosen else s for s in m.stakeholders
        ),
    )


def describe(item: ReviewItem) -> str:
    """One line for a list: what, when due, how overdue."""
    if item.due is None:
        return f"{item.label}: {item.status}"
    return f"{item.label}: due {long_date(item.due)}, {item.status}"
