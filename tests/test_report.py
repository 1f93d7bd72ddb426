"""The board-ready report: HTML that loads nothing and escapes everything; a readable A4 PDF."""

from __future__ import annotations

import html
import re
from datetime import date
from html.parser import HTMLParser
from io import BytesIO

import pytest
from pypdf import PdfReader

from mapping.analysis.findings import Severity
from mapping.analysis.gaps import analyse
from mapping.demo.sample import load_sample
from mapping.drawing.scene import Label, Shape
from mapping.model import Map, Relationship, Stakeholder
from mapping.report.content import SEVERITY_STYLE, coverage_scene, grid_scene, report_content
from mapping.report.html import report_html
from mapping.report.pdf import drawable, pdf_fonts, report_pdf

TODAY = date(2026, 12, 1)
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(1)">'
UNICODE_NAME = "Zoë Ńowak"


def hostile_map() -> Map:
    people = (
        Stakeholder("s1", SCRIPT, IMG, perspective="clinical", coalition=True, notes=IMG),
        Stakeholder("s2", IMG, perspective=SCRIPT, influence=5, stance="opposed"),
        Stakeholder("s3", UNICODE_NAME, perspective="clinical", influence=5),
    )
    ties = (
        Relationship("r1", "s1", "s2", "collaborates", 1),
        Relationship("r2", "s1", "s3", "conflict", 3),
    )
    return Map(
        name=SCRIPT,
        description=IMG,
        perspectives=("clinical", SCRIPT),
        stakeholders=people,
        relationships=ties,
    )


@pytest.fixture(scope="module")
def sample():
    m = load_sample()
    return m, analyse(m, today=TODAY)


@pytest.fixture(scope="module")
def sample_html(sample):
    m, report = sample
    return report_html(m, report, today=TODAY)


@pytest.fixture(scope="module")
def sample_pdf(sample):
    m, report = sample
    return report_pdf(m, report, today=TODAY)


def pdf_text(data: bytes) -> str:
    """All the PDF's text with runs of whitespace (line breaks) made single spaces."""
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


class Tags(HTMLParser):
    """Every start tag and attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, name, value or "") for name, value in attrs]


def tags(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    return parser


# HTML


def test_html_has_the_headline_figures_findings_and_date(sample, sample_html):
    m, report = sample
    page = sample_html
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for figure in report.headline:
        assert html.escape(figure.label) in page and html.escape(figure.value) in page
    assert report.findings
    for finding in report.findings:
        assert html.escape(finding.title) in page
    assert "1 December 2026" in page
    assert html.escape(m.name) in page
    footer = re.search(r"<footer>(.*?)</footer>", page).group(1)
    assert footer == "Coalition Mapper · Coalition gap report · 1 December 2026"


def test_html_loads_nothing_and_runs_nothing(sample_html):
    page = sample_html
    parsed = tags(page)
    assert "script" not in parsed.tags and "<script" not in page.lower()
    assert not [a for a in parsed.attrs if a[1] in ("src", "href", "srcset", "action")]
    assert not [a for a in parsed.attrs if a[1].startswith("on")]
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "http://" not in page and "https://" not in page
    assert "@import" not in page and "url(" not in page


def test_html_draws_the_map_and_both_charts_inline(sample, sample_html):
    m, report = sample
    assert sample_html.count("<svg ") == 3
    assert sample_html.count('class="marker"') == len(m.stakeholders) * 2  # map and grid
    assert sample_html.count('class="bar"') == sum(
        bool(r.members) + bool(r.outside) for r in report.coverage
    )


def test_every_finding_has_a_severity_badge_in_words(sample, sample_html):
    _, report = sample
    badges = re.findall(r'<span class="badge"[^>]*>([A-Z]+)</span>', sample_html)
    # one per kind of gap in the summary, then one per finding in the appendix
    assert badges == [SEVERITY_STYLE[g.severity][0] for g in report.groups] + [
        SEVERITY_STYLE[f.severity][0] for g in report.groups for f in g.items
    ]
    assert {"HIGH", "MEDIUM", "LOW"} <= set(badges)


def test_html_prints_on_a4_with_page_breaks_and_a_running_footer(sample_html):
    assert "@page { size: A4" in sample_html
    assert "@bottom-left" in sample_html and "counter(page)" in sample_html
    assert "break-before: page" in sample_html and "break-inside: avoid" in sample_html


def test_hostile_text_is_escaped_in_the_html():
    m = hostile_map()
    page = report_html(m, analyse(m, today=TODAY), today=TODAY, reflections=[SCRIPT])
    assert SCRIPT not in page and IMG not in page
    assert html.escape(SCRIPT) in page and html.escape(IMG) in page
    parsed = tags(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not [a for a in parsed.attrs if a[1].startswith("on") or a[1] == "src"]


def test_notes_are_left_out_unless_asked_for(sample):
    m, report = sample
    note = next(s.notes for s in m.stakeholders if s.id == "s02" and s.notes)
    plain = report_html(m, report, today=TODAY)
    assert html.escape(note) not in plain and "private notes are left out" in plain
    noted = report_html(m, report, today=TODAY, include_notes=True)
    assert html.escape(note) in noted and "includes private notes" in noted


def test_reflections_are_included_as_text(sample):
    m, report = sample
    page = report_html(m, report, today=TODAY, reflections=["We meet monthly.", "  "])
    assert "<h2>Reflections</h2>" in page
    assert page.count('class="reflection"') == 1 and "We meet monthly." in page
    assert "Reflections" not in report_html(m, report, today=TODAY)


def test_empty_map_reports_without_error():
    m = Map("Nobody yet")
    report = analyse(m, today=TODAY)
    page = report_html(m, report, today=TODAY)
    assert "Nobody yet" in page
    assert report_pdf(m, report, today=TODAY).startswith(b"%PDF")


# Content and charts


def test_findings_are_grouped_most_severe_first(sample):
    m, report = sample
    content = report_content(m, report, today=TODAY)
    order = [g.severity for g in content.groups]
    assert order == sorted(order, key=lambda s: s.rank)
    assert sum(len(g.findings) for g in content.groups) == len(report.findings)
    assert content.first[0].severity == Severity.HIGH


def test_key_people_and_candidates_tables_follow_the_report(sample):
    m, report = sample
    content = report_content(m, report, today=TODAY)
    assert [row[0].split(" (")[0] for row in content.key_people.rows] == [
        r.name for r in report.key_people
    ]
    effect = content.key_people.rows[0][2]
    assert effect.startswith("The 'local authority & social care' perspective would lose")
    assert [row[1] for row in content.candidates.rows] == [c.name for c in report.candidates]
    names = m.names()
    first = report.candidates[0]
    assert content.candidates.rows[0][-1].startswith(names[first.approach_by])


def test_coverage_bars_are_proportional_to_people():
    from mapping.analysis.coverage import PerspectiveCoverage

    rows = [
        PerspectiveCoverage("clinical", 4, ("a",), ("b", "c", "d"), 3, 2, 1),
        PerspectiveCoverage("provider", 2, ("e", "f"), (), 3, None, 1),
    ]
    bars = [i for i in coverage_scene(rows).items if isinstance(i, Shape) and i.role == "bar"]
    widths = [b.points[1][0] - b.points[0][0] for b in bars]
    assert len(bars) == 3
    assert widths[1] == pytest.approx(3 * widths[0]) and widths[2] == pytest.approx(2 * widths[0])


def test_grid_chart_draws_everyone_in_their_sector(sample):
    m, report = sample
    scene = grid_scene(m, report.grid)
    markers = [i for i in scene.items if isinstance(i, Shape) and i.role == "marker"]
    assert len(markers) == len(m.stakeholders)
    counts = report.grid["sector"].value_counts()
    labels = {i.text for i in scene.items if isinstance(i, Label) and i.role == "sector"}
    assert f"Manage closely ({counts['manage closely']})" in labels
    assert f"Monitor ({counts['monitor']})" in labels


# PDF


def test_pdf_is_a_multi_page_a4_document_with_the_key_text(sample, sample_pdf):
    m, report = sample
    assert sample_pdf.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(sample_pdf))
    assert len(reader.pages) >= 2
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)
    text = pdf_text(sample_pdf)
    assert m.name in text
    assert "1 December 2026" in text
    assert report.findings[0].title in text
    for figure in report.headline:
        assert figure.value in text


def test_pdf_is_the_same_every_time(sample, sample_pdf):
    m, report = sample
    assert report_pdf(m, report, today=TODAY) == sample_pdf


def test_pdf_keeps_unicode_names_and_hostile_text_as_text():
    m = hostile_map()
    data = report_pdf(m, analyse(m, today=TODAY), today=TODAY)
    text = pdf_text(data)
    if pdf_fonts().unicode:
        assert drawable(UNICODE_NAME) == UNICODE_NAME
    assert drawable(UNICODE_NAME) in text
    assert SCRIPT in text  # drawn as words, not interpreted


def test_pdf_notes_only_when_asked(sample, sample_pdf):
    m, report = sample
    note = next(s.notes for s in m.stakeholders if s.id == "s02" and s.notes)
    words = " ".join(note.split()[:6])
    assert words not in pdf_text(sample_pdf)
    assert words in pdf_text(report_pdf(m, report, today=TODAY, include_notes=True))


def test_characters_a_font_cannot_draw_become_question_marks():
    assert drawable(UNICODE_NAME, "Helvetica") == "Zoë ?owak"
    assert drawable("tab\there\x00", "Helvetica") == "tab here "
