"""Data quality: stale and unconfirmed ties, overdue reviews, isolated people, missing details."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from mapping.analysis.findings import Severity
from mapping.analysis.quality import (
    FUTURE_DATE,
    ISOLATED,
    MISSING,
    NEVER_CONFIRMED,
    REVIEW_OVERDUE,
    STALE,
    confirm_by,
    findings,
    is_stale,
    isolated,
    quality_issues,
)
from mapping.model import Map, Relationship, Stakeholder

TODAY = date(2026, 10, 1)


def two_people(confirmed: date | None = None, review_by: date | None = None) -> Map:
    people = (
        Stakeholder(
            "a", "Ann", "ICB", perspective="clinical", stance="champion", review_by=review_by
        ),
        Stakeholder("b", "Bo", "Trust", perspective="provider", stance="supporter"),
    )
    ties = (Relationship("r1", "a", "b", last_confirmed=confirmed),)
    return Map("M", stakeholders=people, relationships=ties)


@pytest.mark.parametrize(
    ("confirmed", "today", "stale"),
    [
        (date(2025, 6, 1), date(2026, 6, 1), True),  # exactly twelve months: due today
        (date(2025, 6, 2), date(2026, 6, 1), False),  # one day short of twelve months
        (date(2024, 2, 29), date(2025, 2, 28), False),  # leap day: anniversary is 1 March
        (date(2024, 2, 29), date(2025, 3, 1), True),
        (None, date(2026, 6, 1), False),  # never confirmed: not yet, rather than stale
    ],
)
def test_stale_boundary_is_the_anniversary(confirmed, today, stale):
    assert is_stale(confirmed, today) is stale


@pytest.mark.parametrize(
    ("confirmed", "months", "due"),
    [
        (date(2025, 6, 1), 12, date(2026, 6, 1)),
        (date(2024, 2, 29), 12, date(2025, 3, 1)),
        (date(2025, 8, 31), 6, date(2026, 3, 1)),  # 31 February does not exist
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
    ],
)
def test_confirm_by_agrees_with_is_stale(confirmed, months, due):
    assert confirm_by(confirmed, months) == due
    assert is_stale(confirmed, due, months)
    assert not is_stale(confirmed, date.fromordinal(due.toordinal() - 1), months)


def test_a_tie_confirmed_exactly_twelve_months_ago_is_stale_and_due_today():
    (issue,) = quality_issues(two_people(confirmed=date(2025, 10, 1)), TODAY)
    assert issue.kind == STALE
    assert issue.overdue_days == 0
    assert issue.description == (
        "Ann and Bo (collaborates): last confirmed 1 October 2025, due today"
    )
    assert quality_issues(two_people(confirmed=date(2025, 10, 2)), TODAY) == []


def test_stale_months_is_a_parameter():
    m = two_people(confirmed=date(2026, 3, 1))
    assert quality_issues(m, TODAY) == []
    (issue,) = quality_issues(m, TODAY, stale_months=6)
    assert (issue.kind, issue.overdue_days) == (STALE, 30)  # due 1 September 2026


def test_review_due_today_counts_and_tomorrow_does_not():
    (issue,) = quality_issues(two_people(date(2026, 9, 1), review_by=TODAY), TODAY)
    assert (issue.kind, issue.overdue_days) == (REVIEW_OVERDUE, 0)
    assert quality_issues(two_people(date(2026, 9, 1), review_by=date(2026, 10, 2)), TODAY) == []


def test_a_confirmation_in_the_future_is_flagged():
    (issue,) = quality_issues(two_people(confirmed=date(2027, 1, 1)), TODAY)
    assert issue.kind == FUTURE_DATE
    assert "1 January 2027 is in the future" in issue.description


def test_small_map_issues_most_overdue_first(small_map):
    issues = quality_issues(small_map, TODAY)
    assert [(i.kind, i.subject, i.overdue_days) for i in issues] == [
        (REVIEW_OVERDUE, "fay", 243),  # due 31 January 2026
        (NEVER_CONFIRMED, "r2", None),  # Ann Clark and Cat Jones (alphabetical after that)
        (NEVER_CONFIRMED, "r3", None),  # Ann Clark and Dan Okafor
        (NEVER_CONFIRMED, "r4", None),  # Dan Okafor and Eve Lewis
        (NEVER_CONFIRMED, "r5", None),  # Dr Bob Singh and Cat Jones (conflict)
        (ISOLATED, "fay", None),
        (MISSING, "fay", None),
    ]
    assert issues[-1].description == "Fay Brown: stance not recorded"


def test_other_perspective_and_blank_organisation_are_missing_details():
    m = Map("M", stakeholders=(Stakeholder("a", "Ann", perspective="other", stance="opposed"),))
    issues = quality_issues(m, TODAY)
    assert [i.description for i in issues if i.kind == MISSING] == [
        "Ann: perspective and organisation not recorded"
    ]


def test_isolated_counts_conflict_ties_as_recorded(small_map):
    assert isolated(small_map) == ["fay"]


def test_findings_group_issues_by_kind(small_map):
    out = findings(small_map, TODAY)
    assert [f.title for f in out] == [
        "1 stakeholder review overdue",
        "4 relationships never confirmed",
        "1 stakeholder with no recorded relationships",
        "1 stakeholder missing stance, perspective or organisation",
    ]
    review, never = out[0], out[1]
    assert review.severity is Severity.MEDIUM
    assert review.stakeholders == ("fay",)
    assert review.explanation == "Fay Brown: review was due 31 January 2026, 243 days overdue."
    assert never.ties == (("ann", "cat"), ("ann", "dan"), ("dan", "eve"), ("bob", "cat"))
    assert never.evidence["count"] == 4


def test_stale_finding_names_the_threshold():
    (finding,) = findings(two_people(confirmed=date(2024, 1, 1)), TODAY)
    assert finding.title == "1 relationship not confirmed in the last 12 months"
    assert finding.evidence["overdue_days"] == [638]  # due 1 January 2025


def test_empty_map_has_no_issues():
    m = Map("Empty")
    assert quality_issues(m, TODAY) == []
    assert findings(m, TODAY) == []


def test_quality_checks_leave_the_map_untouched(small_map):
    before = copy.deepcopy(small_map)
    quality_issues(small_map, TODAY)
    findings(small_map, TODAY)
    assert small_map == before


def test_sample_map_ties_to_reconfirm():
    from collections import Counter

    from mapping.demo.sample import load_sample

    m = load_sample()
    kinds = Counter(i.kind for i in quality_issues(m, date(2026, 11, 26)))
    assert (kinds[STALE], kinds[NEVER_CONFIRMED], kinds[ISOLATED]) == (26, 4, 1)
