"""Coalition gaps: headline figures, the three things to do, and findings grouped by kind."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mapping.analysis import brokerage, coverage, grid, recruitment, resilience, silos
from mapping.model.wording import count_of, join, listing, percent
from mapping.report.explain import explain, tendency
from ui import state, tables
from ui.about import about
from ui.findings import show_actions, show_groups
from ui.reports import gap_report
from ui.runner import run
from ui.text import md


def page(cur: state.Current) -> None:
    st.header("Coalition gaps")
    m = cur.map
    if not m.stakeholders:
        st.info("Add stakeholders and mark who is in the coalition to see its gaps.")
        return
    if not any(s.coalition for s in m.stakeholders):
        st.warning(
            "Nobody is marked as in the coalition yet. Tick 'In coalition' for your coalition "
            "of the willing on the Stakeholders page: most checks measure from them."
        )
    st.session_state["seen_gaps"] = True
    report = gap_report(cur)
    for column, figure in zip(st.columns(len(report.headline)), report.headline, strict=True):
        column.metric(figure.label, figure.value, help=figure.help)
    unmapped = [
        c.perspective for c in report.coverage if not c.stakeholders and c.perspective != "other"
    ]
    if unmapped:
        st.caption(md(f"{join(unmapped).capitalize()}: nobody on the map yet."))
    names = m.names()
    show_actions(m, report.actions)
    tabs = st.tabs(
        [
            f"Findings ({count_of(len(report.groups), 'kind', 'kinds')} of gap)",
            "Perspectives",
            "Silos",
            "Bridges",
            "Key people",
            "Power / interest",
            "Who to bring in",
        ],
        key=f"gaps-tab-{cur.id}",
        on_change="rerun",
    )
    with tabs[0]:
        if tabs[0].open:  # only the chosen tab is worked out and sent
            if report.groups:
                show_groups(m, report.groups, key="gaps")
            else:
                st.success("No gaps found: every check passed.")
    with tabs[1]:
        if tabs[1].open:  # only the chosen tab is worked out and sent
            from ui import charts  # Altair loads only with a chart (about 0.3 s the first time)

            about(coverage, "perspectives_covered")
            st.vega_lite_chart(charts.coverage_chart(report.coverage), width="stretch")
            tables.table(charts.coverage_frame(report.coverage), "perspective-coverage")
    with tabs[2]:
        if tabs[2].open:  # only the chosen tab is worked out and sent
            from ui import charts

            about(silos, "ei_index")
            st.vega_lite_chart(charts.heatmap_chart(report.tie_matrix), width="stretch")
            with st.expander("The heat map as a table (text alternative)", icon=":material/table:"):
                tables.table(charts.heatmap_frame(report.tie_matrix), "ties-between-perspectives")
            overall = report.ei_overall
            if overall.ei is not None:
                st.metric(
                    "The whole map",
                    tendency(overall.ei).capitalize(),
                    help=f"E-I index {overall.ei:+.2f}. " + explain("ei_index"),
                )
            tables.table(
                [
                    {
                        "Perspective": e.group,
                        "Ties inside": e.internal,
                        "Ties to other perspectives": e.external,
                        "Looks": tendency(e.ei),
                        "Score": "" if e.ei is None else f"{e.ei:+.2f}",
                    }
                    for e in report.ei
                ],
                "inward-or-outward",
                column_config={
                    "Score": st.column_config.TextColumn(
                        help="From −1 (every tie stays inside) to +1 (every tie goes outside). "
                        + explain("ei_index")
                    )
                },
            )
    with tabs[3]:
        if tabs[3].open:  # only the chosen tab is worked out and sent
            about(brokerage, "betweenness")
            if report.betweenness_method == "sampled":
                st.info(report.betweenness_note, icon=":material/query_stats:")
            else:
                st.caption(report.betweenness_note)
            table = report.brokers.sort_values("betweenness", ascending=False).head(25)
            tables.table(
                [
                    {
                        "Name": row["name"],
                        "Perspective": row["perspective"],
                        "In coalition": "yes" if row["coalition"] else "",
                        "Routes through them": f"{round(100 * row['betweenness'])}%",
                        "Closed circle": ""
                        if pd.isna(row["constraint"])
                        else f"{row['constraint']:.2f}",
                        "Separate circles reached": f"{row['effective_size']:.1f}",
                        "Go-between roles": int(row["brokerage"]),
                    }
                    for _, row in table.iterrows()
                ],
                "brokers",
                column_config={
                    "Routes through them": st.column_config.TextColumn(help=explain("betweenness")),
                    "Closed circle": st.column_config.TextColumn(help=explain("constraint")),
                    "Separate circles reached": st.column_config.TextColumn(
                        help=explain("effective_size")
                    ),
                    "Go-between roles": st.column_config.NumberColumn(
                        help=explain("brokerage_roles")
                    ),
                },
            )
    with tabs[4]:
        if tabs[4].open:  # only the chosen tab is worked out and sent
            about(resilience, "key_person_risks")
            gateways = [f for f in report.findings if f.code == "resilience.gateway"]
            if not report.key_people and not gateways:
                st.success("Nobody's departure would cut coalition members or a perspective off.")
            for r in report.key_people:
                st.markdown(f"**{md(r.name)}** — {md(departure_sentence(r, names))}")
            for f in gateways:
                st.markdown(f"**{md(names[f.stakeholders[0]])}** — {md(f.explanation)}")
    with tabs[5]:
        if tabs[5].open:  # only the chosen tab is worked out and sent
            from ui import charts

            about(grid, "power_interest")
            if len(report.grid):
                st.vega_lite_chart(charts.grid_chart(report.grid, m.perspectives), width="stretch")
                tables.table(report.grid.drop(columns=["id"]), "power-interest-grid")
    with tabs[6]:
        if tabs[6].open:  # only the chosen tab is worked out and sent
            about(recruitment, "recruitment_score")
            if not report.candidates:
                st.info("Mark your coalition first; suggestions build outwards from it.")
            tables.table(
                [
                    {
                        "Name": c.name,
                        "Perspective": c.perspective,
                        "Stance": c.stance,
                        "Influence": c.influence,
                        "Score": f"{c.score:.1f}",
                        "Brings a missing perspective": "yes" if c.fills_gap else "",
                        "Best placed to ask": names.get(c.approach_by or "", ""),
                        "Route": " → ".join(names.get(p, p) for p in c.approach_path),
                    }
                    for c in report.candidates
                ],
                "who-to-bring-in",
            )


def departure_sentence(r: resilience.PersonRisk, names: dict[str, str]) -> str:
    """What one person's leaving would do, in words, saying only what would happen.

    >>> r = resilience.PersonRisk("d", "Dan", "council", True, True, 0.2, 0.5, ("e",), (), 1)
    >>> departure_sentence(r, {"e": "Eve"})
    'if they left, Eve would be cut off from the coalition; people who cannot reach each \
other would rise from 20% to 50% of pairs.'
    """
    parts = []
    if r.cut_off_members:
        who = listing([names.get(u, u) for u in r.cut_off_members], 4, others=True)
        verb = "would be" if len(r.cut_off_members) == 1 else "would all be"
        parts.append(f"{who} {verb} cut off from the coalition")
    if r.perspectives_lost:
        lost = join(r.perspectives_lost)
        parts.append(
            f"the {lost} perspective{'s' if len(r.perspectives_lost) > 1 else ''} "
            "would lose every route into it"
        )
    if r.fragmentation_after > r.fragmentation_before:
        parts.append(
            f"people who cannot reach each other would rise from {percent(r.fragmentation_before)}"
            f" to {percent(r.fragmentation_after)} of pairs"
        )
    if not parts:
        return "holds parts of the network together."
    return "if they left, " + "; ".join(parts) + "."


if __name__ == "__main__":
    run(page, "Coalition gaps")
