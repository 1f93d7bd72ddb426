"""The engagement plan as a table: CSV and Excel, every text cell safe from formulas.

>>> from datetime import date
>>> from mapping.model import Map, Stakeholder
>>> from mapping.model.actions import PlannedAction
>>> m = Map(name="M", stakeholders=(Stakeholder("n", "Nadia"),))
>>> a = PlannedAction("a-1", "=1+1 meet", actor="n", due=date(2026, 3, 1))
>>> print(plan_csv([a], m, date(2026, 3, 2)).splitlines()[1])
'=1+1 meet,Nadia,,2026-03-01,planned,yes,,,,,
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date

from mapping.changes.plan import result
from mapping.io.safety import neutralise_formula
from mapping.model import Map
from mapping.model.actions import PlannedAction, expected_text, is_overdue, plan_order, who_text

__all__ = ["PLAN_COLUMNS", "plan_rows", "plan_csv", "plan_excel"]

PLAN_COLUMNS = (
    "What",
    "Who acts",
    "With whom",
    "Due",
    "Status",
    "Overdue",
    "Expected change",
    "Result",
    "From the finding",
    "What happened",
    "Notes",
)


def plan_rows(
    actions: Sequence[PlannedAction],
    m: Map,
    today: date,
    *,
    results: Mapping[str, str] | None = None,
) -> list[list[str]]:
    """One row of words per action, overdue first (see
    :func:`mapping.model.actions.plan_order`); the result of a done action is measured on
    ``m`` unless ``results`` (action id -> verdict) gives it. Cells are not yet neutralised."""
    names = m.names()
    rows = []
    for a in plan_order(actions, today):
        verdict = ""
        if a.status == "done":
            verdict = (results or {}).get(a.id) or result(a, m).verdict
        rows.append(
            [
                a.what,
                who_text(a, names),
                ", ".join(names.get(p, p) for p in a.with_whom),
                a.due.isoformat() if a.due else "",
                a.status,
                "yes" if is_overdue(a, today) else "",
                "; ".join(expected_text(e, names) for e in a.expected),
                verdict,
                a.finding_title,
                a.outcome,
                "\n".join(f"{n.on.isoformat()} {n.author}: {n.text}" for n in a.notes),
            ]
        )
    return rows


def plan_csv(actions: Sequence[PlannedAction], m: Map, today: date) -> str:
    """The plan as CSV text (a header row, then one row per action)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PLAN_COLUMNS)
    for row in plan_rows(actions, m, today):
        writer.writerow([neutralise_formula(cell) for cell in row])
    return out.getvalue()


def plan_excel(actions: Sequence[PlannedAction], m: Map, today: date) -> bytes:
    """The plan as an Excel workbook of one sheet, "Engagement plan"."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Engagement plan"
    ws.append(list(PLAN_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in plan_rows(actions, m, today):
        ws.append([neutralise_formula(cell) for cell in row])
    widths = (50, 22, 26, 12, 12, 9, 44, 12, 36, 36, 50)
    for i, width in enumerate(widths):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.data_type = "s"
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
