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

__all__ = ["Record", "records_to_map", "stable_id"]


@dataclass(frozen=True)
class Record:
    """One row (or node, or edge) of loosely named text values, and where it came from.

    ``label`` says where it is for people (``"Row 5"``, ``"Node 'n1'"``); ``source`` is the
    file or sheet. ``values`` maps column names as written to text.
    """

    source: str
    label: str
    values: Mapping[str, str] = field(hash=False)


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
    labels = [r.label for r in records]
    if len(labels) > 1 and all(label.startswith("Row ") for label in labels):
        numbers = [label[4:] for label in labels]
        return f"{records[0].source}: Rows {', '.join(numbers[:-1])} and {numbers[-1]}"
    return f"{records[0].source}: {' and '.join(labels)}"


def _custom(record: Record, used: set[str], keep_blank: bool) -> dict[str, str]:
    out = {}
    for header, value in record.values.items():
        if header in used or (not value and not keep_blank):
            continue
        name = header[len(CUSTOM_PREFIX) :] if header.lower().startswith(CUSTOM_PREFIX) else header
        out[name] = value
    return out


_Parsers = tuple[tuple[str, Callable[[str], object]], ...]


def _parse_cells(
    cell: Mapping[str, str],
    parsers: _Parsers,
    columns: Mapping[str, str],
    where: str,
    problems: list[str],
    unknown: Callable[[str], None] | None = None,
) -> tuple[dict[str, object], bool]:
    """Each field parsed from its cell, and whether any failed (each failure a problem; an
    unknown perspective goes to ``unknown``, when given, to be reported with the others)."""
    values: dict[str, object] = {}
    bad = False
    for fname, parse in parsers:
        try:
            values[fname] = parse(cell.get(fname, ""))
        except UnknownPerspective as err:
            if unknown is None:
                problems.append(f"{where} {columns[fname]}: {err.problem}; fix: {err.fix}.")
            else:
                unknown(err.value)
            bad = True
        except CellError as err:
            problems.append(f"{where} {columns[fname]}: {err.problem}; fix: {err.fix}.")
            bad = True
    return values, bad


def _unknown_perspectives(
    found: Mapping[str, list[Record]], allowed: Sequence[str], column: str, unit: str
) -> str:
    """One problem for every perspective the map lacks, however many rows name them.

    >>> rows = [Record("a.csv", f"Row {i}", {}) for i in (2, 3, 4)]
    >>> _unknown_perspectives({"Agency A": rows[:2], "Agency B": rows[2:]}, ["other"], "Type", "column")
    "a.csv: Rows 2, 3 and 4, column Type: 2 perspectives are not among the map's (other): 'Agency A' (Rows 2 and 3), 'Agency B' (Row 4); fix: use one of the map's perspectives, or add the file's own (tick 'Add perspectives the file uses that this map lacks' on the import page, or give --add-unknown-perspectives on the command line)."
    """
    every = [r for rows in found.values() for r in rows]
    if len(found) == 1:
        (value,) = found
        what = f"{value!r} is not one of the map's perspectives ({', '.join(allowed)})"
    else:
        shown = [f"{v!r} ({_where(rows).split(': ', 1)[1]})" for v, rows in list(found.items())[:3]]
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        what = (
            f"{len(found)} perspectives are not among the map's ({', '.join(allowed)}): "
            f"{', '.join(shown)}{more}"
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
    problems: list[str],
) -> tuple[list[Stakeholder], dict[str, list[str]], set[str]]:
    """Stakeholders, plus name -> ids and all ids of every named row (parsed or not)."""
    if not records:
        return [], {}, set()
    headers = list(dict.fromkeys(h for r in records for h in r.values))
    columns = match_columns(headers, STAKEHOLDER_COLUMNS)
    if "name" not in columns:
        looked = ", ".join(["Name", *STAKEHOLDER_COLUMNS[1].synonyms])
        found = ", ".join(headers) or "none"
        problems.append(
            f"{records[0].source}: no Name column (looked for {looked}; found "
            f"{found}); fix: call the column of stakeholder names 'Name'."
        )
        return [], {}, set()
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
    for sid, where in by_id.items():
        if len(where) > 1:
            problems.append(
                f"{_where(where)}, {unit} {columns['id']}: the ID {sid!r} is used "
                f"{len(where)} times; fix: give each stakeholder its own ID."
            )
    for where in by_name.values():
        ids = [sid for _, sid in where]
        if len(where) > 1 and (not all(ids) or len(set(ids)) < len(ids)):
            name = where[0][0].values[columns["name"]].strip()
            problems.append(
                f"{_where([r for r, _ in where])}, {unit} {columns['name']}: {name!r} appears "
                f"{len(where)} times; fix: merge them into one row, or give each an ID."
            )
    taken = set(by_id)
    unknown: dict[str, list[Record]] = {}
    people: list[Stakeholder] = []
    names: dict[str, list[str]] = defaultdict(list)
    for record, cell in rows:
        name = cell["name"].strip()
        sid = _given(cell.get("id", ""))
        if not sid:
            sid = stable_id("s", name.casefold())
            if sid in taken:
                sid = stable_id("s", name.casefold(), record.label)
            taken.add(sid)
        if name:
            names[name.casefold()].append(sid)
        where = f"{record.source}: {record.label}"
        if not name:
            problems.append(
                f"{where}, {unit} {columns['name']}: the name is empty; fix: give "
                "every stakeholder a name, or delete the row."
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
            cell,
            parsers,
            columns,
            f"{where}, {unit}",
            problems,
            lambda value, record=record: unknown.setdefault(value, []).append(record),
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
                    **values,  # type: ignore[arg-type]
                )
            )
    if unknown:
        column = columns.get("perspective", "Perspective")
        problems.append(_unknown_perspectives(unknown, vocab.perspectives, column, unit))
    return people, names, taken


def _endpoint(cell: dict[str, str], end: str, ids: set[str], names: Mapping[str, list[str]]) -> str:
    """The id of the stakeholder at one end of a relationship row; raises ``CellError``."""
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
    problems: list[str],
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
        problems.append(
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
        values: dict[str, object] = {}
        bad = False
        for end in ("source", "target"):
            try:
                values[end] = _endpoint(cell, end, ids, names)
            except CellError as err:
                header = columns.get(f"{end}_id") if cell.get(f"{end}_id", "").strip() else None
                header = header or columns.get(end) or columns[f"{end}_id"]
                problems.append(f"{where}, {unit} {header}: {err.problem}; fix: {err.fix}.")
                bad = True
        parsers: _Parsers = (
            ("type", vocab.relationship_type),
            ("strength", lambda t: parse_scale(t, "strength")),
            ("directed", lambda t: parse_yes_no(t, "directed")),
            ("last_confirmed", parse_date),
        )
        parsed, failed = _parse_cells(cell, parsers, columns, f"{where}, {unit}", problems)
        values.update(parsed)
        bad = bad or failed
        if not bad and values["source"] == values["target"]:
            shown = cell.get("source", "").strip() or values["source"]
            problems.append(
                f"{where}: the relationship joins {shown!r} to themselves; "
                "fix: a stakeholder cannot have a relationship with themselves."
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
                **values,  # type: ignore[arg-type]
            )
        )
    for rid, where in rid_rows.items():
        if len(where) > 1:
            problems.append(
                f"{_where(where)}, {unit} {columns['id']}: the ID {rid!r} is used "
                f"{len(where)} times; fix: give each relationship its own ID."
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
    problems: list[str] = []
    vocab = MapVocabulary(perspectives, relationship_types, add_unknown_perspectives)
    people, names, ids = _read_stakeholders(stakeholders, vocab, unit, keep_blank_custom, problems)
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
