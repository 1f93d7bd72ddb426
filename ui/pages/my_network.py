"""My network: one person's direct and two-step support network."""

from __future__ import annotations

import streamlit as st

from mapping.analysis import support
from mapping.changes.edit import stakeholder_labels
from mapping.model.graph import tie_graph
from ui import routes, state, tables
from ui.about import about
from ui.runner import run
from ui.text import md


def page(cur: state.Current) -> None:
    st.header("My network")
    about(support, "support_network")
    m = cur.map
    if not m.stakeholders:
        st.info("Add stakeholders first.")
        return
    _network(cur)


@st.fragment
def _network(cur: state.Current) -> None:
    """The chosen person's network: choosing another reruns only this part of the page."""
    m = cur.map
    labels = stakeholder_labels(m)
    person = st.selectbox(
        "Whose network?",
        list(labels),
        format_func=labels.__getitem__,
        key=f"my-network-{cur.id}",
    )
    network = support.support_network(tie_graph(m), person)
    st.markdown(md(network.summary))
    inside, outside, reach = st.columns(3)
    inside.metric("Direct contacts", len(network.direct))
    outside.metric("Friends of friends", len(network.two_step))
    reach.metric("Perspectives reached", len(network.by_perspective()))
    rows = [
        {
            "Name": c.name,
            "Organisation": c.organisation,
            "Perspective": c.perspective,
            "Steps": c.steps,
            "Strength": c.strength,
            "Internal": "own organisation" if c.internal else "outside",
            "Route": " → ".join(m.names().get(p, p) for p in c.path),
        }
        for c in network.contacts
    ]
    internal_tab, external_tab, perspective_tab = st.tabs(
        ["Inside their organisation", "Outside", "By perspective"]
    )
    with internal_tab:
        tables.table([r for r in rows if r["Internal"] == "own organisation"], "contacts-inside")
    with external_tab:
        tables.table([r for r in rows if r["Internal"] == "outside"], "contacts-outside")
    with perspective_tab:
        names = m.names()
        for perspective, ids in network.by_perspective().items():
            st.markdown(f"**{md(perspective)}**: {md(', '.join(names[i] for i in ids))}")
    if network.contacts and st.button("Show on map", icon=":material/visibility:"):
        routes.show_on_map(
            f"{network.name}'s network", [person, *(c.id for c in network.contacts)], []
        )


if __name__ == "__main__":
    run(page, "My network")
