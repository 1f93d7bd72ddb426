"""History & reflection: snapshots, what changed, trends over time and the reflection log."""

from __future__ import annotations

import json
from datetime import date, datetime

import altair as alt
import pandas as pd
import streamlit as st

from mapping.analysis import headline, whatif
from mapping.analysis.gaps import GapReport, analyse
from mapping.changes.diff import HEADLINE, MapDiff, diff_maps
from mapping.drawing.layout import canvas_scale, spring_layout
from mapping.drawing.render import render_html
from mapping.model import Map
from mapping.model.settings import Settings
from mapping.storage import history, reflections
from ui import cache, pick, state, tables
from ui.about import about, figure_help, finding_module
from ui.charts import legible
from ui.findings import BADGES
from ui.preferences import current_settings
from ui.runner import run
from ui.text import md

SECTIONS = ("Snapshots", "What changed", "Trends", "Reflection log")
NOW = 0  # the "snapshot id" of the map as it is now
TREND_FIGURES = (*HEADLINE, "stakeholders", "coalition_members")


@cache.cached("snapshot reports", 16, spinner="Analysing the map as it was…")
def _report(key: cache.Key, today: date, settings: Settings, _m: Map) -> GapReport:
    """The gap report of a snapshot (``key`` holds its digest)."""
    return analyse(_m, settings, today=today)


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


@cache.cached("snapshot drawings", 32)
def _drawing(
    key: cache.Key,
    side: tuple[str, str],
    people: tuple[str, ...],
    ties: tuple,
    today: date,
    stale: int,
    _m: Map,
    _where: dict,
) -> str:
    """A snapshot drawn; ``side`` names the other map of a comparison and which one this is."""
    return render_html(
        _m,
        positions={s.id: _where[s.id] for s in _m.stakeholders if s.id in _where} or None,
        highlight=people,
        highlight_ties=ties,
        physics=False,
        height_px=460,
        today=today,
        stale_months=stale,
    )


@cache.cached("trend figures", 32)
def _now_figures(
    key: cache.Key, today: date, settings: Settings, _m: Map
) -> dict[str, int | float]:
    return headline.figures_with(_m, today, settings)


def _value(value: object) -> str:
    """A changed value in a table cell."""
    if value is None or value == "" or value == ():
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return " | ".join(value)
    return str(getattr(value, "isoformat", lambda: value)())


def _changes_count(n: int) -> str:
    return f"{n} change{'s' if n != 1 else ''}"


def _when(moment: datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def page(cur: state.Current) -> None:
    st.header("History & reflection")
    st.caption(
        "Snapshots keep the map as it was: take one before a board or a workshop, and the app "
        "takes one itself before every import, bulk edit, deletion or restore. Compare any "
        "two, follow the coalition's figures over time and keep notes on what you learn."
    )
    snaps = history.list_snapshots(state.store(), cur.id)
    section = (
        st.segmented_control("Show", SECTIONS, default=SECTIONS[0], key="history-section")
        or SECTIONS[0]
    )
    {
        "Snapshots": _snapshots,
        "What changed": _changes,
        "Trends": _trends,
        "Reflection log": _reflections,
    }[section](cur, snaps)


def _snapshots(cur: state.Current, snaps: list[history.Snapshot]) -> None:
    db = state.store()
    if cur.can_edit:
        with st.form(pick.once_key("take-snapshot"), clear_on_submit=True):
            name = st.text_input("Snapshot name", placeholder="e.g. Before the March board")
            if st.form_submit_button(
                "Take a snapshot", type="primary", icon=":material/photo_camera:"
            ):
                pick.spend("take-snapshot")  # a second click sent meanwhile takes none
                state.writes(cur).take_snapshot(name)
                st.session_state["flash"] = "Snapshot taken."
                st.rerun()
    if not snaps:
        st.info("No snapshots yet. Take one now to compare with later.")
        return
    tables.table(
        [
            {
                "Taken": _when(s.taken_at),
                "Name": s.name,
                "Kind": history.REASONS[s.reason],
                "People": s.stakeholders,
                "Relationships": s.relationships,
            }
            for s in snaps
        ],
        "snapshots",
    )
    by_id = {s.id: s for s in snaps}
    labels = pick.snapshot_labels(snaps)  # by id: two alike in name and minute stay apart
    chosen = st.selectbox(
        "Snapshot", list(by_id), format_func=labels.__getitem__, key=f"snap-{cur.id}"
    )
    snap = by_id[chosen]
    view, restore, forget = st.columns(3)
    if cur.can_edit and restore.button(
        "Restore this snapshot…", icon=":material/settings_backup_restore:"
    ):
        st.session_state["confirm_restore"] = snap.id
    if cur.can_edit and forget.button("Delete this snapshot…", icon=":material/delete:"):
        st.session_state["confirm_forget"] = snap.id
    if st.session_state.get("confirm_restore") == snap.id:
        st.warning(
            f"Put the map back as it was at {_when(snap.taken_at)}? The map as it is now is "
            "kept as a snapshot first, and Undo in the sidebar takes the restore back."
        )
        if st.button("Yes, restore", type="primary"):
            st.session_state.pop("confirm_restore")
            old = history.snapshot_map(db, snap.id)
            state.save(cur, old, f"restore snapshot {snap.name}", snapshot=history.RESTORE)
            st.rerun()
    if cur.can_edit and st.session_state.get("confirm_forget") == snap.id:
        st.warning("Delete this snapshot? Notes written about it stay, attached to the map.")
        if st.button("Yes, delete the snapshot", type="primary"):
            st.session_state.pop("confirm_forget")
            state.writes(cur).delete_snapshot(snap.id)
            st.session_state["flash"] = f"Deleted the snapshot {snap.name!r}."
            st.rerun()
    if view.toggle("View it as it was", key=f"snap-view-{cur.id}"):
        _view(snap)


def _view(snap: history.Snapshot) -> None:
    """The snapshot's map and findings, read-only, judged on the day it was taken."""
    m = history.snapshot_map(state.store(), snap.id)
    settings = current_settings()
    day = snap.taken_at.astimezone().date()
    st.subheader(f"{md(m.name)} as it was at {_when(snap.taken_at)}")
    st.caption("Read-only. Restore the snapshot to work on it again.")
    if not m.stakeholders:
        st.info("The map was empty then.")
        return
    key = cache.Key(state.store().url, snap.map_id or 0, snap.digest)
    report = _report(key, day, settings, m)
    for column, figure in zip(st.columns(len(report.headline)), report.headline, strict=True):
        column.metric(figure.label, figure.value, help=figure.help)
    html = _drawing(
        key, ("", "as it was"), (), (), day, settings.stale_months, m, dict(m.positions)
    )
    st.iframe(html, height=480)
    st.markdown(f"**Findings then ({len(report.findings)})**")
    for f in report.findings:
        with st.expander(f"{f.severity.value.upper()} · {md(f.title)}"):
            st.markdown(BADGES[f.severity])
            st.markdown(md(f.explanation))
            st.markdown(f"**What to do:** {md(f.action)}")
            source = finding_module(f.code)
            st.caption(f"How this was found: {md(source.METHOD)} Source: {md(source.SOURCE)}")


def _pick(cur: state.Current, snaps: list[history.Snapshot]) -> tuple[int, int]:
    labels = pick.snapshot_labels(snaps)  # by id: two alike in name and minute stay apart
    left, right = st.columns(2)
    first = left.selectbox(
        "From", list(labels), format_func=labels.__getitem__, key=f"diff-from-{cur.id}"
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
        st.info("Take a snapshot first (Snapshots); then compare it with the map later on.")
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
    _figures(d)
    _tables(d)
    if st.toggle("Show the maps before and after", value=True, key=f"diff-maps-{cur.id}"):
        _maps(d, before, after, (key, after_key), (before_day, after_day))
    notes = reflections.list_reflections(db, cur.id, in_report=True)
    title = f"What changed: {labels[first]} → {after_label}"
    text = (
        d.to_markdown(title)
        + "\n"
        + reflections.reflections_markdown(notes, {s.id: s.name for s in snaps})
    )
    st.caption(
        f"The change report holds the summary, the figures and the {len(notes)} reflection "
        "note(s) chosen for reports in the reflection log."
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


def _figures(d: MapDiff) -> None:
    st.subheader("The coalition's figures")
    verdict = d.verdicts()
    for column, key in zip(st.columns(len(HEADLINE)), HEADLINE, strict=True):
        label, better = headline.FIGURES[key]
        old, new = d.figures_before[key], d.figures_after[key]
        share = isinstance(new, float)
        delta = new - old
        column.metric(
            label,
            f"{new:.0%}" if share else str(new),
            delta=(
                (f"{delta:+.0%}" if share else f"{delta:+d}")
                + (f" ({verdict[key]})" if verdict[key] in ("better", "worse") else "")
                if verdict[key] != "same"
                else None
            ),
            delta_color="normal" if better >= 0 else "inverse",
            help=figure_help(key, f"Before: {old:.0%}" if share else f"Before: {old}"),
        )


def _tables(d: MapDiff) -> None:
    names = d.names
    people = [{"Who": names[i], "Change": "added"} for i in d.added]
    people += [{"Who": names[i], "Change": "removed"} for i in d.removed]
    people += [
        {
            "Who": c.name,
            "Change": f"{c.field.replace('_', ' ')}: {_value(c.before)} → {_value(c.after)}",
        }
        for c in d.changes
    ]
    ties = []
    for kind, rows in (
        ("gained", d.gained),
        ("lost", d.lost),
        ("strengthened", d.strengthened),
        ("weakened", d.weakened),
        ("changed", d.tie_changes),
    ):
        for t in rows:
            ties.append(
                {
                    "From": names.get(t.source, t.source),
                    "To": names.get(t.target, t.target),
                    "Type": t.type,
                    "Change": kind if kind != "changed" else t.field.replace("_", " "),
                    "Before": _value(t.before),
                    "After": _value(t.after),
                }
            )
    left, right = st.columns(2)
    with left:
        st.markdown(f"**People ({_changes_count(len(people))})**")
        if people:
            tables.table(people, "people-changed")
    with right:
        st.markdown(f"**Relationships ({_changes_count(len(ties))})**")
        if ties:
            tables.table(ties, "relationships-changed")


def _maps(
    d: MapDiff, before: Map, after: Map, keys: tuple[cache.Key, str], days: tuple[date, date]
) -> None:
    st.caption(
        "Emphasised: people added, removed or changed, and relationships gained, lost or "
        "changed; everyone else is faded."
    )
    scale = canvas_scale(len(after.stakeholders) + len(d.removed))
    where = spring_layout(after, seed=42, previous=dict(after.positions), scale=scale)
    where = {**spring_layout(before, seed=42, previous=where, scale=scale), **where}
    stale = current_settings().stale_months
    left, right = st.columns(2)
    for column, m, (people, ties), day, label in (
        (left, before, d.highlight_before(), days[0], "Before"),
        (right, after, d.highlight_after(), days[1], "After"),
    ):
        with column:
            st.markdown(f"**{label}**")
            if not m.stakeholders:
                st.info("Nobody on the map.")
                continue
            side = (keys[1], label)
            html = _drawing(keys[0], side, tuple(people), tuple(ties), day, stale, m, where)
            st.iframe(html, height=480)


def _trends(cur: state.Current, snaps: list[history.Snapshot]) -> None:
    db = state.store()
    settings = current_settings()
    rows = []
    points = [
        (s.label, s.taken_at, history.snapshot_figures(db, s.id, headline.figures_with, settings))
        for s in snaps
    ]
    now = _now_figures(cur.key, date.today(), settings, cur.map)
    points = [*reversed(points), ("Now", datetime.now().astimezone(), now)]
    if len(points) < 2:
        st.info("Take a snapshot: the trends compare the figures of every snapshot and now.")
        return
    for label, moment, figures in points:
        for key in TREND_FIGURES:
            rows.append(
                {
                    "When": moment.astimezone().replace(tzinfo=None),
                    "Snapshot": label,
                    "Figure": headline.FIGURES[key][0],
                    "Value": figures[key],
                }
            )
    frame = pd.DataFrame(rows)
    st.caption("Each snapshot's figures are judged on the day it was taken; the last point is now.")
    about(whatif)
    columns = st.columns(2)
    for i, key in enumerate(TREND_FIGURES):
        label = headline.FIGURES[key][0]
        share = isinstance(now[key], float)
        chart = (
            alt.Chart(frame[frame["Figure"] == label])
            .mark_line(point=True)
            .encode(
                x=alt.X("When:T", title=None, axis=alt.Axis(format="%-d %b %Y", labelAngle=-30)),
                y=alt.Y(
                    "Value:Q",
                    title=None,
                    axis=alt.Axis(format="%" if share else "d", tickMinStep=0.1 if share else 1),
                ),
                tooltip=[
                    "Snapshot",
                    "When",
                    alt.Tooltip("Value:Q", format=".0%" if share else "d"),
                ],
            )
            .properties(
                title=label,
                height=260,
                description=f"Line chart of {label.lower()} at each snapshot and now: "
                + "; ".join(
                    f"{row.Snapshot}: {row.Value:.0%}"
                    if share
                    else f"{row.Snapshot}: {row.Value:g}"
                    for row in frame[frame["Figure"] == label].itertuples()
                )
                + ". The same figures are in the table below the charts.",
            )
        )
        columns[i % 2].altair_chart(legible(chart), width="stretch")
    with st.expander("The figures as a table (text alternative)", icon=":material/table:"):
        table = frame.pivot_table(
            index=["When", "Snapshot"], columns="Figure", values="Value", sort=False
        ).reset_index()
        tables.table(table.drop(columns=["When"]), "figures-over-time")


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
    st.caption(f"{len(notes)} note(s), newest first. Only notes ticked go into reports.")
    for n in notes:
        with st.container(border=True):
            about = f" · about snapshot {by_id[n.snapshot_id].label}" if n.snapshot_id else ""
            st.markdown(f"**{n.written_on.isoformat()} · {md(n.author)}**{md(about)}")
            if n.prompt:
                st.markdown(f"*{md(n.prompt)}*")
            st.markdown(md(n.text))
            if not cur.can_edit:
                st.caption("Chosen for reports." if n.in_report else "Not in reports.")
                continue
            tick, drop = st.columns([3, 1])
            tick.checkbox(
                "Include in reports",
                value=n.in_report,
                key=f"note-report-{n.id}",
                on_change=state.refusing(_choose),
                args=(cur, n.id),
            )
            if drop.button("Delete note", key=f"note-delete-{n.id}", icon=":material/delete:"):
                state.writes(cur).delete_reflection(n.id)
                st.session_state["flash"] = "Note deleted."
                st.rerun()


def _note_form(cur: state.Current, by_id: dict[int, history.Snapshot]) -> None:
    with st.form("add-reflection", clear_on_submit=True):
        st.markdown("**Write a note**")
        left, right = st.columns(2)
        prompt = left.selectbox(
            "Prompt (from the King's Fund report's questions)",
            ["", *reflections.PROMPTS],
            format_func=lambda p: p or "(no prompt)",
        )
        author = right.radio("Written as", reflections.AUTHORS, horizontal=True)
        labels = pick.snapshot_labels(by_id.values())
        about = left.selectbox(
            "About",
            [NOW, *labels],
            format_func=lambda i: "The map" if i == NOW else f"Snapshot {labels[i]}",
        )
        day = right.date_input("Date", value=date.today(), min_value=date(2000, 1, 1))
        text = st.text_area(
            "Note", height=100, placeholder="What did you notice? What will you do?"
        )
        chosen = st.checkbox("Include in reports")
        if st.form_submit_button("Add note", type="primary"):
            state.writes(cur).add_reflection(
                text,
                author=author,
                prompt=prompt,
                on=day,
                snapshot_id=None if about == NOW else about,
                in_report=chosen,
            )
            st.session_state["flash"] = "Note added."
            st.rerun()


def _choose(cur: state.Current, note_id: int) -> None:
    """Tick or untick a note for reports, if the user may still change the map."""
    state.writes(cur).include_in_report(note_id, bool(st.session_state[f"note-report-{note_id}"]))


if __name__ == "__main__":
    run(page, "History & reflection")
