"""What if: someone leaves, or a new relationship is built — the figures before and after."""

from __future__ import annotations

from datetime import date

import streamlit as st

from mapping.analysis import whatif
from mapping.changes.edit import stakeholder_labels
from mapping.model import Map, Relationship
from ui import cache, state
from ui.about import about
from ui.findings import show_findings
from ui.preferences import current_settings
from ui.runner import run
from ui.text import md


@cache.cached("what-if starting points", 8)
def _before(key: cache.Key, today: date, thresholds: tuple[int, int, int], _m: Map) -> whatif.Side:
    """The map's own side of every scenario, worked out once per state of the map, day and
    ``thresholds`` (high influence, strong tie, stale months)."""
    high, strong, stale = thresholds
    return whatif.side(_m, today, high_influence=high, strong_tie=strong, stale_months=stale)


def page(cur: state.Current) -> None:
    st.header("What if…")
    about(whatif)
    m = cur.map
    if len(m.stakeholders) < 2:
        st.info("Add a few stakeholders and relationships first.")
        return
    _compare(cur)


@st.fragment
def _compare(cur: state.Current) -> None:
    """The scenario form and its outcome: pressing Compare reruns only this part."""
    m = cur.map
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
    today = date.today()
    added = []
    if source and target:
        added.append(
            Relationship(
                "what-if", source, target, "collaborates", int(level), last_confirmed=today
            )
        )
    if not gone and not added:
        st.warning("Choose someone who leaves, or two people for a new relationship.")
        return
    s = current_settings(cur.id)  # this map's thresholds
    thresholds = {
        "high_influence": s.high_influence,
        "strong_tie": s.strong_tie,
        "stale_months": s.stale_months,
    }
    with st.spinner("Comparing…"):
        before = _before(cur.key, today, (s.high_influence, s.strong_tie, s.stale_months), m)
        o = whatif.outcome(m, today, gone, added, before=before, **thresholds)
        scenario = [whatif.described(m, o, gone, added)]
    show_outcome(o, m.names())
    show_findings(m, scenario, key="what-if")


def show_outcome(o: whatif.Outcome, names: dict[str, str]) -> None:
    """The verdict, who would be cut off, and four figures each over a fixed denominator."""
    lost, gained = set(o.losses), set(o.gains)
    if o.verdict == "worse":
        st.error("Overall: this would weaken the coalition.", icon=":material/trending_down:")
    elif o.verdict == "mixed":
        st.warning("Overall: mixed — some figures improve, some get worse.")
    elif o.verdict == "better":
        st.success("Overall: this would strengthen the coalition.", icon=":material/trending_up:")
    else:
        st.info("Overall: the figures would not change.")
    if o.cut_off:
        who = ", ".join(names[v] for v in o.cut_off)
        st.markdown(f"**Would be cut off from the coalition:** {md(who)}")
    if o.reconnected:
        who = ", ".join(names[v] for v in o.reconnected)
        st.markdown(f"**Would be reconnected to the coalition:** {md(who)}")

    def word(key: str) -> str:
        # the words say better or worse: the colour of the change is never the only sign
        return " (worse)" if key in lost else " (better)" if key in gained else ""

    rows = [
        (
            "People cut off from the coalition",
            f"{len(o.cut_off)}" if o.cut_off else "none",
            ("cut_off", len(o.cut_off) - len(o.reconnected)),
            "People who stay but would lose every route to the coalition.",
        ),
        (
            "Pairs who cannot reach each other",
            f"{o.unreachable_after} of {o.pairs}",
            ("unreachable", o.unreachable_after - o.unreachable_before),
            f"Of the {o.pairs} pairs of people who stay; before: {o.unreachable_before}.",
        ),
        (
            "Perspectives with a coalition member",
            f"{o.covered_after} of {o.perspectives}",
            ("covered", o.covered_after - o.covered_before),
            f"Of the map's {o.perspectives} perspectives; before: {o.covered_before}.",
        ),
        (
            "Relationships to invest in",
            str(o.investment_after),
            ("investment", o.investment_after - o.investment_before),
            f"Before: {o.investment_before}. A new relationship counts as confirmed today.",
        ),
    ]
    for column, (label, value, (key, delta), help_text) in zip(
        st.columns(2) + st.columns(2), rows, strict=True
    ):
        column.metric(
            label,
            value,
            delta=f"{delta:+d}{word(key)}" if delta else None,
            delta_color="off"
            if key not in lost | gained
            else ("normal" if (key in gained) == (delta > 0) else "inverse"),
            help=help_text,
        )


if __name__ == "__main__":
    run(page, "What if")
