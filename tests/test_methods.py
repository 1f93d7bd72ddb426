"""Every analysis module states its method (METHOD) and cites its published source (SOURCE)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import mapping.analysis
from mapping.analysis import sources

#: Modules that serve the analyses rather than being one: no method of their own.
HELPERS = {"findings", "gaps", "headline", "perspectives", "sources"}

ANALYSES = sorted(
    m.name for m in pkgutil.iter_modules(mapping.analysis.__path__) if m.name not in HELPERS
)

PACKAGE = Path(mapping.analysis.__file__).parent

REFERENCES = [name for name in sources.__all__ if name.isupper()]


def test_every_question_of_the_tool_has_an_analysis_module():
    assert set(ANALYSES) >= {
        "brokerage",
        "brokerage_roles",
        "communities",
        "coverage",
        "cutpoints",
        "grid",
        "influence",
        "investment",
        "quality",
        "recruitment",
        "resilience",
        "silos",
        "support",
        "whatif",
    }


@pytest.mark.parametrize("name", ANALYSES)
def test_every_analysis_module_states_its_method_and_source(name):
    module = importlib.import_module(f"mapping.analysis.{name}")
    assert isinstance(module.METHOD, str) and module.METHOD.strip()
    assert isinstance(module.SOURCE, str) and module.SOURCE.strip()
    assert {"METHOD", "SOURCE"} <= set(module.__all__)


@pytest.mark.parametrize(
    ("name", "cited"),
    [
        ("coverage", "Timmins, N. (2015). The practice of system leadership"),
        ("silos", "Krackhardt, D. & Stern, R. N. (1988)"),
        ("brokerage", "Freeman, L. C. (1977)"),
        ("brokerage", "Burt, R. S. (1992). Structural Holes"),
        ("brokerage", "Gould, R. V. & Fernandez, R. M. (1989)"),
        ("brokerage_roles", "Gould, R. V. & Fernandez, R. M. (1989)"),
        ("communities", "Blondel, V. D."),
        ("influence", "Freeman, L. C. (1977)"),
        ("resilience", "Borgatti, S. P. (2006)"),
        ("resilience", "Hopcroft, J. & Tarjan, R. (1973)"),
        ("cutpoints", "Hopcroft, J. & Tarjan, R. (1973)"),
        ("grid", "Mendelow, A. (1991)"),
        ("grid", "NHS England"),
        ("investment", "Timmins, N. (2015)"),
        ("recruitment", "Timmins, N. (2015)"),
        ("support", "Timmins, N. (2015)"),
        ("quality", "Timmins, N. (2015)"),
        ("whatif", "Timmins, N. (2015)"),
    ],
)
def test_source_cites_the_published_work_behind_the_method(name, cited):
    assert cited in importlib.import_module(f"mapping.analysis.{name}").SOURCE


@pytest.mark.parametrize("name", REFERENCES)
def test_every_reference_names_authors_year_and_title(name):
    reference = getattr(sources, name)
    assert re.fullmatch(r"[A-Z][^()]+ \((\d{4}|n\.d\.)\)\. [A-Z].+\.", reference), reference


def test_the_catch_all_perspective_is_defined_in_one_place():
    defined = [
        path.name
        for path in sorted(PACKAGE.glob("*.py"))
        if re.search(r"^UNSPECIFIED\b.*=", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert defined == ["perspectives.py"]
