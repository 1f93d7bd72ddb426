"""Stakeholders: add through a form, edit in a table."""

from __future__ import annotations

from datetime import date

import streamlit as st

from mapping.edit import add_stakeholder, apply_stakeholder_edits, stakeholders_frame
from mapping.model import Stance
from ui import state
from ui.tables import editable_table

STANCES = [s.value for s in Stance]


def page(cur: state.Current) -> None:
    st.header("Stakeholders")
    m = cur.map
    st.caption(
        f"{len(m.stakeholders)} stakeholders, "
        f"{sum(s.coalition for s in m.stakeholders)} in the coalition."
    )
    with st.expander(
        "Add a stakeholder", expanded=not m.stakeholders, icon=":material/person_add:"
    ):
        with st.form("add-stakeholder", clear_on_submit=True):
            left, right = st.columns(2)
            name = left.text_input("Name *", placeholder="e.g. Dr Asha Patel")
            organisation = right.text_input("Organisation", placeholder="e.g. Riverside ICB")
            role = left.text_input("Role", placeholder="e.g. Clinical director")
            perspective = right.selectbox("Perspective", m.perspectives)
            influence = left.slider("Influence (1 = little, 5 = decisive)", 1, 5, 3)
            interest = right.slider("Interest (1 = little, 5 = intense)", 1, 5, 3)
            stance = left.selectbox("Stance on the change", STANCES, index=STANCES.index("unknown"))
            coalition = right.checkbox("In the coalition of the willing")
            tags = left.text_input("Tags", help="Separate several tags with |")
            review_by = right.date_input("Review by", value=None, min_value=date(2000, 1, 1))
            notes = st.text_area("Notes (private to this map)", height=80)
            if st.form_submit_button("Add stakeholder", type="primary"):
                new = add_stakeholder(
                    m,
                    name=name,
                    organisation=organisation,
                    role=role,
                    perspective=perspective,
                    influence=influence,
                    interest=interest,
                    stance=stance,
                    coalition=coalition,
                    tags=tags,
                    review_by=review_by,
                    notes=notes,
                )
                state.save(cur, new, f"add {name.strip()}")
                st.rerun()
    if not m.stakeholders:
        st.info("No stakeholders yet: add the first few people you need to win over above.")
        return
    st.subheader("Edit in the table")
    st.caption("Click a cell to change it; add rows at the bottom; select rows to delete them.")
    editable_table(
        cur,
        "stakeholders",
        stakeholders_frame(m),
        apply_stakeholder_edits,
        {
            "Name": st.column_config.TextColumn(required=True),
            "Perspective": st.column_config.SelectboxColumn(options=m.perspectives, required=True),
            "Influence": st.column_config.NumberColumn(min_value=1, max_value=5, step=1, default=3),
            "Interest": st.column_config.NumberColumn(min_value=1, max_value=5, step=1, default=3),
            "Stance": st.column_config.SelectboxColumn(options=STANCES, default="unknown"),
            "In coalition": st.column_config.CheckboxColumn(default=False),
            "Review by": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Tags": st.column_config.TextColumn(help="Separate several tags with |"),
        },
    )


if __name__ == "__main__":
    from ui.nav import run

    run(page, "Stakeholders")
