"""A map as it was (a snapshot, or one side of a comparison) drawn read-only, kept per state.

Shared by the History page (a snapshot viewed as it was) and the Reflect page (the maps
before and after a change).
"""

from __future__ import annotations

from datetime import date

from mapping.drawing.render import render_html
from mapping.model import Map
from ui import cache

__all__ = ["drawing"]


@cache.cached("snapshot drawings", 32)
def drawing(
    key: cache.Key,
    side: tuple[str, str],
    people: tuple[str, ...],
    ties: tuple,
    today: date,
    stale: int,
    _m: Map,
    _where: dict,
) -> str:
    """A snapshot drawn; ``side`` names the other map of a comparison and which one this is."""
    return render_html(
        _m,
        positions={s.id: _where[s.id] for s in _m.stakeholders if s.id in _where} or None,
        highlight=people,
        highlight_ties=ties,
        physics=False,
        height_px=460,
        today=today,
        stale_months=stale,
    )
