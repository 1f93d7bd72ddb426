"""The power/interest grid: sectors, engagement actions and findings."""

from __future__ import annotations

import copy

import networkx as nx
import pytest

from mapping.analysis.findings import Severity
from mapping.analysis.grid import (
    COLUMNS,
    KEEP_INFORMED,
    KEEP_SATISFIED,
    MANAGE_CLOSELY,
    MONITOR,
    SECTORS,
    engagement_action,
    findings,
    grid,
    sector,
)
from mapping.model import Map, Relationship, Stakeholder, Stance
from mapping.model.graph import tie_graph


@pytest.mark.parametrize(
    ("influence", "interest", "expected"),
    [
        (4, 4, MANAGE_CLOSELY),  # 4 is high: the boundary is inclusive
        (5, 5, MANAGE_CLOSELY),
        (4, 3, KEEP_SATISFIED),
        (3, 4, KEEP_INFORMED),
        (3, 3, MONITOR),
        (1, 1, MONITOR),
    ],
)
def test_sector_boundaries(influence, interest, expected):
    assert sector(influence, interest) == expected


def test_thresholds_are_parameters():
    assert sector(3, 3, high_influence=3, high_interest=3) == MANAGE_CLOSELY
    assert sector(4, 4, high_influence=5, high_interest=5) == MONITOR


def test_every_sector_and_stance_has_an_action():
    for where in SECTORS:
        for stance in Stance:
            assert engagement_action(where, stance.value)
    assert engagement_action(MANAGE_CLOSELY, "opposed") == (
        "Meet one to one; understand their objections; find a trusted messenger."
    )
    assert engagement_action(MANAGE_CLOSELY, "sceptic") == engagement_action(
        MANAGE_CLOSELY, "opposed"
    )
    assert "patients often fall here" in engagement_action(KEEP_INFORMED, "supporter")


def test_small_map_grid(small_map):
    table = grid(tie_graph(small_map))
    assert list(table.columns) == list(COLUMNS)
    assert list(zip(table["id"], table["sector"], strict=True)) == [
        ("ann", MANAGE_CLOSELY),  # 5/5
        ("dan", MANAGE_CLOSELY),  # 4/4, Dan before Bob by name
        ("bob", MANAGE_CLOSELY),  # 4/4
        ("cat", KEEP_SATISFIED),  # 5/3
        ("fay", KEEP_INFORMED),  # 2/5
        ("eve", MONITOR),  # 2/3
    ]
    cat = table.set_index("id").loc["cat"]
    assert cat["action"].startswith("Address their concerns early and privately")
    assert bool(cat["coalition"]) is False


def test_empty_map_gives_an_empty_table_with_the_columns():
    table = grid(nx.Graph())
    assert list(table.columns) == list(COLUMNS)
    assert len(table) == 0
    assert findings(nx.Graph()) == []


def test_patient_voices_to_organise(small_map):
    (f,) = findings(tie_graph(small_map))
    assert f.code == "grid.organise-voices"
    assert f.severity is Severity.MEDIUM
    assert f.title == "Fay Brown (patient & carer) has a strong interest but little influence"
    assert f.action.startswith("Organise them to raise their influence")
    assert f.stakeholders == ("fay",)


def test_keep_informed_clinicians_are_not_reported_as_voices():
    people = (Stakeholder("c", "Cy", perspective="clinical", influence=2, interest=5),)
    assert findings(tie_graph(Map("M", stakeholders=people))) == []


def test_powerful_sceptics_no_member_talks_to():
    people = (
        Stakeholder("a", "Ann", perspective="commissioner", coalition=True),
        Stakeholder("o", "Olu", perspective="provider", influence=5, interest=5, stance="opposed"),
        Stakeholder("s", "Sam", perspective="clinical", influence=4, interest=2, stance="sceptic"),
        Stakeholder("t", "Tom", perspective="provider", influence=5, stance="sceptic"),
    )
    ties = (
        Relationship("r1", "a", "t", strength=1),
        Relationship("r2", "o", "s"),
        Relationship("r3", "a", "o", type="conflict"),
    )
    (f,) = findings(tie_graph(Map("M", stakeholders=people, relationships=ties)))
    assert f.code == "grid.unmanaged-opposition"
    assert f.severity is Severity.HIGH
    assert f.stakeholders == ("o", "s")  # Tom has a tie to Ann; a conflict tie is no channel
    assert f.title == "2 powerful sceptics or opponents with no coalition member in touch"
    assert f.explanation.startswith("Olu (provider) and Sam (clinical) have high influence")


def test_grid_leaves_the_graph_untouched(small_map):
    G = tie_graph(small_map)
    before = copy.deepcopy(G)
    grid(G)
    findings(G)
    assert nx.utils.graphs_equal(G, before)
    assert dict(G.nodes(data=True)) == dict(before.nodes(data=True))
