"""A still picture of a map (standalone SVG) with the interactive map's encodings and legend."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from mapping.analysis.quality import is_stale
from mapping.drawing.encoding import (
    COALITION_BORDER,
    FADED,
    FADED_TEXT,
    LIT_TIE,
    STALE_OPACITY,
    STANCE_SHAPES,
    TIE_OPACITY,
    LegendItem,
    darker,
    legend,
)
from mapping.drawing.layout import canvas_scale, place, spring_layout
from mapping.drawing.layout_names import even_out
from mapping.drawing.picture_labels import Boxes, place_label, short
from mapping.drawing.picture_legend import legend_panel
from mapping.drawing.scene import (
    TEXT_COLOUR,
    Label,
    Point,
    Scene,
    Shape,
    Stroke,
    scene_svg,
    shape_points,
)
from mapping.errors import ValidationError
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.wording import count_of

__all__ = ["LABEL_ALL", "map_scene", "map_svg"]

_LEGEND_WIDTH = 300.0
#: Up to this many stakeholders everyone is named, overlapping or not; on bigger maps names
#: that would overlap another are left out (highlighted people are always named).
LABEL_ALL = 150
_MARGIN = 24.0


def _positions(m: Map, given: Mapping[str, tuple[float, float]] | None) -> dict[str, Point]:
    """The interactive map's placement: given (or saved) positions, the rest laid out."""
    start = {}
    for key, (x, y) in (dict(m.positions) if given is None else dict(given)).items():
        if math.isfinite(float(x)) and math.isfinite(float(y)):
            start[key] = (float(x), float(y))
    ids = [s.id for s in m.stakeholders]
    if all(i in start for i in ids):
        return start
    if not start:  # a fresh layout, with room for the names, as the map page draws it
        return place(replace(m, positions={}))
    return spring_layout(m, seed=42, previous=start, scale=canvas_scale(len(ids)))


def _fit(points: dict[str, Point], box: tuple[float, float, float, float]) -> dict[str, Point]:
    """Scale and centre ``points`` into ``box`` (x0, y0, x1, y1), keeping the aspect ratio."""
    if not points:
        return {}
    x0, y0, x1, y1 = box
    xs = [p[0] for p in points.values()]
    ys = [p[1] for p in points.values()]
    dx, dy = max(xs) - min(xs), max(ys) - min(ys)
    scales = [size / span for size, span in ((x1 - x0, dx), (y1 - y0, dy)) if span > 1e-9]
    scale = min(scales) if scales else 0.0
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    return {k: (mx + (x - cx) * scale, my + (y - cy) * scale) for k, (x, y) in points.items()}


def _marker_title(s: Stakeholder) -> str:
    bits = [s.perspective, s.stance.value, f"influence {s.influence} of 5"]
    return f"{s.name} ({', '.join(bits)})" + (", in the coalition" if s.coalition else "")


def _tie_styles(items: list[LegendItem]) -> dict[str, LegendItem]:
    ties = [i for i in items if i.kind == "tie"]
    return {
        "tie": ties[0],
        "conflict": next(i for i in ties if i.label == "Conflict"),
        "stale": ties[-1],
    }


def _tie_items(
    r: Relationship,
    ends: tuple[Point, Point, float],
    k: int,
    styles: dict[str, LegendItem],
    stale: bool,
    emphasis: bool | None,
    unit: float,
    title: str,
) -> list[Shape | Stroke]:
    """The line (curved apart when ``k`` earlier ties join the same pair) and its arrowhead."""
    (ax, ay), (bx, by), target_radius = ends
    style = styles["conflict"] if r.is_conflict else styles["tie"]
    colour = style.colour
    dashes = styles["stale"].dashes if stale else style.dashes
    opacity = STALE_OPACITY if stale else TIE_OPACITY
    width = float(r.strength) * 0.6 * unit
    if emphasis:
        opacity, width = 1.0, width + 1.5 * unit
        colour = colour if r.is_conflict else LIT_TIE
    elif emphasis is False:
        opacity = FADED
    length = math.hypot(bx - ax, by - ay) or 1.0
    ux, uy = (bx - ax) / length, (by - ay) / length
    points: list[Point] = [(ax, ay), (bx, by)]
    if k:
        ahead = (r.source, r.target) == tuple(sorted((r.source, r.target)))
        side = 1.0 if (k % 2 == 1) == ahead else -1.0
        bend = side * 0.2 * ((k + 1) // 2) * length
        points.insert(1, ((ax + bx) / 2 - uy * bend, (ay + by) / 2 + ux * bend))
    out: list[Shape | Stroke] = []
    arrow = None
    if r.directed:
        cx, cy = points[-2]
        d = math.hypot(bx - cx, by - cy) or 1.0
        dx, dy = (bx - cx) / d, (by - cy) / d
        tip = (bx - dx * (target_radius + unit), by - dy * (target_radius + unit))
        size = (5.0 + 1.2 * r.strength) * unit
        base = (tip[0] - dx * size, tip[1] - dy * size)
        half = 0.55 * size
        arrow = Shape(
            "arrow",
            (
                tip,
                (base[0] - dy * half, base[1] + dx * half),
                (base[0] + dy * half, base[1] - dx * half),
            ),
            colour,
            opacity=opacity,
        )
        points[-1] = (tip[0] - dx * size * 0.8, tip[1] - dy * size * 0.8)
    out.append(
        Stroke("tie", tuple(points), colour, width, tuple(d * unit for d in dashes), opacity, title)
    )
    if arrow:
        out.append(arrow)
    return out


def _check(name: str, value: object, low: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= low:
        msg = f"The picture's {name} must be a number of pixels, {low:g} or more, got {value!r}."
        raise ValidationError(msg)
    return float(value)


def map_scene(
    m: Map,
    positions: Mapping[str, tuple[float, float]] | None = None,
    *,
    width: float = 1200,
    height: float = 900,
    highlight: Iterable[str] = (),
    include_labels: bool = True,
    today: date | None = None,
    stale_months: int = 12,
) -> Scene:
    """The map as shapes, lines and labels, ready to write as SVG or draw in a PDF.

    Same parameters as :func:`map_svg`, which documents them.
    """
    width, height = _check("width", width, 300), _check("height", height, 200)
    if isinstance(stale_months, bool) or not isinstance(stale_months, int) or stale_months < 0:
        msg = f"Months before a tie counts as stale must be 0 or more, got {stale_months!r}."
        raise ValidationError(msg)
    items = legend(m, stale_months=stale_months)
    legend_width = min(_LEGEND_WIDTH, 0.4 * width)
    key, bottom = legend_panel(items, width - legend_width, legend_width, _MARGIN)
    height = max(height, bottom + _MARGIN)
    box = (_MARGIN, _MARGIN, width - legend_width - _MARGIN, height - _MARGIN)
    n = len(m.stakeholders)
    crowd = min(max(math.sqrt(60 / max(n, 1)), 0.45), 1.0)
    unit = max(min(box[2] - box[0], box[3] - box[1]) / 850 * crowd, 0.3)
    font = 11 * max(unit, 0.7)
    ids = {s.id for s in m.stakeholders}
    lit = {sid for sid in highlight if sid in ids}
    radius = {
        s.id: (4 + 1.6 * s.influence) * unit * (1.25 if s.id in lit else 1) for s in m.stakeholders
    }
    pad = max(radius.values(), default=0) + 2
    inner = (
        box[0] + pad + (4 * font if include_labels else 0),
        box[1] + pad,
        box[2] - pad - (4 * font if include_labels else 0),
        box[3] - pad - (font + 2 if include_labels else 0),
    )
    placed = _positions(m, positions)
    where = _fit(even_out({s.id: placed[s.id] for s in m.stakeholders}), inner)

    styles = {i.label: i for i in items if i.kind == "perspective"}
    ties = _tie_styles(items)
    day = today or date.today()
    names = m.names()
    lines: list[tuple[int, list]] = []
    seen: dict[frozenset, int] = {}
    for r in m.relationships:
        if r.source not in ids or r.target not in ids:
            continue
        pair = frozenset((r.source, r.target))
        seen[pair] = seen.get(pair, -1) + 1
        emphasis = None if not lit else pair <= lit
        stale = is_stale(r.last_confirmed, day, stale_months)
        arrow = "→" if r.directed else "↔"
        title = f"{names[r.source]} {arrow} {names[r.target]}: {r.type}, strength {r.strength} of 5"
        ends = (where[r.source], where[r.target], radius[r.target])
        drawn = _tie_items(r, ends, seen[pair], ties, stale, emphasis, unit, title)
        lines.append((0 if emphasis is False else (2 if emphasis else 1), drawn))
    scene: list[Shape | Stroke | Label] = []
    for _, drawn in sorted(lines, key=lambda pair: pair[0]):
        scene += drawn

    taken = Boxes(4 * font)
    for s in m.stakeholders:
        x, y = where[s.id]
        taken.add((x - radius[s.id], y - radius[s.id], x + radius[s.id], y + radius[s.id]))
    spots, room = {}, (2.0, width - legend_width - 4.0)  # names stay left of the legend
    if include_labels:  # the highlighted and most influential get the best places
        for s in sorted(m.stakeholders, key=lambda s: (s.id not in lit, -s.influence)):
            x, y, force = *where[s.id], n <= LABEL_ALL or s.id in lit
            spot = place_label(taken, x, y, radius[s.id], short(s.name, 40), font, force, room)
            if spot:
                spots[s.id] = spot
    markers, labels = [], []
    for s in sorted(m.stakeholders, key=lambda s: (not lit or s.id in lit, s.influence)):
        x, y = where[s.id]
        style = styles[s.perspective]
        faded = bool(lit) and s.id not in lit
        border = COALITION_BORDER if s.coalition else darker(style.colour)
        bw = (3.0 if s.coalition else (2.0 if style.dashes else 1.0)) * max(unit, 0.5)
        poly = shape_points(STANCE_SHAPES[s.stance][0], x, y, radius[s.id]) or ((x, y),)
        circle = 0.0 if len(poly) > 1 else radius[s.id]
        opacity = FADED if faded else 1.0
        markers.append(
            Shape(
                "marker",
                poly,
                style.colour,
                border,
                bw,
                style.dashes,
                opacity,
                circle,
                _marker_title(s),
            )
        )
        if s.id in spots:
            lx, ly, anchor = spots[s.id]
            colour = FADED_TEXT if faded else TEXT_COLOUR
            name = short(s.name, 40)
            labels.append(
                Label("label", lx, ly, name, font, colour, anchor, s.id in lit, halo=True)
            )
    if not m.stakeholders:
        labels.append(
            Label(
                "label",
                (box[0] + box[2]) / 2,
                (box[1] + box[3]) / 2,
                "No stakeholders on this map yet.",
                16,
                "#555555",
                "middle",
            )
        )
    panel = (
        (width - legend_width, 0.0),
        (width, 0.0),
        (width, height),
        (width - legend_width, height),
    )
    scene += markers + labels + [Shape("legend", panel, "#F7F7F7", "#DDDDDD")] + key
    members = sum(s.coalition for s in m.stakeholders)
    summary = (
        f"{count_of(n, 'stakeholder')}, {count_of(len(m.relationships), 'relationship')}, "
        f"{members} in the coalition. "
        "Colour shows perspective, shape stance, size influence; a thick dark outline marks "
        "coalition members; line width shows strength; red dashed lines are conflicts; faded "
        f"dotted lines were not confirmed in {stale_months} months."
    )
    return Scene(width, height, tuple(scene), f"Stakeholder map: {m.name}", summary)


def map_svg(
    m: Map,
    positions: Mapping[str, tuple[float, float]] | None = None,
    *,
    width: float = 1200,
    height: float = 900,
    highlight: Iterable[str] = (),
    include_labels: bool = True,
    today: date | None = None,
    stale_months: int = 12,
) -> str:
    """The map as a standalone SVG picture with its legend, drawn like the interactive map.

    Colour is perspective and shape is stance (:func:`mapping.drawing.encoding.legend`), size is
    influence, a thick dark outline marks coalition members. Line width is strength, arrows
    show one-way ties, conflicts are red and dashed, ties not confirmed in ``stale_months``
    before ``today`` are faded and dotted (never confirmed is not stale). ``highlight`` (stakeholder ids; others
    are ignored) is emphasised, everything else faded, and ties between two highlighted
    people drawn dark. The legend sits on the right; the picture grows taller than
    ``height`` when the legend needs it. With ``include_labels`` names sit beside their
    markers where there is room; above :data:`LABEL_ALL` stakeholders, names with no room are
    left out (highlighted people are always named, and every marker's tooltip holds its name).

    Stakeholders sit at ``positions`` (canvas coordinates, default the map's saved
    positions; with none, :func:`mapping.drawing.layout.place`'s, with room for names; else
    the rest by :func:`mapping.drawing.layout.spring_layout`, as on the interactive map),
    scaled to fit. User text is escaped and characters XML forbids are replaced by U+FFFD;
    each stakeholder is one element of class ``marker`` whose tooltip is their name,
    perspective, stance and influence (never notes). Same map and ``today``, same text.

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "<Ann>", coalition=True),))
    >>> svg = map_svg(m, today=date(2026, 1, 1))
    >>> svg.startswith("<?xml"), svg.count('class="marker"'), "<Ann>" in svg, "&lt;Ann&gt;" in svg
    (True, 1, False, True)
    """
    scene = map_scene(
        m,
        positions,
        width=width,
        height=height,
        highlight=highlight,
        include_labels=include_labels,
        today=today,
        stale_months=stale_months,
    )
    return scene_svg(scene)
