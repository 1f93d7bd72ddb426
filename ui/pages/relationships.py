"""Relationships: add through a form with people picked by name, edit in a table."""

from __future__ import annotations

from datetime import date

import streamlit as st

from mapping.changes.edit import (
    add_relationship,
    apply_relationship_edits,
    relationships_frame,
    stakeholder_labels,
)
from ui import state
from ui.runner import run
from ui.tables import editable_table


def page(cur: state.Current) -> None:
    st.header("Relationships")
    m = cur.map
    if len(m.stakeholders) < 2:
        st.info("Add at least two stakeholders first; then record how they relate here.")
        return
    labels = stakeholder_labels(m)
    st.caption(f"{len(m.relationships)} relationships between {len(m.stakeholders)} people.")
    if cur.can_edit:
        _add_form(cur, labels)
    if not m.relationships:
        st.info("No relationships yet: record who works with, funds or trusts whom above.")
        return
    st.subheader("Edit in the table" if cur.can_edit else "Every relationship")
    names = list(labels.values())
    editable_table(
        cur,
        "relationships",
        relationships_frame(m),
        apply_relationship_edits,
        {
            "From": st.column_config.SelectboxColumn(options=names, required=True),
            "To": st.column_config.SelectboxColumn(options=names, required=True),
            "Type": st.column_config.SelectboxColumn(
                options=m.relationship_types, default=m.relationship_types[0]
            ),
            "Strength": st.column_config.NumberColumn(min_value=1, max_value=5, step=1, default=3),
            "Directed": st.column_config.CheckboxColumn(default=False),
            "Last confirmed": st.column_config.DateColumn(
                format="YYYY-MM-DD",
                default=date.today(),
                help="A new row is confirmed today, as in the form above; change it if not.",
            ),
        },
    )


def _add_form(cur: state.Current, labels: dict[str, str]) -> None:
    m = cur.map
    with st.expander("Add a relationship", expanded=not m.relationships, icon=":material/link:"):
        with st.form("add-relationship", clear_on_submit=True):
            left, right = st.columns(2)
            ids = list(labels)
            source = left.selectbox("From *", ids, format_func=labels.__getitem__, index=None)
            target = right.selectbox("To *", ids, format_func=labels.__getitem__, index=None)
            kind = left.selectbox("Type", m.relationship_types)
            strength = right.slider("Strength / trust (1 = weak, 5 = strong)", 1, 5, 3)
            directed = left.checkbox(
                "One-way (From → To)", help="Leave unticked for a mutual relationship."
            )
            last_confirmed = right.date_input(
                "Last confirmed", value=date.today(), min_value=date(2000, 1, 1)
            )
            how = left.text_input("How we know", placeholder="e.g. seen at the discharge board")
            notes = right.text_input("Notes")
            if st.form_submit_button("Add relationship", type="primary"):
                new = add_relationship(
                    m,
                    source=source,
                    target=target,
                    type=kind,
                    strength=strength,
                    directed=directed,
                    last_confirmed=last_confirmed,
                    how_we_know=how,
                    notes=notes,
                )
                tie = new.relationships[-1]  # the one just added, its ends checked
                state.save(
                    cur,
                    new,
                    f"add relationship {labels.get(tie.source)} – {labels.get(tie.target)}",
                )
                st.rerun()


if __name__ == "__main__":
    run(page, "Relationships")
