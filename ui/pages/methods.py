"""Methods: what every measure means for a coalition, and where it comes from."""

from __future__ import annotations

import streamlit as st

from mapping.analysis import sources
from mapping.report.explain import MEASURES
from ui import state
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
        "what a high or low value suggests doing, and its source."
    )
    for measure in MEASURES.values():
        with st.expander(measure.name):
            st.markdown(md(measure.meaning))
            st.markdown(f"**When it is high:** {md(measure.high)}")
            st.markdown(f"**When it is low:** {md(measure.low)}")
            st.caption(f"Source: {md(measure.source)}")
    st.subheader("References")
    for name in sorted(n for n in sources.__all__ if n.isupper()):
        st.markdown(f"- {md(getattr(sources, name))}")


if __name__ == "__main__":
    run(page, "Methods")
