"""Relationships that need investment, in words: unsecured key players, weak or stale ties,
tensions. The facts are found in :mod:`mapping.analysis.investment_facts` (its names are
offered here too)."""

from __future__ import annotations

from datetime import date

import networkx as nx

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.investment_facts import (
    METHOD,
    SOURCE,
    InvestmentNeeds,
    KeyPlayerGap,
    TieGap,
    coalition_conflicts,
    in_conflict_with_coalition,
    investment_needs,
    ties_needing_investment,
    unsecured_key_players,
)
from mapping.analysis.quality import is_stale
from mapping.model import Map, Relationship, Stance
from mapping.model.graph import tie_graph
from mapping.model.wording import join, long_date

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
    "findings",
]


def _state(strength: int, last: date | None, today: date, stale_months: int) -> str:
    parts = [f"strength {strength} of 5"]
    if last is None:
        parts.append("never confirmed")
    elif is_stale(last, today, stale_months):
        parts.append(f"last confirmed {long_date(last)}")
    return ", ".join(parts)


def _player_finding(
    G: nx.Graph,
    g: KeyPlayerGap,
    today: date,
    stale_months: int,
    names: dict[str, str],
    confirmed: dict[str, date | None],
) -> Finding:
    who = f"{g.name} ({g.perspective}, influence {g.influence} of 5, {g.stance})"
    if g.closest_member is None:
        explanation = f"{who} has no direct tie to anyone in the coalition."
        action = (
            f"Find a trusted messenger: see who to bring in next for the best route to "
            f"{g.name}, and plan a first conversation about what matters to them."
        )
        ties: tuple[tuple[str, str], ...] = ()
    else:
        member = names[g.closest_member]
        edge = G.edges[g.id, g.closest_member]
        dates = [d for r in edge.get("relationships", ()) if (d := confirmed.get(r)) is not None]
        state = _state(g.closest_strength, max(dates, default=None), today, stale_months)
        explanation = (
            f"{who} has no strong tie to the coalition: the closest is with {member} ({state})."
        )
        action = (
            f"Ask {member} to invest in this relationship: meet {g.name}, listen to their "
            "concerns, and record the relationship's strength after."
        )
        ties = ((g.closest_member, g.id),)
    return Finding(
        code="investment.key-player",
        severity=Severity.MEDIUM if g.stance == Stance.NEUTRAL.value else Severity.HIGH,
        title=f"{g.name} is influential, not yet on side, and not strongly tied to the coalition",
        explanation=explanation,
        action=action,
        stakeholders=(g.id,) + ((g.closest_member,) if g.closest_member else ()),
        ties=ties,
        evidence={
            "influence": g.influence,
            "stance": g.stance,
            "closest_member": g.closest_member,
            "closest_strength": g.closest_strength,
        },
        actor=g.closest_member,
    )


def _tie_finding(
    m: Map, t: TieGap, today: date, stale_months: int, names: dict[str, str]
) -> Finding:
    a, b = names[t.source], names[t.target]
    keys = join(f"{names[k]} (influence {m.stakeholder(k).influence} of 5)" for k in t.key_players)
    verb = "are key players" if len(t.key_players) > 1 else "is a key player"
    problems = []
    if t.weak:
        problems.append(f"is weak (strength {t.strength} of 5)")
    if t.last_confirmed is None:
        problems.append("has never been confirmed")
    elif t.stale:
        problems.append(f"was last confirmed {long_date(t.last_confirmed)}")
    return Finding(
        code="investment.tie",
        severity=Severity.MEDIUM if t.involves_coalition else Severity.LOW,
        title=f"The relationship between {a} and {b} needs investment",
        explanation=f"{keys} {verb}, but the relationship {join(problems)}.",
        action=(
            f"Arrange time between {a} and {b} to strengthen the relationship, then record "
            "its strength and the date it was confirmed."
        ),
        stakeholders=(t.source, t.target),
        ties=((t.source, t.target),),
        evidence={
            "strength": t.strength,
            "last_confirmed": t.last_confirmed.isoformat() if t.last_confirmed else None,
            "weak": t.weak,
            "stale": t.stale,
            "relationships": list(t.relationships),
        },
        actor=next((e for e in (t.source, t.target) if m.stakeholder(e).coalition), None),
    )


def _conflict_finding(m: Map, G: nx.Graph, r: Relationship, names: dict[str, str]) -> Finding:
    a, b = names[r.source], names[r.target]
    shared = [
        u for u in nx.common_neighbors(G, r.source, r.target) if G.nodes[u].get("coalition", False)
    ]
    shared.sort(
        key=lambda u: -min(G.edges[u, r.source]["strength"], G.edges[u, r.target]["strength"])
    )
    if shared:
        broker = names[shared[0]]
        action = (
            f"Ask {broker}, who works with both, to help {a} and {b} find the goals they share "
            "and agree how they will work together."
        )
    else:
        action = (
            f"Talk to {a} and {b} separately about the tension, then bring them together "
            "around the goals they share."
        )
    source, target = m.stakeholder(r.source), m.stakeholder(r.target)
    if source.coalition and target.coalition:
        title = f"Tension inside the coalition: {a} and {b}"
        explanation = (
            f"{a} and {b} are both in the coalition, but their relationship is recorded as a "
            f"conflict (intensity {r.strength} of 5). Unresolved tension in the coalition "
            "slows the work and puts others off joining."
        )
    else:
        member, other = (source, target) if source.coalition else (target, source)
        title = f"Tension between {other.name} and the coalition's {member.name}"
        explanation = (
            f"{other.name} ({other.perspective}, influence {other.influence} of 5, "
            f"{other.stance.value}) is in touch with the coalition through {member.name}, but "
            f"the relationship is recorded as a conflict (intensity {r.strength} of 5). Left "
            "alone, an influential person in conflict with the coalition can stall the change."
        )
    return Finding(
        code="investment.conflict",
        severity=Severity.HIGH,
        title=title,
        explanation=explanation,
        action=action,
        stakeholders=(r.source, r.target) + ((shared[0],) if shared else ()),
        ties=((r.source, r.target),),
        evidence={"relationship": r.id, "strength": r.strength},
        actor=shared[0] if shared else (r.source if source.coalition else r.target),
    )


def findings(
    m: Map,
    today: date,
    *,
    high_influence: int = 4,
    strong_tie: int = 3,
    stale_months: int = 12,
    limit: int | None = 10,
) -> list[Finding]:
    """The key relationships that need investment, in plain language.

    Tensions inside the coalition first, then unsecured key players, then weak or stale
    ties with key players (at most ``limit`` of each; ``None``: all, as the gap report
    lists them, grouped).

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", perspective="clinical",
    ...     coalition=True), Stakeholder("c", "Cat", perspective="provider", influence=5,
    ...     stance="opposed")), relationships=(Relationship("r1", "a", "c", strength=1),))
    >>> print(findings(m, date(2026, 1, 1))[0].explanation)  # doctest: +ELLIPSIS
    Cat (provider, influence 5 of 5, opposed) has no strong tie to the coalition: the closest ...
    """
    G = tie_graph(m)
    needs = investment_needs(m, today, high_influence, strong_tie, stale_months)
    names = m.names()
    confirmed = {r.id: r.last_confirmed for r in m.relationships}
    out = [_conflict_finding(m, G, r, names) for r in needs.conflicts[:limit]]
    out += [
        _player_finding(G, g, today, stale_months, names, confirmed)
        for g in needs.key_players[:limit]
    ]
    out += [_tie_finding(m, t, today, stale_months, names) for t in needs.ties[:limit]]
    return out
