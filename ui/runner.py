"""Running one page: on the current map, inside the error boundary, or the welcome when
there is no map yet."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui import boundary, state
from ui.welcome import welcome


def run(page_function: Callable, title: str, *, needs_map: bool = True) -> None:
    """Run a page on the current map, a ``MappingError`` shown as its message (see
    :mod:`ui.boundary`), after the message of a callback refused before the page ran."""
    cur = state.taken_over()
    state.flash()
    if cur is None and needs_map:
        st.header(title)
        st.info("There is no map yet: choose a way to start.")
        welcome(None, always=True)
        return
    with boundary.shown():
        page_function(cur)
    if cur is not None:
        state.show(cur)  # the base of the user's next change (see state.save)
