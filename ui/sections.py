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


def first_time(key: str, value: bool) -> bool:
    """``value`` the first time this session asks under ``key``, and the same ever after: an
    ``expanded`` for :func:`opened` that stays put while the page is in use."""
    return bool(st.session_state.setdefault(key, value))
