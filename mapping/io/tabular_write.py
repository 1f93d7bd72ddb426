"""Write maps as tidy CSV files, a zip of them or a formatted Excel workbook, and templates.

Every spreadsheet holds the columns of :mod:`mapping.io.columns` in order, then custom
fields (prefixed ``custom.`` when a name could be misread); tags are ``a|b`` (a JSON list
when a tag holds ``|``); dates are ISO. Relationships name each end by ID and by name.

- Formulas never run. CSV text cells go through
  :func:`mapping.io.safety.neutralise_formula` (a leading apostrophe), which reading undoes
  exactly (:func:`mapping.io.safety.restore_formula`). Excel cells are stored as text, and text that would start a formula also gets
  Excel's quote prefix (the apostrophe Excel shows when you type ``'=x``): the value itself
  is unchanged, so Excel files read back exactly.
- Spreadsheets hold no map positions, and blank custom fields are not kept.
- Control characters XML cannot store are refused by the writers (see
  :func:`mapping.io.safety.check_portable_text`), CSV included, so every export behaves alike.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from mapping.analysis.findings import Finding
from mapping.io.cells import encode_tags
from mapping.io.columns import (
    RELATIONSHIP_COLUMNS,
    STAKEHOLDER_COLUMNS,
    Column,
    custom_headers,
)
from mapping.io.safety import check_portable_text, neutralise_formula
from mapping.model import Map, Relationship, Stakeholder, Stance
from mapping.model.fields import to_record

__all__ = [
    "write_stakeholders_csv",
    "write_relationships_csv",
    "write_csv_zip",
    "write_table_csv",
    "write_excel",
    "template_excel",
    "template_csv_zip",
]

Cell = str | int | date | None


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _cell(value: object) -> Cell:
    """A record's plain value as a spreadsheet cell: yes/no, tags as one cell."""
    if isinstance(value, bool):
        return _yes(value)
    if isinstance(value, list):
        return encode_tags(value)
    if value is None or isinstance(value, str | int | date):
        return value
    msg = f"A field of type {type(value).__name__} has no spreadsheet cell."
    raise TypeError(msg)


def _row(
    record: Mapping[str, Any],
    columns: Sequence[Column],
    keys: Sequence[str],
    names: Mapping[str, str],
) -> list[Cell]:
    """One spreadsheet row of a record: each column's field, then the custom fields.

    A relationship's ``source_id``/``target_id`` columns hold its ends' ids, and its
    ``source``/``target`` columns their names.
    """
    custom = record["custom"]
    cells: list[Cell] = []
    for column in columns:
        end = column.field.removesuffix("_id")
        if end in ("source", "target"):
            value = record[end]
            cells.append(value if column.field != end else names.get(str(value), ""))
        else:
            cells.append(_cell(record[column.field]))
    return [*cells, *(custom.get(k, "") for k in keys)]


def _table(
    items: Sequence[Stakeholder] | Sequence[Relationship],
    columns: Sequence[Column],
    names: Mapping[str, str],
) -> tuple[list[str], list[list[Cell]]]:
    keys = list(dict.fromkeys(k for item in items for k in item.custom))
    custom = custom_headers(keys, columns)
    headers = [c.header for c in columns] + [custom[k] for k in keys]
    rows = [_row(to_record(item, iso_dates=False), columns, keys, names) for item in items]
    return headers, rows


def _stakeholder_table(m: Map) -> tuple[list[str], list[list[Cell]]]:
    return _table(m.stakeholders, STAKEHOLDER_COLUMNS, {})


def _relationship_table(m: Map) -> tuple[list[str], list[list[Cell]]]:
    return _table(m.relationships, RELATIONSHIP_COLUMNS, m.names())


def _map_table(m: Map) -> tuple[list[str], list[list[Cell]]]:
    rows: list[list[Cell]] = [["Name", m.name], ["Description", m.description]]
    rows += [["Perspective", p] for p in m.perspectives]
    rows += [["Relationship type", t] for t in m.relationship_types]
    return ["Field", "Value"], rows


def _csv_cell(value: object) -> str | int | float:
    """One CSV cell: numbers stay numbers, anything else is text that cannot run.

    >>> [_csv_cell(v) for v in (None, float("nan"), True, -3, 2.5, date(2026, 1, 31))]
    ['', '', 'yes', -3, 2.5, '2026-01-31']
    >>> _csv_cell(" =1+1"), _csv_cell(("a", "b")), _csv_cell(["=x"])
    ("' =1+1", 'a|b', "'=x")
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return _yes(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = encode_tags([str(v) for v in value])
    return neutralise_formula(str(value))


def _csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in [headers, *rows]:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def write_table_csv(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """Any table as CSV, as the map exports write it: UTF-8 with a byte-order mark, no cell
    that can run as a formula, blanks for missing values, yes/no for true/false.

    >>> write_table_csv(["Name", "Score"], [["=HYPERLINK(1)", 0.5]]).decode("utf-8-sig")
    "Name,Score\\r\\n'=HYPERLINK(1),0.5\\r\\n"
    """
    return _csv_bytes(headers, rows)


def write_stakeholders_csv(m: Map) -> bytes:
    """The stakeholders as CSV: UTF-8 with a byte-order mark, so Excel reads accents right.

    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "=cmd|' /C calc'!A0"),))
    >>> write_stakeholders_csv(m).decode("utf-8-sig").splitlines()[1][:16]
    "a,'=cmd|' /C cal"
    """
    check_portable_text(m, "CSV")
    return _csv_bytes(*_stakeholder_table(m))


def write_relationships_csv(m: Map) -> bytes:
    """The relationships as CSV, naming each end by ID and by name."""
    check_portable_text(m, "CSV")
    return _csv_bytes(*_relationship_table(m))


def _readme_text() -> str:
    lines = [
        "Coalition Mapper spreadsheet: what each column means.",
        "Columns are matched in any case; other names in brackets are read too.",
        "Columns we do not know become custom fields. Blank rows are skipped.",
        "Text starting with = + - @ (also after spaces, or full-width), a tab or a line break",
        "gets a leading ' so spreadsheets do not run it as a formula; importing removes it.",
        "",
    ]
    for title, columns in (
        ("Stakeholders", STAKEHOLDER_COLUMNS),
        ("Relationships", RELATIONSHIP_COLUMNS),
    ):
        lines.append(f"{title}:")
        for c in columns:
            also = f" (also: {', '.join(c.synonyms)})" if c.synonyms else ""
            lines.append(f"  {c.header}{also}: {c.help}")
        lines.append("")
    lines.append(
        "Map: one row per setting. Field is Name, Description, Perspective (one row "
        "each) or Relationship type (one row each)."
    )
    return "\n".join(lines) + "\n"


def _zip(files: Mapping[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in files.items():
            info = zipfile.ZipInfo(member, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()


def write_csv_zip(m: Map) -> bytes:
    """A zip of ``map.csv``, ``stakeholders.csv``, ``relationships.csv`` and ``README.txt``.

    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann"),))
    >>> from mapping.io.tabular_read import read_csv_zip
    >>> read_csv_zip(write_csv_zip(m)) == m
    True
    """
    check_portable_text(m, "CSV")
    return _zip(
        {
            "map.csv": _csv_bytes(*_map_table(m)),
            "stakeholders.csv": _csv_bytes(*_stakeholder_table(m)),
            "relationships.csv": _csv_bytes(*_relationship_table(m)),
            "README.txt": _readme_text().encode("utf-8"),
        }
    )


def template_csv_zip() -> bytes:
    """Empty CSV files to fill in, the default map settings and a README of the columns."""
    return write_csv_zip(Map(name="My map"))


def _sheet(
    wb: Any,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    help_by_header: Mapping[str, str] | None = None,
) -> Any:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    fill = PatternFill("solid", fgColor="DDE4EE")
    for i, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = fill
        if help_by_header and header in help_by_header:
            cell.comment = Comment(help_by_header[header], "Coalition Mapper")
        longest = max([len(str(header))] + [len(str(r[i - 1] or "")) for r in rows[:500]])
        ws.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 10), 60)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.data_type = "s"
                cell.quotePrefix = neutralise_formula(cell.value) != cell.value
                if "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    return ws


def _help(columns: Sequence[Column]) -> dict[str, str]:
    return {c.header: c.help for c in columns}


def _readme_sheet(wb: Any) -> None:
    rows: list[list[Cell]] = [[line] for line in _readme_text().splitlines()]
    ws = _sheet(wb, "Read me", ["Read me"], rows)
    ws.column_dimensions["A"].width = 110


def _save(wb: Any) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_excel(m: Map, findings: Sequence[Finding] = ()) -> bytes:
    """A formatted workbook: Stakeholders, Relationships, Map, Findings (if given), Read me.

    ``findings`` are :class:`mapping.analysis.findings.Finding` objects.

    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann", influence=5),))
    >>> from mapping.io.tabular_read import read_excel
    >>> read_excel(write_excel(m)) == m
    True
    """
    import openpyxl

    check_portable_text(m, "Excel")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _sheet(wb, "Stakeholders", *_stakeholder_table(m), _help(STAKEHOLDER_COLUMNS))
    _sheet(wb, "Relationships", *_relationship_table(m), _help(RELATIONSHIP_COLUMNS))
    _sheet(wb, "Map", *_map_table(m))
    if findings:
        names = m.names()
        rows: list[list[Cell]] = [
            [
                f.severity.value,
                f.title,
                f.explanation,
                f.action,
                ", ".join(names.get(s, s) for s in f.stakeholders),
            ]
            for f in findings
        ]
        _sheet(wb, "Findings", ["Severity", "Finding", "Why it matters", "What to do", "Who"], rows)
    _readme_sheet(wb)
    return _save(wb)


def template_excel() -> bytes:
    """An empty workbook to fill in, with drop-down lists and help on every column header."""
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation

    template = Map(name="My map")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    people = _sheet(
        wb, "Stakeholders", [c.header for c in STAKEHOLDER_COLUMNS], [], _help(STAKEHOLDER_COLUMNS)
    )
    ties = _sheet(
        wb,
        "Relationships",
        [c.header for c in RELATIONSHIP_COLUMNS],
        [],
        _help(RELATIONSHIP_COLUMNS),
    )
    _sheet(wb, "Map", *_map_table(template))
    _readme_sheet(wb)
    last = 3 + len(template.perspectives)  # Map sheet: header, Name, Description, then these
    lists = [
        (people, "E", f"=Map!$B$4:$B${last}"),
        (people, "H", '"' + ",".join(s.value for s in Stance) + '"'),
        (people, "I", '"yes,no"'),
        (ties, "H", '"yes,no"'),
    ]
    for ws, column, formula in lists:
        rule = DataValidation(type="list", formula1=formula, allow_blank=True)
        ws.add_data_validation(rule)
        rule.add(f"{column}2:{column}2000")
    for ws, columns in ((people, ("F", "G")), (ties, ("G",))):
        rule = DataValidation(
            type="whole",
            operator="between",
            formula1="1",
            formula2="5",
            allow_blank=True,
            error="Use a whole number from 1 to 5.",
        )
        ws.add_data_validation(rule)
        for column in columns:
            rule.add(f"{column}2:{column}2000")
    return _save(wb)
