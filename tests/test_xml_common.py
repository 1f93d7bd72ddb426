"""Tests of what GraphML and GEXF share (mapping.io.xml.common): exact round trips, safety."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mapping.errors import FormatError
from mapping.io.xml.gexf import read_gexf, write_gexf
from mapping.io.xml.graphml import read_graphml, write_graphml
from mapping.model import Map, Stakeholder
from tests.sample_maps import MAPS
from tests.test_safety import BILLION_LAUGHS


@pytest.mark.parametrize("which", MAPS)
@pytest.mark.parametrize(
    ("write", "read"), [(write_graphml, read_graphml), (write_gexf, read_gexf)]
)
def test_round_trip_is_exact(which, write, read):
    m = MAPS[which]()
    assert read(write(m)) == m


def test_small_map_round_trips_exactly(small_map):
    m = replace(small_map, positions={"ann": (10.5, -3.25), "fay": (0.1, 0.2)})
    assert read_graphml(write_graphml(m)) == m
    assert read_gexf(write_gexf(m)) == m


@pytest.mark.parametrize("read", [read_graphml, read_gexf])
def test_billion_laughs_is_refused(read):
    with pytest.raises(FormatError, match="declares XML entities"):
        read(BILLION_LAUGHS)


@pytest.mark.parametrize("write", [write_graphml, write_gexf])
def test_control_characters_are_refused_with_the_field(write):
    m = Map(name="M", stakeholders=(Stakeholder("a", "Ann", role="Chair\x0b"),))
    with pytest.raises(FormatError, match=r"Stakeholder 'Ann', role: holds the control character"):
        write(m)
