"""A map's own vocabularies: its perspectives and relationship types, renamed, added, removed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal

from mapping.errors import ValidationError
from mapping.model import CONFLICT, Map, validate_map

__all__ = ["Vocabulary", "apply_vocabulary_edits"]

Vocabulary = Literal["perspectives", "relationship_types"]

_NOUN = {"perspectives": "perspective", "relationship_types": "relationship type"}


def _in_use(m: Map, kind: Vocabulary, value: str) -> int:
    if kind == "perspectives":
        return sum(s.perspective == value for s in m.stakeholders)
    return sum(r.type == value for r in m.relationships)


def apply_vocabulary_edits(m: Map, kind: Vocabulary, edits: Mapping[str, Any]) -> Map:
    """Apply a ``st.data_editor`` edit state (one column, ``"Name"``) to a vocabulary.

    An edited row renames the value everywhere it is used; an added row adds a value; a
    deleted row removes a value nobody uses (one in use is refused, naming how many use it).

    >>> from mapping.model import Stakeholder
    >>> m = Map("M", perspectives=("clinical", "other"),
    ...         stakeholders=(Stakeholder("a", "Ann", perspective="clinical"),))
    >>> n = apply_vocabulary_edits(m, "perspectives", {"edited_rows": {0: {"Name": "GPs"}}})
    >>> n.perspectives, n.stakeholders[0].perspective
    (('GPs', 'other'), 'GPs')
    >>> apply_vocabulary_edits(m, "perspectives", {"deleted_rows": [0]})
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: 1 stakeholder uses the perspective 'clinical'; move them to another perspective before removing it.
    """
    noun = _NOUN[kind]
    values = list(getattr(m, kind))
    renames: dict[str, str] = {}
    problems: list[str] = []
    for index, change in edits.get("edited_rows", {}).items():
        i = int(index)
        new = str(change.get("Name") or "").strip()
        if kind == "relationship_types":
            new = new.lower()
        if not new:
            problems.append(f"Row {i + 1}: a {noun} needs a name.")
            continue
        if kind == "relationship_types" and values[i] == CONFLICT and new != CONFLICT:
            problems.append(
                f"Row {i + 1}: '{CONFLICT}' is built in (it marks tension ties); add a new "
                "type instead of renaming it."
            )
            continue
        renames[values[i]] = new
        values[i] = new
    for i in sorted({int(i) for i in edits.get("deleted_rows", [])}, reverse=True):
        old = getattr(m, kind)[i]
        used = _in_use(m, kind, old)
        if used:
            who = "stakeholder" if kind == "perspectives" else "relationship"
            problems.append(
                f"{used} {who}{'s' if used != 1 else ''} use{'s' if used == 1 else ''} the {noun} "
                f"{old!r}; move them to another {noun} before removing it."
            )
        else:
            del values[i]
    for row in edits.get("added_rows", []):
        new = str(row.get("Name") or "").strip()
        if new:
            values.append(new.lower() if kind == "relationship_types" else new)
    if problems:
        raise ValidationError(problems)
    if kind == "perspectives":
        people = tuple(
            replace(s, perspective=renames.get(s.perspective, s.perspective))
            for s in m.stakeholders
        )
        out = replace(m, perspectives=tuple(values), stakeholders=people)
    else:
        ties = tuple(replace(r, type=renames.get(r.type, r.type)) for r in m.relationships)
        out = replace(m, relationship_types=tuple(values), relationships=ties)
    validate_map(out)
    return out
