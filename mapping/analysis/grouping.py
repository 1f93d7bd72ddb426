"""Findings a board can act on: one group per kind of gap, and the three things to do first.

The analyses find one fact per person, tie or perspective (``Finding``); a busy reader wants
one card per kind of gap with its items ranked inside. :func:`group_findings` gathers them
(facts), :func:`group_title` and :func:`who_acts` say them in words, and
:func:`top_actions` picks the three highest-value actions across all kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from mapping.analysis.findings import Finding, Severity, sort_findings
from mapping.analysis.sources import TIMMINS_2015
from mapping.model.wording import count_of

__all__ = [
    "METHOD",
    "SOURCE",
    "KINDS",
    "Kind",
    "FindingGroup",
    "Action",
    "dedupe",
    "group_findings",
    "group_title",
    "top_actions",
    "who_acts",
]


METHOD = (
    "Findings gathered by kind of gap, each kind ranked by its most urgent finding; the "
    "three things to do are the most urgent finding of each of the three most urgent kinds "
    "(the King's Fund's advice to invest in a few key relationships at a time, Timmins 2015)."
)

SOURCE = TIMMINS_2015


@dataclass(frozen=True)
class Kind:
    """One kind of gap: the finding codes it gathers and how a group of them is named.

    ``noun`` and ``plural`` count the items ("3 relationships need investment" is
    ``count_of(3, noun, plural)`` + ``verb``); ``actor`` is who acts when no finding names
    anyone.
    """

    key: str
    prefixes: tuple[str, ...]
    noun: str
    plural: str
    actor: str


#: The kinds of gap, in the order the gaps page lists groups of equal severity.
KINDS: tuple[Kind, ...] = (
    Kind(
        "fit",
        ("quality.not-people",),
        "doubt whether the findings fit this map",
        "doubts whether the findings fit this map",
        "whoever keeps the map up to date",
    ),
    Kind(
        "voices",
        ("coverage.",),
        "gap in whose voice the coalition holds",
        "gaps in whose voice the coalition holds",
        "the coalition's lead",
    ),
    Kind(
        "key-people",
        ("resilience.",),
        "person or tie the network depends on",
        "people and ties the network depends on",
        "the coalition's lead",
    ),
    Kind(
        "investment",
        ("investment.",),
        "relationship needs investment",
        "relationships need investment",
        "the coalition's lead",
    ),
    Kind(
        "recruitment",
        ("recruitment.",),
        "person to bring in next",
        "people to bring in next",
        "the coalition's lead",
    ),
    Kind(
        "silos",
        ("silos.", "communities.single-perspective"),
        "silo between perspectives",
        "silos between perspectives",
        "the coalition's lead",
    ),
    Kind(
        "opposition",
        ("grid.unmanaged-opposition",),
        "powerful sceptic nobody in the coalition talks to",
        "powerful sceptics nobody in the coalition talks to",
        "the coalition's lead",
    ),
    Kind(
        "bridges",
        ("brokerage.",),
        "bridge between groups",
        "bridges between groups",
        "the coalition's lead",
    ),
    Kind(
        "voices-to-organise",
        ("grid.",),
        "group of voices to organise",
        "groups of voices to organise",
        "the coalition's lead",
    ),
    Kind(
        "influence",
        ("influence.",),
        "influence rating to check",
        "influence ratings to check",
        "whoever keeps the map up to date",
    ),
    Kind(
        "convene",
        ("communities.",),
        "mixed group: a natural place to convene",
        "mixed groups: natural places to convene",
        "the coalition's lead",
    ),
    Kind(
        "data",
        ("quality.",),
        "thing to update in the map's data",
        "things to update in the map's data",
        "whoever keeps the map up to date",
    ),
)

_OTHER = Kind("other", (), "other finding", "other findings", "the coalition's lead")


def kind_of(code: str) -> Kind:
    """The kind a finding code belongs to (the most specific prefix wins).

    >>> kind_of("investment.tie").key, kind_of("grid.organise-voices").key
    ('investment', 'voices-to-organise')
    >>> kind_of("communities.single-perspective").key, kind_of("x.y").key
    ('silos', 'other')
    """
    best, length = _OTHER, -1
    for kind in KINDS:
        for prefix in kind.prefixes:
            if code.startswith(prefix) and len(prefix) > length:
                best, length = kind, len(prefix)
    return best


@dataclass(frozen=True)
class FindingGroup:
    """One kind of gap with its findings, most urgent first.

    ``severity`` is that of the most urgent finding; ``counts`` how many findings there are
    of each severity.
    """

    kind: Kind
    items: tuple[Finding, ...]

    @property
    def severity(self) -> Severity:
        """The most urgent severity among the items."""
        return min((f.severity for f in self.items), key=lambda s: s.rank)

    @property
    def count(self) -> int:
        """How many items the group holds (notes that all is well are not counted)."""
        return sum(1 for f in self.items if f.severity is not Severity.INFO) or len(self.items)

    @property
    def counts(self) -> dict[str, int]:
        """Items per severity, every severity named."""
        return {s.value: sum(1 for f in self.items if f.severity is s) for s in Severity}


@dataclass(frozen=True)
class Action:
    """One of the things to do first: a finding, its kind, and who should act (an id or None)."""

    finding: Finding
    kind: Kind
    actor: str | None


def _subject(f: Finding) -> str | None:
    return f.stakeholders[0] if f.stakeholders else None


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """The findings without those that repeat a fact another finding already states.

    A person the network depends on (``resilience.key-person``) is not also listed as a
    broker or gateway (``brokerage.*``); a person a perspective finding already invites
    (``evidence["invite"]``) is not also a ``recruitment.candidate``.

    >>> k = Finding("resilience.key-person", Severity.HIGH, "K", "", "", stakeholders=("p",))
    >>> g = Finding("brokerage.gatekeeper", Severity.MEDIUM, "G", "", "", stakeholders=("p",))
    >>> [f.code for f in dedupe([k, g])]
    ['resilience.key-person']
    """
    found = list(findings)
    key_people = {_subject(f) for f in found if f.code == "resilience.key-person"}
    invited = {f.evidence.get("invite") for f in found if f.code.startswith("coverage.")}
    out = []
    for f in found:
        if f.code.startswith("brokerage.") and _subject(f) in key_people:
            continue
        if f.code == "recruitment.candidate" and _subject(f) in invited:
            continue
        out.append(f)
    return out


def group_findings(findings: Iterable[Finding]) -> list[FindingGroup]:
    """One group per kind of gap, most urgent group first (then the order of :data:`KINDS`).

    Items keep the order the analyses rank them in, most severe first.

    >>> a = Finding("investment.tie", Severity.MEDIUM, "A", "", "")
    >>> b = Finding("coverage.not-mapped", Severity.HIGH, "B", "", "")
    >>> c = Finding("investment.conflict", Severity.HIGH, "C", "", "")
    >>> [(g.kind.key, [f.title for f in g.items]) for g in group_findings([a, b, c])]
    [('voices', ['B']), ('investment', ['C', 'A'])]
    """
    by_kind: dict[str, list[Finding]] = {}
    kinds: dict[str, Kind] = {}
    for f in findings:
        kind = kind_of(f.code)
        by_kind.setdefault(kind.key, []).append(f)
        kinds[kind.key] = kind
    order = {k.key: i for i, k in enumerate(KINDS)}
    groups = [FindingGroup(kinds[k], tuple(sort_findings(items))) for k, items in by_kind.items()]
    groups.sort(key=lambda g: (g.severity.rank, order.get(g.kind.key, len(order))))
    return groups


def group_title(group: FindingGroup) -> str:
    """The group's heading: its one finding's title, or the count of its kind.

    >>> a = Finding("investment.tie", Severity.MEDIUM, "A and B need time", "", "")
    >>> group_title(FindingGroup(kind_of(a.code), (a,)))
    'A and B need time'
    >>> group_title(FindingGroup(kind_of(a.code), (a, a, a)))
    '3 relationships need investment'
    """
    if len(group.items) == 1:
        return group.items[0].title
    return count_of(group.count, group.kind.noun, group.kind.plural)


def top_actions(groups: Sequence[FindingGroup], k: int = 3) -> list[Action]:
    """The ``k`` highest-value actions across kinds: the most urgent item of each of the most
    urgent groups first, then second items; notes (INFO) never count.

    >>> a = Finding("investment.tie", Severity.MEDIUM, "A", "", "", actor="x")
    >>> b = Finding("coverage.not-mapped", Severity.HIGH, "B", "", "")
    >>> c = Finding("communities.mixed", Severity.INFO, "C", "", "")
    >>> [(x.finding.title, x.actor) for x in top_actions(group_findings([a, b, c]))]
    [('B', None), ('A', 'x')]
    """
    chosen: list[Action] = []
    depth = 0
    while len(chosen) < k:
        added = False
        for group in groups:
            items = [f for f in group.items if f.severity is not Severity.INFO]
            if depth < len(items) and len(chosen) < k:
                f = items[depth]
                chosen.append(Action(f, group.kind, f.actor))
                added = True
        if not added:
            break
        depth += 1
    return chosen


def who_acts(action: Action, names: Mapping[str, str]) -> str:
    """Who should act, in words: the person the analysis names, else the kind's usual actor.

    >>> f = Finding("quality.stale", Severity.MEDIUM, "T", "", "")
    >>> who_acts(Action(f, kind_of(f.code), None), {})
    'whoever keeps the map up to date'
    >>> who_acts(Action(f, kind_of(f.code), "a"), {"a": "Ann"})
    'Ann'
    """
    if action.actor is not None and action.actor in names:
        return names[action.actor]
    return action.kind.actor
