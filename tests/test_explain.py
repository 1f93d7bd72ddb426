"""Every measure shown in the UI has a plain-language explanation and a source."""

from __future__ import annotations

import re

from mapping.analysis.gaps import HEADLINE
from mapping.report.explain import MEASURES
from tests.conftest import ROOT


def test_every_measure_is_explained_with_a_source():
    for m in MEASURES.values():
        assert m.meaning and m.high and m.low, m.key
        assert re.search(r"\((19|20)\d\d\)|\(n\.d\.\)", m.source), m.key


def test_every_headline_figure_and_every_explained_key_used_in_the_ui_exists():
    assert set(HEADLINE) <= set(MEASURES)
    used = set()
    for path in (ROOT / "ui").rglob("*.py"):
        used |= set(re.findall(r"explain\(\"([a-z_]+)\"\)", path.read_text(encoding="utf-8")))
    assert used <= set(MEASURES), used - set(MEASURES)
