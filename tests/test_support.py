"""A person's support network: direct and two-step contacts, internal and external."""

from __future__ import annotations

import copy

import networkx as nx
import pytest

from mapping.analysis.findings import Severity
from mapping.analysis.support import findings, same_organisation, support_network
from mapping.errors import NotFoundError
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.graph import tie_graph


def test_ann_direct_and_two_step_contacts(small_map):
    net = support_network(tie_graph(small_map), "ann")
    assert [(c.id, c.strength, c.path) for c in net.direct] == [
        ("bob", 4, ("ann", "bob")),
        ("dan", 3, ("ann", "dan")),
        ("cat", 2, ("ann", "cat")),
    ]
    assert [(c.id, c.steps, c.strength, c.path) for c in net.two_step] == [
        ("eve", 2, 3, ("ann", "dan", "eve")),  # the weaker of Ann-Dan (3) and Dan-Eve (5)
    ]
    assert net.internal == ()
    assert net.by_perspective() == {
        "clinical": ("bob",),
        "local authority & social care": ("dan", "eve"),
        "provider": ("cat",),
    }
    assert net.summary == (
        "Ann Clark has 3 direct contacts (0 inside North ICB, 3 outside) and reaches 1 more "
        "person through them, across 3 perspectives. Strongest tie: Dr Bob Singh (4 of 5)."
    )


def test_eve_is_supported_inside_the_council(small_map):
    net = support_network(tie_graph(small_map), "eve")
    assert [c.id for c in net.internal] == ["dan"]
    assert [c.id for c in net.external] == ["ann"]


def test_conflict_ties_are_not_support(small_map):
    net = support_network(tie_graph(small_map), "bob")
    assert [c.id for c in net.direct] == ["ann"]
    cat = next(c for c in net.two_step if c.id == "cat")
    assert cat.path == ("bob", "ann", "cat") and cat.strength == 2


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("North ICB", "north icb ", True),
        ("North ICB", "South ICB", False),
        ("", "", False),
        ("  ", " ", False),
        ("NHS", "", False),
    ],
)
def test_same_organisation_ignores_case_and_never_matches_blank(a, b, same):
    assert same_organisation(a, b) is same


def test_blank_organisations_are_external():
    people = (Stakeholder("a", "Ann"), Stakeholder("b", "Bo"))
    m = Map("M", stakeholders=people, relationships=(Relationship("r1", "a", "b"),))
    net = support_network(tie_graph(m), "a")
    assert not net.direct[0].internal
    assert "no organisation recorded" in net.summary


def test_two_step_route_goes_through_the_strongest_weakest_link():
    G = nx.Graph()
    G.add_edges_from(
        [
            ("p", "a", {"strength": 5}),
            ("a", "w", {"strength": 1}),
            ("p", "b", {"strength": 2}),
            ("b", "w", {"strength": 2}),
            ("p", "c", {"strength": 2}),
            ("c", "w", {"strength": 2}),
            ("p", "d", {"strength": 3}),
            ("d", "x", {"strength": 1}),
            ("p", "e", {"strength": 1}),
            ("e", "x", {"strength": 1}),
        ]
    )
    net = support_network(G, "p")
    routes = {c.id: (c.path, c.strength) for c in net.two_step}
    assert routes["w"] == (("p", "b", "w"), 2)  # b and c tie; b comes first by name
    assert routes["x"] == (("p", "d", "x"), 1)  # equal weakest links: the larger sum wins


def test_unknown_person_is_named_in_the_error(small_map):
    with pytest.raises(NotFoundError, match="'zed'"):
        support_network(tie_graph(small_map), "zed")


def test_findings_for_someone_with_no_ties(small_map):
    (f,) = findings(tie_graph(small_map), "fay")
    assert (f.code, f.severity) == ("support.none", Severity.MEDIUM)
    assert f.title == "Fay Brown has no support network on the map"
    assert support_network(tie_graph(small_map), "fay").summary == (
        "Fay Brown has no recorded relationships yet."
    )


def test_findings_for_support_only_inside_the_organisation(small_map):
    out = {f.code: f for f in findings(tie_graph(small_map), "eve")}
    assert set(out) == {"support.internal-only", "support.perspectives-out-of-reach"}
    assert out["support.internal-only"].explanation.startswith(
        "Eve Lewis's only direct relationship is with a colleague in Riverside Council."
    )
    assert out["support.perspectives-out-of-reach"].evidence == {
        "perspectives": ["clinical", "patient & carer", "provider"]
    }


def test_findings_for_a_network_that_runs_through_one_person(small_map):
    out = {f.code: f for f in findings(tie_graph(small_map), "dan")}
    gate = out["support.one-gateway"]
    assert gate.title == "Dan Okafor's wider network runs through Ann Clark"
    assert gate.ties == (("dan", "ann"),)


def test_findings_for_no_support_from_colleagues():
    people = (
        Stakeholder("a", "Ann", "Trust"),
        Stakeholder("b", "Bo", "trust"),
        Stakeholder("c", "Cy", "Council"),
    )
    m = Map("M", stakeholders=people, relationships=(Relationship("r1", "a", "c"),))
    out = {f.code: f for f in findings(tie_graph(m), "a")}
    assert out["support.external-only"].title == "Ann has no recorded support inside Trust"
    assert out["support.external-only"].stakeholders == ("a", "b")


def test_support_leaves_the_graph_untouched(small_map):
    G = tie_graph(small_map)
    before = copy.deepcopy(G)
    support_network(G, "ann")
    findings(G, "dan")
    assert nx.utils.graphs_equal(G, before)
    assert dict(G.nodes(data=True)) == dict(before.nodes(data=True))
