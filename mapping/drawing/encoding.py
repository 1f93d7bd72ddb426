"""The visual encoding every picture of a map shares: colour is perspective, shape is stance,
a thick dark outline marks the coalition, line width is strength, red dashes are conflict,
faded dots are stale ties. The interactive page (:mod:`mapping.drawing.render`), the still
picture (:mod:`mapping.drawing.picture`), the report and the app's charts all read it here.
"""

from __future__ import annotations

from dataclasses import dataclass

from mapping.model import Map, Stance

__all__ = [
    "PALETTE",
    "CYCLE_BORDERS",
    "STANCE_SHAPES",
    "short_name",
    "SHAPE_PATHS",
    "VEGA_SHAPES",
    "TIE_GREY",
    "CONFLICT_RED",
    "COALITION_BORDER",
    "CONFLICT_DASHES",
    "STALE_DASHES",
    "STALE_OPACITY",
    "TIE_OPACITY",
    "LIT_TIE",
    "FADED",
    "FADED_TEXT",
    "LegendItem",
    "perspective_style",
    "legend",
    "rgba",
    "darker",
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
CYCLE_BORDERS: tuple[tuple[tuple[int, ...], str], ...] = (
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
SHAPE_PATHS = {
    "star": "M0 -7 L1.6 -2.2 L6.7 -2.2 L2.6 0.8 L4.1 5.7 L0 2.7 L-4.1 5.7 L-2.6 0.8 "
    "L-6.7 -2.2 L-1.6 -2.2 Z",
    "triangle": "M0 -7 L6.5 5 L-6.5 5 Z",
    "dot": "M-6 0 A6 6 0 1 0 6 0 A6 6 0 1 0 -6 0 Z",
    "square": "M-5.5 -5.5 H5.5 V5.5 H-5.5 Z",
    "triangleDown": "M0 7 L6.5 -5 L-6.5 -5 Z",
    "hexagon": "M-6.5 0 L-3.2 -5.6 L3.2 -5.6 L6.5 0 L3.2 5.6 L-3.2 5.6 Z",
}
#: Stance -> Vega marker for the app's charts: the same shapes as on the map.
VEGA_SHAPES: dict[Stance, str] = {
    Stance.CHAMPION: "M0,-1L0.235,-0.324L0.951,-0.309L0.38,0.124L0.588,0.809L0,0.4L-0.588,0.809"
    "L-0.38,0.124L-0.951,-0.309L-0.235,-0.324Z",  # star
    Stance.SUPPORTER: "triangle-up",
    Stance.NEUTRAL: "circle",
    Stance.SCEPTIC: "square",
    Stance.OPPOSED: "triangle-down",
    Stance.UNKNOWN: "M-1,0L-0.5,-0.866L0.5,-0.866L1,0L0.5,0.866L-0.5,0.866Z",  # hexagon
}

TIE_GREY = "#555555"
CONFLICT_RED = "#C00000"
COALITION_BORDER = "#111111"
CONFLICT_DASHES = (10, 6)
STALE_DASHES = (3, 5)
STALE_OPACITY = 0.45
#: Opacity of a tie drawn normally.
TIE_OPACITY = 0.85
#: Colour of a lit (highlighted) tie that is not a conflict.
LIT_TIE = "#111111"
FADED = 0.18
FADED_TEXT = "#C8C8C8"


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


def perspective_style(m: Map) -> dict[str, tuple[str, str, tuple[int, ...], str]]:
    """Perspective -> (fill, colour name, border dashes, border words), in the map's order."""
    names = list(dict.fromkeys([*m.perspectives, *(s.perspective for s in m.stakeholders)]))
    out = {}
    for i, name in enumerate(names):
        colour, colour_name = PALETTE[i % len(PALETTE)]
        dashes, words = CYCLE_BORDERS[(i // len(PALETTE)) % len(CYCLE_BORDERS)]
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
    for name, (colour, colour_name, dashes, words) in perspective_style(m).items():
        text = f"{colour_name} fill" + (f", {words}" if words else "")
        items.append(LegendItem("perspective", name, colour, "dot", text, dashes))
    for stance, (shape, words) in STANCE_SHAPES.items():
        items.append(LegendItem("stance", stance.value, "", shape, words))
    items += [
        LegendItem("marker", "In the coalition", "", "dot", "thick black outline"),
        LegendItem("marker", "Influence", "", "dot", "bigger shape = more influence (1-5)"),
        LegendItem("tie", "Tie", TIE_GREY, "line", "thicker line = stronger tie (1-5)"),
        LegendItem("tie", "One-way tie", TIE_GREY, "arrow", "arrow points to the target"),
        LegendItem("tie", "Conflict", CONFLICT_RED, "line", "red dashed line", CONFLICT_DASHES),
        LegendItem(
            "tie",
            f"Not confirmed in {stale_months} months",
            TIE_GREY,
            "line",
            "faded dotted line",
            STALE_DASHES,
        ),
    ]
    return items


def rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def darker(colour: str) -> str:
    """A darker shade of a ``#RRGGBB`` colour, for borders.

    >>> darker("#FFFFFF")
    '#999999'
    """
    r, g, b = (int(int(colour[i : i + 2], 16) * 0.6) for i in (1, 3, 5))
    return f"#{r:02X}{g:02X}{b:02X}"


def short_name(name: str, limit: int) -> str:
    """``name`` in at most ``limit`` characters, for a label in a crowded picture: given
    names become initials first, then the end is cut with an ellipsis.

    >>> short_name("Priya Raman", 12), short_name("Dr Olamide Bankole", 14)
    ('Priya Raman', 'Dr O. Bankole')
    >>> short_name("Cllr Bartholomew Featherstonehaugh", 12)
    'Cllr B. Fea…'
    """
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    words = name.split(" ")
    titles = {"dr", "cllr", "prof", "mr", "mrs", "ms", "mx", "sir", "dame", "rev", "lord", "lady"}
    lead = 1 if len(words) > 2 and words[0].rstrip(".").casefold() in titles else 0
    if len(words) - lead > 1:
        initials = [w if i < lead else f"{w[0]}." for i, w in enumerate(words[:-1])]
        name = " ".join([*initials, words[-1]])
    if len(name) <= limit:
        return name
    return name[: max(limit - 1, 1)].rstrip() + "…"
