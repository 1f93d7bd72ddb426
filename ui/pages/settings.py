"""Settings: this map's name, vocabularies and the thresholds behind its findings."""

from __future__ import annotations

from dataclasses import fields, replace

import pandas as pd
import streamlit as st

from mapping.model.settings import SETTING_HELP, SETTING_LABELS, Settings
from mapping.model.vocabulary import apply_vocabulary_edits
from ui import state
from ui.preferences import current_settings, save_settings
from ui.runner import run
from ui.tables import editable_table, table
from ui.text import md


def page(cur: state.Current) -> None:
    st.header("Settings")
    m = cur.map
    st.subheader("This map")
    if cur.can_edit:
        with st.form("about-map"):
            name = st.text_input("Name", value=m.name, key=f"map-name-{cur.id}")
            description = st.text_area(
                "What is the change?",
                value=m.description,
                height=90,
                key=f"map-description-{cur.id}",
            )
            if st.form_submit_button("Save name and description"):
                new = replace(m, name=name, description=description)
                state.save(cur, new, "describe the map")
                st.rerun()
    else:
        st.markdown(f"**{md(m.name)}**  \n{md(m.description)}")
    left, right = st.columns(2)
    with left:
        st.markdown("**Perspectives**")
        st.caption("Rename a perspective to rename it for everyone who holds it.")
        editable_table(
            cur,
            "perspectives",
            pd.DataFrame({"Name": list(m.perspectives)}),
            lambda current, edits: apply_vocabulary_edits(current, "perspectives", edits),
            {"Name": st.column_config.TextColumn(required=True)},
        )
    with right:
        st.markdown("**Relationship types**")
        st.caption("'conflict' marks tension ties: they are left out of support paths.")
        editable_table(
            cur,
            "relationship types",
            pd.DataFrame({"Name": list(m.relationship_types)}),
            lambda current, edits: apply_vocabulary_edits(current, "relationship_types", edits),
            {"Name": st.column_config.TextColumn(required=True)},
        )
    _thresholds(cur)


def _thresholds(cur: state.Current) -> None:
    """This map's thresholds: owners and editors change them, viewers read them."""
    st.subheader("Thresholds for this map")
    saved = current_settings(cur.id)
    if not cur.can_edit:
        st.caption("They shape this map's findings; its owners and editors can change them.")
        table(
            pd.DataFrame(
                {
                    "Setting": [SETTING_LABELS[f.name] for f in fields(Settings)],
                    "Value": [getattr(saved, f.name) for f in fields(Settings)],
                    "What it does": [SETTING_HELP[f.name] for f in fields(Settings)],
                }
            ),
            "thresholds",
        )
        return
    st.caption("They shape this map's findings for everyone who opens it; other maps keep theirs.")
    with st.form(f"thresholds-{cur.id}"):
        values = {}
        columns = st.columns(2)
        for i, f in enumerate(fields(Settings)):
            values[f.name] = columns[i % 2].number_input(
                SETTING_LABELS[f.name],
                min_value=1,
                max_value=120
                if f.name == "stale_months"
                else (20 if f.name == "recruit_top" else 5),
                value=getattr(saved, f.name),
                step=1,
                help=SETTING_HELP[f.name],
            )
        save, reset = st.columns([1, 4])
        if save.form_submit_button("Save thresholds", type="primary"):
            save_settings(cur, Settings(**{k: int(v) for k, v in values.items()}))
            st.session_state["flash"] = "Saved this map's thresholds."
            st.rerun()
        if reset.form_submit_button("Back to the defaults"):
            save_settings(cur, None)
            st.session_state["flash"] = "This map's thresholds are back to their defaults."
            st.rerun()


if __name__ == "__main__":
    run(page, "Settings")
