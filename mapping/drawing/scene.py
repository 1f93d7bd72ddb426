"""Drawings as data (shapes, lines, labels) and their SVG: shared by the map picture and reports."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "FONT_FAMILY",
    "TEXT_COLOUR",
    "Label",
    "Point",
    "Scene",
    "Shape",
    "Stroke",
    "scene_svg",
    "shape_points",
    "text_width",
    "xml_text",
]

Point = tuple[float, float]

FONT_FAMILY = "Helvetica, Arial, 'DejaVu Sans', sans-serif"
TEXT_COLOUR = "#1A1A1A"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
#: Advance widths (thousandths of the font size) of the printable ASCII characters, space to
#: tilde, in DejaVu Sans: the widest of the fonts a picture is drawn in (the report's PDF font,
#: and the last of :data:`FONT_FAMILY`), so a box measured with them holds the text in any.
_ASCII_WIDTHS = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698,
    770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
    684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
    634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592,
    525, 636, 337, 636, 838,
)  # fmt: skip
#: Vertices of the stance shapes for a marker of radius 6 (y down), as in the map's legend.
_VERTICES: dict[str, tuple[Point, ...]] = {
    "star": (
        (0, -7),
        (1.6, -2.2),
        (6.7, -2.2),
        (2.6, 0.8),
        (4.1, 5.7),
        (0, 2.7),
        (-4.1, 5.7),
        (-2.6, 0.8),
        (-6.7, -2.2),
        (-1.6, -2.2),
    ),
    "triangle": ((0, -7), (6.5, 5), (-6.5, 5)),
    "square": ((-5.5, -5.5), (5.5, -5.5), (5.5, 5.5), (-5.5, 5.5)),
    "triangleDown": ((0, 7), (6.5, -5), (-6.5, -5)),
    "hexagon": ((-6.5, 0), (-3.2, -5.6), (3.2, -5.6), (6.5, 0), (3.2, 5.6), (-3.2, 5.6)),
}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Shape:
    """A filled outline: a polygon through ``points``, or a circle of ``radius`` (when set)
    centred on ``points[0]``.

    ``role`` names what it draws (``"marker"`` for a stakeholder, ``"arrow"``, ``"swatch"``,
    ``"bar"``...); ``title`` is a tooltip. Coordinates are pixels with y pointing down.
    """

    role: str
    points: tuple[Point, ...]
    fill: str
    stroke: str = ""
    stroke_width: float = 1.0
    dashes: tuple[float, ...] = ()
    opacity: float = 1.0
    radius: float = 0.0
    title: str = ""


@dataclass(frozen=True)
class Stroke:
    """A line from ``points[0]`` to ``points[-1]``; three points make a curve through the middle
    one as its (quadratic) control point."""

    role: str
    points: tuple[Point, ...]
    colour: str
    width: float
    dashes: tuple[float, ...] = ()
    opacity: float = 1.0
    title: str = ""


@dataclass(frozen=True)
class Label:
    """One line of text; ``anchor`` is ``"start"``, ``"middle"`` or ``"end"``."""

    role: str
    x: float
    y: float
    text: str
    size: float
    colour: str = TEXT_COLOUR
    anchor: str = "start"
    bold: bool = False
    opacity: float = 1.0
    halo: bool = False


@dataclass(frozen=True)
class Scene:
    """Everything to draw, back to front, on a ``width`` x ``height`` white canvas."""

    width: float
    height: float
    items: tuple[Shape | Stroke | Label, ...]
    title: str = ""
    description: str = ""


def shape_points(shape: str, x: float, y: float, radius: float) -> tuple[Point, ...]:
    """The polygon of a vis-network marker shape centred on ``(x, y)``; none for ``"dot"``.

    Examples
    --------
    >>> shape_points("square", 0, 0, 6)
    ((-5.5, -5.5), (5.5, -5.5), (5.5, 5.5), (-5.5, 5.5))
    >>> shape_points("dot", 0, 0, 6)
    ()
    """
    k = radius / 6.0
    return tuple((x + k * px, y + k * py) for px, py in _VERTICES.get(shape, ()))


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """How wide ``text`` is drawn at font ``size``, at most: DejaVu Sans's widths for ASCII,
    a full em for wide (East Asian) characters and 0.7 em for any other; bold a tenth wider.

    >>> text_width("Ann", 10), text_width("Ann", 10, bold=True), text_width("Zoë", 10)
    (19.52, 21.472, 19.97)
    """
    total = 0
    for char in text:
        code = ord(char)
        if 32 <= code < 127:
            total += _ASCII_WIDTHS[code - 32]
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            total += 1000
        elif not unicodedata.combining(char):
            total += 700
    return round(total * size / 1000 * (1.1 if bold else 1.0), 6)


def xml_text(text: object) -> str:
    """Text made safe for XML and HTML: markup escaped, characters XML forbids replaced.

    >>> xml_text('<b a="1">Tom & Jerry\\x07</b>')
    '&lt;b a=&quot;1&quot;&gt;Tom &amp; Jerry\\ufffd&lt;/b&gt;'
    """
    return html.escape(_NOT_XML.sub("\ufffd", str(text)), quote=True)


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _paint(fill: str, stroke: str, width: float, dashes: tuple, opacity: float) -> str:
    out = f' fill="{fill or "none"}"'
    if stroke:
        out += f' stroke="{stroke}" stroke-width="{_num(width)}"'
    if dashes:
        out += f' stroke-dasharray="{" ".join(_num(d) for d in dashes)}"'
    if opacity < 1:
        out += f' opacity="{_num(opacity)}"'
    return out


def _svg_item(item: Shape | Stroke | Label) -> str:
    if isinstance(item, Label):
        attrs = (
            f'class="{item.role}" x="{_num(item.x)}" y="{_num(item.y)}" '
            f'font-size="{_num(item.size)}" fill="{item.colour}"'
        )
        if item.anchor != "start":
            attrs += f' text-anchor="{item.anchor}"'
        if item.bold:
            attrs += ' font-weight="bold"'
        if item.opacity < 1:
            attrs += f' opacity="{_num(item.opacity)}"'
        if item.halo:
            attrs += (
                ' stroke="#FFFFFF" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
            )
        return f"<text {attrs}>{xml_text(item.text)}</text>"
    title = f"<title>{xml_text(item.title)}</title>" if item.title else ""
    if isinstance(item, Stroke):
        paint = _paint("", item.colour, item.width, item.dashes, item.opacity)
        (x1, y1), (x2, y2) = item.points[0], item.points[-1]
        if len(item.points) == 3:
            (cx, cy) = item.points[1]
            d = f"M{_num(x1)} {_num(y1)} Q{_num(cx)} {_num(cy)} {_num(x2)} {_num(y2)}"
            head = f'<path class="{item.role}" d="{d}"{paint} stroke-linecap="round"'
        else:
            head = (
                f'<line class="{item.role}" x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" '
                f'y2="{_num(y2)}"{paint} stroke-linecap="round"'
            )
    else:
        paint = _paint(item.fill, item.stroke, item.stroke_width, item.dashes, item.opacity)
        if item.radius:
            (cx, cy) = item.points[0]
            head = (
                f'<circle class="{item.role}" cx="{_num(cx)}" cy="{_num(cy)}" '
                f'r="{_num(item.radius)}"{paint}'
            )
        else:
            pts = " ".join(f"{_num(x)},{_num(y)}" for x, y in item.points)
            head = f'<polygon class="{item.role}" points="{pts}"{paint} stroke-linejoin="round"'
    return f"{head}>{title}</{head[1:].split(' ', 1)[0]}>" if title else f"{head}/>"


def scene_svg(scene: Scene, *, standalone: bool = True) -> str:
    """Write a :class:`Scene` as SVG: a complete file, or (``standalone=False``) an element
    to put inside an HTML page (no XML declaration or namespace).

    >>> scene_svg(Scene(10, 10, (Label("label", 1, 2, "<&>", 5),)), standalone=False)
    '<svg width="10" height="10" viewBox="0 0 10 10" ... font-size="5" fill="#1A1A1A">&lt;&amp;&gt;</text></svg>'
    """
    w, h = _num(scene.width), _num(scene.height)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    parts = [
        f'{head}<svg{ns} width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        f'aria-label="{xml_text(scene.title)}" font-family="{FONT_FAMILY}">'
    ]
    if scene.title:
        parts.append(f"<title>{xml_text(scene.title)}</title>")
    if scene.description:
        parts.append(f"<desc>{xml_text(scene.description)}</desc>")
    parts.append(f'<rect width="{w}" height="{h}" fill="#FFFFFF"/>')
    parts += [_svg_item(item) for item in scene.items]
    parts.append("</svg>")
    return "\n".join(parts) if standalone else "".join(parts)
