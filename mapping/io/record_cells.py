"""Each field of a loose record read from its text, by the field's type.

The parsers are derived from the dataclass fields of :class:`~mapping.model.Stakeholder`
and :class:`~mapping.model.Relationship` (:func:`field_parsers`): a whole number is a 1-5
scale, a yes/no flag a bool, a date a date, tags a ``|`` list, a stance a stance, and text
is kept as written, but for the two fields the map's vocabulary checks (a stakeholder's
perspective, a relationship's type).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from typing import Any, get_args, get_origin

from mapping.io.cells import (
    ADD_PERSPECTIVES_FIX,
    CellError,
    MapVocabulary,
    UnknownPerspective,
    decode_tags,
    parse_date,
    parse_scale,
    parse_stance,
    parse_yes_no,
)
from mapping.io.columns import CUSTOM_PREFIX, PROBLEM_COLUMN
from mapping.io.record_rows import Problems, Record, first_rows, name_rows, row_order
from mapping.model import Relationship, Stakeholder, Stance
from mapping.model.fields import field_types

__all__ = [
    "Parsers",
    "field_parsers",
    "parse_cells",
    "custom_values",
    "collect",
    "unknown_perspectives",
]


Parsers = tuple[tuple[str, Callable[[str], object]], ...]


def _text(text: str) -> str:
    return text


def field_parsers(
    kind: type[Stakeholder] | type[Relationship], vocab: MapVocabulary, skip: Collection[str]
) -> Parsers:
    """(field, parser of its cell's text) for every field of ``kind`` but ``skip``, in the
    dataclass's order.

    >>> vocab = MapVocabulary(["clinical"], ["funds"], False)
    >>> [name for name, _ in field_parsers(Relationship, vocab, ("id", "source", "target", "custom"))]
    ['type', 'strength', 'directed', 'how_we_know', 'last_confirmed', 'notes']
    >>> dict(field_parsers(Stakeholder, vocab, ("custom",)))["influence"]("4")
    4
    """
    vocabulary: dict[str, Callable[[str], object]] = {
        "perspective": vocab.perspective,
        "type": vocab.relationship_type,
    }
    parsers: list[tuple[str, Callable[[str], object]]] = []
    for name, hint in field_types(kind).items():
        if name in skip:
            continue
        parsers.append((name, vocabulary.get(name) or _parser(name, hint)))
    return tuple(parsers)


def _parser(name: str, hint: Any) -> Callable[[str], object]:
    """The parser of a field of this type (``TypeError`` for a type no cell holds)."""
    if hint is bool:
        return lambda t: parse_yes_no(t, name)
    if hint is int:
        return lambda t: parse_scale(t, name)
    if hint is Stance:
        return parse_stance
    if date in get_args(hint):
        return parse_date
    if get_origin(hint) is tuple:
        return decode_tags
    if hint is str:
        return _text
    msg = f"No cell parser for the field {name!r} ({hint})."
    raise TypeError(msg)


def parse_cells(
    record: Record,
    cell: Mapping[str, str],
    parsers: Parsers,
    columns: Mapping[str, str],
    unit: str,
    problems: Problems,
    unknown: Callable[[str], None] | None = None,
) -> tuple[dict[str, Any], bool]:
    """Each field parsed from its cell, and whether any failed (each failure a problem; an
    unknown perspective goes to ``unknown``, when given, to be reported with the others).

    The values are of each field's own type (the one its parser gives), hence ``Any``.
    """
    where = f"{record.source}: {record.label}, {unit}"
    values: dict[str, Any] = {}
    bad = False
    for fname, parse in parsers:
        try:
            values[fname] = parse(cell.get(fname, ""))
        except UnknownPerspective as err:
            if unknown is None:
                problems.add(f"{where} {columns[fname]}: {err.problem}; fix: {err.fix}.", record)
            else:
                unknown(err.value)
            bad = True
        except CellError as err:
            problems.add(f"{where} {columns[fname]}: {err.problem}; fix: {err.fix}.", record)
            bad = True
    return values, bad


def custom_values(record: Record, used: set[str], keep_blank: bool) -> dict[str, str]:
    out = {}
    for header, value in record.values.items():
        if header in used or (not value and not keep_blank):
            continue
        if header.strip().lower() == PROBLEM_COLUMN.lower():  # a refused-rows file's note
            continue
        name = header[len(CUSTOM_PREFIX) :] if header.lower().startswith(CUSTOM_PREFIX) else header
        out[name] = value
    return out


def collect(unknown: dict[str, list[Record]], record: Record) -> Callable[[str], None]:
    """Note in ``unknown`` that ``record`` holds a value (an unknown perspective)."""
    return lambda value: unknown.setdefault(value, []).append(record)


def unknown_perspectives(
    found: Mapping[str, list[Record]], allowed: Sequence[str], column: str, unit: str
) -> str:
    """One problem for every perspective the map lacks, however many rows name them.

    >>> rows = [Record("a.csv", f"Row {i}", {}) for i in (2, 3, 4)]
    >>> unknown_perspectives({"Agency A": rows[:2], "Agency B": rows[2:]}, ["other"], "Type", "column")
    "a.csv: Rows 2, 3 and 4, column Type: 'Agency A' and 1 other perspective are not among the map's (other): 'Agency A' (Rows 2 and 3), 'Agency B' (Row 4); fix: match each to one of the map's perspectives or add it as new (in the matching step of the import page; on the command line, --match 'perspective:VALUE=PERSPECTIVE' or --add-unknown-perspectives)."
    """
    every = sorted((r for rows in found.values() for r in rows), key=row_order)
    if len(found) == 1:
        (value,) = found
        what = f"{value!r} is not one of the map's perspectives ({', '.join(allowed)})"
    else:
        shown = [
            f"{v!r} ({name_rows(rows).split(': ', 1)[1]})" for v, rows in list(found.items())[:3]
        ]
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        others = len(found) - 1
        first = next(iter(found))
        what = (
            f"{first!r} and {others} other perspective{'s' if others > 1 else ''} are not "
            f"among the map's ({', '.join(allowed)}): {', '.join(shown)}{more}"
        )
    return (
        f"{name_rows(first_rows(every, 12))}, {unit} {column}: {what}; fix: {ADD_PERSPECTIVES_FIX}."
    )
