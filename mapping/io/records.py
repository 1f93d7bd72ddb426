"""Loose records (spreadsheet rows, graph nodes and edges) into a validated map.

Every tabular and graph reader turns its file into :class:`Record` objects of text values
keyed by column or attribute name, and :func:`records_to_map` reads them all the same way:
columns matched by name or synonym (:mod:`mapping.io.columns`), cells parsed by
:mod:`mapping.io.cells`, every problem collected as ``"<file>: Row N, column X: ...; fix:
..."`` and raised together as one ``ValidationError``: nothing partial is returned.

- Relationships name their endpoints by stakeholder ID or by name (trimmed, any case);
  a ``From ID``/``To ID`` column, when filled in, wins over ``From``/``To``.
- A name may repeat only when an ID column tells the people apart.
- A stakeholder or relationship without an ID gets a stable one made from its content.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mapping.errors import ValidationError
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
from mapping.io.columns import (
    CUSTOM_PREFIX,
    PROBLEM_COLUMN,
    RELATIONSHIP_COLUMNS,
    STAKEHOLDER_COLUMNS,
    match_columns,
)
from mapping.model import (
    DEFAULT_PERSPECTIVES,
    DEFAULT_RELATIONSHIP_TYPES,
    Map,
    Relationship,
    Stakeholder,
    validate_map,
)

__all__ = ["Record", "Problems", "Refused", "records_to_map", "records_to_partial_map", "stable_id"]


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


def _given(text: str) -> str:
    """An ID exactly as written, or "" when the cell is blank."""
    return text if text.strip() else ""


def _where(records: Sequence[Record]) -> str:
    """Where the records are, for a message: "a.csv: Rows 2, 3 and 4" (a last record of
    :func:`_first` reads "and 9 more").

    >>> rows = [Record("a.csv", f"Row {i}", {}) for i in (2, 3, 4, 5)]
    >>> _where(rows), _where(_first(rows, 2)), _where(rows[:1])
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


def _row_order(record: Record) -> tuple[int, int]:
    """Records by their row number in the file ("Row 12"), others after them as they came."""
    number = record.label[4:]
    return (0, int(number)) if record.label.startswith("Row ") and number.isdigit() else (1, 0)


def _custom(record: Record, used: set[str], keep_blank: bool) -> dict[str, str]:
    out = {}
    for header, value in record.values.items():
        if header in used or (not value and not keep_blank):
            continue
        if header.strip().lower() == PROBLEM_COLUMN.lower():  # a refused-rows file's note
            continue
        name = header[len(CUSTOM_PREFIX) :] if header.lower().startswith(CUSTOM_PREFIX) else header
        out[name] = value
    return out


_Parsers = tuple[tuple[str, Callable[[str], object]], ...]


def _collect(unknown: dict[str, list[Record]], record: Record) -> Callable[[str], None]:
    """Note in ``unknown`` that ``record`` holds a value (an unknown perspective)."""
    return lambda value: unknown.setdefault(value, []).append(record)


def _parse_cells(
    record: Record,
    cell: Mapping[str, str],
    parsers: _Parsers,
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


def _unknown_perspectives(
    found: Mapping[str, list[Record]], allowed: Sequence[str], column: str, unit: str
) -> str:
    """One problem for every perspective the map lacks, however many rows name them.

    >>> rows = [Record("a.csv", f"Row {i}", {}) for i in (2, 3, 4)]
    >>> _unknown_perspectives({"Agency A": rows[:2], "Agency B": rows[2:]}, ["other"], "Type", "column")
    "a.csv: Rows 2, 3 and 4, column Type: 'Agency A' and 1 other perspective are not among the map's (other): 'Agency A' (Rows 2 and 3), 'Agency B' (Row 4); fix: match each to one of the map's perspectives or add it as new (in the matching step of the import page; on the command line, --match 'perspective:VALUE=PERSPECTIVE' or --add-unknown-perspectives)."
    """
    every = sorted((r for rows in found.values() for r in rows), key=_row_order)
    if len(found) == 1:
        (value,) = found
        what = f"{value!r} is not one of the map's perspectives ({', '.join(allowed)})"
    else:
        shown = [f"{v!r} ({_where(rows).split(': ', 1)[1]})" for v, rows in list(found.items())[:3]]
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        others = len(found) - 1
        first = next(iter(found))
        what = (
            f"{first!r} and {others} other perspective{'s' if others > 1 else ''} are not "
            f"among the map's ({', '.join(allowed)}): {', '.join(shown)}{more}"
        )
    return f"{_where(_first(every, 12))}, {unit} {column}: {what}; fix: {ADD_PERSPECTIVES_FIX}."


def _first(records: list[Record], limit: int) -> list[Record]:
    """At most ``limit`` records, for naming rows in a message (the rest as "and N more")."""
    if len(records) <= limit:
        return records
    return [*records[:limit], Record(records[0].source, f"{len(records) - limit} more", {})]


def _read_stakeholders(
    records: Sequence[Record],
    vocab: MapVocabulary,
    unit: str,
    keep_blank: bool,
    problems: Problems,
) -> tuple[list[Stakeholder], dict[str, list[str]], set[str], dict[str, Record]]:
    """Stakeholders, plus name -> ids and all ids of every named row (parsed or not), and
    the row each id was read from."""
    if not records:
        return [], {}, set(), {}
    headers = list(dict.fromkeys(h for r in records for h in r.values))
    columns = match_columns(headers, STAKEHOLDER_COLUMNS)
    if "name" not in columns:
        looked = ", ".join(["Name", *STAKEHOLDER_COLUMNS[1].synonyms])
        found = ", ".join(headers) or "none"
        problems.add(
            f"{records[0].source}: no Name column (looked for {looked}; found "
            f"{found}); fix: call the column of stakeholder names 'Name' (a file of "
            "relationships needs columns From and To)."
        )
        return [], {}, set(), {}
    used = set(columns.values())
    rows = []
    for record in records:
        cell = {f: record.values.get(h, "") for f, h in columns.items()}
        if not any(v.strip() for v in record.values.values()):
            continue
        rows.append((record, cell))
    by_name: dict[str, list[tuple[Record, str]]] = defaultdict(list)
    by_id: dict[str, list[Record]] = defaultdict(list)
    for record, cell in rows:
        sid = _given(cell.get("id", ""))
        if sid:
            by_id[sid].append(record)
        if cell["name"].strip():
            by_name[cell["name"].strip().casefold()].append((record, sid))
    for sid, copies in by_id.items():
        if len(copies) > 1:
            problems.add(
                f"{_where(copies)}, {unit} {columns['id']}: the ID {sid!r} is used "
                f"{len(copies)} times; fix: give each stakeholder its own ID.",
                *copies,
                short=f"{unit} {columns['id']}: the ID {sid!r} is used {len(copies)} times; "
                "fix: give each stakeholder its own ID.",
            )
    for named in by_name.values():
        ids = [sid for _, sid in named]
        if len(named) > 1 and (not all(ids) or len(set(ids)) < len(ids)):
            name = named[0][0].values[columns["name"]].strip()
            problems.add(
                f"{_where([r for r, _ in named])}, {unit} {columns['name']}: {name!r} appears "
                f"{len(named)} times; fix: merge them into one row, or give each an ID.",
                *(r for r, _ in named),
                short=f"{unit} {columns['name']}: {name!r} appears {len(named)} times; fix: "
                "merge them into one row, or give each an ID.",
            )
    taken = set(by_id)
    unknown: dict[str, list[Record]] = {}
    people: list[Stakeholder] = []
    names: dict[str, list[str]] = defaultdict(list)
    read_from: dict[str, Record] = {}
    for record, cell in rows:
        name = cell["name"].strip()
        sid = _given(cell.get("id", ""))
        if not sid:
            sid = stable_id("s", name.casefold())
            if sid in taken:
                sid = stable_id("s", name.casefold(), record.label)
            taken.add(sid)
        read_from[sid] = record
        if name:
            names[name.casefold()].append(sid)
        place = f"{record.source}: {record.label}"
        if not name:
            problems.add(
                f"{place}, {unit} {columns['name']}: the name is empty; fix: give "
                "every stakeholder a name, or delete the row.",
                record,
            )
            continue
        parsers: _Parsers = (
            ("perspective", vocab.perspective),
            ("influence", lambda t: parse_scale(t, "influence")),
            ("interest", lambda t: parse_scale(t, "interest")),
            ("stance", parse_stance),
            ("coalition", lambda t: parse_yes_no(t, "coalition")),
            ("tags", decode_tags),
            ("review_by", parse_date),
        )
        values, bad = _parse_cells(
            record,
            cell,
            parsers,
            columns,
            unit,
            problems,
            _collect(unknown, record),
        )
        if not bad:
            people.append(
                Stakeholder(
                    id=sid,
                    name=name,
                    organisation=cell.get("organisation", ""),
                    role=cell.get("role", ""),
                    notes=cell.get("notes", ""),
                    custom=_custom(record, used, keep_blank),
                    **values,
                )
            )
    if unknown:
        column = columns.get("perspective", "Perspective")
        problems.append(_unknown_perspectives(unknown, vocab.perspectives, column, unit))
        for value, rows_with in unknown.items():
            for record in rows_with:
                problems.about(
                    record,
                    f"{unit} {column}: {value!r} is not one of the map's perspectives; "
                    f"fix: {ADD_PERSPECTIVES_FIX}.",
                )
    return people, names, taken, read_from


def _endpoint(
    cell: dict[str, str],
    end: str,
    ids: set[str],
    names: Mapping[str, list[str]],
    left_out: Mapping[str, str] | None = None,
) -> str:
    """The id of the stakeholder at one end of a relationship row; raises ``CellError``,
    also for a stakeholder whose row is ``left_out`` (id -> why)."""
    sid = _endpoint_id(cell, end, ids, names)
    if left_out and sid in left_out:
        shown = cell.get(end, "").strip() or sid
        raise CellError(
            f"{shown!r} is left out of the import ({left_out[sid]})",
            "correct that stakeholder's row, then import this relationship again",
        )
    return sid


def _endpoint_id(
    cell: dict[str, str], end: str, ids: set[str], names: Mapping[str, list[str]]
) -> str:
    by_id = _given(cell.get(f"{end}_id", ""))
    if by_id:
        for candidate in (by_id, by_id.strip()):
            if candidate in ids:
                return candidate
        raise CellError(
            f"no stakeholder has the ID {by_id!r}",
            "correct the ID, or clear it and name the stakeholder in the next column",
        )
    raw = cell.get(end, "")
    value = raw.strip()
    if not value:
        raise CellError("the stakeholder is missing", "give the name or ID of a stakeholder")
    for candidate in (raw, value):
        if candidate in ids:
            return candidate
    hits = names.get(value.casefold(), [])
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise CellError(
            f"{value!r} matches {len(hits)} stakeholders ({', '.join(hits)})",
            "use the ID of the one you mean",
        )
    close = difflib.get_close_matches(value.casefold(), list(names), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise CellError(
        f"no stakeholder called {value!r}",
        f"{hint}add them to the stakeholders first, or correct the name",
    )


def _read_relationships(
    records: Sequence[Record],
    ids: set[str],
    names: Mapping[str, list[str]],
    vocab: MapVocabulary,
    unit: str,
    keep_blank: bool,
    problems: Problems,
    left_out: Mapping[str, str] | None = None,
) -> list[Relationship]:
    if not records:
        return []
    headers = list(dict.fromkeys(h for r in records for h in r.values))
    columns = match_columns(headers, RELATIONSHIP_COLUMNS)
    missing = [
        end for end in ("source", "target") if end not in columns and f"{end}_id" not in columns
    ]
    if missing:
        want = " and ".join("From" if end == "source" else "To" for end in missing)
        problems.add(
            f"{records[0].source}: no {want} column (found {', '.join(headers)}); "
            "fix: name the columns of the two stakeholders From and To."
        )
        return []
    used = set(columns.values())
    seen: dict[tuple[str, str, str], int] = defaultdict(int)
    given = {_given(r.values.get(columns.get("id", ""), "")) for r in records} - {""}
    ties: list[Relationship] = []
    rid_rows: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if not any(v.strip() for v in record.values.values()):
            continue
        cell = {f: record.values.get(h, "") for f, h in columns.items()}
        where = f"{record.source}: {record.label}"
        values: dict[str, Any] = {}  # each field of its own type (see _parse_cells)
        bad = False
        for end in ("source", "target"):
            try:
                values[end] = _endpoint(cell, end, ids, names, left_out)
            except CellError as err:
                header = columns.get(f"{end}_id") if cell.get(f"{end}_id", "").strip() else None
                header = header or columns.get(end) or columns[f"{end}_id"]
                problems.add(f"{where}, {unit} {header}: {err.problem}; fix: {err.fix}.", record)
                bad = True
        parsers: _Parsers = (
            ("type", vocab.relationship_type),
            ("strength", lambda t: parse_scale(t, "strength")),
            ("directed", lambda t: parse_yes_no(t, "directed")),
            ("last_confirmed", parse_date),
        )
        parsed, failed = _parse_cells(record, cell, parsers, columns, unit, problems)
        values.update(parsed)
        bad = bad or failed
        if not bad and values["source"] == values["target"]:
            shown = cell.get("source", "").strip() or values["source"]
            problems.add(
                f"{where}: the relationship joins {shown!r} to themselves; "
                "fix: a stakeholder cannot have a relationship with themselves.",
                record,
            )
            bad = True
        if bad:
            continue
        rid = _given(cell.get("id", ""))
        if rid:
            rid_rows[rid].append(record)
        else:
            triple = (str(values["source"]), str(values["target"]), str(values["type"]))
            seen[triple] += 1
            rid = stable_id("r", *triple, str(seen[triple]))
            while rid in given:
                rid = stable_id("r", rid)
            given.add(rid)
        ties.append(
            Relationship(
                id=rid,
                how_we_know=cell.get("how_we_know", ""),
                notes=cell.get("notes", ""),
                custom=_custom(record, used, keep_blank),
                **values,
            )
        )
    for rid, copies in rid_rows.items():
        if len(copies) > 1:
            problems.add(
                f"{_where(copies)}, {unit} {columns['id']}: the ID {rid!r} is used "
                f"{len(copies)} times; fix: give each relationship its own ID.",
                *copies,
                short=f"{unit} {columns['id']}: the ID {rid!r} is used {len(copies)} times; "
                "fix: give each relationship its own ID.",
            )
    return ties


def records_to_map(
    stakeholders: Sequence[Record],
    relationships: Sequence[Record] = (),
    *,
    name: str = "Imported map",
    description: str = "",
    perspectives: Sequence[str] = DEFAULT_PERSPECTIVES,
    relationship_types: Sequence[str] = DEFAULT_RELATIONSHIP_TYPES,
    add_unknown_perspectives: bool = False,
    known: Sequence[Stakeholder] = (),
    positions: Mapping[str, tuple[float, float]] | None = None,
    keep_blank_custom: bool = False,
    unit: str = "column",
) -> Map:
    """Build a whole map from loose records; raise one ``ValidationError`` listing every problem.

    ``known`` are stakeholders already read (relationships may name them). ``unit`` is the
    word for a field in messages ("column", or "attribute" for GraphML and GEXF).

    >>> people = [Record("people.csv", "Row 2", {"Name": "Ann", "Power": "4"}),
    ...           Record("people.csv", "Row 3", {"Name": "Bo", "Power": "high"})]
    >>> records_to_map(people)
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: people.csv: Row 3, column Power: 'high' is not a whole number from 1 to 5; fix: write the influence as 1, 2, 3, 4 or 5 (blank means 3).
    >>> m = records_to_map(people[:1], [Record("ties.csv", "Row 2", {"From": "ann", "To": "Ann"})])
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: ties.csv: Row 2: the relationship joins 'ann' to themselves; fix: a stakeholder cannot have a relationship with themselves.
    """
    problems = Problems()
    vocab = MapVocabulary(perspectives, relationship_types, add_unknown_perspectives)
    people, names, ids, _ = _read_stakeholders(
        stakeholders, vocab, unit, keep_blank_custom, problems
    )
    for s in known:
        ids.add(s.id)
        names.setdefault(s.name.casefold(), []).append(s.id)
    ties = _read_relationships(relationships, ids, names, vocab, unit, keep_blank_custom, problems)
    if problems:
        raise ValidationError(problems)
    m = Map(
        name=name,
        description=description,
        perspectives=tuple(vocab.perspectives),
        relationship_types=tuple(vocab.types),
        stakeholders=(*known, *people),
        relationships=tuple(ties),
        positions=positions or {},
    )
    validate_map(m)
    return m


@dataclass(frozen=True)
class Refused:
    """A row left out of an import: the record as read (its cells as written) and why."""

    record: Record
    problem: str


def records_to_partial_map(
    stakeholders: Sequence[Record],
    relationships: Sequence[Record] = (),
    **options: Any,
) -> tuple[Map, tuple[Refused, ...]]:
    """The map of the rows that can be read, and every row left out with its problems.

    Takes the options of :func:`records_to_map`. A relationship whose stakeholder's row is
    left out is left out too, saying so. A problem with a whole file (a missing Name, From
    or To column) still raises ``ValidationError``: no row of it could be read.

    >>> people = [Record("p.csv", "Row 2", {"Name": "Ann"}),
    ...           Record("p.csv", "Row 3", {"Name": "Bo", "Power": "high"}),
    ...           Record("p.csv", "Row 4", {"Name": "Cy"})]
    >>> ties = [Record("t.csv", "Row 2", {"From": "Ann", "To": "Cy"}),
    ...         Record("t.csv", "Row 3", {"From": "Ann", "To": "Bo"})]
    >>> m, refused = records_to_partial_map(people, ties)
    >>> [s.name for s in m.stakeholders], len(m.relationships)
    (['Ann', 'Cy'], 1)
    >>> for r in refused:
    ...     print(r.record.source, r.record.label, r.problem)
    p.csv Row 3 column Power: 'high' is not a whole number from 1 to 5; fix: write the influence as 1, 2, 3, 4 or 5 (blank means 3).
    t.csv Row 3 column To: 'Bo' is left out of the import (p.csv, Row 3 has a problem); fix: correct that stakeholder's row, then import this relationship again.
    """
    unit = options.get("unit", "column")
    keep = options.get("keep_blank_custom", False)
    vocab = MapVocabulary(
        options.get("perspectives", DEFAULT_PERSPECTIVES),
        options.get("relationship_types", DEFAULT_RELATIONSHIP_TYPES),
        options.get("add_unknown_perspectives", False),
    )
    people_problems = Problems()
    _, names, ids, read_from = _read_stakeholders(stakeholders, vocab, unit, keep, people_problems)
    for s in options.get("known", ()):
        ids.add(s.id)
        names.setdefault(s.name.casefold(), []).append(s.id)
    left_out = {
        sid: f"{record.source}, {record.label} has a problem"
        for sid, record in read_from.items()
        if record in people_problems.rows
    }
    tie_problems = Problems()
    _read_relationships(relationships, ids, names, vocab, unit, keep, tie_problems, left_out)
    whole = people_problems.whole_file + tie_problems.whole_file
    if whole:
        raise ValidationError(whole)
    bad = {**people_problems.rows, **tie_problems.rows}
    m = records_to_map(
        [r for r in stakeholders if r not in bad],
        [r for r in relationships if r not in bad],
        **options,
    )
    refused = tuple(
        Refused(r, "; ".join(bad[r])) for r in (*stakeholders, *relationships) if r in bad
    )
    return m, refused
