"""Relationships: add through a form with people picked by name, edit in a table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from mapping.changes.edit import (
    add_relationship,
    apply_relationship_edits,
    relationships_frame,
    stakeholder_labels,
)
from mapping.model import Map
from ui import forms, sections, state
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


#: The fields of the "Add a relationship" form, as ``add_relationship`` names them.
_FIELDS = (
    "source", "target", "type", "strength", "directed", "last_confirmed", "how_we_know", "notes",
)  # fmt: skip


def _add_form(cur: state.Current, labels: dict[str, str]) -> None:
    m = cur.map

    def save(value: forms.Values) -> None:
        new = add_relationship(m, **{field: value(field) for field in _FIELDS})
        tie = new.relationships[-1]  # the one just added, its ends checked
        label = f"add relationship {labels.get(tie.source)} – {labels.get(tie.target)}"
        state.save(cur, new, label)

    # sent only while open, as on Stakeholders; open at first while there are no ties
    with sections.opened_while(
        "Add a relationship",
        "add-relationship-open",
        not m.relationships,
        cur.id,
        icon=":material/link:",
    ) as shown:
        if shown:
            _add_fields(m, labels, save)


def _add_fields(m: Map, labels: dict[str, str], save: Callable[[forms.Values], None]) -> None:
    with forms.entry_form("add-relationship", "Add relationship", save, type="primary") as f:
        left, right = st.columns(2)
        ids = list(labels)
        name = labels.__getitem__
        left.selectbox("From *", ids, format_func=name, index=None, key=f.key("source"))
        right.selectbox("To *", ids, format_func=name, index=None, key=f.key("target"))
        left.selectbox("Type", m.relationship_types, key=f.key("type"))
        right.slider("Strength / trust (1 = weak, 5 = strong)", 1, 5, 3, key=f.key("strength"))
        left.checkbox(
            "One-way (From → To)",
            help="Leave unticked for a mutual relationship.",
            key=f.key("directed"),
        )
        right.date_input(
            "Last confirmed",
            value=date.today(),
            min_value=date(2000, 1, 1),
            key=f.key("last_confirmed"),
        )
        left.text_input(
            "How we know", placeholder="e.g. seen at the discharge board", key=f.key("how_we_know")
        )
        right.text_input("Notes", key=f.key("notes"))


if __name__ == "__main__":
    run(page, "Relationships")
