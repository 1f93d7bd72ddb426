"""The engagement plan's small pieces shown on other pages: the "Plan this" button of a finding."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from mapping.analysis.findings import Finding
from mapping.changes import plan
from mapping.model.actions import PlannedAction
from mapping.storage import actions as plan_store
from ui import state
from ui.preferences import current_settings

__all__ = ["DUE_IN_DAYS", "plan_finding", "plan_button"]

#: An action made from a finding is due this many days after it is made (changed on the plan page).
DUE_IN_DAYS = 28


def plan_finding(cur: state.Current, f: Finding, today: date | None = None) -> PlannedAction:
    """Make the finding's advice a planned action of the current map and keep it (an action
    already planned for the same finding, still open, is returned instead of a second one)."""
    day = today or date.today()
    subject = plan.finding_subject(f)
    for a in plan_store.list_actions(state.store(), cur.id):
        if a.is_open and (a.finding_code, a.finding_subject) == (f.code, subject):
            return a
    strong = max(current_settings(cur.id).strong_tie, 4)
    a = plan.action_from_finding(
        f, cur.map, today=day, due=day + timedelta(days=DUE_IN_DAYS), strong_tie=strong
    )
    state.writes(cur).save_action(a)
    return a


def plan_button(f: Finding, key: str) -> None:
    """A "Plan this" button that makes the finding's advice an action of the engagement plan
    in one click (for those who may change the map)."""
    cur = state.current()
    if cur is None or not cur.can_edit:
        return
    st.button(
        "Plan this",
        key=f"{key}-plan",
        icon=":material/event_available:",
        help="Add this advice to the engagement plan, due in four weeks, with who acts, "
        "with whom and the change it should bring on the map.",
        on_click=state.refusing(_planned),
        args=(cur, f),
    )


def _planned(cur: state.Current, f: Finding) -> None:
    """The button's callback: kept before the page runs again, which shows it."""
    a = plan_finding(cur, f)
    st.session_state["flash"] = f"Planned: {a.what[:80]} (see the Engagement plan page)."
    st.session_state["plan-new"] = a.id
