"""The coalition analysis the pages show, kept per saved version, with a progress bar while
it runs (seconds on maps of thousands of people)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from datetime import date

import streamlit as st

from mapping.analysis.gaps import GapReport, analyse
from ui import state
from ui.preferences import current_settings

#: Reports kept in the app process: one per map version, day and settings.
KEEP = 32


class _Kept:
    """The most recently used reports, shared by every session of the app process."""

    def __init__(self) -> None:
        self._reports: OrderedDict[Hashable, GapReport] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> GapReport | None:
        with self._lock:
            report = self._reports.get(key)
            if report is not None:
                self._reports.move_to_end(key)
            return report

    def put(self, key: Hashable, report: GapReport) -> None:
        with self._lock:
            self._reports[key] = report
            while len(self._reports) > KEEP:
                self._reports.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _kept() -> _Kept:
    return _Kept()


def gap_report(cur: state.Current, today: date | None = None) -> GapReport:
    """The gap report of the current map with the user's settings.

    Kept on the map's saved version and save time (``Current.stamp``), so a rerun without an
    edit recomputes nothing; otherwise the analysis runs with a progress bar naming each step.
    """
    day = today or date.today()
    settings = current_settings()
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
