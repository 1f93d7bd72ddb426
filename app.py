"""Coalition Mapper, the Streamlit entry: page set-up, sign-in, first-run sample, navigation."""

from __future__ import annotations

import streamlit as st

from mapping.demo.sample import load_sample
from ui import auth, routes, state
from ui.sidebar import map_picker

st.set_page_config(page_title="Coalition Mapper", page_icon="🤝", layout="wide")


@st.cache_resource(show_spinner=False)
def _first_run(url: str) -> None:
    """Put the sample map into a database that has never held a map (once per process)."""
    db = state.store()
    if db.fresh and not db.list_maps():
        db.create_map(load_sample())


if auth.gate() is None:  # single-user mode; signed-in users load the sample themselves
    _first_run(state.store().url)
with state.one_run():
    map_picker()
    st.navigation(routes.navigation(), expanded=True).run()
