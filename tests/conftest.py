"""Shared fixtures: the read-only shared folder, a small named map, a real SQLite store."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from mapping.model import Map, Relationship, Stakeholder

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared``; skips on a user's fresh clone without it, fails in CI (CI=true)."""
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED} is missing, and CI must not skip tests that need it.")
        pytest.skip("../shared is not present beside this checkout")
    return SHARED


def make_small_map() -> Map:
    """Six people: a coalition of three, a council reached through one person, a sceptic."""
    people = (
        Stakeholder(
            "ann",
            "Ann Clark",
            "North ICB",
            "Director of Strategy",
            "commissioner",
            5,
            5,
            "champion",
            True,
        ),
        Stakeholder(
            "bob",
            "Dr Bob Singh",
            "City GP Federation",
            "Clinical lead",
            "clinical",
            4,
            4,
            "supporter",
            True,
            tags=("primary care",),
        ),
        Stakeholder(
            "cat",
            "Cat Jones",
            "Eastside Hospital",
            "Chief Executive",
            "provider",
            5,
            3,
            "sceptic",
            False,
        ),
        Stakeholder(
            "dan",
            "Dan Okafor",
            "Riverside Council",
            "Director of Adult Social Care",
            "local authority & social care",
            4,
            4,
            "neutral",
            True,
        ),
        Stakeholder(
            "eve",
            "Eve Lewis",
            "Riverside Council",
            "Commissioning manager",
            "local authority & social care",
            2,
            3,
            "supporter",
            False,
        ),
        Stakeholder(
            "fay",
            "Fay Brown",
            "Carers Together",
            "Coordinator",
            "patient & carer",
            2,
            5,
            "unknown",
            False,
            review_by=date(2026, 1, 31),
        ),
    )
    ties = (
        Relationship("r1", "ann", "bob", "collaborates", 4, last_confirmed=date(2026, 9, 1)),
        Relationship("r2", "ann", "cat", "commissions", 2, directed=True),
        Relationship("r3", "ann", "dan", "collaborates", 3),
        Relationship("r4", "dan", "eve", "reports to", 5, directed=True),
        Relationship("r5", "bob", "cat", "conflict", 2),
    )
    return Map(
        name="Small test map", description="Six people", stakeholders=people, relationships=ties
    )


@pytest.fixture
def small_map() -> Map:
    return make_small_map()
