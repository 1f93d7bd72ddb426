"""What if: the map without some people and with new ties, and how the headline figures move."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

import networkx as nx

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.headline import FIGURES, headline_figures, key_people
from mapping.analysis.sources import TIMMINS_2015
from mapping.errors import NotFoundError, ValidationError
from mapping.model import Map, Relationship
from mapping.model.graph import shared_tie_graph
from mapping.model.wording import listing

__all__ = [
    "METHOD",
    "SOURCE",
    "what_if",
    "what_if_figures",
    "compare",
    "Outcome",
    "Side",
    "side",
    "outcome",
    "outcome_lines",
    "findings",
    "described",
]

METHOD = (
    "Recompute the headline figures on a copy of the map without the people who leave and "
    "with the new relationships (the King's Fund question 'how do we build in resilience?')."
)

SOURCE = TIMMINS_2015


def what_if(m: Map, remove: Iterable[str] = (), add: Iterable[Relationship] = ()) -> Map:
    """A copy of the map without ``remove`` (and their ties) and with ``add``.

    Raises
    ------
    NotFoundError
        If someone to remove is not on the map.
    ValidationError
        If a new relationship reuses an id or names someone absent or removed.

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo"),
    ...     Stakeholder("c", "Cy")), relationships=(Relationship("r1", "a", "b"),))
    >>> n = what_if(m, remove=["b"], add=[Relationship("new", "a", "c")])
    >>> [s.id for s in n.stakeholders], [r.id for r in n.relationships]
    (['a', 'c'], ['new'])
    """
    gone = set(remove)
    names = m.names()
    unknown = sorted(gone - set(names))
    if unknown:
        msg = f"Cannot remove {', '.join(map(repr, unknown))}: not on this map; check the ids."
        raise NotFoundError(msg)
    kept = m.with_stakeholders(s for s in m.stakeholders if s.id not in gone)
    extra = tuple(add)
    problems = []
    used = {r.id for r in m.relationships}
    for r in extra:
        if r.id in used:
            problems.append(f"Relationship {r.id!r}: the id is already used; give it a new one.")
        used.add(r.id)
        for end in (r.source, r.target):
            if end in gone:
                problems.append(
                    f"Relationship {r.id!r}: {names[end]} leaves in this scenario, so cannot "
                    "take part in a new relationship."
                )
            elif end not in names:
                problems.append(f"Relationship {r.id!r}: unknown stakeholder {end!r}.")
    if problems:
        raise ValidationError(problems)
    return kept.with_relationships(kept.relationships + extra)


def what_if_figures(
    m: Map,
    remove: Iterable[str],
    add: Iterable[Relationship],
    today: date,
    **thresholds: int,
) -> tuple[dict[str, int | float], dict[str, int | float]]:
    """The headline figures before and after a scenario (``thresholds``: the map's
    ``high_influence``, ``strong_tie`` and ``stale_months``, as :func:`mapping.analysis.headline.headline_figures`)."""
    return (
        headline_figures(m, today, **thresholds),
        headline_figures(what_if(m, remove, add), today, **thresholds),
    )


def compare(before: Mapping[str, int | float], after: Mapping[str, int | float]) -> dict[str, str]:
    """Whether each figure got ``'better'``, ``'worse'`` or stayed ``'same'`` (or ``'changed'``).

    Examples
    --------
    >>> compare({"fragmentation": 0.2, "stakeholders": 5}, {"fragmentation": 0.5,
    ...          "stakeholders": 4})
    {'fragmentation': 'worse', 'stakeholders': 'changed'}
    """
    out = {}
    for key, old in before.items():
        new = after.get(key, old)
        if abs(new - old) < 1e-9:
            out[key] = "same"
            continue
        better = FIGURES.get(key, ("", 0))[1]
        if better == 0:
            out[key] = "changed"
        else:
            out[key] = "better" if (new - old) * better > 0 else "worse"
    return out


@dataclass(frozen=True)
class Outcome:
    """What a scenario would do, each figure over a denominator that does not move.

    ``cut_off`` are people who stay but would lose every route to the coalition (to another
    coalition member, for a member; to the main part of the network on a map with no
    coalition yet); ``reconnected`` the reverse. ``pairs`` counts pairs of people who stay,
    and ``unreachable_before`` / ``unreachable_after`` how many of those pairs cannot reach
    each other through any chain of relationships (before, routes may pass through the
    people who leave). ``perspectives`` counts the map's perspectives; ``covered_*`` those
    with a coalition member. ``investment_*`` counts relationships needing investment (a new
    relationship counts as confirmed the day it is built); ``key_people_*`` people whose
    departure would cut others off, among the people who stay.
    """

    cut_off: tuple[str, ...]
    reconnected: tuple[str, ...]
    pairs: int
    unreachable_before: int
    unreachable_after: int
    perspectives: int
    covered_before: int
    covered_after: int
    investment_before: int
    investment_after: int
    key_people_before: int = 0
    key_people_after: int = 0

    @property
    def losses(self) -> tuple[str, ...]:
        """Which figures would get worse: ``cut_off``, ``unreachable``, ``covered``, ``investment``."""
        out = []
        if self.cut_off:
            out.append("cut_off")
        if self.unreachable_after > self.unreachable_before:
            out.append("unreachable")
        if self.covered_after < self.covered_before:
            out.append("covered")
        if self.investment_after > self.investment_before:
            out.append("investment")
        if self.key_people_after > self.key_people_before:
            out.append("key_people")
        return tuple(out)

    @property
    def gains(self) -> tuple[str, ...]:
        """Which figures would get better (same names as :attr:`losses`)."""
        out = []
        if self.reconnected:
            out.append("cut_off")
        if self.unreachable_after < self.unreachable_before:
            out.append("unreachable")
        if self.covered_after > self.covered_before:
            out.append("covered")
        if self.investment_after < self.investment_before:
            out.append("investment")
        # fewer key people only helps when nobody is cut off: cutting people off also
        # removes the need for anyone to hold them in
        if self.key_people_after < self.key_people_before and not self.losses:
            out.append("key_people")
        return tuple(out)

    @property
    def verdict(self) -> str:
        """``'worse'``, ``'better'``, ``'mixed'`` (some of each) or ``'same'``."""
        if self.losses and self.gains:
            return "mixed"
        if self.losses:
            return "worse"
        return "better" if self.gains else "same"


def _confirmed(add: Iterable[Relationship], today: date) -> list[Relationship]:
    """New relationships, confirmed today unless they say otherwise."""
    return [r if r.last_confirmed is not None else replace(r, last_confirmed=today) for r in add]


def _linked(G: nx.Graph) -> set[str]:
    """People with a route to the coalition: everyone in its main part (the one with most
    members, then the largest; the largest on a map with no coalition), and anyone outside
    the coalition whose part holds a member."""
    parts = list(nx.connected_components(G))
    if not parts:
        return set()
    members = {v for v, c in G.nodes(data="coalition") if c}
    main = max(parts, key=lambda part: (len(part & members), len(part)))
    out = set(main) if len(main) > 1 or members else set()
    for part in parts:
        if part is not main and part & members:
            out |= part - members
    return out


@dataclass(frozen=True)
class Side:
    """What :func:`outcome` needs of one side of a scenario (the map before, or after).

    ``parts`` are the network's connected parts, ``linked`` the people with a route to the
    coalition (see :class:`Outcome`), ``key_people`` those whose departure would cut others
    off. A page comparing several scenarios on one map works the map's side out once.
    """

    figures: Mapping[str, int | float]
    parts: tuple[frozenset[str], ...]
    linked: frozenset[str]
    key_people: frozenset[str]

    def unreachable(self, people: set[str]) -> int:
        """Pairs of ``people`` in different connected parts."""
        n = len(people)
        together = sum(len(part & people) * (len(part & people) - 1) // 2 for part in self.parts)
        return n * (n - 1) // 2 - together


def side(m: Map, today: date, **thresholds: int) -> Side:
    """The :class:`Side` of ``m`` (``thresholds`` as :func:`what_if_figures`); its tie graph
    is built once and shared by the analyses.

    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", coalition=True),
    ...     Stakeholder("b", "Bo")), relationships=())
    >>> s = side(m, date(2026, 1, 1))
    >>> sorted(s.linked), s.unreachable({"a", "b"})
    (['a'], 1)
    """
    with shared_tie_graph(m) as G:
        return Side(
            figures=headline_figures(m, today, **thresholds),
            parts=tuple(frozenset(part) for part in nx.connected_components(G)),
            linked=frozenset(_linked(G)),
            key_people=frozenset(key_people(G)),
        )


def outcome(
    m: Map,
    today: date,
    remove: Iterable[str] = (),
    add: Iterable[Relationship] = (),
    *,
    before: Side | None = None,
    **thresholds: int,
) -> Outcome:
    """What a scenario would do (``thresholds`` as :func:`what_if_figures`; ``before``:
    ``side(m, today, **thresholds)`` if already worked out).

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", coalition=True),
    ...     Stakeholder("b", "Bo", coalition=True), Stakeholder("c", "Cy")),
    ...     relationships=(Relationship("r1", "a", "b"), Relationship("r2", "b", "c")))
    >>> o = outcome(m, date(2026, 1, 1), remove=["b"])
    >>> o.cut_off, (o.unreachable_before, o.unreachable_after, o.pairs), o.verdict
    (('c',), (0, 1, 1), 'worse')
    >>> outcome(m, date(2026, 1, 1), remove=["b"], add=[Relationship("n", "a", "c")]).verdict
    'same'
    """
    gone = list(dict.fromkeys(remove))
    extra = _confirmed(add, today)
    after_map = what_if(m, gone, extra)
    staying = set(after_map.names())
    if before is None:
        before = side(m, today, **thresholds)
    after = side(after_map, today, **thresholds)
    order = [s.id for s in m.stakeholders if s.id in staying]
    return Outcome(
        cut_off=tuple(v for v in order if v in before.linked and v not in after.linked),
        reconnected=tuple(v for v in order if v in after.linked and v not in before.linked),
        pairs=len(staying) * (len(staying) - 1) // 2,
        unreachable_before=before.unreachable(staying),
        unreachable_after=after.unreachable(staying),
        perspectives=int(before.figures["perspectives_listed"]),
        covered_before=int(before.figures["perspectives_covered"]),
        covered_after=int(after.figures["perspectives_covered"]),
        investment_before=int(before.figures["relationships_needing_investment"]),
        investment_after=int(after.figures["relationships_needing_investment"]),
        key_people_before=len(before.key_people & staying),
        key_people_after=len(after.key_people),
    )


def outcome_lines(o: Outcome, names: Mapping[str, str]) -> list[str]:
    """The scenario's figures in words, each with its fixed denominator, changes only.

    >>> o = Outcome(("c",), (), 3, 0, 2, 4, 2, 1, 1, 1)
    >>> for line in outcome_lines(o, {"c": "Cy"}): print(line)
    Cut off from the coalition: Cy.
    Pairs of people who cannot reach each other: 0 of 3 → 2 of 3.
    Perspectives with a coalition member: 2 of 4 → 1 of 4.
    """
    lines = []
    if o.cut_off:
        lines.append(
            f"Cut off from the coalition: {listing([names[v] for v in o.cut_off], 8, others=True)}."
        )
    if o.reconnected:
        who = listing([names[v] for v in o.reconnected], 8, others=True)
        lines.append(f"Reconnected to the coalition: {who}.")
    if o.unreachable_after != o.unreachable_before:
        lines.append(
            f"Pairs of people who cannot reach each other: {o.unreachable_before} of {o.pairs}"
            f" → {o.unreachable_after} of {o.pairs}."
        )
    if o.covered_after != o.covered_before:
        lines.append(
            f"Perspectives with a coalition member: {o.covered_before} of {o.perspectives} → "
            f"{o.covered_after} of {o.perspectives}."
        )
    if o.investment_after != o.investment_before:
        lines.append(
            f"Relationships needing investment: {o.investment_before} → {o.investment_after}."
        )
    if o.key_people_after != o.key_people_before:
        lines.append(
            "People whose departure would cut others off: "
            f"{o.key_people_before} → {o.key_people_after}."
        )
    return lines


_VERDICT_ACTION = {
    "worse": "Plan for this now: build the relationships that would soften the loss.",
    "mixed": "Weigh it up: some figures improve and some get worse (see above).",
    "better": "Worth doing: the figures improve and none gets worse.",
    "same": "This would change little.",
}


def findings(
    m: Map,
    today: date,
    remove: Iterable[str] = (),
    add: Iterable[Relationship] = (),
    **thresholds: int,
) -> list[Finding]:
    """One finding describing what a scenario would change; none without a scenario
    (``thresholds`` as :func:`what_if_figures`). It names who would be cut off, and its
    verdict follows the figures (:attr:`Outcome.verdict`).

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", perspective="clinical",
    ...     coalition=True), Stakeholder("b", "Bo", perspective="provider", coalition=True)),
    ...     relationships=(Relationship("r1", "a", "b"),))
    >>> f = findings(m, date(2026, 1, 1), remove=["b"])[0]
    >>> f.title, f.severity.value
    ('What if Bo left?', 'medium')
    """
    gone, extra = list(dict.fromkeys(remove)), list(add)
    if not gone and not extra:
        return []
    o = outcome(m, today, gone, extra, before=side(m, today, **thresholds), **thresholds)
    return [described(m, o, gone, extra)]


def described(
    m: Map, o: Outcome, remove: Iterable[str] = (), add: Iterable[Relationship] = ()
) -> Finding:
    """The finding :func:`findings` gives for a scenario whose :class:`Outcome` is ``o``, for
    a page that shows the outcome too and so works it out once.

    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")))
    >>> o = outcome(m, date(2026, 1, 1), add=[Relationship("n", "a", "b")])
    >>> described(m, o, add=[Relationship("n", "a", "b")]).title
    'What if Ann and Bo built a relationship?'
    """
    gone, extra = list(dict.fromkeys(remove)), list(add)
    names = m.names()
    parts = []
    if gone:
        parts.append(f"{' and '.join(names[v] for v in gone)} left")
    for r in extra:
        parts.append(f"{names[r.source]} and {names[r.target]} built a relationship")
    lines = outcome_lines(o, names)
    verdict = {
        "worse": "Overall: worse.",
        "mixed": "Overall: mixed.",
        "better": "Overall: better.",
        "same": "",
    }[o.verdict]
    return Finding(
        code="whatif.scenario",
        severity=Severity.MEDIUM if o.verdict in ("worse", "mixed") else Severity.INFO,
        title=f"What if {', and '.join(parts)}?",
        explanation=" ".join([*lines, verdict]).strip() or "None of the figures would change.",
        action=_VERDICT_ACTION[o.verdict],
        stakeholders=tuple(
            dict.fromkeys([*gone, *(e for r in extra for e in (r.source, r.target)), *o.cut_off])
        ),
        ties=tuple((r.source, r.target) for r in extra),
        evidence={
            "cut_off": list(o.cut_off),
            "reconnected": list(o.reconnected),
            "pairs": o.pairs,
            "unreachable_before": o.unreachable_before,
            "unreachable_after": o.unreachable_after,
            "perspectives": o.perspectives,
            "covered_before": o.covered_before,
            "covered_after": o.covered_after,
            "investment_before": o.investment_before,
            "investment_after": o.investment_after,
            "key_people_before": o.key_people_before,
            "key_people_after": o.key_people_after,
            "verdict": o.verdict,
        },
    )
