"""A bridge from the map's iframe to Python: positions after a drag and clicked stakeholders.

After a drag the page sends the place of everyone drawn (the dragged people where they were
dropped), so that what is saved is the picture the user saw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from typing import Any

import streamlit as st

_JS = """
export default function(component) {
    const { setTriggerValue } = component;
    const handler = (event) => {
        const data = event.data;
        if (!data || typeof data !== "object" || event.origin !== window.location.origin) return;
        if (data.type === "coalition-mapper:positions") {
            // everyone as drawn, then the dragged people where they were dropped
            setTriggerValue("positions", Object.assign({}, data.drawn || {}, data.positions));
        }
        if (data.type === "coalition-mapper:select") setTriggerValue("select", data.stakeholders);
    };
    window.addEventListener("message", handler);
    return () => window.removeEventListener("message", handler);
}
"""

_bridge = st.components.v2.component("coalition_mapper_map_bridge", js=_JS)


def map_bridge(key: str, on_positions: Callable[[], None], on_select: Callable[[], None]) -> Any:
    """Mount the bridge; its ``positions`` and ``select`` values arrive through the callbacks."""
    return _bridge(key=key, on_positions_change=on_positions, on_select_change=on_select)


def clean_positions(value: object, known: Collection[str]) -> dict[str, tuple[float, float]]:
    """Positions sent by the page, keeping only known stakeholders and finite numbers.

    >>> clean_positions({"a": [1, 2.5], "b": ["x", 1], "zz": [0, 0]}, {"a", "b"})
    {'a': (1.0, 2.5)}
    """
    out: dict[str, tuple[float, float]] = {}
    if not isinstance(value, dict):
        return out
    for sid, xy in value.items():
        if sid not in known or not isinstance(xy, list | tuple) or len(xy) != 2:
            continue
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in xy):
            x, y = float(xy[0]), float(xy[1])
            if math.isfinite(x) and math.isfinite(y):
                out[sid] = (x, y)
    return out
