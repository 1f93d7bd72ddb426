"""Duplicate Kumu connections are merged and said so: in the import's notes (which the import
page shows) and on the command line's stderr, for convert, analyse and report."""

from __future__ import annotations

import io
import json

import openpyxl

from mapping.cli import main
from mapping.io import project_json
from mapping.io.kumu.read import import_kumu
from tests.test_kumu import fixture

DUPLICATES_NOTE = (
    "3 duplicate connections between the same people were merged: Ann–Bo (2), Bo–Cy (1)."
)


def _workbook() -> bytes:
    """A Kumu workbook: Ann–Bo three times, Bo–Cy twice, Cy–Ann once."""
    wb = openpyxl.Workbook()
    elements = wb.active
    elements.title = "Elements"
    elements.append(["Label", "Type"])
    for name in ("Ann", "Bo", "Cy"):
        elements.append([name, "Clinical"])
    connections = wb.create_sheet("Connections")
    connections.append(["From", "To", "Type"])
    for row in (
        ("Ann", "Bo", "Funds"),
        ("Bo", "Cy", "Advises"),
        ("Ann", "Bo", "Funds"),
        ("Cy", "Ann", "Funds"),
        ("Bo", "Cy", "Advises"),
        ("Ann", "Bo", "Funds"),
    ):
        connections.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_import_notes_name_the_people_and_rows_merged():
    result = import_kumu("team.xlsx", _workbook())
    assert (result.duplicate_connections, len(result.map.relationships)) == (3, 3)
    (note,) = [n for n in result.notes if "duplicate" in n]
    assert note.startswith(DUPLICATES_NOTE)
    for later, earlier in ((4, 2), (7, 2), (6, 3)):
        assert f"Sheet 'Connections' row {later} repeats row {earlier}" in note


def test_one_duplicate_is_named_in_the_singular():
    data = b"From,To\nAnn,Bo\nAnn,Bo\n"
    (note,) = [n for n in import_kumu("ties.csv", data).notes if "duplicate" in n]
    assert note.startswith("1 duplicate connection between the same people was merged: Ann–Bo (1).")


def _notes(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("note: team.kumu.xlsx: ")]


def test_convert_analyse_and_report_print_the_notes_to_stderr(tmp_path, capsys):
    source = tmp_path / "team.kumu.xlsx"
    source.write_bytes(_workbook())
    out = tmp_path / "team.json"
    assert main(["convert", str(source), str(out)]) == 0
    captured = capsys.readouterr()
    assert [n for n in _notes(captured.err) if DUPLICATES_NOTE in n]
    assert "duplicate" not in captured.out
    assert len(project_json.loads(out.read_bytes()).relationships) == 3

    assert main(["analyse", str(source), "--json", "--today", "2026-11-26"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["figures"]["stakeholders"] == 3  # stdout stays JSON
    assert [n for n in _notes(captured.err) if DUPLICATES_NOTE in n]

    report = tmp_path / "report.html"
    assert main(["report", str(source), str(report), "--today", "2026-11-26"]) == 0
    assert [n for n in _notes(capsys.readouterr().err) if DUPLICATES_NOTE in n]
    assert report.read_bytes()


def test_a_file_without_duplicates_prints_no_such_note(tmp_path, capsys):
    source = tmp_path / "team.kumu.json"
    source.write_bytes(
        json.dumps(
            {
                "elements": [{"label": "Ann"}, {"label": "Bo"}],
                "connections": [{"from": "Ann", "to": "Bo"}],
            }
        ).encode("utf-8")
    )
    assert main(["convert", str(source), str(tmp_path / "out.json")]) == 0
    assert "duplicate" not in capsys.readouterr().err


def test_the_snap_workbook_reports_its_four_merged_connections(shared_dir, tmp_path, capsys):
    source = tmp_path / "snap.kumu.xlsx"
    source.write_bytes(fixture(shared_dir, "snap-to-tutorial-data.xlsx"))
    assert main(["convert", str(source), str(tmp_path / "snap.json")]) == 0
    err = capsys.readouterr().err
    (line,) = [n for n in err.splitlines() if "duplicate" in n]
    assert line.startswith("note: snap.kumu.xlsx: 4 duplicate connections between the same")
