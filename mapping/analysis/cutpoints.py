"""Cut vertices in linear time: one depth-first search answers 'what if this person left?'."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from mapping.analysis.perspectives import present_perspectives
from mapping.analysis.sources import BORGATTI_2006, HOPCROFT_TARJAN_1973, cite

__all__ = [
    "METHOD",
    "SOURCE",
    "Piece",
    "Departure",
    "Search",
    "fragmentation_score",
]

METHOD = (
    "One Hopcroft & Tarjan (1973) depth-first search finds every articulation point and "
    "bridge; each part left when a person goes is a run of the search order, so prefix sums "
    "give its size and coalition members at once, and Borgatti's (2006) fragmentation follows."
)

SOURCE = cite(HOPCROFT_TARJAN_1973, BORGATTI_2006)

#: Repairs weigh every pair of parts up to this many parts, then only pairs with an anchor.
_ALL_PAIRS = 30


def fragmentation_score(total: float, n: int) -> float:
    """Fragmentation from the sum of s(s - 1) over components and the number of people.

    With the sum of 1 / distance over ordered pairs instead, it is the distance-weighted
    fragmentation.

    Examples
    --------
    >>> round(fragmentation_score(2, 3), 4)  # parts of two people and one: 1 - 2 / 6
    0.6667
    """
    return 0.0 if n < 2 else 1.0 - total / (n * (n - 1))


def _prefix(flags: Iterable[bool]) -> list[int]:
    sums = [0]
    for flag in flags:
        sums.append(sums[-1] + bool(flag))
    return sums


@dataclass(frozen=True, eq=False)
class Departure:
    """What one person's leaving would do to the network.

    ``parts`` are the connected parts their component falls into (none if they were
    alone), ``main`` the one holding most coalition members (then most people) and
    ``other`` the component elsewhere holding most coalition members. ``total`` is the sum
    of s(s - 1) over every part of the network afterwards. ``dead`` holds, for each part
    with no coalition member, how many people of each perspective (by index) it has.
    """

    person: str
    parts: tuple[Piece, ...]
    main: Piece | None
    other: Piece | None
    total: int
    fragmentation_before: float
    fragmentation_after: float
    cut_off_members: tuple[str, ...]
    perspectives_lost: tuple[str, ...]
    people_separated: int
    contacts_cut_off: tuple[str, ...]
    dead: dict[Piece, Counter[int]]

    @property
    def articulation_point(self) -> bool:
        """Whether their leaving would split their part of the network."""
        return len(self.parts) > 1


class Search:
    """One Hopcroft-Tarjan depth-first search, reused for every 'if this person left'.

    Each component, and each part a component splits into when one person leaves, is a
    run of positions in the search order minus some holes, so prefix sums count its
    coalition members in constant time.

    Examples
    --------
    >>> search = Search(nx.path_graph(["a", "b", "c"]))
    >>> [p.nodes() for p in search.pieces("b")], search.bridges
    ([['a'], ['c']], [('b', 'c'), ('a', 'b')])
    """

    def __init__(self, G: nx.Graph) -> None:
        self.G = G
        self.order: list[str] = []
        self.disc: dict[str, int] = {}
        self.size: dict[str, int] = {}
        self.cuts: dict[str, list[str]] = {}
        self.bridges: list[tuple[str, str]] = []
        spans = []
        low: dict[str, int] = {}
        for root in G:
            if root not in self.disc:
                start = len(self.order)
                self._visit(root, low)
                spans.append((start, len(self.order)))
        self.member = [bool(G.nodes[v].get("coalition", False)) for v in self.order]
        self.members = _prefix(self.member)
        self.perspectives = present_perspectives(G)
        where = {p: k for k, p in enumerate(self.perspectives)}
        self.kind = [where.get(G.nodes[v].get("perspective"), -1) for v in self.order]
        self.components = [Piece(self, lo, hi) for lo, hi in spans]
        self.component_of: dict[str, Piece] = {}
        self.counts: dict[int, Counter[int]] = {}  # people per perspective, by component lo
        self.linked = [0] * len(self.perspectives)  # components linking each to a member
        for piece in self.components:
            for v in self.order[piece.lo : piece.hi]:
                self.component_of[v] = piece
            self.counts[piece.lo] = piece.kinds()
            for k in self.counts[piece.lo] if piece.members else ():
                self.linked[k] += 1
        self.total = sum(c.size * (c.size - 1) for c in self.components)
        holding = (c for c in self.components if c.members)
        self.holding = sorted(holding, key=lambda c: -c.members)[:2]

    def _visit(self, root: str, low: dict[str, int]) -> None:
        G, disc = self.G, self.disc
        disc[root] = low[root] = len(self.order)
        self.order.append(root)
        self.cuts[root] = []
        stack: list[tuple[str, str | None, Iterator[str]]] = [(root, None, iter(G[root]))]
        while stack:
            v, parent, neighbours = stack[-1]
            for w in neighbours:
                if w == parent:
                    continue
                if w in disc:
                    low[v] = min(low[v], disc[w])
                    continue
                disc[w] = low[w] = len(self.order)
                self.order.append(w)
                self.cuts[w] = []
                stack.append((w, v, iter(G[w])))
                break
            else:
                stack.pop()
                self.size[v] = len(self.order) - disc[v]
                if parent is not None:
                    low[parent] = min(low[parent], low[v])
                    if low[v] >= disc[parent]:
                        self.cuts[parent].append(v)
                    if low[v] > disc[parent]:
                        self.bridges.append((parent, v))

    def subtree(self, v: str) -> tuple[int, int]:
        return (self.disc[v], self.disc[v] + self.size[v])

    def pieces(self, v: str) -> list[Piece]:
        """The connected parts v's component would fall into if v left (none if alone).

        A search child whose subtree has no tie above v becomes a part of its own; the
        rest of the component (v's ancestors and other children) stays one part.
        """
        comp = self.component_of[v]
        children = [self.subtree(c) for c in self.cuts[v]]
        parts = [Piece(self, lo, hi) for lo, hi in children]
        rest = Piece(self, comp.lo, comp.hi, ((self.disc[v], self.disc[v] + 1), *children))
        return [rest, *parts] if rest.size else parts

    def sides(self, child: str) -> tuple[Piece, Piece]:
        """The two parts a bridge (parent, ``child``) joins: the parent's side, then the child's."""
        comp = self.component_of[child]
        inside = Piece(self, *self.subtree(child))
        return Piece(self, comp.lo, comp.hi, (self.subtree(child),)), inside

    def is_member(self, v: str) -> bool:
        return self.member[self.disc[v]]

    def depart(self, v: str) -> Departure:
        """What v's leaving would cut off: coalition members, perspectives, people."""
        n = len(self.order)
        comp = self.component_of[v]
        parts = self.pieces(v)
        total = self.total - comp.size * (comp.size - 1) + sum(p.size * (p.size - 1) for p in parts)
        main = max(parts, key=lambda p: (p.members, p.size), default=None)
        rest = [p for p in parts if p is not main]
        cut_off = tuple(u for p in rest if p.members for u in p.member_nodes())
        if main is not None and main.members:
            separated = sum(p.size for p in rest)
            contacts = tuple(u for u in self.G[v] if u not in main)
        elif self.is_member(v):  # no other member nearby: everyone loses the coalition
            separated = sum(p.size for p in parts)
            contacts = tuple(self.G[v])
        else:
            separated, contacts = 0, ()
        # a perspective is lost when it linked to the coalition only through this component
        # and everyone of it who remains is in a part with no coalition member
        dead = {p: p.kinds() for p in parts if not p.members} if comp.members else {}
        gone: Counter[int] = sum(dead.values(), Counter())
        counts, own = self.counts[comp.lo], self.kind[self.disc[v]]
        lost = tuple(
            self.perspectives[k]
            for k in sorted({*gone, own} - {-1})
            if comp.members and self.linked[k] == 1 and counts[k] - (k == own) == gone.get(k, 0)
        )
        return Departure(
            person=v,
            parts=tuple(parts),
            main=main,
            other=next((c for c in self.holding if c is not comp), None),
            total=total,
            fragmentation_before=fragmentation_score(self.total, n),
            fragmentation_after=fragmentation_score(total, n - 1),
            cut_off_members=cut_off,
            perspectives_lost=lost,
            people_separated=separated,
            contacts_cut_off=contacts,
            dead=dead,
        )

    def repair(
        self, d: Departure
    ) -> tuple[str, str, tuple[str, ...], tuple[str, ...], float] | None:
        """The one new tie that restores most members, then perspectives, then pairs.

        Returns ``(source, target, members_restored, perspectives_restored,
        fragmentation_after)``, or ``None`` when no tie would restore a member or a
        perspective. People of a lost perspective are only in parts of ``d.dead``.
        """
        index = {p: k for k, p in enumerate(self.perspectives)}
        main, other = d.main, d.other

        def has(piece: Piece, perspective: str) -> bool:
            return index[perspective] in d.dead.get(piece, ())

        best = None
        for a, b in _pairs(list(d.parts), main, other):
            # every member of a part other than the main one is cut off, so joining such a
            # part to the main one restores all its members
            far = b if main is a else a if main is b else None
            members = far.members if far is not None and far is not other else 0
            restored: tuple[str, ...] = ()
            if a.members or b.members:
                restored = tuple(p for p in d.perspectives_lost if has(a, p) or has(b, p))
            key = (members, len(restored), a.size * b.size)
            if best is None or key > best[0]:
                best = (key, a, b, far if members else None, restored)
        if best is None or not (best[3] or best[4]):
            return None
        _, a, b, far, restored = best
        found = tuple(u for u in d.cut_off_members if u in far) if far else ()
        if b.members > a.members:
            a, b = b, a
        joined = d.total - a.size * (a.size - 1) - b.size * (b.size - 1)
        joined += (a.size + b.size) * (a.size + b.size - 1)
        n = len(self.order) - 1
        source, target = self._contact(a, d.person), self._contact(b, d.person)
        return (source, target, found, restored, fragmentation_score(joined, n))

    def _contact(self, piece: Piece, gone: str) -> str:
        """Who in a part should make the new tie.

        A coalition member who knew the person gone (the strongest tie, then the most
        influential), else the most influential member, else their strongest contact, else
        the most influential person there.
        """
        G = self.G
        near = G[gone]

        def influence(u: str) -> int:
            return G.nodes[u].get("influence", 0)

        def closeness(u: str) -> tuple[int, int]:
            return (near[u].get("strength", 0), influence(u))

        known = [u for u in near if u in piece]
        members = [u for u in known if self.is_member(u)]
        if members:
            return max(members, key=closeness)
        if piece.members:
            return max(piece.member_nodes(), key=influence)
        if known:
            return max(known, key=closeness)
        return max(piece.nodes(), key=influence)


def _pairs(
    parts: list[Piece], main: Piece | None, other: Piece | None
) -> Iterable[tuple[Piece, Piece]]:
    """Pairs of parts a new tie could join; with many parts, those touching the main one.

    ``other`` is the component elsewhere holding the most coalition members, if any.
    """
    pool = parts + ([other] if other is not None else [])
    if len(pool) <= _ALL_PAIRS:
        return combinations(pool, 2)
    anchors = [p for p in (main, other) if p is not None]
    pairs = [(a, b) for a in anchors for b in pool if b is not a]
    big = sorted(pool, key=lambda p: -p.size)[:2]
    return [*pairs, (big[0], big[1])]


class Piece:
    """Positions ``lo`` to ``hi`` of a search order, minus ``holes``: one connected part."""

    __slots__ = ("hi", "holes", "lo", "members", "search", "size", "starts")

    def __init__(
        self, search: Search, lo: int, hi: int, holes: tuple[tuple[int, int], ...] = ()
    ) -> None:
        self.search, self.lo, self.hi = search, lo, hi
        self.holes = tuple(sorted(holes))
        self.starts = [a for a, _ in self.holes]
        self.size = hi - lo - sum(b - a for a, b in self.holes)
        sums = search.members
        self.members = sums[hi] - sums[lo] - sum(sums[b] - sums[a] for a, b in self.holes)

    def kinds(self) -> Counter[int]:
        """People per perspective (by index; -1 for none) in this part."""
        kind = self.search.kind
        out: Counter[int] = Counter()
        for a, b in self._runs():
            out.update(kind[a:b])
        out.pop(-1, None)
        return out

    def __contains__(self, node: str) -> bool:
        i = self.search.disc[node]
        if not self.lo <= i < self.hi:
            return False
        k = bisect_right(self.starts, i) - 1
        return k < 0 or i >= self.holes[k][1]

    def _runs(self) -> Iterator[tuple[int, int]]:
        i = self.lo
        for a, b in [*self.holes, (self.hi, self.hi)]:
            if a > i:
                yield i, a
            i = max(i, b)

    def nodes(self) -> list[str]:
        order = self.search.order
        return [u for a, b in self._runs() for u in order[a:b]]

    def member_nodes(self) -> list[str]:
        order, member = self.search.order, self.search.member
        return [
            u for a, b in self._runs() for u, m in zip(order[a:b], member[a:b], strict=True) if m
        ]
