"""Coalition gaps: headline figures and findings, most urgent first."""

from __future__ import annotations

from datetime import date

import streamlit as st

from mapping.analysis.gaps import GapReport, analyse
from mapping.model import Map
from mapping.settings import Settings
from ui import state
from ui.findings import show_findings


@st.cache_data(show_spinner="Analysing the coalition…", max_entries=32)
def _report(map_id: int, version: int, today: date, _m: Map) -> GapReport:
    """Analysis cached on the map's version: a rerun without an edit recomputes nothing."""
    return analyse(_m, Settings(), today=today)


def page(cur: state.Current) -> None:
    st.header("Coalition gaps")
    m = cur.map
    if not m.stakeholders:
        st.info("Add stakeholders and mark who is in the coalition to see its gaps.")
        return
    report = _report(cur.id, cur.version, date.today(), m)
    columns = st.columns(len(report.headline))
    for column, figure in zip(columns, report.headline, strict=True):
        column.metric(figure.label, figure.value, help=figure.help)
    if not report.findings:
        st.success("No gaps found: every check passed.")
        return
    st.subheader(f"{len(report.findings)} findings, most urgent first")
    show_findings(m, report.findings, key="gaps")


if __name__ == "__main__":
    from ui.nav import run

    run(page, "Coalition gaps")
