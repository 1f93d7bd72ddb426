"""Sections sent only while open: the one way the app keeps long pages light.

A section's contents are worked out and sent to the browser only while it is open; opening
or closing it reruns the page (Streamlit keeps whether it is open under ``key``). Pages with
many cards (findings, the guide, the measures, how each analysis is worked out) or heavy
contents (the map's table, the downloads, who is on record, the add forms) use it so that a
page switch sends only the headings: a form or text drawn inside a shut expander still costs
the browser its drawing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def opened(
    label: str, key: str, *, icon: str | None = None, expanded: bool = False
) -> Iterator[bool]:
    """An expander titled ``label``, open at first if ``expanded``; yields whether it is
    open, and the caller draws its contents only then::

        with sections.opened("Erase a person everywhere", "erase-open") as shown:
            if not shown:
                return
            ...

    ``expanded`` is part of what Streamlit knows the expander by: a different value is
    another expander, shut or open as ``expanded`` says, so keep it the same for a page.
    """
    with st.expander(label, icon=icon, key=key, on_change="rerun", expanded=expanded) as box:
        yield bool(box.open)


@contextmanager
def opened_while(
    label: str, key: str, empty: bool, map_id: int, *, icon: str | None = None
) -> Iterator[bool]:
    """:func:`opened`, open at first while the map ``map_id`` is ``empty`` of what the section
    adds: decided the first time the map is shown this session and kept (an ``expanded``
    that changed would be another expander, shut after the first add)."""
    first = bool(st.session_state.setdefault(f"{key}-{map_id}", empty))
    with opened(label, key, icon=icon, expanded=first) as shown:
        yield shown
