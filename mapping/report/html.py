"""The coalition report as one self-contained, printable HTML page (no script, no links out)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Template
from markupsafe import Markup

from mapping.analysis.gaps import GapReport
from mapping.drawing.scene import scene_svg, xml_text
from mapping.model import Map
from mapping.model.actions import PlannedAction
from mapping.report.content import SEVERITY_STYLE, ReportContent, report_content

__all__ = ["report_html", "CSS", "html_document"]

CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #d0d5dd; --accent: #005eb8; --panel: #f4f6f9; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font-family: "Segoe UI", "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 2.5rem 1rem; }
h1, h2, h3, h4 { line-height: 1.25; margin: 0; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 2rem; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 0.8rem; padding-bottom: 0.3rem;
  border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.1rem; margin: 1.6rem 0 0.6rem; }
h4 { font-size: 1rem; }
p { margin: 0 0 0.7rem; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; color: var(--accent);
  font-weight: 600; font-size: 0.85rem; margin: 0; }
.meta { color: var(--muted); }
.privacy { border-left: 4px solid #b35806; background: #fdf6ee; padding: 0.5rem 0.8rem;
  font-size: 0.9rem; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 0.8rem; margin: 1rem 0; }
.figure { background: var(--panel); border-radius: 6px; padding: 0.8rem; break-inside: avoid; }
.figure .value { font-size: 1.8rem; font-weight: 700; color: var(--accent); margin: 0; }
.figure .label { font-weight: 600; margin: 0 0 0.3rem; }
.figure .help { font-size: 0.8rem; color: var(--muted); margin: 0; }
.first li { margin-bottom: 0.5rem; }
.kinds { list-style: none; padding: 0; }
.kinds li { margin-bottom: 0.35rem; break-inside: avoid; }
.kind h3 { break-after: avoid; page-break-after: avoid; }
figure { margin: 0.5rem 0 1rem; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figure.chart svg { max-width: 40rem; }
figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 0.3rem; }
.badge { display: inline-block; min-width: 4.8rem; text-align: center; color: #fff;
  font-size: 0.75rem; font-weight: 700; letter-spacing: 0.06em; border-radius: 3px;
  padding: 0.1rem 0.4rem; margin-right: 0.5rem; vertical-align: 0.1rem;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.finding { border: 1px solid var(--rule); border-left-width: 6px; border-radius: 4px;
  padding: 0.7rem 0.9rem 0.2rem; margin: 0 0 0.8rem; break-inside: avoid;
  page-break-inside: avoid; }
.finding h4 { margin-bottom: 0.4rem; }
.action { background: var(--panel); padding: 0.4rem 0.6rem; border-radius: 4px; }
table { width: 100%; border-collapse: collapse; font-size: 0.85rem; margin: 0.4rem 0 1rem; }
thead { display: table-header-group; }
th { text-align: left; background: var(--panel); border-bottom: 2px solid var(--rule); }
th, td { padding: 0.35rem 0.5rem; vertical-align: top; border-bottom: 1px solid var(--rule); }
tr { break-inside: avoid; page-break-inside: avoid; }
.intro { color: var(--muted); font-size: 0.9rem; }
.reflection { border-left: 3px solid var(--rule); padding-left: 0.8rem; white-space: pre-wrap; }
.page { break-before: page; page-break-before: always; }
footer { max-width: 60rem; margin: 2rem auto 0; padding: 0.8rem 2.5rem 2rem;
  border-top: 1px solid var(--rule); color: var(--muted); font-size: 0.85rem; }
@media screen and (max-width: 50rem) { .figures { grid-template-columns: repeat(2, 1fr); } }
@media print {
  html { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  footer { padding: 0.5rem 0 0; }
  h2 { margin-top: 1rem; }
  .figure, .action, th, .privacy { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _page_css(footer: str) -> str:
    """Print margins and running footers (the footer text is the tool's, never user text)."""
    return (
        "@page { size: A4; margin: 16mm 15mm 18mm;"
        f" @bottom-left {{ content: {_css_string(footer)}; font-size: 8pt; color: #555; }}"
        ' @bottom-right { content: "Page " counter(page) " of " counter(pages);'
        " font-size: 8pt; color: #555; } }"
    )


def _text(value: object) -> Markup:
    """Every value the template shows: Markup as it is (the CSS, the scenes' SVG), anything
    else as XML text (:func:`mapping.drawing.scene.xml_text`)."""
    return value if isinstance(value, Markup) else Markup(xml_text(value))


@lru_cache(maxsize=1)
def _template() -> Template:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=True,
        finalize=_text,
        trim_blocks=False,
        keep_trailing_newline=False,
    )
    return env.get_template("report.html")


def html_document(c: ReportContent) -> str:
    """The report page for :class:`mapping.report.content.ReportContent` ``c``, from the
    autoescaped template ``templates/report.html``."""
    return _template().render(
        c=c,
        css=Markup(CSS + _page_css(c.footer)),  # the tool's own text, never the user's
        map_svg=Markup(scene_svg(c.map_picture, standalone=False)),
        coverage_svg=Markup(scene_svg(c.coverage_chart, standalone=False)),
        grid_svg=Markup(scene_svg(c.grid_chart, standalone=False)),
        SEVERITY=SEVERITY_STYLE,
    )


def report_html(
    m: Map,
    report: GapReport,
    *,
    today: date,
    include_notes: bool = False,
    reflections: Sequence[str] = (),
    plan: Sequence[PlannedAction] = (),
) -> str:
    """The coalition report as one self-contained, printable HTML page.

    A two-page summary (headline figures, the three things to do with who should act, one
    line per kind of gap, the map), then an appendix: every finding by kind with what to do,
    perspective coverage and power/interest charts (inline SVG), key people, who to bring in
    next, any
    ``reflections`` (paragraphs of text) and, only with ``include_notes``, private notes
    about the people it names. No script and nothing loaded from outside; every piece of
    user text is escaped.

    Examples
    --------
    >>> from mapping.analysis.gaps import analyse
    >>> from mapping.model import Stakeholder
    >>> m = Map("<M>", stakeholders=(Stakeholder("a", "Ann", coalition=True),))
    >>> page = report_html(m, analyse(m, today=date(2026, 1, 1)), today=date(2026, 1, 1))
    >>> page.startswith("<!DOCTYPE html>"), "&lt;M&gt;" in page, "<script" in page
    (True, True, False)
    """
    content = report_content(
        m, report, today=today, include_notes=include_notes, reflections=reflections, plan=plan
    )
    return html_document(content)
