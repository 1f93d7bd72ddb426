"""The What if page (AppTest): who would be cut off, and a verdict that agrees with the figures."""

from __future__ import annotations

from dataclasses import replace

from streamlit.testing.v1 import AppTest

from mapping.demo.sample import load_sample
from mapping.storage.store import Store
from tests.conftest import ROOT


def test_a_departure_names_who_would_be_cut_off_and_says_worse(db_url):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("ui/pages/what_if.py").run()
    assert not at.exception, at.exception
    m = load_sample()
    priya = next(s.id for s in m.stakeholders if s.name == "Priya Raman")
    at.multiselect[0].set_value([priya])
    next(b for b in at.button if b.label == "Compare").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Overall: this would weaken the coalition."]
    cut = [md.value for md in at.markdown if md.value.startswith("**Would be cut off")]
    assert len(cut) == 1
    labels = [metric.label for metric in at.metric]
    assert labels == [
        "People cut off from the coalition",
        "Pairs who cannot reach each other",
        "Perspectives with a coalition member",
        "Relationships to invest in",
    ]
    pairs = next(metric for metric in at.metric if metric.label.startswith("Pairs"))
    assert pairs.value.endswith(" of 1275")  # 51 people stay: a denominator that does not move


def test_the_starting_point_kept_between_compares_follows_an_edit_of_the_map(db_url):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("ui/pages/what_if.py").run()
    m = load_sample()
    priya = next(s.id for s in m.stakeholders if s.name == "Priya Raman")

    def covered_help() -> str:
        at.multiselect[0].set_value([priya])
        next(b for b in at.button if b.label == "Compare").click().run()
        assert not at.exception, at.exception
        metric = next(x for x in at.metric if x.label == "Perspectives with a coalition member")
        return metric.proto.help

    assert not covered_help().endswith("before: 0.")
    store = Store(db_url)
    [info] = store.list_maps()
    nobody = replace(m, stakeholders=tuple(replace(s, coalition=False) for s in m.stakeholders))
    store.save_map(info.id, nobody, expected_version=store.version(info.id))
    at.run()
    assert covered_help().endswith("before: 0.")
