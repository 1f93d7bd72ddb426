"""Several people's views: ratings by named raters, the agreed value and where raters disagree."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from mapping.errors import ValidationError
from mapping.model import SCALE, Map, Stance

__all__ = [
    "FIELDS",
    "RULES",
    "DEFAULT_RULE",
    "STANCE_SCALE",
    "Rating",
    "Agreed",
    "Disagreement",
    "score",
    "from_score",
    "combine",
    "latest",
    "agreed_values",
    "disagreements",
    "apply_agreed",
]

#: Rated field -> what it belongs to.
FIELDS: dict[str, str] = {
    "stance": "stakeholder",
    "influence": "stakeholder",
    "interest": "stakeholder",
    "strength": "relationship",
}
#: How several ratings become one agreed value.
RULES: dict[str, str] = {
    "median": "the middle rating (halfway between the two middle ones for an even count)",
    "mean": "the average rating, rounded to a whole number",
    "min": "the lowest rating (for stance: the least favourable)",
    "max": "the highest rating (for stance: the most favourable)",
}
DEFAULT_RULE = "median"
#: Stances from least to most favourable: stance ``s`` scores ``STANCE_SCALE.index(s) + 1``.
STANCE_SCALE: tuple[Stance, ...] = (
    Stance.OPPOSED,
    Stance.SCEPTIC,
    Stance.NEUTRAL,
    Stance.SUPPORTER,
    Stance.CHAMPION,
)
_MIDDLE = 3


@dataclass(frozen=True, init=False)
class Rating:
    """One rater's view of one field of a stakeholder or relationship.

    ``subject`` is a stakeholder id (stance, influence, interest) or a relationship id
    (strength); ``value`` a whole number from 1 to 5, or a :class:`Stance` (given as text,
    such as ``"4"`` or ``"Supporter"``, it is read into one).

    >>> Rating("Clinical lead", "cat", "stance", "Supporter").value
    <Stance.SUPPORTER: 'supporter'>
    >>> Rating("Council", "cat", "influence", 7)
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: Council's rating of 'cat': influence must be a whole number from 1 to 5, got 7.
    """

    rater: str
    subject: str
    field: str
    value: int | Stance

    def __init__(self, rater: str, subject: str, field: str, value: int | Stance | str) -> None:
        object.__setattr__(self, "subject", subject)
        object.__setattr__(self, "field", field)
        rater = str(rater).strip()
        if not rater:
            msg = f"A rating of {self.subject!r} has no rater; type who gives it."
            raise ValidationError(msg)
        object.__setattr__(self, "rater", rater)
        owner = f"{rater}'s rating of {self.subject!r}"
        if not str(self.subject).strip():
            msg = f"{owner}: say which stakeholder or relationship it is about."
            raise ValidationError(msg)
        if self.field not in FIELDS:
            msg = f"{owner}: {self.field!r} cannot be rated; choose from {', '.join(FIELDS)}."
            raise ValidationError(msg)
        if self.field == "stance":
            try:
                object.__setattr__(self, "value", Stance.parse(value))
            except ValidationError as err:
                raise ValidationError(f"{owner}: {err}") from None
            return
        given = value
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            msg = f"{owner}: {self.field} must be a whole number from 1 to 5, got {given!r}."
            raise ValidationError(msg)
        object.__setattr__(self, "value", value)

    @property
    def score(self) -> int | None:
        """The value on the 1-5 scale (``None`` for an unknown stance)."""
        return score(self.field, self.value)


@dataclass(frozen=True)
class Agreed:
    """The agreed value of one field and the ratings behind it (unknown stances not counted)."""

    subject: str
    field: str
    value: int | Stance
    raters: int
    spread: int


@dataclass(frozen=True)
class Disagreement:
    """Where raters differ on one field: the lowest and highest views and who holds them.

    ``spread`` is highest minus lowest on the 1-5 scale (stances by favourability).
    """

    subject: str
    field: str
    spread: int
    low: int | Stance
    high: int | Stance
    low_raters: tuple[str, ...]
    high_raters: tuple[str, ...]
    raters: int
    agreed: int | Stance


def score(field: str, value: int | Stance | str) -> int | None:
    """A value on the 1-5 scale: numbers as they are, stances by favourability.

    >>> score("stance", "champion"), score("stance", "opposed"), score("stance", "unknown")
    (5, 1, None)
    >>> score("influence", 4)
    4
    """
    if field != "stance":
        return int(value)
    stance = Stance.parse(value)
    return None if stance is Stance.UNKNOWN else STANCE_SCALE.index(stance) + 1


def from_score(field: str, value: int) -> int | Stance:
    """The field's value for a whole number on the 1-5 scale (inverse of :func:`score`).

    >>> from_score("stance", 4), from_score("strength", 2)
    (<Stance.SUPPORTER: 'supporter'>, 2)
    """
    return STANCE_SCALE[value - 1] if field == "stance" else value


def _round_to_middle(x: Fraction) -> int:
    """Round to the nearest whole number; an exact half goes towards the scale's middle (3)."""
    low = math.floor(x)
    rest = x - low
    if rest < Fraction(1, 2):
        return low
    if rest > Fraction(1, 2):
        return low + 1
    return low + 1 if low + 1 <= _MIDDLE else low


def combine(scores: Sequence[int], rule: str = DEFAULT_RULE) -> int:
    """One agreed whole number on the 1-5 scale from several ratings.

    ``median`` of an even count lies halfway between the two middle ratings; when that
    is a half (4 and 5 give 4.5) it rounds towards the middle of the scale, 3: so 4.5
    becomes 4, 1.5 becomes 2, 2.5 and 3.5 become 3. A split view therefore never pushes
    the agreed value to the more extreme of the two. ``mean`` rounds the same way.

    Examples
    --------
    >>> combine([4, 5]), combine([1, 2]), combine([2, 5]), combine([3, 4, 5])
    (4, 2, 3, 4)
    >>> combine([1, 1, 5], "mean"), combine([4, 5], "mean"), combine([2, 5], "max")
    (2, 4, 5)
    """
    if rule not in RULES:
        msg = f"Unknown rule {rule!r} for agreeing ratings; choose from {', '.join(RULES)}."
        raise ValidationError(msg)
    if not scores:
        msg = "There are no ratings to agree."
        raise ValidationError(msg)
    ordered = sorted(int(s) for s in scores)
    n = len(ordered)
    if rule == "min":
        return ordered[0]
    if rule == "max":
        return ordered[-1]
    if rule == "mean":
        return _round_to_middle(Fraction(sum(ordered), n))
    if n % 2:
        return ordered[n // 2]
    return _round_to_middle(Fraction(ordered[n // 2 - 1] + ordered[n // 2], 2))


def latest(ratings: Iterable[Rating]) -> list[Rating]:
    """One rating per rater, subject and field: a later rating replaces an earlier one.

    >>> [r.value for r in latest([Rating("A", "x", "influence", 2),
    ...                           Rating("A", "x", "influence", 4)])]
    [4]
    """
    kept: dict[tuple[str, str, str], Rating] = {}
    for r in ratings:
        key = (r.rater.casefold(), r.subject, r.field)
        kept.pop(key, None)
        kept[key] = r
    return list(kept.values())


def _grouped(ratings: Iterable[Rating]) -> dict[tuple[str, str], list[Rating]]:
    groups: dict[tuple[str, str], list[Rating]] = {}
    for r in latest(ratings):
        if r.score is not None:
            groups.setdefault((r.subject, r.field), []).append(r)
    return groups


def _scores(group: Iterable[Rating]) -> list[int]:
    """The scores of a group from :func:`_grouped` (every rating in it has one)."""
    return [s for r in group if (s := r.score) is not None]


def agreed_values(
    ratings: Iterable[Rating], rule: str = DEFAULT_RULE
) -> dict[tuple[str, str], Agreed]:
    """The agreed value of every rated (subject, field); unknown stances are ignored.

    Examples
    --------
    >>> views = [Rating("Clinical lead", "cat", "stance", "supporter"),
    ...          Rating("Council", "cat", "stance", "opposed"),
    ...          Rating("ICB", "cat", "stance", "unknown")]
    >>> a = agreed_values(views)[("cat", "stance")]
    >>> a.value, a.raters, a.spread
    (<Stance.NEUTRAL: 'neutral'>, 2, 3)
    """
    if rule not in RULES:
        combine([3], rule)  # raises the readable error
    out = {}
    for (subject, field), group in _grouped(ratings).items():
        scores = _scores(group)
        out[(subject, field)] = Agreed(
            subject=subject,
            field=field,
            value=from_score(field, combine(scores, rule)),
            raters=len(group),
            spread=max(scores) - min(scores),
        )
    return out


def disagreements(
    ratings: Iterable[Rating], rule: str = DEFAULT_RULE, *, minimum_spread: int = 1
) -> list[Disagreement]:
    """Fields on which raters differ by at least ``minimum_spread``, the widest first.

    Ties in spread are ranked by how many raters gave a view (more first), then by field
    (stance, influence, interest, strength) and subject id.

    Examples
    --------
    >>> views = [Rating("Clinical lead", "cat", "stance", "supporter"),
    ...          Rating("Council", "cat", "stance", "opposed"),
    ...          Rating("Council", "cat", "influence", 4),
    ...          Rating("ICB", "cat", "influence", 5)]
    >>> [(d.field, d.spread, d.low_raters, d.high_raters) for d in disagreements(views)]
    [('stance', 3, ('Council',), ('Clinical lead',)), ('influence', 1, ('Council',), ('ICB',))]
    """
    agreed = agreed_values(ratings, rule)
    out = []
    for (subject, field), group in _grouped(ratings).items():
        scores = _scores(group)
        low, high = min(scores), max(scores)
        if high - low < minimum_spread:
            continue
        out.append(
            Disagreement(
                subject=subject,
                field=field,
                spread=high - low,
                low=from_score(field, low),
                high=from_score(field, high),
                low_raters=tuple(r.rater for r in group if r.score == low),
                high_raters=tuple(r.rater for r in group if r.score == high),
                raters=len(group),
                agreed=agreed[(subject, field)].value,
            )
        )
    order = list(FIELDS)
    out.sort(key=lambda d: (-d.spread, -d.raters, order.index(d.field), d.subject))
    return out


def apply_agreed(m: Map, ratings: Iterable[Rating], rule: str = DEFAULT_RULE) -> Map:
    """A copy of ``m`` holding the agreed value of every rated field.

    Ratings of people or relationships no longer on the map are ignored; fields nobody
    rated keep their value.

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", influence=2),))
    >>> n = apply_agreed(m, [Rating("X", "a", "influence", 4), Rating("Y", "a", "influence", 5),
    ...                      Rating("X", "gone", "influence", 1)])
    >>> n.stakeholder("a").influence, m.stakeholder("a").influence
    (4, 2)
    """
    agreed = agreed_values(ratings, rule)
    if not agreed:
        return m

    # Any: each field gets a value of its own type (a Stance for "stance", else an int).
    def changes(subject: str, names: Sequence[str]) -> dict[str, Any]:
        return {f: agreed[(subject, f)].value for f in names if (subject, f) in agreed}

    people = tuple(
        replace(s, **changes(s.id, ("stance", "influence", "interest"))) for s in m.stakeholders
    )
    ties = tuple(replace(r, **changes(r.id, ("strength",))) for r in m.relationships)
    return replace(m, stakeholders=people, relationships=ties)
