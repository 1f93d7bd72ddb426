"""Layouts that place people by what they are, not by their ties: clusters by perspective and
the power/interest grid."""

from __future__ import annotations

import math

from mapping.model import Map, Stakeholder

__all__ = ["perspective_layout", "grid_layout"]

_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


def _sunflower(cx: float, cy: float, count: int, radius: float, spacing: float) -> list:
    """``count`` distinct points spiralling out from ``(cx, cy)``, the first at the centre."""
    step = spacing if count < 2 else min(spacing, radius / math.sqrt(count - 1))
    return [
        (
            cx + step * math.sqrt(j) * math.cos(j * _GOLDEN_ANGLE),
            cy + step * math.sqrt(j) * math.sin(j * _GOLDEN_ANGLE),
        )
        for j in range(count)
    ]


def _cluster_order(s: Stakeholder) -> tuple:
    return (not s.coalition, -s.influence, s.id)


def perspective_layout(m: Map, *, scale: float = 1000.0) -> dict[str, tuple[float, float]]:
    """Each perspective a cluster on a ring, in the map's order of perspectives.

    The first perspective sits at the top and the rest follow clockwise; inside a cluster
    coalition members and the most influential sit at its centre. Clusters never overlap
    and stay inside ``[-scale, scale]``.

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M", perspectives=("clinical", "other"), stakeholders=(
    ...     Stakeholder("a", "Ann", perspective="clinical"),
    ...     Stakeholder("b", "Bo", perspective="other")))
    >>> perspective_layout(m)
    {'a': (0.0, -600.0), 'b': (0.0, 600.0)}
    """
    groups: dict[str, list[Stakeholder]] = {p: [] for p in m.perspectives}
    for s in m.stakeholders:
        groups.setdefault(s.perspective, []).append(s)
    k = len(groups)
    ring = 0.0 if k <= 1 else 0.6 * scale
    room = 0.9 * scale if k <= 1 else min(0.38 * scale, 0.9 * ring * math.sin(math.pi / k))
    out: dict[str, tuple[float, float]] = {}
    for i, people in enumerate(groups.values()):
        angle = -math.pi / 2 + 2 * math.pi * i / max(k, 1)
        cx = round(ring * math.cos(angle), 9) + 0.0
        cy = round(ring * math.sin(angle), 9) + 0.0
        ordered = sorted(people, key=_cluster_order)
        points = _sunflower(cx, cy, len(ordered), room, 0.06 * scale)
        for s, xy in zip(ordered, points, strict=True):
            out[s.id] = (float(xy[0]), float(xy[1]))
    return {s.id: out[s.id] for s in m.stakeholders}


def grid_layout(
    m: Map, *, scale: float = 1000.0, high_influence: int = 4
) -> dict[str, tuple[float, float]]:
    """The power/interest grid: interest left to right, influence bottom to top.

    Each of the 5 x 5 cells (ratings 1-5) is ``0.4 * scale`` wide and high; people sharing a
    cell stand in a column down its middle, evenly spaced, in order of name, so that their
    names (drawn below them) are read one under another and never share a spot; the cells
    at the top of a quadrant (influence 5, and just below ``high_influence``) keep their top
    strip for the quadrant's name. Screen ``y`` grows downwards, so high influence has a
    negative ``y``.

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann", influence=5, interest=1),
    ...                                 Stakeholder("b", "Bo", influence=3, interest=3),
    ...                                 Stakeholder("c", "Cy", influence=3, interest=3)))
    >>> grid_layout(m)
    {'a': (-800.0, -770.0), 'b': (0.0, -55.0), 'c': (0.0, 115.0)}
    """
    cells: dict[tuple[int, int], list[Stakeholder]] = {}
    for s in m.stakeholders:
        cells.setdefault((s.interest, s.influence), []).append(s)
    cell = 0.4 * scale
    out: dict[str, tuple[float, float]] = {}
    for (interest, influence), people in cells.items():
        cx = (interest - 3) * cell
        cy = -(influence - 3) * cell + 0.0
        people.sort(key=lambda s: (s.name.casefold(), s.id))
        k = len(people)
        head = 0.15 * cell if influence in (5, high_influence - 1) else 0.0
        for i, s in enumerate(people):
            y = cy - cell / 2 + head + (i + 0.5) * (cell - head) / k
            out[s.id] = (float(cx), float(y))
    return {s.id: out[s.id] for s in m.stakeholders}
