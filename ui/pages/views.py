"""Several people's views: ratings by named raters, the agreed values and where views differ."""

from __future__ import annotations

import streamlit as st

from mapping.changes.edit import stakeholder_labels
from mapping.changes.ratings import (
    DEFAULT_RULE,
    FIELDS,
    RULES,
    Rating,
    agreed_values,
    apply_agreed,
    disagreements,
)
from mapping.model import Map, Stance
from mapping.storage import history, rating_store
from ui import pick, state, tables
from ui.runner import run
from ui.text import md

NO_VIEW = "(no view)"
STANCES = [s.value for s in Stance if s is not Stance.UNKNOWN]
_SCORES: list[int | str] = [NO_VIEW, 1, 2, 3, 4, 5]


def subject_labels(m: Map) -> dict[str, str]:
    """Stakeholder and relationship ids -> labels for tables."""
    people = stakeholder_labels(m)
    ties = {
        r.id: f"{people[r.source]} {'→' if r.directed else '↔'} {people[r.target]} ({r.type})"
        for r in m.relationships
    }
    return {**people, **pick.distinct(ties)}


def _show(value: object) -> str:
    return str(getattr(value, "value", value))


def _current(m: Map, subject: str, field: str) -> str:
    if FIELDS[field] == "stakeholder":
        return _show(getattr(m.stakeholder(subject), field))
    return next(str(r.strength) for r in m.relationships if r.id == subject)


def page(cur: state.Current) -> None:
    st.header("Several people's views")
    st.caption(
        "Ask colleagues to rate the same people and relationships. The agreed value follows the "
        "rule you choose; where views differ most is where a conversation is needed."
    )
    m = cur.map
    if not m.stakeholders:
        st.info("Add stakeholders first.")
        return
    db = state.store()
    if cur.can_edit:
        _add_form(cur)
    labels = subject_labels(m)
    ratings = [r for r in rating_store.list_ratings(db, cur.id) if r.subject in labels]
    if not ratings:
        st.info("No views yet: add the first above, as yourself or on behalf of a colleague.")
        return
    rule = st.selectbox(
        "How several views become one",
        list(RULES),
        index=list(RULES).index(DEFAULT_RULE),
        format_func=lambda r: f"{r}: {RULES[r]}",
        help="For an even number of views, the median is halfway between the middle two; an "
        "exact half is rounded towards the middle of the scale (3, or neutral).",
        key="views-rule",
    )
    _disagreements(ratings, rule, labels)
    _agreed(cur, ratings, rule, labels)
    _all(cur, ratings, labels)


def _add_form(cur: state.Current) -> None:
    m = cur.map
    people = stakeholder_labels(m)
    ties = {k: v for k, v in subject_labels(m).items() if k not in people}
    with st.expander("Add a view", icon=":material/rate_review:", expanded=True):
        kind = st.radio(
            "Rate", ["a stakeholder", "a relationship"], horizontal=True, key="views-kind"
        )
        if kind == "a relationship" and not ties:
            st.info("There are no relationships to rate yet.")
            return
        # every widget is keyed on the form's turn: after a save the next rater starts from
        # an empty form, never with the last one's values
        form = pick.once_key("add-view")
        with st.form(form, clear_on_submit=False):
            rater = st.text_input(
                "Your name or role *", placeholder="e.g. Clinical lead", key=f"{form}-rater"
            )
            values: dict[str, int | str] = {}
            if kind == "a stakeholder":
                subject = st.selectbox(
                    "Stakeholder", list(people), format_func=people.__getitem__, key=f"{form}-who"
                )
                a, b, c = st.columns(3)
                values["stance"] = a.selectbox("Stance", [NO_VIEW, *STANCES], key=f"{form}-s")
                values["influence"] = b.selectbox("Influence (1-5)", _SCORES, key=f"{form}-i")
                values["interest"] = c.selectbox("Interest (1-5)", _SCORES, key=f"{form}-n")
            else:
                subject = st.selectbox(
                    "Relationship", list(ties), format_func=ties.__getitem__, key=f"{form}-tie"
                )
                values["strength"] = st.selectbox(
                    "Strength / trust (1-5)", _SCORES, key=f"{form}-t"
                )
            if st.form_submit_button("Save this view", type="primary"):
                given = [Rating(rater, subject, f, v) for f, v in values.items() if v != NO_VIEW]
                if not given:
                    st.warning("Choose at least one value to rate.")
                    return
                pick.spend("add-view")
                state.writes(cur).save_ratings(given)
                st.session_state["flash"] = f"Saved {rater.strip()}'s view."
                st.rerun()


def _disagreements(ratings: list[Rating], rule: str, labels: dict[str, str]) -> None:
    st.subheader("Where views differ most")
    ranked = disagreements(ratings, rule)
    if not ranked:
        st.success("Everyone who rated the same thing agrees.")
        return
    for d in ranked[:3]:
        st.markdown(
            f"- **{md(labels[d.subject])}**, {d.field}: {md(', '.join(d.high_raters))} "
            f"{'say' if len(d.high_raters) > 1 else 'says'} **{_show(d.high)}**; "
            f"{md(', '.join(d.low_raters))} {'say' if len(d.low_raters) > 1 else 'says'} "
            f"**{_show(d.low)}**. Worth a conversation."
        )
    tables.table(
        [
            {
                "About": labels[d.subject],
                "Field": d.field,
                "Spread": d.spread,
                "Lowest view": f"{_show(d.low)} ({', '.join(d.low_raters)})",
                "Highest view": f"{_show(d.high)} ({', '.join(d.high_raters)})",
                "Views": d.raters,
                "Agreed": _show(d.agreed),
            }
            for d in ranked
        ],
        "where-views-differ",
    )


def _agreed(cur: state.Current, ratings: list[Rating], rule: str, labels: dict[str, str]) -> None:
    st.subheader("Agreed values")
    m = cur.map
    rows = []
    for (subject, field), a in agreed_values(ratings, rule).items():
        now = _current(m, subject, field)
        rows.append(
            {
                "About": labels[subject],
                "Field": field,
                "Agreed": _show(a.value),
                "On the map now": now,
                "Views": a.raters,
                "Differs": _show(a.value) != now,
            }
        )
    tables.table(rows, "agreed-values")
    new = apply_agreed(m, ratings, rule)
    changes = sum(1 for row in rows if row["Differs"])
    if cur.can_edit and st.button(
        f"Apply agreed values to the map ({changes} change{'s' if changes != 1 else ''})",
        type="primary",
        disabled=new == m,
        help="The map as it is now is kept as a snapshot first; Undo takes this back.",
    ):
        state.save(cur, new, f"apply agreed values ({rule})", snapshot=history.BULK_EDIT)
        st.rerun()


def _all(cur: state.Current, ratings: list[Rating], labels: dict[str, str]) -> None:
    with st.expander(f"Every view ({len(ratings)})", icon=":material/table:"):
        tables.table(
            [
                {
                    "Rater": r.rater,
                    "About": labels[r.subject],
                    "Field": r.field,
                    "View": _show(r.value),
                }
                for r in ratings
            ],
            "every-view",
        )
        if not cur.can_edit:
            return
        raters = list(dict.fromkeys(r.rater for r in ratings))
        who = st.selectbox("Rater", raters, key="views-forget-rater")
        if st.button("Delete this rater's views…", icon=":material/delete:"):
            st.session_state["confirm_forget_rater"] = who
        if st.session_state.get("confirm_forget_rater") == who:
            st.warning(f"Delete every view {md(who)} gave on this map?")
            if st.button("Yes, delete their views", type="primary"):
                n = state.writes(cur).delete_ratings(rater=who)
                st.session_state.pop("confirm_forget_rater")
                st.session_state["flash"] = f"Deleted {n} view(s) by {who}."
                st.rerun()


if __name__ == "__main__":
    run(page, "Several views")
