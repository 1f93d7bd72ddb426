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
from mapping.analysis.grid import KEEP_INFORMED, KEEP_SATISFIED, MANAGE_CLOSELY, SECTORS
from mapping.analysis.grouping import group_title, who_acts
from mapping.changes.plan import agreed_rows
from mapping.drawing.encoding import STANCE_SHAPES, legend, short_name
from mapping.drawing.picture import map_scene
from mapping.drawing.scene import Label, Scene, Shape, Stroke, shape_points
from mapping.model import Map, Stance
from mapping.model.actions import PlannedAction
from mapping.model.wording import count_of, listing, long_date, percent

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
_IN, _OUT = "#0072B2", "#BBBBBB"
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


def coverage_scene(rows: Sequence[PerspectiveCoverage], width: float = 640) -> Scene:
    """Bars per perspective: people in the coalition (blue) and outside it (grey), with counts.

    >>> row = PerspectiveCoverage("clinical", 3, ("a",), ("b", "c"), 4, 3, 2)
    >>> [i.text for i in coverage_scene([row]).items if isinstance(i, Label)][2:5]
    ['clinical', '1', '2']
    """
    left, bar_h, gap, top = 190.0, 16.0, 10.0, 34.0
    most = max((r.stakeholders for r in rows), default=0) or 1
    span = width - left - 40
    items: list[Shape | Stroke | Label] = [
        Shape("key", ((left, 8), (left + 12, 8), (left + 12, 20), (left, 20)), _IN),
        Label("key", left + 17, 18, "In the coalition", 11),
        Shape("key", ((left + 130, 8), (left + 142, 8), (left + 142, 20), (left + 130, 20)), _OUT),
        Label("key", left + 147, 18, "Outside the coalition", 11),
    ]
    for i, r in enumerate(rows):
        y = top + i * (bar_h + gap)
        name = r.perspective if len(r.perspective) <= 30 else r.perspective[:29] + "…"
        items.append(Label("axis", left - 8, y + 12, name, 11, anchor="end"))
        x = left
        for count, colour, text_colour in (
            (len(r.members), _IN, "#FFFFFF"),
            (len(r.outside), _OUT, "#1A1A1A"),
        ):
            w = span * count / most
            if count:
                box = ((x, y), (x + w, y), (x + w, y + bar_h), (x, y + bar_h))
                items.append(Shape("bar", box, colour))
                inside = w >= 18
                items.append(
                    Label(
                        "value",
                        x + w / 2 if inside else x + w + 4,
                        y + 12,
                        str(count),
                        10,
                        text_colour if inside else "#1A1A1A",
                        "middle" if inside else "start",
                    )
                )
            x += w
        if not r.stakeholders:
            items.append(Label("value", left + 4, y + 12, "nobody on the map", 10, "#555555"))
    height = top + max(len(rows), 1) * (bar_h + gap) + 6
    return Scene(
        width,
        height,
        tuple(items),
        "Perspective coverage",
        "; ".join(f"{r.perspective}: {len(r.members)} in, {len(r.outside)} out" for r in rows),
    )


def _threshold(frame: pd.DataFrame, column: str, high: tuple[str, ...]) -> int:
    """The lowest rating counted as high, read back from the sectors people were put in."""
    highs = frame.loc[frame["sector"].isin(high), column]
    lows = frame.loc[~frame["sector"].isin(high), column]
    if len(highs):
        return int(highs.min())
    return int(lows.max()) + 1 if len(lows) else 4


def grid_scene(m: Map, grid: pd.DataFrame, size: float = 520) -> Scene:
    """The power/interest grid: interest across, influence up, the four sectors shaded; each
    person drawn as on the map (colour perspective, shape stance, dark outline if a member).

    ``grid`` is :attr:`GapReport.grid`.
    """
    left, top, bottom = 40.0, 30.0, 40.0
    side = size - left - 14
    cell = side / 5
    hi_inf = _threshold(grid, "influence", (MANAGE_CLOSELY, KEEP_SATISFIED))
    hi_int = _threshold(grid, "interest", (MANAGE_CLOSELY, KEEP_INFORMED))
    sx = left + (hi_int - 1) * cell
    sy = top + (5 - (hi_inf - 1)) * cell
    x1, y1 = left + side, top + side
    items: list[Shape | Stroke | Label] = []
    names: list[Label] = []
    boxes = ((sx, top, x1, sy), (left, top, sx, sy), (sx, sy, x1, y1), (left, sy, sx, y1))
    for name, (a, b, c, d) in zip(SECTORS, boxes, strict=True):
        if c > a and d > b:
            shade = "#E4EDF7" if name == MANAGE_CLOSELY else "#F4F6F9"
            items.append(Shape("sector", ((a, b), (c, b), (c, d), (a, d)), shade))
            text = f"{name.capitalize()} ({int((grid['sector'] == name).sum())})"
            names.append(Label("sector", (a + c) / 2, b + 12, text, 10, "#333333", "middle", True))
    for k in range(6):
        x, y = left + k * cell, top + k * cell
        items += [
            Stroke("axis", ((x, top), (x, y1)), "#D0D5DD", 0.6),
            Stroke("axis", ((left, y), (x1, y)), "#D0D5DD", 0.6),
        ]
    items += [
        Stroke("axis", ((sx, top), (sx, y1)), "#6B7A8F", 1.5),
        Stroke("axis", ((left, sy), (x1, sy)), "#6B7A8F", 1.5),
        *names,
        Label("axis", left + side / 2, y1 + 32, "Interest", 11, anchor="middle", bold=True),
        Label("axis", 4, top - 10, "Influence", 11, bold=True),
    ]
    for k in range(1, 6):
        items.append(Label("axis", left + (k - 0.5) * cell, y1 + 14, str(k), 10, anchor="middle"))
        items.append(Label("axis", left - 8, top + (5.5 - k) * cell + 4, str(k), 10, anchor="end"))
    colours = {i.label: i.colour for i in legend(m) if i.kind == "perspective"}
    cells: dict[tuple[int, int], list] = {}
    for row in grid.sort_values(["coalition", "name"], ascending=[False, True]).itertuples():
        cells.setdefault((int(row.interest), int(row.influence)), []).append(row)
    # Everyone in a cell stands in a column, marker then name, below the sector's name in
    # the cells under it: no two names overlap, and long ones are shortened to fit the cell.
    for (interest, influence), people in sorted(cells.items()):
        x0, y0 = left + (interest - 1) * cell, top + (5 - influence) * cell
        head = 13.0 if influence in (5, hi_inf - 1) else 0.0
        step = (cell - head - 2) / len(people)
        font = min(8.0, step - 1.5)
        r = max(min(font * 0.45, 4.0), 1.5)
        limit = max(int((cell - 2 * r - 7) / (0.56 * font)), 3)
        for j, p in enumerate(people):
            x, y = x0 + 3 + r, y0 + head + 1 + (j + 0.5) * step
            shape = STANCE_SHAPES[Stance.parse(p.stance)][0]
            poly = shape_points(shape, x, y, r) or ((x, y),)
            border = "#111111" if p.coalition else "#555555"
            width = 1.5 if p.coalition else 0.6
            fill = colours.get(p.perspective, "#999999")
            title = f"{p.name} ({p.perspective}, {p.stance}): {p.sector}"
            circle = 0.0 if len(poly) > 1 else r
            items.append(Shape("marker", poly, fill, border, width, (), 1.0, circle, title))
            name = short_name(str(p.name), limit)
            items.append(Label("name", x + r + 2, y + font * 0.35, name, font))
    return Scene(size, top + side + bottom, tuple(items), "Power/interest grid")


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
