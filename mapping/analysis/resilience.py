"""Key-person risk: who, if they left, would cut the coalition apart or cut a perspective off."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import combinations

import networkx as nx

from mapping.analysis.findings import Finding, Severity
from mapping.errors import NotFoundError

__all__ = [
    "METHOD",
    "UNSPECIFIED",
    "Repair",
    "PersonRisk",
    "TieRisk",
    "fragmentation",
    "distance_fragmentation",
    "articulation_points",
    "critical_ties",
    "key_person_risks",
    "findings",
]

METHOD = (
    "Articulation points and bridges by Hopcroft & Tarjan's (1973) depth-first search; "
    "fragmentation F = 1 - sum s_k(s_k - 1) / (n(n - 1)) over component sizes, Borgatti's "
    "(2006) key-player measure, recomputed as if each person left."
)

UNSPECIFIED = "other"
"""The catch-all perspective: never reported as a perspective cut off."""


@dataclass(frozen=True)
class Repair:
    """One new relationship that would undo most of the damage of a departure."""

    source: str
    target: str
    members_restored: tuple[str, ...]
    perspectives_restored: tuple[str, ...]
    fragmentation_after: float


@dataclass(frozen=True)
class PersonRisk:
    """What the network would lose if one person left.

    ``cut_off_members`` are coalition members who would lose every path to the rest of the
    coalition around this person; ``perspectives_lost`` are perspectives that would have no
    one left connected to any coalition member; ``people_separated`` counts everyone left in
    a part of the network apart from the largest coalition part, and ``contacts_cut_off``
    are their direct contacts among them (the ties that are the only route).
    """

    id: str
    name: str
    perspective: str
    coalition: bool
    articulation_point: bool
    fragmentation_before: float
    fragmentation_after: float
    cut_off_members: tuple[str, ...]
    perspectives_lost: tuple[str, ...]
    people_separated: int
    contacts_cut_off: tuple[str, ...] = ()
    repair: Repair | None = None

    @property
    def fragmentation_increase(self) -> float:
        """How much their departure would raise the network's fragmentation."""
        return self.fragmentation_after - self.fragmentation_before

    @property
    def is_high_risk(self) -> bool:
        """Whether losing them would cut coalition members or a perspective off."""
        return bool(self.cut_off_members or self.perspectives_lost)


@dataclass(frozen=True)
class TieRisk:
    """A bridge: a tie whose loss would split the network in two."""

    source: str
    target: str
    strength: int
    source_side: int
    target_side: int
    source_side_members: int
    target_side_members: int


def _check_nodes(G: nx.Graph, nodes: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(nodes))
    for node in wanted:
        if node not in G:
            msg = f"Stakeholder {node!r} is not on this map; check the id."
            raise NotFoundError(msg)
    return wanted


def fragmentation(G: nx.Graph, removed: Iterable[str] = ()) -> float:
    """Borgatti's fragmentation: the share of pairs of people with no path between them.

    0 means everyone can reach everyone; 1 means no one can reach anyone. A network of
    fewer than two people has no pairs and scores 0.

    Parameters
    ----------
    G : networkx.Graph
        An undirected network, such as :func:`mapping.graph.tie_graph`.
    removed : iterable of str, optional
        People to leave out first, as if they had left.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> fragmentation(G)
    0.0
    >>> round(fragmentation(G, removed=["b"]), 3)
    1.0
    """
    gone = _check_nodes(G, removed)
    H = nx.restricted_view(G, gone, [])
    return _score(sum(len(c) * (len(c) - 1) for c in nx.connected_components(H)), len(H))


def distance_fragmentation(G: nx.Graph, removed: Iterable[str] = ()) -> float:
    """Borgatti's distance-weighted fragmentation, from the number of steps between people.

    ``DF = 1 - sum(1 / d_ij) / (n (n - 1))`` over ordered pairs, with ``1 / d = 0`` for
    people who cannot reach each other. It also rises when paths grow longer. It takes a
    breadth-first search from every person, so keep it for maps of a few thousand people.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> round(distance_fragmentation(G), 4)  # pairs at 1, 1 and 2 steps: 1 - 2.5 / 3
    0.1667
    """
    gone = _check_nodes(G, removed)
    H = nx.restricted_view(G, gone, [])
    n = len(H)
    if n < 2:
        return 0.0
    total = 0.0
    for _, lengths in nx.all_pairs_shortest_path_length(H):
        total += sum(1.0 / d for d in lengths.values() if d)
    return 1.0 - total / (n * (n - 1))


def _score(total: int, n: int) -> float:
    """Fragmentation from the sum of s(s - 1) over components and the number of people."""
    return 0.0 if n < 2 else 1.0 - total / (n * (n - 1))


def _prefix(flags: Iterable[bool]) -> list[int]:
    sums = [0]
    for flag in flags:
        sums.append(sums[-1] + bool(flag))
    return sums


class _Search:
    """One Hopcroft-Tarjan depth-first search, reused for every 'if this person left'.

    Each component, and each part a component splits into when one person leaves, is a
    run of positions in the search order minus some holes, so prefix sums count its
    coalition members in constant time.
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
        found = {G.nodes[v].get("perspective") for v in G} - {UNSPECIFIED, None, ""}
        listed = [p for p in G.graph.get("perspectives", ()) if p in found]
        self.perspectives = listed + sorted(found - set(listed))
        where = {p: k for k, p in enumerate(self.perspectives)}
        self.kind = [where.get(G.nodes[v].get("perspective"), -1) for v in self.order]
        self.components = [_Piece(self, lo, hi) for lo, hi in spans]
        self.component_of: dict[str, _Piece] = {}
        self.counts: dict[int, Counter[int]] = {}  # people per perspective, by component lo
        self.linked = [0] * len(self.perspectives)  # components linking each to a member
        for piece in self.components:
            for v in self.order[piece.lo : piece.hi]:
                self.component_of[v] = piece
            self.counts[piece.lo] = piece.kinds()
            for k in self.counts[piece.lo] if piece.members else ():
                self.linked[k] += 1
        self.total = sum(c.size * (c.size - 1) for c in self.components)

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

    def pieces(self, v: str) -> list[_Piece]:
        """The connected parts v's component would fall into if v left (none if alone).

        A search child whose subtree has no tie above v becomes a part of its own; the
        rest of the component (v's ancestors and other children) stays one part.
        """
        comp = self.component_of[v]
        children = [self.subtree(c) for c in self.cuts[v]]
        parts = [_Piece(self, lo, hi) for lo, hi in children]
        rest = _Piece(self, comp.lo, comp.hi, ((self.disc[v], self.disc[v] + 1), *children))
        return [rest, *parts] if rest.size else parts

    def is_member(self, v: str) -> bool:
        return self.member[self.disc[v]]


class _Piece:
    """Positions ``lo`` to ``hi`` of a search order, minus ``holes``: one connected part."""

    __slots__ = ("hi", "holes", "lo", "members", "search", "size", "starts")

    def __init__(
        self, search: _Search, lo: int, hi: int, holes: tuple[tuple[int, int], ...] = ()
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


def articulation_points(G: nx.Graph) -> list[str]:
    """People whose departure would split the network (Hopcroft-Tarjan), in map order.

    Examples
    --------
    >>> articulation_points(nx.path_graph(["a", "b", "c", "d"]))
    ['b', 'c']
    """
    search = _Search(G)
    return [v for v in G if len(search.pieces(v)) > 1]


def critical_ties(G: nx.Graph) -> list[TieRisk]:
    """Bridges: ties that are the only connection between two parts of the network.

    The tie whose smaller side is largest comes first.

    Examples
    --------
    >>> G = nx.barbell_graph(3, 0)
    >>> [(t.source, t.target, t.source_side, t.target_side) for t in critical_ties(G)]
    [(2, 3, 3, 3)]
    """
    search = _Search(G)
    out = []
    for p, c in search.bridges:
        comp = search.component_of[c]
        inside = _Piece(search, *search.subtree(c))
        outside = _Piece(search, comp.lo, comp.hi, (search.subtree(c),))
        out.append(
            TieRisk(
                source=p,
                target=c,
                strength=int(G.edges[p, c].get("strength", 1)),
                source_side=outside.size,
                target_side=inside.size,
                source_side_members=outside.members,
                target_side_members=inside.members,
            )
        )
    out.sort(key=lambda t: -min(t.source_side, t.target_side))
    return out


def key_person_risks(G: nx.Graph, people: Iterable[str] | None = None) -> list[PersonRisk]:
    """What each person's departure would do to the coalition, most damaging first.

    Parameters
    ----------
    G : networkx.Graph
        The tie graph (:func:`mapping.graph.tie_graph`); nodes carry ``coalition``,
        ``perspective`` and ``name``.
    people : iterable of str, optional
        Whom to ask about; by default every coalition member and every articulation point.

    Returns
    -------
    list of PersonRisk
        Ranked by coalition members cut off, perspectives lost, people separated, then the
        rise in fragmentation. High-risk people carry the one new tie (``repair``) that
        would reconnect the most coalition members, then perspectives, then people.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> nx.set_node_attributes(G, {"a": True, "b": True, "c": True}, "coalition")
    >>> top = key_person_risks(G)[0]
    >>> top.id, top.cut_off_members, round(top.fragmentation_after, 2)
    ('b', ('c',), 1.0)
    >>> (top.repair.source, top.repair.target)
    ('a', 'c')
    """
    search = _Search(G)
    if people is None:
        chosen = [v for v in G if search.is_member(v) or len(search.pieces(v)) > 1]
    else:
        chosen = _check_nodes(G, people)
    holding = sorted((c for c in search.components if c.members), key=lambda c: -c.members)[:2]
    risks = []
    for v in chosen:
        comp = search.component_of[v]
        other = next((c for c in holding if c is not comp), None)
        risks.append(_risk(search, v, other))
    risks.sort(
        key=lambda r: (
            -len(r.cut_off_members),
            -len(r.perspectives_lost),
            -r.people_separated,
            -r.fragmentation_increase,
            r.name,
        )
    )
    return risks


def _risk(search: _Search, v: str, other: _Piece | None) -> PersonRisk:
    n = len(search.order)
    comp = search.component_of[v]
    parts = search.pieces(v)
    total = search.total - comp.size * (comp.size - 1) + sum(p.size * (p.size - 1) for p in parts)
    main = max(parts, key=lambda p: (p.members, p.size), default=None)
    rest = [p for p in parts if p is not main]
    cut_off = tuple(u for p in rest if p.members for u in p.member_nodes())
    if main is not None and main.members:
        separated = sum(p.size for p in rest)
        contacts = tuple(u for u in search.G[v] if u not in main)
    elif search.is_member(v):  # no other member nearby: everyone loses the coalition
        separated = sum(p.size for p in parts)
        contacts = tuple(search.G[v])
    else:
        separated, contacts = 0, ()
    # a perspective is lost when it linked to the coalition only through this component
    # and everyone of it who remains is in a part with no coalition member
    dead = {p: p.kinds() for p in parts if not p.members} if comp.members else {}
    gone: Counter[int] = sum(dead.values(), Counter())
    counts, own = search.counts[comp.lo], search.kind[search.disc[v]]
    lost = tuple(
        search.perspectives[k]
        for k in sorted({*gone, own} - {-1})
        if comp.members and search.linked[k] == 1 and counts[k] - (k == own) == gone.get(k, 0)
    )
    data = search.G.nodes[v]
    risk = PersonRisk(
        id=v,
        name=str(data.get("name", v)),
        perspective=str(data.get("perspective", "")),
        coalition=search.is_member(v),
        articulation_point=len(parts) > 1,
        fragmentation_before=_score(search.total, n),
        fragmentation_after=_score(total, n - 1),
        cut_off_members=cut_off,
        perspectives_lost=lost,
        people_separated=separated,
        contacts_cut_off=contacts,
    )
    if not risk.is_high_risk:
        return risk
    return replace(risk, repair=_repair(search, risk, parts, main, other, total, dead))


def _pairs(
    parts: list[_Piece], main: _Piece | None, other: _Piece | None
) -> Iterable[tuple[_Piece, _Piece]]:
    """Pairs of parts a new tie could join; with many parts, those touching the main one.

    ``other`` is the component elsewhere holding the most coalition members, if any.
    """
    pool = parts + ([other] if other is not None else [])
    if len(pool) <= 30:
        return combinations(pool, 2)
    anchors = [p for p in (main, other) if p is not None]
    pairs = [(a, b) for a in anchors for b in pool if b is not a]
    big = sorted(pool, key=lambda p: -p.size)[:2]
    return [*pairs, (big[0], big[1])]


def _repair(
    search: _Search,
    risk: PersonRisk,
    parts: list[_Piece],
    main: _Piece | None,
    other: _Piece | None,
    total: int,
    dead: dict[_Piece, Counter[int]],
) -> Repair | None:
    """The pair of parts whose joining restores most members, then perspectives, then pairs.

    ``dead`` holds the perspectives of each part with no coalition member: people of a
    lost perspective are only there.
    """
    index = {p: k for k, p in enumerate(search.perspectives)}

    def has(piece: _Piece, perspective: str) -> bool:
        return index[perspective] in dead.get(piece, ())

    best = None
    for a, b in _pairs(parts, main, other):
        # every member of a part other than the main one is cut off, so joining such a
        # part to the main one restores all its members
        far = b if main is a else a if main is b else None
        members = far.members if far is not None and far is not other else 0
        restored: tuple[str, ...] = ()
        if a.members or b.members:
            restored = tuple(p for p in risk.perspectives_lost if has(a, p) or has(b, p))
        key = (members, len(restored), a.size * b.size)
        if best is None or key > best[0]:
            best = (key, a, b, far if members else None, restored)
    if best is None or not (best[3] or best[4]):
        return None
    _, a, b, far, restored = best
    members = tuple(u for u in risk.cut_off_members if u in far) if far else ()
    if b.members > a.members:
        a, b = b, a
    joined = total - a.size * (a.size - 1) - b.size * (b.size - 1)
    joined += (a.size + b.size) * (a.size + b.size - 1)
    n = len(search.order) - 1
    source, target = _contact(search, a, risk.id), _contact(search, b, risk.id)
    return Repair(source, target, members, restored, _score(joined, n))


def _contact(search: _Search, piece: _Piece, gone: str) -> str:
    """Who in a part should make the new tie.

    A coalition member who knew the person gone (the strongest tie, then the most
    influential), else the most influential member, else their strongest contact, else the
    most influential person there.
    """
    G = search.G
    near = G[gone]

    def influence(u: str) -> int:
        return G.nodes[u].get("influence", 0)

    def closeness(u: str) -> tuple[int, int]:
        return (near[u].get("strength", 0), influence(u))

    known = [u for u in near if u in piece]
    members = [u for u in known if search.is_member(u)]
    if members:
        return max(members, key=closeness)
    if piece.members:
        return max(piece.member_nodes(), key=influence)
    if known:
        return max(known, key=closeness)
    return max(piece.nodes(), key=influence)


def _listing(names: list[str], limit: int = 4) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C, D and 3 others'."""
    if len(names) > limit:
        rest = len(names) - limit
        names = [*names[:limit], f"{rest} other{'s' if rest > 1 else ''}"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _perspectives(names: tuple[str, ...]) -> str:
    quoted = _listing([f"'{p}'" for p in names], limit=6)
    return f"the {quoted} perspective" + ("s" if len(names) > 1 else "")


def _person_finding(G: nx.Graph, r: PersonRisk) -> Finding:

    def who(ids: Iterable[str]) -> str:
        return _listing([str(G.nodes[u].get("name", u)) for u in ids])

    lost = _perspectives(r.perspectives_lost) if r.perspectives_lost else ""
    if r.cut_off_members:
        title = f"If {r.name} left, {who(r.cut_off_members)} would be cut off from the coalition"
    elif r.articulation_point:
        verb = "would lose their" if len(r.perspectives_lost) > 1 else "would lose its"
        title = f"If {r.name} left, {lost} {verb} only route into the coalition"
    else:
        title = f"If {r.name} left, the coalition would lose its only connection to {lost}"
    role = f"{r.name} ({r.perspective or 'no perspective'}"
    role += ", coalition member)" if r.coalition else ")"
    parts = [
        f"{role} is the only connection holding parts of the network together."
        if r.articulation_point
        else f"{role} is the coalition's only connection to {lost}: no one else from it is "
        "in the coalition or connected to a coalition member."
    ]
    if r.cut_off_members:
        parts.append(
            f"Without them, {who(r.cut_off_members)} would have no path to the rest of the "
            "coalition."
        )
    if r.perspectives_lost and (r.articulation_point or r.cut_off_members):
        parts.append(f"No one from {lost} would be connected to any coalition member.")
    if r.people_separated:
        people = "1 person" if r.people_separated == 1 else f"{r.people_separated} people"
        parts.append(f"{people} in all would be separated from the coalition.")
    if r.fragmentation_increase > 0:
        parts.append(
            f"The share of pairs of people who cannot reach each other would rise from "
            f"{r.fragmentation_before:.0%} to {r.fragmentation_after:.0%}."
        )
    if r.repair is not None:
        gains = []
        if r.repair.members_restored:
            gains.append(f"reconnect {who(r.repair.members_restored)}")
        if r.repair.perspectives_restored:
            gains.append(f"keep {_perspectives(r.repair.perspectives_restored)} connected")
        action = (
            f"Build a second route now: a relationship between {who([r.repair.source])} and "
            f"{who([r.repair.target])} would {' and '.join(gains)} even if {r.name} left. "
            f"Share {r.name}'s relationships: introduce their contacts to other coalition "
            "members."
        )
    else:
        action = (
            f"Reduce the reliance on {r.name}: bring a second voice from {lost or 'their side'} "
            f"into the coalition, and introduce {r.name}'s contacts to other coalition members."
        )
    return Finding(
        code="resilience.key-person",
        severity=Severity.HIGH if r.articulation_point else Severity.MEDIUM,
        title=title,
        explanation=" ".join(parts),
        action=action,
        stakeholders=(r.id, *r.cut_off_members),
        ties=tuple((r.id, u) for u in r.contacts_cut_off),
        evidence={
            "fragmentation_before": round(r.fragmentation_before, 4),
            "fragmentation_after": round(r.fragmentation_after, 4),
            "cut_off_members": list(r.cut_off_members),
            "perspectives_lost": list(r.perspectives_lost),
            "people_separated": r.people_separated,
            "suggested_tie": [r.repair.source, r.repair.target] if r.repair else None,
        },
    )


def _tie_finding(G: nx.Graph, t: TieRisk) -> Finding:
    a, b = (str(G.nodes[u].get("name", u)) for u in (t.source, t.target))
    both = t.source_side_members and t.target_side_members
    sides = (
        f"On {a}'s side are {t.source_side} people ({t.source_side_members} in the coalition); "
        f"on {b}'s side {t.target_side} ({t.target_side_members} in the coalition)."
    )
    if both:
        effect = "the coalition would split in two."
    else:
        effect = "one group would have no route into the coalition."
    return Finding(
        code="resilience.bridge",
        severity=Severity.HIGH if both else Severity.MEDIUM,
        title=f"The relationship between {a} and {b} is the only tie between two groups",
        explanation=f"{sides} If this relationship lapsed, {effect}",
        action=(
            f"Build a second relationship across this gap, between people other than {a} and "
            f"{b}, and keep this one strong (strength now {t.strength} of 5)."
        ),
        stakeholders=(t.source, t.target),
        ties=((t.source, t.target),),
        evidence={
            "strength": t.strength,
            "source_side": t.source_side,
            "target_side": t.target_side,
            "source_side_members": t.source_side_members,
            "target_side_members": t.target_side_members,
        },
    )


def findings(G: nx.Graph, *, limit: int = 10) -> list[Finding]:
    """Single points of failure and bridges, in plain language, most damaging first.

    Parameters
    ----------
    G : networkx.Graph
        The tie graph (:func:`mapping.graph.tie_graph`).
    limit : int, optional
        At most this many people, and this many ties, are reported.

    Examples
    --------
    >>> from mapping.graph import tie_graph
    >>> from mapping.model import Map, Relationship, Stakeholder
    >>> m = Map("M", stakeholders=(
    ...     Stakeholder("a", "Ann", perspective="commissioner", coalition=True),
    ...     Stakeholder("d", "Dan", perspective="local authority & social care", coalition=True),
    ...     Stakeholder("e", "Eve", perspective="local authority & social care")),
    ...     relationships=(Relationship("r1", "a", "d"), Relationship("r2", "d", "e")))
    >>> print(findings(tie_graph(m))[0].title)  # doctest: +ELLIPSIS
    If Dan left, the 'local authority & social care' perspective would lose its only route...
    """
    risks = [r for r in key_person_risks(G) if r.is_high_risk][:limit]
    out = [_person_finding(G, r) for r in risks]
    members = [v for v, c in G.nodes(data="coalition") if c]
    if len(members) >= 2 and not risks:
        out.append(
            Finding(
                code="resilience.no-key-person",
                severity=Severity.INFO,
                title="No single person holds the coalition together",
                explanation=(
                    "Whoever left, the coalition's members could still reach one another and "
                    "every perspective would stay connected to the coalition."
                ),
                action="Keep it that way: review this after people join or leave.",
                stakeholders=tuple(members),
            )
        )
    ties = [
        t
        for t in critical_ties(G)
        if min(t.source_side, t.target_side) >= 2
        and (t.source_side_members or t.target_side_members)
    ]
    ties.sort(key=lambda t: not (t.source_side_members and t.target_side_members))
    out.extend(_tie_finding(G, t) for t in ties[:limit])
    return out
