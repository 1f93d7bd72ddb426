"""Where names go on the still picture: beside their marker, wherever there is room."""

from __future__ import annotations

import math

from mapping.drawing.scene import text_width

__all__ = ["Boxes", "place_label", "short"]


def short(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis.

    >>> short("A  very   long name", 8), short("Ann", 8)
    ('A very…', 'Ann')
    """
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


class Boxes:
    """Rectangles already taken on the picture, in a grid of cells for quick overlap tests."""

    def __init__(self, cell: float) -> None:
        self.cell = max(cell, 1.0)
        self.grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells(self, box: tuple[float, float, float, float]):
        x0, y0, x1, y1 = (math.floor(v / self.cell) for v in box)
        return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]

    def free(self, box: tuple[float, float, float, float]) -> bool:
        return not any(
            box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3]
            for c in self._cells(box)
            for o in self.grid.get(c, ())
        )

    def add(self, box: tuple[float, float, float, float]) -> None:
        for c in self._cells(box):
            self.grid.setdefault(c, []).append(box)


def place_label(
    taken: Boxes,
    x: float,
    y: float,
    r: float,
    text: str,
    font: float,
    force: bool,
    room: tuple[float, float],
) -> tuple | None:
    """Where a name goes: below its marker, else above, right or left, whichever is free; if
    none is, below anyway when ``force``, else nowhere (``None``). Names stay inside ``room``
    (left and right edges): below or above, they slide along to stay in it.

    >>> taken = Boxes(40)
    >>> place_label(taken, 95, 50, 5, "A long name", 10, True, (0, 100))
    (68.425, 65, 'middle')
    """
    w, h = text_width(text, font), font
    left, right = room
    slide = min(max(x, left + w / 2), right - w / 2) if w <= right - left else left + w / 2
    options = [
        (slide, y + r + font, "middle", (slide - w / 2, y + r + 1, slide + w / 2, y + r + 2 + h)),
        (slide, y - r - 3, "middle", (slide - w / 2, y - r - 3 - h, slide + w / 2, y - r - 2)),
        (x + r + 3, y + font / 3, "start", (x + r + 2, y - h / 2, x + r + 3 + w, y + h / 2)),
        (x - r - 3, y + font / 3, "end", (x - r - 3 - w, y - h / 2, x - r - 2, y + h / 2)),
    ]
    options = [o for o in options if o[3][0] >= left and o[3][2] <= right] or options[:1]
    choice = next((o for o in options if taken.free(o[3])), options[0] if force else None)
    if choice is None:
        return None
    taken.add(choice[3])
    return choice[:3]
