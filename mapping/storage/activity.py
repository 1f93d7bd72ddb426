"""The activity log: who changed what in which map, and when, in words that name nobody on it.

Every write of :class:`mapping.storage.writes.MapWrites` (and the sharing, deleting and
restoring of :mod:`mapping.storage.access`) adds one line to the ``audit`` table in the same
transaction as the change, so a change that fails leaves no line and a line never tells of a
change that did not happen.

A line says what changed as counts and kinds, never a stakeholder's name or a note's text
("added 2 stakeholders; changed the stance of 3 stakeholders"): erasing a person from the
map and its history leaves nothing of them here. :func:`change_counts` finds the counts of a
save (facts), :func:`change_summary` words them.

The table is made by the store's migration ``0002_access``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from mapping.model import Map, Relationship, Stakeholder
from mapping.model.wording import count_of, join
from mapping.storage.schema import audit_table
from mapping.storage.store import Store

__all__ = [
    "SINGLE_USER",
    "EDIT",
    "AuditEntry",
    "ChangeCounts",
    "audit_table",
    "record_in",
    "record",
    "audit_log",
    "count_entries",
    "change_counts",
    "change_summary",
]

#: Who a change is recorded as when nobody signs in.
SINGLE_USER = "single user"
#: The action of a change to the map's people and relationships.
EDIT = "edit"


@dataclass(frozen=True)
class AuditEntry:
    """One line of the activity log: who did what to which map, and when."""

    id: int
    at: datetime
    actor: str
    action: str
    map_id: int | None
    summary: str


def _now() -> datetime:
    return datetime.now(UTC)


def _actor(actor: str | None) -> str:
    """Who is recorded: the address as access keys it (trimmed, one case), or "single user".

    >>> _actor(" Alice@NHS.net "), _actor(None)
    ('alice@nhs.net', 'single user')
    """
    return SINGLE_USER if actor is None else str(actor).strip().casefold()


def record_in(
    conn: Connection, actor: str | None, action: str, map_id: int | None, summary: str
) -> None:
    """Add a line inside an open transaction (so it stands or falls with the change)."""
    conn.execute(
        insert(audit_table).values(
            at=_now(), actor=_actor(actor), action=action, map_id=map_id, summary=summary
        )
    )


def record(store: Store, actor: str | None, action: str, map_id: int | None, summary: str) -> None:
    """Add a line in a transaction of its own."""
    with store.transaction() as conn:
        record_in(conn, actor, action, map_id, summary)


def _entry(row: Any) -> AuditEntry:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return AuditEntry(row.id, at, row.actor, row.action, row.map_id, row.summary)


def audit_log(
    store: Store, map_id: int | None = None, *, limit: int | None = None, offset: int = 0
) -> list[AuditEntry]:
    """The log, newest first; with ``map_id``, only that map's lines; ``limit`` lines from
    ``offset`` (a page of them).

    >>> store = Store("sqlite://")
    >>> record(store, None, "edit", 1, "added 1 stakeholder")
    >>> record(store, "Bo@example.org", "edit", 1, "changed 1 relationship")
    >>> [(e.actor, e.summary) for e in audit_log(store, 1, limit=1)]
    [('bo@example.org', 'changed 1 relationship')]
    >>> [e.summary for e in audit_log(store, 1, limit=1, offset=1)], count_entries(store, 1)
    (['added 1 stakeholder'], 2)
    """
    t = audit_table
    query = select(t).order_by(t.c.at.desc(), t.c.id.desc()).offset(offset)
    if map_id is not None:
        query = query.where(t.c.map_id == map_id)
    if limit is not None:
        query = query.limit(limit)
    with store.transaction() as conn:
        return [_entry(row) for row in conn.execute(query)]


def count_entries(store: Store, map_id: int | None = None) -> int:
    """How many lines the log holds (for ``map_id`` only, if given)."""
    query = select(func.count()).select_from(audit_table)
    if map_id is not None:
        query = query.where(audit_table.c.map_id == map_id)
    with store.transaction() as conn:
        return int(conn.execute(query).scalar() or 0)


# --- what a save changed, as counts ---------------------------------------------------------

#: Fields of a record left out of the comparison: the id names it, and ``custom`` is
#: compared as a whole with the other details.
_SKIP = frozenset({"id"})
#: Stakeholder fields counted on their own; any other field is one of their "details".
_PERSON_FIELDS: dict[str, tuple[str, str]] = {
    "stance": ("the stance", "the stances"),
    "coalition": ("coalition membership", "coalition membership"),
    "influence": ("the influence", "the influence"),
    "interest": ("the interest", "the interest"),
    "perspective": ("the perspective", "the perspectives"),
}


@dataclass(frozen=True)
class ChangeCounts:
    """How many stakeholders and relationships one save added, removed or changed.

    ``fields`` counts the stakeholders whose stance, coalition membership, influence,
    interest or perspective changed (by field); ``details`` those with any other field
    changed (name, organisation, role, notes, tags, review date, custom fields).
    ``map_details`` is set when the map's own name, description or vocabularies changed,
    ``moved`` counts people dragged to a new place.
    """

    added: int = 0
    removed: int = 0
    fields: tuple[tuple[str, int], ...] = ()
    details: int = 0
    ties_added: int = 0
    ties_removed: int = 0
    ties_changed: int = 0
    map_details: bool = False
    moved: int = 0

    @property
    def is_empty(self) -> bool:
        """Whether the save changed nothing."""
        return self == ChangeCounts()


def _changed_fields(a: Stakeholder | Relationship, b: Stakeholder | Relationship) -> set[str]:
    if a is b:  # an edit keeps every record it leaves alone: nothing to compare
        return set()
    return {
        f.name
        for f in fields(a)
        if f.name not in _SKIP and getattr(a, f.name) != getattr(b, f.name)
    }


def change_counts(old: Map, new: Map) -> ChangeCounts:
    """The counts of what changed from ``old`` to ``new`` (records matched by id).

    >>> from mapping.model import Stance
    >>> old = Map("M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")),
    ...     relationships=(Relationship("r1", "a", "b"),))
    >>> new = Map("M", stakeholders=(Stakeholder("a", "Ann", stance=Stance.SCEPTIC),
    ...     Stakeholder("b", "Bo", notes="private"), Stakeholder("c", "Cy")),
    ...     relationships=(Relationship("r1", "a", "b", strength=5),))
    >>> c = change_counts(old, new)
    >>> c.added, c.fields, c.details, c.ties_changed
    (1, (('stance', 1),), 1, 1)
    """
    before = {s.id: s for s in old.stakeholders}
    after = {s.id: s for s in new.stakeholders}
    by_field: Counter[str] = Counter()
    details = 0
    for sid in before.keys() & after.keys():
        changed = _changed_fields(before[sid], after[sid])
        by_field.update(changed & _PERSON_FIELDS.keys())
        details += bool(changed - _PERSON_FIELDS.keys())
    ties_before = {r.id: r for r in old.relationships}
    ties_after = {r.id: r for r in new.relationships}
    common = ties_before.keys() & ties_after.keys()
    header = ("name", "description", "perspectives", "relationship_types")
    placed = old.positions.keys() | new.positions.keys()
    moved = sum(
        1 for sid in placed & after.keys() if old.positions.get(sid) != new.positions.get(sid)
    )
    return ChangeCounts(
        added=len(after.keys() - before.keys()),
        removed=len(before.keys() - after.keys()),
        fields=tuple((f, by_field[f]) for f in _PERSON_FIELDS if by_field[f]),
        details=details,
        ties_added=len(ties_after.keys() - ties_before.keys()),
        ties_removed=len(ties_before.keys() - ties_after.keys()),
        ties_changed=sum(1 for r in common if _changed_fields(ties_before[r], ties_after[r])),
        map_details=any(getattr(old, h) != getattr(new, h) for h in header),
        moved=moved,
    )


def _people(n: int) -> str:
    return count_of(n, "stakeholder", "stakeholders")


def _ties(n: int) -> str:
    return count_of(n, "relationship", "relationships")


def change_summary(c: ChangeCounts) -> str:
    """What a save changed, in words with counts only (never a name).

    >>> change_summary(ChangeCounts(added=2, ties_changed=1, fields=(("stance", 3),)))
    'added 2 stakeholders; changed the stances of 3 stakeholders; changed 1 relationship'
    >>> print(change_summary(ChangeCounts(fields=(("coalition", 1),), details=1, moved=4)))
    changed coalition membership of 1 stakeholder; edited the details of 1 stakeholder; moved 4 people on the map
    >>> change_summary(ChangeCounts())
    'saved the map with no change'
    """
    parts = []
    if c.added:
        parts.append(f"added {_people(c.added)}")
    if c.removed:
        parts.append(f"removed {_people(c.removed)}")
    for name, n in c.fields:
        one, many = _PERSON_FIELDS[name]
        parts.append(f"changed {one if n == 1 else many} of {_people(n)}")
    if c.details:
        parts.append(f"edited the details of {_people(c.details)}")
    counted = [
        (verb, n)
        for verb, n in (
            ("added", c.ties_added),
            ("removed", c.ties_removed),
            ("changed", c.ties_changed),
        )
        if n
    ]
    if counted:  # "added 2 relationships and changed 1"
        first, *rest = counted
        parts.append(join([f"{first[0]} {_ties(first[1])}", *(f"{v} {n}" for v, n in rest)]))
    if c.map_details:
        parts.append("changed the map's name, description or vocabularies")
    if c.moved:
        parts.append(f"moved {count_of(c.moved, 'person', 'people')} on the map")
    return "; ".join(parts) or "saved the map with no change"
