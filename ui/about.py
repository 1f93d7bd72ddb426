"""Beside every analysis on screen: what it means, how it is worked out and its source."""

from __future__ import annotations

import importlib
from types import ModuleType

import streamlit as st

from mapping.report.explain import MEASURES
from ui import sections
from ui.text import md

#: The label of the expander that holds an analysis's method and source.
HEADING = "How this is worked out, and its source"


def about(module: ModuleType, measure: str | None = None) -> None:
    """A caption with the measure's plain meaning, then an expander with method and source.

    ``module`` is the ``mapping.analysis`` module behind what follows (its ``METHOD`` and
    ``SOURCE``); ``measure`` a key of :data:`mapping.report.explain.MEASURES`.
    """
    if measure is not None:
        st.caption(md(MEASURES[measure].meaning))
    key = f"about-{module.__name__.rsplit('.', 1)[-1]}-{measure or ''}"
    with sections.opened(HEADING, key, icon=":material/menu_book:") as shown:
        if not shown:
            return
        st.markdown(md(module.METHOD))
        st.markdown(f"**Source:** {md(module.SOURCE)}")
        st.caption("Every measure is explained on the Methods page.")


def figure_help(key: str, before: str) -> str:
    """Help for a before/after figure: its value before, then its explanation if it has one.

    >>> figure_help("stakeholders", "Before: 3")
    'Before: 3'
    >>> figure_help("fragmentation", "Before: 0%").startswith("Before: 0%. The share of pairs")
    True
    """
    return f"{before}. {MEASURES[key].sentence()}" if key in MEASURES else before


def finding_module(code: str) -> ModuleType:
    """The analysis module that raises findings of ``code`` (``"silos.no-tie"`` -> silos).

    >>> finding_module("silos.no-tie").__name__
    'mapping.analysis.silos'
    """
    return importlib.import_module(f"mapping.analysis.{code.split('.', 1)[0]}")
