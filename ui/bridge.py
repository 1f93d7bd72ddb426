"""A bridge between the map's iframe and Python: positions after a drag and clicked
stakeholders from the frame, a change of layout to it.

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
    const { setTriggerValue, parentElement, data } = component;
    // a change of layout for the map's frame (see ui/map_screen.py), told to the frame now
    // and again whenever a frame says it is ready (a frame loaded afresh)
    const change = (data && data.change) || null;
    const tell = (target) => target.postMessage(
        { type: "coalition-mapper:layout", change: change }, window.location.origin);
    const handler = (event) => {
        const data = event.data;
        if (!data || typeof data !== "object" || event.origin !== window.location.origin) return;
        if (data.type === "coalition-mapper:positions") {
            // everyone as drawn, then the dragged people where they were dropped
            setTriggerValue("positions", Object.assign({}, data.drawn || {}, data.positions));
        }
        if (data.type === "coalition-mapper:select") setTriggerValue("select", data.stakeholders);
        if (data.type === "coalition-mapper:ready" && change && event.source) tell(event.source);
    };
    // this runs again when the change does: one listener at a time
    if (parentElement.coalitionMapperBridge) {
        window.removeEventListener("message", parentElement.coalitionMapperBridge);
    }
    parentElement.coalitionMapperBridge = handler;
    window.addEventListener("message", handler);
    if (change) {
        for (const frame of document.querySelectorAll("iframe")) {
            try {
                if (frame.contentWindow && frame.contentWindow.coalitionMap) tell(frame.contentWindow);
            } catch (error) {}  // a frame of another origin
        }
    }
    return () => {
        window.removeEventListener("message", handler);
        if (parentElement.coalitionMapperBridge === handler) parentElement.coalitionMapperBridge = null;
    };
}
"""

_bridge = st.components.v2.component("coalition_mapper_map_bridge", js=_JS)


def map_bridge(
    key: str,
    on_positions: Callable[[], None],
    on_select: Callable[[], None],
    change: dict[str, Any] | None = None,
) -> Any:
    """Mount the bridge; its ``positions`` and ``select`` values arrive through the callbacks.
    ``change``: a change of layout for the map's frame (:func:`ui.map_screen.drawing`)."""
    return _bridge(
        key=key,
        data={"change": change} if change else None,
        on_positions_change=on_positions,
        on_select_change=on_select,
    )


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
