"""The report PDF's colours and paragraph styles."""

from __future__ import annotations

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from mapping.report.fonts import PdfFonts
from mapping.report.pdf_drawing import pdf_colour

__all__ = ["ACCENT", "INK", "MUTED", "PANEL", "RULE", "paragraph_styles"]

#: Text, muted text, accent, panel background and rule colours.
INK, MUTED, ACCENT, PANEL, RULE = "#1A1A1A", "#555555", "#005EB8", "#F4F6F9", "#D0D5DD"


def paragraph_styles(fonts: PdfFonts) -> dict[str, ParagraphStyle]:
    """The report's paragraph styles by name (``body``, ``h2``, ``cell``...), set in ``fonts``."""
    base = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=9.5,
        leading=13,
        textColor=pdf_colour(INK),
        alignment=TA_LEFT,
        spaceAfter=4,
    )

    def like(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "kicker": like("kicker", fontName=fonts.bold, fontSize=9, textColor=pdf_colour(ACCENT)),
        "title": like("title", fontName=fonts.bold, fontSize=19, leading=23, spaceAfter=6),
        "meta": like("meta", textColor=pdf_colour(MUTED)),
        "h2": like(
            "h2",
            keepWithNext=1,
            fontName=fonts.bold,
            fontSize=15,
            leading=19,
            spaceBefore=12,
            spaceAfter=6,
            textColor=pdf_colour(INK),
        ),
        "h3": like(
            "h3", keepWithNext=1, fontName=fonts.bold, fontSize=11.5, leading=15, spaceBefore=8
        ),
        "h4": like("h4", fontName=fonts.bold, fontSize=10, leading=14),
        "small": like(
            "small", keepWithNext=1, fontSize=8, leading=10.5, textColor=pdf_colour(MUTED)
        ),
        "cell": like("cell", fontSize=8, leading=10, spaceAfter=0),
        "kind": like("kind", fontSize=8.5, leading=11.5, spaceAfter=2),
        "note": like("note", fontSize=7.5, leading=9.5, textColor=pdf_colour(MUTED)),
        "head": like("head", fontName=fonts.bold, fontSize=8, leading=10, spaceAfter=0),
        "value": like(
            "value",
            fontName=fonts.bold,
            fontSize=18,
            leading=22,
            textColor=pdf_colour(ACCENT),
            spaceAfter=2,
        ),
    }
