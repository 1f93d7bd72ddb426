"""Stakeholder rows read into stakeholders: columns matched, names and ids checked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from mapping.io.cells import ADD_PERSPECTIVES_FIX, MapVocabulary
from mapping.io.columns import STAKEHOLDER_COLUMNS, match_columns
from mapping.io.record_cells import (
    collect,
    custom_values,
    field_parsers,
    parse_cells,
    unknown_perspectives,
)
from mapping.io.record_rows import Problems, Record, as_given, name_rows, stable_id
from mapping.model import Stakeholder

__all__ = ["read_stakeholders"]

#: Fields read otherwise than from one cell each.
_OWN_WAY = ("id", "name", "custom")


def read_stakeholders(
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
        if not any(map(str.strip, record.values.values())):
            continue
        rows.append((record, cell))
    by_name: dict[str, list[tuple[Record, str]]] = defaultdict(list)
    by_id: dict[str, list[Record]] = defaultdict(list)
    for record, cell in rows:
        sid = as_given(cell.get("id", ""))
        if sid:
            by_id[sid].append(record)
        if cell["name"].strip():
            by_name[cell["name"].strip().casefold()].append((record, sid))
    for sid, copies in by_id.items():
        if len(copies) > 1:
            problems.add(
                f"{name_rows(copies)}, {unit} {columns['id']}: the ID {sid!r} is used "
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
                f"{name_rows([r for r, _ in named])}, {unit} {columns['name']}: {name!r} appears "
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
        sid = as_given(cell.get("id", ""))
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
        values, bad = parse_cells(
            record,
            cell,
            field_parsers(Stakeholder, vocab, _OWN_WAY),
            columns,
            unit,
            problems,
            collect(unknown, record),
        )
        if not bad:
            people.append(
                Stakeholder(
                    id=sid,
                    name=name,
                    custom=custom_values(record, used, keep_blank),
                    **values,
                )
            )
    if unknown:
        column = columns.get("perspective", "Perspective")
        problems.append(unknown_perspectives(unknown, vocab.perspectives, column, unit))
        for value, rows_with in unknown.items():
            for record in rows_with:
                problems.about(
                    record,
                    f"{unit} {column}: {value!r} is not one of the map's perspectives; "
                    f"fix: {ADD_PERSPECTIVES_FIX}.",
                )
    return people, names, taken, read_from
