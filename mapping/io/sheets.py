"""Raw rows of CSV text and Excel workbooks, shared by the spreadsheet and Kumu readers.

Both are read a row at a time within the :class:`~mapping.io.safety.Limits` on rows,
columns and cells, so an oversized file is refused early. CSV text is split with the ``csv``
module, never pandas, so "NA", "001" and "TRUE" stay as written. The separator is ``,``,
``;`` or tab, whichever the header line uses most outside quotes, unless Excel's ``sep=``
first line names it. Workbooks are opened with ``openpyxl`` read-only and with formulas'
cached values, after :func:`mapping.io.safety.open_zip` has unpacked every part once,
counting the bytes (no zip bomb, no header lying about sizes), and ``defusedxml`` has
refused any XML part that declares a DOCTYPE (Office never writes one; it is how entity
bombs and external entities get in).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from mapping.errors import FormatError
from mapping.io.safety import DEFAULT_LIMITS, Limits, open_zip

__all__ = ["sniff_delimiter", "csv_rows", "sheet_rows", "open_workbook", "excel_text"]


def sniff_delimiter(text: str) -> str:
    """The separator of a CSV text: ',', ';' or tab, whichever the header line uses most.

    >>> sniff_delimiter('Name;"Org, Ltd";Role\\n'), sniff_delimiter("Name\\n")
    (';', ',')
    """
    first = re.search(r"\S", text)  # the header line, found without splitting every line
    if first is None:
        return ","
    start = max(text.rfind("\n", 0, first.start()), text.rfind("\r", 0, first.start())) + 1
    end = re.compile(r"[\r\n]").search(text, first.start())
    line = text[start : end.start() if end else len(text)]
    line = re.sub(r'"[^"]*"', "", line)
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_rows(
    text: str, filename: str, limits: Limits = DEFAULT_LIMITS
) -> list[tuple[int, list[str]]]:
    """The rows of CSV text, numbered from 1 as a spreadsheet shows them, cells as written.

    An Excel ``sep=`` first line names the separator and is not a row. Rows are read one at
    a time and the :class:`~mapping.io.safety.Limits` on rows, columns and cells checked as
    they come, so an oversized file is refused after its first offending row, not after
    reading it all. Of a run of blank rows, two are kept (enough to separate Kumu tables).

    >>> csv_rows('sep=;\\nName;Notes\\n"Ann";"a;b"\\n', "people.csv")
    [(1, ['Name', 'Notes']), (2, ['Ann', 'a;b'])]
    >>> csv_rows("a,b,c\\n1,2,3\\n", "wide.csv", Limits(max_columns=2))
    Traceback (most recent call last):
    ...
    mapping.errors.FormatError: wide.csv has 3 columns; Coalition Mapper reads at most 2 columns in a CSV file or sheet. Delete the columns you do not need and upload it again.
    """
    first = text[: text.find("\n") + 1 or len(text)]  # the rest is not copied
    if re.fullmatch(r"sep=.\r?\n?", first.lower()):
        delimiter, text = first[4], text[len(first) :]
    else:
        delimiter = sniff_delimiter(text)
    rows = _Rows(filename, limits)
    try:
        for number, cells in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1
        ):
            rows.add(number, cells)
    except csv.Error as err:
        msg = f"{filename} could not be read as CSV ({err}); save it again as CSV from your spreadsheet."
        raise FormatError(msg) from None
    return rows.rows


class _Rows:
    """Rows kept while reading, refused as soon as they pass the limits."""

    def __init__(self, source: str, limits: Limits) -> None:
        self.source, self.limits = source, limits
        self.rows: list[tuple[int, list[str]]] = []
        self.filled = self.width = self.blank = 0
        self._most = (limits.max_rows + 1, limits.cell_budget)  # the header is a row too

    def add(self, number: int, cells: list[str]) -> bool:
        """Keep a row; ``False`` once 1,000 blank rows in a row suggest the data has ended."""
        if not "".join(cells).strip():
            self.blank += 1
            if self.blank <= 2:
                self.rows.append((number, cells))
            return self.blank <= 1000
        self.blank = 0
        if len(cells) > self.width:
            self.limits.check_columns(len(cells), self.source)
            self.width = len(cells)
        self.filled += 1
        if self.filled > self._most[0] or self.filled * self.width > self._most[1]:
            self.limits.check_rows(self.filled - 1, self.source)
            self.limits.check_cells(self.filled, self.width, self.source)
        self.rows.append((number, cells))
        return True


def sheet_rows(
    ws: Any,
    source: str,
    limits: Limits = DEFAULT_LIMITS,
    text: Callable[[Any], str] | None = None,
) -> list[tuple[int, list[str]]]:
    """The rows of a read-only worksheet as text cells, numbered as Excel shows them.

    The size the sheet records (its dimension) is checked against the column and cell
    limits before any cell is loaded; rows are then read one at a time, never wider than
    the column limit allows, and reading stops after 1,000 blank rows (formatted but empty
    areas). Of a run of blank rows, two are kept; trailing empty cells are dropped. Values
    become text with ``text`` (default :func:`excel_text`).
    """
    text = text or excel_text
    columns, height = ws.max_column, ws.max_row
    if columns:
        limits.check_columns(columns, source)
        if height:
            limits.check_cells(height, columns, source)
    wide = min(columns or limits.max_columns + 1, limits.max_columns + 1)
    rows = _Rows(source, limits)
    try:
        for number, values in enumerate(ws.iter_rows(max_col=wide, values_only=True), 1):
            cells = [text(v) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            if not rows.add(number, cells):
                break
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, TypeError, ValueError) as err:
        msg = f"{source} could not be read ({err}); open it in Excel and save it again as .xlsx."
        raise FormatError(msg) from None
    return rows.rows


def open_workbook(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """An ``openpyxl`` workbook, read-only; the caller closes it.

    Raises ``FormatError`` for a zip bomb, XML entities or a file that is not an ``.xlsx``
    workbook.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    with open_zip(data, filename, limits) as archive:  # before openpyxl unpacks anything
        _refuse_doctypes(archive, filename)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        msg = (
            f"{filename} is not an Excel workbook (.xlsx) that can be read; save it again as .xlsx."
        )
        raise FormatError(msg) from None


def _refuse_doctypes(archive: zipfile.ZipFile, filename: str) -> None:
    """Refuse a workbook with an XML part that declares a DOCTYPE (entities live there).

    Only each part's prolog is read: a DOCTYPE must come before the root element."""
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as part:
            try:  # a DOCTYPE comes before the root element: read up to it, not the whole part
                for _event in SafeET.iterparse(part, events=("start",), forbid_dtd=True):
                    break
            except (
                defusedxml.DTDForbidden,
                defusedxml.EntitiesForbidden,
                defusedxml.ExternalReferenceForbidden,
            ):
                msg = (
                    f"{filename} holds XML with a DOCTYPE section ({info.filename}), which "
                    "Coalition Mapper refuses for safety (it can expand into gigabytes or read "
                    "other files). Open it in Excel and save it again as .xlsx."
                )
                raise FormatError(msg) from None
            except SafeET.ParseError:
                continue  # openpyxl decides whether a part it cannot read matters


def excel_text(value: object) -> str:
    """A value Excel stored as the text it shows: whole numbers without ``.0``, ISO dates.

    >>> excel_text(4.0), excel_text(True), excel_text(datetime(2026, 1, 31)), excel_text(None)
    ('4', 'true', '2026-01-31', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
