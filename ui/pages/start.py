"""Start here: the welcome, always available."""

from __future__ import annotations

import streamlit as st

from ui import preferences, state
from ui.welcome import welcome


def page(cur: state.Current | None) -> None:
    st.header("Start here")
    welcome(cur, always=True)
    if preferences.welcome_dismissed() and st.button("Show the welcome on the map page again"):
        preferences.dismiss_welcome(False)
        st.rerun()


if __name__ == "__main__":
    from ui.nav import run

    run(page, "Start here", needs_map=False)
