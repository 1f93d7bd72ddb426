"""The one place a ``MappingError`` becomes the message a user sees.

Code that may raise one runs in three places, and each has its guard:

- a page, run by :func:`ui.runner.run` inside :func:`shown`;
- a sidebar action (undo, rename, share...), which runs outside any page: the sidebar
  wraps its actions in :func:`shown` too, so the message appears where the user clicked;
- a widget callback, which Streamlit runs before the page script, outside both: wrap it in
  :func:`refusing`, which keeps the message for :func:`show_refused` at the top of the page
  that follows.

Anything else is a bug: Streamlit shows its own error and the traceback goes to the log.
Messages quote user text, so they are shown through :func:`ui.text.message`, never as
Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

import streamlit as st

from mapping.errors import MappingError
from ui.text import message

__all__ = ["shown", "refusing", "show_refused", "REFUSED"]

#: Where :func:`refusing` keeps a callback's message until the page shows it.
REFUSED = "refused"


@contextmanager
def shown() -> Iterator[None]:
    """Show a ``MappingError`` raised inside as one error message, and carry on.

    ``st.rerun()`` and ``st.stop()`` pass through (they are not errors).
    """
    try:
        yield
    except MappingError as err:
        st.error(message(err))


def refusing(callback: Callable[..., None]) -> Callable[..., None]:
    """A widget callback whose ``MappingError`` becomes the next page's error message.

    Callbacks run before the page, outside :func:`shown`: without this a refused write (a
    colleague saved first, or access was taken away while the page was open) would end in
    Streamlit's generic error.
    """

    @wraps(callback)
    def guarded(*args: Any, **kwargs: Any) -> None:
        try:
            callback(*args, **kwargs)
        except MappingError as err:
            st.session_state[REFUSED] = str(err)

    return guarded


def show_refused() -> None:
    """Show (once) the message of a callback :func:`refusing` guarded, if one was refused."""
    refused = st.session_state.pop(REFUSED, None)
    if refused:
        st.error(message(refused))
