"""Methods: what every measure means for a coalition, and where it comes from."""

from __future__ import annotations

import streamlit as st

from mapping.analysis import grouping, sources
from mapping.report.explain import MEASURES
from ui import sections, state
from ui.about import about
from ui.runner import run
from ui.text import md


def page(cur: state.Current | None = None) -> None:
    st.header("Methods")
    st.markdown(
        "Coalition Mapper turns a stakeholder map into findings a busy system leader can act "
        "on. It follows the King's Fund report *The practice of system leadership* (Timmins, "
        "2015): start with a coalition of the willing and build outwards, see the system from "
        "every perspective, guard against turnover of key people, and invest in the "
        "relationships that matter. Each measure below says what it means for your coalition, "
        "what a high or low value suggests doing, and its source. The app speaks of each in "
        "plain words first; the name in brackets is the one the research literature uses."
    )
    for name, measure in MEASURES.items():
        # a measure's text is sent only while it is open: the page stays light
        with sections.opened(md(measure.heading), f"method-{name}") as shown:
            if not shown:
                continue
            st.markdown(md(measure.meaning))
            if measure.technical:
                st.markdown(f"**Technical name:** {md(measure.technical)}")
            st.markdown(f"**When it is high:** {md(measure.high)}")
            st.markdown(f"**When it is low:** {md(measure.low)}")
            st.caption(f"Source: {md(measure.source)}")
    st.subheader("How the findings are gathered")
    st.markdown(
        "Every finding still stands on its own in the analysis JSON (with its code and "
        "severity): the gaps page only gathers them into one card per kind of gap, most urgent "
        "first, and says the same fact about the same person once."
    )
    about(grouping)
    st.subheader("References")
    references = sorted(n for n in sources.__all__ if n.isupper())
    st.markdown("\n".join(f"- {md(getattr(sources, name))}" for name in references))


if __name__ == "__main__":
    run(page, "Methods")
