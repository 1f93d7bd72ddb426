"""Loose records (spreadsheet rows, graph nodes and edges), their problems, and how a
message names where they are ("a.csv: Rows 2, 3 and 4")."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Record", "Problems", "stable_id", "as_given", "name_rows", "first_rows", "row_order"]


@dataclass(frozen=True)
class Record:
    """One row (or node, or edge) of loosely named text values, and where it came from.

    ``label`` says where it is for people (``"Row 5"``, ``"Node 'n1'"``); ``source`` is the
    file or sheet. ``values`` maps column names as written to text.
    """

    source: str
    label: str
    values: Mapping[str, str] = field(hash=False)


class Problems(list[str]):
    """Every problem found while reading, and which rows each one is about.

    ``rows`` maps a record to its problems, each said without the file and row (they are
    the record's); a problem about no row (a missing column) is about the whole file.

    >>> problems = Problems()
    >>> row = Record("a.csv", "Row 2", {})
    >>> problems.add("a.csv: Row 2, column Power: 'high' is not a number.", row)
    >>> problems.rows[row], problems.whole_file
    (["column Power: 'high' is not a number."], [])
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[Record, list[str]] = {}
        self.whole_file: list[str] = []

    def add(self, text: str, *records: Record, short: str | None = None) -> None:
        """Keep a problem about ``records`` (none: the whole file); ``short`` says it for
        each row, by default ``text`` without the record's file and row."""
        self.append(text)
        if not records:
            self.whole_file.append(text)
        for record in records:
            said = short
            if said is None:
                said = text
                for end in (", ", ": "):
                    said = said.removeprefix(f"{record.source}: {record.label}{end}")
            self.about(record, said)

    def about(self, record: Record, short: str) -> None:
        """Note a problem of this row, said for the row alone, without a message of its own."""
        self.rows.setdefault(record, []).append(short)


def stable_id(prefix: str, *parts: str) -> str:
    """An id made from content, the same on every import of the same file.

    >>> stable_id("s", "ann clark")
    's-18f94c4054'
    """
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:10]}"


def as_given(text: str) -> str:
    """An ID exactly as written, or "" when the cell is blank."""
    return text if text.strip() else ""


def name_rows(records: Sequence[Record]) -> str:
    """Where the records are, for a message: "a.csv: Rows 2, 3 and 4" (a last record of
    :func:`first` reads "and 9 more").

    >>> rows = [Record("a.csv", f"Row {i}", {}) for i in (2, 3, 4, 5)]
    >>> name_rows(rows), name_rows(first_rows(rows, 2)), name_rows(rows[:1])
    ('a.csv: Rows 2, 3, 4 and 5', 'a.csv: Rows 2, 3 and 2 more', 'a.csv: Row 2')
    """
    labels = [r.label for r in records]
    more = labels.pop() if len(labels) > 1 and labels[-1].endswith(" more") else None
    rows_only = all(label.startswith("Row ") for label in labels)
    if rows_only and (len(labels) > 1 or (labels and more)):
        numbers = [label[4:] for label in labels]
        last = more or numbers.pop()
        return f"{records[0].source}: Rows {', '.join(numbers)} and {last}"
    return f"{records[0].source}: {' and '.join(labels + ([more] if more else []))}"


def row_order(record: Record) -> tuple[int, int]:
    """Records by their row number in the file ("Row 12"), others after them as they came."""
    number = record.label[4:]
    return (0, int(number)) if record.label.startswith("Row ") and number.isdigit() else (1, 0)


def first_rows(records: list[Record], limit: int) -> list[Record]:
    """At most ``limit`` records, for naming rows in a message (the rest as "and N more")."""
    if len(records) <= limit:
        return records
    return [*records[:limit], Record(records[0].source, f"{len(records) - limit} more", {})]
