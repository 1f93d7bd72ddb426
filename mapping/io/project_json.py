"""Project JSON: Coalition Mapper's own lossless, versioned file format."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mapping.errors import FormatError, ValidationError
from mapping.io.budget import Limits, parse_json
from mapping.model import Map, Relationship, Stakeholder, validate_map
from mapping.model.actions import PlannedAction
from mapping.model.fields import Item, from_record, to_record

__all__ = [
    "FORMAT",
    "VERSION",
    "dumps",
    "loads",
    "to_dict",
    "from_dict",
    "plan_from_dict",
    "loads_plan",
]

FORMAT = "coalition-mapper"
VERSION = 1


#: Project files call a relationship's ends "from" and "to".
_ENDS = {"source": "from", "target": "to"}


def _read_items(kind: type[Item], rows: Any, problems: list[str]) -> list[Item]:
    """The stakeholders or relationships of a project file; each problem, named by the
    item's place in the file, added to ``problems``."""
    items: list[Item] = []
    for i, row in enumerate(rows, start=1):
        where = f"{kind.__name__} {i}"
        try:
            if not isinstance(row, dict):
                raise ValidationError(f"{where}: expected an object.")
            items.append(from_record(kind, row, where=where, rename=_ENDS))
        except ValidationError as err:
            problems.extend(f"{where}: {p}" if not p.startswith(where) else p for p in err.problems)
    return items


def to_dict(m: Map, actions: Sequence[PlannedAction] | None = None) -> dict[str, Any]:
    """The map as plain JSON-ready data, in a fixed order; with ``actions``, its engagement
    plan too (under ``"actions"``, beside the map).

    >>> to_dict(Map(name="Empty"))["format"]
    'coalition-mapper'
    >>> to_dict(Map(name="Empty"), [])["actions"]
    []
    """
    data = _map_dict(m)
    if actions is not None:
        data["actions"] = [a.to_dict() for a in actions]
    return data


def plan_from_dict(data: Any) -> tuple[PlannedAction, ...]:
    """The engagement plan a project's data holds (none for a file without one).

    >>> from datetime import date
    >>> a = PlannedAction("a-1", "Meet", due=date(2026, 5, 1))
    >>> plan_from_dict(to_dict(Map(name="M"), [a])) == (a,)
    True
    """
    raw = data.get("actions") if isinstance(data, dict) else None
    if raw is None:
        return ()
    if not isinstance(raw, list):
        msg = "The project's actions should be a list; export the plan again."
        raise ValidationError(msg)
    actions = tuple(
        PlannedAction.from_dict(item, f"Action {i + 1} of the plan") for i, item in enumerate(raw)
    )
    ids = [a.id for a in actions]
    if len(set(ids)) != len(ids) or "" in ids:
        msg = "Two actions of the plan have the same id (or none); export the plan again."
        raise ValidationError(msg)
    return actions


def _map_dict(m: Map) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "map": {
            "name": m.name,
            "description": m.description,
            "perspectives": list(m.perspectives),
            "relationship_types": list(m.relationship_types),
            "stakeholders": [to_record(s) for s in m.stakeholders],
            "relationships": [to_record(r, rename=_ENDS) for r in m.relationships],
            "positions": {k: list(v) for k, v in sorted(m.positions.items())},
        },
    }


def from_dict(data: Any) -> Map:
    """Read the data :func:`to_dict` produced, checking every field; raise on any problem."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        msg = (
            "This is not a Coalition Mapper project file (its 'format' is not 'coalition-mapper')."
        )
        raise FormatError(msg)
    version = data.get("version")
    if version != VERSION:
        msg = (
            f"This project file is version {version!r}; this version of Coalition Mapper "
            f"reads version {VERSION}. Update Coalition Mapper to open it."
        )
        raise FormatError(msg)
    body = data.get("map")
    if not isinstance(body, dict):
        msg = "The project file has no 'map' object."
        raise FormatError(msg)
    problems: list[str] = []
    stakeholders = _read_items(Stakeholder, body.get("stakeholders", []), problems)
    relationships = _read_items(Relationship, body.get("relationships", []), problems)
    if problems:
        raise ValidationError(problems)
    try:
        positions = {
            str(k): (float(v[0]), float(v[1])) for k, v in body.get("positions", {}).items()
        }
    except (TypeError, ValueError, IndexError, AttributeError):
        msg = "The project file's 'positions' must map stakeholder ids to [x, y] numbers."
        raise FormatError(msg) from None
    m = Map(
        name=str(body.get("name", "")),
        description=str(body.get("description", "")),
        perspectives=tuple(str(p) for p in body.get("perspectives", [])),
        relationship_types=tuple(str(t) for t in body.get("relationship_types", [])),
        stakeholders=tuple(stakeholders),
        relationships=tuple(relationships),
        positions=positions,
    )
    validate_map(m)
    return m


def dumps(m: Map, actions: Sequence[PlannedAction] | None = None) -> str:
    """The map as project JSON text (UTF-8, stable key order, indented).

    >>> from mapping.model import Stakeholder
    >>> m = Map(name="Café <b>", stakeholders=(Stakeholder("s1", "Zoë \\"Z\\""),))
    >>> loads(dumps(m)) == m
    True
    """
    return json.dumps(to_dict(m, actions), ensure_ascii=False, indent=2) + "\n"


def loads(text: str | bytes, *, filename: str = "", limits: Limits | None = None) -> Map:
    """Read project JSON text as a map (see :func:`loads_plan` for its plan too)."""
    return loads_plan(text, filename=filename, limits=limits)[0]


def loads_plan(
    text: str | bytes, *, filename: str = "", limits: Limits | None = None
) -> tuple[Map, tuple[PlannedAction, ...]]:
    """Read project JSON text; a clear ``FormatError`` or ``ValidationError`` on bad input.

    An upload passes ``limits`` (size, nesting depth, stakeholders and relationships, see
    :class:`mapping.io.safety.Limits`); files this app wrote itself are read without them.

    >>> loads("[" * 100_000, filename="deep.json", limits=Limits())
    Traceback (most recent call last):
    ...
    mapping.errors.FormatError: deep.json nests its data more than 64 levels deep; Coalition Mapper reads at most 64. A map file nests only a few levels: export it again from the program that made it.
    """
    what = filename or "The project file"
    if limits is not None:
        limits.check_bytes(text.encode("utf-8") if isinstance(text, str) else text, what)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            msg = "The project file is not UTF-8 text; save it again as UTF-8 JSON."
            raise FormatError(msg) from None
    try:
        data = parse_json(text, what, limits) if limits is not None else json.loads(text)
    except json.JSONDecodeError as err:
        msg = f"The project file is not valid JSON (line {err.lineno}, column {err.colno}): {err.msg}."
        raise FormatError(msg) from None
    except RecursionError:
        msg = f"{what} nests its data too deeply to read; export it again."
        raise FormatError(msg) from None
    if limits is not None and isinstance(data, dict) and isinstance(data.get("map"), dict):
        for key, noun in (("stakeholders", "stakeholders"), ("relationships", "relationships")):
            items = data["map"].get(key)
            limits.check_rows(len(items) if isinstance(items, list) else 0, what, noun)
    return from_dict(data), plan_from_dict(data)
