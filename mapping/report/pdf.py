"""The coalition report as an A4 PDF (reportlab), in a font that can draw the names it holds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from mapping.analysis.gaps import GapReport
from mapping.model import Map
from mapping.model.actions import PlannedAction
from mapping.report.content import SEVERITY_STYLE, ReportContent, ReportTable, report_content
from mapping.report.fonts import FONT_DIRS, PdfFonts, drawable, pdf_fonts
from mapping.report.pdf_drawing import pdf_colour, scene_drawing
from mapping.report.pdf_styles import ACCENT, MUTED, PANEL, RULE, paragraph_styles

__all__ = [
    "report_pdf",
    "FONT_DIRS",
    "PdfFonts",
    "pdf_fonts",
    "drawable",
    "scene_drawing",
    "pdf_document",
]


def _p(text: object) -> str:
    """User or report text as safe Paragraph markup."""
    return escape(drawable(text))


#: Room a heading needs below it (points): with less left on the page, it starts the next one,
#: so no heading is left alone at the foot of a page.
_ROOM = {"h2": 150.0, "h3": 110.0}


def _heading(text: str, st: dict, level: str = "h2") -> list:
    """A heading that never ends a page: a conditional page break, then the paragraph (whose
    style keeps it with what follows)."""
    return [CondPageBreak(_ROOM.get(level, 80.0)), Paragraph(_p(text), st[level])]


def _flowing_table(data: list, **kw) -> Table:
    """A table whose rows may break across pages: a cell taller than a page (a long private
    note, say) continues on the next page instead of failing the whole report."""
    return Table(data, splitInRow=1, **kw)


def _table(t: ReportTable, st: dict, width: float, heading: str = "h2") -> list:
    out = _heading(t.title, st, heading)
    if t.intro:
        out.append(Paragraph(_p(t.intro), st["small"]))
    if not t.rows:
        return [*out, Paragraph(_p(t.empty), st["body"])]
    total = sum(t.widths) or 1
    data = [[Paragraph(_p(c), st["head"]) for c in t.columns]]
    data += [[Paragraph(_p(cell), st["cell"]) for cell in row] for row in t.rows]
    table = _flowing_table(data, colWidths=[width * w / total for w in t.widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), pdf_colour(PANEL)),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, pdf_colour(RULE)),
                ("LINEBELOW", (0, 1), (-1, -1), 0.5, pdf_colour(RULE)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [*out, Spacer(1, 3), table, Spacer(1, 8)]


def _boxed(rows: list, width: float, colour: str, background: str = "#FFFFFF") -> Table:
    box = _flowing_table([[r] for r in rows], colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                ("LINEBEFORE", (0, 0), (0, -1), 4, pdf_colour(colour)),
                ("BACKGROUND", (0, 0), (-1, -1), pdf_colour(background)),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return box


def _cover(c: ReportContent, st: dict, width: float) -> list:
    out = [
        Paragraph(_p(c.title.upper()), st["kicker"]),
        Paragraph(_p(c.map_name), st["title"]),
        Paragraph(_p(f"{c.date_text} · {c.summary}"), st["meta"]),
    ]
    if c.description:
        out.append(Paragraph(_p(c.description), st["kind"]))
    out += [
        Spacer(1, 4),
        _boxed([Paragraph(_p(c.privacy), st["small"])], width, "#B35806", "#FDF6EE"),
    ]
    out.append(Paragraph("At a glance", st["h2"]))
    cells = [
        [
            Paragraph(_p(f.value), st["value"]),
            Paragraph(f"<b>{_p(f.label)}</b>", st["cell"]),
        ]
        for f in c.headline
    ]
    if cells:
        grid = _flowing_table([cells], colWidths=[width / len(cells)] * len(cells))
        grid.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), pdf_colour(PANEL)),
                    ("LINEAFTER", (0, 0), (-2, -1), 3, colors.white),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        out.append(grid)
    if c.actions:
        out.append(Paragraph("This month: the three things to do", st["h2"]))
        for i, act in enumerate(c.actions, start=1):
            rows = [
                Paragraph(f"{i}. <b>{_p(act.finding.title)}</b>", st["cell"]),
                Paragraph(
                    f"{_p(act.finding.action)} <i>Who should act:</i> <b>{_p(act.who)}</b>",
                    st["cell"],
                ),
            ]
            out += [KeepTogether([_boxed(rows, width, ACCENT, PANEL)]), Spacer(1, 3)]
    elif c.first:
        out.append(Paragraph("Needs attention first", st["h3"]))
        for i, f in enumerate(c.first, start=1):
            label = f.severity.value.upper()
            out.append(Paragraph(f"{i}. <b>{_p(label)}:</b> {_p(f.title)}", st["body"]))
    out.append(Paragraph("The gaps, by kind", st["h2"]))
    if not c.groups:
        out.append(Paragraph("No gaps found: every check passed.", st["body"]))
    for g in c.groups:
        out.append(
            Paragraph(
                f"{_badge(g.badge, g.colour)}&nbsp;&nbsp;{_p(g.heading)} "
                f'<font color="{MUTED}">({_p(g.counts)})</font>',
                st["kind"],
            )
        )
    if c.groups:
        out.append(
            Paragraph("Each kind is set out, finding by finding, in the appendix.", st["note"])
        )
    if c.about:
        out += [Spacer(1, 4), Paragraph(_p(c.about[-1]), st["note"])]
    return out


def _badge(text: str, colour: str) -> str:
    return f'<font backColor="{colour}" color="#FFFFFF"><b>&nbsp;{_p(text)}&nbsp;</b></font>'


#: Findings of one kind given in full in the appendix; the rest are named in one paragraph.
IN_FULL = 1
#: Further findings of one kind named by title; the gaps page lists them all.
ALSO = 4


def _finding_blocks(c: ReportContent, st: dict, width: float) -> list:
    """The appendix's findings, kind by kind: the :data:`IN_FULL` most urgent of each in
    full (each kept whole on one page), the rest named by title."""
    out: list = [
        CondPageBreak(_ROOM["h2"]),
        Paragraph("APPENDIX", st["kicker"]),
        Paragraph("The findings in detail", st["h2"]),
    ]
    if not c.groups:
        out.append(Paragraph("No gaps found: every check passed.", st["body"]))
    for g in c.groups:
        out += _heading(g.heading, st, "h3")
        for f in g.findings[:IN_FULL]:
            badge, _, colour = SEVERITY_STYLE[f.severity]
            title = "" if len(g.findings) == 1 else f"<b>{_p(f.title)}</b> "
            text = f"{_p(f.explanation)} <b>What to do:</b> {_p(f.action)}"
            out += [Paragraph(f"{_badge(badge, colour)}&nbsp;&nbsp;{title}{text}", st["cell"])]
            out.append(Spacer(1, 3))
        rest = g.findings[IN_FULL:]
        if rest:
            titles = "; ".join(_p(f.title) for f in rest[:ALSO])
            more = (
                f"; and {len(rest) - ALSO} more (all are on the gaps page)"
                if len(rest) > ALSO
                else ""
            )
            out.append(Paragraph(f"<b>Also ({len(rest)}):</b> {titles}{more}.", st["cell"]))
    return out


def pdf_document(c: ReportContent) -> bytes:
    """The PDF of :class:`mapping.report.content.ReportContent` ``c``; the same content, the same bytes."""
    fonts = pdf_fonts()
    st = paragraph_styles(fonts)
    buffer = BytesIO()
    margin = 18 * mm
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=drawable(f"{c.title}: {c.map_name}"),
        author="Coalition Mapper",
        creator="Coalition Mapper",
        subject="Coalition gap report",
        invariant=True,
    )
    header = drawable(c.map_name)
    header = header if len(header) <= 90 else header[:89] + "…"

    def furniture(size: tuple[float, float]):
        def draw(canvas, document) -> None:
            w, h = size
            canvas.saveState()
            canvas.setFont(fonts.regular, 7.5)
            canvas.setFillColor(pdf_colour(MUTED))
            canvas.drawString(margin, 10 * mm, drawable(c.footer))
            canvas.drawRightString(w - margin, 10 * mm, f"Page {document.page}")
            if document.page > 1:
                canvas.drawString(margin, h - 12 * mm, header)
            canvas.setStrokeColor(pdf_colour(RULE))
            canvas.line(margin, 13.5 * mm, w - margin, 13.5 * mm)
            canvas.restoreState()

        return draw

    portrait, wide = A4, landscape(A4)
    frame_w = portrait[0] - 2 * margin
    doc.addPageTemplates(
        [
            PageTemplate(
                "portrait",
                [Frame(margin, 20 * mm, frame_w, portrait[1] - 40 * mm)],
                onPage=furniture(portrait),
                pagesize=portrait,
            ),
            PageTemplate(
                "landscape",
                [Frame(margin, 18 * mm, wide[0] - 2 * margin, wide[1] - 36 * mm)],
                onPage=furniture(wide),
                pagesize=wide,
            ),
        ]
    )
    map_w = wide[0] - 2 * margin - 12
    picture = scene_drawing(c.map_picture, map_w, fonts)
    room = wide[1] - 36 * mm - 60
    if picture.height > room:
        picture = scene_drawing(c.map_picture, map_w * room / picture.height, fonts)
    picture.hAlign = "CENTER"
    story = _cover(c, st, frame_w)
    story += [
        NextPageTemplate("landscape"),
        PageBreak(),
        Paragraph("The map", st["h2"]),
        picture,
        Paragraph(_p(c.map_picture.description), st["small"]),
        NextPageTemplate("portrait"),
        PageBreak(),
    ]
    story += _finding_blocks(c, st, frame_w)
    half = frame_w / 2 - 6
    charts = _flowing_table(
        [
            [
                Paragraph("Perspective coverage", st["h3"]),
                Paragraph("Power and interest", st["h3"]),
            ],
            [
                Paragraph(
                    "Who of each perspective is in the coalition and who is outside it.",
                    st["small"],
                ),
                Paragraph(
                    "Interest across, influence up; colour, shape and outline as on the map.",
                    st["small"],
                ),
            ],
            [
                scene_drawing(c.coverage_chart, half * 0.9, fonts),
                scene_drawing(c.grid_chart, min(half * 0.75, 190), fonts),
            ],
            ["", Paragraph(_p(c.grid_summary), st["small"])],
        ],
        colWidths=[half + 6, half + 6],
    )
    charts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [
        CondPageBreak(_ROOM["h2"]),
        KeepTogether([Paragraph("Perspectives, power and interest", st["h2"]), charts]),
    ]
    story += _table(c.key_players, st, frame_w, "h3")
    if c.agreed is not None:
        story += _table(c.agreed, st, frame_w)
    if c.reflections:
        story += _heading("Reflections", st)
        story += [Paragraph(_p(t), st["body"]) for t in c.reflections]
    if c.notes is not None:
        story += _table(c.notes, st, frame_w)
    doc.build(story)
    return buffer.getvalue()


def report_pdf(
    m: Map,
    report: GapReport,
    *,
    today: date,
    include_notes: bool = False,
    reflections: Sequence[str] = (),
    plan: Sequence[PlannedAction] = (),
) -> bytes:
    """The coalition report as an A4 PDF, with the same contents as :func:`report_html`.

    The map has a landscape page of its own. Text is set in DejaVu Sans when the system has
    it (see :func:`mapping.report.pdf.pdf_fonts`); characters the font cannot draw become
    '?'. The same inputs give the same bytes.

    Examples
    --------
    >>> from mapping.analysis.gaps import analyse
    >>> m = Map("M")
    >>> report_pdf(m, analyse(m, today=date(2026, 1, 1)), today=date(2026, 1, 1))[:5]
    b'%PDF-'
    """
    content = report_content(
        m, report, today=today, include_notes=include_notes, reflections=reflections, plan=plan
    )
    return pdf_document(content)
