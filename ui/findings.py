"""Findings shown as expandable cards, with their method and source and a "show on map" button."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from mapping.analysis.findings import Finding, Severity
from mapping.model import Map
from ui import routes
from ui.about import finding_module
from ui.text import md

BADGES = {
    Severity.HIGH: ":red-badge[High]",
    Severity.MEDIUM: ":orange-badge[Medium]",
    Severity.LOW: ":blue-badge[Low]",
    Severity.INFO: ":gray-badge[Note]",
}


#: Findings shown at first, and added by each "Show more": the most urgent come first, and a
#: large map has hundreds (drawing them all took most of a rerun of the gaps page).
PAGE = 25


def show_findings(m: Map, findings: Sequence[Finding], key: str) -> None:
    """One expander per finding: explanation, action, people involved, evidence.

    The :data:`PAGE` most urgent come first; a button shows more.
    """
    names = m.names()
    shown_key = f"{key}-findings-shown"
    shown = st.session_state.get(shown_key, PAGE)
    for i, f in enumerate(findings[:shown]):
        with st.expander(f"{f.severity.value.upper()} · {md(f.title)}"):
            st.markdown(BADGES[f.severity])
            st.markdown(md(f.explanation))
            st.markdown(f"**What to do:** {md(f.action)}")
            if f.stakeholders:
                people = ", ".join(names.get(s, s) for s in f.stakeholders)
                st.markdown(f"**People involved:** {md(people)}")
            if f.evidence:
                st.markdown("**Evidence:**")
                st.json(dict(f.evidence), expanded=False)
            source = finding_module(f.code)
            st.caption(f"How this was found: {md(source.METHOD)} Source: {md(source.SOURCE)}")
            if (f.stakeholders or f.ties) and st.button(
                "Show on map", key=f"{key}-show-{i}", icon=":material/visibility:"
            ):
                routes.show_on_map(f.title, list(f.stakeholders), [list(t) for t in f.ties])
    rest = len(findings) - shown
    if rest > 0:
        st.caption(f"Showing the {shown} most urgent of {len(findings)} findings.")
        st.button(
            f"Show {min(PAGE, rest)} more",
            key=f"{key}-more",
            icon=":material/expand_more:",
            on_click=_show_more,
            args=(shown_key, shown),
        )


def _show_more(shown_key: str, shown: int) -> None:
    st.session_state[shown_key] = shown + PAGE
