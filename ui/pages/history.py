"""History: snapshots of the map and the coalition's figures over time.

What changed since a snapshot, the reflection log, colleagues' differing views and the
activity log are on the Reflect page (``ui/pages/reflect.py``).
"""

from __future__ import annotations

from datetime import date, datetime

import altair as alt
import pandas as pd
import streamlit as st

from mapping.analysis import headline, whatif
from mapping.analysis.gaps import GapReport, analyse
from mapping.changes.diff import HEADLINE
from mapping.model import Map
from mapping.model.settings import Settings
from mapping.model.wording import local_minute
from mapping.storage import history
from ui import cache, pick, routes, state, switch, tables
from ui.about import about, finding_module
from ui.charts import legible
from ui.findings import BADGES
from ui.preferences import current_settings
from ui.runner import run
from ui.snapshot_drawing import drawing
from ui.text import md

SECTIONS = ("Snapshots", "Trends")
TREND_FIGURES = (*HEADLINE, "stakeholders", "coalition_members")


@cache.cached("snapshot reports", 16, spinner="Analysing the map as it was…")
def _report(key: cache.Key, today: date, settings: Settings, _m: Map) -> GapReport:
    """The gap report of a snapshot (``key`` holds its digest)."""
    return analyse(_m, settings, today=today)


@cache.cached("trend figures", 32)
def _now_figures(
    key: cache.Key, today: date, settings: Settings, _m: Map
) -> dict[str, int | float]:
    return headline.figures_with(_m, today, settings)


def page(cur: state.Current) -> None:
    st.header("History")
    st.caption(
        "Snapshots keep the map as it was: take one before a board or a workshop, and the app "
        "takes one itself before every import, bulk edit, deletion or restore, and before "
        "the first change of each day. Follow the coalition's figures over time; compare "
        "any two snapshots on Reflect."
    )
    snaps = history.list_snapshots(state.store(), cur.id)
    section = switch.one_of("Show", SECTIONS, key="history-section")
    {"Snapshots": _snapshots, "Trends": _trends}[section](cur, snaps)
    st.page_link(
        routes.page("reflect"),
        label="What changed since a snapshot, notes and who changed what: Reflect",
        icon=":material/self_improvement:",
    )


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
                "Taken": local_minute(s.taken_at),
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
            f"Put the map back as it was at {local_minute(snap.taken_at)}? The map as it is now is "
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
    st.subheader(f"{md(m.name)} as it was at {local_minute(snap.taken_at)}")
    st.caption("Read-only. Restore the snapshot to work on it again.")
    if not m.stakeholders:
        st.info("The map was empty then.")
        return
    key = cache.Key(state.store().url, snap.map_id or 0, snap.digest)
    report = _report(key, day, settings, m)
    for column, figure in zip(st.columns(len(report.headline)), report.headline, strict=True):
        column.metric(figure.label, figure.value, help=figure.help)
    html = drawing(key, ("", "as it was"), (), (), day, settings.stale_months, m, dict(m.positions))
    st.iframe(html, height=480)
    st.markdown(f"**Findings then ({len(report.findings)})**")
    for f in report.findings:
        with st.expander(f"{f.severity.value.upper()} · {md(f.title)}"):
            st.markdown(BADGES[f.severity])
            st.markdown(md(f.explanation))
            st.markdown(f"**What to do:** {md(f.action)}")
            source = finding_module(f.code)
            st.caption(f"How this was found: {md(source.METHOD)} Source: {md(source.SOURCE)}")


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


if __name__ == "__main__":
    run(page, "History")
