"""Relationships that need investment, as facts: unsecured key players, weak or stale ties,
and tensions with the coalition (:mod:`mapping.analysis.investment` words them as findings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import networkx as nx

from mapping.analysis.quality import is_stale
from mapping.analysis.sources import TIMMINS_2015
from mapping.model import Map, Relationship, Stance
from mapping.model.graph import remembered, tie_graph
from mapping.model.wording import person_name

__all__ = [
    "METHOD",
    "SOURCE",
    "KeyPlayerGap",
    "TieGap",
    "InvestmentNeeds",
    "unsecured_key_players",
    "ties_needing_investment",
    "coalition_conflicts",
    "in_conflict_with_coalition",
    "investment_needs",
]

METHOD = (
    "Threshold rules for the King's Fund question 'where are the key relationships which "
    "need investment?' (Timmins 2015): influence >= high_influence marks a key player, "
    "strength >= strong_tie a strong tie; stale as in the data-quality check."
)

SOURCE = TIMMINS_2015

_RESISTANCE = {Stance.OPPOSED.value: 0, Stance.SCEPTIC.value: 1, Stance.NEUTRAL.value: 2}


@dataclass(frozen=True)
class KeyPlayerGap:
    """An influential person still to be won over, with no strong tie to the coalition.

    ``closest_member`` is the coalition member with the strongest direct tie to them
    (``None`` if none) and ``closest_strength`` that tie's strength (0 if none).
    """

    id: str
    name: str
    perspective: str
    influence: int
    stance: str
    coalition: bool
    closest_member: str | None
    closest_strength: int


@dataclass(frozen=True)
class TieGap:
    """A weak or unconfirmed relationship with a key player.

    Parallel relationships between the same two people count as one: the strongest
    strength and the latest confirmation date.
    """

    source: str
    target: str
    relationships: tuple[str, ...]
    strength: int
    last_confirmed: date | None
    weak: bool
    stale: bool
    key_players: tuple[str, ...]
    involves_coalition: bool


@dataclass(frozen=True)
class InvestmentNeeds:
    """Everything needing investment; ``ties`` leaves out ties of people in ``key_players``."""

    key_players: tuple[KeyPlayerGap, ...]
    ties: tuple[TieGap, ...]
    conflicts: tuple[Relationship, ...]

    @property
    def count(self) -> int:
        """How many relationships need investment, each counted once."""
        return len(self.key_players) + len(self.ties) + len(self.conflicts)


def unsecured_key_players(
    G: nx.Graph, high_influence: int = 4, strong_tie: int = 3
) -> list[KeyPlayerGap]:
    """Key players who are neutral, sceptical or opposed, with no strong tie to the coalition.

    Coalition members count too: a neutral member with no strong tie to another member is
    loosely held. Most influential first, then the most opposed.

    Examples
    --------
    >>> G = nx.Graph([("a", "c", {"strength": 2})])
    >>> G.add_nodes_from([("a", {"name": "Ann", "coalition": True, "influence": 3,
    ...     "stance": "champion"}), ("c", {"name": "Cat", "coalition": False,
    ...     "influence": 5, "stance": "sceptic"})])
    >>> [(g.id, g.closest_member, g.closest_strength) for g in unsecured_key_players(G)]
    [('c', 'a', 2)]
    """
    out = []
    for v, data in G.nodes(data=True):
        stance = str(data.get("stance", Stance.UNKNOWN.value))
        if data.get("influence", 0) < high_influence or stance not in _RESISTANCE:
            continue
        ties = sorted(
            (-d.get("strength", 0), -G.nodes[u].get("influence", 0), str(u), u)
            for u, d in G[v].items()
            if G.nodes[u].get("coalition", False)
        )
        best = (-ties[0][0], ties[0][3]) if ties else None
        if best is not None and best[0] >= strong_tie:
            continue
        out.append(
            KeyPlayerGap(
                id=v,
                name=person_name(G, v),
                perspective=str(data.get("perspective", "")),
                influence=int(data.get("influence", 0)),
                stance=stance,
                coalition=bool(data.get("coalition", False)),
                closest_member=best[1] if best else None,
                closest_strength=int(best[0]) if best else 0,
            )
        )
    out.sort(key=lambda g: (-g.influence, _RESISTANCE[g.stance], g.name))
    return out


def ties_needing_investment(
    m: Map,
    today: date,
    high_influence: int = 4,
    strong_tie: int = 3,
    stale_months: int = 12,
) -> list[TieGap]:
    """Relationships with key players that are weak, never confirmed or not confirmed lately.

    Conflict ties are left out (see :func:`coalition_conflicts`). Ties with a coalition
    member come first, then the most influential key player, then the weakest tie.

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("k", "Kay",
    ...     influence=5)), relationships=(Relationship("r1", "a", "k", strength=4,
    ...     last_confirmed=date(2024, 5, 1)),))
    >>> [(t.relationships, t.weak, t.stale) for t in ties_needing_investment(m, date(2026, 1, 1))]
    [(('r1',), False, True)]
    """
    people = {s.id: s for s in m.stakeholders}
    key = {s.id for s in m.stakeholders if s.influence >= high_influence}
    pairs: dict[frozenset[str], list[Relationship]] = {}
    for r in m.relationships:
        touches_key = r.source in key or r.target in key
        if touches_key and not r.is_conflict and r.source in people and r.target in people:
            pairs.setdefault(frozenset((r.source, r.target)), []).append(r)
    out = []
    for ties in pairs.values():
        first = ties[0]
        ends = (first.source, first.target)
        keys = tuple(e for e in ends if e in key)
        strength = max(r.strength for r in ties)
        dates = [r.last_confirmed for r in ties if r.last_confirmed is not None]
        last = max(dates, default=None)
        weak = strength < strong_tie
        stale = is_stale(last, today, stale_months)
        if weak or stale:
            out.append(
                TieGap(
                    source=ends[0],
                    target=ends[1],
                    relationships=tuple(r.id for r in ties),
                    strength=strength,
                    last_confirmed=last,
                    weak=weak,
                    stale=stale,
                    key_players=keys,
                    involves_coalition=any(people[e].coalition for e in ends),
                )
            )
    out.sort(
        key=lambda t: (
            not t.involves_coalition,
            -max(people[k].influence for k in t.key_players),
            t.strength,
            people[t.source].name,
            people[t.target].name,
        )
    )
    return out


def coalition_conflicts(m: Map, high_influence: int | None = None) -> list[Relationship]:
    """Conflict ties between two coalition members, in map order.

    With ``high_influence``, also conflicts between a coalition member and a key player
    outside it (influence >= ``high_influence``): a conflict is contact, and the tension is
    the relationship to invest in.

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", coalition=True),
    ...     Stakeholder("b", "Bo", coalition=True), Stakeholder("k", "Kay", influence=5)),
    ...     relationships=(Relationship("r1", "a", "b", type="conflict"),
    ...                    Relationship("r2", "k", "a", type="conflict")))
    >>> [r.id for r in coalition_conflicts(m)], [r.id for r in coalition_conflicts(m, 4)]
    (['r1'], ['r1', 'r2'])
    """
    members = {s.id for s in m.stakeholders if s.coalition}
    key = (
        {s.id for s in m.stakeholders if s.influence >= high_influence}
        if high_influence is not None
        else set()
    )

    def counts(r: Relationship) -> bool:
        ends = {r.source, r.target}
        return bool(ends & members) and ends <= members | key

    return [r for r in m.relationships if r.is_conflict and counts(r)]


def in_conflict_with_coalition(m: Map, high_influence: int) -> set[str]:
    """Key players outside the coalition who are in conflict with a coalition member.

    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", coalition=True),
    ...     Stakeholder("k", "Kay", influence=5)),
    ...     relationships=(Relationship("r1", "k", "a", type="conflict"),))
    >>> in_conflict_with_coalition(m, 4)
    {'k'}
    """
    members = {s.id for s in m.stakeholders if s.coalition}
    return {
        end
        for r in coalition_conflicts(m, high_influence)
        for end in (r.source, r.target)
        if end not in members
    }


def investment_needs(
    m: Map,
    today: date,
    high_influence: int = 4,
    strong_tie: int = 3,
    stale_months: int = 12,
) -> InvestmentNeeds:
    """All three kinds together, each relationship once.

    An unsecured key player's closest tie to the coalition is left out of ``ties``: the
    key-player entry covers it. A key player whose only contact with the coalition is a
    conflict is that conflict, not also an unsecured key player "with no tie to anyone in
    the coalition" (a conflict is contact).
    """
    key = ("investment.needs", today, high_influence, strong_tie, stale_months)
    return remembered(
        tie_graph(m),
        key,
        lambda: _investment_needs(m, today, high_influence, strong_tie, stale_months),
    )


def _investment_needs(
    m: Map, today: date, high_influence: int, strong_tie: int, stale_months: int
) -> InvestmentNeeds:
    conflicted = in_conflict_with_coalition(m, high_influence)
    players = [
        g
        for g in unsecured_key_players(tie_graph(m), high_influence, strong_tie)
        if g.id not in conflicted or g.closest_member is not None
    ]
    covered = {frozenset((g.id, g.closest_member)) for g in players if g.closest_member}
    ties = [
        t
        for t in ties_needing_investment(m, today, high_influence, strong_tie, stale_months)
        if frozenset((t.source, t.target)) not in covered
    ]
    conflicts = coalition_conflicts(m, high_influence)
    return InvestmentNeeds(tuple(players), tuple(ties), tuple(conflicts))
