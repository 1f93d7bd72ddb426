"""Enter ends a table edit at once: the edit reaches Python without Streamlit's 150 ms hold.

Streamlit's table editor holds each edit 150 ms before sending it, in case another follows,
except when an edit is ended by a click outside the table: that one is sent at once. Here,
Enter in a cell's text editor (the key that ends a typed edit) is turned into that click
outside, so a typed edit is saved as soon as it is made (measured in Chromium on the sample
map: from about 250 ms to about 130 ms from the Enter to a settled page). Nothing else
changes: Shift+Enter still starts a new line, ticking a box or choosing from a list still
goes through the hold, and the edit is the same edit.

Should a later Streamlit not close the editor on that click, the Enter is handed back to the
editor as it came and the page stops turning Enter into a click (the real-browser test of
this module fails then, so the upgrade is noticed).
"""

from __future__ import annotations

import streamlit as st

__all__ = ["enter_ends_edits"]

_JS = """
export default function() {
    const onKey = (event) => {
        if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey
            || event.metaKey || event.isComposing || window.__coalitionEnterOff) return;
        const cell = event.target;
        if (!(cell instanceof HTMLElement) || !cell.matches("textarea.gdg-input, input.gdg-input")
            || event.coalitionEnter) return;  // each table on the page listens: act once
        event.coalitionEnter = true;
        event.preventDefault();
        event.stopPropagation();  // the editor never sees this Enter
        // the table's editor closes on a press outside it and sends that edit at once
        document.body.dispatchEvent(new PointerEvent("pointerdown", {bubbles: true, cancelable: true}));
        setTimeout(() => {
            if (cell.isConnected && document.activeElement === cell) {
                window.__coalitionEnterOff = true;  // the editor stayed open: hand Enter back
                cell.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", code: "Enter",
                    keyCode: 13, which: 13, bubbles: true, cancelable: true}));
            } else {
                window.__coalitionEnterEnded = (window.__coalitionEnterEnded || 0) + 1;
            }
        }, 50);
    };
    window.addEventListener("keydown", onKey, true);
    window.__coalitionEnterReady = (window.__coalitionEnterReady || 0) + 1;
    return () => {
        window.removeEventListener("keydown", onKey, true);
        window.__coalitionEnterReady -= 1;
    };
}
"""

_component = st.components.v2.component("coalition_mapper_table_enter", js=_JS)


def enter_ends_edits(key: str) -> None:
    """Mount the page's Enter handling for its editable tables (``key`` unique on the page)."""
    _component(key=key)
