"""Tests for mapping.io.safety: limits, decoding, safe XML, formula neutralisation, text."""

from __future__ import annotations

import io
import zipfile

import pytest

from mapping.errors import FormatError
from mapping.io.safety import (
    Limits,
    check_portable_text,
    decode_text,
    neutralise_formula,
    open_zip,
    parse_xml,
    strip_unportable,
    unportable_characters,
)
from mapping.model import Map, Relationship, Stakeholder

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<graphml><graph edgedefault="undirected"><node id="&lol9;"/></graph></graphml>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE g [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<graphml><graph edgedefault="undirected"><node id="&xxe;"/></graph></graphml>"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("- first point", "'- first point"),
        ("-3", "-3"),
        ("+4.5", "+4.5"),
        ("-1e3", "-1e3"),
        ("Dr Asha Patel", "Dr Asha Patel"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_formula_prefixes_formula_starts_but_not_plain_numbers(text, expected):
    assert neutralise_formula(text) == expected


def test_limits_refuse_large_files_and_many_rows_with_the_numbers():
    limits = Limits(max_bytes=1_500_000, max_rows=10)
    with pytest.raises(FormatError, match=r"big\.csv is 2\.0 MB; .* up to 1\.5 MB"):
        limits.check_bytes(b"x" * 2_000_000, "big.csv")
    limits.check_rows(10, "people.csv")
    with pytest.raises(FormatError, match=r"people\.csv has more than 10 rows"):
        limits.check_rows(11, "people.csv")


def test_default_limits_are_20_mb_and_50000_rows():
    assert (Limits().max_bytes, Limits().max_rows) == (20_000_000, 50_000)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Name,Notes\nZoë,café\n".encode(), "Name,Notes\nZoë,café\n"),
        ("\ufeffName\nZoë\n".encode(), "Name\nZoë\n"),
        ("Name\nZoë – “quoted”\n".encode("cp1252"), "Name\nZoë – “quoted”\n"),
        ("Name\tNotes\nZoë\tx\n".encode("utf-16"), "Name\tNotes\nZoë\tx\n"),
    ],
)
def test_decode_text_reads_what_excel_saves(data, expected):
    assert decode_text(data, "people.csv") == expected


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PK\x03\x04rest", "zip archive or an Excel workbook"),
        (b"%PDF-1.4", "PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", "old-style Office file"),
        (b"\x00\x01\x02\x03binary", "binary data"),
        (bytes(range(1, 9)) * 100, "control characters"),
    ],
)
def test_decode_text_refuses_binary_files_clearly(data, kind):
    with pytest.raises(FormatError, match=kind):
        decode_text(data, "people.csv")


def test_parse_xml_refuses_billion_laughs():
    with pytest.raises(FormatError, match="declares XML entities"):
        parse_xml(BILLION_LAUGHS, "bomb.graphml")


def test_parse_xml_refuses_external_entities():
    with pytest.raises(FormatError, match="refuses for safety"):
        parse_xml(EXTERNAL_ENTITY, "xxe.graphml")


def test_parse_xml_reports_where_malformed_xml_breaks():
    with pytest.raises(FormatError, match=r"not well-formed XML \(line 2, column"):
        parse_xml(b"<graphml>\n<graph></graphml>", "bad.graphml")


def test_parse_xml_applies_the_size_limit():
    with pytest.raises(FormatError, match="reads files up to 10 bytes"):
        parse_xml(b"<graphml></graphml>", "x.graphml", Limits(max_bytes=10))


def test_open_zip_refuses_archives_that_unpack_too_large():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("stakeholders.csv", b"0" * 5_000_000)
    data = out.getvalue()
    assert len(data) < 50_000
    with pytest.raises(FormatError, match=r"unpacks to 5\.0 MB; .* at most 1\.0 MB"):
        open_zip(data, "bomb.zip", Limits(max_unpacked_bytes=1_000_000))
    assert open_zip(data, "ok.zip").namelist() == ["stakeholders.csv"]


def test_open_zip_refuses_a_file_that_is_not_a_zip():
    with pytest.raises(FormatError, match="not a valid zip archive"):
        open_zip(b"Name\nAnn\n", "map.zip")


def _map_with_controls() -> Map:
    return Map(
        name="Ma\x0bp",
        stakeholders=(
            Stakeholder("a", "Ann", notes="line\x0cbreak", custom={"k\x01": "v"}),
            Stakeholder("b", "Bo", tags=("ok", "ba\x1fd")),
        ),
        relationships=(Relationship("r1", "a", "b", how_we_know="\x00"),),
    )


def test_unportable_characters_names_every_field_and_character():
    assert unportable_characters(_map_with_controls()) == [
        "The map's name: holds the control character U+000B.",
        "Stakeholder 'Ann', notes: holds the control character U+000C.",
        "Stakeholder 'Ann', custom field name: holds the control character U+0001.",
        "Stakeholder 'Bo', tag: holds the control character U+001F.",
        "Relationship 'r1', how we know: holds the control character U+0000.",
    ]


def test_tabs_and_line_breaks_are_portable():
    m = Map(name="M", stakeholders=(Stakeholder("a", "Ann", notes="a\tb\r\nc\u2028é"),))
    assert unportable_characters(m) == []
    check_portable_text(m, "GraphML")


def test_check_portable_text_refuses_with_the_fix_and_every_problem():
    with pytest.raises(FormatError) as err:
        check_portable_text(_map_with_controls(), "GEXF")
    lines = str(err.value).splitlines()
    assert lines[0].startswith("GEXF files cannot hold some characters in this map; remove them")
    assert len(lines) == 6


def test_strip_unportable_removes_only_the_unportable_characters():
    clean = strip_unportable(_map_with_controls())
    assert unportable_characters(clean) == []
    assert clean.name == "Map"
    assert clean.stakeholders[0].notes == "linebreak"
    assert clean.stakeholders[0].custom == {"k": "v"}
    assert clean.stakeholders[1].tags == ("ok", "bad")
    assert clean.relationships[0].how_we_know == ""
