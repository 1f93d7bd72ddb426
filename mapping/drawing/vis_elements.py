"""How the map page draws each person and tie (vis-network node and edge options, their
plain-text tooltips) and each legend row."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict
from typing import Any

from mapping.drawing.encoding import (
    COALITION_BORDER,
    CONFLICT_DASHES,
    CONFLICT_RED,
    FADED,
    FADED_TEXT,
    LIT_TIE,
    SHAPE_PATHS,
    STALE_DASHES,
    STALE_OPACITY,
    STANCE_SHAPES,
    TIE_GREY,
    TIE_OPACITY,
    LegendItem,
    darker,
    rgba,
)
from mapping.errors import ValidationError
from mapping.model import Relationship, Stakeholder

__all__ = [
    "DEFAULT_FIELDS",
    "NODE_FIELDS",
    "check_fields",
    "edge_options",
    "edge_title",
    "legend_row",
    "node_options",
    "node_size",
    "node_title",
]

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


def node_title(s: Stakeholder, fields: Collection[str]) -> str:
    """A person's tooltip: their name, then the chosen ``fields`` that have a value.

    >>> print(node_title(Stakeholder("a", "Ann", role="GP", coalition=True), {"role"}))
    Ann
    Role: GP
    In the coalition
    """
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


def edge_title(r: Relationship, names: Mapping[str, str], stale: bool, fields) -> str:
    """A tie's tooltip: both ends, type and strength, when last confirmed, and the chosen
    ``fields`` (how we know, notes) that have a value."""
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


def node_size(s: Stakeholder, emphasis: bool | None, grid: bool = False) -> float:
    """A person's size on the map: by influence, or small on the power/interest ``grid``
    (influence is their height there, and small marks leave room for names); larger when
    lit (``emphasis`` as :func:`node_options`).

    >>> from mapping.model import Stakeholder
    >>> ann = Stakeholder("a", "Ann", influence=4)
    >>> node_size(ann, None), node_size(ann, True), node_size(ann, None, grid=True)
    (24.0, 29.0, 7.0)
    """
    if grid:
        return 7.0 + (3.0 if emphasis else 0.0)
    return 8.0 + 4.0 * s.influence + (5.0 if emphasis else 0.0)


def node_options(
    s: Stakeholder, style: tuple, emphasis: bool | None, fields: Collection[str]
) -> dict[str, Any]:
    """pyvis ``add_node`` options; ``emphasis`` is None without a highlight, else lit or not."""
    fill, _, dashes, _ = style
    faded = emphasis is False
    border = COALITION_BORDER if s.coalition else darker(fill)
    node: dict[str, Any] = {
        "label": s.name,
        "title": node_title(s, fields),
        "shape": STANCE_SHAPES[s.stance][0],
        "color": {
            "background": rgba(fill, FADED) if faded else fill,
            "border": rgba(border, FADED) if faded else border,
            "highlight": {"background": fill, "border": "#000000"},
            "hover": {"background": fill, "border": "#000000"},
        },
        "size": node_size(s, emphasis),
        "borderWidth": 3 if s.coalition else (2.0 if dashes else 1.0),
    }
    if dashes:
        node["shapeProperties"] = {"borderDashes": list(dashes)}
    if emphasis is not None:
        node["font"] = {"size": 16} if emphasis else {"color": FADED_TEXT, "size": 14}
        node["lit"] = bool(emphasis)  # the page draws names at its own size: this tells
    return node


def edge_options(r: Relationship, stale: bool, emphasis: bool | None, k: int) -> dict:
    """pyvis ``add_edge`` options; ``k`` counts earlier ties between the same two people."""
    colour = CONFLICT_RED if r.is_conflict else TIE_GREY
    dashes = STALE_DASHES if stale else (CONFLICT_DASHES if r.is_conflict else ())
    opacity = STALE_OPACITY if stale else TIE_OPACITY
    width = float(r.strength)
    if emphasis:
        opacity, width = 1.0, width + 2.0
        colour = colour if r.is_conflict else LIT_TIE
    elif emphasis is False:
        opacity = FADED
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


def check_fields(include_fields: Collection[str]) -> set[str]:
    """The tooltip fields asked for, as a set; a field not in :data:`NODE_FIELDS` is an error."""
    fields = set(include_fields)
    unknown = sorted(fields - set(NODE_FIELDS))
    if unknown:
        msg = (
            f"Cannot show the field(s) {', '.join(map(repr, unknown))} on the map; "
            f"choose from {', '.join(NODE_FIELDS)}."
        )
        raise ValidationError(msg)
    return fields


def legend_row(item: LegendItem) -> dict[str, Any]:
    """A legend item plus the drawing details the page's SVG swatch needs."""
    row = asdict(item)
    if item.kind == "tie":
        stale = item.dashes == STALE_DASHES
        row.update(width=2, opacity=STALE_OPACITY if stale else 1.0)
    else:
        coalition = item.label == "In the coalition" and item.kind == "marker"
        row.update(
            path=SHAPE_PATHS.get(item.shape, SHAPE_PATHS["dot"]),
            border=COALITION_BORDER if coalition else "#444444",
            width=3 if coalition else 1,
        )
    return row
