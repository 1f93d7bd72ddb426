"""What if: someone leaves, or a new relationship is built — the figures before and after."""

from __future__ import annotations

from datetime import date

import streamlit as st

from mapping.analysis import headline, whatif
from mapping.changes.edit import stakeholder_labels
from mapping.model import Relationship
from ui import state
from ui.about import about, figure_help
from ui.findings import show_findings
from ui.preferences import current_settings
from ui.runner import run


def page(cur: state.Current) -> None:
    st.header("What if…")
    about(whatif)
    m = cur.map
    if len(m.stakeholders) < 2:
        st.info("Add a few stakeholders and relationships first.")
        return
    labels = stakeholder_labels(m)
    ids = list(labels)
    members = [s.id for s in m.stakeholders if s.coalition]
    with st.form("what-if"):
        gone = st.multiselect(
            "Who leaves?",
            members + [i for i in ids if i not in members],
            format_func=labels.__getitem__,
            placeholder="Choose people (coalition members are listed first)",
            default=[],
        )
        st.markdown("**And / or a new relationship**")
        left, right, strength = st.columns([2, 2, 1])
        source = left.selectbox("From", ids, index=None, format_func=labels.__getitem__)
        target = right.selectbox("To", ids, index=None, format_func=labels.__getitem__)
        level = strength.number_input("Strength", 1, 5, 3)
        submitted = st.form_submit_button("Compare", type="primary")
    if not submitted:
        if members:
            st.caption("Try removing a coalition member to see what their departure would cost.")
        return
    added = []
    if source and target:
        added.append(Relationship("what-if", source, target, "collaborates", int(level)))
    if not gone and not added:
        st.warning("Choose someone who leaves, or two people for a new relationship.")
        return
    today = date.today()
    s = current_settings(cur.id)  # this map's thresholds
    thresholds = {
        "high_influence": s.high_influence,
        "strong_tie": s.strong_tie,
        "stale_months": s.stale_months,
    }
    with st.spinner("Comparing…"):
        before, after = whatif.what_if_figures(m, gone, added, today, **thresholds)
        verdict = whatif.compare(before, after)
        scenario = whatif.findings(m, today, gone, added, **thresholds)
    columns = st.columns(3)
    for i, (key, (label, better)) in enumerate(headline.FIGURES.items()):
        old, new = before[key], after[key]
        shown = f"{new:.0%}" if isinstance(new, float) else str(new)
        delta = new - old
        columns[i % 3].metric(
            label,
            shown,
            # The words say better or worse: the colour of the change is never the only sign.
            delta=(
                (f"{delta:+.0%}" if isinstance(new, float) else f"{delta:+d}")
                + (f" ({verdict.get(key)})" if verdict.get(key) in ("better", "worse") else "")
                if delta
                else None
            ),
            delta_color="normal" if better >= 0 else "inverse",
            help=figure_help(
                key, f"Before: {old:.0%}" if isinstance(old, float) else f"Before: {old}"
            ),
        )
    worse = [headline.FIGURES[k][0] for k, v in verdict.items() if v == "worse"]
    if worse:
        st.error("This would weaken the coalition. Worse: " + "; ".join(worse).lower() + ".")
    show_findings(m, scenario, key="what-if")


if __name__ == "__main__":
    run(page, "What if")
