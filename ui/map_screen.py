"""What the map's frame shows: the page drawn last, kept after a drag made on it or when
only the layout changes.

A drag is saved, and the page runs again with the map in its new state. The frame already
shows that state (the people are where the user dropped them), so the page sends the very
page drawn before: the browser keeps its frame, Streamlit sends a reference to what it sent
already instead of the page again (hundreds of KiB on a large map), and nothing is drawn.
A change that brings back the page drawn before the drag (Undo) is sent as a new page all
the same, so the frame no longer shows the drag.

A change of layout alone keeps the page too: the frame is told the people's places in the
new layout (:func:`mapping.drawing.render.relayout`, through :mod:`ui.bridge`) and redraws
in place. Any other change draws the page afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

__all__ = ["drawing", "dragged"]

#: Added to a page to make it differ from the one in the frame (after an undone drag).
_AGAIN = "\n<!-- drawn again -->"


@dataclass(frozen=True)
class _Screen:
    #: The page as drawn, and as sent (the same, or the same with :data:`_AGAIN` toggled).
    drawn: str
    sent: str
    #: Everything besides the map and its layout that shaped it (view, highlight, settings...).
    shape: Hashable
    #: The state of the map (its cache key, never an id the database may reuse) and the
    #: layout the page was drawn for.
    state: Hashable
    layout: str
    #: The last change of layout told to the frame since the page was sent, if any.
    change: dict[str, Any] | None = None
    #: The version a drag made on the frame was saved as, if one was.
    dragged_to: int | None = None


def _key(map_id: int) -> str:
    return f"map-screen-{map_id}"


def drawing(
    map_id: int,
    version: int,
    state: Hashable,
    shape: Hashable,
    layout: str,
    draw: Callable[[], str],
    relaid: Callable[[], dict[str, Any]],
) -> tuple[str, dict[str, Any] | None]:
    """The page to send to map ``map_id``'s frame for the map at ``version`` (in ``state``,
    its cache key) drawn as ``shape`` says in ``layout`` (``draw()`` draws it), and the
    change of layout to tell the frame (``relaid()`` works it out; ``None`` when the page
    sent shows ``layout`` itself). The frame keeps the page it shows when it can (see the
    module)."""
    screen: _Screen | None = st.session_state.get(_key(map_id))
    if (
        screen is not None
        and screen.shape == shape
        and (screen.state == state or screen.dragged_to == version)
    ):
        # the frame shows this state of the map (after a drag on it, the new places)
        return screen.sent, _told(map_id, replace(screen, state=state), layout, relaid)
    drawn = draw()
    if screen is not None and drawn == screen.drawn:
        # the same page: the frame keeps it, unless a drag on it has since been undone
        if screen.dragged_to is None:
            kept = replace(screen, state=state)
            return screen.sent, _told(map_id, kept, layout, relaid)
        sent = _toggled(screen.sent)
    else:
        sent = drawn
    st.session_state[_key(map_id)] = _Screen(drawn, sent, shape, state, layout)
    return sent, None


def _told(
    map_id: int, screen: _Screen, layout: str, relaid: Callable[[], dict[str, Any]]
) -> dict[str, Any] | None:
    """The change of layout for a frame that keeps ``screen``'s page, now kept."""
    change = None if layout == screen.layout and screen.change is None else relaid()
    st.session_state[_key(map_id)] = replace(screen, change=change)
    return change


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
