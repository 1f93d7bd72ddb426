"""What if: the map without some people and with new ties, and how the headline figures move."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.headline import FIGURES, headline_figures
from mapping.analysis.sources import TIMMINS_2015
from mapping.errors import NotFoundError, ValidationError
from mapping.model import Map, Relationship
from mapping.model.wording import percent

__all__ = [
    "METHOD",
    "SOURCE",
    "what_if",
    "what_if_figures",
    "compare",
    "findings",
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


def _show(value: int | float) -> str:
    return percent(value) if isinstance(value, float) else str(value)


def findings(
    m: Map,
    today: date,
    remove: Iterable[str] = (),
    add: Iterable[Relationship] = (),
    **thresholds: int,
) -> list[Finding]:
    """One finding describing what a scenario would change; none without a scenario
    (``thresholds`` as :func:`what_if_figures`).

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

    def ends(r: Relationship) -> tuple[str, str]:
        return (r.source, r.target)

    names = m.names()
    before, after = what_if_figures(m, gone, extra, today, **thresholds)
    verdict = compare(before, after)
    parts = []
    if gone:
        parts.append(f"{' and '.join(names[v] for v in gone)} left")
    for r in extra:
        parts.append(f"{names[r.source]} and {names[r.target]} built a relationship")
    lines = [
        f"{FIGURES[k][0]}: {_show(before[k])} → {_show(after[k])}."
        for k in FIGURES
        if verdict[k] != "same"
    ]
    worse = [k for k in FIGURES if verdict[k] == "worse"]
    better = [k for k in FIGURES if verdict[k] == "better"]
    if worse:
        lines.append(f"Worse: {', '.join(FIGURES[k][0].lower() for k in worse)}.")
    if worse:
        action = "Plan for this now: build the relationships that would soften the loss."
    elif better:
        action = "Worth doing: the figures improve and none gets worse."
    else:
        action = "This would change little."
    return [
        Finding(
            code="whatif.scenario",
            severity=Severity.MEDIUM if worse else Severity.INFO,
            title=f"What if {', and '.join(parts)}?",
            explanation=" ".join(lines) or "None of the headline figures would change.",
            action=action,
            stakeholders=tuple(dict.fromkeys([*gone, *(e for r in extra for e in ends(r))])),
            ties=tuple((r.source, r.target) for r in extra),
            evidence={"before": before, "after": after, "change": verdict},
        )
    ]
