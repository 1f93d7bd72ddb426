"""The board report's pages: a two-page summary first, then the appendix; an 8-person map in
four pages; no heading left alone at the foot of a page (issue 16, item 10)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from mapping.analysis.gaps import analyse
from mapping.demo.sample import load_sample
from mapping.model import Map, Relationship, Stakeholder
from mapping.report.content import report_content
from mapping.report.pdf import report_pdf
from tests.conftest import make_small_map

TODAY = date(2026, 12, 1)


def eight() -> Map:
    """The small test map and two more people: eight in all."""
    m = make_small_map()
    more = (
        Stakeholder("gus", "Gus Hall", "Public Health Team", "Consultant", "public health", 3, 4,
                    "supporter", False),
        Stakeholder("hal", "Hal Ode", "Voluntary Action", "Director",
                    "voluntary & community sector", 3, 4, "champion", True),
    )  # fmt: skip
    ties = (
        Relationship("r6", "hal", "fay", "collaborates", 3),
        Relationship("r7", "gus", "eve", "collaborates", 2),
    )
    return m.with_stakeholders(m.stakeholders + more).with_relationships(m.relationships + ties)


def pages(m: Map, **kw) -> list[str]:
    report = analyse(m, today=TODAY)
    reader = PdfReader(BytesIO(report_pdf(m, report, today=TODAY, **kw)))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def headings(m: Map) -> list[str]:
    c = report_content(m, analyse(m, today=TODAY), today=TODAY)
    fixed = [
        "At a glance",
        "This month: the three things to do",
        "The gaps, by kind",
        "The map",
        "APPENDIX",
        "The findings in detail",
        "Perspectives, power and interest",
        "Reflections",
        c.key_players.title,
        "Private notes",
    ]
    return fixed + [g.heading for g in c.groups]


def test_an_eight_person_map_fits_in_four_pages():
    assert len(eight().stakeholders) == 8
    assert len(pages(eight())) == 4


@pytest.mark.parametrize("name", ["eight", "sample"])
def test_the_summary_comes_first_on_two_pages_then_the_appendix(name):
    m = eight() if name == "eight" else load_sample()
    text = pages(m)
    first, second, third = text[:3]
    assert "At a glance" in first and "This month: the three things to do" in first
    assert "The gaps, by kind" in first and "APPENDIX" not in first
    assert "The map" in second and "APPENDIX" not in second
    assert "APPENDIX" in third


@pytest.mark.parametrize("name", ["eight", "sample", "sample-with-notes"])
def test_no_page_ends_with_a_heading(name):
    m = eight() if name == "eight" else load_sample()
    extra = {"include_notes": True, "reflections": ["We meet monthly."]} if "notes" in name else {}
    heads = [" ".join(h.split()) for h in headings(m)]
    for number, page in enumerate(pages(m, **extra), start=1):
        ending = page[-200:]
        assert not any(ending.endswith(h) for h in heads), (number, ending)
