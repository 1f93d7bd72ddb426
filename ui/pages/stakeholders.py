"""Stakeholders: add through a form, edit in a table, erase a person everywhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from mapping.changes.edit import add_stakeholder, apply_stakeholder_edits, stakeholders_frame
from mapping.model import Map, Stance
from mapping.model.wording import count_of
from mapping.storage import erasure, history
from ui import cache, forms, pick, sections, state
from ui.runner import run
from ui.tables import editable_table
from ui.text import md, plain

STANCES = [s.value for s in Stance]


def page(cur: state.Current) -> None:
    st.header("Stakeholders")
    m = cur.map
    st.caption(
        f"{count_of(len(m.stakeholders), 'stakeholder')}, "
        f"{sum(s.coalition for s in m.stakeholders)} in the coalition."
    )
    if cur.can_edit:
        _add_form(cur)
    if cur.can("erase"):
        _erase(cur)
    if not m.stakeholders:
        st.info("No stakeholders yet: add the first few people you need to win over above.")
        return
    st.subheader("Edit in the table" if cur.can_edit else "Everyone on the map")
    if cur.can_edit:
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


#: The fields of the "Add a stakeholder" form, as ``add_stakeholder`` names them.
_FIELDS = (
    "name", "organisation", "role", "perspective", "influence", "interest", "stance",
    "coalition", "tags", "review_by", "notes",
)  # fmt: skip


def _add_form(cur: state.Current) -> None:
    m = cur.map

    def save(value: forms.Values) -> None:
        new = add_stakeholder(m, **{field: value(field) for field in _FIELDS})
        state.save(cur, new, f"add {(value('name') or '').strip()}")

    # sent only while open (a form drawn shut still costs the browser a third of a page
    # switch); open at first on an empty map, and it stays open after an add
    with sections.opened_while(
        "Add a stakeholder",
        "add-stakeholder-open",
        not m.stakeholders,
        cur.id,
        icon=":material/person_add:",
    ) as shown:
        if shown:
            _add_fields(m, save)


def _add_fields(m: Map, save: Callable[[forms.Values], None]) -> None:
    with forms.entry_form("add-stakeholder", "Add stakeholder", save, type="primary") as f:
        left, right = st.columns(2)
        left.text_input("Name *", placeholder="e.g. Dr Asha Patel", key=f.key("name"))
        right.text_input(
            "Organisation", placeholder="e.g. Riverside ICB", key=f.key("organisation")
        )
        left.text_input("Role", placeholder="e.g. Clinical director", key=f.key("role"))
        right.selectbox("Perspective", m.perspectives, key=f.key("perspective"))
        left.slider("Influence (1 = little, 5 = decisive)", 1, 5, 3, key=f.key("influence"))
        right.slider("Interest (1 = little, 5 = intense)", 1, 5, 3, key=f.key("interest"))
        left.selectbox(
            "Stance on the change",
            STANCES,
            index=STANCES.index("unknown"),
            key=f.key("stance"),
        )
        right.checkbox("In the coalition of the willing", key=f.key("coalition"))
        left.text_input("Tags", help="Separate several tags with |", key=f.key("tags"))
        right.date_input(
            "Review by", value=None, min_value=date(2000, 1, 1), key=f.key("review_by")
        )
        st.text_area("Notes (private to this map)", height=80, key=f.key("notes"))


@cache.cached("people on record", 16)
def _on_record(key: cache.Key, snapshots: tuple[str, ...]) -> dict[str, str]:
    """Everyone the map or its snapshots hold, kept on the map's state and its snapshots'
    digests."""
    del snapshots  # part of the cache key only
    return erasure.people_on_record(state.store(), key.map_id)


def _erase(cur: state.Current) -> None:
    """The right to erasure: one person gone from the map and all its history (who is on
    record is read only while the section is open)."""
    with sections.opened(
        "Erase a person everywhere", "erase-open", icon=":material/person_remove:"
    ) as shown:
        if not shown:
            return
        db = state.store()
        snapshots = tuple(s.digest for s in history.list_snapshots(db, cur.id))
        people = _on_record(cur.key, snapshots)
        if not people:
            st.caption("Nobody is on record in this map or its snapshots.")
            return
        st.caption(
            "For someone who asks to be forgotten. Removes them from this map and from every "
            "snapshot of it, deletes raters' views of them and by them, and replaces their "
            "name with [erased] in notes. It cannot be undone. The audit trail records only "
            "that an erasure happened. Files exported earlier are not reached."
        )
        ids = sorted(people, key=lambda sid: (people[sid].casefold(), sid))
        # chosen by id: two people of one name show their ids, never one for the other
        labels = pick.distinct({sid: plain(people[sid]) for sid in ids}, detail=str)
        who = st.selectbox(
            "Person to erase",
            ids,
            index=None,
            format_func=labels.__getitem__,
            key=f"erase-who-{cur.id}",
            help="People already deleted from the map but still in snapshots are listed too.",
        )
        if who is None:
            return
        if st.button("Erase everywhere…", icon=":material/delete_forever:", key="erase-ask"):
            st.session_state["confirm_erase"] = (cur.id, who)
        if st.session_state.get("confirm_erase") != (cur.id, who):
            return
        st.warning(f"Erase {md(people[who])} from this map and all its history, for good?")
        yes, no = st.columns(2)
        if yes.button("Yes, erase everywhere", type="primary", key="erase-yes"):
            done = state.writes(cur).erase(who, expected_version=cur.version)
            st.session_state.pop("confirm_erase", None)
            st.session_state.pop(f"erase-who-{cur.id}", None)
            state.forget(cur.id)
            st.session_state["flash"] = (
                f"Erased 1 person: {'from the map, ' if done.map_changed else ''}"
                f"{done.snapshots} snapshots, {done.notes} notes and {done.ratings} "
                "raters' views changed."
            )
            st.rerun()
        if no.button("Cancel", key="erase-no"):
            st.session_state.pop("confirm_erase", None)
            st.rerun()


if __name__ == "__main__":
    run(page, "Stakeholders")
