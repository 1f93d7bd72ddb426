"""The coalition report as one self-contained, printable HTML page (no script, no links out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mapping.scene import scene_svg, xml_text

if TYPE_CHECKING:
    from mapping.report import ReportContent, ReportTable

__all__ = ["CSS", "html_document"]

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
.first li { margin-bottom: 0.3rem; }
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


def _table(t: ReportTable, heading: str = "h2", css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    out = [f"<section{cls}><{heading}>{xml_text(t.title)}</{heading}>"]
    if t.intro:
        out.append(f'<p class="intro">{xml_text(t.intro)}</p>')
    if not t.rows:
        out.append(f"<p>{xml_text(t.empty)}</p></section>")
        return "".join(out)
    total = sum(t.widths) or 1
    cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in t.widths)
    head = "".join(f'<th scope="col">{xml_text(c)}</th>' for c in t.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{xml_text(cell)}</td>" for cell in row) + "</tr>" for row in t.rows
    )
    out.append(f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>")
    out.append(f"<tbody>{body}</tbody></table></section>")
    return "".join(out)


def _findings(c: ReportContent) -> str:
    out = ['<section class="page"><h2>Findings</h2>']
    if not c.groups:
        out.append("<p>No gaps found: every check passed.</p>")
    for g in c.groups:
        out.append(f"<h3>{xml_text(g.heading)} ({len(g.findings)})</h3>")
        for f in g.findings:
            badge = f'<span class="badge" style="background:{g.colour}">{xml_text(g.badge)}</span>'
            out.append(
                f'<article class="finding" style="border-left-color:{g.colour}">'
                f"<h4>{badge}{xml_text(f.title)}</h4>"
                f"<p>{xml_text(f.explanation)}</p>"
                f'<p class="action"><strong>What to do:</strong> {xml_text(f.action)}</p>'
                "</article>"
            )
    out.append("</section>")
    return "".join(out)


def _headline(c: ReportContent) -> str:
    cells = "".join(
        '<div class="figure">'
        f'<p class="value">{xml_text(f.value)}</p><p class="label">{xml_text(f.label)}</p>'
        f'<p class="help">{xml_text(f.help)}</p></div>'
        for f in c.headline
    )
    out = f'<section><h2>At a glance</h2><div class="figures">{cells}</div>'
    if c.first:
        items = "".join(
            f"<li><strong>{xml_text(f.severity.value.upper())}:</strong> {xml_text(f.title)}</li>"
            for f in c.first
        )
        out += f'<h3>Needs attention first</h3><ol class="first">{items}</ol>'
    return out + "</section>"


def html_document(c: ReportContent) -> str:
    """The report page for :class:`mapping.report.ReportContent` ``c``."""
    title = f"{c.title}: {c.map_name}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="Coalition Mapper">',
        f"<title>{xml_text(title)}</title>",
        f"<style>{CSS}{_page_css(c.footer)}</style></head><body><main>",
        f'<header><p class="kicker">{xml_text(c.title)}</p>',
        f"<h1>{xml_text(c.map_name)}</h1>",
        f'<p class="meta">{xml_text(c.date_text)} · {xml_text(c.summary)}</p>',
    ]
    if c.description:
        parts.append(f"<p>{xml_text(c.description)}</p>")
    parts.append(f'<p class="privacy">{xml_text(c.privacy)}</p></header>')
    parts.append(_headline(c))
    parts.append(
        '<section class="page"><h2>The map</h2><figure>'
        f"{scene_svg(c.map_picture, standalone=False)}"
        f"<figcaption>{xml_text(c.map_picture.description)}</figcaption></figure></section>"
    )
    parts.append(
        "<section><h2>Perspective coverage</h2>"
        '<p class="intro">Who of each perspective is in the coalition and who is outside it.</p>'
        f'<figure class="chart">{scene_svg(c.coverage_chart, standalone=False)}</figure>'
        f"{_table(c.coverage, 'h3')}</section>"
    )
    parts.append(
        '<section class="page"><h2>Power and interest</h2>'
        '<p class="intro">Interest across, influence up; colour, shape and outline as on the '
        "map.</p>"
        f'<figure class="chart">{scene_svg(c.grid_chart, standalone=False)}'
        f"<figcaption>{xml_text(c.grid_summary)}</figcaption></figure>"
        f"{_table(c.key_players, 'h3')}</section>"
    )
    parts.append(_findings(c))
    parts.append(_table(c.key_people, css="page"))
    parts.append(_table(c.candidates))
    if c.reflections:
        notes = "".join(f'<p class="reflection">{xml_text(t)}</p>' for t in c.reflections)
        parts.append(f"<section><h2>Reflections</h2>{notes}</section>")
    if c.notes is not None:
        parts.append(_table(c.notes))
    about = "".join(f"<p>{xml_text(t)}</p>" for t in c.about)
    parts.append(f"<section><h2>About this report</h2>{about}</section>")
    parts.append(f"</main><footer>{xml_text(c.footer)}</footer></body></html>")
    return "\n".join(parts)
