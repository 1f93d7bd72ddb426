"""Engagement plan: the actions agreed from the findings, overdue first, and whether they worked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from functools import partial

import streamlit as st

from mapping.analysis.gaps import analyse
from mapping.changes import plan
from mapping.io import project_json
from mapping.io.ical import plan_ics
from mapping.io.plan_table import plan_csv, plan_excel
from mapping.model import Map, Stance, new_id
from mapping.model.actions import (
    COALITION,
    DONE,
    DROPPED,
    IN_PROGRESS,
    OPEN,
    PLANNED,
    STANCE,
    STATUSES,
    STRENGTH,
    Expected,
    PlannedAction,
    expected_text,
    involves,
    is_overdue,
    plan_order,
    who_text,
)
from mapping.model.wording import long_date
from mapping.storage import actions as plan_store
from mapping.storage import history
from ui import cache, routes, sections, state
from ui.preferences import current_settings
from ui.reports import gap_report
from ui.runner import run
from ui.text import md

EVERYONE = "Everyone"
COLLEAGUE = "A colleague not on the map"
NO_CHANGE = "No change on the map"
KIND_LABELS = {
    STRENGTH: "A tie gets stronger",
    STANCE: "Someone's stance moves",
    COALITION: "Someone joins the coalition",
}
VERDICT_ICON = {plan.REACHED: "✅", plan.PARTLY: "◐", plan.NOT_REACHED: "✗"}
FINISHING = "plan-finishing"


@cache.cached("plan start findings", 8)
def _findings_of(key: cache.Key, snapshot_id: int, _m: Map, today: date) -> tuple:
    """The findings on a snapshot (kept per map state and snapshot)."""
    return tuple(analyse(_m, current_settings(key.map_id), today=today).findings)


def _plan_began(cur: state.Current, began: date | None) -> history.Snapshot | None:
    """The latest snapshot taken on or before the day the plan began, if any."""
    if began is None:
        return None
    shots = [s for s in history.list_snapshots(state.store(), cur.id) if s.taken_at.date() <= began]
    return max(shots, key=lambda s: (s.taken_at, s.id)) if shots else None


def summary(cur: state.Current, actions: list[PlannedAction], findings_now: tuple) -> None:
    """Figures of the plan: open, overdue, done this quarter, reached, gaps closed/opened."""
    today = date.today()
    results = {a.id: plan.result(a, cur.map) for a in actions if a.status == DONE}
    began = min((a.created_on for a in actions), default=None)
    shot = _plan_began(cur, began)
    then: tuple = ()
    if shot is not None:
        m = history.snapshot_map(state.store(), shot.id)
        then = _findings_of(cur.key, shot.id, m, today)
    s = plan.plan_summary(actions, results, today, then, findings_now if shot else ())
    cols = st.columns(4)
    cols[0].metric("Open", s.open, help="Planned or in progress.")
    cols[1].metric("Overdue", s.overdue, help="Open, with a due date before today.")
    cols[2].metric("Done this quarter", s.done_this_quarter)
    cols[3].metric(
        "Reached the change expected",
        "–" if s.share_reached is None else f"{round(100 * s.share_reached)}%",
        help="Of the done actions that expected a change on the map.",
    )
    if shot is not None:
        st.caption(
            md(
                f"{plan.summary_text(s)} (Gaps compared with the snapshot "
                f"“{shot.name or 'unnamed'}” of {long_date(shot.taken_at.date())}.)"
            )
        )
    else:
        st.caption(
            md(
                plan.summary_text(s).rsplit(";", 1)[0]
                + ". Take a snapshot when a plan begins to count the gaps closed and opened."
            )
        )


def _person_options(m: Map) -> dict[str, str]:
    return {s.id: s.name for s in m.stakeholders}


def write_by_hand(cur: state.Current) -> None:
    """The form to write an action by hand."""
    people = _person_options(cur.map)
    with sections.opened(
        "Write an action by hand", "plan-write-open", icon=":material/edit_note:"
    ) as shown:
        if not shown:  # sent only while open: a form drawn shut still costs the browser
            return
        with st.form("plan-write", clear_on_submit=True):
            what = st.text_area("What will be done *", key="plan-what")
            left, right = st.columns(2)
            actor = left.selectbox(
                "Who acts",
                [COLLEAGUE, *people],
                format_func=lambda p: people.get(p, p),
                key="plan-actor",
            )
            colleague = right.text_input(
                "Colleague's name (if not on the map)", key="plan-colleague"
            )
            with_whom = left.multiselect(
                "With whom", list(people), format_func=lambda p: people.get(p, p), key="plan-with"
            )
            due = right.date_input(
                "Due", value=date.today() + timedelta(days=28), key="plan-due", format="YYYY-MM-DD"
            )
            st.markdown("**The change expected on the map**")
            kind = st.selectbox(
                "Kind of change",
                [NO_CHANGE, *KIND_LABELS],
                format_func=lambda k: KIND_LABELS.get(k, k),
                key="plan-kind",
            )
            a, b, c = st.columns(3)
            person = a.selectbox(
                "Who",
                list(people),
                format_func=lambda p: people.get(p, p),
                key="plan-person",
                index=None,
            )
            other = b.selectbox(
                "And (for a tie)",
                list(people),
                format_func=lambda p: people.get(p, p),
                key="plan-other",
                index=None,
            )
            strength = c.number_input("New strength (tie)", 1, 5, 4, key="plan-strength")
            stance = c.selectbox(
                "New stance",
                [s.value for s in Stance if s is not Stance.UNKNOWN],
                index=2,
                key="plan-stance",
            )
            if st.form_submit_button("Add to the plan", icon=":material/add_task:"):
                expected: tuple[Expected, ...] = ()
                if kind != NO_CHANGE:
                    value: int | str | bool = (
                        int(strength) if kind == STRENGTH else stance if kind == STANCE else True
                    )
                    e = Expected(kind, person or "", value, other=other or "")
                    expected = (replace(e, before=plan.current_value(e, cur.map)),)
                action = PlannedAction(
                    new_id("a"),
                    str(what).strip(),
                    actor="" if actor == COLLEAGUE else actor,
                    colleague=str(colleague).strip() if actor == COLLEAGUE else "",
                    with_whom=tuple(with_whom),
                    due=due if isinstance(due, date) else None,
                    expected=expected,
                )
                state.writes(cur).save_action(action)
                st.session_state["flash"] = f"Planned: {action.what[:80]}."
                st.rerun()


def finish(cur: state.Current, a: PlannedAction) -> None:
    """Marking an action done: what happened, and the change to record on the map."""
    names = cur.map.names()
    with st.form(f"plan-finish-{a.id}"):
        st.markdown(f"**Mark done: {md(a.what)}**")
        outcome = st.text_area("What happened?", key=f"plan-outcome-{a.id}")
        recorded: list[Expected] = []
        for i, e in enumerate(a.expected):
            on = st.checkbox(
                f"Record on the map: {expected_text(e, names)}",
                value=True,
                key=f"plan-record-{a.id}-{i}",
                help="Today becomes the tie's confirmation date.",
            )
            value: int | str | bool = e.value
            if e.kind == STRENGTH:
                value = int(
                    st.number_input(
                        "The tie's strength now", 1, 5, int(e.value), key=f"plan-v-{a.id}-{i}"
                    )
                )
            elif e.kind == STANCE:
                stances = [s.value for s in Stance]
                value = st.selectbox(
                    f"{names.get(e.person, e.person)}'s stance now",
                    stances,
                    index=stances.index(str(e.value)),
                    key=f"plan-v-{a.id}-{i}",
                )
            if on:
                recorded.append(replace(e, value=value))
        left, right = st.columns(2)
        done = left.form_submit_button("Mark done", type="primary", icon=":material/task_alt:")
        cancel = right.form_submit_button("Cancel")
    if cancel:
        st.session_state.pop(FINISHING, None)
        st.rerun()
    if done:
        today = date.today()
        finished = replace(a, status=DONE, done_on=today, outcome=str(outcome).strip())
        if recorded:
            new = plan.apply_changes(cur.map, replace(a, expected=tuple(recorded)), today)
            if new != cur.map:
                state.save(cur, new, f"record what happened: {a.what[:60]}", history.BULK_EDIT)
        state.writes(cur).save_action(finished)
        st.session_state.pop(FINISHING, None)
        st.session_state["flash"] = f"Done: {a.what[:80]}."
        st.rerun()


def show_action(cur: state.Current, a: PlannedAction, findings_now: tuple, today: date) -> None:
    """One action: what, who, when, the change expected, its finding, notes and buttons."""
    names = cur.map.names()
    late = is_overdue(a, today)
    with st.container(border=True, key=f"plan-action-{a.id}"):
        status = f":red[overdue since {long_date(a.due)}]" if late and a.due else a.status
        due = f" · due {long_date(a.due)}" if a.due and not late else ""
        st.markdown(f"**{md(a.what)}**  \n{status}{due} · *who acts:* {md(who_text(a, names))}")
        if a.with_whom:
            st.caption(md("With " + ", ".join(names.get(p, p) for p in a.with_whom)))
        for e in a.expected:
            st.caption(md(f"Expected: {expected_text(e, names)}"))
        resolved = plan.is_resolved(a, findings_now)
        if a.finding_title:
            said = {True: " — resolved: it no longer holds", False: " — still holds", None: ""}
            st.caption(md(f"From the finding “{a.finding_title}”{said[resolved]}"))
        if a.status == DONE:
            r = plan.result(a, cur.map)
            for x in r.measured:
                st.markdown(
                    md(
                        f"{VERDICT_ICON[x.verdict]} {expected_text(x.expected, names)}: "
                        f"{x.verdict} (before {x.before if x.before is not None else 'no tie'}, "
                        f"now {x.after if x.after is not None else 'no tie'})"
                    )
                )
            if a.outcome:
                st.caption(md(f"What happened: {a.outcome}"))
        with st.expander(f"Notes ({len(a.notes)})"):
            for n in a.notes:
                st.markdown(md(f"**{long_date(n.on)}, {n.author}:** {n.text}"))
            if cur.can_edit:
                with st.form(f"plan-note-{a.id}", clear_on_submit=True):
                    text = st.text_input("Add a note", key=f"plan-note-text-{a.id}")
                    if st.form_submit_button("Add note"):
                        state.writes(cur).save_action(a.with_note(date.today(), "me", str(text)))
                        st.rerun()
        if not cur.can_edit:
            return
        if st.session_state.get(FINISHING) == a.id:
            finish(cur, a)
            return
        buttons = st.columns(4)
        if a.status == PLANNED and buttons[0].button("Start", key=f"plan-start-{a.id}"):
            state.writes(cur).save_action(replace(a, status=IN_PROGRESS))
            st.rerun()
        if a.status in OPEN and buttons[1].button(
            "Mark done…", key=f"plan-done-{a.id}", icon=":material/task_alt:"
        ):
            st.session_state[FINISHING] = a.id
            st.rerun()
        if a.status in OPEN and buttons[2].button("Drop", key=f"plan-drop-{a.id}"):
            state.writes(cur).save_action(replace(a, status=DROPPED))
            st.rerun()
        if buttons[3].button("Delete", key=f"plan-delete-{a.id}", icon=":material/delete:"):
            state.writes(cur).delete_action(a.id)
            st.rerun()


def downloads(cur: state.Current, actions: list[PlannedAction], today: date) -> None:
    """The plan as CSV, Excel, an iCalendar file of due dates, and project JSON, each made
    when its button is clicked."""
    name = "".join(c if c.isalnum() else "-" for c in cur.map.name).strip("-") or "map"
    cols = st.columns(4)
    cols[0].download_button(
        "CSV",
        partial(plan_csv, actions, cur.map, today),
        f"{name}-plan.csv",
        "text/csv",
        on_click="ignore",
    )
    cols[1].download_button(
        "Excel",
        partial(plan_excel, actions, cur.map, today),
        f"{name}-plan.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )
    cols[2].download_button(
        "Calendar (.ics)",
        partial(
            plan_ics, actions, cur.map.names(), calendar_name=f"{cur.map.name}: engagement plan"
        ),
        f"{name}-plan.ics",
        "text/calendar",
        help="One all-day event per action with a due date; Outlook and other calendars open it.",
        on_click="ignore",
    )
    cols[3].download_button(
        "Map with its plan (JSON)",
        partial(project_json.dumps, cur.map, actions),
        f"{name}.json",
        "application/json",
        on_click="ignore",
    )


def page(cur: state.Current) -> None:
    st.header("Engagement plan")
    st.caption(
        "What we agreed to do about the gaps, who acts, by when, and what it changed on the map. "
        "Make an action from a finding with 'Plan this' on the Coalition gaps page, or write "
        "one here. Overdue actions come first."
    )
    m = cur.map
    today = date.today()
    actions = plan_store.list_actions(state.store(), cur.id)
    findings_now = tuple(gap_report(cur).findings) if m.stakeholders else ()
    summary(cur, actions, findings_now)
    if cur.can_edit:
        write_by_hand(cur)
    if not actions:
        st.info("No actions yet.")
        return
    marks = plan.open_marks(actions, m)
    if marks.people and st.button(
        "Show the open actions on the map",
        icon=":material/visibility:",
        help="Highlights the people and relationships that open actions are about.",
    ):
        routes.show_on_map("Open actions", sorted(marks.people), [list(t) for t in marks.ties])
    people = _person_options(m)
    left, middle, right = st.columns(3)
    person = left.selectbox(
        "Person",
        [EVERYONE, *people],
        format_func=lambda p: people.get(p, p),
        key="plan-filter-person",
    )
    perspective = middle.selectbox(
        "Perspective", [EVERYONE, *m.perspectives], key="plan-filter-perspective"
    )
    statuses = right.multiselect(
        "Status", list(STATUSES), default=list(STATUSES), key="plan-filter-status"
    )
    in_view = {s.id for s in m.stakeholders if s.perspective == perspective}
    shown = [
        a
        for a in plan_order(actions, today)
        if a.status in statuses
        and (person == EVERYONE or involves(a, person))
        and (perspective == EVERYONE or a.people() & in_view)
    ]
    st.caption(f"{len(shown)} of {len(actions)} actions.")
    for a in shown:
        show_action(cur, a, findings_now, today)
    downloads(cur, actions, today)


if __name__ == "__main__":
    run(page, "Engagement plan")
