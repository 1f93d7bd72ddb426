"""CSV and Excel: read messy spreadsheets of stakeholders and relationships, write tidy ones.

Reading is forgiving about form and strict about content. Columns are matched by name,
case-insensitively, with common synonyms (:data:`STAKEHOLDER_COLUMNS`,
:data:`RELATIONSHIP_COLUMNS`); unknown columns become custom fields; cells are trimmed;
"NA", "001" and the like stay text. Every problem is collected as
``"<file>: Row N, column X: ...; fix: ..."`` (row numbers as a spreadsheet shows them: the
header is row 1) and raised together as one ``ValidationError``: nothing partial is returned.

Choices, documented here once:

- Blank influence, interest or strength mean 3 (the middle); blank stance means unknown;
  blank perspective means "other"; blank relationship type means "collaborates".
- A perspective the map does not have is an error naming the allowed values, unless the
  caller passes ``add_unknown_perspectives=True`` (the import page offers it). New
  relationship types are always added to the map's list.
- Relationships name their endpoints by stakeholder ID or by name (trimmed, any case);
  a ``From ID``/``To ID`` column, when filled in, wins over ``From``/``To``.
- A name may repeat only when an ID column tells the people apart.
- Cells are read as text with the ``csv`` module and ``openpyxl`` (not pandas), so "NA",
  "001" and "TRUE" stay as written; numbers and dates Excel stored are turned into text
  first ("4", "2026-01-31").
- Formulas never run. CSV text cells go through
  :func:`mapping.io.safety.neutralise_formula` (a leading apostrophe), which reading does not
  undo. Excel cells are stored as text, and text that would start a formula also gets
  Excel's quote prefix (the apostrophe Excel shows when you type ``'=x``): the value itself
  is unchanged, so Excel files read back exactly.
- Spreadsheets hold no map positions, and blank custom fields are not kept.
- Control characters XML cannot store are refused by the writers (see
  :func:`mapping.io.safety.check_portable_text`), CSV included, so every export behaves alike.

The record conversion (:func:`records_to_map`) is shared with the GraphML, GEXF and
node-link readers, so every format reads a loose record the same way.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from mapping.analysis.findings import Finding
from mapping.errors import FormatError, ValidationError
from mapping.io.safety import (
    DEFAULT_LIMITS,
    Limits,
    check_portable_text,
    decode_text,
    neutralise_formula,
    open_zip,
)
from mapping.model import (
    DEFAULT_PERSPECTIVES,
    DEFAULT_RELATIONSHIP_TYPES,
    Map,
    Relationship,
    Stakeholder,
    Stance,
    validate_map,
)

__all__ = [
    "Column",
    "STAKEHOLDER_COLUMNS",
    "RELATIONSHIP_COLUMNS",
    "Record",
    "encode_tags",
    "decode_tags",
    "records_to_map",
    "read_stakeholders_csv",
    "read_relationships_csv",
    "read_csv_pair",
    "read_csv_zip",
    "read_excel",
    "write_stakeholders_csv",
    "write_relationships_csv",
    "write_csv_zip",
    "write_excel",
    "template_excel",
    "template_csv_zip",
]


@dataclass(frozen=True)
class Column:
    """A column our spreadsheets write, the other names it is read by, and its help text."""

    field: str
    header: str
    synonyms: tuple[str, ...]
    help: str


STAKEHOLDER_COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "ID",
        ("stakeholder id", "key"),
        "Optional. A code that never changes; leave blank and one is made up.",
    ),
    Column("name", "Name", ("label", "full name"), "Required. The person's name."),
    Column("organisation", "Organisation", ("organization", "org"), "Where they work."),
    Column("role", "Role", ("job title", "job"), "Their job or role."),
    Column(
        "perspective",
        "Perspective",
        ("group", "sector"),
        "Which view of the system they bring; one of the map's perspectives (Map sheet).",
    ),
    Column("influence", "Influence", ("power",), "1 (little) to 5 (decisive); blank means 3."),
    Column("interest", "Interest", (), "1 (none) to 5 (central to them); blank means 3."),
    Column(
        "stance",
        "Stance",
        ("position", "attitude"),
        "champion, supporter, neutral, sceptic, opposed or unknown (blank).",
    ),
    Column(
        "coalition",
        "Coalition",
        ("in coalition", "member"),
        "yes if they are in the coalition of the willing; blank means no.",
    ),
    Column("tags", "Tags", (), "Labels separated by | (for example: primary care|north)."),
    Column("review_by", "Review by", ("review",), "Date to look at this person again."),
    Column("notes", "Notes", ("description",), "Anything else; private to the map."),
)

RELATIONSHIP_COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "ID",
        ("relationship id", "key"),
        "Optional. A code that never changes; leave blank and one is made up.",
    ),
    Column(
        "source_id",
        "From ID",
        ("source id",),
        "The ID of the stakeholder it starts from; when filled in it wins over From.",
    ),
    Column("source", "From", ("source",), "The stakeholder it starts from: ID or name."),
    Column(
        "target_id",
        "To ID",
        ("target id",),
        "The ID of the stakeholder it goes to; when filled in it wins over To.",
    ),
    Column("target", "To", ("target",), "The stakeholder it goes to: ID or name."),
    Column(
        "type",
        "Type",
        ("relationship", "relationship type"),
        "collaborates, commissions, funds, reports to, advises, informal trust, "
        "conflict, or a type of your own; blank means collaborates.",
    ),
    Column(
        "strength",
        "Strength",
        ("trust", "weight"),
        "1 (weak) to 5 (strong and trusted); blank means 3.",
    ),
    Column(
        "directed",
        "Directed",
        ("direction",),
        "yes if it runs one way (From to To); blank or no means mutual.",
    ),
    Column(
        "how_we_know", "How we know", ("source of information",), "Where this knowledge comes from."
    ),
    Column(
        "last_confirmed",
        "Last confirmed",
        ("confirmed",),
        "Date the relationship was last confirmed, as YYYY-MM-DD.",
    ),
    Column("notes", "Notes", ("description",), "Anything else; private to the map."),
)

CUSTOM_PREFIX = "custom."
_YES = {
    "yes",
    "y",
    "true",
    "1",
    "x",
    "✓",
    "✔",
    "in",
    "member",
    "directed",
    "one-way",
    "one way",
    "->",
    "→",
}
_NO = {
    "no",
    "n",
    "false",
    "0",
    "out",
    "-",
    "mutual",
    "undirected",
    "two-way",
    "two way",
    "both",
    "<->",
    "↔",
}


@dataclass(frozen=True)
class Record:
    """One row (or node, or edge) of loosely named text values, and where it came from.

    ``label`` says where it is for people (``"Row 5"``, ``"Node 'n1'"``); ``source`` is the
    file or sheet. ``values`` maps column names as written to text.
    """

    source: str
    label: str
    values: Mapping[str, str] = field(hash=False)


class _Bad(Exception):
    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


def _norm(header: str) -> str:
    """Header as matched: lower case, no brackets, ``_``/``-`` as spaces.

    >>> _norm("  Influence (1-5) "), _norm("how_we_know")
    ('influence', 'how we know')
    """
    text = re.sub(r"\s*\(.*\)\s*$", "", header.strip())
    return " ".join(re.sub(r"[_\-]+", " ", text).lower().split())


def _match_columns(headers: Sequence[str], columns: Sequence[Column]) -> dict[str, str]:
    """Field -> header; the first header with the best-ranked name wins."""
    found: dict[str, str] = {}
    normalised = [(h, _norm(h)) for h in headers if not h.lower().startswith(CUSTOM_PREFIX)]
    for column in columns:
        for name in (_norm(column.header), *column.synonyms):
            header = next((h for h, n in normalised if n == name), None)
            if header is not None and header not in found.values():
                found[column.field] = header
                break
    return found


def encode_tags(tags: Sequence[str]) -> str:
    """Tags as one cell: joined by ``|``, or a JSON list when a tag itself holds ``|``.

    >>> encode_tags(["primary care", "north"]), encode_tags(["a|b"])
    ('primary care|north', '["a|b"]')
    """
    joined = "|".join(tags)
    if any("|" in t for t in tags) or joined.startswith("["):
        return json.dumps(list(tags), ensure_ascii=False)
    return joined


def decode_tags(text: str) -> tuple[str, ...]:
    """The tags :func:`encode_tags` wrote (or anyone's ``a|b|c``).

    >>> decode_tags("primary care| north|"), decode_tags('["a|b"]')
    (('primary care', 'north'), ('a|b',))
    """
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, list) and all(isinstance(t, str) for t in value):
            return tuple(value)
    return tuple(t.strip() for t in text.split("|") if t.strip())


def _scale(text: str, what: str) -> int:
    value = text.strip()
    if not value:
        return 3
    match = re.fullmatch(r"([+-]?\d+)(\.0*)?", value)
    if match and 1 <= int(match.group(1)) <= 5:
        return int(match.group(1))
    raise _Bad(
        f"{value!r} is not a whole number from 1 to 5",
        f"write the {what} as 1, 2, 3, 4 or 5 (blank means 3)",
    )


def _yes_no(text: str, what: str) -> bool:
    value = text.strip().lower()
    if not value or value in _NO:
        return False
    if value in _YES:
        return True
    raise _Bad(
        f"{text.strip()!r} is not yes or no", f"write yes, or no (or leave it blank) for {what}"
    )


def _day(text: str) -> date | None:
    value = text.strip()
    if not value:
        return None
    for parse in (date.fromisoformat, lambda v: datetime.strptime(v, "%d/%m/%Y").date()):
        try:
            return parse(value)
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]00:00(:00)?", value):
        return date.fromisoformat(value[:10])
    raise _Bad(
        f"{value!r} is not a date", "write it as YYYY-MM-DD (or DD/MM/YYYY), or leave it blank"
    )


def _given(text: str) -> str:
    """An ID exactly as written, or "" when the cell is blank."""
    return text if text.strip() else ""


def _perspective_key(text: str) -> str:
    return " ".join(text.replace(" and ", " & ").casefold().split())


def _stable_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:10]}"


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


class _Vocab:
    """The map's perspectives and relationship types, growing as the import allows."""

    def __init__(self, perspectives: Sequence[str], types: Sequence[str], add: bool) -> None:
        self.perspectives = list(perspectives)
        self.types = list(types)
        self.add = add

    def perspective(self, text: str) -> str:
        value = text.strip()
        if not value and "other" not in self.perspectives and not self.add:
            allowed = ", ".join(self.perspectives)
            raise _Bad(
                "the perspective is blank and this map has no 'other' perspective",
                f"choose one of: {allowed}",
            )
        value = value or "other"
        for key in (lambda p: p, str.casefold, _perspective_key):
            hits = [p for p in self.perspectives if key(p) == key(value)]
            if hits:
                return hits[0]
        if self.add:
            self.perspectives.append(value)
            return value
        allowed = ", ".join(self.perspectives)
        raise _Bad(
            f"{value!r} is not one of the map's perspectives ({allowed})",
            "use one of those, or import with 'add unknown perspectives' ticked",
        )

    def relationship_type(self, text: str) -> str:
        value = text.strip().lower() or "collaborates"
        if value in self.types:
            return value
        spaced = " ".join(value.split())
        hits = [t for t in self.types if " ".join(t.split()) == spaced]
        if hits:
            return hits[0]
        self.types.append(value)
        return value


def _read_stakeholders(
    records: Sequence[Record],
    vocab: _Vocab,
    unit: str,
    keep_blank: bool,
    problems: list[str],
) -> tuple[list[Stakeholder], dict[str, list[str]], set[str]]:
    """Stakeholders, plus name -> ids and all ids of every named row (parsed or not)."""
    if not records:
        return [], {}, set()
    headers = list(dict.fromkeys(h for r in records for h in r.values))
    columns = _match_columns(headers, STAKEHOLDER_COLUMNS)
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
    people: list[Stakeholder] = []
    names: dict[str, list[str]] = defaultdict(list)
    for record, cell in rows:
        name = cell["name"].strip()
        sid = _given(cell.get("id", ""))
        if not sid:
            sid = _stable_id("s", name.casefold())
            if sid in taken:
                sid = _stable_id("s", name.casefold(), record.label)
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
        values: dict[str, object] = {}
        bad = False
        for fname, parse in (
            ("perspective", vocab.perspective),
            ("influence", lambda t: _scale(t, "influence")),
            ("interest", lambda t: _scale(t, "interest")),
            ("stance", _stance),
            ("coalition", lambda t: _yes_no(t, "coalition")),
            ("tags", decode_tags),
            ("review_by", _day),
        ):
            try:
                values[fname] = parse(cell.get(fname, ""))
            except _Bad as err:
                problems.append(f"{where}, {unit} {columns[fname]}: {err.problem}; fix: {err.fix}.")
                bad = True
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
    return people, names, taken


def _stance(text: str) -> Stance:
    try:
        return Stance.parse(text)
    except ValidationError:
        choices = ", ".join(s.value for s in Stance)
        raise _Bad(f"{text.strip()!r} is not a stance", f"use one of: {choices}") from None


def _endpoint(cell: dict[str, str], end: str, ids: set[str], names: Mapping[str, list[str]]) -> str:
    """The id of the stakeholder at one end of a relationship row; raises ``_Bad``."""
    by_id = _given(cell.get(f"{end}_id", ""))
    if by_id:
        for candidate in (by_id, by_id.strip()):
            if candidate in ids:
                return candidate
        raise _Bad(
            f"no stakeholder has the ID {by_id!r}",
            "correct the ID, or clear it and name the stakeholder in the next column",
        )
    raw = cell.get(end, "")
    value = raw.strip()
    if not value:
        raise _Bad("the stakeholder is missing", "give the name or ID of a stakeholder")
    for candidate in (raw, value):
        if candidate in ids:
            return candidate
    hits = names.get(value.casefold(), [])
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise _Bad(
            f"{value!r} matches {len(hits)} stakeholders ({', '.join(hits)})",
            "use the ID of the one you mean",
        )
    close = difflib.get_close_matches(value.casefold(), list(names), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise _Bad(
        f"no stakeholder called {value!r}",
        f"{hint}add them to the stakeholders first, or correct the name",
    )


def _read_relationships(
    records: Sequence[Record],
    ids: set[str],
    names: Mapping[str, list[str]],
    vocab: _Vocab,
    unit: str,
    keep_blank: bool,
    problems: list[str],
) -> list[Relationship]:
    if not records:
        return []
    headers = list(dict.fromkeys(h for r in records for h in r.values))
    columns = _match_columns(headers, RELATIONSHIP_COLUMNS)
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
            except _Bad as err:
                header = columns.get(f"{end}_id") if cell.get(f"{end}_id", "").strip() else None
                header = header or columns.get(end) or columns[f"{end}_id"]
                problems.append(f"{where}, {unit} {header}: {err.problem}; fix: {err.fix}.")
                bad = True
        for fname, parse in (
            ("type", vocab.relationship_type),
            ("strength", lambda t: _scale(t, "strength")),
            ("directed", lambda t: _yes_no(t, "directed")),
            ("last_confirmed", _day),
        ):
            try:
                values[fname] = parse(cell.get(fname, ""))
            except _Bad as err:
                problems.append(f"{where}, {unit} {columns[fname]}: {err.problem}; fix: {err.fix}.")
                bad = True
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
            rid = _stable_id("r", *triple, str(seen[triple]))
            while rid in given:
                rid = _stable_id("r", rid)
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
    vocab = _Vocab(perspectives, relationship_types, add_unknown_perspectives)
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


# --- Reading tables -----------------------------------------------------------------------


def _letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based index: 0 -> A, 26 -> AA."""
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


def _delimiter(text: str) -> str:
    """The separator of a CSV text: ',', ';' or tab, whichever the header line uses most."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    line = re.sub(r'"[^"]*"', "", line)
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_records(data: bytes, filename: str, limits: Limits) -> list[Record]:
    limits.check_bytes(data, filename)
    text = decode_text(data, filename)
    first, _, rest = text.partition("\n")
    if re.fullmatch(r"sep=.\r?", first.lower()):
        delimiter, text = first[4], rest
    else:
        delimiter = _delimiter(text)
    try:
        rows = list(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1))
    except csv.Error as err:
        msg = f"{filename} could not be read as CSV ({err}); save it again as CSV from your spreadsheet."
        raise FormatError(msg) from None
    return _records(filename, rows, limits)


def _cell_text(value: object) -> str:
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


def _workbook(data: bytes, filename: str, limits: Limits) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    open_zip(data, filename, limits).close()
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        msg = (
            f"{filename} is not an Excel workbook (.xlsx) that can be read; save it again as .xlsx."
        )
        raise FormatError(msg) from None


def _sheet_records(ws: Any, source: str, limits: Limits) -> list[Record]:
    """Records of one sheet; stops after 1,000 blank rows (formatted but empty areas)."""
    rows: list[tuple[int, list[str]]] = []
    blank = 0
    for n, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if not any(c.strip() for c in cells):
            blank += 1
            if blank > 1000:
                break
            continue
        blank = 0
        rows.append((n, cells))
        limits.check_rows(len(rows) - 1, source)
    return _records(source, rows, limits)


def _settings(records: Sequence[Record]) -> dict[str, list[str]]:
    """Rows of a Map sheet or map.csv (Field, Value), by field: name, description,
    perspective, relationship type; a field may repeat."""
    out: dict[str, list[str]] = {}
    for record in records:
        values = list(record.values.values())
        key = _norm(values[0]).removeprefix("map ") if len(values) > 1 else ""
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
        read = {n: archive.read(n) for n in (people_member, ties_member, map_member) if n}
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
    wb = _workbook(data, filename, limits)
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


# --- Writing ------------------------------------------------------------------------------

Cell = str | int | date | None


def _custom_headers(keys: Sequence[str], columns: Sequence[Column]) -> dict[str, str]:
    """Custom field name -> header; prefixed with ``custom.`` when it could be misread."""
    taken = {_norm(c.header) for c in columns} | {n for c in columns for n in c.synonyms}
    out = {}
    for key in keys:
        plain = (
            key
            and key == key.strip()
            and _norm(key) not in taken
            and not key.lower().startswith(CUSTOM_PREFIX)
            and neutralise_formula(key) == key
            and not re.fullmatch(r"Column [A-Z]+|.* \(\d+\)", key)
        )
        out[key] = key if plain else CUSTOM_PREFIX + key
    return out


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _stakeholder_table(m: Map) -> tuple[list[str], list[list[Cell]]]:
    keys = list(dict.fromkeys(k for s in m.stakeholders for k in s.custom))
    custom = _custom_headers(keys, STAKEHOLDER_COLUMNS)
    headers = [c.header for c in STAKEHOLDER_COLUMNS] + [custom[k] for k in keys]
    rows = [
        [
            s.id,
            s.name,
            s.organisation,
            s.role,
            s.perspective,
            s.influence,
            s.interest,
            s.stance.value,
            _yes(s.coalition),
            encode_tags(s.tags),
            s.review_by,
            s.notes,
            *(s.custom.get(k, "") for k in keys),
        ]
        for s in m.stakeholders
    ]
    return headers, rows


def _relationship_table(m: Map) -> tuple[list[str], list[list[Cell]]]:
    names = m.names()
    keys = list(dict.fromkeys(k for r in m.relationships for k in r.custom))
    custom = _custom_headers(keys, RELATIONSHIP_COLUMNS)
    headers = [c.header for c in RELATIONSHIP_COLUMNS] + [custom[k] for k in keys]
    rows = [
        [
            r.id,
            r.source,
            names.get(r.source, ""),
            r.target,
            names.get(r.target, ""),
            r.type,
            r.strength,
            _yes(r.directed),
            r.how_we_know,
            r.last_confirmed,
            r.notes,
            *(r.custom.get(k, "") for k in keys),
        ]
        for r in m.relationships
    ]
    return headers, rows


def _map_table(m: Map) -> tuple[list[str], list[list[Cell]]]:
    rows: list[list[Cell]] = [["Name", m.name], ["Description", m.description]]
    rows += [["Perspective", p] for p in m.perspectives]
    rows += [["Relationship type", t] for t in m.relationship_types]
    return ["Field", "Value"], rows


def _csv_cell(value: Cell) -> str | int:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return neutralise_formula(value) if isinstance(value, str) else value


def _csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in [headers, *rows]:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


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
        "Text starting with = + - @ gets a leading ' so spreadsheets do not run it as a formula.",
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
