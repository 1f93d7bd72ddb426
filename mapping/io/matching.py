"""Values a file uses that Coalition Mapper does not know, and what the user matched them to.

A spreadsheet may say "Social care" where the map says "local authority & social care", or
"Ally" for a stance, or "✔ member" for the coalition. Reading never guesses silently: each
such value is listed as an :class:`Unknown` (its kind, the value as first written, how many
rows use it, and a suggestion), and the user's :data:`Choices` say what each one means: one
of the known values, :data:`ADD` (keep it as a new perspective or relationship type) or
:data:`BLANK` (read the cell as empty). Values are matched whatever their case or spacing
(:func:`match_key`).

Choices are remembered for the next file of the same shape (:func:`shape_key`: the same
headers and the same unknown values): :func:`remember` and :func:`remembered` keep them in a
small mapping that the app stores among the user's preferences.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mapping.model import Stance

__all__ = [
    "ADD",
    "BLANK",
    "KINDS",
    "KIND_LABELS",
    "Choices",
    "Unknown",
    "match_key",
    "suggest",
    "known_values",
    "parse_match",
    "shape_key",
    "remember",
    "remembered",
    "MEMORY_KEY",
    "ADDABLE",
    "merge_choices",
]

#: The choice that keeps a value as a new perspective or relationship type.
ADD = "+"
#: The choice that reads the cell as if it were empty (other, unknown, no, collaborates).
BLANK = ""

#: The kinds of value that can be matched, in the order the preview lists them.
KINDS = ("perspective", "stance", "type", "coalition", "directed")
KIND_LABELS = {
    "perspective": "Perspective",
    "stance": "Stance",
    "type": "Relationship type",
    "coalition": "Coalition",
    "directed": "Directed",
}
#: Kinds whose unknown values may be kept as new values of the map.
ADDABLE = ("perspective", "type")

#: kind -> :func:`match_key` of a value -> the choice (a known value, :data:`ADD` or :data:`BLANK`).
Choices = Mapping[str, Mapping[str, str]]

#: The preference under which the app keeps a user's remembered choices.
MEMORY_KEY = "import_matches"
_MEMORY_SIZE = 30


@dataclass(frozen=True)
class Unknown:
    """A value of one kind that the map does not know, as first written, and its rows.

    ``suggestion`` is a known value, :data:`ADD`, or ``None`` when nothing fits.
    """

    kind: str
    value: str
    rows: int
    suggestion: str | None

    @property
    def key(self) -> str:
        """The value as matched: :func:`match_key`."""
        return match_key(self.value)


def match_key(value: str) -> str:
    """A value as it is matched: trimmed, spaces collapsed, any case.

    >>> match_key("  Social   Care ")
    'social care'
    """
    return " ".join(value.split()).casefold()


def _words(text: str) -> frozenset[str]:
    """The words of a value, ``&`` and ``and`` dropped.

    >>> sorted(_words("Voluntary & Community sector"))
    ['community', 'sector', 'voluntary']
    """
    return frozenset(re.findall(r"[\w']+", text.casefold())) - {"and", "the", "of"}


# Other names people give the default values: only suggested when the map has the value.
_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "perspective": {
        "local authority & social care": (
            "social care",
            "adult social care",
            "childrens social care",
            "children's social care",
            "local authority",
            "council",
            "local government",
            "la",
        ),
        "voluntary & community sector": (
            "vcse",
            "vcs",
            "voluntary",
            "voluntary sector",
            "third sector",
            "community sector",
            "charity",
            "charities",
            "voluntary and community",
        ),
        "patient & carer": (
            "patient",
            "patients",
            "carer",
            "carers",
            "service user",
            "service users",
            "lived experience",
            "patient voice",
        ),
        "clinical": ("clinician", "clinicians", "doctor", "gp", "nurse", "medical"),
        "commissioner": ("commissioning", "icb", "ccg", "commissioners"),
        "provider": ("providers", "nhs trust", "trust", "hospital", "provider trust"),
        "public health": ("ph", "population health"),
    },
    "stance": {
        "champion": ("advocate", "sponsor", "strong supporter", "enthusiast", "leader"),
        "supporter": ("supportive", "ally", "positive", "for", "in favour", "support", "pro"),
        "neutral": ("undecided", "unsure", "ambivalent", "neither"),
        "sceptic": ("sceptical", "skeptical", "doubtful", "cautious", "wary", "concerned"),
        "opposed": ("against", "opposition", "resistant", "hostile", "negative", "blocker"),
    },
    "type": {
        "collaborates": ("collaboration", "collaborate", "partner", "partnership", "works with"),
        "commissions": ("commissioning", "commissioned"),
        "funds": ("funding", "funder", "grant", "pays"),
        "reports to": ("reports", "line manager", "accountable to", "managed by"),
        "advises": ("advice", "advisory", "adviser", "advisor", "advising"),
        "informal trust": ("trust", "informal", "friendship", "friend", "trusted"),
        "conflict": ("tension", "disagreement", "opposition", "rivalry", "dispute"),
    },
    "coalition": {
        "yes": ("core", "core member", "active", "included", "ticked", "checked", "on", "ok"),
        "no": ("not yet", "none", "outside", "not", "off", "no longer"),
    },
    "directed": {
        "yes": ("one-directional", "single", "from-to", "directional", "arrow"),
        "no": ("two-directional", "both ways", "reciprocal", "mutual tie", "none"),
    },
}


def known_values(kind: str, perspectives: Sequence[str], types: Sequence[str]) -> tuple[str, ...]:
    """What a value of ``kind`` may be matched to, given the map's vocabulary.

    >>> known_values("stance", (), ())
    ('champion', 'supporter', 'neutral', 'sceptic', 'opposed', 'unknown')
    >>> known_values("coalition", (), ())
    ('yes', 'no')
    """
    if kind == "perspective":
        return tuple(perspectives)
    if kind == "type":
        return tuple(types)
    if kind == "stance":
        return tuple(s.value for s in Stance)
    if kind in ("coalition", "directed"):
        return ("yes", "no")
    msg = f"Unknown kind of value {kind!r}; use one of: {', '.join(KINDS)}."
    raise ValueError(msg)


def suggest(kind: str, value: str, known: Sequence[str]) -> str | None:
    """The known value ``value`` most likely means, :data:`ADD`, or ``None``.

    Same words in any case or order first, then the common other names, then words of one
    inside the other, then a close spelling. A perspective or type that nothing fits is
    suggested as new (:data:`ADD`).

    >>> from mapping.model import DEFAULT_PERSPECTIVES as P
    >>> suggest("perspective", "Social care", P), suggest("perspective", "Voluntary sector", P)
    ('local authority & social care', 'voluntary & community sector')
    >>> suggest("perspective", "NHS provider", P), suggest("perspective", "Agency A", P)
    ('provider', '+')
    >>> suggest("stance", "Strong supporter", known_values("stance", (), ()))
    'champion'
    >>> suggest("stance", "Suporter", known_values("stance", (), ())), suggest("stance", "?", ())
    ('supporter', None)
    >>> suggest("type", "Collaboration", ("collaborates", "funds"))
    'collaborates'
    """
    key = match_key(value)
    words = _words(value)
    exact = [k for k in known if match_key(k) == key or (words and _words(k) == words)]
    if exact:
        return exact[0]
    for target, others in _SYNONYMS.get(kind, {}).items():
        if key in others or key.replace("&", "and") in others:
            hits = [k for k in known if match_key(k) == target]
            if hits:
                return hits[0]
    if words:
        inside = [k for k in known if _words(k) and (words <= _words(k) or _words(k) <= words)]
        if len(inside) == 1:
            return inside[0]
    close = difflib.get_close_matches(key, [match_key(k) for k in known], n=1, cutoff=0.8)
    if close:
        return next(k for k in known if match_key(k) == close[0])
    return ADD if kind in ADDABLE else None


_KIND_NAMES = {
    "perspective": "perspective",
    "perspectives": "perspective",
    "stance": "stance",
    "stances": "stance",
    "type": "type",
    "types": "type",
    "relationship type": "type",
    "relationship-type": "type",
    "coalition": "coalition",
    "directed": "directed",
    "direction": "directed",
}


def parse_match(text: str) -> tuple[str, str, str]:
    """A ``KIND:FROM=TO`` choice from the command line as (kind, key of FROM, choice).

    TO is a known value; ``+`` keeps FROM as a new perspective or type; nothing after ``=``
    reads FROM as blank.

    >>> parse_match("perspective:Social care=local authority & social care")
    ('perspective', 'social care', 'local authority & social care')
    >>> parse_match("perspective:Agency A=+"), parse_match("stance: Maybe =")
    (('perspective', 'agency a', '+'), ('stance', 'maybe', ''))
    >>> parse_match("colour:red=blue")
    Traceback (most recent call last):
    ...
    ValueError: 'colour:red=blue': 'colour' is not a kind of value that can be matched; use perspective, stance, type, coalition or directed.
    """
    kind, sep, rest = text.partition(":")
    source, equals, choice = rest.partition("=")
    if not sep or not equals or not source.strip():
        msg = (
            f"{text!r} is not KIND:FROM=TO; write, for example, "
            "'perspective:Social care=local authority & social care'."
        )
        raise ValueError(msg)
    name = _KIND_NAMES.get(" ".join(kind.split()).casefold())
    if name is None:
        msg = (
            f"{text!r}: {kind.strip()!r} is not a kind of value that can be matched; use "
            f"{', '.join(KINDS[:-1])} or {KINDS[-1]}."
        )
        raise ValueError(msg)
    choice = choice.strip()
    if choice == ADD and name not in ADDABLE:
        msg = f"{text!r}: only perspectives and relationship types can be added as new ('+')."
        raise ValueError(msg)
    return name, match_key(source), choice


def merge_choices(*layers: Choices) -> dict[str, dict[str, str]]:
    """Choices of several layers, later ones winning.

    >>> merge_choices({"stance": {"ally": "supporter"}}, {"stance": {"maybe": ""}})
    {'stance': {'ally': 'supporter', 'maybe': ''}}
    """
    out: dict[str, dict[str, str]] = {}
    for layer in layers:
        for kind, values in layer.items():
            out.setdefault(kind, {}).update(values)
    return out


def shape_key(headers: Iterable[str], unknown: Iterable[Unknown]) -> str:
    """What makes two imports "the same shape": their headers and their unknown values.

    >>> a = shape_key(["Name", "Perspective"], [Unknown("perspective", "GP", 2, None)])
    >>> a == shape_key([" perspective", "NAME"], [Unknown("perspective", "gp", 9, None)])
    True
    >>> a == shape_key(["Name"], [Unknown("perspective", "GP", 2, None)])
    False
    """
    text = json.dumps(
        [sorted({match_key(h) for h in headers}), sorted({(u.kind, u.key) for u in unknown})]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def remembered(memory: Any, shape: str) -> dict[str, dict[str, str]]:
    """The choices kept for files of this shape (none if the memory is not ours).

    >>> remembered(remember({}, "s1", {"stance": {"ally": "supporter"}}), "s1")
    {'stance': {'ally': 'supporter'}}
    >>> remembered({"s1": "garbage"}, "s1"), remembered(None, "s1")
    ({}, {})
    """
    if not isinstance(memory, Mapping):
        return {}
    kept = memory.get(shape)
    if not isinstance(kept, Mapping):
        return {}
    return {
        kind: {str(k): str(v) for k, v in values.items()}
        for kind, values in kept.items()
        if kind in KINDS and isinstance(values, Mapping)
    }


def remember(memory: Any, shape: str, choices: Choices) -> dict[str, Any]:
    """A new memory holding ``choices`` for this shape, newest last, at most 30 shapes.

    >>> memory = {}
    >>> for i in range(40):
    ...     memory = remember(memory, f"s{i}", {"stance": {"x": "neutral"}})
    >>> len(memory), next(iter(memory)), list(memory)[-1]
    (30, 's10', 's39')
    """
    kept = dict(memory) if isinstance(memory, Mapping) else {}
    kept.pop(shape, None)
    kept[shape] = {kind: dict(values) for kind, values in choices.items() if values}
    while len(kept) > _MEMORY_SIZE:
        kept.pop(next(iter(kept)))
    return kept
