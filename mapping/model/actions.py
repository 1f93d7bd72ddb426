"""Planned actions: what someone agreed to do about a finding, by when, and what should change.

An engagement plan is a list of :class:`PlannedAction`. Each names who acts (a stakeholder
on the map, by id, or a named colleague who is not on it), with whom, a due date, the
expected change on the map as data (:class:`Expected`: a tie's strength, a stance, joining
the coalition), its status, the finding it came from and a thread of dated notes.

These are plain frozen values; storage keeps them per map (``mapping/storage/actions.py``)
and :mod:`mapping.changes.plan` measures them against the map.

>>> a = PlannedAction("a-1", "Meet Richard", actor="n", with_whom=("r",),
...                   expected=(Expected(STRENGTH, "n", 4, other="r"),), due=date(2026, 5, 1))
>>> PlannedAction.from_dict(a.to_dict()) == a
True
>>> expected_text(a.expected[0], {"n": "Nadia Rahman", "r": "Richard Hale"})
'tie Nadia Rahman – Richard Hale to strength 4'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from mapping.errors import ValidationError
from mapping.model import SCALE, Stance
from mapping.model.fields import parse_date

__all__ = [
    "PLANNED",
    "IN_PROGRESS",
    "DONE",
    "DROPPED",
    "STATUSES",
    "OPEN",
    "STRENGTH",
    "STANCE",
    "COALITION",
    "KINDS",
    "ActionNote",
    "Expected",
    "PlannedAction",
    "expected_text",
    "who_text",
    "is_overdue",
    "plan_order",
    "involves",
    "quarter_start",
]

PLANNED = "planned"
IN_PROGRESS = "in progress"
DONE = "done"
DROPPED = "dropped"
STATUSES = (PLANNED, IN_PROGRESS, DONE, DROPPED)
#: Statuses of actions still to be done.
OPEN = (PLANNED, IN_PROGRESS)

STRENGTH = "strength"
STANCE = "stance"
COALITION = "coalition"
KINDS = (STRENGTH, STANCE, COALITION)

#: The most notes, expected changes and people one action keeps.
MOST = 200


@dataclass(frozen=True)
class ActionNote:
    """One dated line of an action's notes thread."""

    on: date
    author: str
    text: str


@dataclass(frozen=True)
class Expected:
    """One change on the map an action should bring about.

    ``kind`` is :data:`STRENGTH` (the tie ``person`` – ``other`` to ``value``, 1 to 5),
    :data:`STANCE` (``person``'s stance to ``value``) or :data:`COALITION` (``person`` in
    the coalition when ``value`` is true). ``before`` is the value when the action was
    planned (``None``: no tie yet, or not known).
    """

    kind: str
    person: str
    value: int | str | bool
    other: str = ""
    before: int | str | bool | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            msg = f"expected change {self.kind!r} is not one of: {', '.join(KINDS)}."
            raise ValidationError(msg)
        if not self.person:
            msg = "an expected change names nobody; pick the person it is about."
            raise ValidationError(msg)
        if self.kind == STRENGTH:
            if not self.other or self.other == self.person:
                msg = "an expected tie strength needs two different people."
                raise ValidationError(msg)
            if isinstance(self.value, bool) or not isinstance(self.value, int):
                msg = f"an expected tie strength is a whole number, not {self.value!r}."
                raise ValidationError(msg)
            if self.value not in SCALE:
                msg = f"an expected tie strength is 1 to 5, not {self.value}."
                raise ValidationError(msg)
        elif self.kind == STANCE:
            object.__setattr__(self, "value", Stance.parse(self.value).value)
        else:
            object.__setattr__(self, "value", bool(self.value))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "kind": self.kind,
            "person": self.person,
            "other": self.other,
            "value": self.value,
            "before": self.before,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Expected:
        """Read :meth:`to_dict`'s data back."""
        return cls(
            kind=str(data.get("kind", "")),
            person=str(data.get("person", "")),
            other=str(data.get("other") or ""),
            value=data.get("value"),  # type: ignore[arg-type]
            before=data.get("before"),
        )


@dataclass(frozen=True)
class PlannedAction:
    """One agreed action of the engagement plan.

    ``actor`` is the id of the stakeholder who acts, or blank when ``colleague`` (a named
    colleague not on the map) acts; ``with_whom`` the ids of the people it is with.
    ``finding_code`` and ``finding_subject`` name the finding it came from (blank for an
    action written by hand); see :func:`mapping.changes.plan.finding_subject`.
    """

    id: str
    what: str
    actor: str = ""
    colleague: str = ""
    with_whom: tuple[str, ...] = ()
    due: date | None = None
    expected: tuple[Expected, ...] = ()
    status: str = PLANNED
    finding_code: str = ""
    finding_subject: str = ""
    finding_title: str = ""
    notes: tuple[ActionNote, ...] = ()
    created_on: date = field(default_factory=date.today)
    done_on: date | None = None
    outcome: str = ""

    def __post_init__(self) -> None:
        if not str(self.what).strip():
            msg = "The action says nothing to do; write what will be done."
            raise ValidationError(msg)
        if self.status not in STATUSES:
            msg = f"The action {self.what[:40]!r}: status {self.status!r} is not one of: "
            msg += ", ".join(STATUSES) + "."
            raise ValidationError(msg)
        if len(self.notes) > MOST or len(self.expected) > MOST or len(self.with_whom) > MOST:
            msg = f"The action {self.what[:40]!r} holds more than {MOST} notes, people or changes."
            raise ValidationError(msg)

    @property
    def is_open(self) -> bool:
        """Planned or in progress."""
        return self.status in OPEN

    def people(self) -> set[str]:
        """The ids of everyone the action names: who acts, with whom, in its changes."""
        found = {self.actor, *self.with_whom}
        for e in self.expected:
            found.update((e.person, e.other))
        return found - {""}

    def with_note(self, on: date, author: str, text: str) -> PlannedAction:
        """The action with one more note at the end of its thread."""
        text = str(text).strip()
        if not text:
            msg = "The note is empty; write what happened."
            raise ValidationError(msg)
        note = ActionNote(on, str(author).strip() or "me", text)
        return replace(self, notes=(*self.notes, note))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data in a fixed order."""
        return {
            "id": self.id,
            "what": self.what,
            "actor": self.actor,
            "colleague": self.colleague,
            "with": list(self.with_whom),
            "due": self.due.isoformat() if self.due else None,
            "expected": [e.to_dict() for e in self.expected],
            "status": self.status,
            "finding_code": self.finding_code,
            "finding_subject": self.finding_subject,
            "finding_title": self.finding_title,
            "notes": [
                {"on": n.on.isoformat(), "author": n.author, "text": n.text} for n in self.notes
            ],
            "created_on": self.created_on.isoformat(),
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "outcome": self.outcome,
        }

    @classmethod
    def from_dict(cls, data: Any, where: str = "An action") -> PlannedAction:
        """Read :meth:`to_dict`'s data back; a ``ValidationError`` naming ``where`` and the field."""
        if not isinstance(data, Mapping):
            msg = f"{where} should be a JSON object."
            raise ValidationError(msg)
        try:
            notes = tuple(
                ActionNote(
                    parse_date(where, "the note date", n.get("on")) or date.today(),
                    str(n.get("author", "")),
                    str(n.get("text", "")),
                )
                for n in data.get("notes") or []
            )
            return cls(
                id=str(data.get("id") or ""),
                what=str(data.get("what") or ""),
                actor=str(data.get("actor") or ""),
                colleague=str(data.get("colleague") or ""),
                with_whom=tuple(str(p) for p in data.get("with") or []),
                due=parse_date(where, "the due date", data.get("due")),
                expected=tuple(Expected.from_dict(e) for e in data.get("expected") or []),
                status=str(data.get("status") or PLANNED),
                finding_code=str(data.get("finding_code") or ""),
                finding_subject=str(data.get("finding_subject") or ""),
                finding_title=str(data.get("finding_title") or ""),
                notes=notes,
                created_on=parse_date(where, "the creation date", data.get("created_on"))
                or date.today(),
                done_on=parse_date(where, "the date done", data.get("done_on")),
                outcome=str(data.get("outcome") or ""),
            )
        except ValidationError as err:
            text = str(err)
            if text.startswith(where):
                raise
            raise ValidationError(f"{where}: {text}") from None
        except (AttributeError, TypeError):
            msg = f"{where} is damaged (a note or expected change is not an object)."
            raise ValidationError(msg) from None


def _name(names: Mapping[str, str], person: str) -> str:
    return names.get(person, person or "someone")


def expected_text(e: Expected, names: Mapping[str, str]) -> str:
    """The expected change in words.

    >>> names = {"r": "Richard Hale", "z": "Zoë Fairweather"}
    >>> expected_text(Expected(STANCE, "r", "neutral", before="sceptic"), names)
    'Richard Hale from sceptic to neutral'
    >>> expected_text(Expected(COALITION, "z", True), names)
    'Zoë Fairweather joins the coalition'
    """
    who = _name(names, e.person)
    if e.kind == STRENGTH:
        return f"tie {who} – {_name(names, e.other)} to strength {e.value}"
    if e.kind == STANCE:
        start = f" from {e.before}" if e.before else ""
        return f"{who}{start} to {e.value}"
    return f"{who} joins the coalition" if e.value else f"{who} leaves the coalition"


def who_text(a: PlannedAction, names: Mapping[str, str]) -> str:
    """Who acts, in words (a colleague not on the map is said as named).

    >>> who_text(PlannedAction("a", "x", colleague="Sam (our team)"), {})
    'Sam (our team)'
    """
    if a.actor:
        return _name(names, a.actor)
    return a.colleague or "nobody named yet"


def is_overdue(a: PlannedAction, today: date) -> bool:
    """Open, with a due date before today (an action due today is not overdue yet).

    >>> a = PlannedAction("a", "x", due=date(2026, 3, 2))
    >>> is_overdue(a, date(2026, 3, 2)), is_overdue(a, date(2026, 3, 3))
    (False, True)
    """
    return a.is_open and a.due is not None and a.due < today


def plan_order(actions: Iterable[PlannedAction], today: date) -> list[PlannedAction]:
    """Overdue first (longest overdue first), then open by due date (undated last), then done
    and dropped (latest first); ties keep their order."""

    def key(a: PlannedAction) -> tuple:
        if is_overdue(a, today):
            return (0, a.due, "")
        if a.is_open:
            return (1, a.due or date.max, "")
        when = a.done_on or a.due or a.created_on
        return (2 if a.status == DONE else 3, date.max - (when - date.min), "")

    return sorted(actions, key=key)


def involves(a: PlannedAction, person: str) -> bool:
    """Whether the action names ``person`` (who acts, with whom, or in a change)."""
    return person in a.people()


def quarter_start(today: date) -> date:
    """The first day of ``today``'s calendar quarter.

    >>> quarter_start(date(2026, 5, 17))
    datetime.date(2026, 4, 1)
    """
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
