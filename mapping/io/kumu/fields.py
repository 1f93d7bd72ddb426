"""Kumu field mapping: which Kumu fields feed which stakeholder fields, and how values convert."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from mapping.errors import ValidationError
from mapping.io.kumu.tables import KumuSource
from mapping.model import DEFAULT_PERSPECTIVES, Stance

__all__ = [
    "KumuFields",
    "ELEMENT_ROLES",
    "CONNECTION_ROLES",
    "VALUE_MAP_KEYS",
    "Scaler",
    "make_scaler",
    "parse_number",
    "parse_level",
    "parse_flag",
    "parse_day",
    "parse_stance",
    "suggest_perspective_map",
    "suggest_fields",
]

ELEMENT_ROLES: tuple[str, ...] = (
    "perspective",
    "stance",
    "influence",
    "interest",
    "organisation",
    "role",
    "coalition",
    "review_by",
)
CONNECTION_ROLES: tuple[str, ...] = ("strength", "how_we_know", "last_confirmed")
VALUE_MAP_KEYS: tuple[str, ...] = (
    "perspective",
    "stance",
    "influence",
    "interest",
    "coalition",
    "strength",
    "relationship_type",
)
_CANDIDATES = {
    "perspective": ("perspective", "type"),
    "stance": ("stance", "attitude"),
    "influence": ("influence", "power"),
    "interest": ("interest",),
    "organisation": ("organisation", "organization", "organisation name", "organization name"),
    "role": ("role", "job title", "title"),
    "coalition": ("coalition", "in coalition", "coalition member"),
    "review_by": ("review by", "review date"),
    "strength": ("strength", "weight"),
    "how_we_know": ("how we know",),
    "last_confirmed": ("last confirmed", "confirmed"),
}
_CHOICES = {
    "unknown_perspectives": ("add", "other"),
    "scale": ("auto", "clip", "rescale"),
    "duplicates": ("merge", "keep"),
}

# Words people put in Kumu's free-text Strength/Influence fields, on our 1-5 scale.
_LEVEL_WORDS = {
    "very low": 1, "very weak": 1, "minimal": 1,
    "low": 2, "weak": 2,
    "medium": 3, "moderate": 3, "average": 3, "mid": 3,
    "high": 4, "strong": 4,
    "very high": 5, "very strong": 5, "critical": 5,
}  # fmt: skip
_TRUE = {"yes", "y", "true", "1", "x", "✓", "✔", "in", "member", "coalition"}
_FALSE = {"no", "n", "false", "0", "out", "-"}
_STANCE_WORDS = {
    "advocate": "champion",
    "ally": "supporter",
    "supportive": "supporter",
    "support": "supporter",
    "for": "supporter",
    "undecided": "neutral",
    "skeptical": "sceptic",
    "sceptical": "sceptic",
    "against": "opposed",
    "oppose": "opposed",
    "blocker": "opposed",
    "resistant": "opposed",
}
# Common ways health and care teams label their Kumu element types.
_PERSPECTIVE_WORDS = {
    "clinical": ("clinician", "clinicians", "doctor", "doctors", "gp", "gps", "nurse", "nurses",
                 "nursing", "medical"),
    "patient & carer": ("patient", "patients", "carer", "carers", "patient and carer",
                        "patients and carers", "service user", "service users", "resident",
                        "residents", "public", "lived experience"),
    "commissioner": ("commissioners", "commissioning", "icb", "ccg", "integrated care board"),
    "provider": ("providers", "nhs trust", "trust", "hospital", "acute trust"),
    "local authority & social care": ("local authority", "council", "social care",
                                      "adult social care", "local government",
                                      "local authority and social care"),
    "voluntary & community sector": ("vcse", "vcs", "voluntary", "voluntary sector", "charity",
                                     "charities", "third sector", "community sector",
                                     "voluntary and community sector"),
    "public health": ("ph",),
}  # fmt: skip


@dataclass(frozen=True)
class KumuFields:
    """How a Kumu file's fields become stakeholder and relationship fields.

    Each role names the Kumu field (case-insensitive) that feeds it; ``""`` means none. Fields
    not used here become custom fields. ``value_maps`` maps Kumu values to ours per role, e.g.
    ``{"perspective": {"GP": "clinical"}, "stance": {"Ally": "supporter"}}`` (roles:
    perspective, stance, influence, interest, coalition, strength, relationship_type).

    ``unknown_perspectives``: ``"add"`` makes an unmatched value a new perspective of the map,
    ``"other"`` files it under ``other``. ``scale`` turns Kumu numbers into our 1-5 scales:
    ``"clip"`` rounds and clips, ``"rescale"`` stretches the file's own range onto 1-5,
    ``"auto"`` clips when every number already lies in 1-5 and rescales otherwise.
    ``duplicates``: ``"merge"`` imports a connection that repeats another exactly once (with a
    note), ``"keep"`` keeps every row as Kumu does. ``perspectives`` is the map's starting list.

    >>> KumuFields(value_maps={"perspective": {" GP ": "clinical"}}).value_maps
    {'perspective': {'gp': 'clinical'}}
    >>> KumuFields(scale="stretch")
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: Kumu import setting scale must be one of auto, clip, rescale; got 'stretch'.
    """

    perspective: str = "Type"
    stance: str = "Stance"
    influence: str = "Influence"
    interest: str = "Interest"
    organisation: str = "Organisation"
    role: str = "Role"
    coalition: str = "Coalition"
    review_by: str = "Review By"
    strength: str = "Strength"
    how_we_know: str = "How We Know"
    last_confirmed: str = "Last Confirmed"
    value_maps: Mapping[str, Mapping[str, str]] = field(default_factory=dict, hash=False)
    unknown_perspectives: str = "add"
    scale: str = "auto"
    duplicates: str = "merge"
    perspectives: tuple[str, ...] = DEFAULT_PERSPECTIVES

    def __post_init__(self) -> None:
        for name, choices in _CHOICES.items():
            value = getattr(self, name)
            if value not in choices:
                msg = (
                    f"Kumu import setting {name} must be one of {', '.join(choices)}; "
                    f"got {value!r}."
                )
                raise ValidationError(msg)
        for role in (*ELEMENT_ROLES, *CONNECTION_ROLES):
            object.__setattr__(self, role, str(getattr(self, role) or "").strip())
        maps: dict[str, dict[str, str]] = {}
        for key, table in dict(self.value_maps).items():
            if key not in VALUE_MAP_KEYS:
                msg = (
                    f"Kumu value map {key!r} is not one of: {', '.join(VALUE_MAP_KEYS)}; rename it."
                )
                raise ValidationError(msg)
            maps[key] = {str(k).strip().casefold(): str(v).strip() for k, v in dict(table).items()}
        object.__setattr__(self, "value_maps", maps)
        perspectives = tuple(str(p).strip() for p in self.perspectives if str(p).strip())
        object.__setattr__(self, "perspectives", perspectives or DEFAULT_PERSPECTIVES)

    def lookup(self, key: str, value: str) -> str | None:
        """The value this Kumu value is mapped to for ``key``, if the user mapped it."""
        return self.value_maps.get(key, {}).get(value.strip().casefold())


def parse_number(text: str) -> float | None:
    """A finite number from text such as ``"4"``, ``" 2.5 "`` or ``"80%"``; else ``None``.

    >>> parse_number("80%"), parse_number("High"), parse_number("nan")
    (80.0, None, None)
    """
    cleaned = text.strip().rstrip("%").replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


@dataclass(frozen=True)
class Scaler:
    """Turns one Kumu field's numbers into whole numbers 1-5.

    >>> Scaler(0.0, 10.0, rescale=True)(10.0), Scaler(0.0, 10.0, rescale=True)(5.0)
    (5, 3)
    >>> Scaler(1.0, 9.0, rescale=False)(9.0)
    5
    """

    low: float = 1.0
    high: float = 5.0
    rescale: bool = False

    def __call__(self, value: float) -> int:
        if self.rescale and self.high > self.low:
            value = 1 + (value - self.low) * 4 / (self.high - self.low)
        return min(5, max(1, _round_half_up(value)))

    def describe(self, label: str) -> str:
        """One sentence for the import notes."""
        low, high = f"{self.low:g}", f"{self.high:g}"
        if self.rescale and self.high > self.low:
            return (
                f"{label}: numbers run from {low} to {high}, so they were rescaled onto 1-5 "
                f"({low} → 1, {high} → 5)."
            )
        return f"{label}: numbers from {low} to {high} were rounded and kept within 1-5."


def make_scaler(numbers: Iterable[float], mode: str) -> Scaler:
    """The scaler for a field holding these numbers, by mode ``auto``, ``clip`` or ``rescale``.

    >>> make_scaler([1, 3, 5], "auto").rescale, make_scaler([0, 10], "auto").rescale
    (False, True)
    """
    values = list(numbers)
    if not values:
        return Scaler()
    low, high = min(values), max(values)
    if mode == "rescale":
        rescale = True
    elif mode == "clip":
        rescale = False
    else:
        rescale = low < 1 or high > 5
    return Scaler(float(low), float(high), rescale and high > low)


def parse_level(text: str, scaler: Scaler) -> int | None:
    """A 1-5 level from a number (through ``scaler``) or a word like "High"; else ``None``.

    >>> parse_level("High", Scaler()), parse_level("4.4", Scaler()), parse_level("?", Scaler())
    (4, 4, None)
    """
    number = parse_number(text)
    if number is not None:
        return scaler(number)
    return _LEVEL_WORDS.get(" ".join(text.casefold().replace("-", " ").split()))


def parse_flag(text: str) -> bool | None:
    """Yes/no text as a bool; ``None`` when it is neither.

    >>> parse_flag("Yes"), parse_flag("FALSE"), parse_flag("maybe")
    (True, False, None)
    """
    word = text.strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE or not word:
        return False
    return None


def parse_day(text: str) -> date | None:
    """A date written as ``YYYY-MM-DD`` (time allowed) or the UK ``DD/MM/YYYY``; else ``None``.

    >>> parse_day("2026-01-31 00:00:00"), parse_day("31/01/2026"), parse_day("soon")
    (datetime.date(2026, 1, 31), datetime.date(2026, 1, 31), None)
    """
    text = text.strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def parse_stance(text: str) -> Stance | None:
    """A stance from text, knowing a few common synonyms; ``None`` when unrecognised.

    >>> parse_stance("Ally"), parse_stance("Champion"), parse_stance("meh")
    (<Stance.SUPPORTER: 'supporter'>, <Stance.CHAMPION: 'champion'>, None)
    """
    word = text.strip().casefold()
    try:
        return Stance.parse(_STANCE_WORDS.get(word, word))
    except ValidationError:
        return None


def suggest_perspective_map(
    values: Iterable[str], perspectives: Iterable[str] = DEFAULT_PERSPECTIVES
) -> dict[str, str]:
    """Kumu type values that plainly name one of ``perspectives`` under another word.

    Values that already match a perspective (ignoring case) need no entry.

    >>> suggest_perspective_map(["GP", "Council", "Clinical", "Person"])
    {'GP': 'clinical', 'Council': 'local authority & social care'}
    """
    known = {p.casefold(): p for p in perspectives}
    words = {w: p for p, ws in _PERSPECTIVE_WORDS.items() if p in known.values() for w in ws}
    suggested: dict[str, str] = {}
    for value in values:
        key = " ".join(value.casefold().replace("&", "and").split())
        if value.strip().casefold() in known or key in known:
            continue
        if key in words:
            suggested[value] = words[key]
    return suggested


def suggest_fields(source: KumuSource) -> KumuFields:
    """The field mapping to offer for this file: our own names first, then Kumu's usual ones.

    The perspective comes from a field named Perspective, else Kumu's Type; type values that
    plainly name one of the perspectives under another word are mapped onto it.

    >>> from mapping.io.kumu.tables import load_kumu
    >>> f = suggest_fields(load_kumu("a.csv", b"Label,Type,Organization,Power\\nAnn,GP,ICB,9\\n"))
    >>> f.perspective, f.organisation, f.influence, f.stance, f.value_maps
    ('Type', 'Organization', 'Power', '', {'perspective': {'gp': 'clinical'}})
    """
    chosen: dict[str, str] = {}
    for role, names in _CANDIDATES.items():
        pool = source.connection_fields if role in CONNECTION_ROLES else source.element_fields
        by_key = {f.casefold(): f for f in pool}
        chosen[role] = next((by_key[n] for n in names if n in by_key), "")
    meta_perspectives = [p for p in source.meta.get("Perspectives", "").split("|") if p.strip()]
    perspectives = tuple(meta_perspectives) or DEFAULT_PERSPECTIVES
    value_maps = {}
    if chosen["perspective"]:
        values = {
            r.values.get(chosen["perspective"], "").split("|")[0].strip() for r in source.elements
        }
        suggested = suggest_perspective_map(sorted(v for v in values if v), perspectives)
        if suggested:
            value_maps["perspective"] = suggested
    return KumuFields(**chosen, value_maps=value_maps, perspectives=perspectives)
