"""Stakeholders and relationships as plain records and back: the one mapping every format uses.

A record is a dict of a stakeholder's or relationship's fields, in the dataclass's own order,
holding only plain values: a stance as its text, tags as a list, custom fields as a dict and
dates as ISO text (or as ``date`` objects, for the database). Project JSON, node-link JSON,
the database tables and the spreadsheets all read and write through :func:`to_record` and
:func:`from_record`, and both are driven by :func:`dataclasses.fields`: a new field of
:class:`~mapping.model.Stakeholder` reaches every format without an edit here.

>>> from datetime import date
>>> s = Stakeholder("s1", "Ann", tags=("north",), review_by=date(2026, 5, 1))
>>> record = to_record(s)
>>> record["stance"], record["tags"], record["review_by"]
('unknown', ['north'], '2026-05-01')
>>> from_record(Stakeholder, record) == s
True
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import MISSING, Field, fields
from datetime import date
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from mapping.errors import ValidationError
from mapping.model import Relationship, Stakeholder

__all__ = ["field_names", "field_types", "to_record", "from_record", "parse_date"]

Item = TypeVar("Item", Stakeholder, Relationship)


#: Each field's declared type, resolved from its annotation.
_HINTS: dict[type, dict[str, Any]] = {
    kind: get_type_hints(kind) for kind in (Stakeholder, Relationship)
}


def field_names(kind: type[Stakeholder] | type[Relationship]) -> tuple[str, ...]:
    """The fields of a stakeholder or relationship, in the dataclass's order.

    >>> field_names(Relationship)[:3]
    ('id', 'source', 'target')
    """
    return tuple(f.name for f in fields(kind))


def field_types(kind: type[Stakeholder] | type[Relationship]) -> dict[str, Any]:
    """Each field's declared type, in the dataclass's order.

    >>> field_types(Stakeholder)["influence"]
    <class 'int'>
    """
    return dict(_HINTS[kind])


def _plain(value: object, iso_dates: bool) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat() if iso_dates else value
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def to_record(
    item: Stakeholder | Relationship,
    *,
    iso_dates: bool = True,
    rename: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Every field of ``item`` as a plain value, in field order; ``rename`` gives some
    fields another key (in the same place).

    >>> r = Relationship("r1", "a", "b", directed=True)
    >>> list(to_record(r, rename={"source": "from", "target": "to"}))[:4]
    ['id', 'from', 'to', 'type']
    """
    names = rename or {}
    return {
        names.get(f.name, f.name): _plain(getattr(item, f.name), iso_dates) for f in fields(item)
    }


def parse_date(where: str, name: str, value: object) -> date | None:
    """A date given as a date or ``YYYY-MM-DD`` text (``None`` when empty); an error that
    names ``where`` and ``name`` otherwise.

    >>> parse_date("row 2", "review_by", "2026-01-31"), parse_date("row 2", "review_by", "")
    (datetime.date(2026, 1, 31), None)
    """
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        msg = f"{where}: {name} {value!r} is not a date; write it as YYYY-MM-DD."
        raise ValidationError(msg) from None


def _text_map(where: str, value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        msg = f"{where}: custom fields must be an object of names to text."
        raise ValidationError(msg)
    return {str(k): str(v) for k, v in value.items()}


def _default(f: Field[Any]) -> object:
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:
        return f.default_factory()
    return ""


def _read(where: str, name: str, hint: Any, value: object) -> object:
    """One field's value read from a record, converted to the field's type; the dataclass
    itself checks what it means (scales, stances, names)."""
    if date in get_args(hint):
        return parse_date(where, name, value)
    if get_origin(hint) is Mapping:
        return _text_map(where, value)
    if get_origin(hint) is tuple:
        if isinstance(value, list | tuple):
            return tuple(str(v) for v in value)
        if isinstance(value, str):
            return value  # "a|b": the dataclass splits it
        msg = f"{where}: {name} must be a list of text, got {value!r}."
        raise ValidationError(msg)
    if hint is str:
        return str(value)
    if hint is bool:
        return bool(value)
    return value  # numbers and stances: checked by the dataclass


def from_record(
    kind: type[Item],
    record: Mapping[Any, Any],
    *,
    where: str = "",
    rename: Mapping[str, str] | None = None,
) -> Item:
    """The stakeholder or relationship a record holds; a missing field takes its default.

    ``where`` names the record in messages (``ValidationError``); ``rename`` is the one
    :func:`to_record` wrote it with. Keys that are not fields are ignored.

    >>> from_record(Relationship, {"id": "r1", "from": "a", "to": "b", "strength": 4},
    ...             rename={"source": "from", "target": "to"})
    Relationship(id='r1', source='a', target='b', type='collaborates', strength=4, directed=False, how_we_know='', last_confirmed=None, notes='', custom={})
    >>> from_record(Stakeholder, {"id": "s1", "name": "Ann", "review_by": "soon"}, where="Row 2")
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: Row 2: review_by 'soon' is not a date; write it as YYYY-MM-DD.
    """
    names = rename or {}
    hints = _HINTS[kind]
    place = where or kind.__name__
    values: dict[str, Any] = {}
    for f in fields(kind):
        key = names.get(f.name, f.name)
        raw = record[key] if key in record else _default(f)
        values[f.name] = _read(place, f.name, hints[f.name], raw)
    return kind(**values)
