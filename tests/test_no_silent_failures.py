"""Nothing fails silently: formula cells are neutralised everywhere text leaves the app, long
notes fit the PDF report, downloads never race the page, and refusals reach the user."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from mapping.analysis.gaps import analyse
from mapping.io.safety import neutralise_formula, starts_formula
from mapping.io.tabular_read import read_csv_zip, read_excel
from mapping.io.tabular_write import write_csv_zip, write_excel
from mapping.model import Map, Relationship, Stakeholder
from mapping.report import report_pdf
from mapping.sample import load_sample

TODAY = date(2026, 1, 15)

# --- Formula cells ----------------------------------------------------------------------------

#: Text -> whether a spreadsheet might run it as a formula.
PAYLOADS = {
    '=HYPERLINK("http://evil","x")': True,
    "+cmd|' /C calc'!A0": True,
    "@SUM(1)": True,
    "-2+3+cmd|' /C calc'!A0": True,
    " =1+1": True,  # a leading space
    "   @SUM(A1)": True,
    "\t=1+1": True,  # tab
    "\r=1+1": True,  # carriage return
    "\n=1+1": True,  # a leading line break
    "\nplain words": True,  # a line break alone is a formula start too (like tab and CR)
    " \n=1+1": True,
    "\u00a0=1+1": True,  # no-break space
    "\u3000=1+1": True,  # ideographic space
    "\u200b=1+1": True,  # zero-width space
    "＝1+1": True,  # full-width signs
    "＋1+A1": True,
    "－A1": True,
    "＠SUM(1)": True,
    " ＝1+1": True,
    "﹦1+1": True,  # small equals sign
    "−A1": True,  # minus sign
    "-3": False,  # plain numbers stay numbers
    "+4.5": False,
    " -3": False,
    "Dr Asha Patel": False,
    "a=b": False,
    "   ": False,
    "": False,
}


@pytest.mark.parametrize(("text", "risky"), PAYLOADS.items())
def test_neutralise_formula_covers_spaces_line_breaks_and_full_width_signs(text, risky):
    assert starts_formula(text) is risky
    assert neutralise_formula(text) == ("'" + text if risky else text)


def _payload_map() -> Map:
    texts = [t for t in PAYLOADS if t.strip()]
    people = tuple(
        Stakeholder(f"p{i}", f"Person {i}", organisation=t, notes=t, custom={"Field": t})
        for i, t in enumerate(texts)
    )
    ties = (Relationship("r0", "p0", "p1", notes=texts[4], how_we_know=texts[14]),)
    return Map(name="＝1+1", description=" =2+2", stakeholders=people, relationships=ties)


def _csv_cells(data: bytes) -> list[str]:
    cells = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                text = archive.read(name).decode("utf-8-sig")
                cells += [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    return cells


def test_no_csv_cell_starts_a_formula_and_every_payload_is_prefixed():
    cells = _csv_cells(write_csv_zip(_payload_map()))
    assert [c for c in cells if starts_formula(c)] == []
    for text, risky in PAYLOADS.items():
        if risky and text.strip():
            assert "'" + text in cells, repr(text)


def test_every_workbook_cell_that_starts_a_formula_has_the_quote_prefix():
    book = openpyxl.load_workbook(io.BytesIO(write_excel(_payload_map())))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and starts_formula(c.value)]
    assert len(risky) >= len([t for t, r in PAYLOADS.items() if r])
    assert [f"{c.parent.title}!{c.coordinate}" for c in risky if not c.quotePrefix] == []
    plain = [c for c in cells if c.value in ("Person 1", "-3")]
    assert plain and not any(c.quotePrefix for c in plain)


def test_csv_round_trip_keeps_the_apostrophe_and_the_text_after_it():
    m = _payload_map()
    back = read_csv_zip(write_csv_zip(m))
    for before, after in zip(m.stakeholders, back.stakeholders, strict=True):
        assert after.organisation == neutralise_formula(before.organisation).strip()
        assert after.notes == neutralise_formula(before.notes).strip()
    assert back.name == "'＝1+1"
    # the apostrophe is text now: writing again adds nothing, so a second trip is stable
    assert read_csv_zip(write_csv_zip(back)) == back


def test_excel_round_trip_gives_the_text_back_trimmed_and_unprefixed():
    m = _payload_map()
    back = read_excel(write_excel(m))
    for before, after in zip(m.stakeholders, back.stakeholders, strict=True):
        assert after.organisation == before.organisation.strip()
        assert after.custom.get("Field") == before.custom["Field"].strip()
    assert back.description == "=2+2"


# --- The PDF report -----------------------------------------------------------------------------


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_pdf_report_carries_a_note_three_pages_long_to_its_last_words():
    m = load_sample()
    words = " ".join(f"point{i}" for i in range(2400)) + " and these are the closing words"
    someone = m.stakeholders[0].id
    people = tuple(replace(s, notes=words) if s.id == someone else s for s in m.stakeholders)
    m = replace(m, stakeholders=people)
    report = analyse(m, today=TODAY)
    assert someone in {sid for f in report.findings for sid in f.stakeholders} | {
        r.id for r in report.key_people
    }, "the report names the person, so their note is printed"
    short, _ = _pdf_text(report_pdf(m, report, today=TODAY))
    pages, text = _pdf_text(report_pdf(m, report, today=TODAY, include_notes=True))
    assert pages >= short + 3
    assert "point0 point1" in text and "point2399 and these are the closing words" in text


def test_pdf_report_with_a_name_longer_than_a_page_renders():
    m = load_sample()
    name = " ".join(["Very long name"] * 900) + " ends here"
    people = (replace(m.stakeholders[0], name=name), *m.stakeholders[1:])
    m = replace(m, stakeholders=people)
    _, text = _pdf_text(report_pdf(m, analyse(m, today=TODAY), today=TODAY))
    assert "Very long name ends here" in text
