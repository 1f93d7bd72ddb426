"""Sections sent only while open: the one way the app keeps long pages light.

A section's contents are worked out and sent to the browser only while it is open; opening
or closing it reruns the page (Streamlit keeps whether it is open under ``key``). Pages with
many cards (findings, the guide, the measures) or heavy contents (the map's table, the
downloads, who is on record) use it so that a page switch sends only the headings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def opened(label: str, key: str, *, icon: str | None = None) -> Iterator[bool]:
    """An expander titled ``label``; yields whether it is open, and the caller draws its
    contents only then::

        with sections.opened("Erase a person everywhere", "erase-open") as shown:
            if not shown:
                return
            ...
    """
    with st.expander(label, icon=icon, key=key, on_change="rerun") as box:
        yield bool(box.open)
