"""Forms that save in their submit button's callback.

The save happens before the page runs again, so one run shows the change (a save in the
page's body needs a second run to show it everywhere). A refused entry keeps everything
typed, with the message above the button; a saved one puts each field back to what it held
when the form was first drawn, for the next entry (the fields stay, so the browser does not
draw them anew). The same entry sent again within :data:`REPEAT_S` seconds is a second
click (a double click, or one sent while the first was saving): it saves nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from mapping.errors import MappingError
from ui.text import message

__all__ = ["Values", "entry_form"]

#: The values of the form's fields, by the names given to :meth:`Values.key`.
Values = Callable[[str], Any]


#: Seconds within which the same entry sent again is taken for a second click, not saved.
REPEAT_S = 10.0


class _Fields:
    """The keys of one form's fields (each field's ``key=fields.key("name")``)."""

    def __init__(self, form: str) -> None:
        self.form = form
        self.keys: list[str] = []

    def key(self, name: str) -> str:
        key = self.of(name)
        self.keys.append(key)
        return key

    def of(self, name: str) -> str:
        return f"{self.form}-{name}"


@contextmanager
def entry_form(
    name: str, submit: str, save: Callable[[Values], None], **button: Any
) -> Iterator[_Fields]:
    """A form named ``name`` whose fields the caller draws (keyed by the yielded
    ``fields.key``), ended by the button ``submit``: a click calls ``save(value)`` before the
    page runs again, where ``value("field")`` is what the field holds."""
    error_key, empty_key, saved_key = f"{name}-refused", f"{name}-empty", f"{name}-saved"
    fields = _Fields(name)
    if not any(key in st.session_state for key in st.session_state.get(empty_key, {})):
        st.session_state.pop(empty_key, None)  # the fields are drawn afresh

    def submitted() -> None:
        entry = {key: st.session_state.get(key) for key in fields.keys}
        last = st.session_state.get(saved_key)
        again = last is not None and last[0] == entry and time.monotonic() - last[1] < REPEAT_S
        if not again:
            try:
                save(lambda field: st.session_state.get(fields.of(field)))
            except MappingError as err:
                st.session_state[error_key] = str(err)
                return
            st.session_state.pop(error_key, None)
            st.session_state[saved_key] = (entry, time.monotonic())
        for key, value in st.session_state.get(empty_key, {}).items():
            if st.session_state.get(key) != value:  # only these change in the browser
                st.session_state[key] = value  # an empty form for the next entry

    with st.form(name, clear_on_submit=False):
        yield fields
        if empty_key not in st.session_state:  # what the fields hold when first drawn
            st.session_state[empty_key] = {key: st.session_state.get(key) for key in fields.keys}
        refused = st.session_state.pop(error_key, None)
        if refused:
            st.error(message(refused))
        st.form_submit_button(submit, on_click=submitted, **button)
