"""Read stakeholders and relationships from CSV files, a zip of CSV files or an Excel workbook.

Reading is forgiving about form and strict about content (see :mod:`mapping.io.records`):
columns are matched by name with common synonyms, unknown columns become custom fields,
cells are trimmed, and every problem is reported as ``"<file>: Row N, column X: ...; fix:
..."``, row numbers as a spreadsheet shows them (the header is row 1).

- Blank influence, interest or strength mean 3 (the middle); blank stance means unknown;
  blank perspective means "other"; blank relationship type means "collaborates".
- A perspective the map does not have is an error naming the allowed values, unless the
  caller passes ``add_unknown_perspectives=True`` (the import page offers it). New
  relationship types are always added to the map's list.
- Cells are read as text (:mod:`mapping.io.sheets`), so "NA", "001" and "TRUE" stay as
  written; numbers and dates Excel stored are turned into text first ("4", "2026-01-31").
- Formulas never run. In CSV, the apostrophe our exports put before text a spreadsheet could
  run as a formula is removed again (:func:`mapping.io.safety.restore_formula`), so ``++``,
  ``=SUM(1)`` and ``'=x`` come back as they were written; workbook cells are read as stored.
- Spreadsheets hold no map positions, and blank custom fields are not kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from mapping.errors import FormatError
from mapping.io.budget import read_member
from mapping.io.columns import normalise_header
from mapping.io.records import Record, records_to_map
from mapping.io.safety import DEFAULT_LIMITS, Limits, decode_text, open_zip, restore_formula
from mapping.io.sheets import csv_rows, open_workbook, sheet_rows
from mapping.model import DEFAULT_PERSPECTIVES, DEFAULT_RELATIONSHIP_TYPES, Map, validate_map

__all__ = [
    "read_stakeholders_csv",
    "read_relationships_csv",
    "read_csv_pair",
    "read_csv_zip",
    "read_excel",
]


def _letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based index: 0 -> A, 26 -> AA.

    >>> _letter(0), _letter(25), _letter(26)
    ('A', 'Z', 'AA')
    """
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _records(source: str, rows: Sequence[tuple[int, list[str]]], limits: Limits) -> list[Record]:
    """Records from numbered rows of text cells; the first non-blank row is the header."""
    rows = [(n, [c.strip() for c in cells]) for n, cells in rows]
    start = next((i for i, (_, cells) in enumerate(rows) if any(cells)), None)
    if start is None:
        return []
    width = max(len(cells) for _, cells in rows[start:])
    headers: list[str] = []
    for i in range(width):
        header = rows[start][1][i] if i < len(rows[start][1]) else ""
        header = header or f"Column {_letter(i)}"
        count = sum(1 for h in headers if h.casefold() == header.casefold())
        headers.append(f"{header} ({count + 1})" if count else header)
    data = [(n, cells) for n, cells in rows[start + 1 :] if any(cells)]
    limits.check_rows(len(data), source)
    return [
        Record(
            source, f"Row {n}", dict(zip(headers, cells + [""] * (width - len(cells)), strict=True))
        )
        for n, cells in data
    ]


def _csv_records(data: bytes, filename: str, limits: Limits) -> list[Record]:
    """Records of one CSV file, each cell with the apostrophe that neutralised a formula
    removed (before trimming, as the writer added it to the untrimmed text).

    >>> [r.values for r in _csv_records(b"Name,Type\\n'=SUM(1),'++\\n''=x,'ok\\n", "t.csv",
    ...                                  DEFAULT_LIMITS)]
    [{'Name': '=SUM(1)', 'Type': '++'}, {'Name': "'=x", 'Type': "'ok"}]
    """
    limits.check_bytes(data, filename)
    text = decode_text(data, filename)
    rows = [
        (n, [restore_formula(c) for c in cells]) for n, cells in csv_rows(text, filename, limits)
    ]
    return _records(filename, rows, limits)


def _sheet_records(ws: Any, source: str, limits: Limits) -> list[Record]:
    """Records of one sheet, within the limits (see :func:`mapping.io.sheets.sheet_rows`)."""
    return _records(source, sheet_rows(ws, source, limits), limits)


def _settings(records: Sequence[Record]) -> dict[str, list[str]]:
    """Rows of a Map sheet or map.csv (Field, Value), by field: name, description,
    perspective, relationship type; a field may repeat."""
    out: dict[str, list[str]] = {}
    for record in records:
        values = list(record.values.values())
        key = normalise_header(values[0]).removeprefix("map ") if len(values) > 1 else ""
        if key in ("name", "description", "perspective", "relationship type") and values[1]:
            out.setdefault(key, []).append(values[1])
    return out


def _assemble(
    people: Sequence[Record],
    ties: Sequence[Record],
    settings: Mapping[str, list[str]],
    name: str | None,
    fallback: str,
    perspectives: Sequence[str] | None,
    add_unknown_perspectives: bool,
) -> Map:
    """The map; a Map sheet with no relationship types means none beyond those used."""
    types = settings.get("relationship type", [] if settings else DEFAULT_RELATIONSHIP_TYPES)
    return records_to_map(
        people,
        ties,
        name=name or (settings.get("name") or [fallback])[0],
        description=(settings.get("description") or [""])[0],
        perspectives=perspectives or settings.get("perspective") or DEFAULT_PERSPECTIVES,
        relationship_types=tuple(types),
        add_unknown_perspectives=add_unknown_perspectives,
    )


def _stem(filename: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", filename.rsplit("/", 1)[-1])
    return stem.replace("_", " ").strip() or "Imported map"


def read_stakeholders_csv(
    data: bytes,
    filename: str = "stakeholders.csv",
    *,
    name: str | None = None,
    perspectives: Sequence[str] | None = None,
    add_unknown_perspectives: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Map:
    """A map of the stakeholders in one CSV file (no relationships).

    >>> m = read_stakeholders_csv(b"Full name;Org;Power\\nAnn;NA;4.0\\n\\n", name="M")
    >>> [(s.name, s.organisation, s.influence) for s in m.stakeholders]
    [('Ann', 'NA', 4)]
    """
    people = _csv_records(data, filename, limits)
    return _assemble(people, (), {}, name, _stem(filename), perspectives, add_unknown_perspectives)


def read_relationships_csv(
    data: bytes,
    stakeholders: Map,
    filename: str = "relationships.csv",
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Map:
    """``stakeholders`` with the relationships of one CSV file added.

    >>> people = read_stakeholders_csv(b"Name\\nAnn\\nBo\\n", name="M")
    >>> m = read_relationships_csv(b"From,To,Trust\\nann , BO,5\\n", people)
    >>> [(m.names()[r.source], m.names()[r.target], r.strength) for r in m.relationships]
    [('Ann', 'Bo', 5)]
    """
    ties = _csv_records(data, filename, limits)
    added = records_to_map(
        (),
        ties,
        name=stakeholders.name,
        description=stakeholders.description,
        perspectives=stakeholders.perspectives,
        relationship_types=stakeholders.relationship_types,
        known=stakeholders.stakeholders,
        positions=stakeholders.positions,
    )
    m = added.with_relationships((*stakeholders.relationships, *added.relationships))
    validate_map(m)
    return m


def read_csv_pair(
    stakeholders: bytes,
    relationships: bytes,
    name: str = "Imported map",
    *,
    stakeholders_filename: str = "stakeholders.csv",
    relationships_filename: str = "relationships.csv",
    perspectives: Sequence[str] | None = None,
    add_unknown_perspectives: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Map:
    """A map from a stakeholders CSV and a relationships CSV, problems of both reported together."""
    people = _csv_records(stakeholders, stakeholders_filename, limits)
    ties = _csv_records(relationships, relationships_filename, limits)
    return _assemble(people, ties, {}, name, name, perspectives, add_unknown_perspectives)


def _member(names: Sequence[str], words: Sequence[str]) -> str | None:
    for word in words:
        for member in names:
            if word in member.rsplit("/", 1)[-1].lower():
                return member
    return None


def read_csv_zip(
    data: bytes,
    filename: str = "map.zip",
    *,
    name: str | None = None,
    perspectives: Sequence[str] | None = None,
    add_unknown_perspectives: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Map:
    """A map from a zip of ``stakeholders.csv``, ``relationships.csv`` and optional ``map.csv``."""
    with open_zip(data, filename, limits) as archive:
        members = [
            n
            for n in archive.namelist()
            if n.lower().endswith(".csv") and not n.startswith("__MACOSX")
        ]
        people_member = _member(members, ("stakeholder", "people", "nodes", "elements"))
        if people_member is None:
            msg = (
                f"{filename} has no stakeholders CSV (it holds: {', '.join(members) or 'no CSV'}); "
                "fix: include a file called stakeholders.csv."
            )
            raise FormatError(msg)
        ties_member = _member(members, ("relationship", "ties", "connections", "edges", "links"))
        map_member = _member([m for m in members if m.lower().endswith("map.csv")], ("map",))
        read = {
            n: read_member(archive, n, filename)
            for n in (people_member, ties_member, map_member)
            if n
        }
    people = _csv_records(read[people_member], people_member, limits)
    ties = _csv_records(read[ties_member], ties_member, limits) if ties_member else []
    settings = _settings(_csv_records(read[map_member], map_member, limits)) if map_member else {}
    return _assemble(
        people, ties, settings, name, _stem(filename), perspectives, add_unknown_perspectives
    )


def read_excel(
    data: bytes,
    filename: str = "map.xlsx",
    *,
    name: str | None = None,
    perspectives: Sequence[str] | None = None,
    add_unknown_perspectives: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Map:
    """A map from a workbook with sheets Stakeholders, Relationships and (optional) Map.

    Sheet names are matched in any case; the Relationships and Map sheets may be absent.
    """
    wb = open_workbook(data, filename, limits)
    try:
        sheets = {ws.title.strip().casefold(): ws for ws in wb.worksheets}
        if "stakeholders" not in sheets:
            found = ", ".join(ws.title for ws in wb.worksheets)
            msg = (
                f"{filename} has no sheet called Stakeholders (its sheets: {found}); fix: "
                "rename the sheet of people to Stakeholders, or start from our template."
            )
            raise FormatError(msg)
        people = _sheet_records(sheets["stakeholders"], f"{filename}, sheet Stakeholders", limits)
        ties = (
            _sheet_records(sheets["relationships"], f"{filename}, sheet Relationships", limits)
            if "relationships" in sheets
            else []
        )
        settings = (
            _settings(_sheet_records(sheets["map"], f"{filename}, sheet Map", limits))
            if "map" in sheets
            else {}
        )
    finally:
        wb.close()
    return _assemble(
        people, ties, settings, name, _stem(filename), perspectives, add_unknown_perspectives
    )
