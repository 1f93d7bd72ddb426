"""The welcome: three ways to start, and a short guided path through the first gaps."""

from __future__ import annotations

import streamlit as st

from mapping.demo.sample import load_sample
from mapping.model import Map
from mapping.storage import access
from mapping.storage.store import DEFAULT_MAP_NAME
from ui import auth, pick, preferences, routes, state


def _create(m: Map) -> int:
    """A new map of the user's own, named apart from their others ("My coalition 2")."""
    return access.create_map(state.store(), m, auth.user())


def _steps(cur: state.Current | None) -> list[tuple[bool, str]]:
    m = cur.map if cur else Map(name="")
    return [
        (len(m.stakeholders) >= 3, "Add a few people you need to win over (Stakeholders)."),
        (len(m.relationships) >= 2, "Record who works with, funds or trusts whom (Relationships)."),
        (any(s.coalition for s in m.stakeholders), "Tick who is in your coalition of the willing."),
        (
            bool(st.session_state.get("seen_gaps")),
            "See the first gaps and what to do (Coalition gaps).",
        ),
    ]


def welcome(cur: state.Current | None, *, always: bool = False) -> None:
    """Show the welcome unless it was put away (``always``: on the Start here page)."""
    if not always and preferences.welcome_dismissed():
        return
    with st.container(border=True):
        st.markdown("### Welcome to Coalition Mapper")
        st.markdown(
            "Map the people and organisations your change must win over, see how they relate, "
            "and find the gaps in your coalition of the willing. Everything stays on this "
            "machine. Choose a way to start:"
        )
        sample, blank, upload = st.columns(3)
        # each button that makes a map acts once: a second click sent meanwhile does nothing
        if sample.button(
            "Explore the sample system",
            icon=":material/travel_explore:",
            key=pick.once_key("w-sample"),
        ):
            pick.spend("w-sample")
            example = load_sample()
            existing = [i.id for i in state.visible_maps() if i.name == example.name]
            state.select(existing[0] if existing else _create(example))
            st.switch_page(routes.page("map"))
        if blank.button("Start a blank map", icon=":material/add:", key=pick.once_key("w-blank")):
            pick.spend("w-blank")
            made = _create(Map(name=DEFAULT_MAP_NAME))
            state.select(made)
            name = state.store().load_map(made).name
            st.session_state["flash"] = f"Created {name!r}: rename it in the sidebar."
            st.switch_page(routes.page("stakeholders"))
        if upload.button(
            "Import a spreadsheet or Kumu file", icon=":material/upload_file:", key="w-import"
        ):
            st.switch_page(routes.page("import-export"))
        st.markdown("**Your first ten minutes**")
        for done, text in _steps(cur):
            st.markdown(
                f"{':material/check_circle:' if done else ':material/radio_button_unchecked:'} {text}"
            )
        if not always and st.button("Put the welcome away", key="w-dismiss"):
            preferences.dismiss_welcome()
            st.session_state["flash"] = (
                "The welcome is on the Start here page whenever you want it."
            )
            st.rerun()
