"""Relationship rows read into relationships: each end found by ID or name."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from mapping.io.cells import CellError, MapVocabulary
from mapping.io.columns import RELATIONSHIP_COLUMNS, match_columns
from mapping.io.record_cells import custom_values, field_parsers, parse_cells
from mapping.io.record_rows import Problems, Record, as_given, name_rows, stable_id
from mapping.model import Relationship

__all__ = ["read_relationships", "endpoint"]

#: Fields read otherwise than from one cell each.
_OWN_WAY = ("id", "source", "target", "custom")


def endpoint(
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
    by_id = as_given(cell.get(f"{end}_id", ""))
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


def read_relationships(
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
    parsers = field_parsers(Relationship, vocab, _OWN_WAY)
    seen: dict[tuple[str, str, str], int] = defaultdict(int)
    given = {as_given(r.values.get(columns.get("id", ""), "")) for r in records} - {""}
    ties: list[Relationship] = []
    rid_rows: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if not any(map(str.strip, record.values.values())):
            continue
        cell = {f: record.values.get(h, "") for f, h in columns.items()}
        where = f"{record.source}: {record.label}"
        values: dict[str, Any] = {}  # each field of its own type (see parse_cells)
        bad = False
        for end in ("source", "target"):
            try:
                values[end] = endpoint(cell, end, ids, names, left_out)
            except CellError as err:
                header = columns.get(f"{end}_id") if cell.get(f"{end}_id", "").strip() else None
                header = header or columns.get(end) or columns[f"{end}_id"]
                problems.add(f"{where}, {unit} {header}: {err.problem}; fix: {err.fix}.", record)
                bad = True
        parsed, failed = parse_cells(record, cell, parsers, columns, unit, problems)
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
        rid = as_given(cell.get("id", ""))
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
                custom=custom_values(record, used, keep_blank),
                **values,
            )
        )
    for rid, copies in rid_rows.items():
        if len(copies) > 1:
            problems.add(
                f"{name_rows(copies)}, {unit} {columns['id']}: the ID {rid!r} is used "
                f"{len(copies)} times; fix: give each relationship its own ID.",
                *copies,
                short=f"{unit} {columns['id']}: the ID {rid!r} is used {len(copies)} times; "
                "fix: give each relationship its own ID.",
            )
    return ties
