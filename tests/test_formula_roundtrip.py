"""Formula neutralising round-trips: what the CSV and Excel exports write reads back as it was.

The exports keep every cell safe for a spreadsheet (a CSV cell that could run as a formula
starts with an apostrophe; a workbook cell is text with Excel's quote prefix), and reading
removes exactly the apostrophe the writer added, so ``++``, ``=SUM(1)`` and a genuine
leading apostrophe (``'=x``) all come back unchanged.
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapping.io.safety import neutralise_formula, restore_formula, starts_formula
from mapping.io.sheets import csv_rows
from mapping.io.tabular_read import read_csv_zip, read_excel, read_stakeholders_csv
from mapping.io.tabular_write import (
    write_csv_zip,
    write_excel,
    write_stakeholders_csv,
    write_table_csv,
)
from mapping.model import Map, Relationship, Stakeholder

UNPORTABLE = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]
PORTABLE = st.characters(blacklist_categories=("Cs",), blacklist_characters=UNPORTABLE)
# Texts that lean towards what the neutralising is about: apostrophes, signs and spaces.
RISKY = st.text(st.sampled_from(["'", "=", "+", "-", "@", " ", "\t", "\n", "1", "x", "＝", "−"]))
ANY_TEXT = st.one_of(st.text(PORTABLE, max_size=12), RISKY)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text=ANY_TEXT)
def test_restore_undoes_neutralise_for_any_text(text):
    written = neutralise_formula(text)
    assert not starts_formula(written)
    assert restore_formula(written) == text


@SETTINGS
@given(text=ANY_TEXT)
def test_a_csv_cell_reads_back_exactly(text):
    data = write_table_csv(["Value"], [[text]])
    rows = csv_rows(data.decode("utf-8-sig"), "t.csv")
    cells = [restore_formula(c) for _, row in rows[1:] for c in row]
    assert cells == [text] or (cells == [] and text == "")


def _one_person_map(text: str) -> Map:
    """A map whose name, one person's name, organisation, notes and custom field, a tie's
    notes and its relationship type all hold ``text``."""
    kind = " ".join(text.lower().split())
    people = (
        Stakeholder("p1", text, organisation=text, notes=text, custom={"Field": text}),
        Stakeholder("p2", "Bo"),
    )
    tie = Relationship("r1", "p1", "p2", type=kind, notes=text, how_we_know=text)
    return Map(name=text, relationship_types=(kind,), stakeholders=people, relationships=(tie,))


TRIMMED = ANY_TEXT.map(str.strip).filter(bool)


@SETTINGS
@given(text=TRIMMED)
def test_every_tabular_format_reads_back_the_text_it_wrote(text):
    m = _one_person_map(text)
    assert read_csv_zip(write_csv_zip(m)) == m
    assert read_excel(write_excel(m)) == m
    people = m.with_relationships(())
    back = read_stakeholders_csv(write_stakeholders_csv(people), name=text)
    assert back.stakeholders == people.stakeholders


AWKWARD = ("=SUM(1)", "'=x", "@home", "-5", "''+x", "'plain", "- first point")


def _awkward_map() -> Map:
    people = tuple(
        Stakeholder(f"p{i}", name, organisation=name, custom={"Note": name})
        for i, name in enumerate(AWKWARD)
    )
    types = ("++", "--", "+-")
    ties = tuple(
        Relationship(f"r{i}", f"p{i}", f"p{i + 1}", type=types[i % 3], notes=AWKWARD[i])
        for i in range(len(AWKWARD) - 1)
    )
    return Map(name="=SUM(1)", relationship_types=types, stakeholders=people, relationships=ties)


def test_awkward_names_and_sign_types_round_trip_through_csv_zip_and_excel():
    m = _awkward_map()
    for back in (read_csv_zip(write_csv_zip(m)), read_excel(write_excel(m))):
        assert back.relationship_types == ("++", "--", "+-")
        assert back.perspectives == m.perspectives
        assert [s.name for s in back.stakeholders] == list(AWKWARD)
        assert [r.type for r in back.relationships] == [r.type for r in m.relationships]
        assert back == m


def test_the_exported_files_stay_safe_for_a_spreadsheet():
    m = _awkward_map()
    with zipfile.ZipFile(io.BytesIO(write_csv_zip(m))) as archive:
        texts = {
            n: archive.read(n).decode("utf-8-sig") for n in archive.namelist() if n.endswith(".csv")
        }
    cells = [c for t in texts.values() for row in csv.reader(io.StringIO(t)) for c in row]
    assert [c for c in cells if starts_formula(c)] == []
    assert {"'++", "'--", "'+-", "'=SUM(1)", "''=x", "'@home", "'''+x"} <= set(cells)
    assert {"-5", "'plain"} <= set(cells)  # a plain number and a genuine apostrophe as they are
    book = openpyxl.load_workbook(io.BytesIO(write_excel(m)))
    risky = [
        c
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and starts_formula(c.value)
    ]
    assert {c.value for c in risky} >= {"++", "--", "+-", "=SUM(1)", "@home"}
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
