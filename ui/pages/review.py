"""Needs review: stale relationships and overdue reviews, most overdue first, confirmed in one click."""

from __future__ import annotations

from datetime import date

import streamlit as st

from mapping.analysis import quality
from mapping.changes import review
from ui import routes, state
from ui.about import about
from ui.preferences import current_settings
from ui.runner import run
from ui.text import md

#: Rows listed at first, each with its button; "Show more" lists this many more each time
#: (each row is drawn again on every run: in Chromium on the sample, 10 rows rather than 15
#: took the page ~126 -> ~114 ms and a confirm ~110 -> ~101 ms).
SHOWN = 10


def confirm(cur: state.Current, item: review.ReviewItem, today: date, months: int) -> None:
    """Mark one relationship as confirmed today, or one stakeholder as reviewed today."""
    if item.kind == review.RELATIONSHIP:
        new = review.confirm_relationships(cur.map, [item.subject], today)
        label = f"confirm {item.label}"
    else:
        new = review.set_review_dates(cur.map, [item.subject], review.next_review(today, months))
        label = f"review {item.label}"
    state.save(cur, new, label)
    st.session_state.setdefault(_done_key(cur), {})[(item.kind, item.subject)] = item


def _done_key(cur: state.Current) -> str:
    """Where the items confirmed since the page was opened are kept (see review.in_place)."""
    return f"review-done-{cur.id}"


def page(cur: state.Current) -> None:
    st.header("Needs review")
    months = current_settings().stale_months
    st.caption(
        f"A relationship falls due for confirming {months} months after it was last confirmed "
        "(change this on the Settings page); a stakeholder on their review-by date. On the map, "
        "ties that are due are faded and dotted. The most overdue come first."
    )
    about(quality, "staleness")
    m = cur.map
    if not m.stakeholders:
        st.info("Add stakeholders and relationships first.")
        return
    if "review-within" not in st.session_state:  # the page's widgets are drawn afresh: a
        st.session_state[_done_key(cur)] = {}  # new visit lists no row confirmed before it
    left, right = st.columns(2)
    within = left.number_input(
        "Also list what falls due in the next … days", 0, 366, 0, step=7, key="review-within"
    )
    undated = right.toggle("Include people with no review date", value=True, key="review-undated")
    never = sum(1 for r in m.relationships if r.last_confirmed is None)
    unconfirmed = right.toggle(
        "Also list relationships never confirmed",
        value=False,
        key="review-unconfirmed",
        help=(
            f"{never} relationship{'s have' if never != 1 else ' has'} no confirmed date (for "
            "example, imported). They are not stale and are drawn like any other; the "
            "data-quality findings count them once."
        ),
    )
    today = date.today()
    items = review.needs_review(
        m,
        today,
        stale_months=months,
        within_days=int(within),
        include_undated=undated,
        include_unconfirmed=unconfirmed,
    )
    if never and not unconfirmed:
        st.caption(
            f"{never} relationship{'s' if never != 1 else ''} never confirmed "
            f"{'are' if never != 1 else 'is'} not listed: switch on "
            "'Also list relationships never confirmed' to confirm them one by one."
        )
    if not items:
        st.success("Nothing needs review: every relationship and review date is current.")
        return
    overdue = [i for i in items if i.overdue_days is not None and i.overdue_days >= 0]
    counts = st.columns(3)
    counts[0].metric("Overdue", len(overdue))
    counts[1].metric("Due soon", sum(1 for i in items if (i.overdue_days or 0) < 0))
    counts[2].metric("Without a date", sum(1 for i in items if i.overdue_days is None))
    if st.button("Show them on the map", icon=":material/visibility:"):
        people = list(dict.fromkeys(p for i in items for p in i.stakeholders))
        ties = [list(i.stakeholders) for i in items if i.kind == review.RELATIONSHIP]
        routes.show_on_map("Needs review", people, ties)
    next_date = review.next_review(today, months)
    shown_key, listed_key = f"review-shown-{cur.id}", f"review-listed-{cur.id}"
    shown = st.session_state.get(shown_key, SHOWN)
    rows = review.in_place(
        items, st.session_state.get(listed_key, []), st.session_state.get(_done_key(cur), {})
    )[:shown]
    st.session_state[listed_key] = [(item.kind, item.subject) for item, _ in rows]
    for item, done in rows:
        # one row of two cells per item: few elements, so the page draws quickly
        what, act = st.columns([6, 3], vertical_alignment="center")
        kind = "Relationship" if item.kind == review.RELATIONSHIP else "Stakeholder"
        if done:  # kept in its place: the rows below do not move up under the pointer
            what.markdown(f"**{md(item.label)}**  \n{kind} · :green[done]")
            act.markdown(
                ":green[:material/check: Confirmed today]"
                if item.kind == review.RELATIONSHIP
                else f":green[:material/check: Next review {next_date.isoformat()}]"
            )
            continue
        due = f" · due {item.due.isoformat()}" if item.due else ""
        colour = "red" if (item.overdue_days or 0) > 0 else "orange"
        what.markdown(f"**{md(item.label)}**  \n{kind} · :{colour}[{item.status}]{due}")
        help_text = (
            "Sets 'last confirmed' to today."
            if item.kind == review.RELATIONSHIP
            else f"Sets the next review to {next_date.isoformat()}."
        )
        if cur.can_edit:  # saved before the page runs again: one run shows the change
            act.button(
                "Mark as confirmed today",
                key=f"confirm-{item.kind}-{item.subject}",
                help=help_text,
                icon=":material/check:",
                on_click=state.refusing(confirm),
                args=(cur, item, today, months),
            )
    rest = len(items) - sum(1 for _, done in rows if not done)
    if rest > 0:
        more, note = st.columns([1, 3], vertical_alignment="center")
        if more.button(f"Show {min(SHOWN, rest)} more", icon=":material/expand_more:"):
            st.session_state[shown_key] = shown + SHOWN
            st.rerun()
        note.caption(f"…and {rest} more. Confirm the most overdue first.")


if __name__ == "__main__":
    run(page, "Needs review")
