"""The map page's vis-network options: fonts, tie drawing, physics and interaction."""

from __future__ import annotations

from typing import Any

__all__ = ["PHYSICS_LIMIT", "network_options", "settling_steps"]

#: Up to this many stakeholders the map settles with physics, then freezes.
PHYSICS_LIMIT = 300


def settling_steps(n: int) -> int:
    """Physics steps before the map freezes: 300 for small maps, fewer as they grow, since
    the positions come from a force-directed layout already (300 steps on 300 people took
    3 s in headless Chromium before the first draw; 50 steps, 1 s).

    >>> settling_steps(20), settling_steps(100), settling_steps(300)
    (300, 150, 50)
    """
    return max(50, min(300, 15_000 // max(n, 1)))


def network_options(n: int, physics: bool) -> dict[str, Any]:
    """vis-network's options for a map of ``n`` people, settling with ``physics`` or not."""
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
                "iterations": settling_steps(n),
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
