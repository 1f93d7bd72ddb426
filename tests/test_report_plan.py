"""The board report's "What we agreed and what happened": from the engagement plan."""

from __future__ import annotations

import io
from datetime import date

import pypdf

from mapping.analysis.gaps import analyse
from mapping.cli import main
from mapping.io import project_json
from mapping.model.actions import DONE, STANCE, Expected, PlannedAction
from mapping.report.html import report_html
from mapping.report.pdf import report_pdf

TODAY = date(2026, 6, 1)
HEADING = "What we agreed and what happened"


def plan() -> list[PlannedAction]:
    late = PlannedAction("a-1", "Call the council lead", actor="ann", due=date(2026, 5, 1))
    won = PlannedAction(
        "a-2",
        "Bring Cat round",
        actor="bob",
        with_whom=("cat",),
        expected=(Expected(STANCE, "cat", "supporter", before="sceptic"),),
        status=DONE,
        done_on=date(2026, 5, 20),
        outcome="Cat came to the workshop",
    )
    open_ = PlannedAction("a-3", "Not due yet", actor="ann", due=date(2026, 9, 1))
    return [won, late, open_]


def test_the_report_lists_overdue_then_done_actions_with_what_happened(small_map):
    report = analyse(small_map, today=TODAY)
    page = report_html(small_map, report, today=TODAY, plan=plan())
    section = page[page.index(HEADING) :]
    assert section.index("Call the council lead") < section.index("Bring Cat round")
    assert "overdue since 1 May 2026" in section and "done 20 May 2026" in section
    assert "Cat came to the workshop" in section and "Not due yet" not in page
    assert HEADING not in report_html(small_map, report, today=TODAY)
    text = "".join(
        p.extract_text()
        for p in pypdf.PdfReader(
            io.BytesIO(report_pdf(small_map, report, today=TODAY, plan=plan()))
        ).pages
    )
    assert HEADING in text and "Call the council lead" in text


def test_the_command_line_report_carries_a_project_files_plan(small_map, tmp_path):
    project = tmp_path / "map.json"
    project.write_text(project_json.dumps(small_map, plan()), encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["report", str(project), str(out), "--today", TODAY.isoformat()]) == 0
    assert "Call the council lead" in out.read_text(encoding="utf-8")
