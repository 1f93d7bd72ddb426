"""Seeded synthetic maps shaped like real ones, for benchmarks and tests at any size."""

from __future__ import annotations

import math
from datetime import date, timedelta
from itertools import accumulate
from random import Random
from typing import TypeVar

from mapping.model import DEFAULT_PERSPECTIVES, Map, Relationship, Stakeholder, Stance

__all__ = ["synthetic_map"]

V = TypeVar("V")

_FIRST = (
    "Asha", "Ben", "Chloe", "Dev", "Eleanor", "Farah", "George", "Hana", "Imran", "Jess",
    "Kwame", "Laura", "Mo", "Niamh", "Owen", "Priya", "Quinn", "Ravi", "Sara", "Tom",
    "Uma", "Victor", "Wen", "Yusuf", "Zoë",
)  # fmt: skip
_LAST = (
    "Patel", "Jones", "Okafor", "Smith", "Nowak", "Khan", "Williams", "Chen", "Murphy",
    "Ahmed", "Taylor", "Evans", "Brown", "Singh", "Davies", "O'Neill", "Hughes", "Ali",
)  # fmt: skip
#: Relative sizes of the default perspectives: providers and clinicians outnumber patients.
_PERSPECTIVE_WEIGHTS = (5, 2, 2, 5, 3, 2, 1, 1)
_STANCES = (
    (Stance.CHAMPION, 1),
    (Stance.SUPPORTER, 3),
    (Stance.NEUTRAL, 3),
    (Stance.SCEPTIC, 2),
    (Stance.OPPOSED, 1),
    (Stance.UNKNOWN, 2),
)
_TYPES = ("collaborates", "commissions", "funds", "reports to", "advises", "informal trust")
_TODAY = date(2026, 1, 1)


def _pick(rng: Random, weighted: tuple[tuple[V, int], ...]) -> V:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _people(n: int, rng: Random, coalition_share: float) -> list[Stakeholder]:
    perspectives = rng.choices(DEFAULT_PERSPECTIVES, _PERSPECTIVE_WEIGHTS, k=n)
    people = []
    for i, perspective in enumerate(perspectives):
        influence = min(5, max(1, round(rng.gauss(3.0, 1.1))))
        people.append(
            Stakeholder(
                id=f"s-{i:05d}",
                name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {i}",
                organisation=f"{perspective.split()[0].title()} organisation {i // 12}",
                role="Director" if influence >= 4 else "Lead",
                perspective=perspective,
                influence=influence,
                interest=rng.randint(1, 5),
                stance=_pick(rng, _STANCES),
                coalition=rng.random() < coalition_share,
                tags=("synthetic",),
            )
        )
    return people


def _ties(people: list[Stakeholder], count: int, within: float, rng: Random) -> list[Relationship]:
    """``count`` ties: mostly inside a perspective, between nearby people, hubs favoured."""
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(people):
        groups.setdefault(s.perspective, []).append(i)
    everyone = list(range(len(people)))
    # a heavy-tailed activity: a few people hold many ties, as brokers do on real maps
    activity = list(accumulate(rng.paretovariate(2.0) for _ in people))
    seen: set[tuple[int, int]] = set()
    ties: list[Relationship] = []
    attempts = 0
    while len(ties) < count and attempts < 20 * count:
        attempts += 1
        a = rng.choices(everyone, cum_weights=activity)[0]
        own = groups[people[a].perspective]
        if rng.random() < within and len(own) > 1:
            # a near neighbour in the same perspective: local clusters, like teams
            k = _index(own, a)
            step = max(1, int(abs(rng.gauss(0.0, 6.0))) + 1)
            b = own[(k + rng.choice((-step, step))) % len(own)]
            strength = rng.choices((1, 2, 3, 4, 5), (1, 2, 4, 4, 2))[0]
        else:
            b = rng.choices(everyone, cum_weights=activity)[0]
            strength = rng.choices((1, 2, 3, 4, 5), (3, 4, 3, 2, 1))[0]
        pair = (min(a, b), max(a, b))
        if a == b or pair in seen:
            continue
        seen.add(pair)
        j = len(ties)
        conflict = rng.random() < 0.02
        ties.append(
            Relationship(
                id=f"r-{j:06d}",
                source=people[a].id,
                target=people[b].id,
                type="conflict" if conflict else rng.choice(_TYPES),
                strength=strength,
                directed=rng.random() < 0.15,
                last_confirmed=None
                if rng.random() < 0.2
                else _TODAY - timedelta(days=rng.randint(0, 900)),
            )
        )
    return ties


def _index(ordered: list[int], value: int) -> int:
    """Position of ``value`` in an ascending list (bisection)."""
    lo, hi = 0, len(ordered)
    while lo < hi:
        mid = (lo + hi) // 2
        if ordered[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


def synthetic_map(
    n: int,
    *,
    ties_per_person: float = 5.0,
    within: float = 0.8,
    coalition_share: float = 0.08,
    seed: int = 0,
) -> Map:
    """A made-up map of ``n`` stakeholders shaped like real ones, the same for the same seed.

    People belong to the eight default perspectives in uneven numbers; about ``within`` of
    the ties join two people of the same perspective (mostly near neighbours, so teams
    form clusters), the rest cross perspectives; a few well-connected people hold many ties.
    Strengths run 1-5 (stronger inside a perspective); 2% of ties are conflicts, 15% one-way,
    20% never confirmed. Every name ends in the person's number, so names are unique.

    Parameters
    ----------
    n : int
        Number of stakeholders.
    ties_per_person : float
        Relationships per stakeholder: ``round(n * ties_per_person)`` in all (fewer only on
        maps too small to hold that many distinct pairs).
    within : float
        Share of ties inside a perspective.
    coalition_share : float
        Share of people marked as in the coalition.
    seed : int
        Random seed.

    Examples
    --------
    >>> m = synthetic_map(100, seed=1)
    >>> len(m.stakeholders), len(m.relationships)
    (100, 500)
    >>> m == synthetic_map(100, seed=1)
    True
    """
    if n < 0:
        msg = f"A synthetic map needs 0 or more stakeholders, got {n}."
        raise ValueError(msg)
    rng = Random(seed)
    people = _people(n, rng, coalition_share)
    pairs = n * (n - 1) // 2
    count = min(round(n * ties_per_person), math.floor(0.5 * pairs))
    ties = _ties(people, count, within, rng) if n > 1 else []
    return Map(
        name=f"Synthetic map of {n:,} stakeholders (seed {seed})",
        description="Made up for benchmarks: every person and tie is invented.",
        stakeholders=tuple(people),
        relationships=tuple(ties),
    )
