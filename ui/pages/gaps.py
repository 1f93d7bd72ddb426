"""Coalition gaps: headline figures, charts and findings, most urgent first."""

from __future__ import annotations

import streamlit as st

from mapping.analysis import brokerage, coverage, grid, recruitment, resilience, silos
from mapping.report.explain import explain
from ui import charts, state, tables
from ui.about import about
from ui.findings import show_findings
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
    names = m.names()
    tabs = st.tabs(
        [
            f"Findings ({len(report.findings)})",
            "Perspectives",
            "Silos",
            "Brokers",
            "Key people",
            "Power / interest",
            "Who to bring in",
        ]
    )
    with tabs[0]:
        if report.findings:
            show_findings(m, report.findings, key="gaps")
        else:
            st.success("No gaps found: every check passed.")
    with tabs[1]:
        about(coverage, "perspectives_covered")
        st.vega_lite_chart(charts.coverage_chart(report.coverage), width="stretch")
        tables.table(charts.coverage_frame(report.coverage), "perspective-coverage")
    with tabs[2]:
        about(silos, "ei_index")
        st.vega_lite_chart(charts.heatmap_chart(report.tie_matrix), width="stretch")
        with st.expander("The heat map as a table (text alternative)", icon=":material/table:"):
            tables.table(charts.heatmap_frame(report.tie_matrix), "ties-between-perspectives")
        overall = report.ei_overall
        if overall.ei is not None:
            st.metric(
                "E-I index of the whole map",
                f"{overall.ei:+.2f}",
                help=explain("ei_index"),
            )
        tables.table(
            [
                {
                    "Perspective": e.group,
                    "Ties inside": e.internal,
                    "Ties outside": e.external,
                    "E-I": e.ei,
                    "Expected E-I": e.expected,
                    "Size-corrected E-I": e.size_corrected,
                }
                for e in report.ei
            ],
            "e-i-index",
        )
    with tabs[3]:
        about(brokerage, "betweenness")
        if report.betweenness_method == "sampled":
            st.info(report.betweenness_note, icon=":material/query_stats:")
        else:
            st.caption(report.betweenness_note)
        table = report.brokers.sort_values("betweenness", ascending=False).head(25)
        tables.table(
            table.drop(columns=["id"]),
            "brokers",
            column_config={
                "betweenness": st.column_config.NumberColumn(
                    "broker score", format="%.3f", help=explain("betweenness")
                ),
                "constraint": st.column_config.NumberColumn(
                    format="%.2f", help=explain("constraint")
                ),
                "effective_size": st.column_config.NumberColumn(
                    "effective size", format="%.1f", help=explain("effective_size")
                ),
                "brokerage": st.column_config.NumberColumn(help=explain("brokerage_roles")),
            },
        )
    with tabs[4]:
        about(resilience, "key_person_risks")
        if not report.key_people:
            st.success("Nobody's departure would cut coalition members or a perspective off.")
        for r in report.key_people:
            lost = ", ".join(r.perspectives_lost) or "none"
            st.markdown(
                f"**{md(r.name)}** — would cut off {len(r.cut_off_members)} coalition "
                f"members and these perspectives: {md(lost)}; "
                f"fragmentation {r.fragmentation_before:.0%} → {r.fragmentation_after:.0%}."
            )
    with tabs[5]:
        about(grid, "power_interest")
        if len(report.grid):
            st.vega_lite_chart(charts.grid_chart(report.grid, m.perspectives), width="stretch")
            tables.table(report.grid.drop(columns=["id"]), "power-interest-grid")
    with tabs[6]:
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
                    "Score": c.score,
                    "Fills a gap": c.fills_gap,
                    "Best placed to ask": names.get(c.approach_by or "", ""),
                    "Route": " → ".join(names.get(p, p) for p in c.approach_path),
                }
                for c in report.candidates
            ],
            "who-to-bring-in",
        )


if __name__ == "__main__":
    run(page, "Coalition gaps")
