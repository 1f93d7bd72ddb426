"""What changed between two versions of a map: people, ties and the coalition's headline figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mapping.analysis import headline, whatif
from mapping.changes.ratings import score
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.fields import field_names
from mapping.model.settings import Settings
from mapping.model.wording import join, percent

__all__ = [
    "STAKEHOLDER_FIELDS",
    "RELATIONSHIP_FIELDS",
    "HEADLINE",
    "StakeholderChange",
    "TieChange",
    "MapDiff",
    "diff_maps",
]

#: Fields never compared: ids and ends (compared as identity), and what is private (notes,
#: custom fields, how we know).
_NOT_COMPARED = {"id", "source", "target", "notes", "custom", "how_we_know"}
#: Stakeholder fields compared, in the dataclass's order.
STAKEHOLDER_FIELDS = tuple(n for n in field_names(Stakeholder) if n not in _NOT_COMPARED)
#: Relationship fields compared besides strength.
RELATIONSHIP_FIELDS = tuple(
    n for n in field_names(Relationship) if n not in _NOT_COMPARED | {"strength"}
)
_MARKDOWN = set("\\`*_[]<>|#")
#: The coalition figures every change summary reports (keys of ``headline.FIGURES``).
HEADLINE = (
    "perspectives_covered",
    "cross_perspective_ties",
    "key_person_risks",
    "relationships_needing_investment",
)


@dataclass(frozen=True)
class StakeholderChange:
    """One field of a stakeholder on both maps; values are plain (stance as text)."""

    id: str
    name: str
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class TieChange:
    """A relationship gained, lost or changed; ``before``/``after`` are strengths (``None``
    when it is absent), ``field`` names what changed for other changes."""

    id: str
    source: str
    target: str
    type: str
    before: Any
    after: Any
    field: str = "strength"


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return getattr(value, "value", value)


def _show(value: Any) -> str:
    if value is None or value == "" or value == ():
        return "(blank)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return " | ".join(value)
    return str(value)


def _escape(text: str) -> str:
    """User text safe in Markdown: no HTML, links, emphasis or table cells."""
    return "".join("\\" + c if c in _MARKDOWN else c for c in text)


def _figure(value: int | float) -> str:
    return percent(value) if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class MapDiff:
    """The differences from ``before`` to ``after``, and the headline figures of each.

    ``added``/``removed`` hold stakeholder ids; ``changes`` one row per changed field;
    ``gained``/``lost``/``strengthened``/``weakened`` relationships; ``tie_changes`` other
    changes of a kept relationship (type, direction, last confirmed). ``names`` gives a
    name for every id on either map (the later name wins).
    """

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changes: tuple[StakeholderChange, ...]
    gained: tuple[TieChange, ...]
    lost: tuple[TieChange, ...]
    strengthened: tuple[TieChange, ...]
    weakened: tuple[TieChange, ...]
    tie_changes: tuple[TieChange, ...]
    figures_before: dict[str, int | float] = field(hash=False)
    figures_after: dict[str, int | float] = field(hash=False)
    names: dict[str, str] = field(hash=False)

    @property
    def is_empty(self) -> bool:
        """Whether no person or relationship changed."""
        return not (
            self.added
            or self.removed
            or self.changes
            or self.gained
            or self.lost
            or self.strengthened
            or self.weakened
            or self.tie_changes
        )

    def verdicts(self) -> dict[str, str]:
        """Each figure 'better', 'worse', 'same' or 'changed' (see ``whatif.compare``)."""
        return whatif.compare(self.figures_before, self.figures_after)

    def _pair(self, t: TieChange) -> str:
        return f"{self.names.get(t.source, t.source)} – {self.names.get(t.target, t.target)}"

    def _people(self) -> list[str]:
        lines = []
        for ids, verb in ((self.added, "added"), (self.removed, "removed")):
            if ids:
                who = join(self.names.get(i, i) for i in ids)
                lines.append(f"{len(ids)} stakeholder{'s' if len(ids) != 1 else ''} {verb}: {who}.")
        for c in self.changes:
            if c.field == "coalition":
                lines.append(f"{c.name} {'joined' if c.after else 'left'} the coalition.")
            elif c.field == "stance":
                move = ""
                old, new = score("stance", c.before), score("stance", c.after)
                if old is not None and new is not None:
                    move = " (more favourable)" if new > old else " (less favourable)"
                lines.append(f"{c.name}: stance {c.before} → {c.after}{move}.")
            else:
                label = c.field.replace("_", " ")
                lines.append(f"{c.name}: {label} {_show(c.before)} → {_show(c.after)}.")
        return lines

    def _ties(self) -> list[str]:
        lines = []
        for t in self.gained:
            lines.append(f"New relationship: {self._pair(t)} ({t.type}, strength {t.after}).")
        for t in self.lost:
            lines.append(f"Lost relationship: {self._pair(t)} ({t.type}, strength {t.before}).")
        for t in self.strengthened:
            lines.append(f"Strengthened: {self._pair(t)} ({t.type}) {t.before} → {t.after}.")
        for t in self.weakened:
            lines.append(f"Weakened: {self._pair(t)} ({t.type}) {t.before} → {t.after}.")
        confirmed = [t for t in self.tie_changes if t.field == "last_confirmed"]
        for t in self.tie_changes:
            if t.field != "last_confirmed":
                label = "direction" if t.field == "directed" else t.field
                before = {True: "one-way", False: "mutual"}.get(t.before, t.before)
                after = {True: "one-way", False: "mutual"}.get(t.after, t.after)
                lines.append(f"{self._pair(t)}: {label} {_show(before)} → {_show(after)}.")
        if confirmed:
            n = len(confirmed)
            lines.append(f"{n} relationship{'s' if n != 1 else ''} reconfirmed or redated.")
        return lines

    def figure_lines(self) -> list[str]:
        """The headline coalition figures before and after, one line each."""
        verdict = self.verdicts()
        lines = []
        for key in HEADLINE:
            old, new = self.figures_before[key], self.figures_after[key]
            change = "" if verdict[key] == "same" else f" ({verdict[key]})"
            label = headline.FIGURES[key][0]
            lines.append(f"{label}: {_figure(old)} → {_figure(new)}{change}.")
        return lines

    def summary(self) -> list[str]:
        """The change in readable lines: people, then relationships, then figures."""
        lines = self._people() + self._ties()
        if not lines:
            lines = ["No stakeholder or relationship changed."]
        return lines + self.figure_lines()

    def highlight_before(self) -> tuple[list[str], list[tuple[str, str]]]:
        """People and ties to emphasise on the earlier map: removed, changed, lost, re-rated."""
        people = [*self.removed, *dict.fromkeys(c.id for c in self.changes)]
        ties = [(t.source, t.target) for t in (*self.lost, *self.strengthened, *self.weakened)]
        ties += [(t.source, t.target) for t in self.tie_changes]
        return list(dict.fromkeys(people)), ties

    def highlight_after(self) -> tuple[list[str], list[tuple[str, str]]]:
        """People and ties to emphasise on the later map: added, changed, gained, re-rated."""
        people = [*self.added, *dict.fromkeys(c.id for c in self.changes)]
        ties = [(t.source, t.target) for t in (*self.gained, *self.strengthened, *self.weakened)]
        ties += [(t.source, t.target) for t in self.tie_changes]
        return list(dict.fromkeys(people)), ties

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""

        def tie(t: TieChange) -> dict[str, Any]:
            return {
                "id": t.id,
                "from": t.source,
                "to": t.target,
                "type": t.type,
                "field": t.field,
                "before": _plain(t.before),
                "after": _plain(t.after),
            }

        return {
            "added": list(self.added),
            "removed": list(self.removed),
            "changes": [
                {
                    "id": c.id,
                    "name": c.name,
                    "field": c.field,
                    "before": _plain(c.before),
                    "after": _plain(c.after),
                }
                for c in self.changes
            ],
            "gained": [tie(t) for t in self.gained],
            "lost": [tie(t) for t in self.lost],
            "strengthened": [tie(t) for t in self.strengthened],
            "weakened": [tie(t) for t in self.weakened],
            "tie_changes": [tie(t) for t in self.tie_changes],
            "figures_before": dict(self.figures_before),
            "figures_after": dict(self.figures_after),
            "verdicts": self.verdicts(),
        }

    def to_markdown(self, title: str = "What changed") -> str:
        """The change summary as a Markdown section, for the coalition report."""
        people, ties = self._people(), self._ties()
        out = [f"## {_escape(title)}", ""]
        if not people and not ties:
            out += ["No stakeholder or relationship changed.", ""]
        for heading, lines in (("People", people), ("Relationships", ties)):
            if lines:
                out += [f"### {heading}", "", *(f"- {_escape(line)}" for line in lines), ""]
        out += ["### Coalition figures", "", "| Figure | Before | After | Change |"]
        out.append("|---|---|---|---|")
        verdict = self.verdicts()
        for key in headline.FIGURES:
            old, new = self.figures_before[key], self.figures_after[key]
            label = headline.FIGURES[key][0]
            out.append(f"| {label} | {_figure(old)} | {_figure(new)} | {verdict[key]} |")
        return "\n".join(out) + "\n"


def _stakeholder_changes(old: Stakeholder, new: Stakeholder) -> list[StakeholderChange]:
    out = []
    for name in STAKEHOLDER_FIELDS:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(StakeholderChange(new.id, new.name, name, _plain_field(a), _plain_field(b)))
    return out


def _plain_field(value: Any) -> Any:
    return getattr(value, "value", value) if not isinstance(value, bool | int) else value


def _tie(r: Relationship, before: int | None, after: int | None) -> TieChange:
    return TieChange(r.id, r.source, r.target, r.type, before, after)


def _match_ties(
    before: Map, after: Map
) -> tuple[list[tuple[Relationship, Relationship]], list[Relationship], list[Relationship]]:
    """Pairs of the same relationship, then those only before, then those only after.

    Relationships match by id; those left over match by their two people (either way
    round) and type, so a tie deleted and recorded again counts as the same tie.
    """
    new_by_id = {r.id: r for r in after.relationships}
    pairs, only_before = [], []
    for r in before.relationships:
        if r.id in new_by_id:
            pairs.append((r, new_by_id.pop(r.id)))
        else:
            only_before.append(r)
    waiting: dict[tuple[frozenset, str], list[Relationship]] = {}
    for r in after.relationships:
        if r.id in new_by_id:
            waiting.setdefault((frozenset((r.source, r.target)), r.type), []).append(r)
    lost = []
    for r in only_before:
        candidates = waiting.get((frozenset((r.source, r.target)), r.type))
        if candidates:
            match = candidates.pop(0)
            pairs.append((r, match))
            del new_by_id[match.id]
        else:
            lost.append(r)
    gained = [r for r in after.relationships if r.id in new_by_id]
    return pairs, lost, gained


def diff_maps(
    before: Map,
    after: Map,
    *,
    before_on: date | None = None,
    after_on: date | None = None,
    settings: Settings | None = None,
) -> MapDiff:
    """Everything that changed from ``before`` to ``after``; neither map is changed.

    Stakeholders match by id. The headline figures of each map are computed as on
    ``before_on`` and ``after_on`` (default: today), since staleness depends on the date.

    Examples
    --------
    >>> from dataclasses import replace
    >>> a = Stakeholder("a", "Ann", perspective="clinical", coalition=True)
    >>> b = Stakeholder("b", "Bo", perspective="provider", stance="sceptic")
    >>> old = Map("M", stakeholders=(a, b), relationships=(Relationship("r1", "a", "b"),))
    >>> new = Map("M", stakeholders=(a, replace(b, stance="supporter", coalition=True)),
    ...     relationships=(Relationship("r1", "a", "b", strength=5),))
    >>> d = diff_maps(old, new, before_on=date(2026, 1, 1), after_on=date(2026, 2, 1))
    >>> d.summary()[:3]
    ['Bo: stance sceptic → supporter (more favourable).', 'Bo joined the coalition.', 'Strengthened: Ann – Bo (collaborates) 3 → 5.']
    """
    s = settings or Settings()
    old_people = {p.id: p for p in before.stakeholders}
    new_people = {p.id: p for p in after.stakeholders}
    names = {**before.names(), **after.names()}
    changes: list[StakeholderChange] = []
    for p in after.stakeholders:
        if p.id in old_people:
            changes += _stakeholder_changes(old_people[p.id], p)
    pairs, lost, gained = _match_ties(before, after)
    strengthened, weakened, other = [], [], []
    for old, new in pairs:
        if new.strength > old.strength:
            strengthened.append(_tie(new, old.strength, new.strength))
        elif new.strength < old.strength:
            weakened.append(_tie(new, old.strength, new.strength))
        for name in RELATIONSHIP_FIELDS:
            a, b = getattr(old, name), getattr(new, name)
            if a != b:
                other.append(TieChange(new.id, new.source, new.target, new.type, a, b, name))

    def figures(m: Map, day: date | None) -> dict[str, int | float]:
        return headline.headline_figures(
            m,
            day or date.today(),
            high_influence=s.high_influence,
            strong_tie=s.strong_tie,
            stale_months=s.stale_months,
        )

    return MapDiff(
        added=tuple(p.id for p in after.stakeholders if p.id not in old_people),
        removed=tuple(p.id for p in before.stakeholders if p.id not in new_people),
        changes=tuple(changes),
        gained=tuple(_tie(r, None, r.strength) for r in gained),
        lost=tuple(_tie(r, r.strength, None) for r in lost),
        strengthened=tuple(strengthened),
        weakened=tuple(weakened),
        tie_changes=tuple(other),
        figures_before=figures(before, before_on),
        figures_after=figures(after, after_on),
        names=names,
    )
