"""Edit conflicts: what two people changed on both sides of the same map, with both values.

:func:`describe_conflict` names every field changed on both sides; :func:`merge_maps` combines
two people's changes when none clashes (their version, with my changes since we both started
applied on top); :func:`conflict_message` is the message for a refused save.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from datetime import date
from enum import Enum
from typing import Any

from mapping.errors import ConflictError, ValidationError
from mapping.model import Map, Relationship, Stakeholder, validate_map

__all__ = ["describe_conflict", "merge_maps", "conflict_message"]

_MAP_FIELDS = ("name", "description", "perspectives", "relationship_types")
_LONGEST = 80
_MISSING = object()


def _show(value: Any) -> str:
    """A value as words for the message, shortened when long."""
    if value is None or value in ("", (), {}):
        text = "(blank)"
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, Enum):
        text = repr(value.value)
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, Mapping):
        text = repr("; ".join(f"{k}: {v}" for k, v in value.items()))
    elif isinstance(value, tuple | list):
        text = repr(", ".join(str(v) for v in value))
    elif isinstance(value, str):
        text = repr(" ".join(value.split()))
    else:
        text = str(value)
    return text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…"


def _both(base: Any, mine: Any, theirs: Any) -> bool:
    """Whether a value was changed on both sides to different things."""
    return mine != base and theirs != base and mine != theirs


def _field_lines(
    what: str, base: object, mine: object, theirs: object, names: Sequence[str]
) -> list[str]:
    lines = []
    for name in names:
        b = getattr(base, name, None) if base is not _MISSING else None
        m, t = getattr(mine, name), getattr(theirs, name)
        if _both(b, m, t):
            label = name.replace("_", " ")
            lines.append(
                f"{what}, {label}: yours {_show(m)}, theirs {_show(t)} (it was {_show(b)})."
            )
    return lines


def _records(
    kind: type[Stakeholder] | type[Relationship],
    base: Sequence[Any],
    mine: Sequence[Any],
    theirs: Sequence[Any],
    label: Any,
    noun: str,
) -> list[str]:
    """Lines for records (people or ties) changed on both sides, by id."""
    before = {r.id: r for r in base}
    ours = {r.id: r for r in mine}
    others = {r.id: r for r in theirs}
    names = [f.name for f in fields(kind) if f.name != "id"]
    lines = []
    for rid in dict.fromkeys([*before, *ours, *others]):
        b, m, t = before.get(rid, _MISSING), ours.get(rid, _MISSING), others.get(rid, _MISSING)
        if not _both(b, m, t):
            continue
        if m is _MISSING or t is _MISSING:
            kept, who = (t, "they") if m is _MISSING else (m, "you")
            gone = "you" if who == "they" else "they"
            changed = [n.replace("_", " ") for n in names if getattr(kept, n) != getattr(b, n)]
            lines.append(
                f"{label(kept)}: {gone} deleted this {noun}; {who} changed its "
                f"{', '.join(changed)}."
            )
            continue
        lines.extend(_field_lines(label(m), b, m, t, names))
    return lines


def describe_conflict(base: Map, mine: Map, theirs: Map) -> list[str]:
    """Every field changed on both sides to different values: one line each, both values.

    ``base`` is the map as the user loaded it, ``mine`` the map they tried to save and
    ``theirs`` the map someone else saved in between. Changes made on one side only, or the
    same change made on both, are not conflicts.

    >>> ann = Stakeholder("ann", "Ann Clark", stance="sceptic")
    >>> base = Map("Discharge", stakeholders=(ann,))
    >>> mine = Map("Discharge", stakeholders=(Stakeholder("ann", "Ann Clark", stance="supporter"),))
    >>> theirs = Map("Discharge", stakeholders=(Stakeholder("ann", "Ann Clark", stance="opposed"),))
    >>> describe_conflict(base, mine, theirs)
    ["Ann Clark (ann), stance: yours 'supporter', theirs 'opposed' (it was 'sceptic')."]
    >>> describe_conflict(base, mine, base)
    []
    """
    lines = _field_lines("The map", base, mine, theirs, _MAP_FIELDS)
    people = {**base.names(), **theirs.names(), **mine.names()}

    def person(s: Stakeholder) -> str:
        return f"{s.name} ({s.id})"

    def tie(r: Relationship) -> str:
        source, target = people.get(r.source, r.source), people.get(r.target, r.target)
        arrow = "→" if r.directed else "–"
        return f"The tie {source} {arrow} {target} ({r.id})"

    lines += _records(
        Stakeholder, base.stakeholders, mine.stakeholders, theirs.stakeholders, person, "person"
    )
    lines += _records(
        Relationship, base.relationships, mine.relationships, theirs.relationships, tie, "tie"
    )
    for sid in dict.fromkeys([*mine.positions, *theirs.positions]):
        b, m, t = (x.positions.get(sid) for x in (base, mine, theirs))
        if _both(b, m, t) and m is not None and t is not None:
            lines.append(f"{people.get(sid, sid)}'s place on the map: you both moved it.")
    return lines


def _pick(base: Any, mine: Any, theirs: Any) -> Any:
    """My value if I changed it, else theirs."""
    return mine if mine != base else theirs


def _merge_records(kind: type, base: Sequence[Any], mine: Sequence[Any], theirs: Sequence[Any]):
    before = {r.id: r for r in base}
    ours = {r.id: r for r in mine}
    others = {r.id: r for r in theirs}
    names = [f.name for f in fields(kind) if f.name != "id"]
    merged = []
    for rid in [*others, *(i for i in ours if i not in others and i not in before)]:
        b, m, t = before.get(rid), ours.get(rid), others.get(rid)
        if t is None:  # added by me
            merged.append(m)
        elif b is None or m is None:  # added by them; or deleted by me (kept if they changed it)
            if b is None or t != b:
                merged.append(t)
        else:
            changed = {n: getattr(m, n) for n in names if getattr(m, n) != getattr(b, n)}
            merged.append(replace(t, **changed) if changed else t)
    return tuple(merged)


def merge_maps(base: Map, mine: Map, theirs: Map) -> Map:
    """Their map with my changes since ``base`` applied: who changed what is kept.

    Refuses (``ConflictError``) when a field was changed on both sides to different values
    (see :func:`describe_conflict`), or when the two sets of changes break a rule together
    (a tie of mine to a person they deleted).

    >>> ann, bob = Stakeholder("ann", "Ann"), Stakeholder("bob", "Bob")
    >>> base = Map("Discharge", stakeholders=(ann, bob))
    >>> mine = Map("Discharge", stakeholders=(replace(ann, stance="champion"), bob))
    >>> theirs = Map("Discharge v2", stakeholders=(ann, replace(bob, influence=5)))
    >>> merged = merge_maps(base, mine, theirs)
    >>> merged.name, merged.stakeholders[0].stance.value, merged.stakeholders[1].influence
    ('Discharge v2', 'champion', 5)
    """
    clashes = describe_conflict(base, mine, theirs)
    if clashes:
        msg = "Changed on both sides:\n" + "\n".join(f"- {line}" for line in clashes)
        raise ConflictError(msg)
    people = _merge_records(Stakeholder, base.stakeholders, mine.stakeholders, theirs.stakeholders)
    kept = {s.id for s in people}
    positions = {}
    for sid in dict.fromkeys([*theirs.positions, *mine.positions]):
        value = _pick(base.positions.get(sid), mine.positions.get(sid), theirs.positions.get(sid))
        if value is not None and sid in kept:
            positions[sid] = value
    merged = Map(
        name=_pick(base.name, mine.name, theirs.name),
        description=_pick(base.description, mine.description, theirs.description),
        perspectives=_pick(base.perspectives, mine.perspectives, theirs.perspectives),
        relationship_types=_pick(
            base.relationship_types, mine.relationship_types, theirs.relationship_types
        ),
        stakeholders=people,
        relationships=_merge_records(
            Relationship, base.relationships, mine.relationships, theirs.relationships
        ),
        positions=positions,
    )
    try:
        validate_map(merged)
    except ValidationError as err:
        msg = "Your change and theirs cannot be combined: " + " ".join(err.problems)
        raise ConflictError(msg) from None
    return merged


def _their_changes(base: Map, theirs: Map) -> str:
    """How many people and ties the other person changed, added or removed."""
    counts = []
    for noun, before, after in (
        ("person", base.stakeholders, theirs.stakeholders),
        ("tie", base.relationships, theirs.relationships),
    ):
        old = {r.id: r for r in before}
        new = {r.id: r for r in after}
        n = sum(1 for i in old.keys() | new.keys() if old.get(i) != new.get(i))
        if n:
            plural = "people" if noun == "person" else "ties"
            counts.append(f"{n} {noun if n == 1 else plural}")
    return " and ".join(counts)


def conflict_message(
    name: str,
    expected: int,
    found: int,
    base: Map | None,
    mine: Map,
    theirs: Map | None,
) -> str:
    """The whole message for a refused save: who won, what clashed, what to do.

    >>> base = Map("Discharge", description="Old")
    >>> print(conflict_message("Discharge", 3, 4, base, Map("Discharge", description="Mine"),
    ...                        Map("Discharge", description="Theirs")))
    The map 'Discharge' was changed by someone else since you opened it (version 3 → 4), so your change was not saved.
    <BLANKLINE>
    Changed on both sides:
    <BLANKLINE>
    - The map, description: yours 'Mine', theirs 'Theirs' (it was 'Old').
    <BLANKLINE>
    Reload the map to see their version, then make your change again.
    """
    head = (
        f"The map {name!r} was changed by someone else since you opened it "
        f"(version {expected} → {found}), so your change was not saved."
    )
    if base is None or theirs is None:
        return f"{head} Reload the map and make your change again."
    lines = describe_conflict(base, mine, theirs)
    parts = [head]
    if lines:
        parts.append("Changed on both sides:\n\n" + "\n".join(f"- {line}" for line in lines))
    else:
        other = _their_changes(base, theirs) or "only the map's details"
        parts.append(f"They changed {other}; none of the fields you changed.")
    parts.append("Reload the map to see their version, then make your change again.")
    return "\n\n".join(parts)
