"""The report's two charts as scenes: perspective coverage as bars, and the power/interest
grid with everyone placed (drawn by :mod:`mapping.report.html` and :mod:`mapping.report.pdf`,
offered by :mod:`mapping.report.content` too)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from mapping.analysis.coverage import PerspectiveCoverage
from mapping.analysis.grid import KEEP_INFORMED, KEEP_SATISFIED, MANAGE_CLOSELY, SECTORS
from mapping.drawing.encoding import STANCE_SHAPES, legend, short_name
from mapping.drawing.scene import Label, Scene, Shape, Stroke, shape_points
from mapping.model import Map, Stance

__all__ = ["coverage_scene", "grid_scene"]

#: The bars of people in and outside the coalition.
_IN, _OUT = "#0072B2", "#BBBBBB"


def coverage_scene(rows: Sequence[PerspectiveCoverage], width: float = 640) -> Scene:
    """Bars per perspective: people in the coalition (blue) and outside it (grey), with counts.

    >>> row = PerspectiveCoverage("clinical", 3, ("a",), ("b", "c"), 4, 3, 2)
    >>> [i.text for i in coverage_scene([row]).items if isinstance(i, Label)][2:5]
    ['clinical', '1', '2']
    """
    left, bar_h, gap, top = 190.0, 16.0, 10.0, 34.0
    most = max((r.stakeholders for r in rows), default=0) or 1
    span = width - left - 40
    items: list[Shape | Stroke | Label] = [
        Shape("key", ((left, 8), (left + 12, 8), (left + 12, 20), (left, 20)), _IN),
        Label("key", left + 17, 18, "In the coalition", 11),
        Shape("key", ((left + 130, 8), (left + 142, 8), (left + 142, 20), (left + 130, 20)), _OUT),
        Label("key", left + 147, 18, "Outside the coalition", 11),
    ]
    for i, r in enumerate(rows):
        y = top + i * (bar_h + gap)
        name = r.perspective if len(r.perspective) <= 30 else r.perspective[:29] + "…"
        items.append(Label("axis", left - 8, y + 12, name, 11, anchor="end"))
        x = left
        for count, colour, text_colour in (
            (len(r.members), _IN, "#FFFFFF"),
            (len(r.outside), _OUT, "#1A1A1A"),
        ):
            w = span * count / most
            if count:
                box = ((x, y), (x + w, y), (x + w, y + bar_h), (x, y + bar_h))
                items.append(Shape("bar", box, colour))
                inside = w >= 18
                items.append(
                    Label(
                        "value",
                        x + w / 2 if inside else x + w + 4,
                        y + 12,
                        str(count),
                        10,
                        text_colour if inside else "#1A1A1A",
                        "middle" if inside else "start",
                    )
                )
            x += w
        if not r.stakeholders:
            items.append(Label("value", left + 4, y + 12, "nobody on the map", 10, "#555555"))
    height = top + max(len(rows), 1) * (bar_h + gap) + 6
    return Scene(
        width,
        height,
        tuple(items),
        "Perspective coverage",
        "; ".join(f"{r.perspective}: {len(r.members)} in, {len(r.outside)} out" for r in rows),
    )


def _threshold(frame: pd.DataFrame, column: str, high: tuple[str, ...]) -> int:
    """The lowest rating counted as high, read back from the sectors people were put in."""
    highs = frame.loc[frame["sector"].isin(high), column]
    lows = frame.loc[~frame["sector"].isin(high), column]
    if len(highs):
        return int(highs.min())
    return int(lows.max()) + 1 if len(lows) else 4


def grid_scene(m: Map, grid: pd.DataFrame, size: float = 520) -> Scene:
    """The power/interest grid: interest across, influence up, the four sectors shaded; each
    person drawn as on the map (colour perspective, shape stance, dark outline if a member).

    ``grid`` is :attr:`GapReport.grid`.
    """
    left, top, bottom = 40.0, 30.0, 40.0
    side = size - left - 14
    cell = side / 5
    hi_inf = _threshold(grid, "influence", (MANAGE_CLOSELY, KEEP_SATISFIED))
    hi_int = _threshold(grid, "interest", (MANAGE_CLOSELY, KEEP_INFORMED))
    sx = left + (hi_int - 1) * cell
    sy = top + (5 - (hi_inf - 1)) * cell
    x1, y1 = left + side, top + side
    items: list[Shape | Stroke | Label] = []
    names: list[Label] = []
    boxes = ((sx, top, x1, sy), (left, top, sx, sy), (sx, sy, x1, y1), (left, sy, sx, y1))
    for name, (a, b, c, d) in zip(SECTORS, boxes, strict=True):
        if c > a and d > b:
            shade = "#E4EDF7" if name == MANAGE_CLOSELY else "#F4F6F9"
            items.append(Shape("sector", ((a, b), (c, b), (c, d), (a, d)), shade))
            text = f"{name.capitalize()} ({int((grid['sector'] == name).sum())})"
            names.append(Label("sector", (a + c) / 2, b + 12, text, 10, "#333333", "middle", True))
    for k in range(6):
        x, y = left + k * cell, top + k * cell
        items += [
            Stroke("axis", ((x, top), (x, y1)), "#D0D5DD", 0.6),
            Stroke("axis", ((left, y), (x1, y)), "#D0D5DD", 0.6),
        ]
    items += [
        Stroke("axis", ((sx, top), (sx, y1)), "#6B7A8F", 1.5),
        Stroke("axis", ((left, sy), (x1, sy)), "#6B7A8F", 1.5),
        *names,
        Label("axis", left + side / 2, y1 + 32, "Interest", 11, anchor="middle", bold=True),
        Label("axis", 4, top - 10, "Influence", 11, bold=True),
    ]
    for k in range(1, 6):
        items.append(Label("axis", left + (k - 0.5) * cell, y1 + 14, str(k), 10, anchor="middle"))
        items.append(Label("axis", left - 8, top + (5.5 - k) * cell + 4, str(k), 10, anchor="end"))
    colours = {i.label: i.colour for i in legend(m) if i.kind == "perspective"}
    cells: dict[tuple[int, int], list] = {}
    for row in grid.sort_values(["coalition", "name"], ascending=[False, True]).itertuples():
        cells.setdefault((int(row.interest), int(row.influence)), []).append(row)
    # Everyone in a cell stands in a column, marker then name, below the sector's name in
    # the cells under it: no two names overlap, and long ones are shortened to fit the cell.
    for (interest, influence), people in sorted(cells.items()):
        x0, y0 = left + (interest - 1) * cell, top + (5 - influence) * cell
        head = 13.0 if influence in (5, hi_inf - 1) else 0.0
        step = (cell - head - 2) / len(people)
        font = min(8.0, step - 1.5)
        r = max(min(font * 0.45, 4.0), 1.5)
        limit = max(int((cell - 2 * r - 7) / (0.56 * font)), 3)
        for j, p in enumerate(people):
            x, y = x0 + 3 + r, y0 + head + 1 + (j + 0.5) * step
            shape = STANCE_SHAPES[Stance.parse(p.stance)][0]
            poly = shape_points(shape, x, y, r) or ((x, y),)
            border = "#111111" if p.coalition else "#555555"
            width = 1.5 if p.coalition else 0.6
            fill = colours.get(p.perspective, "#999999")
            title = f"{p.name} ({p.perspective}, {p.stance}): {p.sector}"
            circle = 0.0 if len(poly) > 1 else r
            items.append(Shape("marker", poly, fill, border, width, (), 1.0, circle, title))
            name = short_name(str(p.name), limit)
            items.append(Label("name", x + r + 2, y + font * 0.35, name, font))
    return Scene(size, top + side + bottom, tuple(items), "Power/interest grid")
