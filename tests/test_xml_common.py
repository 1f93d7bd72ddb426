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


@pytest.mark.parametrize("read", [read_graphml, read_gexf])
@pytest.mark.parametrize(
    ("encoding", "refusal"),
    [
        ("utf-16", "declares XML entities"),
        ("utf-8-sig", "declares XML entities"),
        ("latin-1", "declares XML entities"),
        ("utf-16-le", "encoding Coalition Mapper cannot read as XML"),
    ],
)
def test_entities_are_refused_in_any_encoding(read, encoding, refusal):
    # the quick parser is only for documents that cannot hold a DOCTYPE: one hidden in a
    # UTF-16 file still goes through the entity check, and an encoding the parser cannot
    # read is a clear refusal, not a crash
    declared = encoding.removesuffix("-sig")
    bomb = BILLION_LAUGHS.decode("utf-8").replace("?>", f' encoding="{declared}"?>', 1)
    with pytest.raises(FormatError, match=refusal):
        read(bomb.encode(encoding))


@pytest.mark.parametrize("which", ["graphml", "gexf"])
def test_our_own_files_take_the_quick_parser_and_read_back_the_same(which, small_map):
    from mapping.io.safety import _without_dtd

    write, read = {"graphml": (write_graphml, read_graphml), "gexf": (write_gexf, read_gexf)}[which]
    data = write(small_map)
    data = data if isinstance(data, bytes) else data.encode("utf-8")
    assert _without_dtd(data)
    assert read(data, filename=f"map.{which}") == read(
        data.replace(b"?>", b"?><!-- <!DOCTYPE> in a comment: the careful parser -->", 1),
        filename=f"map.{which}",
    )
