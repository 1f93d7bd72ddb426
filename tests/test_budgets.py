"""Budgets on uploads: oversized shapes are refused with a clear message before the rest of
the file is parsed, and through the import page nothing is written."""

from __future__ import annotations

import io
import re
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from streamlit.testing.v1 import AppTest

from mapping.errors import FormatError
from mapping.io import formats, kumu, node_link, project_json, tabular_read
from mapping.io.budget import json_depth
from mapping.io.safety import Limits
from mapping.io.tabular_write import write_excel
from mapping.model import Map, Stakeholder
from mapping.storage.store import Store
from tests.conftest import ROOT
from tests.store_state import database_state

MB = 1_000_000


# --- The shapes people reported ------------------------------------------------------------


def wide_and_long_csv() -> bytes:
    """About 300 KB: a header of 4,000 columns over 40,000 short rows."""
    header = ",".join(["Name", *(f"Column {i}" for i in range(1, 4000))])
    return (header + "\n" + "".join(f"P{i}\n" for i in range(40_000))).encode()


def two_million_rows_csv() -> bytes:
    return b"Name,Org\n" + b"a,b\n" * 2_000_000


def thousands_of_columns_csv() -> bytes:
    """About 0.9 MB: 3,000 columns of 150 short rows."""
    header = ",".join(f"col{i}" for i in range(3000))
    return (header + "\n" + "\n".join(",".join(["x"] * 3000) for _ in range(150))).encode()


def deep_json() -> bytes:
    return b"[" * 1_000_000


def _deflated_zeros(megabytes: int) -> bytes:
    """A raw deflate stream of ``megabytes`` MB of zeros, built from one compressed MB."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = squeeze.compress(bytes(MB)) + squeeze.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + zlib.compressobj(9, zlib.DEFLATED, -15).flush()


def lying_zip(real_megabytes: int, claimed: int, name: str = "stakeholders.csv") -> bytes:
    """A zip whose local header and central directory both claim ``claimed`` bytes unpacked,
    while its one member really unpacks to ``real_megabytes`` MB."""
    packed, raw_name = _deflated_zeros(real_megabytes), name.encode()
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, len(packed), claimed, len(raw_name), 0
    )
    central = struct.pack(
        "<4s6H3L5H2L",
        *(b"PK\x01\x02", 20, 20, 0, 8, 0, 0, 0, len(packed), claimed, len(raw_name)),
        *(0, 0, 0, 0, 0, 0),
    )
    body = local + raw_name + packed
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(raw_name), len(body), 0
    )
    return body + central + raw_name + end


def huge_dimension_xlsx(ref: str = "A1:XFD1048576") -> bytes:
    """Our own workbook whose Stakeholders sheet claims to span ``ref``."""
    original = write_excel(Map(name="M", stakeholders=(Stakeholder("a", "Ann"),)))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            dst.writestr(info, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# (file name, builder, what the message says)
SHAPES = [
    ("wide.csv", wide_and_long_csv, r"wide\.csv has 4,000 columns; .* at most 300 columns"),
    ("long.csv", two_million_rows_csv, r"long\.csv has more than 50,000 rows"),
    ("many.csv", thousands_of_columns_csv, r"many\.csv has 3,000 columns; .* Delete the columns"),
    ("deep.json", deep_json, r"deep\.json nests its data more than 64 levels deep"),
    (
        "bomb.zip",
        lambda: lying_zip(250, 1000),
        r"bomb\.zip is damaged: stakeholders\.csv unpacks to more than the 1,000 bytes its "
        r"header records, .* at most 200\.0 MB .* Download or export it again",
    ),
    ("huge.xlsx", huge_dimension_xlsx, r"huge\.xlsx, sheet Stakeholders has 16,384 columns"),
]


@pytest.fixture(scope="module")
def shapes() -> dict[str, bytes]:
    return {name: build() for name, build, _ in SHAPES}


@pytest.mark.parametrize(("name", "pattern"), [(n, p) for n, _, p in SHAPES])
def test_each_oversized_shape_is_refused_with_a_message_naming_limit_file_and_fix(
    shapes, name, pattern, monkeypatch
):
    def never(*args, **kwargs):
        raise AssertionError("the map was built from a file over the limits")

    monkeypatch.setattr(tabular_read, "records_to_map", never)
    monkeypatch.setattr(node_link, "records_to_map", never)
    with pytest.raises(FormatError, match=pattern):
        formats.read_file(name, shapes[name])


@pytest.mark.parametrize("name", [n for n, _, _ in SHAPES])
def test_refusing_costs_memory_in_proportion_to_the_file_not_to_what_it_would_unpack(shapes, name):
    """Read whole, these shapes took from 0.9 to more than 3 GB (the zip unpacks to 250 MB)."""
    data = shapes[name]
    tracemalloc.start()
    try:
        with pytest.raises(FormatError):
            formats.read_file(name, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * len(data) + 8 * MB, f"{name}: {peak / MB:.0f} MB for {len(data) / MB:.1f} MB"


def test_a_zip_that_lies_about_its_size_is_stopped_by_counting_what_comes_out():
    data = lying_zip(5, 100)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(i.file_size for i in archive.infolist()) == 100  # the header's claim
    with pytest.raises(FormatError, match=r"lies\.zip is damaged: stakeholders\.csv unpacks to more than the 100 bytes its header records"):  # fmt: skip
        tabular_read.read_csv_zip(data, "lies.zip")
    short = lying_zip(1, 3_000_000)  # claims more than it holds
    with pytest.raises(FormatError, match=r"short\.zip is damaged \(stakeholders\.csv: it holds 1,000,000 bytes where its header says 3,000,000\)"):  # fmt: skip
        tabular_read.read_csv_zip(short, "short.zip")


def test_a_zip_whose_headers_claim_more_than_the_limit_is_refused_before_unpacking():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("stakeholders.csv", bytes(3 * MB))
    with pytest.raises(FormatError, match=r"big\.zip unpacks to 3\.0 MB; .* at most 1\.0 MB"):
        tabular_read.read_csv_zip(out.getvalue(), "big.zip", limits=Limits(max_unpacked_bytes=MB))


def test_a_zip_with_a_bad_checksum_is_a_clear_error_not_a_crash():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("stakeholders.csv", b"Name\nAnn\n")
    data = bytearray(out.getvalue())
    data[14:18] = b"\x00\x00\x00\x00"  # the local header's CRC-32 ...
    at = data.index(b"PK\x01\x02") + 16
    data[at : at + 4] = b"\x00\x00\x00\x00"  # ... and the central directory's
    with pytest.raises(
        FormatError, match=r"bad\.zip is damaged \(stakeholders\.csv: bad checksum\)"
    ):
        tabular_read.read_csv_zip(bytes(data), "bad.zip")


def test_a_sheet_dimension_is_checked_before_any_cell_is_loaded(monkeypatch):
    from openpyxl.worksheet._reader import WorkSheetParser

    def no_cells(self):
        raise AssertionError("cells were loaded")

    monkeypatch.setattr(WorkSheetParser, "parse", no_cells)
    with pytest.raises(FormatError, match=r"has 16,384 columns"):
        tabular_read.read_excel(huge_dimension_xlsx(), "huge.xlsx")
    tall = huge_dimension_xlsx("A1:M1048576")
    with pytest.raises(FormatError, match=r"has 1,048,576 rows of 13 columns, more than the 2,000,000 cells"):  # fmt: skip
        tabular_read.read_excel(tall, "tall.xlsx")
    with pytest.raises(FormatError, match=r"has 16,384 columns"):
        kumu.read_kumu("huge.xlsx", huge_dimension_xlsx())


def test_a_workbook_within_its_dimension_still_reads():
    assert [s.name for s in tabular_read.read_excel(huge_dimension_xlsx("A1:M2")).stakeholders] == [
        "Ann"
    ]


def test_cells_are_rows_times_columns():
    limits = Limits(max_cells=100)
    data = ("Name,B,C,D,E\n" + "".join(f"P{i},1,2,3,4\n" for i in range(25))).encode()
    with pytest.raises(FormatError, match=r"has 21 rows of 5 columns, more than the 100 cells"):
        tabular_read.read_stakeholders_csv(data, limits=limits)
    assert (
        len(tabular_read.read_stakeholders_csv(data, limits=Limits(max_cells=130)).stakeholders)
        == 25
    )


def test_the_row_limit_counts_rows_not_lines_so_quoted_line_breaks_are_fine():
    data = ("Name,Notes\n" + "".join(f'P{i},"one\ntwo\nthree"\n' for i in range(10))).encode()
    assert (
        len(tabular_read.read_stakeholders_csv(data, limits=Limits(max_rows=10)).stakeholders) == 10
    )
    with pytest.raises(FormatError, match="more than 9 rows"):
        tabular_read.read_stakeholders_csv(data, limits=Limits(max_rows=9))


@pytest.mark.parametrize(
    "reader",
    [
        lambda d: project_json.loads(d, filename="deep.json", limits=Limits()),
        lambda d: node_link.read_node_link(d, filename="deep.json"),
        lambda d: kumu.read_kumu("deep.json", d),
        lambda d: formats.detect_format("deep.json", d),
    ],
)
def test_every_json_reader_refuses_deep_nesting_clearly(reader):
    with pytest.raises(FormatError, match=r"deep\.json nests its data more than 64 levels deep"):
        reader(b'{"nodes": ' + b"[" * 100_000)


def test_project_files_the_app_wrote_itself_turn_pathological_depth_into_a_clear_error():
    with pytest.raises(FormatError, match="nests its data too deeply"):
        project_json.loads("[" * 100_000)


@pytest.mark.parametrize(
    ("text", "depth"),
    [("{}", 1), ('[[1], {"a": [2]}]', 3), ('["[[[[", "\\"]]"]', 1), ("", 0)],
)
def test_json_depth_counts_brackets_outside_strings(text, depth):
    assert json_depth(text, 64) == depth


def test_node_link_and_graphml_count_nodes_before_building():
    limits = Limits(max_rows=3)
    nodes = ",".join(f'{{"id": "{i}"}}' for i in range(4))
    with pytest.raises(FormatError, match=r"m\.json has more than 3 nodes"):
        node_link.read_node_link(f'{{"nodes": [{nodes}]}}', filename="m.json", limits=limits)
    xml = "<graphml><graph>" + "".join(f'<node id="{i}"/>' for i in range(4)) + "</graph></graphml>"
    with pytest.raises(FormatError, match=r"m\.graphml has more than 3 nodes"):
        formats.read_file("m.graphml", xml.encode(), limits=limits)


def test_xml_with_more_elements_than_the_cell_budget_is_refused_before_parsing():
    xml = b"<gexf><graph>" + b"<x/>" * 200 + b"</graph></gexf>"
    with pytest.raises(FormatError, match=r"about 202 XML elements; .* at most 100"):
        formats.read_file("m.gexf", xml, limits=Limits(max_cells=100))


# --- Through the app -----------------------------------------------------------------------


def test_the_import_page_shows_each_refusal_and_writes_nothing(db_url, shapes):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("ui/pages/import_export.py").run()
    assert not at.exception, at.exception
    store = Store(db_url)
    before = database_state(store)
    for name, _, pattern in SHAPES:
        at.file_uploader[0].set_value((name, shapes[name], "application/octet-stream")).run()
        assert not at.exception, (name, at.exception)
        [error] = [e.value for e in at.error]
        plain = error.replace("\\", "")  # the page escapes Markdown in the file's name
        assert plain.startswith(f"{name} cannot be imported"), plain
        assert re.search(pattern.replace(r"\.", "."), plain), plain
        assert not [b for b in at.button if b.label in ("Create the map", "Merge into this map")]
        assert database_state(store) == before, name


def test_every_limit_is_documented_with_its_default():
    from dataclasses import fields

    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    section = doc.split("## Limits on files", 1)[1].split("\n## ", 1)[0]
    for f in fields(Limits):
        assert f"| `{f.name}` |" in section, f.name
    assert "| `MAX_ZIP_MEMBERS` | 10,000 |" in section
    assert "| `max_rows` | 50,000 |" in section and "| `max_columns` | 300 |" in section


def test_a_deeply_nested_backup_is_refused_clearly():
    from mapping.storage.backup_file import read_plan

    with pytest.raises(FormatError, match="nests its data too deeply"):
        read_plan("[" * 1_000_000)
