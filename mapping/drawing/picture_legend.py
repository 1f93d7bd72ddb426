"""The still picture's legend panel: a swatch and a line of text for each encoding."""

from __future__ import annotations

from dataclasses import replace

from mapping.drawing.encoding import COALITION_BORDER, STALE_OPACITY, LegendItem, darker
from mapping.drawing.picture_labels import short
from mapping.drawing.scene import Label, Shape, Stroke, shape_points

__all__ = ["SECTIONS", "legend_panel", "swatch"]

#: The legend's sections, in order: the kind of item each holds and its heading.
SECTIONS = (
    ("perspective", "Colour: perspective"),
    ("stance", "Shape: stance"),
    ("marker", "Outline and size"),
    ("tie", "Lines: relationships"),
)


def swatch(item: LegendItem, cx: float, cy: float, stale: bool) -> list[Shape | Stroke]:
    """The little drawing beside one legend line."""
    if item.kind == "tie":
        opacity = STALE_OPACITY if stale else 1.0
        line = Stroke(
            "swatch", ((cx - 14, cy), (cx + 14, cy)), item.colour, 2, item.dashes, opacity
        )
        if item.shape != "arrow":
            return [line]
        head = ((cx + 16, cy), (cx + 7, cy - 5), (cx + 7, cy + 5))
        return [
            replace(line, points=((cx - 14, cy), (cx + 9, cy))),
            Shape("swatch", head, item.colour),
        ]
    if item.kind == "perspective":
        width = 2.0 if item.dashes else 1.0
        border = darker(item.colour)
        return [Shape("swatch", ((cx, cy),), item.colour, border, width, item.dashes, radius=6.5)]
    if item.label == "Influence":
        return [
            Shape("swatch", ((cx - 8, cy + 3),), "#FFFFFF", "#444444", radius=3.5),
            Shape("swatch", ((cx + 4, cy),), "#FFFFFF", "#444444", radius=7.5),
        ]
    if item.kind == "marker":
        return [Shape("swatch", ((cx, cy),), "#FFFFFF", COALITION_BORDER, 3.0, radius=6.5)]
    poly = shape_points(item.shape, cx, cy, 6.5)
    if poly:
        return [Shape("swatch", poly, "#FFFFFF", "#444444")]
    return [Shape("swatch", ((cx, cy),), "#FFFFFF", "#444444", radius=6.5)]


def legend_panel(items: list[LegendItem], x: float, width: float, top: float) -> tuple[list, float]:
    """The legend panel from :func:`mapping.drawing.encoding.legend`, ``width`` wide at ``x``
    and starting ``top`` below the picture's top edge, and where it ends (y)."""
    out: list[Shape | Stroke | Label] = [Label("legend", x + 12, top + 14, "Key", 15, bold=True)]
    chars = max(int((width - 56) / 6.2), 8)
    stale = [i for i in items if i.kind == "tie"][-1:]
    y = top + 22
    for kind, heading in SECTIONS:
        out.append(Label("legend", x + 12, y + 18, heading, 12, bold=True))
        y += 26
        for item in (i for i in items if i.kind == kind):
            out += swatch(item, x + 26, y + 9, item in stale)
            out.append(Label("legend", x + 46, y + 8, short(item.label, chars), 12))
            desc = short(item.description, chars + 4)
            out.append(Label("legend", x + 46, y + 21, desc, 10, "#555555"))
            y += 30
    return out, y
