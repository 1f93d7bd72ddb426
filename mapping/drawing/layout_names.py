"""Room for names on the network map: people pushed apart until, zoomed to fit a laptop's
map frame, each marker and the name below it clear everyone else's."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from mapping.drawing.scene import text_width

__all__ = ["NAME_PX", "NAME_VIEW", "even_out", "make_room_for_names", "marker_radius"]

#: The room names are made for (:func:`make_room_for_names`): the map's frame on a 1366 x 768
#: laptop (672 x 626 pixels) less the margins the page keeps when it fits the view.
NAME_VIEW = (532.0, 566.0)
#: How high names are drawn at the fitted zoom, in pixels (the page's ``LABEL_PX``).
NAME_PX = 12.0


def even_out(points: Mapping[Any, tuple[float, float]]) -> dict[Any, tuple[float, float]]:
    """Open up a crowded core: each distance from the centre becomes half itself and half
    its rank (as if people were spread evenly over a disc). Directions and the order of
    distances are kept, so neighbours stay neighbours.

    >>> where = even_out({"a": (-10.0, 0.0), "b": (1.0, 0.0), "c": (9.0, 0.0)})
    >>> {k: round(x, 2) for k, (x, _) in where.items()}
    {'a': -9.56, 'b': 2.54, 'c': 8.04}
    """
    if len(points) < 3:
        return dict(points)
    cx = sum(p[0] for p in points.values()) / len(points)
    cy = sum(p[1] for p in points.values()) / len(points)
    polar = {
        k: (math.hypot(x - cx, y - cy), math.atan2(y - cy, x - cx)) for k, (x, y) in points.items()
    }
    far = max(r for r, _ in polar.values())
    if far <= 0:
        return dict(points)
    ranked = sorted(polar, key=lambda k: (polar[k][0], str(k)))
    out = {}
    for rank, k in enumerate(ranked):
        r, angle = polar[k]
        even = far * math.sqrt((rank + 0.5) / len(ranked))
        mixed = 0.5 * r + 0.5 * even
        out[k] = (cx + mixed * math.cos(angle), cy + mixed * math.sin(angle))
    return {k: out[k] for k in points}


def make_room_for_names(
    points: Mapping[Any, tuple[float, float]],
    names: Mapping[Any, str],
    radius: Mapping[Any, float],
    *,
    view: tuple[float, float] = NAME_VIEW,
    px: float = NAME_PX,
    rounds: int = 120,
) -> dict[Any, tuple[float, float]]:
    """Move people apart so that, zoomed to fit ``view`` (pixels), each one's marker and
    name (drawn ``px`` high below it) clear everyone else's.

    Names keep their size on screen whatever the zoom, so spreading the whole picture out
    does not make room: the crowded core is evened out first (:func:`even_out`), then each
    overlapping pair of boxes (marker and name) is pushed apart along the shorter way out,
    the picture fitted to ``view`` again, and so on for at most ``rounds`` rounds or until
    nothing overlaps. Where there is not room for everyone, the page hides the less
    important names. ``radius`` is each marker's radius in canvas units. Same input, same
    output.

    >>> where = make_room_for_names(
    ...     {"a": (0.0, 0.0), "b": (10.0, 0.0), "c": (400.0, 400.0)},
    ...     {"a": "Ann Long-Surname", "b": "Bo Long-Surname", "c": "Cy"},
    ...     {"a": 10.0, "b": 10.0, "c": 10.0})
    >>> _name_overlaps(where, {k: "Ann Long-Surname" for k in where}, {k: 10.0 for k in where})
    0
    """
    ids = list(points)
    if len(ids) < 2:
        return dict(points)
    spread = even_out(points)
    xy = np.array([spread[i] for i in ids], dtype=float)
    half = np.array([text_width(names[i], px) / 2 + 2 for i in ids])
    r = np.array([float(radius[i]) for i in ids])
    for _ in range(rounds):
        boxes = _boxes(xy, half, r, view, px)
        hit, ox, oy, dx, dy = _overlaps(*boxes)
        if not hit.any():
            break
        sideways = ox < oy
        move_x = np.where(hit & sideways, ox * dx, 0.0).sum(axis=1)
        move_y = np.where(hit & ~sideways, oy * dy, 0.0).sum(axis=1)
        xy[:, 0] += 0.5 * move_x
        xy[:, 1] += 0.5 * move_y
    return {i: (float(x), float(y)) for i, (x, y) in zip(ids, xy, strict=True)}


def _boxes(xy: np.ndarray, half: np.ndarray, r: np.ndarray, view: tuple, px: float) -> tuple:
    """Centres and half sizes (canvas units) of each marker with its name below, at the zoom
    that fits ``xy`` into ``view``."""
    span = np.maximum(np.ptp(xy, axis=0), 1e-9)
    s = min(view[0] / span[0], view[1] / span[1])
    top = xy[:, 1] - r
    bottom = xy[:, 1] + r + (1.15 * px + 4) / s
    return xy[:, 0], (top + bottom) / 2, np.maximum(half / s, r), (bottom - top) / 2


def _overlaps(cx: np.ndarray, cy: np.ndarray, hw: np.ndarray, hh: np.ndarray) -> tuple:
    """Which boxes overlap (a matrix), by how much each way, and which way is out."""
    ox = hw[:, None] + hw[None, :] - np.abs(cx[:, None] - cx[None, :])
    oy = hh[:, None] + hh[None, :] - np.abs(cy[:, None] - cy[None, :])
    hit = (ox > 0) & (oy > 0)
    np.fill_diagonal(hit, False)
    n = len(cx)
    order = np.arange(n)
    tie = np.where(order[:, None] > order[None, :], 1.0, -1.0)  # the later one goes right
    dx = np.sign(cx[:, None] - cx[None, :])
    dy = np.sign(cy[:, None] - cy[None, :])
    return hit, ox, oy, np.where(dx == 0, tie, dx), np.where(dy == 0, tie, dy)


def _name_overlaps(
    points: Mapping[Any, tuple[float, float]],
    names: Mapping[Any, str],
    radius: Mapping[Any, float],
    view: tuple[float, float] = NAME_VIEW,
    px: float = NAME_PX,
) -> int:
    """How many pairs of people's boxes (marker and name) overlap when fitted to ``view``."""
    ids = list(points)
    xy = np.array([points[i] for i in ids], dtype=float)
    half = np.array([text_width(names[i], px) / 2 + 2 for i in ids])
    r = np.array([float(radius[i]) for i in ids])
    hit = _overlaps(*_boxes(xy, half, r, view, px))[0]
    return int(hit.sum() // 2)


def marker_radius(influence: int) -> float:
    """A person's marker radius on the interactive map (canvas units), by influence.

    >>> marker_radius(1), marker_radius(5)
    (12.0, 28.0)
    """
    return 8.0 + 4.0 * influence
