"""Draw a map as one self-contained HTML page (vis-network via pyvis), and its legend."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

from mapping.analysis.quality import is_stale
from mapping.errors import ValidationError
from mapping.layout import canvas_scale, spring_layout
from mapping.model import Map, Relationship, Stakeholder, Stance

__all__ = [
    "PALETTE",
    "STANCE_SHAPES",
    "PHYSICS_LIMIT",
    "NODE_FIELDS",
    "LegendItem",
    "legend",
    "safe_json",
    "render_html",
]

#: Okabe–Ito's colour-blind-safe colours, with its grey in place of black so that the thick
#: black outline of coalition members stays visible on every fill.
PALETTE: tuple[tuple[str, str], ...] = (
    ("#E69F00", "orange"),
    ("#56B4E9", "sky blue"),
    ("#009E73", "bluish green"),
    ("#F0E442", "yellow"),
    ("#0072B2", "blue"),
    ("#D55E00", "vermillion"),
    ("#CC79A7", "reddish purple"),
    ("#999999", "grey"),
)
#: Border of perspectives after the 8th: each pass through the palette gets its own dashes.
_CYCLE_BORDERS: tuple[tuple[tuple[int, ...], str], ...] = (
    ((), ""),
    ((2, 2), "dotted border"),
    ((6, 3), "dashed border"),
    ((6, 2, 2, 2), "dash-dot border"),
)
#: Stance -> (vis-network shape, words for the legend).
STANCE_SHAPES: dict[Stance, tuple[str, str]] = {
    Stance.CHAMPION: ("star", "star"),
    Stance.SUPPORTER: ("triangle", "triangle"),
    Stance.NEUTRAL: ("dot", "circle"),
    Stance.SCEPTIC: ("square", "square"),
    Stance.OPPOSED: ("triangleDown", "downward triangle"),
    Stance.UNKNOWN: ("hexagon", "hexagon"),
}
#: SVG paths (centred on 0,0, about 14 px) of the shapes, for the legend.
_SHAPE_PATHS = {
    "star": "M0 -7 L1.6 -2.2 L6.7 -2.2 L2.6 0.8 L4.1 5.7 L0 2.7 L-4.1 5.7 L-2.6 0.8 "
    "L-6.7 -2.2 L-1.6 -2.2 Z",
    "triangle": "M0 -7 L6.5 5 L-6.5 5 Z",
    "dot": "M-6 0 A6 6 0 1 0 6 0 A6 6 0 1 0 -6 0 Z",
    "square": "M-5.5 -5.5 H5.5 V5.5 H-5.5 Z",
    "triangleDown": "M0 7 L6.5 -5 L-6.5 -5 Z",
    "hexagon": "M-6.5 0 L-3.2 -5.6 L3.2 -5.6 L6.5 0 L3.2 5.6 L-3.2 5.6 Z",
}
#: Up to this many stakeholders the map settles with physics, then freezes.
PHYSICS_LIMIT = 300
#: Stakeholder and tie fields a page may show in tooltips (names always show).
NODE_FIELDS: dict[str, str] = {
    "organisation": "Organisation",
    "role": "Role",
    "perspective": "Perspective",
    "stance": "Stance",
    "influence": "Influence",
    "interest": "Interest",
    "tags": "Tags",
    "review_by": "Review by",
    "notes": "Notes",
    "how_we_know": "How we know",
}
DEFAULT_FIELDS = ("organisation", "role", "perspective", "stance", "influence", "interest")

_TIE_GREY = "#555555"
_CONFLICT_RED = "#C00000"
_COALITION_BORDER = "#111111"
_CONFLICT_DASHES = (10, 6)
_STALE_DASHES = (3, 5)
_STALE_OPACITY = 0.45
_FADED = 0.18
_FADED_TEXT = "#C8C8C8"
_TEMPLATES = Path(__file__).with_name("templates")


class _IdList(list):
    """pyvis looks node ids up in a list for every tie; a set beside it keeps that fast."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: set = set()

    def append(self, item: Any) -> None:
        super().append(item)
        self._ids.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._ids


@dataclass(frozen=True)
class LegendItem:
    """One line of the legend: what a colour, shape, outline or line style means.

    ``kind`` is ``"perspective"``, ``"stance"``, ``"marker"`` or ``"tie"``; ``colour`` a hex
    colour (or ``""``); ``shape`` a vis-network shape, or ``"line"``/``"arrow"`` for ties;
    ``dashes`` the dash pattern of the border or line (empty for solid).
    """

    kind: str
    label: str
    colour: str
    shape: str
    description: str
    dashes: tuple[int, ...] = ()


def _perspective_style(m: Map) -> dict[str, tuple[str, str, tuple[int, ...], str]]:
    """Perspective -> (fill, colour name, border dashes, border words), in the map's order."""
    names = list(dict.fromkeys([*m.perspectives, *(s.perspective for s in m.stakeholders)]))
    out = {}
    for i, name in enumerate(names):
        colour, colour_name = PALETTE[i % len(PALETTE)]
        dashes, words = _CYCLE_BORDERS[(i // len(PALETTE)) % len(_CYCLE_BORDERS)]
        out[name] = (colour, colour_name, dashes, words)
    return out


def legend(m: Map, *, stale_months: int = 12) -> list[LegendItem]:
    """What the drawing's colours, shapes, outlines and lines mean, for showing beside it.

    Examples
    --------
    >>> items = legend(Map(name="M", perspectives=("clinical", "provider")))
    >>> [(i.label, i.colour) for i in items if i.kind == "perspective"]
    [('clinical', '#E69F00'), ('provider', '#56B4E9')]
    >>> [i.shape for i in items if i.kind == "stance"][:2]
    ['star', 'triangle']
    """
    items = []
    for name, (colour, colour_name, dashes, words) in _perspective_style(m).items():
        text = f"{colour_name} fill" + (f", {words}" if words else "")
        items.append(LegendItem("perspective", name, colour, "dot", text, dashes))
    for stance, (shape, words) in STANCE_SHAPES.items():
        items.append(LegendItem("stance", stance.value, "", shape, words))
    items += [
        LegendItem("marker", "In the coalition", "", "dot", "thick black outline"),
        LegendItem("marker", "Influence", "", "dot", "bigger shape = more influence (1-5)"),
        LegendItem("tie", "Tie", _TIE_GREY, "line", "thicker line = stronger tie (1-5)"),
        LegendItem("tie", "One-way tie", _TIE_GREY, "arrow", "arrow points to the target"),
        LegendItem("tie", "Conflict", _CONFLICT_RED, "line", "red dashed line", _CONFLICT_DASHES),
        LegendItem(
            "tie",
            f"Not confirmed in {stale_months} months",
            _TIE_GREY,
            "line",
            "faded dotted line",
            _STALE_DASHES,
        ),
    ]
    return items


def safe_json(value: Any) -> Markup:
    """JSON that is safe inside an HTML ``<script>`` element: no ``<``, ``>`` or ``&``.

    >>> str(safe_json({"name": "</script><b>&"}))
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, code in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, code)
    return Markup(text)


@lru_cache(maxsize=1)
def _vis_files() -> tuple[Markup, Markup]:
    """vis-network's JS and CSS as bundled with pyvis, checked safe to inline."""
    folder = resources.files("pyvis") / "lib" / "vis-9.1.2"
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "<!--" in js or "</style" in css.lower():
        msg = "pyvis's bundled vis-network cannot be inlined safely; reinstall pyvis 0.3.2."
        raise RuntimeError(msg)
    return Markup(js), Markup(css)


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def darker(colour: str) -> str:
    """A darker shade of a ``#RRGGBB`` colour, for borders.

    >>> darker("#FFFFFF")
    '#999999'
    """
    r, g, b = (int(int(colour[i : i + 2], 16) * 0.6) for i in (1, 3, 5))
    return f"#{r:02X}{g:02X}{b:02X}"


def _node_title(s: Stakeholder, fields: Collection[str]) -> str:
    lines = [s.name]
    values = {
        "organisation": s.organisation,
        "role": s.role,
        "perspective": s.perspective,
        "stance": s.stance.value,
        "influence": f"{s.influence} of 5",
        "interest": f"{s.interest} of 5",
        "tags": ", ".join(s.tags),
        "review_by": s.review_by.isoformat() if s.review_by else "",
        "notes": s.notes,
    }
    for key, value in values.items():
        if key in fields and value:
            lines.append(f"{NODE_FIELDS[key]}: {value}")
    if s.coalition:
        lines.append("In the coalition")
    return "\n".join(lines)


def _edge_title(r: Relationship, names: Mapping[str, str], stale: bool, fields) -> str:
    arrow = "→" if r.directed else "↔"
    lines = [
        f"{names[r.source]} {arrow} {names[r.target]}",
        f"{r.type}, strength {r.strength} of 5",
    ]
    if r.last_confirmed is None:
        lines.append("Never confirmed (not yet dated)")
    else:
        lines.append(
            f"Last confirmed {r.last_confirmed.isoformat()}" + (" (stale)" if stale else "")
        )
    if "how_we_know" in fields and r.how_we_know:
        lines.append(f"How we know: {r.how_we_know}")
    if "notes" in fields and r.notes:
        lines.append(f"Notes: {r.notes}")
    return "\n".join(lines)


def _node_options(
    s: Stakeholder, style: tuple, emphasis: bool | None, fields: Collection[str]
) -> dict[str, Any]:
    """pyvis ``add_node`` options; ``emphasis`` is None without a highlight, else lit or not."""
    fill, _, dashes, _ = style
    faded = emphasis is False
    border = _COALITION_BORDER if s.coalition else darker(fill)
    node: dict[str, Any] = {
        "label": s.name,
        "title": _node_title(s, fields),
        "shape": STANCE_SHAPES[s.stance][0],
        "color": {
            "background": _rgba(fill, _FADED) if faded else fill,
            "border": _rgba(border, _FADED) if faded else border,
            "highlight": {"background": fill, "border": "#000000"},
            "hover": {"background": fill, "border": "#000000"},
        },
        "size": 8.0 + 4.0 * s.influence + (5.0 if emphasis else 0.0),
        "borderWidth": 3 if s.coalition else (2.0 if dashes else 1.0),
    }
    if dashes:
        node["shapeProperties"] = {"borderDashes": list(dashes)}
    if emphasis is not None:
        node["font"] = {"size": 16} if emphasis else {"color": _FADED_TEXT, "size": 14}
    return node


def _edge_options(r: Relationship, stale: bool, emphasis: bool | None, k: int) -> dict:
    """pyvis ``add_edge`` options; ``k`` counts earlier ties between the same two people."""
    colour = _CONFLICT_RED if r.is_conflict else _TIE_GREY
    dashes = _STALE_DASHES if stale else (_CONFLICT_DASHES if r.is_conflict else ())
    opacity = _STALE_OPACITY if stale else 0.85
    width = float(r.strength)
    if emphasis:
        opacity, width = 1.0, width + 2.0
        colour = colour if r.is_conflict else "#111111"
    elif emphasis is False:
        opacity = _FADED
    edge: dict[str, Any] = {
        "width": width,
        "color": {"color": colour, "highlight": colour, "opacity": opacity},
        "dashes": list(dashes) if dashes else False,
        "arrows": "to" if r.directed else "",
    }
    if k:  # curve parallel ties apart, alternating sides
        ahead = (r.source, r.target) == tuple(sorted((r.source, r.target)))
        edge["smooth"] = {
            "enabled": True,
            "type": "curvedCW" if (k % 2 == 1) == ahead else "curvedCCW",
            "roundness": 0.2 * ((k + 1) // 2),
        }
    return edge


def _check_fields(include_fields: Collection[str]) -> set[str]:
    fields = set(include_fields)
    unknown = sorted(fields - set(NODE_FIELDS))
    if unknown:
        msg = (
            f"Cannot show the field(s) {', '.join(map(repr, unknown))} on the map; "
            f"choose from {', '.join(NODE_FIELDS)}."
        )
        raise ValidationError(msg)
    return fields


def _settling_steps(n: int) -> int:
    """Physics steps before the map freezes: 300 for small maps, fewer as they grow, since
    the positions come from a force-directed layout already (300 steps on 300 people took
    3 s in headless Chromium before the first draw; 50 steps, 1 s).

    >>> _settling_steps(20), _settling_steps(100), _settling_steps(300)
    (300, 150, 50)
    """
    return max(50, min(300, 15_000 // max(n, 1)))


def _options(n: int, physics: bool) -> dict[str, Any]:
    large = n > PHYSICS_LIMIT
    return {
        "autoResize": True,
        "nodes": {
            "font": {
                "face": "system-ui, Arial, sans-serif",
                "size": 14,
                "color": "#1A1A1A",
                "strokeWidth": 3,
                "strokeColor": "#FFFFFF",
            },
            "shapeProperties": {"borderDashes": False},
        },
        "edges": {
            "color": {"inherit": False},
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.7}},
            "smooth": False if large else {"enabled": True, "type": "continuous"},
            "selectionWidth": 2,
            "hoverWidth": 0.5,
        },
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -3000,
                "springLength": 110,
                "springConstant": 0.03,
                "damping": 0.3,
                "avoidOverlap": 0.2,
            },
            "stabilization": {
                "enabled": True,
                "iterations": _settling_steps(n),
                "updateInterval": 50,
            },
            "minVelocity": 1.0,
        },
        "layout": {"improvedLayout": n <= 100, "randomSeed": 42},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "multiselect": True,
            "navigationButtons": False,
            "keyboard": False,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
        },
        "manipulation": {"enabled": False},
        "configure": {"enabled": False},
    }


def _positions(m: Map, given: Mapping[str, tuple[float, float]] | None) -> dict:
    start = dict(m.positions) if given is None else dict(given)
    ids = [s.id for s in m.stakeholders]
    if all(i in start for i in ids):
        return start
    return spring_layout(m, seed=42, previous=start, scale=canvas_scale(len(ids)))


def render_html(
    m: Map,
    *,
    positions: Mapping[str, tuple[float, float]] | None = None,
    highlight: Iterable[str] = (),
    highlight_ties: Iterable[tuple[str, str]] = (),
    physics: bool | None = None,
    height_px: int = 650,
    include_fields: Collection[str] = DEFAULT_FIELDS,
    standalone: bool = False,
    today: date | None = None,
    stale_months: int = 12,
) -> str:
    """The map drawn as a complete HTML page that loads nothing from outside itself.

    Colour is perspective (:data:`PALETTE`), shape is stance (:data:`STANCE_SHAPES`), size
    is influence, a thick black outline marks coalition members. Line width is strength,
    arrows show one-way ties, conflicts are red and dashed, ties not confirmed in
    ``stale_months`` are faded and dotted (never confirmed is not stale). ``highlight`` (stakeholder ids) and
    ``highlight_ties`` (pairs of ids, either way round) are emphasised and everything else
    faded; ids not on the map are ignored.

    Nodes are placed at ``positions`` (default: the map's saved positions, the rest from
    :func:`mapping.layout.spring_layout`). With ``physics`` (default: up to
    :data:`PHYSICS_LIMIT` stakeholders) the map settles once, then freezes; people with a
    saved position stay put, and when everyone has one there is nothing to settle, so the
    page draws without physics. Either way the view then fits everyone drawn, wherever the
    positions lie. Pass ``physics=False`` with a grid or perspective layout.

    User text reaches the page only as text: node ids are opaque (``n0``, ``n1``...),
    names are canvas labels, tooltips are plain text, and embedded JSON has no ``<``,
    ``>`` or ``&``. Tooltips show only ``include_fields`` (see :data:`NODE_FIELDS`); notes
    stay out unless asked for. The page sets ``window.coalitionMap`` (``network``,
    ``nodes``, ``edges``, ``ids``, ``drawn``) and, when a node is dragged, posts
    ``{type: "coalition-mapper:positions", positions: {stakeholder_id: [x, y]}, drawn: {...}}``
    to its parent window: ``positions`` for the dragged people, ``drawn`` for everyone
    drawn. ``standalone`` adds the map's name and description as a heading, opens the
    legend and adds the map as a table (its text alternative).

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> page = render_html(Map(name="M", stakeholders=(Stakeholder("a", "<Ann>"),)))
    >>> page.startswith("<!DOCTYPE html>"), "<Ann>" in page, "\\\\u003cAnn\\\\u003e" in page
    (True, False, True)
    """
    fields = _check_fields(include_fields)
    if isinstance(height_px, bool) or not isinstance(height_px, int) or height_px < 100:
        msg = f"The map's height must be a whole number of pixels, 100 or more, got {height_px!r}."
        raise ValidationError(msg)
    if isinstance(stale_months, bool) or not isinstance(stale_months, int) or stale_months < 0:
        msg = f"Months before a tie counts as stale must be 0 or more, got {stale_months!r}."
        raise ValidationError(msg)
    n = len(m.stakeholders)
    physics = n <= PHYSICS_LIMIT if physics is None else bool(physics)
    if all(s.id in m.positions for s in m.stakeholders):
        # Nobody may move, so physics would never settle and the page never fit the view.
        physics = False
    day = today or date.today()
    where = _positions(m, positions)
    styles = _perspective_style(m)
    ids = {s.id for s in m.stakeholders}
    lit = {sid for sid in highlight if sid in ids}
    lit_ties = {frozenset(pair) for pair in highlight_ties if set(pair) <= ids}
    for pair in lit_ties:
        lit |= pair
    visid = {s.id: f"n{i}" for i, s in enumerate(m.stakeholders)}

    # directed=True: pyvis would merge parallel ties of an undirected network; mutual ties
    # get no arrow (see _edge_options).
    net = Network(height=f"{height_px}px", width="100%", directed=True)
    net.node_ids = _IdList()
    for s in m.stakeholders:
        emphasis = None if not lit else s.id in lit
        node = _node_options(s, styles[s.perspective], emphasis, fields)
        x, y = where[s.id]
        node.update(x=float(x), y=float(y), physics=s.id not in m.positions)
        net.add_node(visid[s.id], **node)
    names = m.names()
    seen_pairs: dict[frozenset, int] = {}
    for j, r in enumerate(m.relationships):
        pair = frozenset((r.source, r.target))
        seen_pairs[pair] = seen_pairs.get(pair, -1) + 1
        emphasis = None if not lit else (pair in lit_ties or (not lit_ties and pair <= lit))
        stale = is_stale(r.last_confirmed, day, stale_months)
        edge = _edge_options(r, stale, emphasis, seen_pairs[pair])
        edge.update(id=f"e{j}", title=_edge_title(r, names, stale, fields))
        net.add_edge(visid[r.source], visid[r.target], **edge)

    net.options = _options(n, physics)
    vis_js, vis_css = _vis_files()
    context = dict(
        vis_js=vis_js,
        vis_css=vis_css,
        page={
            "title": m.name or "Stakeholder map",
            "description": m.description,
            "standalone": standalone,
            "height_px": height_px,
            "summary": f"{n} stakeholders, {len(m.relationships)} ties",
            "alt": (
                f"Network map of {m.name or 'the stakeholders'}: "
                f"{n} stakeholder{'' if n == 1 else 's'} and {len(m.relationships)} "
                f"tie{'' if len(m.relationships) == 1 else 's'}. "
                "Colour shows perspective and shape shows stance "
                "(see the legend). "
                + (
                    "The map as a table, below, lists everyone drawn."
                    if standalone
                    else "The page around the map lists them in a table."
                )
            ),
        },
        table=_table(m, fields, day, stale_months) if standalone else None,
        legend=[_legend_row(item) for item in legend(m, stale_months=stale_months)],
        legend_sections=[
            ("perspective", "Colour: perspective"),
            ("stance", "Shape: stance"),
            ("marker", "Outline and size"),
            ("tie", "Lines: relationships"),
        ],
        meta={
            "ids": {v: k for k, v in visid.items()},
            "physics": physics,
            "options": net.options,
        },
    )
    net.templateEnv = _Page(_environment().get_template("map.html"), context)
    net.path = "map.html"
    return net.generate_html()


def _table(m: Map, fields: Collection[str], day: date, stale_months: int) -> dict[str, list]:
    """The text alternative of a standalone page: who is drawn and how they are tied.

    People show their name, the chosen ``fields`` that are plain values and whether they are
    in the coalition; ties show both ends, type, strength and when last confirmed.
    """
    shown = [f for f in ("organisation", "role", "perspective", "stance") if f in fields]
    scores = [f for f in ("influence", "interest") if f in fields]
    people = [
        [
            s.name,
            *(str(getattr(s, f).value if f == "stance" else getattr(s, f)) for f in shown),
            *(str(getattr(s, f)) for f in scores),
            "yes" if s.coalition else "no",
        ]
        for s in m.stakeholders
    ]
    names = m.names()
    ties = [
        [
            names[r.source],
            names[r.target],
            r.type + (" (one-way)" if r.directed else ""),
            str(r.strength),
            (r.last_confirmed.isoformat() if r.last_confirmed else "never")
            + (" (stale)" if is_stale(r.last_confirmed, day, stale_months) else ""),
        ]
        for r in m.relationships
    ]
    return {
        "people_headings": [
            "Name",
            *(NODE_FIELDS[f] for f in (*shown, *scores)),
            "In the coalition",
        ],
        "people": people,
        "ties_headings": ["From", "To", "Type", "Strength (1-5)", "Last confirmed"],
        "ties": ties,
    }


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The page template's environment, made once so the template compiles once (compiling
    it for every drawing took about 25 ms)."""
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["safe_json"] = safe_json
    return env


class _Page:
    """What pyvis asks for as its ``templateEnv``: the compiled page, with this drawing's
    values added to those pyvis passes when it renders."""

    def __init__(self, template: Any, context: dict[str, Any]) -> None:
        self.template = template
        self.context = context

    def get_template(self, name: str) -> _Page:
        return self

    def render(self, **values: Any) -> str:
        return self.template.render(**self.context, **values)


def _legend_row(item: LegendItem) -> dict[str, Any]:
    """A legend item plus the drawing details the page's SVG swatch needs."""
    row = asdict(item)
    if item.kind == "tie":
        stale = item.dashes == _STALE_DASHES
        row.update(width=2, opacity=_STALE_OPACITY if stale else 1.0)
    else:
        coalition = item.label == "In the coalition" and item.kind == "marker"
        row.update(
            path=_SHAPE_PATHS.get(item.shape, _SHAPE_PATHS["dot"]),
            border=_COALITION_BORDER if coalition else "#444444",
            width=3 if coalition else 1,
        )
    return row
