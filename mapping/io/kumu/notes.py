"""What a Kumu import tells the user: notes grouped by topic, each with a few examples, the
note on repeated connections merged, and the problems that stop an import (the first 25).

>>> notes = ImportNotes()
>>> notes.add("Unrecognised stances were set to unknown", "'keen' (elements row 3)")
>>> notes.add("There are no element rows")
>>> notes.lines()
["Unrecognised stances were set to unknown: 'keen' (elements row 3).", 'There are no element rows']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn

from mapping.errors import ValidationError

__all__ = ["MAX_PROBLEMS", "MAX_EXAMPLES", "ImportNotes", "duplicates_note", "raise_problems"]

#: The most problems a failed import lists (the rest are counted).
MAX_PROBLEMS = 25
#: The most examples a note shows (the rest are counted).
MAX_EXAMPLES = 8


class ImportNotes:
    """Import notes grouped by topic, each with a few examples."""

    def __init__(self) -> None:
        self._topics: dict[str, list[str]] = {}

    def add(self, topic: str, example: str = "") -> None:
        self._topics.setdefault(topic, [])
        if example:
            self._topics[topic].append(example)

    def lines(self) -> list[str]:
        out = []
        for topic, examples in self._topics.items():
            if not examples:
                out.append(topic)
                continue
            shown = "; ".join(examples[:MAX_EXAMPLES])
            more = len(examples) - MAX_EXAMPLES
            out.append(f"{topic}: {shown}" + (f"; and {more} more." if more > 0 else "."))
        return out


def duplicates_note(
    names: Mapping[str, str], merged: Mapping[tuple[str, str], list[str]], count: int
) -> str:
    """What merging repeated connections did: the people joined (with how many repeats
    were merged) and the rows merged, a few of each; ``names`` maps ids to names and
    ``merged`` each (source, target) pair to its rows merged.

    >>> print(duplicates_note({"a": "Ann", "b": "Bo"}, {("a", "b"): ["row 3 repeats row 2"]}, 1))
    1 duplicate connection between the same people was merged: Ann–Bo (1). Rows merged (each alike in every field to the earlier row): row 3 repeats row 2.
    """
    pairs = [f"{names[a]}–{names[b]} ({len(rows)})" for (a, b), rows in merged.items()]
    rows = [row for found in merged.values() for row in found]

    def some(items: list[str], sep: str) -> str:
        more = len(items) - MAX_EXAMPLES
        return sep.join(items[:MAX_EXAMPLES]) + (f"{sep}and {more} more" if more > 0 else "")

    noun, verb = ("connection", "was") if count == 1 else ("connections", "were")
    return (
        f"{count} duplicate {noun} between the same people {verb} merged: "
        f"{some(pairs, ', ')}. Rows merged (each alike in every field to the earlier "
        f"row): {some(rows, '; ')}."
    )


def raise_problems(problems: list[str], name: str) -> NoReturn:
    """Stop the import of the file ``name`` with a ``ValidationError`` listing ``problems``
    (the first :data:`MAX_PROBLEMS`, then how many more)."""
    if len(problems) > MAX_PROBLEMS:
        extra = len(problems) - MAX_PROBLEMS
        problems = [*problems[:MAX_PROBLEMS], f"…and {extra} more problems in {name}."]
    raise ValidationError(problems)
