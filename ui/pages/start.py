"""Start here: the welcome, always available, and the user guide."""

from __future__ import annotations

import streamlit as st

from ui import preferences, state
from ui.guide import show_guide
from ui.runner import run
from ui.welcome import welcome


def page(cur: state.Current | None) -> None:
    st.header("Start here")
    welcome(cur, always=True)
    if preferences.welcome_dismissed() and st.button("Show the welcome on the map page again"):
        preferences.dismiss_welcome(False)
        st.rerun()
    st.subheader("User guide")
    st.caption("The same guide, with these pictures, is in docs/guide.md beside the app.")
    show_guide()


if __name__ == "__main__":
    run(page, "Start here", needs_map=False)
