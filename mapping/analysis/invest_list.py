"""Relationships to invest in: one ranked list, each with its reasons and who should act.

:mod:`mapping.analysis.investment` finds three kinds of relationship that need investment
(tensions with the coalition, influential people not yet on side, weak or unconfirmed ties
with key players) and words each as a finding. :func:`investments` puts them in one list,
most urgent first, with the facts a table needs (the two people, the reasons, who acts);
:func:`reason_text` and :func:`reason_labels` say the reasons in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mapping.analysis import investment
from mapping.analysis.findings import Finding, Severity
from mapping.analysis.quality import is_stale
from mapping.analysis.sources import TIMMINS_2015
from mapping.model import Map, Relationship
from mapping.model.settings import Settings
from mapping.model.wording import join, long_date

__all__ = [
    "METHOD",
    "SOURCE",
    "REASONS",
    "Investment",
    "investments",
    "reason_labels",
    "reason_text",
]

METHOD = (
    "The relationships of the investment check (tensions with the coalition, influential "
    "people not yet on side without a strong tie to it, weak or unconfirmed ties with key "
    "players) in one list: the most urgent first (high, then medium, then low), tensions "
    "before people before ties when equally urgent. Who should act is the coalition member "
    "the check names, else the map's owner."
)

SOURCE = TIMMINS_2015

#: Why a relationship needs investment: key -> the short label a filter shows.
REASONS: dict[str, str] = {
    "conflict": "In conflict",
    "not-on-side": "Influential, not yet on side",
    "no-tie": "No tie to the coalition",
    "weak": "Weak",
    "unconfirmed": "Never or long unconfirmed",
    "one-way": "One-way",
}


@dataclass(frozen=True)
class Investment:
    """One relationship to invest in.

    ``first`` is the person it is about (the key player, or one end of the tie); ``second``
    the other end (``None``: a key player with no tie to the coalition). ``reasons`` are
    keys of :data:`REASONS`; ``strength`` is the tie's (0 with no tie), ``last_confirmed``
    its latest confirmation; ``one_way`` is ``(from, to)`` when every tie between the two is
    recorded one way only (a collaboration or trust only one side counts on; a tie that
    commissions, funds, reports to or advises is one way by nature and is not counted). ``actor`` is the id of who should act (``None``: the map's owner)
    and ``finding`` the finding of the gaps page it comes from.
    """

    rank: int
    first: str
    second: str | None
    reasons: tuple[str, ...]
    strength: int
    last_confirmed: date | None
    one_way: tuple[str, str] | None
    in_coalition: bool
    actor: str | None
    severity: Severity
    finding: Finding


def _ties(m: Map, a: str, b: str | None) -> list[Relationship]:
    if b is None:
        return []
    return [r for r in m.relationships if {r.source, r.target} == {a, b} and not r.is_conflict]


#: Relationship types whose direction is their nature (one commissions, funds, reports to or
#: advises the other): recorded one way, they are not one-sided.
DIRECTIONAL = frozenset({"commissions", "funds", "reports to", "advises"})


def _one_way(ties: list[Relationship]) -> tuple[str, str] | None:
    """``(from, to)`` when every tie of the pair is recorded one way, the same way, and none
    of a type whose direction is its nature (:data:`DIRECTIONAL`)."""
    directions = {(r.source, r.target) for r in ties}
    one_sided = all(r.directed and r.type not in DIRECTIONAL for r in ties)
    if ties and one_sided and len(directions) == 1:
        return next(iter(directions))
    return None


def _tie_reasons(
    ties: list[Relationship], today: date, strong_tie: int, stale_months: int
) -> tuple[list[str], int, date | None]:
    strength = max((r.strength for r in ties), default=0)
    last = max((r.last_confirmed for r in ties if r.last_confirmed), default=None)
    reasons = []
    if ties and strength < strong_tie:
        reasons.append("weak")
    if ties and (last is None or is_stale(last, today, stale_months)):
        reasons.append("unconfirmed")
    if _one_way(ties):
        reasons.append("one-way")
    return reasons, strength, last


def investments(m: Map, today: date, settings: Settings | None = None) -> list[Investment]:
    """Every relationship that needs investment, most urgent first, each once.

    Examples
    --------
    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", coalition=True),
    ...     Stakeholder("k", "Kay", influence=5, stance="sceptic"),
    ...     Stakeholder("n", "Ned", influence=4, stance="supporter")),
    ...     relationships=(Relationship("r1", "a", "k", strength=2, directed=True,
    ...                                 last_confirmed=date(2025, 12, 1)),
    ...                    Relationship("r2", "a", "n", strength=4,
    ...                                 last_confirmed=date(2024, 1, 1))))
    >>> [(i.rank, i.first, i.second, i.reasons, i.actor) for i in investments(m, date(2026, 1, 1))]
    [(1, 'k', 'a', ('not-on-side', 'weak', 'one-way'), 'a'), (2, 'a', 'n', ('unconfirmed',), 'a')]
    """
    s = settings or Settings()
    needs = investment.investment_needs(m, today, s.high_influence, s.strong_tie, s.stale_months)
    found = investment.findings(
        m,
        today,
        high_influence=s.high_influence,
        strong_tie=s.strong_tie,
        stale_months=s.stale_months,
        limit=None,
    )
    by_code: dict[str, list[Finding]] = {}
    for f in found:
        by_code.setdefault(f.code, []).append(f)
    people = {p.id: p for p in m.stakeholders}
    rows: list[tuple[str, str | None, list[str], list[Relationship], Finding]] = []
    for r, f in zip(needs.conflicts, by_code.get("investment.conflict", []), strict=True):
        rows.append((r.source, r.target, ["conflict"], [], f))
    for g, f in zip(needs.key_players, by_code.get("investment.key-player", []), strict=True):
        ties = _ties(m, g.id, g.closest_member)
        rows.append(
            (g.id, g.closest_member, ["not-on-side"] + ([] if ties else ["no-tie"]), ties, f)
        )
    for t, f in zip(needs.ties, by_code.get("investment.tie", []), strict=True):
        rows.append((t.source, t.target, [], _ties(m, t.source, t.target), f))
    out = []
    order = sorted(range(len(rows)), key=lambda i: (rows[i][4].severity.rank, i))
    for rank, i in enumerate(order, start=1):
        first, second, reasons, ties, f = rows[i]
        more, strength, last = _tie_reasons(ties, today, s.strong_tie, s.stale_months)
        if "conflict" in reasons:
            conflict = next(r for r in needs.conflicts if (r.source, r.target) == (first, second))
            strength, last = conflict.strength, conflict.last_confirmed
        out.append(
            Investment(
                rank=rank,
                first=first,
                second=second,
                reasons=tuple(dict.fromkeys(reasons + more)),
                strength=strength,
                last_confirmed=last,
                one_way=_one_way(ties),
                in_coalition=all(people[p].coalition for p in (first, second) if p is not None),
                actor=f.actor,
                severity=f.severity,
                finding=f,
            )
        )
    return out


def reason_labels(i: Investment) -> list[str]:
    """The reasons' short labels, as a filter names them.

    >>> i = Investment(1, "a", "b", ("weak", "one-way"), 2, None, ("a", "b"), False, None,
    ...     Severity.LOW, Finding("investment.tie", Severity.LOW, "", "", ""))
    >>> reason_labels(i)
    ['Weak', 'One-way']
    """
    return [REASONS[r] for r in i.reasons]


def reason_text(i: Investment, m: Map, today: date) -> str:
    """The reasons in plain words, with the figures behind them.

    >>> from mapping.model import Stakeholder
    >>> m = Map("M", stakeholders=(Stakeholder("a", "Ann", coalition=True),
    ...     Stakeholder("k", "Kay", influence=5, stance="sceptic")))
    >>> f = Finding("investment.tie", Severity.LOW, "", "", "")
    >>> i = Investment(1, "k", "a", ("not-on-side", "weak", "unconfirmed", "one-way"), 2,
    ...     None, ("a", "k"), False, "a", Severity.HIGH, f)
    >>> reason_text(i, m, date(2026, 1, 1))
    'influential (5 of 5) and sceptic; weak (strength 2 of 5), never confirmed and one-way only (Ann to Kay)'
    """
    names = m.names()
    first = m.stakeholder(i.first)
    words = []
    if "conflict" in i.reasons:
        other = m.stakeholder(i.second) if i.second else None
        inside = first.coalition and other is not None and other.coalition
        where = "inside the coalition" if inside else "with a coalition member"
        words.append(f"in conflict {where} (intensity {i.strength} of 5)")
    if "not-on-side" in i.reasons:
        words.append(f"influential ({first.influence} of 5) and {first.stance.value}")
    if "no-tie" in i.reasons:
        words.append("no tie to anyone in the coalition")
    tie = []
    if "weak" in i.reasons:
        tie.append(f"weak (strength {i.strength} of 5)")
    if "unconfirmed" in i.reasons:
        tie.append(
            "never confirmed"
            if i.last_confirmed is None
            else f"last confirmed {long_date(i.last_confirmed)}"
        )
    if "one-way" in i.reasons and i.one_way is not None:
        a, b = i.one_way
        tie.append(f"one-way only ({names.get(a, a)} to {names.get(b, b)})")
    if tie:
        words.append(join(tie))
    return "; ".join(words)
