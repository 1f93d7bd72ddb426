"""Relationships to invest in: one ranked list, with the reason in plain words and who should
act, filters, a CSV download and "Plan this" for each."""

from __future__ import annotations

from datetime import date

import streamlit as st

from mapping.analysis import invest_list
from mapping.analysis.invest_list import REASONS, Investment, reason_labels, reason_text
from mapping.model import Map
from mapping.model.settings import Settings
from mapping.model.wording import count_of
from mapping.storage import access
from ui import cache, routes, state, tables
from ui.about import about
from ui.findings import BADGES, show_evidence
from ui.plan_actions import plan_button
from ui.preferences import current_settings
from ui.runner import run
from ui.text import md

#: Who acts when the analysis names nobody.
OWNER_WORDS = "the map's owner"


@cache.cached("investment lists", 16, spinner="Finding the relationships to invest in…")
def ranked(key: cache.Key, today: date, settings: Settings, _m: Map) -> list[Investment]:
    """The map's relationships to invest in, most urgent first (kept per map state)."""
    return invest_list.investments(_m, today, settings)


def owner_words(cur: state.Current) -> str:
    """Who "the map's owner" is, in words: their address when signed in, else "you"."""
    owners = [p.email for p in access.members(state.store(), cur.id) if p.role == access.OWNER]
    return f"{OWNER_WORDS} ({owners[0]})" if owners else f"{OWNER_WORDS} (you)"


def rows(items: list[Investment], m: Map, today: date, owner: str) -> list[dict[str, object]]:
    """The table's rows: rank, urgency, the two people, the reason and who should act."""
    names = m.names()
    return [
        {
            "Rank": i.rank,
            "Urgency": i.severity.value.capitalize(),
            "Person": names[i.first],
            "With": names.get(i.second or "", "the coalition (no tie yet)"),
            "Why it needs investment": reason_text(i, m, today),
            "Who should act": names.get(i.actor or "", owner),
        }
        for i in items
    ]


def page(cur: state.Current) -> None:
    st.header("Relationships to invest in")
    st.caption(
        "Where are the key relationships which need investment? Every one the map shows, "
        "most urgent first: tensions with the coalition, influential people not yet on side, "
        "and weak, one-way or unconfirmed ties with key players."
    )
    m = cur.map
    if not m.stakeholders:
        st.info("Add stakeholders and their relationships first; then this page ranks them.")
        return
    today = date.today()
    items = ranked(cur.key, today, current_settings(cur.id), m)
    about(invest_list)
    if not items:
        st.success(
            "No relationship needs investment now: no tension with the coalition, and every "
            "influential person is on side or strongly tied to it. Keep relationships "
            "confirmed (Needs review) so this stays true."
        )
        if not any(s.coalition for s in m.stakeholders):
            st.info(
                "Nobody is marked as in the coalition yet: tick 'In coalition' on the "
                "Stakeholders page; most of these checks measure from them."
            )
        return
    shown = _filtered(items, m)
    owner = owner_words(cur)
    st.markdown(
        f"**{count_of(len(items), 'relationship needs', 'relationships need')} investment**"
        + (f"; {len(shown)} shown with these filters." if len(shown) != len(items) else ".")
    )
    if not shown:
        st.info("None with these filters: clear a filter to see the others.")
        return
    tables.table(
        rows(shown, m, today, owner),
        "relationships-to-invest-in",
        column_config={
            "Rank": st.column_config.NumberColumn(width="small"),
            "Urgency": st.column_config.TextColumn(width="small"),
        },
    )
    _details(cur, shown, today, owner)


def _filtered(items: list[Investment], m: Map) -> list[Investment]:
    """The filters a commissioner expects: whose perspective, and why."""
    people = {s.id: s for s in m.stakeholders}
    perspectives = sorted(
        {people[p].perspective for i in items for p in (i.first, i.second) if p in people}
    )
    left, right = st.columns(2)
    chosen = left.multiselect(
        "Perspective",
        perspectives,
        placeholder="Every perspective",
        help="Relationships with at least one person of these perspectives.",
        key="invest-perspective",
    )
    reasons = right.multiselect(
        "Reason",
        list(REASONS.values()),
        placeholder="Every reason",
        key="invest-reason",
    )
    return [
        i
        for i in items
        if (
            not chosen
            or any(people[p].perspective in chosen for p in (i.first, i.second) if p in people)
        )
        and (not reasons or set(reason_labels(i)) & set(reasons))
    ]


def _details(cur: state.Current, shown: list[Investment], today: date, owner: str) -> None:
    """One relationship's advice, the figures behind it, "Show on map" and "Plan this"."""
    m = cur.map
    names = m.names()
    # picked by the two people's ids (each relationship is listed once), not by rank: after an
    # edit the same rank may be another relationship
    by_pair = {(i.first, i.second or ""): i for i in shown}
    labels = {
        pair: f"{i.rank}. {names[i.first]} – {names.get(i.second or '', 'the coalition')}"
        for pair, i in by_pair.items()
    }
    pair = st.selectbox("Act on", list(labels), format_func=labels.__getitem__, key="invest-pick")
    i = by_pair.get(pair) if pair is not None else None
    i = i or shown[0]
    f = i.finding
    with st.container(border=True):
        st.markdown(f"{BADGES[f.severity]} **{md(f.title)}**")
        st.markdown(md(f.explanation))
        st.markdown(f"**What to do:** {md(f.action)}")
        who = names.get(i.actor or "", owner)
        st.markdown(f"**Who should act:** {md(who)}")
        show_evidence(f, names)
        left, right = st.columns(2)
        with left:
            plan_button(f, f"invest-{i.rank}")
        if right.button("Show on map", key=f"invest-map-{i.rank}", icon=":material/visibility:"):
            routes.show_on_map(f.title, list(f.stakeholders), [list(t) for t in f.ties])
    st.page_link(routes.page("plan"), label="The engagement plan", icon=":material/checklist:")


if __name__ == "__main__":
    run(page, "Relationships to invest in")
