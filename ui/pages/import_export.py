"""Import & export: bring maps in with a preview, take them out in open formats."""

from __future__ import annotations

import re

import streamlit as st

from mapping.io import graphml_gexf, project_json
from mapping.io.formats import read_file
from mapping.merge import apply_import, plan_import
from ui import state


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "map"


def page(cur: state.Current) -> None:
    st.header("Import & export")
    m = cur.map
    export, bring_in = st.tabs(["Export", "Import"])
    with export:
        st.write("Download this map to keep, share or open in another tool.")
        slug = _slug(m.name)
        st.download_button(
            "Project file (JSON, complete)",
            project_json.dumps(m).encode("utf-8"),
            file_name=f"{slug}.coalition.json",
            mime="application/json",
            icon=":material/download:",
            help="Everything in the map; opens again in Coalition Mapper exactly as it is.",
        )
        st.download_button(
            "GraphML (Gephi, yEd, Cytoscape)",
            graphml_gexf.write_graphml(m),
            file_name=f"{slug}.graphml",
            mime="application/xml",
            icon=":material/download:",
        )
    with bring_in:
        _import(cur)


def _import(cur: state.Current) -> None:
    upload = st.file_uploader(
        "Choose a map file",
        type=["json", "graphml", "gexf", "xlsx", "csv", "zip"],
        help="Coalition Mapper project JSON, GraphML, GEXF, Excel, CSV or a Kumu export.",
    )
    if upload is None:
        st.caption("Nothing is written until you confirm, and a failed import writes nothing.")
        return
    incoming = read_file(upload.name, upload.getvalue())
    target = st.radio(
        "Where should it go?",
        ["Into a new map", f"Merge into {cur.map.name!r}"],
        horizontal=True,
    )
    if target == "Into a new map":
        st.write(
            f"A new map {incoming.name or upload.name!r} with {len(incoming.stakeholders)} "
            f"stakeholders and {len(incoming.relationships)} relationships."
        )
        if st.button("Create the map", type="primary"):
            state.select(state.store().create_map(incoming))
            st.session_state["flash"] = f"Imported {upload.name}."
            st.rerun()
        return
    plan = plan_import(cur.map, incoming)
    st.write(plan.summary())
    if st.button("Merge", type="primary"):
        state.save(cur, apply_import(cur.map, plan), f"import {upload.name}")
        st.rerun()


if __name__ == "__main__":
    from ui.nav import run

    run(page, "Import & export")
