"""What the map's frame shows: the page drawn last, kept after a drag made on it.

A drag is saved, and the page runs again with the map in its new state. The frame already
shows that state (the people are where the user dropped them), so the page sends the very
page drawn before: the browser keeps its frame, Streamlit sends a reference to what it sent
already instead of the page again (hundreds of KiB on a large map), and nothing is drawn.
Any other change draws the page afresh; a change that brings back the page drawn before the
drag (Undo) is sent as a new page all the same, so the frame no longer shows the drag.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace

import streamlit as st

__all__ = ["drawing", "dragged"]

#: Added to a page to make it differ from the one in the frame (after an undone drag).
_AGAIN = "\n<!-- drawn again -->"


@dataclass(frozen=True)
class _Screen:
    #: The page as drawn, and as sent (the same, or the same with :data:`_AGAIN` toggled).
    drawn: str
    sent: str
    #: Everything besides the map that shaped it (layout, view, highlight, settings...).
    shape: Hashable
    #: The version a drag made on the frame was saved as, if one was.
    dragged_to: int | None = None


def _key(map_id: int) -> str:
    return f"map-screen-{map_id}"


def drawing(map_id: int, version: int, shape: Hashable, draw: Callable[[], str]) -> str:
    """The page to send to map ``map_id``'s frame for the map at ``version`` drawn as
    ``shape`` says: ``draw()``, unless the frame shows it already (see the module)."""
    screen: _Screen | None = st.session_state.get(_key(map_id))
    if screen is not None and screen.dragged_to == version and screen.shape == shape:
        return screen.sent
    drawn = draw()
    sent = drawn
    if screen is not None and drawn == screen.drawn:
        # the same page: the frame keeps it, unless a drag on it has since been undone
        sent = screen.sent if screen.dragged_to is None else _toggled(screen.sent)
    st.session_state[_key(map_id)] = _Screen(drawn, sent, shape)
    return sent


def dragged(map_id: int, version: int) -> None:
    """Note that a drag on map ``map_id``'s frame was saved as ``version``."""
    screen: _Screen | None = st.session_state.get(_key(map_id))
    if screen is not None:
        st.session_state[_key(map_id)] = replace(screen, dragged_to=version)


def _toggled(page: str) -> str:
    """``page`` made to differ from itself, back and forth.

    >>> _toggled(_toggled("<html></html>")) == "<html></html>" != _toggled("<html></html>")
    True
    """
    return page.removesuffix(_AGAIN) if page.endswith(_AGAIN) else page + _AGAIN
