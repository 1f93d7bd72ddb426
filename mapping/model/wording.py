"""Plain-language helpers for findings: lists of names, counts, people, percentages, dates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache

import networkx as nx

__all__ = [
    "join",
    "local_minute",
    "truncate",
    "listing",
    "count_of",
    "person_name",
    "with_stance",
    "percent",
    "long_date",
]


def join(words: Iterable[str]) -> str:
    """Words as a sentence would list them; an empty string for none.

    Examples
    --------
    >>> join(["Ann"]), join(["Ann", "Bo"]), join(["Ann", "Bo", "Cy"]), join([])
    ('Ann', 'Ann and Bo', 'Ann, Bo and Cy', '')
    """
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def truncate(words: Sequence[str], limit: int, *, others: bool = False) -> list[str]:
    """The first ``limit`` words, then how many more there are ('2 more', or '2 others').

    Examples
    --------
    >>> truncate(["a", "b", "c", "d"], 2)
    ['a', 'b', '2 more']
    >>> truncate(["a", "b", "c"], 2, others=True), truncate(["a", "b"], 2)
    (['a', 'b', '1 other'], ['a', 'b'])
    """
    shown = list(words[:limit])
    rest = len(words) - limit
    if rest > 0:
        shown.append(count_of(rest, "other") if others else f"{rest} more")
    return shown


def listing(words: Sequence[str], limit: int, *, others: bool = False) -> str:
    """:func:`join` of :func:`truncate`: 'A, B, C and 3 more'.

    Examples
    --------
    >>> listing(["Ann", "Bo", "Cy", "Di", "Ed"], 3, others=True)
    'Ann, Bo, Cy and 2 others'
    """
    return join(truncate(words, limit, others=others))


def count_of(k: int, noun: str, plural: str | None = None) -> str:
    """A number with its noun, singular only for exactly one (``plural`` defaults to noun + s).

    Examples
    --------
    >>> count_of(1, "tie"), count_of(0, "tie"), count_of(3, "person", "people")
    ('1 tie', '0 ties', '3 people')
    """
    return f"{k} {noun if k == 1 else (plural or noun + 's')}"


def person_name(G: nx.Graph, n: object) -> str:
    """A person's name from the graph, or their id when no name is recorded.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"name": "Ann"}), "b"])
    >>> person_name(G, "a"), person_name(G, "b")
    ('Ann', 'b')
    """
    return str(G.nodes[n].get("name") or n)


def with_stance(text: str, stance: object) -> str:
    """``text``, followed by the stance when one is known.

    Examples
    --------
    >>> with_stance("provider", "sceptic"), with_stance("provider", "unknown")
    ('provider, sceptic', 'provider')
    """
    return text if stance in ("", "unknown", None) else f"{text}, {stance}"


def percent(share: float) -> str:
    """A share from 0 to 1 as a whole percentage.

    Examples
    --------
    >>> percent(0.125), percent(1.0)
    ('12%', '100%')
    """
    return f"{share:.0%}"


@lru_cache(maxsize=8192)
def long_date(day: date) -> str:
    """A date as people write it in the UK.

    Examples
    --------
    >>> long_date(date(2025, 3, 7))
    '7 March 2025'
    """
    return f"{day.day} {day:%B %Y}"


def local_minute(moment: datetime) -> str:
    """A moment in the server's local time, to the minute (``YYYY-MM-DD HH:MM``).

    >>> local_minute(datetime(2026, 12, 4, 9, 30, 5)) == "2026-12-04 09:30"  # naive: local
    True
    """
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"
