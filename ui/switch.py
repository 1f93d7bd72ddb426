"""A row of buttons choosing one of a few views (Streamlit's segmented control) that always
has one chosen.

Streamlit's control unselects the option shown when it is clicked again, which would leave
nothing chosen: here the option shown stays chosen instead, so a second click changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

__all__ = ["one_of"]

T = TypeVar("T")


def one_of(
    label: str,
    options: Sequence[T],
    *,
    key: str,
    format_func: Callable[[T], str] = str,
    where: Any = st,
    **control: Any,
) -> T:
    """The option chosen in a segmented control keyed ``key`` (the first at first), drawn in
    ``where`` (a column or container; the page by default) with ``control``'s other
    arguments."""
    shown = f"{key}-shown"

    def still_chosen() -> None:
        # every click is seen here, even one whose run a quicker click cut short: a double
        # click on an option chooses it
        value = st.session_state.get(key)
        if value is None:
            st.session_state[key] = st.session_state.get(shown, options[0])
        else:
            st.session_state[shown] = value

    chosen = where.segmented_control(
        label,
        list(options),
        format_func=format_func,
        default=options[0],
        key=key,
        on_change=still_chosen,
        **control,
    )
    value: T = options[0] if chosen is None else chosen
    st.session_state[shown] = value
    return value
