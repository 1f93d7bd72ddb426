"""The coalition analysis the pages show, kept per stored state of the map, with a progress
bar while it runs (seconds on maps of thousands of people)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from mapping.analysis.gaps import GapReport, analyse
from mapping.model.settings import Settings
from ui import cache, state
from ui.preferences import current_settings

#: Reports kept in the app process: one per map state, day and settings.
KEEP = 32

#: The gap reports of every session, by map state (``Current.key``), day and settings.
REPORTS: cache.MapCache[GapReport] = cache.kept("gap reports", KEEP)


def gap_report(cur: state.Current, today: date | None = None) -> GapReport:
    """The gap report of the current map with the map's own settings.

    Kept on the map's database, id and content (``Current.key``), so a rerun without an edit
    recomputes nothing and a map that reuses a deleted map's id never gets its report;
    otherwise the analysis runs with a progress bar naming each step.
    """
    day = today or date.today()
    settings = current_settings(cur.id)
    report = REPORTS.wait(cur.key, day, settings)  # if computed ahead (ui/warm.py)
    while report is None:
        with REPORTS.computing(cur.key, day, settings) as needed:
            if needed:  # not being computed ahead: compute it here, with the bar
                report = _analysed(cur, settings, day)
                REPORTS.put(report, cur.key, day, settings)
        report = report or REPORTS.wait(cur.key, day, settings)
    return report


def _analysed(cur: state.Current, settings: Settings, day: date) -> GapReport:
    """The analysis of the current map, with a progress bar naming each step."""
    bar = st.progress(0.0, text="Analysing the coalition…")

    def progress(share: float, step: str) -> None:
        bar.progress(share, text=f"Analysing the coalition: {step[0].lower()}{step[1:]}…")

    try:
        return analyse(cur.map, settings, today=day, progress=progress)
    finally:
        bar.empty()
