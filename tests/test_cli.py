"""``python -m mapping``: help, analyse (text and JSON), convert, one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from mapping import cli
from mapping.cli import main
from mapping.demo.sample import SAMPLE_PATH, load_sample
from mapping.io import project_json
from tests.conftest import ROOT


def test_help_runs_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "mapping", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "analyse" in result.stdout and "convert" in result.stdout


def test_analyse_prints_a_readable_report(capsys):
    assert main(["analyse", str(SAMPLE_PATH), "--today", "2026-11-26"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Coalition gaps: Riverside and Hallam ICS")
    assert "No patient or carer voice in the coalition" in out
    assert "What to do:" in out


def test_analyse_json_is_stable_and_parseable(capsys):
    assert main(["analyse", str(SAMPLE_PATH), "--json", "--today", "2026-11-26"]) == 0
    first = capsys.readouterr().out
    assert main(["analyse", str(SAMPLE_PATH), "--json", "--today", "2026-11-26"]) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    assert data["report_version"] == 1
    assert data["figures"]["stakeholders"] == len(load_sample().stakeholders)


def test_analyse_json_indented_for_people_one_line_when_large(capsys, monkeypatch):
    args = ["analyse", str(SAMPLE_PATH), "--json", "--today", "2026-11-26"]
    main(args)
    indented = capsys.readouterr().out
    assert indented.startswith('{\n  "report_version": 1,')
    # above PRETTY_PEOPLE the same JSON comes on one line (the fast C encoder)
    monkeypatch.setattr(cli, "PRETTY_PEOPLE", len(load_sample().stakeholders) - 1)
    main(args)
    compact = capsys.readouterr().out
    assert compact.count("\n") == 1 and compact.startswith('{"report_version": 1,')
    assert json.loads(compact) == json.loads(indented)


def test_convert_to_graphml_and_back_is_lossless(tmp_path, capsys):
    graphml = tmp_path / "map.graphml"
    back = tmp_path / "back.json"
    assert main(["convert", str(SAMPLE_PATH), str(graphml)]) == 0
    assert main(["convert", str(graphml), str(back)]) == 0
    assert "Wrote" in capsys.readouterr().out
    assert project_json.loads(back.read_bytes()) == load_sample()


def test_errors_are_one_line_and_exit_non_zero(tmp_path, capsys):
    missing = tmp_path / "nope.json"
    assert main(["analyse", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: Cannot read") and err.count("\n") == 1
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["convert", str(broken), str(tmp_path / "out.graphml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and err.count("\n") == 1
    assert not (tmp_path / "out.graphml").exists()


def test_report_writes_a_pdf_and_an_html_page(tmp_path, capsys):
    pdf, page = tmp_path / "board.pdf", tmp_path / "board.html"
    assert main(["report", str(SAMPLE_PATH), str(pdf), "--today", "2026-11-26"]) == 0
    assert main(["report", str(SAMPLE_PATH), str(page), "--today", "2026-11-26"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    text = page.read_text(encoding="utf-8")
    assert "No patient or carer voice in the coalition" in text and "<script" not in text
    assert main(["report", str(SAMPLE_PATH), str(tmp_path / "board.docx")]) == 1
    assert "name it .pdf or .html" in capsys.readouterr().err


def test_convert_draws_the_offline_interactive_map(tmp_path, capsys):
    page = tmp_path / "map.html"
    assert main(["convert", str(SAMPLE_PATH), str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert "an interactive map of 52 stakeholders" in capsys.readouterr().out
    assert "new vis.Network" in html
    assert "Nadia Rahman" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # loads nothing


def test_convert_draws_the_svg_picture_with_the_same_privacy_choices(tmp_path):
    sample = load_sample()
    picture, key = tmp_path / "map.svg", tmp_path / "key.csv"
    args = ["convert", str(SAMPLE_PATH), str(picture), "--pseudonymise", str(key), "--no-notes"]
    assert main(args) == 0
    svg = picture.read_text(encoding="utf-8")
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')
    assert "P001" in svg
    assert not any(s.name in svg for s in sample.stakeholders)
    codes = key.read_text(encoding="utf-8-sig").splitlines()
    assert codes[0] == "Code,Real name"
    assert {line.split(",", 1)[1] for line in codes[1:]} >= {s.name for s in sample.stakeholders}


def test_convert_leaves_notes_out_only_when_asked(tmp_path):
    kept, without = tmp_path / "kept.json", tmp_path / "without.json"
    assert main(["convert", str(SAMPLE_PATH), str(kept)]) == 0
    assert main(["convert", str(SAMPLE_PATH), str(without), "--no-notes"]) == 0
    assert any(s.notes for s in project_json.loads(kept.read_bytes()).stakeholders)
    stripped = project_json.loads(without.read_bytes())
    assert not any(s.notes for s in stripped.stakeholders)
    assert not any(r.how_we_know or r.notes for r in stripped.relationships)


def test_the_cli_reads_a_table_whose_perspectives_the_defaults_lack_when_told(tmp_path, capsys):
    table = tmp_path / "agencies.csv"
    rows = "".join(f"Person {i},Agency {chr(65 + i % 11)}\n" for i in range(40))
    table.write_text("Name,Perspective\n" + rows, encoding="utf-8")
    out = tmp_path / "agencies.json"
    assert main(["convert", str(table), str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 1200
    assert "'Agency A' and 10 other perspectives are not among the map's" in err
    assert "--add-unknown-perspectives" in err and not out.exists()
    assert main(["convert", str(table), str(out), "--add-unknown-perspectives"]) == 0
    m = project_json.loads(out.read_bytes())
    assert {f"Agency {chr(65 + i)}" for i in range(11)} <= set(m.perspectives)
    assert len(m.stakeholders) == 40
