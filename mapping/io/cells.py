"""One spreadsheet cell's text as a field value, and back: scales, yes/no, dates, stances, tags.

Parsers raise :class:`CellError`, holding the problem and the fix, which the record reader
(:mod:`mapping.io.records`) turns into a message naming the row and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, datetime

from mapping.errors import ValidationError
from mapping.model import Stance

__all__ = [
    "CellError",
    "MapVocabulary",
    "UnknownPerspective",
    "ADD_PERSPECTIVES_FIX",
    "parse_scale",
    "parse_yes_no",
    "parse_date",
    "parse_stance",
    "encode_tags",
    "decode_tags",
    "json_text_list",
]

_YES = {
    "yes",
    "y",
    "true",
    "1",
    "x",
    "✓",
    "✔",
    "in",
    "member",
    "directed",
    "one-way",
    "one way",
    "->",
    "→",
}
_NO = {
    "no",
    "n",
    "false",
    "0",
    "out",
    "-",
    "mutual",
    "undirected",
    "two-way",
    "two way",
    "both",
    "<->",
    "↔",
}


class CellError(Exception):
    """A cell that cannot be read: what is wrong with it and how to fix it."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


def parse_scale(text: str, what: str) -> int:
    """A whole number 1-5 (``"4"``, ``"4.0"``); blank means 3.

    >>> parse_scale(" 4.0 ", "influence"), parse_scale("", "influence")
    (4, 3)
    >>> parse_scale("high", "influence")
    Traceback (most recent call last):
    ...
    mapping.io.cells.CellError: 'high' is not a whole number from 1 to 5
    """
    value = text.strip()
    if not value:
        return 3
    match = re.fullmatch(r"([+-]?\d+)(\.0*)?", value)
    if match and 1 <= int(match.group(1)) <= 5:
        return int(match.group(1))
    raise CellError(
        f"{value!r} is not a whole number from 1 to 5",
        f"write the {what} as 1, 2, 3, 4 or 5 (blank means 3)",
    )


def parse_yes_no(text: str, what: str) -> bool:
    """Yes (``yes``, ``x``, ``→``, ``one-way``...) or no (``no``, blank, ``mutual``...).

    >>> parse_yes_no("Y", "coalition"), parse_yes_no("", "coalition"), parse_yes_no("<->", "")
    (True, False, False)
    """
    value = text.strip().lower()
    if not value or value in _NO:
        return False
    if value in _YES:
        return True
    raise CellError(
        f"{text.strip()!r} is not yes or no", f"write yes, or no (or leave it blank) for {what}"
    )


def parse_date(text: str) -> date | None:
    """A date written ``YYYY-MM-DD`` (midnight allowed) or ``DD/MM/YYYY``; blank is ``None``.

    >>> parse_date("31/01/2026"), parse_date("2026-01-31T00:00"), parse_date(" ")
    (datetime.date(2026, 1, 31), datetime.date(2026, 1, 31), None)
    """
    value = text.strip()
    if not value:
        return None
    for parse in (date.fromisoformat, lambda v: datetime.strptime(v, "%d/%m/%Y").date()):
        try:
            return parse(value)
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]00:00(:00)?", value):
        return date.fromisoformat(value[:10])
    raise CellError(
        f"{value!r} is not a date", "write it as YYYY-MM-DD (or DD/MM/YYYY), or leave it blank"
    )


def parse_stance(text: str) -> Stance:
    """One of the stances, in any case; blank is unknown.

    >>> parse_stance(" Champion "), parse_stance("")
    (<Stance.CHAMPION: 'champion'>, <Stance.UNKNOWN: 'unknown'>)
    """
    try:
        return Stance.parse(text)
    except ValidationError:
        choices = ", ".join(s.value for s in Stance)
        raise CellError(f"{text.strip()!r} is not a stance", f"use one of: {choices}") from None


def json_text_list(text: str | None) -> tuple[str, ...] | None:
    """The strings of a JSON list of strings; ``None`` for anything else.

    >>> json_text_list('["a", "b|c"]'), json_text_list("[1]"), json_text_list("a|b")
    (('a', 'b|c'), None, None)
    """
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def encode_tags(tags: Sequence[str]) -> str:
    """Tags as one cell: joined by ``|``, or a JSON list when a tag itself holds ``|``.

    >>> encode_tags(["primary care", "north"]), encode_tags(["a|b"])
    ('primary care|north', '["a|b"]')
    """
    joined = "|".join(tags)
    if any("|" in t for t in tags) or joined.startswith("["):
        return json.dumps(list(tags), ensure_ascii=False)
    return joined


def decode_tags(text: str) -> tuple[str, ...]:
    """The tags :func:`encode_tags` wrote (or anyone's ``a|b|c``).

    >>> decode_tags("primary care| north|"), decode_tags('["a|b"]')
    (('primary care', 'north'), ('a|b',))
    """
    if text.startswith("["):
        value = json_text_list(text)
        if value is not None:
            return value
    return tuple(t.strip() for t in text.split("|") if t.strip())


#: How to import a file whose perspectives the map lacks, on the page and the command line.
ADD_PERSPECTIVES_FIX = (
    "match each to one of the map's perspectives or add it as new (in the matching step of "
    "the import page; on the command line, --match 'perspective:VALUE=PERSPECTIVE' or "
    "--add-unknown-perspectives)"
)


class UnknownPerspective(CellError):
    """A perspective the map does not have, in an import that may not add one."""

    def __init__(self, value: str, allowed: Sequence[str]) -> None:
        super().__init__(
            f"{value!r} is not one of the map's perspectives ({', '.join(allowed)})",
            ADD_PERSPECTIVES_FIX,
        )
        self.value = value
        self.allowed = tuple(allowed)


def _perspective_key(text: str) -> str:
    return " ".join(text.replace(" and ", " & ").casefold().split())


class MapVocabulary:
    """The map's perspectives and relationship types, growing as the import allows.

    >>> vocab = MapVocabulary(["clinical", "patient & carer"], ["funds"], add=False)
    >>> vocab.perspective("Patient and Carer"), vocab.relationship_type(" Advises ")
    ('patient & carer', 'advises')
    >>> vocab.types
    ['funds', 'advises']
    >>> vocab.find_perspective("GP"), vocab.find_type("FUNDS")
    (None, 'funds')
    """

    def __init__(self, perspectives: Sequence[str], types: Sequence[str], add: bool) -> None:
        self.perspectives = list(perspectives)
        self.types = list(types)
        self.add = add

    def find_perspective(self, text: str) -> str | None:
        """The map's perspective this (non-blank) text names, in any case; ``None`` if none."""
        value = text.strip()
        for key in (lambda p: p, str.casefold, _perspective_key):
            hits = [p for p in self.perspectives if key(p) == key(value)]
            if hits:
                return hits[0]
        return None

    def add_perspective(self, text: str) -> str:
        """The perspective this text names, added to the map's when it is new."""
        value = " ".join(text.split())
        found = self.find_perspective(value)
        if found is not None:
            return found
        self.perspectives.append(value)
        return value

    def perspective(self, text: str) -> str:
        """The map's perspective this text names; added when allowed, else a ``CellError``."""
        value = text.strip()
        if not value and "other" not in self.perspectives and not self.add:
            allowed = ", ".join(self.perspectives)
            raise CellError(
                "the perspective is blank and this map has no 'other' perspective",
                f"choose one of: {allowed}",
            )
        value = value or "other"
        found = self.find_perspective(value)
        if found is not None:
            return found
        if self.add:
            self.perspectives.append(value)
            return value
        raise UnknownPerspective(value, self.perspectives)

    def find_type(self, text: str) -> str | None:
        """The map's relationship type this text names (any case or spacing); ``None`` if
        none; blank names the default, collaborates, if the map has it."""
        value = text.strip().lower() or "collaborates"
        if value in self.types:
            return value
        spaced = " ".join(value.split())
        hits = [t for t in self.types if " ".join(t.split()) == spaced]
        return hits[0] if hits else None

    def relationship_type(self, text: str) -> str:
        """The relationship type this text names (lower case); new types are added."""
        found = self.find_type(text)
        if found is not None:
            return found
        value = text.strip().lower() or "collaborates"
        self.types.append(value)
        return value
