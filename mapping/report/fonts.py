"""The report's PDF fonts: a Unicode TrueType font when the system has one, and text made
drawable in whichever font is used."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["FONT_DIRS", "PdfFonts", "drawable", "pdf_fonts"]

#: Where to look for a Unicode TrueType font, in order (DejaVu ships with fontconfig on Debian).
FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/liberation",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)
_FILES = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class PdfFonts:
    """The registered regular and bold font names, the file they came from, and whether the
    font covers most scripts (``unicode``) or only Western European text."""

    regular: str
    bold: str
    source: str
    unicode: bool


@lru_cache(maxsize=1)
def pdf_fonts() -> PdfFonts:
    """Register and return the report's fonts.

    DejaVu Sans (or Liberation Sans) from the system's font folders when present, since
    reportlab's built-in Helvetica draws only Western European characters; else Bitstream
    Vera, which ships inside reportlab (Latin-1 only); else Helvetica.

    >>> pdf_fonts().regular in pdfmetrics.getRegisteredFontNames() + ["Helvetica"]
    True
    """
    for folder in FONT_DIRS:
        for regular, bold in _FILES:
            path, bold_path = Path(folder, regular), Path(folder, bold)
            if path.is_file():
                fonts = _register("CMSans", path, bold_path if bold_path.is_file() else path)
                if fonts:
                    return PdfFonts(*fonts, str(path), True)
    vera = Path(reportlab.__file__).parent / "fonts"
    fonts = _register("CMVera", vera / "Vera.ttf", vera / "VeraBd.ttf")
    if fonts:
        return PdfFonts(*fonts, str(vera / "Vera.ttf"), False)
    return PdfFonts("Helvetica", "Helvetica-Bold", "Helvetica (built into PDF readers)", False)


def _register(name: str, regular: Path, bold: Path) -> tuple[str, str] | None:
    try:
        pdfmetrics.registerFont(TTFont(name, str(regular)))
        pdfmetrics.registerFont(TTFont(f"{name}-Bold", str(bold)))
    except Exception:  # an unreadable or unsupported font file: try the next
        return None
    pdfmetrics.registerFontFamily(
        name, normal=name, bold=f"{name}-Bold", italic=name, boldItalic=f"{name}-Bold"
    )
    return name, f"{name}-Bold"


@lru_cache(maxsize=8)
def _coverage(font: str) -> frozenset[int] | None:
    glyphs = getattr(getattr(pdfmetrics.getFont(font), "face", None), "charToGlyph", None)
    return frozenset(glyphs) if glyphs else None


def drawable(text: object, font: str | None = None) -> str:
    """``text`` with control characters made spaces and characters ``font`` (default: the
    report's font) cannot draw replaced by '?'.

    >>> drawable("Zoë Ńowak", "Helvetica")
    'Zoë ?owak'
    """
    font = font or pdf_fonts().regular
    text = _CONTROL.sub(" ", str(text))
    covered = _coverage(font)
    if covered is None:  # a standard PDF font: WinAnsi (cp1252) characters only
        return "".join(c if c.encode("cp1252", "ignore") else "?" for c in text)
    return "".join(c if ord(c) in covered or c.isspace() else "?" for c in text)
