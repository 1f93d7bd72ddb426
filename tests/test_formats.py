"""Tests for mapping.io.formats: the registry, detection by name and content, dispatch."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from mapping.errors import FormatError
from mapping.io.formats import FORMATS, detect_format, format_for, get_format, read_file, write_file
from mapping.io.node_link import write_node_link
from mapping.io.project_json import dumps
from mapping.io.safety import Limits


def test_every_format_has_a_reader_a_writer_and_a_unique_name():
    assert len({f.name for f in FORMATS}) == len(FORMATS)
    assert all(f.reader and f.writer and f.extensions for f in FORMATS)
    assert {f.name for f in FORMATS if f.lossless} == {"project", "node-link", "graphml", "gexf"}


@pytest.mark.parametrize(
    ("filename", "name"),
    [
        ("map.json", "project"),
        ("MAP.JSON", "project"),
        ("map.nodelink.json", "node-link"),
        ("map.kumu.json", "kumu-json"),
        ("map.graphml", "graphml"),
        ("map.gexf", "gexf"),
        ("people.csv", "csv"),
        ("map.zip", "csv-zip"),
        ("map.xlsx", "excel"),
        ("map.kumu.xlsx", "kumu-xlsx"),
    ],
)
def test_format_for_picks_the_longest_matching_extension(filename, name):
    assert format_for(filename) == name


def test_unknown_extension_lists_the_known_ones():
    with pytest.raises(
        FormatError, match=r"Cannot tell the format of 'map\.txt'; use one of: \.csv"
    ):
        format_for("map.txt")


def test_get_format_refuses_unknown_names():
    with pytest.raises(FormatError, match="Unknown format 'pdf'"):
        get_format("pdf")


@pytest.mark.parametrize("name", [f.name for f in FORMATS if f.lossless])
def test_lossless_formats_round_trip_through_read_file(name, small_map):
    m = replace(small_map, positions={"ann": (1.0, 2.0)})
    filename = "map" + get_format(name).extensions[0]
    assert read_file(filename, write_file(m, name)) == m


@pytest.mark.parametrize("name", ["csv-zip", "excel"])
def test_spreadsheet_formats_round_trip_through_read_file(name, small_map):
    assert (
        read_file("map" + get_format(name).extensions[0], write_file(small_map, name)) == small_map
    )


def test_json_is_told_apart_by_content(small_map, shared_dir):
    assert detect_format("a.json", dumps(small_map).encode()).name == "project"
    assert detect_format("a.json", write_node_link(small_map).encode()).name == "node-link"
    kumu = (shared_dir / "fixtures/kumu/snap-to-tutorial-project.json").read_bytes()
    assert detect_format("a.json", kumu).name == "kumu-json"


def test_xlsx_is_told_apart_by_its_sheets(small_map, shared_dir):
    assert detect_format("a.xlsx", write_file(small_map, "excel")).name == "excel"
    kumu = (shared_dir / "fixtures/kumu/paypal-mafia.xlsx").read_bytes()
    assert detect_format("paypal-mafia.xlsx", kumu).name == "kumu-xlsx"


def test_kumu_workbook_is_read_through_the_kumu_reader(shared_dir):
    data = (shared_dir / "fixtures/kumu/paypal-mafia.xlsx").read_bytes()
    m = read_file("paypal-mafia.xlsx", data)
    assert len(m.stakeholders) == 34


def test_unknown_json_says_what_was_expected():
    with pytest.raises(FormatError, match="JSON but not a map Coalition Mapper knows"):
        read_file("x.json", json.dumps({"hello": 1}).encode())


def test_read_file_applies_the_name_option_and_limits(small_map):
    data = write_file(small_map, "graphml")
    assert read_file("x.graphml", data, name="Renamed").name == "Renamed"
    with pytest.raises(FormatError, match="reads files up to 100 bytes"):
        read_file("x.graphml", data, limits=Limits(max_bytes=100))


def test_read_file_passes_table_options_to_csv():
    m = read_file("people.csv", b"Name,Perspective\nAnn,GP\n", add_unknown_perspectives=True)
    assert m.stakeholders[0].perspective == "GP"
    assert m.name == "people"


def test_read_file_refuses_unknown_options():
    with pytest.raises(TypeError, match="unknown options"):
        read_file("people.csv", b"Name\nAnn\n", colour="red")


def test_write_file_accepts_a_file_name_and_passes_findings(small_map):
    assert write_file(small_map, "out.gexf").startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert write_file(small_map, "out.xlsx", findings=()).startswith(b"PK")
