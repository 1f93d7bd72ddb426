"""A still picture (:class:`mapping.drawing.scene.Scene`) drawn with reportlab, for the PDF."""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.graphics.shapes import Path as RPath
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics

from mapping.drawing.scene import Label, Scene, Shape, Stroke
from mapping.report.fonts import PdfFonts, drawable, pdf_fonts

__all__ = ["pdf_colour", "scene_drawing"]


def pdf_colour(hex_colour: str, opacity: float = 1.0) -> colors.Color | None:
    """A reportlab colour from ``#RRGGBB`` and an opacity; ``None`` for no colour."""
    if not hex_colour:
        return None
    c = colors.HexColor(hex_colour)
    return colors.Color(c.red, c.green, c.blue, alpha=opacity)


def scene_drawing(scene: Scene, width: float, fonts: PdfFonts | None = None) -> Drawing:
    """A :class:`mapping.drawing.picture.Scene` as a reportlab drawing ``width`` points wide."""
    fonts = fonts or pdf_fonts()
    s = width / scene.width
    height = scene.height * s
    d = Drawing(width, height)

    def pt(p: tuple[float, float]) -> tuple[float, float]:
        return p[0] * s, height - p[1] * s

    for item in scene.items:
        if isinstance(item, Label):
            font = fonts.bold if item.bold else fonts.regular
            text = drawable(item.text, font)
            x, y = pt((item.x, item.y))
            size = item.size * s
            if item.halo:
                w = pdfmetrics.stringWidth(text, font, size)
                x0 = x - {"start": 0, "middle": w / 2, "end": w}[item.anchor]
                white = pdf_colour("#FFFFFF", 0.75)
                d.add(Rect(x0 - 1, y - 0.25 * size, w + 2, size, fillColor=white, strokeColor=None))
            d.add(
                String(
                    x,
                    y,
                    text,
                    fontName=font,
                    fontSize=size,
                    textAnchor=item.anchor,
                    fillColor=pdf_colour(item.colour, item.opacity),
                )
            )
            continue
        if isinstance(item, Stroke):
            colour = pdf_colour(item.colour, item.opacity)
            kw = {
                "strokeColor": colour,
                "strokeWidth": item.width * s,
                "strokeLineCap": 1,
                "strokeDashArray": [v * s for v in item.dashes] or None,
            }
            (x1, y1), (x2, y2) = pt(item.points[0]), pt(item.points[-1])
            if len(item.points) == 3:
                qx, qy = pt(item.points[1])
                path = RPath(fillColor=None, **kw)
                path.moveTo(x1, y1)
                path.curveTo(
                    x1 + 2 * (qx - x1) / 3,
                    y1 + 2 * (qy - y1) / 3,
                    x2 + 2 * (qx - x2) / 3,
                    y2 + 2 * (qy - y2) / 3,
                    x2,
                    y2,
                )
                d.add(path)
            else:
                d.add(Line(x1, y1, x2, y2, **kw))
            continue
        shape: Shape = item
        kw = {
            "fillColor": pdf_colour(shape.fill, shape.opacity),
            "strokeColor": pdf_colour(shape.stroke, shape.opacity),
            "strokeWidth": shape.stroke_width * s if shape.stroke else 0,
            "strokeDashArray": [v * s for v in shape.dashes] or None,
            "strokeLineJoin": 1,
        }
        if shape.radius:
            cx, cy = pt(shape.points[0])
            d.add(Circle(cx, cy, shape.radius * s, **kw))
        else:
            d.add(Polygon([c for p in shape.points for c in pt(p)], **kw))
    return d
