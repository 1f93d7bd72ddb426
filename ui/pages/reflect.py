"""Reflect: what changed since the last snapshot, the reflection log, where colleagues' views
differ, and the activity log (who changed what, when)."""

from __future__ import annotations

import json
from datetime import date

import streamlit as st

from mapping.changes.diff import MapDiff, diff_maps
from mapping.changes.ratings import DEFAULT_RULE, disagreements
from mapping.model import Map
from mapping.model.settings import Settings
from mapping.model.wording import count_of, local_minute
from mapping.storage import activity, history, rating_store, reflections
from ui import cache, forms, pick, routes, state, switch, tables
from ui.change_view import show_figures, show_maps, show_tables
from ui.pages.views import subject_labels
from ui.preferences import current_settings
from ui.runner import run
from ui.text import md

SECTIONS = ("What changed", "Reflection log", "Where views differ", "Activity")
NOW = 0  # the "snapshot id" of the map as it is now
#: Disagreements between colleagues' views shown here (all are on Several views).
TOP_DISAGREEMENTS = 3
#: Lines of the activity log per page.
ACTIVITY_PAGE = 20


@cache.cached("snapshot comparisons", 16, spinner="Comparing…")
def _diff(
    key: cache.Key,
    after: str,
    days: tuple[date, date],
    settings: Settings,
    _before: Map,
    _after: Map,
) -> MapDiff:
    """The difference of two maps: ``key`` holds the first's digest, ``after`` the second's."""
    return diff_maps(_before, _after, before_on=days[0], after_on=days[1], settings=settings)


def page(cur: state.Current) -> None:
    st.header("Reflect")
    st.caption(
        "What changed since the last snapshot, your notes on what you learn, where colleagues "
        "see people differently, and who changed what. The app keeps a snapshot of the map "
        "before the first change of each day, so there is always something to compare with."
    )
    snaps = history.list_snapshots(state.store(), cur.id)
    section = switch.one_of("Show", SECTIONS, key="reflect-section")
    {
        "What changed": _changes,
        "Reflection log": _reflections,
        "Where views differ": _views,
        "Activity": _activity,
    }[section](cur, snaps)


# --- what changed -----------------------------------------------------------------------------


def _pick(cur: state.Current, snaps: list[history.Snapshot]) -> tuple[int, int]:
    labels = pick.snapshot_labels(snaps)  # by id: two alike in name and minute stay apart
    left, right = st.columns(2)
    first = left.selectbox(
        "From",
        list(labels),
        index=len(labels) - 1,  # the last snapshot
        format_func=labels.__getitem__,
        key=f"diff-from-{cur.id}",
    )
    second = right.selectbox(
        "To",
        [NOW, *labels],
        format_func=lambda i: "Now (the map as it is)" if i == NOW else labels[i],
        key=f"diff-to-{cur.id}",
    )
    return first, second


def _changes(cur: state.Current, snaps: list[history.Snapshot]) -> None:
    if not snaps:
        st.info(
            "No snapshot of this map yet, so there is nothing to compare with. The app keeps "
            "one by itself before the first change of each day: make a change (on "
            "Stakeholders or Relationships), or take a snapshot now on History (Snapshots), "
            "and come back here to see what changed since."
        )
        st.page_link(routes.page("history"), label="Take a snapshot", icon=":material/history:")
        return
    db = state.store()
    by_id = {s.id: s for s in snaps}
    labels = pick.snapshot_labels(snaps)
    first, second = _pick(cur, snaps)
    before = history.snapshot_map(db, first)
    before_day = by_id[first].taken_at.astimezone().date()
    if second == NOW:
        after, after_day = cur.map, date.today()
        after_key, after_label = cur.key.digest, "now"
    else:
        after = history.snapshot_map(db, second)
        after_day = by_id[second].taken_at.astimezone().date()
        after_key, after_label = by_id[second].digest, labels[second]
    settings = current_settings()
    key = cache.Key(db.url, cur.id, by_id[first].digest)
    d = _diff(key, after_key, (before_day, after_day), settings, before, after)
    st.subheader("In short")
    if d.is_empty:
        st.success("No stakeholder or relationship changed.")
    st.markdown("\n".join(f"- {md(line)}" for line in d.summary()))
    show_figures(d)
    show_tables(d)
    if st.toggle("Show the maps before and after", value=True, key=f"diff-maps-{cur.id}"):
        show_maps(d, before, after, (key, after_key), (before_day, after_day))
    notes = reflections.list_reflections(db, cur.id, in_report=True)
    title = f"What changed: {labels[first]} → {after_label}"
    text = (
        d.to_markdown(title)
        + "\n"
        + reflections.reflections_markdown(notes, {s.id: s.name for s in snaps})
    )
    st.caption(
        "The change report holds the summary, the figures and the "
        f"{count_of(len(notes), 'reflection note')} chosen for reports in the reflection log."
    )
    a, b = st.columns(2)
    a.download_button(
        "Change report (Markdown)",
        text.encode("utf-8"),
        file_name="what-changed.md",
        mime="text/markdown",
        icon=":material/download:",
        on_click="ignore",
    )
    b.download_button(
        "Changes (JSON)",
        json.dumps(d.to_dict(), ensure_ascii=False, indent=2).encode("utf-8"),
        file_name="what-changed.json",
        mime="application/json",
        icon=":material/download:",
        on_click="ignore",
    )


# --- the reflection log -----------------------------------------------------------------------


def _reflections(cur: state.Current, snaps: list[history.Snapshot]) -> None:
    db = state.store()
    by_id = {s.id: s for s in snaps}
    if cur.can_edit:
        _note_form(cur, by_id)
    search = st.text_input("Search the notes", placeholder="words to look for", key="note-search")
    notes = reflections.list_reflections(db, cur.id, search=search)
    if not notes:
        st.info("No notes match." if search else "No notes yet.")
        return
    st.caption(f"{count_of(len(notes), 'note')}, newest first. Only notes ticked go into reports.")
    for n in notes:
        with st.container(border=True):
            about = f" · about snapshot {by_id[n.snapshot_id].label}" if n.snapshot_id else ""
            st.markdown(f"**{n.written_on.isoformat()} · {md(n.author)}**{md(about)}")
            if n.prompt:
                st.markdown(f"*{md(n.prompt)}*")
            editing = cur.can_edit and st.session_state.get("note-editing") == n.id
            if not editing:
                st.markdown(md(n.text))
            if not cur.can_edit:
                st.caption("Chosen for reports." if n.in_report else "Not in reports.")
                continue
            if editing:
                _edit_form(cur, n)
            tick, edit, drop = st.columns([2, 1, 1])
            tick.checkbox(
                "Include in reports",
                value=n.in_report,
                key=f"note-report-{n.id}",
                on_change=state.refusing(_choose),
                args=(cur, n.id),
            )
            if not editing and edit.button(
                "Edit note", key=f"note-edit-{n.id}", icon=":material/edit:"
            ):
                st.session_state["note-editing"] = n.id
                st.rerun()
            if drop.button("Delete note", key=f"note-delete-{n.id}", icon=":material/delete:"):
                state.writes(cur).delete_reflection(n.id)
                st.session_state["flash"] = "Note deleted."
                st.rerun()


def _edit_form(cur: state.Current, n: reflections.Reflection) -> None:
    """The note's words in a box to change them (its date, prompt and author stay)."""
    with st.form(f"edit-note-{n.id}"):
        text = st.text_area("Note", value=n.text, height=100, key=f"note-text-{n.id}")
        save, cancel = st.columns(2)
        if save.form_submit_button("Save note", type="primary"):
            state.writes(cur).edit_reflection(n.id, text)
            st.session_state.pop("note-editing", None)
            st.session_state["flash"] = "Note saved."
            st.rerun()
        if cancel.form_submit_button("Cancel"):
            st.session_state.pop("note-editing", None)
            st.rerun()


def _note_form(cur: state.Current, by_id: dict[int, history.Snapshot]) -> None:
    def save(value: forms.Values) -> None:
        about = value("about")
        state.writes(cur).add_reflection(
            value("text") or "",
            author=value("author"),
            prompt=value("prompt"),
            on=value("day") or date.today(),
            snapshot_id=None if about in (None, NOW) else about,
            in_report=bool(value("chosen")),
        )
        st.session_state["flash"] = "Note added."

    with forms.entry_form("add-reflection", "Add note", save, type="primary") as f:
        st.markdown("**Write a note**")
        left, right = st.columns(2)
        left.selectbox(
            "Prompt (from the King's Fund report's questions)",
            ["", *reflections.PROMPTS],
            format_func=lambda p: p or "(no prompt)",
            key=f.key("prompt"),
        )
        right.radio("Written as", reflections.AUTHORS, horizontal=True, key=f.key("author"))
        labels = pick.snapshot_labels(by_id.values())
        left.selectbox(
            "About",
            [NOW, *labels],
            format_func=lambda i: "The map" if i == NOW else f"Snapshot {labels[i]}",
            key=f.key("about"),
        )
        right.date_input("Date", value=date.today(), min_value=date(2000, 1, 1), key=f.key("day"))
        st.text_area(
            "Note",
            height=100,
            placeholder="What did you notice? What will you do?",
            key=f.key("text"),
        )
        st.checkbox("Include in reports", key=f.key("chosen"))


def _choose(cur: state.Current, note_id: int) -> None:
    """Tick or untick a note for reports, if the user may still change the map."""
    state.writes(cur).include_in_report(note_id, bool(st.session_state[f"note-report-{note_id}"]))


# --- where colleagues' views differ -------------------------------------------------------------


def _show(value: object) -> str:
    return str(getattr(value, "value", value))


def _views(cur: state.Current, snaps: list[history.Snapshot]) -> None:
    """The widest disagreements between colleagues' views, with a link to Several views."""
    labels = subject_labels(cur.map)
    ratings = [r for r in rating_store.list_ratings(state.store(), cur.id) if r.subject in labels]
    link = routes.page("views")
    if not ratings:
        st.info(
            "No colleague has given their view of this map yet. Ask two or three people to "
            "rate the same stakeholders on Several views: where they see someone differently "
            "is where a conversation is needed."
        )
        st.page_link(link, label="Add views on Several views", icon=":material/diversity_3:")
        return
    ranked = disagreements(ratings, DEFAULT_RULE)
    raters = {r.rater for r in ratings}
    st.caption(f"{count_of(len(raters), 'colleague')} gave views; the widest differences first.")
    if not ranked:
        st.success("Everyone who rated the same thing agrees.")
    for d in ranked[:TOP_DISAGREEMENTS]:
        low, high = ", ".join(d.low_raters), ", ".join(d.high_raters)
        st.markdown(
            f"- **{md(labels[d.subject])}**, {d.field}: {md(high)} "
            f"{'say' if len(d.high_raters) > 1 else 'says'} **{md(_show(d.high))}**; "
            f"{md(low)} {'say' if len(d.low_raters) > 1 else 'says'} "
            f"**{md(_show(d.low))}**."
        )
    more = len(ranked) - TOP_DISAGREEMENTS
    label = (
        f"See all {len(ranked)} differences and the agreed values on Several views"
        if more > 0
        else "See the agreed values on Several views"
    )
    st.page_link(link, label=label, icon=":material/diversity_3:")


# --- the activity log ---------------------------------------------------------------------------


def _activity(cur: state.Current, snaps: list[history.Snapshot]) -> None:
    """Who changed what and when, newest first, a page at a time."""
    db = state.store()
    total = activity.count_entries(db, cur.id)
    if not total:
        st.info("Nothing recorded yet: every change to the map will be listed here.")
        return
    pages = -(-total // ACTIVITY_PAGE)
    st.caption(
        f"{count_of(total, 'change')} recorded, newest first. Each line counts what changed "
        "and never names anyone on the map, so erasing a person leaves nothing of them here."
    )
    shown = 1
    if pages > 1:
        shown = int(
            st.number_input(
                f"Page (of {pages})",
                min_value=1,
                max_value=pages,
                value=1,
                key=f"activity-{cur.id}",
            )
        )
    lines = activity.audit_log(db, cur.id, limit=ACTIVITY_PAGE, offset=(shown - 1) * ACTIVITY_PAGE)
    tables.table(
        [
            {
                "When": local_minute(e.at),
                "Who": e.actor,
                "What": e.summary[:1].upper() + e.summary[1:],
            }
            for e in lines
        ],
        "activity",
        column_config={"What": st.column_config.TextColumn(width="large")},
    )


if __name__ == "__main__":
    run(page, "Reflect")
