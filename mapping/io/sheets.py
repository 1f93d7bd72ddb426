"""Raw rows of CSV text and Excel workbooks, shared by the spreadsheet and Kumu readers.

CSV text is split with the ``csv`` module, never pandas, so "NA", "001" and "TRUE" stay as
written. The separator is ``,``, ``;`` or tab, whichever the header line uses most outside
quotes, unless Excel's ``sep=`` first line names it. Workbooks are opened with ``openpyxl``
read-only and with formulas' cached values, after :func:`mapping.io.safety.open_zip` has
checked the archive is no zip bomb and ``defusedxml`` has refused any XML part that declares a
DOCTYPE (Office never writes one; it is how entity bombs and external entities get in).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, time
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from mapping.errors import FormatError
from mapping.io.safety import DEFAULT_LIMITS, Limits, open_zip

__all__ = ["sniff_delimiter", "csv_rows", "open_workbook", "excel_text"]


def sniff_delimiter(text: str) -> str:
    """The separator of a CSV text: ',', ';' or tab, whichever the header line uses most.

    >>> sniff_delimiter('Name;"Org, Ltd";Role\\n'), sniff_delimiter("Name\\n")
    (';', ',')
    """
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    line = re.sub(r'"[^"]*"', "", line)
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_rows(text: str, filename: str) -> list[tuple[int, list[str]]]:
    """The rows of CSV text, numbered from 1 as a spreadsheet shows them, cells as written.

    An Excel ``sep=`` first line names the separator and is not a row.

    >>> csv_rows('sep=;\\nName;Notes\\n"Ann";"a;b"\\n', "people.csv")
    [(1, ['Name', 'Notes']), (2, ['Ann', 'a;b'])]
    """
    first, _, rest = text.partition("\n")
    if re.fullmatch(r"sep=.\r?", first.lower()):
        delimiter, text = first[4], rest
    else:
        delimiter = sniff_delimiter(text)
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1))
    except csv.Error as err:
        msg = f"{filename} could not be read as CSV ({err}); save it again as CSV from your spreadsheet."
        raise FormatError(msg) from None


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
    """Refuse a workbook with an XML part that declares a DOCTYPE (entities live there)."""
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as part:
            try:
                for _event in SafeET.iterparse(part, forbid_dtd=True):
                    pass
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
