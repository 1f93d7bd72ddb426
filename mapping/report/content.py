"""The board-ready coalition report's contents and charts, which :mod:`mapping.report.html`
and :mod:`mapping.report.pdf` write as a page or a PDF."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from mapping.analysis.coverage import PerspectiveCoverage
from mapping.analysis.findings import Finding, Severity
from mapping.analysis.gaps import Figure, GapReport
from mapping.analysis.grid import KEEP_SATISFIED, MANAGE_CLOSELY, SECTORS
from mapping.analysis.grouping import group_title, who_acts
from mapping.changes.plan import agreed_rows
from mapping.drawing.picture import map_scene
from mapping.drawing.scene import Scene
from mapping.model import Map, Stance
from mapping.model.actions import PlannedAction
from mapping.model.wording import count_of, listing, long_date, percent
from mapping.report.charts import (
    coverage_scene,
    grid_scene,
)

__all__ = [
    "TOOL_NAME",
    "SEVERITY_STYLE",
    "ReportTable",
    "FindingGroup",
    "ReportAction",
    "ReportContent",
    "report_content",
    "coverage_scene",
    "grid_scene",
]

TOOL_NAME = "Coalition Mapper"
#: Severity -> (badge text, heading, badge colour); the badge always carries its words.
SEVERITY_STYLE: dict[Severity, tuple[str, str, str]] = {
    Severity.HIGH: ("HIGH", "High priority: act now", "#A50F15"),
    Severity.MEDIUM: ("MEDIUM", "Medium priority: plan to act", "#B35806"),
    Severity.LOW: ("LOW", "Low priority: keep in view", "#2166AC"),
    Severity.INFO: ("INFO", "For information", "#555555"),
}
_HIGH_POWER = (MANAGE_CLOSELY, KEEP_SATISFIED)


@dataclass(frozen=True)
class ReportTable:
    """A titled table of plain text; ``empty`` is said instead when there are no rows."""

    title: str
    intro: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    empty: str


@dataclass(frozen=True)
class FindingGroup:
    """The findings of one kind of gap, most urgent first, with the badge text, heading and
    colour of its most urgent severity; ``counts`` says how many of each ("2 high, 3 low")."""

    severity: Severity
    badge: str
    heading: str
    colour: str
    findings: tuple[Finding, ...]
    counts: str = ""


@dataclass(frozen=True)
class ReportAction:
    """One of the three things to do: the finding, and who should act, in words."""

    finding: Finding
    who: str


@dataclass(frozen=True)
class ReportContent:
    """Everything the HTML and PDF reports say, as plain text, tables and drawings."""

    map_name: str
    description: str
    date_text: str
    summary: str
    privacy: str
    headline: tuple[Figure, ...]
    """The headline figures, each ``help`` cut to its first sentence."""
    first: tuple[Finding, ...]
    """The findings of the three things to do (or the first three findings)."""
    groups: tuple[FindingGroup, ...]
    """One group per kind of gap, most urgent first (the summary lists them, the appendix
    gives each finding)."""
    map_picture: Scene
    coverage_chart: Scene
    coverage: ReportTable
    grid_chart: Scene
    grid_summary: str
    key_players: ReportTable
    key_people: ReportTable
    candidates: ReportTable
    notes: ReportTable | None
    reflections: tuple[str, ...]
    about: tuple[str, ...]
    footer: str
    title: str = "Coalition gap report"
    actions: tuple[ReportAction, ...] = ()
    agreed: ReportTable | None = None


def _first_sentence(text: str) -> str:
    """The first sentence of ``text`` (all of it when it has only one).

    >>> _first_sentence("Share of ties. High: good. Source: X.")
    'Share of ties.'
    """
    found = re.search(r"[.!?](?=\s+[A-Z])", text)
    return text[: found.end()] if found else text


def _names(m: Map, ids) -> str:
    names = m.names()
    return listing([names.get(i, i) for i in ids], 4, others=True)


def _key_people(m: Map, report: GapReport) -> ReportTable:
    names = m.names()
    rows = []
    for r in report.key_people:
        lose = []
        if r.perspectives_lost:
            quoted = listing([f"'{p}'" for p in r.perspectives_lost], 4, others=True)
            plural = "s" if len(r.perspectives_lost) > 1 else ""
            lose.append(f"the {quoted} perspective{plural} would lose its route into the coalition")
        if r.cut_off_members:
            lose.append(f"{_names(m, r.cut_off_members)} would be cut off from the coalition")
        if r.people_separated:
            lose.append(f"{count_of(r.people_separated, 'person', 'people')} separated in all")
        if r.repair:
            a, b = (names.get(i, i) for i in (r.repair.source, r.repair.target))
            fix = f"Build a relationship between {a} and {b}."
        else:
            fix = "Introduce their contacts to other coalition members."
        who = r.name + (" (coalition member)" if r.coalition else "")
        reach = f"{percent(r.fragmentation_before)} → {percent(r.fragmentation_after)}"
        effect = "; ".join(lose)
        rows.append((who, r.perspective, effect[:1].upper() + effect[1:] + ".", reach, fix))
    return ReportTable(
        "Key people: if they left",
        "People whose departure would cut coalition members or a whole perspective off, and "
        "the relationship that would make the coalition resilient to it. 'Cannot reach' is the "
        "share of pairs of people with no path between them, now and after they left.",
        ("Person", "Perspective", "If they left", "Cannot reach", "To build resilience"),
        tuple(rows),
        (1.3, 1.1, 2.4, 0.8, 1.8),
        "No single person's departure would cut the coalition apart or cut a perspective off.",
    )


def _candidates(m: Map, report: GapReport) -> ReportTable:
    names = m.names()
    rows = []
    for i, c in enumerate(report.candidates, start=1):
        if c.approach_by is None:
            ask = "No one in the coalition can reach them yet: find someone who knows them."
        elif len(c.approach_path) <= 2:
            ask = f"{names.get(c.approach_by, c.approach_by)} (direct tie, strength {c.approach_strength} of 5)"
        else:
            via = listing([names.get(v, v) for v in c.approach_path[1:-1]], 3)
            ask = f"{names.get(c.approach_by, c.approach_by)}, introduced through {via}"
        stance = "" if c.stance == Stance.UNKNOWN.value else c.stance
        rows.append(
            (
                str(i),
                c.name,
                c.perspective + (" (missing from the coalition)" if c.fills_gap else ""),
                stance or "not known",
                f"{c.influence} of 5",
                f"{c.score:.1f}",
                ask,
            )
        )
    return ReportTable(
        "Who to bring in next",
        "People outside the coalition ranked by stance, influence, ties to the coalition and "
        "whether they bring a missing perspective, with the member best placed to ask them.",
        ("#", "Name", "Perspective", "Stance", "Influence", "Score", "Best placed to ask"),
        tuple(rows),
        (0.3, 1.3, 1.4, 0.9, 0.9, 0.6, 2.2),
        "Everyone on the map is already in the coalition.",
    )


def _key_players(grid: pd.DataFrame) -> ReportTable:
    rows = []
    for row in grid.itertuples():
        if row.sector in _HIGH_POWER:
            member = "yes" if row.coalition else "no"
            stance = "not known" if row.stance == Stance.UNKNOWN.value else row.stance
            rows.append((row.name, row.perspective, stance, member, row.sector, row.action))
    return ReportTable(
        "Key players: high influence",
        "Everyone rated high on influence, with the engagement their sector and stance suggest.",
        ("Name", "Perspective", "Stance", "In coalition", "Sector", "Suggested engagement"),
        tuple(rows),
        (1.2, 1.2, 0.9, 0.8, 0.9, 3.2),
        "No one on the map is rated high on influence.",
    )


def _coverage_table(rows: Sequence[PerspectiveCoverage]) -> ReportTable:
    def rating(value: int | None) -> str:
        return "–" if value is None else str(value)

    body = tuple(
        (
            r.perspective,
            str(r.stakeholders),
            str(len(r.members)),
            str(len(r.outside)),
            rating(r.highest_member_influence),
            str(r.ties_into_coalition),
        )
        for r in rows
    )
    return ReportTable(
        "Coverage in numbers",
        "",
        ("Perspective", "On the map", "In coalition", "Outside", "Top influence inside", "Ties in"),
        body,
        (2.0, 0.9, 0.9, 0.8, 1.1, 0.8),
        "The map has no perspectives.",
    )


def _notes(m: Map, report: GapReport) -> ReportTable:
    named = {sid for f in report.findings for sid in f.stakeholders}
    named |= {r.id for r in report.key_people} | {c.id for c in report.candidates}
    named |= set(report.grid.loc[report.grid["sector"].isin(_HIGH_POWER), "id"])
    rows = tuple(
        (s.name, " ".join(s.notes.split()))
        for s in m.stakeholders
        if s.notes.strip() and s.id in named
    )
    return ReportTable(
        "Private notes",
        "Notes recorded about the people this report names.",
        ("Name", "Notes"),
        rows,
        (1.2, 4.0),
        "No notes are recorded about the people this report names.",
    )


def _agreed(m: Map, report: GapReport, plan: Sequence[PlannedAction], today: date) -> ReportTable:
    rows = tuple(
        (r.what, r.who, r.status, r.happened) for r in agreed_rows(plan, m, today, report.findings)
    )
    return ReportTable(
        "What we agreed and what happened",
        "Actions of the engagement plan that are overdue, and those done with what changed on "
        "the map since they were planned.",
        ("Action", "Who acts", "Status", "What happened"),
        rows,
        (2.2, 1.2, 1.2, 2.6),
        "No action is overdue and none has been done yet.",
    )


ABOUT = (
    "The findings come from checks run on the map: which perspectives the coalition holds "
    "(coverage), who holds it together (key-person risk, Borgatti's fragmentation), which "
    "relationships need investment, who to bring in next, where perspectives do not talk to "
    "each other (Krackhardt's E-I index), who brokers between groups (betweenness, "
    "Gould and Fernandez's roles) and the power/interest grid (Mendelow; the NHS four sectors).",
    "They are prompts for discussion, not verdicts: the map holds the judgements of the people "
    "who drew it, and is only as current as its last update.",
)


def report_content(
    m: Map,
    report: GapReport,
    *,
    today: date,
    include_notes: bool = False,
    reflections: Sequence[str] = (),
    plan: Sequence[PlannedAction] = (),
) -> ReportContent:
    """What the report says, shared by :func:`report_html` and :func:`report_pdf`; with a
    ``plan`` (the map's engagement plan), "What we agreed and what happened" too.

    A two-page summary (headline figures, the three things to do with who should act, one
    line per kind of gap, then the map) comes first; the detail follows as an appendix.
    """
    groups = tuple(
        FindingGroup(
            g.severity,
            SEVERITY_STYLE[g.severity][0],
            group_title(g),
            SEVERITY_STYLE[g.severity][2],
            g.items,
            ", ".join(f"{n} {severity}" for severity, n in g.counts.items() if n),
        )
        for g in report.groups
    )
    names = m.names()
    actions = tuple(ReportAction(a.finding, who_acts(a, names)) for a in report.actions)
    members = sum(s.coalition for s in m.stakeholders)
    summary = (
        f"{count_of(len(m.stakeholders), 'stakeholder')}, "
        f"{count_of(len(m.relationships), 'relationship')}, "
        f"{count_of(members, 'coalition member')}"
    )
    privacy = (
        "This report includes private notes about named people: keep it within the team."
        if include_notes
        else "This report names people and records judgements about them; private notes are "
        "left out. Share it only with those who need it."
    )
    key_players = _key_players(report.grid)
    counts = [f"{name} {int((report.grid['sector'] == name).sum())}" for name in SECTORS]
    return ReportContent(
        map_name=m.name or "Untitled map",
        description=m.description,
        date_text=long_date(today),
        summary=summary,
        privacy=privacy,
        headline=tuple(replace(f, help=_first_sentence(f.help)) for f in report.headline),
        first=tuple(a.finding for a in actions) or tuple(report.findings[:3]),
        groups=groups,
        actions=actions,
        map_picture=map_scene(m, width=1100, height=733, today=today),
        coverage_chart=coverage_scene(report.coverage),
        coverage=_coverage_table(report.coverage),
        grid_chart=grid_scene(m, report.grid),
        grid_summary="People per sector: " + ", ".join(counts) + ".",
        key_players=key_players,
        key_people=_key_people(m, report),
        candidates=_candidates(m, report),
        notes=_notes(m, report) if include_notes else None,
        agreed=_agreed(m, report, plan, today) if plan else None,
        reflections=tuple(t.strip() for t in reflections if str(t).strip()),
        about=ABOUT,
        footer=f"{TOOL_NAME} · Coalition gap report · {long_date(today)}",
    )
