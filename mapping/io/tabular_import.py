"""Spreadsheets as people really have them: one or several files, matched by meaning.

The import page and the command line read CSV files, zips of CSV files and Excel workbooks
through here, in three steps:

1. :func:`gather` reads one or several files into :class:`Tables`: the rows of people, the
   rows of relationships and the map's own settings. Sheets are recognised by name
   (People, Nodes, Elements, Stakeholders; Links, Edges, Connections, Ties, Relationships;
   Map), CSV files and unnamed sheets by their columns (a Name column holds people; From
   and To columns hold relationships), so a people file and a links file, a folder's worth
   of CSVs or a workbook with sheets "People" and "Links" make one map.
2. :func:`find_unknowns` lists the values the map does not know (perspectives, stances,
   relationship types, coalition and direction yes/no words), each with its rows and a
   suggestion (:mod:`mapping.io.matching`); the user's choices say what each one means.
3. :func:`read_tables` reads the map with those choices. With ``skip_bad_rows`` the rows
   that cannot be read are left out and returned with their problems
   (:func:`refused_files` writes them back as CSV to fix); otherwise any problem refuses
   the whole import, as before.

A file of relationships alone (From and To, no Name column) makes its people from the names
it mentions, each tagged :data:`ADDED_TAG` and due for review today, so that someone fills
in who they are. A new map's vocabulary comes from the file (its Map sheet, or the
perspectives it uses) and the defaults, never from another map; a merge reads with the
vocabulary of the map merged into.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TypedDict

from mapping.errors import MappingError
from mapping.io import matching
from mapping.io.cells import CellError, MapVocabulary, parse_yes_no
from mapping.io.columns import (
    PROBLEM_COLUMN,
    RELATIONSHIP_COLUMNS,
    STAKEHOLDER_COLUMNS,
    match_columns,
)
from mapping.io.records import Record, Refused, records_to_map, records_to_partial_map
from mapping.io.tabular_gather import (
    LINK_SHEETS,
    PEOPLE_SHEETS,
    Tables,
    gather,
)
from mapping.io.tabular_write import write_table_csv
from mapping.model import (
    DEFAULT_PERSPECTIVES,
    DEFAULT_RELATIONSHIP_TYPES,
    Map,
    Stakeholder,
    Stance,
)

__all__ = [
    "ADDED_TAG",
    "PEOPLE_SHEETS",
    "LINK_SHEETS",
    "TABULAR_FORMATS",
    "Tables",
    "Outcome",
    "gather",
    "vocabulary",
    "find_unknowns",
    "read_tables",
    "refused_files",
    "unmatched",
]

#: The tag of people made from the names a file of relationships mentions.
ADDED_TAG = "added from import"
#: The formats (see :mod:`mapping.io.formats`) read through this module.
TABULAR_FORMATS = ("csv", "csv-zip", "excel")


@dataclass(frozen=True)
class Outcome:
    """The map read, and the rows left out with their problems (none unless asked)."""

    map: Map
    refused: tuple[Refused, ...] = ()


class _MapOptions(TypedDict):
    """What :func:`read_tables` passes on to ``records_to_map`` (or its partial twin)."""

    name: str
    description: str
    perspectives: tuple[str, ...]
    relationship_types: tuple[str, ...]
    add_unknown_perspectives: bool
    known: tuple[Stakeholder, ...]


def vocabulary(tables: Tables, into: Map | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The perspectives and relationship types to read with: the map merged ``into``'s, or,
    for a new map, the Map sheet's (when it lists them) or the defaults; never another map's.

    >>> vocabulary(Tables(settings={"perspective": ["GP", "Council"]}))[0]
    ('GP', 'Council')
    >>> vocabulary(Tables(), Map(name="M", perspectives=("a",), relationship_types=()))
    (('a',), ())
    """
    if into is not None:
        return into.perspectives, into.relationship_types
    types = tables.settings.get(
        "relationship type", [] if tables.settings else DEFAULT_RELATIONSHIP_TYPES
    )
    return tuple(tables.settings.get("perspective") or DEFAULT_PERSPECTIVES), tuple(types)


#: For each kind of value: which rows hold it, and the field (column) it is in.
_FIELDS = (
    ("perspective", "people", "perspective"),
    ("stance", "people", "stance"),
    ("coalition", "people", "coalition"),
    ("type", "ties", "type"),
    ("directed", "ties", "directed"),
)


def _is_known(kind: str, value: str, vocab: MapVocabulary) -> bool:
    """Whether the map reads ``value`` (non-blank) of this kind without a choice."""
    if kind == "perspective":
        return vocab.find_perspective(value) is not None
    if kind == "type":
        return vocab.find_type(value) is not None
    if kind == "stance":
        try:
            Stance.parse(value)
        except MappingError:
            return False
        return True
    try:
        parse_yes_no(value, kind)
    except CellError:
        return False
    return True


def _cells(tables: Tables, rows: str, fname: str) -> list[tuple[Record, str]]:
    """(record, header) of every row with a cell for this field."""
    records = tables.people if rows == "people" else tables.ties
    spec = STAKEHOLDER_COLUMNS if rows == "people" else RELATIONSHIP_COLUMNS
    out: list[tuple[Record, str]] = []
    by_source: dict[str, list[Record]] = {}
    for r in records:
        by_source.setdefault(r.source, []).append(r)
    for source_records in by_source.values():
        header = match_columns(list(source_records[0].values), spec).get(fname)
        if header is not None:
            out.extend((r, header) for r in source_records)
    return out


def find_unknowns(
    tables: Tables, perspectives: Sequence[str], relationship_types: Sequence[str]
) -> list[matching.Unknown]:
    """Each value the map does not know, by kind then first appearance, with its row count
    and a suggestion.

    >>> t = gather([("p.csv", b"Name,Sector,In coalition\\nAnn,Social care,Yes\\nBo,social  care,core\\n")])
    >>> for u in find_unknowns(t, DEFAULT_PERSPECTIVES, DEFAULT_RELATIONSHIP_TYPES):
    ...     print(u.kind, repr(u.value), u.rows, u.suggestion)
    perspective 'Social care' 2 local authority & social care
    coalition 'core' 1 yes
    """
    vocab = MapVocabulary(perspectives, relationship_types, add=False)
    found: dict[tuple[str, str], list] = {}
    for kind, rows, fname in _FIELDS:
        for record, header in _cells(tables, rows, fname):
            value = record.values.get(header, "")
            if not value.strip() or _is_known(kind, value, vocab):
                continue
            entry = found.setdefault((kind, matching.match_key(value)), [value.strip(), 0])
            entry[1] += 1
    return [
        matching.Unknown(
            kind,
            value,
            count,
            matching.suggest(
                kind, value, matching.known_values(kind, perspectives, relationship_types)
            ),
        )
        for (kind, _), (value, count) in found.items()
    ]


def _apply_choices(
    tables: Tables, choices: matching.Choices
) -> tuple[list[Record], list[Record], list[str]]:
    """People and ties rows with each matched value replaced by its choice, and the
    perspectives to add (values chosen to be kept as new)."""
    changed: dict[Record, dict[str, str]] = {}
    added: list[str] = []
    for kind, rows, fname in _FIELDS:
        chosen = choices.get(kind, {})
        if not chosen:
            continue
        for record, header in _cells(tables, rows, fname):
            value = record.values.get(header, "")
            choice = chosen.get(matching.match_key(value)) if value.strip() else None
            if choice is None:
                continue
            if choice == matching.ADD:
                if kind == "perspective" and all(
                    matching.match_key(a) != matching.match_key(value) for a in added
                ):
                    added.append(" ".join(value.split()))
                continue
            changed.setdefault(record, dict(record.values))[header] = choice

    def rebuilt(records: list[Record]) -> list[Record]:
        return [replace(r, values=changed[r]) if r in changed else r for r in records]

    return rebuilt(tables.people), rebuilt(tables.ties), added


def _people_from_ties(ties: Sequence[Record], today: date) -> list[Record]:
    """A row for each stakeholder the relationships name (by name, or by ID alone), tagged
    :data:`ADDED_TAG` and due for review ``today``.

    >>> rows = _people_from_ties([Record("t.csv", "Row 2", {"From": "Ann", "To": "bo"}),
    ...                           Record("t.csv", "Row 3", {"From": "ANN", "To": "Cy"})],
    ...                          date(2026, 1, 31))
    >>> [(r.label, r.values["Name"]) for r in rows], rows[0].values["Review by"]
    ([('Person 1', 'Ann'), ('Person 2', 'bo'), ('Person 3', 'Cy')], '2026-01-31')
    """
    seen: dict[str, dict[str, str]] = {}
    for record in ties:
        columns = match_columns(list(record.values), RELATIONSHIP_COLUMNS)
        for end in ("source", "target"):
            by_id = record.values.get(columns.get(f"{end}_id", ""), "").strip()
            name = record.values.get(columns.get(end, ""), "").strip()
            if by_id:
                seen.setdefault(f"id:{by_id}", {"ID": by_id, "Name": name or by_id})
            elif name:
                seen.setdefault(f"name:{name.casefold()}", {"Name": name})
    source = f"people named in {ties[0].source}" if ties else "people"
    return [
        Record(
            source,
            f"Person {i}",
            {**values, "Tags": ADDED_TAG, "Review by": today.isoformat()},
        )
        for i, values in enumerate(seen.values(), 1)
    ]


def _new_map_perspectives(m: Map, base: Sequence[str], added: Sequence[str]) -> Map:
    """A new map keeps the default perspectives unless the file brings its own: then only
    the defaults it uses, and its own."""
    used = {s.perspective for s in m.stakeholders}
    own = [p for p in m.perspectives if p not in base]
    if not own and not added:
        return m
    kept = [p for p in base if p in used]
    return replace(m, perspectives=tuple(dict.fromkeys([*kept, *own])))


def read_tables(
    tables: Tables,
    *,
    into: Map | None = None,
    choices: matching.Choices | None = None,
    add_unknown_perspectives: bool = False,
    skip_bad_rows: bool = False,
    name: str | None = None,
    today: date | None = None,
) -> Outcome:
    """The map the tables hold, read with the vocabulary of the map merged ``into`` (or,
    for a new map, :func:`vocabulary`), each unknown value read as ``choices`` say.

    ``skip_bad_rows`` leaves out the rows that cannot be read (and the relationships of
    people left out), returning them in :attr:`Outcome.refused`; otherwise any problem
    raises one ``ValidationError``.

    >>> t = gather([("links.csv", b"From,To,Type\\nAnn,Bo,Partnership\\nBo,Cy,funds\\n")])
    >>> out = read_tables(t, choices={"type": {"partnership": "collaborates"}},
    ...                   today=date(2026, 1, 31))
    >>> [(s.name, s.tags, str(s.review_by)) for s in out.map.stakeholders][:1]
    [('Ann', ('added from import',), '2026-01-31')]
    >>> [r.type for r in out.map.relationships]
    ['collaborates', 'funds']
    """
    perspectives, types = vocabulary(tables, into)
    people, ties, added = _apply_choices(tables, choices or {})
    known: tuple[Stakeholder, ...] = ()
    if not people and ties:
        people = _people_from_ties(ties, today or date.today())
        if into is not None:  # a merge: the map's own people are named, never made again
            known = into.stakeholders
            names = {s.name.casefold() for s in known} | {s.id for s in known}
            people = [
                r
                for r in people
                if r.values["Name"].casefold() not in names and r.values.get("ID") not in names
            ]
    options: _MapOptions = {
        "name": name or tables.name,
        "description": (tables.settings.get("description") or [""])[0],
        "perspectives": (*perspectives, *added),
        "relationship_types": types,
        "add_unknown_perspectives": add_unknown_perspectives,
        "known": known,
    }
    if skip_bad_rows:
        m, refused = records_to_partial_map(people, ties, **options)
    else:
        m, refused = records_to_map(people, ties, **options), ()
    if into is None and not tables.settings.get("perspective"):
        m = _new_map_perspectives(m, perspectives, added)
    originals = {(r.source, r.label): r for r in (*tables.people, *tables.ties)}
    refused = tuple(
        replace(r, record=originals.get((r.record.source, r.record.label), r.record))
        for r in refused
    )
    return Outcome(m, refused)


def refused_files(tables: Tables, refused: Sequence[Refused]) -> list[tuple[str, bytes]]:
    """The refused rows as CSV files to fix and import again: one per file (or sheet) they
    came from, with its columns and a :data:`~mapping.io.columns.PROBLEM_COLUMN` last (which
    reading ignores, so a fixed file imports as it is).

    >>> t = gather([("people.csv", b"Name,Power\\nAnn,4\\nBo,high\\n")])
    >>> files = refused_files(t, read_tables(t, skip_bad_rows=True).refused)
    >>> [(n, d.decode("utf-8-sig").splitlines()[1][:12]) for n, d in files]
    [('people-refused.csv', 'Bo,high,"col')]
    """
    out = []
    by_source: dict[str, list[Refused]] = {}
    for r in refused:
        by_source.setdefault(r.record.source, []).append(r)
    for source, rows in by_source.items():
        headers = tables.headers.get(source) or list(rows[0].record.values)
        table = [[r.record.values.get(h, "") for h in headers] + [r.problem] for r in rows]
        stem = re.sub(r"[^A-Za-z0-9]+", "-", re.sub(r"\.csv\b", "", source, flags=re.I))
        out.append(
            (
                f"{stem.strip('-').lower() or 'rows'}-refused.csv",
                write_table_csv([*headers, PROBLEM_COLUMN], table),
            )
        )
    return out


def unmatched(
    unknowns: Sequence[matching.Unknown],
    choices: matching.Choices,
    kinds: Sequence[str] = ("stance", "coalition", "directed"),
) -> str | None:
    """One problem naming every unknown value of ``kinds`` without a choice, with the
    ``--match`` flags that would read them as suggested; ``None`` when there is none.

    >>> u = [matching.Unknown("stance", "Ally", 3, "supporter"),
    ...      matching.Unknown("stance", "Maybe", 1, None)]
    >>> print(unmatched(u, {"stance": {"maybe": ""}}))
    The file uses a value Coalition Mapper does not know: stance 'Ally' (3 rows); fix: say what it means with --match KIND:VALUE=MEANING, for example --match 'stance:Ally=supporter' (nothing after = reads it as blank).
    >>> unmatched(u, {"stance": {"ally": "supporter", "maybe": ""}}) is None
    True
    """
    left = [u for u in unknowns if u.kind in kinds and u.key not in choices.get(u.kind, {})]
    if not left:
        return None
    shown = [
        f"{matching.KIND_LABELS[u.kind].lower()} {u.value!r} ({u.rows} row{'s' if u.rows > 1 else ''})"
        for u in left[:8]
    ]
    more = f" and {len(left) - 8} more" if len(left) > 8 else ""
    examples = " ".join(f"--match '{u.kind}:{u.value}={u.suggestion or ''}'" for u in left[:3])
    several = len(left) > 1
    return (
        f"The file uses {'values' if several else 'a value'} Coalition Mapper does not know: "
        f"{', '.join(shown)}{more}; fix: say what {'each' if several else 'it'} means with "
        f"--match KIND:VALUE=MEANING, for example {examples} (nothing after = reads it as blank)."
    )
