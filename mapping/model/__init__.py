"""The domain model: maps, stakeholders and relationships as frozen dataclasses."""

from __future__ import annotations

import enum
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from mapping.errors import ValidationError

__all__ = [
    "DEFAULT_PERSPECTIVES",
    "DEFAULT_RELATIONSHIP_TYPES",
    "CONFLICT",
    "Stance",
    "Stakeholder",
    "Relationship",
    "Map",
    "new_id",
    "validate_map",
]

DEFAULT_PERSPECTIVES: tuple[str, ...] = (
    "clinical",
    "patient & carer",
    "commissioner",
    "provider",
    "local authority & social care",
    "voluntary & community sector",
    "public health",
    "other",
)

CONFLICT = "conflict"

DEFAULT_RELATIONSHIP_TYPES: tuple[str, ...] = (
    "collaborates",
    "commissions",
    "funds",
    "reports to",
    "advises",
    "informal trust",
    CONFLICT,
)

SCALE = range(1, 6)


class Stance(enum.StrEnum):
    """Where a stakeholder stands on the change, from most to least favourable."""

    CHAMPION = "champion"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SCEPTIC = "sceptic"
    OPPOSED = "opposed"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: object) -> Stance:
        """Read a stance from text, case-insensitively; blank means unknown.

        >>> Stance.parse(" Supporter ")
        <Stance.SUPPORTER: 'supporter'>
        >>> Stance.parse("")
        <Stance.UNKNOWN: 'unknown'>
        """
        if isinstance(value, Stance):
            return value
        text = str(value or "").strip().lower()
        if not text:
            return cls.UNKNOWN
        if text == "skeptic":
            text = "sceptic"
        try:
            return cls(text)
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            msg = f"stance {value!r} is not one of: {choices}."
            raise ValidationError(msg) from None

    @property
    def is_favourable(self) -> bool:
        """Champions and supporters."""
        return self in (Stance.CHAMPION, Stance.SUPPORTER)

    @property
    def is_resistant(self) -> bool:
        """Neutral, sceptical or opposed: people still to be won over."""
        return self in (Stance.NEUTRAL, Stance.SCEPTIC, Stance.OPPOSED)


def new_id(prefix: str) -> str:
    """A fresh opaque identifier such as ``'s-1f3a9c0b2e'``.

    >>> new_id("s").startswith("s-") and len(new_id("s")) == 12
    True
    """
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _check_scale(owner: str, name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        msg = f"{owner}: {name} must be a whole number from 1 to 5, got {value!r}."
        raise ValidationError(msg)
    return value


def _clean_tags(tags: str | Iterable[object] | None) -> tuple[str, ...]:
    if isinstance(tags, str):
        tags = tags.split("|")
    seen: list[str] = []
    for tag in tags or ():
        text = str(tag).strip()
        if text and text not in seen:
            seen.append(text)
    return tuple(seen)


@dataclass(frozen=True)
class Stakeholder:
    """A person or organisation to win over.

    >>> s = Stakeholder(id="s1", name="Dr Asha Patel", perspective="clinical", influence=4)
    >>> s.stance
    <Stance.UNKNOWN: 'unknown'>
    >>> Stakeholder(id="s2", name=" ")
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: Stakeholder 's2': the name is empty; give every stakeholder a name.
    """

    id: str
    name: str
    organisation: str = ""
    role: str = ""
    perspective: str = "other"
    influence: int = 3
    interest: int = 3
    stance: Stance = Stance.UNKNOWN
    coalition: bool = False
    notes: str = ""
    tags: tuple[str, ...] = ()
    review_by: date | None = None
    custom: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        owner = f"Stakeholder {self.id!r}"
        if not str(self.id).strip():
            msg = f"Stakeholder {self.name!r}: the id is empty."
            raise ValidationError(msg)
        name = str(self.name).strip()
        if not name:
            msg = f"{owner}: the name is empty; give every stakeholder a name."
            raise ValidationError(msg)
        object.__setattr__(self, "name", name)
        owner = f"Stakeholder {name!r}"
        _check_scale(owner, "influence", self.influence)
        _check_scale(owner, "interest", self.interest)
        try:
            object.__setattr__(self, "stance", Stance.parse(self.stance))
        except ValidationError as err:
            raise ValidationError(f"{owner}: {err}") from None
        object.__setattr__(self, "tags", _clean_tags(self.tags))
        object.__setattr__(self, "custom", dict(self.custom))
        if self.review_by is not None and not isinstance(self.review_by, date):
            msg = f"{owner}: review-by must be a date, got {self.review_by!r}."
            raise ValidationError(msg)


@dataclass(frozen=True)
class Relationship:
    """A tie between two stakeholders; ``directed=False`` means mutual.

    >>> r = Relationship(id="r1", source="s1", target="s2", type="funds", strength=4)
    >>> r.directed
    False
    >>> Relationship(id="r2", source="s1", target="s1")
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: Relationship 'r2': a stakeholder cannot have a relationship with themselves ('s1').
    """

    id: str
    source: str
    target: str
    type: str = "collaborates"
    strength: int = 3
    directed: bool = False
    how_we_know: str = ""
    last_confirmed: date | None = None
    notes: str = ""
    custom: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        owner = f"Relationship {self.id!r}"
        if not str(self.id).strip():
            msg = "A relationship has an empty id."
            raise ValidationError(msg)
        if self.source == self.target:
            msg = (
                f"{owner}: a stakeholder cannot have a relationship with themselves "
                f"({self.source!r})."
            )
            raise ValidationError(msg)
        _check_scale(owner, "strength", self.strength)
        kind = str(self.type).strip().lower()
        if not kind:
            msg = f"{owner}: the relationship type is empty."
            raise ValidationError(msg)
        object.__setattr__(self, "type", kind)
        object.__setattr__(self, "custom", dict(self.custom))
        if self.last_confirmed is not None and not isinstance(self.last_confirmed, date):
            msg = f"{owner}: last confirmed must be a date, got {self.last_confirmed!r}."
            raise ValidationError(msg)

    @property
    def is_conflict(self) -> bool:
        """Whether this is a tension tie rather than a channel of support."""
        return self.type == CONFLICT


@dataclass(frozen=True)
class Map:
    """A stakeholder map: who, how they relate, and the map's own vocabularies.

    ``positions`` holds the places users dragged stakeholders to, by stakeholder id.
    """

    name: str
    description: str = ""
    perspectives: tuple[str, ...] = DEFAULT_PERSPECTIVES
    relationship_types: tuple[str, ...] = DEFAULT_RELATIONSHIP_TYPES
    stakeholders: tuple[Stakeholder, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    positions: Mapping[str, tuple[float, float]] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", str(self.name).strip())
        object.__setattr__(self, "perspectives", tuple(self.perspectives))
        object.__setattr__(self, "relationship_types", tuple(self.relationship_types))
        object.__setattr__(self, "stakeholders", tuple(self.stakeholders))
        object.__setattr__(self, "relationships", tuple(self.relationships))
        object.__setattr__(
            self,
            "positions",
            {k: (float(x), float(y)) for k, (x, y) in dict(self.positions).items()},
        )

    @cached_property
    def _by_id(self) -> dict[str, Stakeholder]:
        """Stakeholder id -> stakeholder (the first, should an id repeat), built once."""
        return {s.id: s for s in reversed(self.stakeholders)}

    def stakeholder(self, stakeholder_id: str) -> Stakeholder:
        """The stakeholder with this id (``KeyError`` if absent), found in constant time.

        >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann"),))
        >>> m.stakeholder("a").name
        'Ann'
        """
        try:
            return self._by_id[stakeholder_id]
        except KeyError:
            raise KeyError(stakeholder_id) from None

    def names(self) -> dict[str, str]:
        """Stakeholder id -> name."""
        return {s.id: s.name for s in self.stakeholders}

    def with_stakeholders(self, stakeholders: Iterable[Stakeholder]) -> Map:
        """A copy holding these stakeholders; relationships to people gone are dropped."""
        people = tuple(stakeholders)
        ids = {s.id for s in people}
        ties = tuple(r for r in self.relationships if r.source in ids and r.target in ids)
        positions = {k: v for k, v in self.positions.items() if k in ids}
        return replace(self, stakeholders=people, relationships=ties, positions=positions)

    def with_relationships(self, relationships: Iterable[Relationship]) -> Map:
        """A copy holding these relationships."""
        return replace(self, relationships=tuple(relationships))


def validate_map(m: Map) -> None:
    """Check the rules that span a whole map; raise one ``ValidationError`` listing all.

    >>> a = Stakeholder(id="a", name="Ann", perspective="clinical")
    >>> validate_map(Map(name="M", stakeholders=(a, a)))
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: Stakeholder id 'a' is used 2 times; every stakeholder needs its own id.
    """
    problems: list[str] = []
    if not m.name:
        problems.append("The map has no name; give it one.")
    if not m.perspectives:
        problems.append("The map has no perspectives; keep at least one.")
    for label, values in (
        ("perspective", m.perspectives),
        ("relationship type", m.relationship_types),
    ):
        for value, count in Counter(v.strip().lower() for v in values).items():
            if not value:
                problems.append(f"A {label} is empty; remove it or give it a name.")
            elif count > 1:
                problems.append(f"The {label} {value!r} is listed {count} times.")
    for sid, count in Counter(s.id for s in m.stakeholders).items():
        if count > 1:
            problems.append(
                f"Stakeholder id {sid!r} is used {count} times; every stakeholder needs its own id."
            )
    for rid, count in Counter(r.id for r in m.relationships).items():
        if count > 1:
            problems.append(
                f"Relationship id {rid!r} is used {count} times; "
                "every relationship needs its own id."
            )
    perspectives = set(m.perspectives)
    for s in m.stakeholders:
        if s.perspective not in perspectives:
            problems.append(
                f"Stakeholder {s.name!r}: perspective {s.perspective!r} is not one of the "
                f"map's perspectives ({', '.join(m.perspectives)})."
            )
    ids = {s.id for s in m.stakeholders}
    types = set(m.relationship_types)
    for r in m.relationships:
        for end in (r.source, r.target):
            if end not in ids:
                problems.append(
                    f"Relationship {r.id!r}: unknown stakeholder {end!r}; add them first "
                    "or correct the name."
                )
        if r.type not in types:
            problems.append(
                f"Relationship {r.id!r}: type {r.type!r} is not one of the map's "
                f"relationship types ({', '.join(m.relationship_types)})."
            )
    if problems:
        raise ValidationError(problems)
