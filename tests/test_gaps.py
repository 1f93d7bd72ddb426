"""The gap report finds the sample map's deliberate gaps and copes with edge cases."""

from __future__ import annotations

import json
from datetime import date

import pytest

from mapping.analysis.findings import Severity
from mapping.analysis.gaps import analyse
from mapping.demo.sample import load_sample
from mapping.model import Map, Stakeholder
from mapping.model.graph import tie_graph

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def sample_report():
    m = load_sample()
    return m, analyse(m, today=TODAY)


def _by_code(report, code):
    return [f for f in report.findings if f.code == code]


def test_findings_are_ordered_by_severity(sample_report):
    _, report = sample_report
    ranks = [f.severity.rank for f in report.findings]
    assert ranks == sorted(ranks)
    assert report.findings[0].severity is Severity.HIGH


def test_no_patient_voice_is_found(sample_report):
    _, report = sample_report
    [f] = _by_code(report, "coverage.patient-voice")
    assert f.severity is Severity.HIGH


def test_council_reached_through_one_person_is_found(sample_report):
    m, report = sample_report
    G = tie_graph(m)
    risks = [r for r in report.key_people if "local authority & social care" in r.perspectives_lost]
    assert len(risks) == 1
    [person] = risks
    assert G.nodes[person.id]["perspective"] == "local authority & social care"
    assert any(
        person.id in f.stakeholders for f in report.findings if f.code.startswith("resilience")
    )


def test_powerful_sceptic_without_strong_tie_is_found(sample_report):
    m, report = sample_report
    flagged = {
        sid for f in report.findings if f.code.startswith("investment") for sid in f.stakeholders
    }
    sceptics = [
        s for s in m.stakeholders if s.influence == 5 and s.stance.value in ("sceptic", "opposed")
    ]
    assert sceptics and all(s.id in flagged for s in sceptics)


def test_isolated_stakeholder_and_silo_and_conflict_are_found(sample_report):
    m, report = sample_report
    G = tie_graph(m)
    isolated = {n for n in G if G.degree(n) == 0}
    quality_people = {
        s for f in report.findings if f.code.startswith("quality") for s in f.stakeholders
    }
    assert isolated and isolated <= quality_people
    assert any(f.code.startswith("silos") for f in report.findings)
    assert any("conflict" in f.code or "Tension" in f.title for f in report.findings)


def test_headline_figures_match_the_map(sample_report):
    m, report = sample_report
    perspectives = {s.perspective for s in m.stakeholders if s.coalition}
    assert report.figures["perspectives_covered"] == len(perspectives - {"other"})
    assert report.figures["stakeholders"] == len(m.stakeholders)
    assert [f.key for f in report.headline] == [
        "perspectives_covered",
        "cross_perspective_ties",
        "key_person_risks",
        "relationships_needing_investment",
    ]


def test_json_shape_is_serialisable_and_versioned(sample_report):
    _, report = sample_report
    data = json.loads(json.dumps(report.to_dict()))
    assert data["report_version"] == 1
    assert set(data) == {
        "report_version", "map", "date", "figures", "findings", "coverage", "key_people",
        "candidates", "silos", "brokers", "grid", "communities", "betweenness_method",
        "betweenness_note", "groups", "actions",
    }  # fmt: skip
    assert data["betweenness_method"] == "exact"
    assert data["betweenness_note"].startswith("Betweenness is exact")
    assert {"code", "severity", "title", "explanation", "action", "stakeholders"} <= set(
        data["findings"][0]
    )


@pytest.mark.parametrize(
    "m",
    [
        Map(name="Empty"),
        Map(name="One", stakeholders=(Stakeholder("a", "Ann", coalition=True),)),
        Map(name="Two apart", stakeholders=(Stakeholder("a", "A"), Stakeholder("b", "B"))),
    ],
    ids=["empty", "one-person", "disconnected"],
)
def test_edge_cases_give_results_not_errors(m):
    report = analyse(m, today=TODAY)
    assert report.figures["stakeholders"] == len(m.stakeholders)
    assert "Coalition gaps" in report.to_text()
    json.dumps(report.to_dict())


def test_every_top_level_key_is_documented(sample_report):
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "analysis-json.md").read_text(encoding="utf-8")
    _, report = sample_report
    for key in report.to_dict():
        assert f"| `{key}` |" in doc, key
    for key in report.figures:
        assert f"`{key}`" in doc, key
