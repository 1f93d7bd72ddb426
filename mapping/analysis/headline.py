"""The headline figures of a map: the few numbers a what-if, a snapshot and a change summary
compare, each with its label and which way is better."""

from __future__ import annotations

from datetime import date

import networkx as nx

from mapping.analysis.coverage import perspective_coverage
from mapping.analysis.investment import investment_needs
from mapping.analysis.perspectives import UNSPECIFIED, perspective_lookup
from mapping.analysis.resilience import fragmentation, key_person_risks, network_gateways
from mapping.model import Map
from mapping.model.graph import remembered, tie_graph
from mapping.model.settings import Settings

__all__ = ["FIGURES", "headline_figures", "key_people", "figures_with"]

FIGURES: dict[str, tuple[str, int]] = {
    "stakeholders": ("People on the map", 0),
    "coalition_members": ("Coalition members", 0),
    "perspectives_listed": ("Perspectives the map lists", 0),
    "perspectives_with_stakeholders": ("Perspectives with anyone on the map", 0),
    "perspectives_covered": ("Perspectives with a coalition member", 1),
    "perspective_coverage": ("Share of those perspectives the coalition covers", 1),
    "cross_perspective_ties": ("Share of ties that cross perspectives", 1),
    "key_person_risks": ("People whose departure would cut people off", -1),
    "fragmentation": ("Share of pairs of people who cannot reach each other", -1),
    "relationships_needing_investment": ("Relationships needing investment", -1),
}
"""Each headline figure: its label, and +1 if more is better, -1 if less is, 0 if neither."""


def headline_figures(
    m: Map,
    today: date,
    *,
    high_influence: int = 4,
    strong_tie: int = 3,
    stale_months: int = 12,
) -> dict[str, int | float]:
    """The figures a what-if compares: see :data:`FIGURES` for what each one means.

    ``perspectives_listed`` counts every perspective of the map (a perspective nobody holds
    too: the headline says "5 of 8"); the share ``perspective_coverage`` counts only those
    someone on the map holds. The catch-all 'other' never counts. ``key_person_risks`` counts coalition members whose departure
    would cut coalition members or a perspective off the coalition.

    Examples
    --------
    >>> from mapping.model import Relationship, Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", perspective="clinical",
    ...     coalition=True), Stakeholder("b", "Bo", perspective="provider")),
    ...     relationships=(Relationship("r1", "a", "b", strength=4,
    ...     last_confirmed=date(2026, 1, 1)),))
    >>> figures = headline_figures(m, date(2026, 2, 1))
    >>> figures["perspectives_covered"], figures["perspective_coverage"]
    (1, 0.5)
    >>> figures["cross_perspective_ties"], figures["key_person_risks"]
    (1.0, 1)
    """
    G = tie_graph(m)
    listed = [r for r in perspective_coverage(G) if r.perspective != UNSPECIFIED]
    rows = [r for r in listed if r.stakeholders]
    covered = sum(1 for r in rows if r.members)
    perspective = perspective_lookup(G)
    crossing = sum(1 for u, v in G.edges if perspective[u] != perspective[v])
    risks = key_people(G)
    needs = investment_needs(
        m, today, high_influence=high_influence, strong_tie=strong_tie, stale_months=stale_months
    )
    return {
        "stakeholders": len(m.stakeholders),
        "coalition_members": sum(1 for s in m.stakeholders if s.coalition),
        "perspectives_listed": len(listed),
        "perspectives_with_stakeholders": len(rows),
        "perspectives_covered": covered,
        "perspective_coverage": covered / len(rows) if rows else 0.0,
        "cross_perspective_ties": crossing / G.number_of_edges() if G.number_of_edges() else 0.0,
        "key_person_risks": len(risks),
        "fragmentation": fragmentation(G),
        "relationships_needing_investment": needs.count,
    }


def key_people(G: nx.Graph) -> set[str]:
    """Ids of the people ``key_person_risks`` counts: coalition members whose departure would
    cut members or a perspective off, and the network's only links to a perspective.

    >>> from mapping.model import Stakeholder, Relationship
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", coalition=True),
    ...     Stakeholder("b", "Bo", coalition=True), Stakeholder("c", "Cy", coalition=True)),
    ...     relationships=(Relationship("r1", "a", "b"), Relationship("r2", "b", "c")))
    >>> sorted(key_people(tie_graph(m)))
    ['b']
    """

    def compute() -> set[str]:
        risks = {r.id for r in key_person_risks(G) if r.coalition and r.is_high_risk}
        return risks | {g.id for g in network_gateways(G)}

    return set(remembered(G, "headline.key_people", compute))


def figures_with(m: Map, today: date, settings: Settings) -> dict[str, int | float]:
    """:func:`headline_figures` with the thresholds of ``settings`` (a map's own).

    >>> figures_with(Map("M"), date(2026, 1, 1), Settings())["stakeholders"]
    0
    """
    return headline_figures(
        m,
        today,
        high_influence=settings.high_influence,
        strong_tie=settings.strong_tie,
        stale_months=settings.stale_months,
    )
