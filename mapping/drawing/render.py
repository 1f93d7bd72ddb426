"""Draw a map as one self-contained HTML page (vis-network via pyvis), and its legend."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

from mapping.analysis.quality import is_stale
from mapping.drawing.encoding import legend, perspective_style
from mapping.drawing.layout import canvas_scale, spring_layout
from mapping.drawing.vis_elements import (
    DEFAULT_FIELDS,
    NODE_FIELDS,
    check_fields,
    edge_options,
    edge_title,
    legend_row,
    node_options,
    node_size,
    node_title,
)
from mapping.drawing.vis_library import (
    LIBRARY_PATH,
    VIS_FILES,
    VIS_FOLDER,
    library_files,
    vis_files,
)
from mapping.drawing.vis_options import PHYSICS_LIMIT, network_options
from mapping.errors import ValidationError
from mapping.model import Map
from mapping.model.wording import count_of

__all__ = [
    "GRID_QUADRANTS",
    "LABEL_PX",
    "PHYSICS_LIMIT",
    "NODE_FIELDS",
    "VIS_FILES",
    "VIS_FOLDER",
    "library_files",
    "safe_json",
    "render_html",
    "relayout",
]

#: Names are drawn at least this many pixels high when the map is zoomed to fit.
LABEL_PX = 12
#: The power/interest grid's quadrants, from top left clockwise (high influence on top,
#: high interest on the right).
GRID_QUADRANTS = ("Keep satisfied", "Manage closely", "Keep informed", "Monitor")

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
    found: Iterable[str] = (),
    grid: bool = False,
    grid_high: tuple[int, int] = (4, 4),
    physics: bool | None = None,
    height_px: int = 650,
    include_fields: Collection[str] = DEFAULT_FIELDS,
    standalone: bool = False,
    today: date | None = None,
    stale_months: int = 12,
    library: str | None = None,
) -> str:
    """The map drawn as a complete HTML page that loads nothing from outside itself.

    Colour is perspective (:data:`PALETTE`), shape is stance (:data:`STANCE_SHAPES`), size
    is influence, a thick black outline marks coalition members. Line width is strength,
    arrows show one-way ties, conflicts are red and dashed, ties not confirmed in
    ``stale_months`` are faded and dotted (never confirmed is not stale). ``highlight`` (stakeholder ids) and
    ``highlight_ties`` (pairs of ids, either way round) are emphasised and everything else
    faded; ids not on the map are ignored. ``found`` (stakeholder ids, in order: a search's
    matches) are centred on the page, one at a time, with Next and Previous to step through
    them.

    Names are drawn at least :data:`LABEL_PX` pixels high at the fitted zoom (a control on
    the page makes them larger or smaller); where names would overlap, the less important
    (not found or highlighted, outside the coalition, less influential, fewer ties) are
    hidden until the user zooms in. Zoom in, zoom out, fit and reset buttons and the keys
    ``+``, ``-``, ``0`` and the arrows move the view. ``grid`` draws the power/interest
    grid's axes and quadrant names behind the people (pass it with the positions of
    :func:`mapping.drawing.layout_grouped.grid_layout`); ``grid_high`` is the influence and
    the interest from which a rating counts as high (the map's settings). The legend is a collapsible
    overlay on the map (below it, open, on a standalone page); the PNG download carries the
    map's name, the date and the legend.

    Nodes are placed at ``positions`` (default: the map's saved positions, the rest from
    :func:`mapping.drawing.layout.spring_layout`). With ``physics`` (default: up to
    :data:`PHYSICS_LIMIT` stakeholders when no ``positions`` are given; positions given, as
    :func:`mapping.drawing.layout.place` makes them with room for the names, are drawn as
    they are) the map settles once, then freezes; people with a
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

    vis-network's script and style sheet (about 690 KB) are part of the page, unless
    ``library`` names a path on the page's own server (``/app/static/vis-network-9.1.2``)
    holding :data:`VIS_FILES`: the page then loads them from there, and a browser that has
    them already sends for nothing. A ``standalone`` page always carries them, so that it
    opens offline from disk.

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> page = render_html(Map(name="M", stakeholders=(Stakeholder("a", "<Ann>"),)))
    >>> page.startswith("<!DOCTYPE html>"), "<Ann>" in page, "\\\\u003cAnn\\\\u003e" in page
    (True, False, True)
    """
    fields = check_fields(include_fields)
    if library is not None and not LIBRARY_PATH.fullmatch(library):
        msg = (
            f"The map's library must be a path on the app's own server such as "
            f"'/app/static/{VIS_FOLDER}', got {library!r}."
        )
        raise ValidationError(msg)
    if standalone:
        library = None
    if isinstance(height_px, bool) or not isinstance(height_px, int) or height_px < 100:
        msg = f"The map's height must be a whole number of pixels, 100 or more, got {height_px!r}."
        raise ValidationError(msg)
    if isinstance(stale_months, bool) or not isinstance(stale_months, int) or stale_months < 0:
        msg = f"Months before a tie counts as stale must be 0 or more, got {stale_months!r}."
        raise ValidationError(msg)
    n = len(m.stakeholders)
    summary = f"{count_of(n, 'stakeholder')}, {count_of(len(m.relationships), 'tie')}"
    if physics is None:  # positions given are a layout already (names have room in it)
        physics = n <= PHYSICS_LIMIT and positions is None
    physics = bool(physics)
    if all(s.id in m.positions for s in m.stakeholders):
        # Nobody may move, so physics would never settle and the page never fit the view.
        physics = False
    day = today or date.today()
    where = _positions(m, positions)
    styles = perspective_style(m)
    ids = {s.id for s in m.stakeholders}
    lit, lit_ties = _lit(m, highlight, highlight_ties)
    visid = _vis_ids(m)
    degree: dict[str, int] = {}
    for r in m.relationships:
        for end in {r.source, r.target}:
            degree[end] = degree.get(end, 0) + 1
    found_ids = [sid for sid in dict.fromkeys(found) if sid in ids]
    rank = sorted(
        m.stakeholders,
        key=lambda s: (
            s.id not in found_ids,
            s.id not in lit,
            not s.coalition,
            -s.influence,
            -degree.get(s.id, 0),
            s.name,
        ),
    )

    # directed=True: pyvis would merge parallel ties of an undirected network; mutual ties
    # get no arrow (see edge_options).
    net = Network(height=f"{height_px}px", width="100%", directed=True)
    net.node_ids = _IdList()
    for s in m.stakeholders:
        emphasis = None if not lit else s.id in lit
        node = node_options(s, styles[s.perspective], emphasis, fields)
        x, y = where[s.id]
        node.update(x=float(x), y=float(y), physics=s.id not in m.positions)
        if grid:
            node["size"] = node_size(s, emphasis, grid=True)
        net.add_node(visid[s.id], **node)
    names = m.names()
    seen_pairs: dict[frozenset, int] = {}
    for j, r in enumerate(m.relationships):
        pair = frozenset((r.source, r.target))
        seen_pairs[pair] = seen_pairs.get(pair, -1) + 1
        emphasis = None if not lit else (pair in lit_ties or (not lit_ties and pair <= lit))
        stale = is_stale(r.last_confirmed, day, stale_months)
        edge = edge_options(r, stale, emphasis, seen_pairs[pair])
        edge.update(id=f"e{j}", title=edge_title(r, names, stale, fields))
        net.add_edge(visid[r.source], visid[r.target], **edge)

    net.options = network_options(n, physics)
    if grid:  # the grid places people by their ratings: ties across it would only be noise
        net.options["edges"]["hidden"] = True
    vis_js, vis_css = vis_files() if library is None else (Markup(""), Markup(""))
    context = dict(
        vis_js=vis_js,
        vis_css=vis_css,
        library=library,
        page={
            "title": m.name or "Stakeholder map",
            "description": m.description,
            "standalone": standalone,
            "height_px": height_px,
            "summary": summary,
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
        found=bool(found_ids),
        # Tab through the people (the most important first), each announced with their
        # details; a large map is left to its table.
        people=[
            {"id": visid[s.id], "text": node_title(s, fields).replace("\n", "; ")} for s in rank
        ]
        if n <= PHYSICS_LIMIT
        else [],
        legend=[legend_row(item) for item in legend(m, stale_months=stale_months)],
        legend_sections=[
            ("perspective", "Colour: perspective"),
            ("stance", "Shape: stance"),
            ("marker", "Outline and size"),
            ("tie", "Lines: relationships"),
        ],
        meta={
            "ids": {v: k for k, v in visid.items()},
            "rank": [visid[s.id] for s in rank],
            "found": [visid[sid] for sid in found_ids],
            "label_px": _label_px(grid),
            "grid": _grid(n, grid_high) if grid else None,
            "summary": summary,
            "picture": {
                "title": m.name or "Stakeholder map",
                "date": day.isoformat(),
                "legend": [
                    {
                        "kind": row["kind"],
                        "label": row["label"],
                        "colour": row["colour"] or "#ffffff",
                        "path": row.get("path", ""),
                        "border": row.get("border", "#444444"),
                        "width": row.get("width", 1),
                        "dashes": list(row.get("dashes") or ()),
                    }
                    for row in map(legend_row, legend(m, stale_months=stale_months))
                ],
            },
            "physics": physics,
            "options": net.options,
        },
    )
    net.templateEnv = _Page(_environment().get_template("map.html"), context)
    net.path = "map.html"
    return net.generate_html()


def relayout(
    m: Map,
    positions: Mapping[str, tuple[float, float]],
    *,
    name: str = "",
    grid: bool = False,
    grid_high: tuple[int, int] = (4, 4),
    highlight: Iterable[str] = (),
    highlight_ties: Iterable[tuple[str, str]] = (),
) -> dict[str, Any]:
    """What a page that :func:`render_html` drew of ``m`` (with the same ``highlight`` and
    ``highlight_ties``) changes to show its people at ``positions`` instead, ``grid`` and
    ``grid_high`` as :func:`render_html` takes them: everyone's place and size, whether ties
    are drawn, the grid and the names' height. The app posts it to the page (a
    ``coalition-mapper:layout`` message), which redraws in place instead of being sent and
    drawn again. People are named by the page's own ids, so no user text is in it. ``name``
    names the layout: a change to the one the page shows already (its people moved, as by a
    drag) keeps the user's zoom, where a change to another fits the view to everyone.

    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", influence=4),))
    >>> change = relayout(m, {"a": (1.0, 2.0)}, grid=True)
    >>> change["positions"], change["sizes"], change["ties_hidden"], change["label_px"]
    ({'n0': [1.0, 2.0]}, {'n0': 7.0}, True, 11)
    """
    lit, _ = _lit(m, highlight, highlight_ties)
    where = _positions(m, positions)
    visid = _vis_ids(m)
    return {
        "name": name,
        "positions": {visid[s.id]: [float(c) for c in where[s.id]] for s in m.stakeholders},
        "sizes": {
            visid[s.id]: node_size(s, None if not lit else s.id in lit, grid)
            for s in m.stakeholders
        },
        "ties_hidden": grid,
        "grid": _grid(len(m.stakeholders), grid_high) if grid else None,
        "label_px": _label_px(grid),
    }


def _lit(
    m: Map, highlight: Iterable[str], highlight_ties: Iterable[tuple[str, str]]
) -> tuple[set[str], set[frozenset[str]]]:
    """The people and the ties a highlight lights (ids not on the map left out)."""
    ids = {s.id for s in m.stakeholders}
    lit = {sid for sid in highlight if sid in ids}
    lit_ties = {frozenset(pair) for pair in highlight_ties if set(pair) <= ids}
    for pair in lit_ties:
        lit |= pair
    return lit, lit_ties


def _vis_ids(m: Map) -> dict[str, str]:
    """The page's opaque id of each person (``n0``, ``n1``...)."""
    return {s.id: f"n{i}" for i, s in enumerate(m.stakeholders)}


def _grid(n: int, grid_high: tuple[int, int]) -> dict[str, Any]:
    """What the page needs to draw the power/interest grid behind ``n`` people."""
    return {"scale": canvas_scale(n), "quadrants": list(GRID_QUADRANTS), "high": list(grid_high)}


def _label_px(grid: bool) -> int:
    """Names' height at the fitted zoom: a pixel less on the grid, where they stand close."""
    return LABEL_PX - 1 if grid else LABEL_PX


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
