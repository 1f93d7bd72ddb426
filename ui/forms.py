"""Forms that save in their submit button's callback.

The save happens before the page runs again, so one run shows the change (a save in the
page's body needs a second run to show it everywhere). A refused entry keeps everything
typed, with the message above the button; a saved one empties the form for the next entry,
and a second click sent meanwhile saves nothing twice (see :func:`ui.pick.spend`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from mapping.errors import MappingError
from ui import pick
from ui.text import message

__all__ = ["Values", "entry_form"]

#: The values of the form's fields, by the names given to :meth:`Values.key`.
Values = Callable[[str], Any]


class _Fields:
    """The keys of one form's fields (each field's ``key=fields.key("name")``)."""

    def __init__(self, form: str) -> None:
        self.form = form

    def key(self, name: str) -> str:
        return f"{self.form}-{name}"


@contextmanager
def entry_form(
    name: str, submit: str, save: Callable[[Values], None], **button: Any
) -> Iterator[_Fields]:
    """A form named ``name`` whose fields the caller draws (keyed by the yielded
    ``fields.key``), ended by the button ``submit``: a click calls ``save(value)`` before the
    page runs again, where ``value("field")`` is what the field holds."""
    form = pick.once_key(name)
    error_key = f"{name}-refused"
    fields = _Fields(form)

    def submitted() -> None:
        try:
            save(lambda field: st.session_state.get(fields.key(field)))
        except MappingError as err:
            st.session_state[error_key] = str(err)
            return
        st.session_state.pop(error_key, None)
        pick.spend(name)  # a new, empty form; a click already sent for this one does nothing

    with st.form(form, clear_on_submit=False):
        yield fields
        refused = st.session_state.pop(error_key, None)
        if refused:
            st.error(message(refused))
        st.form_submit_button(submit, on_click=submitted, **button)
