"""Step 1 of a spreadsheet import: one or several files read into :class:`Tables`.

Each sheet or CSV file is sorted into people, relationships or the map's own settings by its
name or its columns; the later steps are in :mod:`mapping.io.tabular_import`, which offers
these names too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from mapping.errors import FormatError
from mapping.io.budget import read_member
from mapping.io.columns import (
    RELATIONSHIP_COLUMNS,
    STAKEHOLDER_COLUMNS,
    match_columns,
    normalise_header,
)
from mapping.io.records import Record
from mapping.io.safety import DEFAULT_LIMITS, Limits, open_zip
from mapping.io.sheets import open_workbook
from mapping.io.tabular_read import _csv_records, _settings, _sheet_records, _stem

__all__ = ["PEOPLE_SHEETS", "LINK_SHEETS", "Tables", "gather"]


#: Sheet (or CSV file) names that hold people, and those that hold relationships.
PEOPLE_SHEETS = ("stakeholders", "people", "nodes", "elements")


LINK_SHEETS = ("relationships", "links", "edges", "connections", "ties")


_TEMPLATE_FIX = (
    "put people in a sheet or file with a Name column, and relationships in one with From and "
    "To columns (sheets may be called People and Links); the templates on the Import tab "
    "have every column"
)


@dataclass
class Tables:
    """The rows of one or several spreadsheet files, sorted into people and relationships.

    ``headers`` are each source's columns, in the file's order; ``name`` is the map's name
    (the Map sheet's, else the file's); ``settings`` the Map sheet's fields.
    """

    people: list[Record] = field(default_factory=list)
    ties: list[Record] = field(default_factory=list)
    settings: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)
    name: str = "Imported map"
    notes: list[str] = field(default_factory=list)

    @property
    def people_are_made(self) -> bool:
        """Whether the people are made from the names the relationships mention."""
        return not self.people and bool(self.ties)

    def all_headers(self) -> list[str]:
        """Every column of every source (what makes the files' shape)."""
        return [h for headers in self.headers.values() for h in headers]


def _kind_of_name(name: str) -> str | None:
    """What a sheet or file name says it holds: people, ties, map, or ``None``.

    >>> _kind_of_name("People"), _kind_of_name("network-edges.csv"), _kind_of_name("Read me")
    ('people', 'ties', None)
    """
    words = set(re.findall(r"[a-z]+", name.casefold()))
    if words & set(PEOPLE_SHEETS) or words & {"stakeholder", "person", "node", "element"}:
        return "people"
    if words & set(LINK_SHEETS) or words & {"relationship", "link", "edge", "connection", "tie"}:
        return "ties"
    if words & {"map", "settings"}:
        return "map"
    return None


def _kind_of_columns(records: Sequence[Record]) -> str | None:
    """What rows hold, by their columns: ties (From and To), people (a Name), map, or None.

    >>> _kind_of_columns([Record("a.csv", "Row 2", {"SOURCE": "Ann", "TO": "Bo"})])
    'ties'
    >>> _kind_of_columns([Record("a.csv", "Row 2", {"Full name": "Ann"})])
    'people'
    """
    headers = list(dict.fromkeys(h for r in records for h in r.values))
    ties = match_columns(headers, RELATIONSHIP_COLUMNS)
    if all(end in ties or f"{end}_id" in ties for end in ("source", "target")):
        return "ties"
    if "name" in match_columns(headers, STAKEHOLDER_COLUMNS):
        return "people"
    if headers and normalise_header(headers[0]) == "field":
        return "map"
    return None


def _add(tables: Tables, kind: str | None, source: str, records: list[Record]) -> None:
    """Put one sheet's or file's rows where they belong; a Map sheet's become settings."""
    if kind == "map":
        for key, values in _settings(records).items():
            tables.settings.setdefault(key, []).extend(values)
        return
    if not records:
        return
    tables.headers[source] = list(records[0].values)
    if kind == "people":
        tables.people.extend(records)
    elif kind == "ties":
        tables.ties.extend(records)


def _gather_csv(
    tables: Tables, data: bytes, filename: str, limits: Limits, strict: bool = True
) -> bool:
    """Add one CSV file's rows; whether it was recognised (an unrecognised file is an
    error, or with ``strict=False`` a note)."""
    records = _csv_records(data, filename, limits)
    kind = _kind_of_columns(records)
    if kind is None and records and not strict:
        tables.notes.append(
            f"{filename} was not read: it has no Name column and no From and To columns."
        )
        return False
    if kind is None and records:
        found = ", ".join(records[0].values)
        msg = (
            f"{filename}: no Name column, and no From and To columns (found {found}); fix: "
            "call the column of stakeholder names 'Name', or the columns of a relationship's "
            "two stakeholders 'From' and 'To' (the templates on the Import tab have every column)."
        )
        raise FormatError(msg)
    _add(tables, kind, filename, records)
    return True


def _gather_zip(tables: Tables, data: bytes, filename: str, limits: Limits) -> None:
    with open_zip(data, filename, limits) as archive:
        members = [
            n
            for n in archive.namelist()
            if n.lower().endswith(".csv") and not n.startswith("__MACOSX")
        ]
        read = {n: read_member(archive, n, filename) for n in members}
    if not members:
        msg = f"{filename} holds no CSV file; fix: zip the CSV files of people and relationships."
        raise FormatError(msg)
    recognised = [_gather_csv(tables, read[m], m, limits, strict=False) for m in members]
    if not any(recognised):
        msg = (
            f"{filename} holds no CSV file of people or relationships (it holds: "
            f"{', '.join(members)}); fix: {_TEMPLATE_FIX}."
        )
        raise FormatError(msg)


def _gather_workbook(tables: Tables, data: bytes, filename: str, limits: Limits) -> None:
    wb = open_workbook(data, filename, limits)
    try:
        used = 0
        for ws in wb.worksheets:
            source = f"{filename}, sheet {ws.title.strip()}"
            by_name = _kind_of_name(ws.title)
            if by_name == "map":
                _add(tables, "map", source, _sheet_records(ws, source, limits))
                continue
            records = _sheet_records(ws, source, limits)
            kind = _kind_of_columns(records)
            if by_name in ("people", "ties") and kind in (None, "people", "ties"):
                kind = kind or by_name  # the columns win over the name ("Label" on a links sheet)
            if kind in ("people", "ties"):
                _add(tables, kind, source, records)
                used += 1
            elif by_name in ("people", "ties"):
                used += 1  # an empty sheet of people or links: nothing to read
            elif records and normalise_header(ws.title) not in ("read me", "findings"):
                tables.notes.append(
                    f"The sheet {ws.title.strip()!r} was not read: it has no Name column and "
                    "no From and To columns."
                )
    finally:
        wb.close()
    if not used:
        found = ", ".join(ws.title for ws in wb.worksheets)
        msg = f"{filename} has no sheet of people or relationships (its sheets: {found}); fix: {_TEMPLATE_FIX}."
        raise FormatError(msg)


def gather(
    files: Sequence[tuple[str, bytes]],
    limits: Limits = DEFAULT_LIMITS,
) -> Tables:
    """The people, relationships and map settings of CSV files, zips of them and workbooks.

    ``files`` are (file name, bytes) pairs; the format comes from each name's extension.

    >>> t = gather([("links.csv", b"Source,TARGET,Strength (1-5)\\nAnn,Bo,4\\n"),
    ...             ("people.csv", b"Full name\\nAnn\\nBo\\n")])
    >>> len(t.people), len(t.ties), t.name
    (2, 1, 'Imported map')
    """
    tables = Tables()
    for filename, data in files:
        limits.check_bytes(data, filename)
        lower = filename.lower()
        if lower.endswith(".csv"):
            _gather_csv(tables, data, filename, limits)
        elif lower.endswith(".zip"):
            _gather_zip(tables, data, filename, limits)
        elif lower.endswith(".xlsx"):
            _gather_workbook(tables, data, filename, limits)
        else:
            msg = (
                f"{filename} is not a CSV file, a zip of CSV files or an Excel workbook; only "
                "those can be imported together (import other files one at a time)."
            )
            raise FormatError(msg)
    if not (tables.people or tables.ties or tables.settings):
        names = " and ".join(f for f, _ in files)
        msg = f"{names}: no rows of people or relationships to import; fix: {_TEMPLATE_FIX}."
        raise FormatError(msg)
    if tables.settings.get("name"):
        tables.name = tables.settings["name"][0]
    elif len(files) == 1:
        tables.name = _stem(files[0][0])
    return tables
