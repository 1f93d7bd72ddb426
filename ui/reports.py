"""The coalition analysis the pages show, kept per saved version, with a progress bar while
it runs (seconds on maps of thousands of people)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from mapping.analysis.gaps import GapReport, analyse
from mapping.recent import Recent
from ui import state
from ui.preferences import current_settings

#: Reports kept in the app process: one per map version, day and settings.
KEEP = 32


@st.cache_resource(show_spinner=False)
def _kept() -> Recent[GapReport]:
    """The most recently used reports, shared by every session of the app process."""
    return Recent(KEEP)


def gap_report(cur: state.Current, today: date | None = None) -> GapReport:
    """The gap report of the current map with the map's own settings.

    Kept on the map's saved version and save time (``Current.stamp``), so a rerun without an
    edit recomputes nothing; otherwise the analysis runs with a progress bar naming each step.
    """
    day = today or date.today()
    settings = current_settings(cur.id)
    key = (cur.id, cur.stamp or cur.version, day, settings)
    kept = _kept()
    report = kept.get(key)
    if report is None:
        bar = st.progress(0.0, text="Analysing the coalition…")

        def progress(share: float, step: str) -> None:
            bar.progress(share, text=f"Analysing the coalition: {step[0].lower()}{step[1:]}…")

        try:
            report = analyse(cur.map, settings, today=day, progress=progress)
        finally:
            bar.empty()
        kept.put(key, report)
    return report
