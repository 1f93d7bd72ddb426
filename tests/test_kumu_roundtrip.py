"""Kumu exports come back as the same map: name, vocabularies, positions and every tie."""

from __future__ import annotations

import json

import pytest

from mapping.demo.sample import load_sample
from mapping.io.kumu.read import read_kumu
from mapping.io.kumu.tables import META_KEY
from mapping.io.kumu.write import write_kumu_json, write_kumu_xlsx
from mapping.model import Map
from tests.conftest import make_small_map


def _narrow(m: Map) -> Map:
    """A map whose vocabularies are not the defaults: an import must not add them back."""
    used = tuple(dict.fromkeys(s.perspective for s in m.stakeholders))
    types = tuple(dict.fromkeys(r.type for r in m.relationships))
    return Map(
        name="Agencies",
        description="Only what is used",
        stakeholders=m.stakeholders,
        relationships=m.relationships,
        perspectives=used,
        relationship_types=types,
        positions={s.id: (5000.0 + i, 5000.0 - i) for i, s in enumerate(m.stakeholders)},
    )


MAPS = {"sample": load_sample, "small": make_small_map, "narrow": lambda: _narrow(make_small_map())}


@pytest.mark.parametrize("which", MAPS)
def test_kumu_json_comes_back_as_the_same_map(which):
    m = MAPS[which]()
    back = read_kumu("export.json", write_kumu_json(m).encode("utf-8"))
    assert back == m
    assert (back.name, back.positions) == (m.name, m.positions)


@pytest.mark.parametrize("which", MAPS)
def test_kumu_workbook_comes_back_with_the_same_name_and_vocabularies(which):
    m = MAPS[which]()
    back = read_kumu("export.xlsx", write_kumu_xlsx(m))
    assert (back.name, back.perspectives, back.relationship_types) == (
        m.name,
        m.perspectives,
        m.relationship_types,
    )
    assert back.stakeholders == m.stakeholders and back.relationships == m.relationships


def test_the_blueprint_keeps_kumus_own_keys_and_puts_ours_aside():
    narrow = _narrow(make_small_map())
    data = json.loads(write_kumu_json(narrow))
    assert set(data) == {"elements", "connections", META_KEY}
    assert data[META_KEY]["Perspectives"].split("|") == list(narrow.perspectives)
    assert len(narrow.perspectives) < 8  # fewer than the defaults
    assert {e["label"] for e in data["elements"]} >= {"Ann Clark", "Cat Jones"}


def test_a_blueprint_with_a_broken_settings_entry_still_imports():
    data = json.loads(write_kumu_json(make_small_map()))
    data[META_KEY]["positions"] = ["not", "a", "mapping"]
    back = read_kumu("export.json", json.dumps(data).encode("utf-8"))
    assert back.positions == {} and len(back.stakeholders) == 6
