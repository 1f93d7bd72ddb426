"""Merging an imported map into the current one: a preview first, then a pure apply.

Stakeholders match by id, else by name (trimmed, any case, when exactly one has it);
relationships by id, else by (from, to, type) after matching their people, either way round
for mutual ties. A matched record takes the incoming fields, keeping custom fields the
incoming file does not mention; the current id, order and position stay. New perspectives
and relationship types are added. Re-importing the same file changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from mapping.errors import ConflictError
from mapping.model import Map, Relationship, Stakeholder, validate_map

__all__ = [
    "FieldChange",
    "StakeholderUpdate",
    "RelationshipUpdate",
    "ImportPlan",
    "plan_import",
    "apply_import",
]

_LONG_TEXT = {"notes", "how_we_know", "description", "custom"}


@dataclass(frozen=True)
class FieldChange:
    """One field that an import changes.

    >>> FieldChange("influence", 3, 4).describe()
    'influence 3 → 4'
    >>> FieldChange("notes", "old", "new").describe()
    'notes changed'
    """

    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        """The change in a few words."""
        label = self.field.replace("_", " ")
        if self.field in _LONG_TEXT:
            return f"{label} changed"
        return f"{label} {_show(self.old)} → {_show(self.new)}"


def _show(value: Any) -> str:
    if value is None or value == "" or value == ():
        return "(blank)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "|".join(value)
    return str(getattr(value, "value", value))


@dataclass(frozen=True)
class StakeholderUpdate:
    """A current stakeholder, what it becomes, and the fields that change."""

    current: Stakeholder
    updated: Stakeholder
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class RelationshipUpdate:
    """A current relationship, what it becomes, and the fields that change."""

    current: Relationship
    updated: Relationship
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ImportPlan:
    """What importing a map would do; nothing changes until :func:`apply_import`."""

    stakeholders_added: tuple[Stakeholder, ...] = ()
    stakeholders_updated: tuple[StakeholderUpdate, ...] = ()
    stakeholders_unchanged: tuple[str, ...] = ()
    relationships_added: tuple[Relationship, ...] = ()
    relationships_updated: tuple[RelationshipUpdate, ...] = ()
    relationships_unchanged: tuple[str, ...] = ()
    perspectives_added: tuple[str, ...] = ()
    relationship_types_added: tuple[str, ...] = ()
    positions_added: Mapping[str, tuple[float, float]] = field(default_factory=dict, hash=False)
    warnings: tuple[str, ...] = ()

    @property
    def changes_nothing(self) -> bool:
        """Whether applying the plan would leave the map as it is."""
        return not (
            self.stakeholders_added
            or self.stakeholders_updated
            or self.relationships_added
            or self.relationships_updated
            or self.perspectives_added
            or self.relationship_types_added
            or self.positions_added
        )

    def summary(self, limit: int = 10) -> str:
        """A few lines for people: the counts, then what changes for whom.

        >>> print(ImportPlan(stakeholders_unchanged=("a",)).summary())
        Stakeholders: 0 added, 0 updated, 1 unchanged.
        Relationships: 0 added, 0 updated, 0 unchanged.
        Nothing would change.
        """
        lines = [
            f"Stakeholders: {len(self.stakeholders_added)} added, "
            f"{len(self.stakeholders_updated)} updated, "
            f"{len(self.stakeholders_unchanged)} unchanged.",
            f"Relationships: {len(self.relationships_added)} added, "
            f"{len(self.relationships_updated)} updated, "
            f"{len(self.relationships_unchanged)} unchanged.",
        ]
        if self.perspectives_added:
            lines.append(f"New perspectives: {', '.join(self.perspectives_added)}.")
        if self.relationship_types_added:
            lines.append(f"New relationship types: {', '.join(self.relationship_types_added)}.")
        if self.stakeholders_added:
            lines.append("Added: " + _some([s.name for s in self.stakeholders_added], limit))
        if self.stakeholders_updated:
            shown = [
                f"{u.current.name} ({'; '.join(c.describe() for c in u.changes)})"
                for u in self.stakeholders_updated
            ]
            lines.append("Updated: " + _some(shown, limit))
        lines += list(self.warnings)
        if self.changes_nothing:
            lines.append("Nothing would change.")
        return "\n".join(lines)


def _some(items: list[str], limit: int) -> str:
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more + "."


def _free(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-imported``, ``wanted-imported-2``… if that id is taken."""
    candidate, n = wanted, 1
    while candidate in taken:
        candidate = f"{wanted}-imported" + (f"-{n}" if n > 1 else "")
        n += 1
    return candidate


def _changes(old: Any, new: Any, skip: tuple[str, ...]) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(f.name, getattr(old, f.name), getattr(new, f.name))
        for f in fields(old)
        if f.name not in skip and getattr(old, f.name) != getattr(new, f.name)
    )


def _tie_keys(r: Relationship) -> list[tuple[str, str, str]]:
    keys = [(r.source, r.target, r.type)]
    if not r.directed:
        keys.append((r.target, r.source, r.type))
    return keys


def plan_import(current: Map, incoming: Map) -> ImportPlan:
    """What importing ``incoming`` into ``current`` would add, update and leave alone.

    >>> from mapping.model import Stakeholder
    >>> cur = Map(name="M", stakeholders=(Stakeholder("a", "Ann Clark", influence=3),))
    >>> new = Map(name="M", stakeholders=(Stakeholder("x", " ann clark ", influence=4),
    ...                                   Stakeholder("b", "Bo")))
    >>> plan = plan_import(cur, new)
    >>> print(plan.summary())
    Stakeholders: 1 added, 1 updated, 0 unchanged.
    Relationships: 0 added, 0 updated, 0 unchanged.
    Added: Bo.
    Updated: Ann Clark (influence 3 → 4).
    >>> plan_import(cur, cur).changes_nothing
    True
    """
    by_id = {s.id: s for s in current.stakeholders}
    by_name: dict[str, list[str]] = {}
    for s in current.stakeholders:
        by_name.setdefault(s.name.casefold(), []).append(s.id)
    matched: set[str] = set()
    id_map: dict[str, str] = {}
    added, updated, unchanged, warnings = [], [], [], []
    perspectives = list(current.perspectives)
    positions: dict[str, tuple[float, float]] = {}
    for s in incoming.stakeholders:
        target = s.id if s.id in by_id and s.id not in matched else None
        if target is None:
            hits = [i for i in by_name.get(s.name.casefold(), []) if i not in matched]
            if len(hits) == 1:
                target = hits[0]
            elif len(hits) > 1:
                warnings.append(
                    f"{s.name!r} matches {len(hits)} stakeholders by name; it is added as a "
                    "new one. Give the file an ID column to match them."
                )
        if s.perspective not in perspectives:
            perspectives.append(s.perspective)
        if target is None:
            new_id = _free(s.id, set(by_id) | set(id_map.values()))
            id_map[s.id] = new_id
            added.append(replace(s, id=new_id))
            if s.id in incoming.positions:
                positions[new_id] = incoming.positions[s.id]
            continue
        matched.add(target)
        id_map[s.id] = target
        old = by_id[target]
        name = old.name if old.name.casefold() == s.name.casefold() else s.name
        new = replace(s, id=target, name=name, custom={**old.custom, **s.custom})
        if target not in current.positions and s.id in incoming.positions:
            positions[target] = incoming.positions[s.id]
        changes = _changes(old, new, ("id",))
        if changes:
            updated.append(StakeholderUpdate(old, new, changes))
        else:
            unchanged.append(target)
    ties = _plan_relationships(current, incoming, id_map)
    used = [r.type for r in ties[0]] + [u.updated.type for u in ties[1]]
    types = [t for t in used if t not in current.relationship_types]
    return ImportPlan(
        stakeholders_added=tuple(added),
        stakeholders_updated=tuple(updated),
        stakeholders_unchanged=tuple(unchanged),
        relationships_added=ties[0],
        relationships_updated=ties[1],
        relationships_unchanged=ties[2],
        perspectives_added=tuple(perspectives[len(current.perspectives) :]),
        relationship_types_added=tuple(dict.fromkeys(types)),
        positions_added=positions,
        warnings=tuple(warnings),
    )


def _plan_relationships(
    current: Map, incoming: Map, id_map: Mapping[str, str]
) -> tuple[tuple[Relationship, ...], tuple[RelationshipUpdate, ...], tuple[str, ...]]:
    by_id = {r.id: r for r in current.relationships}
    by_key: dict[tuple[str, str, str], list[str]] = {}
    for r in current.relationships:
        for key in _tie_keys(r):
            by_key.setdefault(key, []).append(r.id)
    matched: set[str] = set()
    added: list[Relationship] = []
    updated: list[RelationshipUpdate] = []
    unchanged: list[str] = []
    for r in incoming.relationships:
        moved = replace(
            r, source=id_map.get(r.source, r.source), target=id_map.get(r.target, r.target)
        )
        target = r.id if r.id in by_id and r.id not in matched else None
        if target is None:
            target = next(
                (i for key in _tie_keys(moved) for i in by_key.get(key, []) if i not in matched),
                None,
            )
        if target is None:
            new_id = _free(r.id, set(by_id) | {a.id for a in added})
            added.append(replace(moved, id=new_id))
            continue
        matched.add(target)
        old = by_id[target]
        new = replace(moved, id=target, custom={**old.custom, **r.custom})
        if not new.directed and (new.target, new.source) == (old.source, old.target):
            new = replace(new, source=old.source, target=old.target)
        changes = _changes(old, new, ("id",))
        if changes:
            updated.append(RelationshipUpdate(old, new, changes))
        else:
            unchanged.append(target)
    return tuple(added), tuple(updated), tuple(unchanged)


def apply_import(current: Map, plan: ImportPlan) -> Map:
    """The map after the import ``plan`` (made by :func:`plan_import`); ``current`` is untouched.

    Raises ``ConflictError`` if the map changed since the plan was made, and
    ``ValidationError`` if the result breaks a rule.
    """
    people = {u.current.id: u.updated for u in plan.stakeholders_updated}
    current_people = current.names()
    ties = {u.current.id: u.updated for u in plan.relationships_updated}
    current_ties = {r.id for r in current.relationships}
    missing = [i for i in people if i not in current_people]
    missing += [i for i in ties if i not in current_ties]
    if missing:
        msg = "The map changed since this import was previewed; preview the import again."
        raise ConflictError(msg)
    result = replace(
        current,
        perspectives=(*current.perspectives, *plan.perspectives_added),
        relationship_types=(*current.relationship_types, *plan.relationship_types_added),
        stakeholders=(
            *(people.get(s.id, s) for s in current.stakeholders),
            *plan.stakeholders_added,
        ),
        relationships=(
            *(ties.get(r.id, r) for r in current.relationships),
            *plan.relationships_added,
        ),
        positions={**current.positions, **plan.positions_added},
    )
    validate_map(result)
    return result
