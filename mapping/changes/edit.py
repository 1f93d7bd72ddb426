"""Edits users make in forms and tables, applied to a map as pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date, datetime
from typing import Any, get_args

import pandas as pd

from mapping.errors import ValidationError
from mapping.model import Map, Relationship, Stakeholder, new_id, validate_map
from mapping.model.fields import field_types

__all__ = [
    "STAKEHOLDER_COLUMNS",
    "RELATIONSHIP_COLUMNS",
    "stakeholder_labels",
    "stakeholders_frame",
    "relationships_frame",
    "add_stakeholder",
    "add_relationship",
    "apply_stakeholder_edits",
    "apply_relationship_edits",
]

# Table column -> model field, in the order the tables show them.
STAKEHOLDER_COLUMNS: dict[str, str] = {
    "Name": "name",
    "Organisation": "organisation",
    "Role": "role",
    "Perspective": "perspective",
    "Influence": "influence",
    "Interest": "interest",
    "Stance": "stance",
    "In coalition": "coalition",
    "Tags": "tags",
    "Review by": "review_by",
    "Notes": "notes",
}
RELATIONSHIP_COLUMNS: dict[str, str] = {
    "From": "source",
    "To": "target",
    "Type": "type",
    "Strength": "strength",
    "Directed": "directed",
    "How we know": "how_we_know",
    "Last confirmed": "last_confirmed",
    "Notes": "notes",
}
_ENDPOINTS = ("source", "target")


def stakeholder_labels(m: Map) -> dict[str, str]:
    """Stakeholder id -> a label unique within the map, for pickers and tables.

    A name shared by several people gets their organisation (or id) in brackets.

    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Sam", "ICB"),
    ...                                 Stakeholder("b", "Sam", "Council"),
    ...                                 Stakeholder("c", "Jo")))
    >>> list(stakeholder_labels(m).values())
    ['Sam (ICB)', 'Sam (Council)', 'Jo']
    """
    counts: dict[str, int] = {}
    for s in m.stakeholders:
        counts[s.name.casefold()] = counts.get(s.name.casefold(), 0) + 1
    labels: dict[str, str] = {}
    used: set[str] = set()  # labels.values() as a set: 50,000 people took 30 s without it
    for s in m.stakeholders:
        label = s.name
        if counts[s.name.casefold()] > 1:
            label = f"{s.name} ({s.organisation or s.id})"
        if label in used:
            label = f"{s.name} [{s.id}]"
        labels[s.id] = label
        used.add(label)
    return labels


def stakeholders_frame(m: Map) -> pd.DataFrame:
    """One row per stakeholder, in map order, with the table's columns."""
    rows = [
        {column: _display(getattr(s, name)) for column, name in STAKEHOLDER_COLUMNS.items()}
        for s in m.stakeholders
    ]
    return pd.DataFrame(rows, columns=list(STAKEHOLDER_COLUMNS))


def relationships_frame(m: Map) -> pd.DataFrame:
    """One row per relationship, in map order, endpoints shown by label."""
    labels = stakeholder_labels(m)
    rows = []
    for r in m.relationships:
        row = {column: _display(getattr(r, name)) for column, name in RELATIONSHIP_COLUMNS.items()}
        row["From"], row["To"] = labels[r.source], labels[r.target]
        rows.append(row)
    return pd.DataFrame(rows, columns=list(RELATIONSHIP_COLUMNS))


def _display(value: Any) -> Any:
    if isinstance(value, tuple):
        return " | ".join(value)
    if hasattr(value, "value") and not isinstance(value, bool | int):
        return value.value
    return value


def add_stakeholder(m: Map, **values: Any) -> Map:
    """A copy of ``m`` with one new stakeholder (fresh id); checked before it is returned.

    >>> m = add_stakeholder(Map(name="M"), name="Dr Asha Patel", perspective="clinical")
    >>> [s.name for s in m.stakeholders]
    ['Dr Asha Patel']
    """
    person = _stakeholder(values.pop("id", None) or new_id("s"), values, "The new stakeholder")
    clash = [
        s.name
        for s in m.stakeholders
        if s.name.casefold() == person.name.casefold()
        and s.organisation.casefold() == person.organisation.casefold()
    ]
    if clash:
        msg = (
            f"{person.name!r} of {person.organisation or 'no organisation'} is already on the "
            "map; edit them in the table instead, or add the organisation to tell them apart."
        )
        raise ValidationError(msg)
    out = replace(m, stakeholders=(*m.stakeholders, person))
    validate_map(out)
    return out


def add_relationship(m: Map, **values: Any) -> Map:
    """A copy of ``m`` with one new relationship (fresh id); checked before it is returned."""
    tie = _relationship(values.pop("id", None) or new_id("r"), values, "The new relationship")
    out = replace(m, relationships=(*m.relationships, tie))
    validate_map(out)
    return out


def _stakeholder(sid: str, values: Mapping[str, Any], where: str) -> Stakeholder:
    known = {f.name for f in fields(Stakeholder)}
    unknown = set(values) - known
    if unknown:
        msg = f"{where}: unknown fields {sorted(unknown)}."
        raise ValidationError(msg)
    clean = {k: _clean(k, v, where) for k, v in values.items()}
    try:
        return Stakeholder(id=sid, **clean)
    except ValidationError as err:
        raise ValidationError([f"{where}: {_after_owner(p)}" for p in err.problems]) from None


def _relationship(rid: str, values: Mapping[str, Any], where: str) -> Relationship:
    clean = {k: _clean(k, v, where) for k, v in values.items()}
    for end in _ENDPOINTS:
        if not clean.get(end):
            msg = f"{where}: choose who the relationship is {'from' if end == 'source' else 'to'}."
            raise ValidationError(msg)
    try:
        return Relationship(id=rid, **clean)
    except ValidationError as err:
        raise ValidationError([f"{where}: {_after_owner(p)}" for p in err.problems]) from None


def _after_owner(problem: str) -> str:
    """Drop the model's own "Stakeholder 'x': " prefix: the caller names the row instead."""
    head, sep, tail = problem.partition(": ")
    return tail if sep and head.split(" ", 1)[0] in ("Stakeholder", "Relationship") else problem


#: Every editable field of either kind by its declared type (ids and ends are looked up).
_HINTS = {
    name: hint
    for kind in (Stakeholder, Relationship)
    for name, hint in field_types(kind).items()
    if name not in ("id", "source", "target")
}
_INT_FIELDS = {name for name, hint in _HINTS.items() if hint is int}
_BOOL_FIELDS = {name for name, hint in _HINTS.items() if hint is bool}
_DATE_FIELDS = {name for name, hint in _HINTS.items() if date in get_args(hint)}
_TEXT_FIELDS = {name for name, hint in _HINTS.items() if hint is str}


def _clean(name: str, value: Any, where: str) -> Any:
    """Turn what a table cell or form holds into the model's value for ``name``."""
    missing = value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA
    if name in _INT_FIELDS:
        if missing or str(value).strip() == "":
            msg = f"{where}: {name} is empty; give a whole number from 1 to 5."
            raise ValidationError(msg)
        try:
            number = float(str(value).strip())
        except ValueError:
            msg = f"{where}: {name} {value!r} is not a number; give a whole number from 1 to 5."
            raise ValidationError(msg) from None
        if not number.is_integer():
            msg = f"{where}: {name} {value!r} is not a whole number; give 1, 2, 3, 4 or 5."
            raise ValidationError(msg)
        return int(number)
    if name in _BOOL_FIELDS:
        if missing:
            return False
        if isinstance(value, str):
            return value.strip().lower() in ("yes", "y", "true", "1", "x")
        return bool(value)
    if name in _DATE_FIELDS:
        if missing or str(value).strip() == "":
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            msg = f"{where}: {name.replace('_', ' ')} {value!r} is not a date; use YYYY-MM-DD."
            raise ValidationError(msg) from None
    if name == "tags":
        return () if missing else value
    if name in _TEXT_FIELDS:
        return "" if missing else str(value)
    return value


def _row_values(row: Mapping[str, Any], columns: Mapping[str, str]) -> dict[str, Any]:
    return {columns[c]: v for c, v in row.items() if c in columns}


def apply_stakeholder_edits(m: Map, edits: Mapping[str, Any]) -> Map:
    """Apply a ``st.data_editor`` edit state to the stakeholder table of ``m``.

    ``edits`` has ``edited_rows`` ({row: {column: value}}), ``added_rows`` ([{column: value}])
    and ``deleted_rows`` ([row]); rows are positions in :func:`stakeholders_frame`. Every
    problem is collected, named by row, and raised together: nothing is applied then.
    Deleting a stakeholder deletes their relationships.
    """
    problems: list[str] = []
    people = list(m.stakeholders)
    for index, change in edits.get("edited_rows", {}).items():
        i = int(index)
        current = people[i]
        where = f"Row {i + 1} ({current.name})"
        values = {f.name: getattr(current, f.name) for f in fields(Stakeholder) if f.name != "id"}
        values.update(_row_values(change, STAKEHOLDER_COLUMNS))
        try:
            people[i] = _stakeholder(current.id, values, where)
        except ValidationError as err:
            problems.extend(err.problems)
    deleted = {int(i) for i in edits.get("deleted_rows", [])}
    kept = [p for i, p in enumerate(people) if i not in deleted]
    for j, row in enumerate(edits.get("added_rows", []), start=1):
        values = _row_values(row, STAKEHOLDER_COLUMNS)
        if not any(v not in (None, "") for v in values.values()):
            continue
        values.setdefault("perspective", m.perspectives[-1] if m.perspectives else "other")
        try:
            kept.append(_stakeholder(new_id("s"), values, f"New row {j}"))
        except ValidationError as err:
            problems.extend(err.problems)
    if problems:
        raise ValidationError(problems)
    out = m.with_stakeholders(kept)
    validate_map(out)
    return out


def apply_relationship_edits(m: Map, edits: Mapping[str, Any], *, today: date | None = None) -> Map:
    """Apply a ``st.data_editor`` edit state to the relationship table of ``m``.

    Endpoints arrive as labels from :func:`stakeholder_labels`; see
    :func:`apply_stakeholder_edits` for the shape of ``edits``. A new row with no date was
    last confirmed ``today`` (default: the clock's today), as the form records it; edited
    rows keep their date unless the edit changes it.
    """
    by_label = {label: sid for sid, label in stakeholder_labels(m).items()}
    problems: list[str] = []
    ties = list(m.relationships)

    def values_for(row: Mapping[str, Any], base: dict[str, Any], where: str) -> dict[str, Any]:
        values = dict(base)
        values.update(_row_values(row, RELATIONSHIP_COLUMNS))
        for end in _ENDPOINTS:
            label = values.get(end)
            if label in by_label:
                values[end] = by_label[label]
            elif label and label not in m.names():
                msg = f"{where}: unknown stakeholder {label!r}; pick someone on the map."
                raise ValidationError(msg)
        return values

    for index, change in edits.get("edited_rows", {}).items():
        i = int(index)
        current = ties[i]
        where = f"Row {i + 1}"
        base = {f.name: getattr(current, f.name) for f in fields(Relationship) if f.name != "id"}
        try:
            ties[i] = _relationship(current.id, values_for(change, base, where), where)
        except ValidationError as err:
            problems.extend(err.problems)
    deleted = {int(i) for i in edits.get("deleted_rows", [])}
    kept = [t for i, t in enumerate(ties) if i not in deleted]
    for j, row in enumerate(edits.get("added_rows", []), start=1):
        where = f"New row {j}"
        if not any(v not in (None, "") for v in row.values()):
            continue
        try:
            values = values_for(row, {}, where)
            if _clean("last_confirmed", values.get("last_confirmed"), where) is None:
                values["last_confirmed"] = today or date.today()
            kept.append(_relationship(new_id("r"), values, where))
        except ValidationError as err:
            problems.extend(err.problems)
    if problems:
        raise ValidationError(problems)
    out = m.with_relationships(kept)
    validate_map(out)
    return out
