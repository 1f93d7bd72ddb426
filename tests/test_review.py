"""Staleness and review: thresholds at their boundaries, ordering, one-click confirmation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from mapping.analysis.quality import is_stale
from mapping.changes.review import (
    RELATIONSHIP,
    STAKEHOLDER,
    confirm_relationships,
    needs_review,
    next_review,
    set_review_dates,
    stale_ties,
)
from mapping.errors import NotFoundError, ValidationError
from mapping.model import Map, Relationship, Stakeholder


def two_people(last_confirmed=None, review_by=None, **tie) -> Map:
    people = (
        Stakeholder("a", "Ann", review_by=review_by),
        Stakeholder("b", "Bo", review_by=date(2099, 1, 1)),
    )
    ties = (Relationship("r1", "a", "b", last_confirmed=last_confirmed, **tie),)
    return Map("M", stakeholders=people, relationships=ties)


@pytest.mark.parametrize(
    ("confirmed", "today", "months", "overdue"),
    [
        (date(2025, 6, 1), date(2026, 5, 31), 12, None),  # the day before the anniversary
        (date(2025, 6, 1), date(2026, 6, 1), 12, 0),  # due on the anniversary
        (date(2025, 6, 1), date(2026, 6, 2), 12, 1),
        (date(2026, 1, 31), date(2026, 2, 28), 1, None),  # no 31 February: due 1 March
        (date(2026, 1, 31), date(2026, 3, 1), 1, 0),
        (date(2024, 2, 29), date(2025, 2, 28), 12, None),
        (date(2024, 2, 29), date(2025, 3, 1), 12, 0),
        (date(2026, 3, 15), date(2026, 9, 14), 6, None),
        (date(2026, 3, 15), date(2026, 9, 15), 6, 0),
    ],
)
def test_a_tie_falls_due_on_its_anniversary(confirmed, today, months, overdue):
    items = needs_review(two_people(confirmed), today, stale_months=months, include_undated=False)
    ties = [i for i in items if i.kind == RELATIONSHIP]
    assert [i.overdue_days for i in ties] == ([] if overdue is None else [overdue])
    # the same boundary as the data-quality check and the investment analysis
    assert is_stale(confirmed, today, months) is (overdue is not None)
    assert stale_ties(two_people(confirmed), today, stale_months=months) == (
        [] if overdue is None else [("a", "b")]
    )


@pytest.mark.parametrize(
    ("review_by", "today", "within", "overdue"),
    [
        (date(2026, 3, 1), date(2026, 2, 28), 0, None),
        (date(2026, 3, 1), date(2026, 3, 1), 0, 0),  # due today counts
        (date(2026, 3, 1), date(2026, 3, 11), 0, 10),
        (date(2026, 3, 1), date(2026, 2, 22), 7, -7),  # due in exactly a week: listed
        (date(2026, 3, 1), date(2026, 2, 21), 7, None),  # due in eight days: not yet
    ],
)
def test_a_review_falls_due_on_its_date(review_by, today, within, overdue):
    m = two_people(date(2099, 1, 1), review_by)
    people = [
        i
        for i in needs_review(m, today, within_days=within, include_undated=False)
        if i.kind == STAKEHOLDER
    ]
    assert [i.overdue_days for i in people] == ([] if overdue is None else [overdue])


def test_list_is_sorted_by_how_overdue_then_undated_ties_then_undated_people():
    people = (
        Stakeholder("a", "Ann", review_by=date(2026, 4, 1)),  # 30 days overdue
        Stakeholder("b", "Bo", review_by=date(2026, 5, 1)),  # due today
        Stakeholder("c", "Cy"),  # no review date
        Stakeholder("d", "Di", review_by=date(2026, 12, 1)),  # not due
    )
    ties = (
        Relationship("r1", "a", "b", last_confirmed=date(2025, 1, 1)),  # due 2026-01-01: 120
        Relationship("r2", "b", "c"),  # never confirmed
        Relationship("r3", "c", "d", last_confirmed=date(2025, 4, 1)),  # due 2026-04-01: 30
        Relationship("r4", "a", "d", last_confirmed=date(2026, 4, 1)),  # current
    )
    m = Map("M", stakeholders=people, relationships=ties)
    items = needs_review(m, date(2026, 5, 1), include_unconfirmed=True)
    assert [(i.subject, i.overdue_days) for i in items] == [
        ("r1", 120),
        ("r3", 30),  # a relationship before a stakeholder equally overdue
        ("a", 30),
        ("b", 0),
        ("r2", None),
        ("c", None),
    ]
    assert [i.status for i in items] == [
        "120 days overdue",
        "30 days overdue",
        "30 days overdue",
        "due today",
        "never confirmed",
        "no review date set",
    ]
    assert items[0].label == "Ann and Bo (collaborates)" and items[0].due == date(2026, 1, 1)


def test_empty_map_needs_no_review():
    assert needs_review(Map("M"), date(2026, 1, 1)) == []


def test_confirming_sets_today_and_takes_the_tie_off_the_list():
    m = two_people(date(2024, 1, 1))
    today = date(2026, 5, 12)
    new = confirm_relationships(m, ["r1"], today)
    assert new.relationships[0].last_confirmed == today
    assert m.relationships[0].last_confirmed == date(2024, 1, 1)  # input unchanged
    assert [i.subject for i in needs_review(new, today) if i.kind == RELATIONSHIP] == []
    assert replace(new.relationships[0], last_confirmed=None) == replace(
        m.relationships[0], last_confirmed=None
    )


def test_reviewing_a_person_sets_their_next_review():
    m = two_people(date(2026, 5, 1), date(2026, 1, 1))
    today = date(2026, 5, 12)
    new = set_review_dates(m, ["a"], next_review(today, 6))
    assert new.stakeholder("a").review_by == date(2026, 11, 12)
    assert [i.subject for i in needs_review(new, today)] == []


def test_confirming_someone_not_on_the_map_says_so():
    with pytest.raises(NotFoundError, match="'zz'"):
        confirm_relationships(two_people(), ["zz"], date(2026, 1, 1))
    with pytest.raises(NotFoundError, match="'zz'"):
        set_review_dates(two_people(), ["zz"], date(2026, 1, 1))


def test_months_must_be_at_least_one():
    with pytest.raises(ValidationError, match="at least 1"):
        needs_review(two_people(), date(2026, 1, 1), stale_months=0)
