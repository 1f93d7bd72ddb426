"""Findings shown as expandable cards, with their method and source and a "show on map" button.

The gaps page shows them grouped (:func:`show_groups`): the three things to do first, then
one card per kind of gap whose table lists its findings, most urgent first.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.grouping import Action, FindingGroup, group_title, who_acts
from mapping.model import Map
from mapping.report.explain import evidence_rows
from ui import routes, sections, tables
from ui.about import finding_module
from ui.plan_actions import plan_button
from ui.text import md, plain

BADGES = {
    Severity.HIGH: ":red-badge[High]",
    Severity.MEDIUM: ":orange-badge[Medium]",
    Severity.LOW: ":blue-badge[Low]",
    Severity.INFO: ":gray-badge[Note]",
}


#: Findings shown at first, and added by each "Show more": the most urgent come first, and a
#: large map has hundreds (drawing them all took most of a rerun of the gaps page).
PAGE = 25


def show_findings(m: Map, findings: Sequence[Finding], key: str) -> None:
    """One expander per finding: explanation, action, people involved, evidence.

    The :data:`PAGE` most urgent come first; a button shows more.
    """
    names = m.names()
    shown_key = f"{key}-findings-shown"
    shown = st.session_state.get(shown_key, PAGE)
    for i, f in enumerate(findings[:shown]):
        with st.expander(f"{f.severity.value.upper()} · {md(f.title)}"):
            st.markdown(BADGES[f.severity])
            st.markdown(md(f.explanation))
            st.markdown(f"**What to do:** {md(f.action)}")
            if f.stakeholders:
                people = ", ".join(names.get(s, s) for s in f.stakeholders)
                st.markdown(f"**People involved:** {md(people)}")
            _details(f, names, f"{key}-show-{i}")
    rest = len(findings) - shown
    if rest > 0:
        st.caption(f"Showing the {shown} most urgent of {len(findings)} findings.")
        st.button(
            f"Show {min(PAGE, rest)} more",
            key=f"{key}-more",
            icon=":material/expand_more:",
            on_click=_show_more,
            args=(shown_key, shown),
        )


def _show_more(shown_key: str, shown: int) -> None:
    st.session_state[shown_key] = shown + PAGE


def show_evidence(f: Finding, names: dict[str, str]) -> None:
    """The numbers behind a finding as a small table of plain words (never raw JSON)."""
    rows = evidence_rows(f.evidence, names)
    if rows:
        st.markdown("**The figures behind it:**")
        st.table(pd.DataFrame([(plain(a), plain(b)) for a, b in rows], columns=["", "Value"]))


def _details(f: Finding, names: dict[str, str], key: str) -> None:
    """Evidence, method and source, and the "show on map" button of one finding."""
    show_evidence(f, names)
    source = finding_module(f.code)
    st.caption(f"How this was found: {md(source.METHOD)} Source: {md(source.SOURCE)}")
    if (f.stakeholders or f.ties) and st.button(
        "Show on map", key=key, icon=":material/visibility:"
    ):
        routes.show_on_map(f.title, list(f.stakeholders), [list(t) for t in f.ties])
    plan_button(f, key)


#: Findings a group's table lists at first; the rest on request.
TOP = 5

#: Kinds of gap with a page of their own: kind -> (url path, the link's words).
PAGES_OF_KINDS = {
    "investment": (
        "invest",
        "All of them, ranked, with who should act: Relationships to invest in",
    ),
}


def show_actions(m: Map, actions: Sequence[Action]) -> None:
    """ "This month: the three things to do", each with who should act."""
    if not actions:
        return
    names = m.names()
    with st.container(border=True):
        st.subheader("This month: the three things to do", anchor=False)
        for i, a in enumerate(actions, start=1):
            st.markdown(
                f"{i}\\. **{md(a.finding.title)}**  \n{md(a.finding.action)}  \n"
                f"*Who should act:* {md(who_acts(a, names))}"
            )
            plan_button(a.finding, f"three-things-{i}")


def card_key(key: str, group: FindingGroup) -> str:
    """The session key of ``group``'s card on the page ``key``: true while it is open."""
    return f"{key}-card-{group.kind.key}"


def show_groups(m: Map, groups: Sequence[FindingGroup], key: str) -> None:
    """One card per kind of gap: a table of its findings (the :data:`TOP` most urgent, the
    rest on request), then the details of the one chosen."""
    names = m.names()
    for g, group in enumerate(groups):
        label = f"{group.severity.value.upper()} · {md(group_title(group))}"
        # a card's contents run only while it is open: the page opens at once on many cards
        with sections.opened(label, card_key(key, group)) as shown:
            if not shown:
                continue
            st.markdown(BADGES[group.severity] + " " + md(_severity_counts(group)))
            if group.kind.key in PAGES_OF_KINDS:
                path, words = PAGES_OF_KINDS[group.kind.key]
                st.page_link(routes.page(path), label=words, icon=":material/arrow_forward:")
            everything = len(group.items) > TOP and st.toggle(
                f"Show all {len(group.items)}", key=f"{key}-all-{g}", value=False
            )
            items = group.items if everything else group.items[:TOP]
            if len(group.items) == 1:
                f = items[0]
                st.markdown(md(f.explanation))
                st.markdown(f"**What to do:** {md(f.action)}")
                _people(f, names)
                _details(f, names, f"{key}-show-{g}-0")
                continue
            tables.table(
                pd.DataFrame(
                    [
                        {
                            "Urgency": f.severity.value.capitalize(),
                            "Finding": plain(f.title),
                            "What to do": plain(f.action),
                            "Who should act": plain(names.get(f.actor or "", "")),
                        }
                        for f in items
                    ]
                ),
                f"{group.kind.key}-findings",
                column_config={
                    "Finding": st.column_config.TextColumn(width="large"),
                    "What to do": st.column_config.TextColumn(width="large"),
                },
            )
            if len(group.items) > len(items):
                st.caption(f"The {len(items)} most urgent of {len(group.items)}.")
            chosen = st.selectbox(
                "Details of",
                range(len(items)),
                format_func=[plain(f.title) for f in items].__getitem__,
                key=f"{key}-pick-{g}",
            )
            f = items[chosen or 0]
            st.markdown(md(f.explanation))
            _people(f, names)
            _details(f, names, f"{key}-show-{g}")


def _people(f: Finding, names: dict[str, str]) -> None:
    if f.stakeholders:
        people = ", ".join(names.get(s, s) for s in f.stakeholders)
        st.markdown(f"**People involved:** {md(people)}")


def _severity_counts(group: FindingGroup) -> str:
    """ "2 high, 13 medium, 6 low" (severities with none left out)."""
    return ", ".join(f"{n} {severity}" for severity, n in group.counts.items() if n)
