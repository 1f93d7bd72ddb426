"""The coalition gap report: every analysis run once, findings ranked, headline figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from mapping.analysis import (
    brokerage,
    communities,
    coverage,
    grid,
    influence,
    investment,
    quality,
    recruitment,
    resilience,
    silos,
    whatif,
)
from mapping.analysis.betweenness import EXACT_WORK, estimate_betweenness
from mapping.analysis.findings import Finding, sort_findings
from mapping.analysis.grouping import (
    Action,
    FindingGroup,
    dedupe,
    group_findings,
    group_title,
    top_actions,
    who_acts,
)
from mapping.model import Map
from mapping.model.graph import shared_tie_graph
from mapping.model.settings import Settings
from mapping.report.explain import MEASURES, explain

if TYPE_CHECKING:  # pandas loads only when a table is asked for (a faster command line)
    import pandas as pd

__all__ = ["REPORT_VERSION", "STEPS", "Figure", "GapReport", "analyse"]

REPORT_VERSION = 1

# Headline figures shown first, in this order (keys of whatif.FIGURES).
HEADLINE = (
    "perspectives_covered",
    "cross_perspective_ties",
    "key_person_risks",
    "relationships_needing_investment",
)


@dataclass(frozen=True)
class Figure:
    """One headline number with its label and help text."""

    key: str
    label: str
    value: str
    help: str


@dataclass(frozen=True)
class GapReport:
    """What the gap page, the command line and reports show about one map.

    ``figures`` holds every headline figure (raw numbers, see ``whatif.FIGURES``),
    ``headline`` the four shown first, formatted; the rest are the tables behind the
    findings, computed once so every screen can show them without recomputing.
    ``groups`` gathers the findings by kind of gap (:mod:`mapping.analysis.grouping`) and
    ``actions`` holds the three things to do first; ``names`` maps ids to names.
    ``betweenness_method`` is ``"exact"`` or ``"sampled"`` (large maps: estimated from a
    random sample of route starts) and ``betweenness_note`` says so in plain language,
    with the estimate's error; show it beside betweenness figures.
    """

    map_name: str
    today: date
    figures: dict[str, int | float]
    headline: tuple[Figure, ...]
    findings: tuple[Finding, ...]
    coverage: tuple[coverage.PerspectiveCoverage, ...]
    key_people: tuple[resilience.PersonRisk, ...]
    candidates: tuple[recruitment.Candidate, ...]
    tie_matrix: silos.TieMatrix
    ei: tuple[silos.EIIndex, ...]
    ei_overall: silos.EIIndex
    broker_positions: tuple[brokerage.BrokerPosition, ...] = field(hash=False, compare=False)
    grid_rows: tuple[grid.GridRow, ...] = field(hash=False, compare=False)
    communities: tuple[communities.Community, ...] = ()
    betweenness_method: str = "exact"
    betweenness_note: str = ""
    groups: tuple[FindingGroup, ...] = ()
    actions: tuple[Action, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    @cached_property
    def brokers(self) -> pd.DataFrame:
        """Every person's brokerage as a table (:func:`mapping.analysis.brokerage.broker_table`),
        built on first use: the command line's JSON needs no pandas."""
        return brokerage.positions_table(self.broker_positions)

    @cached_property
    def grid(self) -> pd.DataFrame:
        """The power/interest grid as a table (:func:`mapping.analysis.grid.grid`), built on
        first use."""
        return grid.grid_table(self.grid_rows)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (see docs/analysis-json.md); stable within a version."""
        index = {id(f): i for i, f in enumerate(self.findings)}
        return {
            "report_version": REPORT_VERSION,
            "map": self.map_name,
            "date": self.today.isoformat(),
            "figures": dict(self.figures),
            "findings": [f.to_dict() for f in self.findings],
            "coverage": [asdict(row) for row in self.coverage],
            "key_people": [
                {**asdict(r), "fragmentation_increase": r.fragmentation_increase}
                for r in self.key_people
            ],
            "candidates": [asdict(c) for c in self.candidates],
            "silos": {
                "perspectives": list(self.tie_matrix.perspectives),
                "tie_counts": {p: dict(row) for p, row in self.tie_matrix.counts.items()},
                "mean_strength": {p: dict(row) for p, row in self.tie_matrix.mean_strength.items()},
                "ei": [asdict(e) for e in self.ei],
                "ei_overall": asdict(self.ei_overall),
            },
            "brokers": brokerage.broker_records(self.broker_positions),
            "grid": [asdict(row) for row in self.grid_rows],
            "communities": [
                {**asdict(c), "members": list(c.members), "perspectives": dict(c.perspectives)}
                for c in self.communities
            ],
            "betweenness_method": self.betweenness_method,
            "betweenness_note": self.betweenness_note,
            "groups": [
                {
                    "kind": g.kind.key,
                    "title": group_title(g),
                    "severity": g.severity.value,
                    "count": g.count,
                    "severities": g.counts,
                    "findings": [index[id(f)] for f in g.items],
                }
                for g in self.groups
            ],
            "actions": [
                {
                    "kind": a.kind.key,
                    "finding": index[id(a.finding)],
                    "title": a.finding.title,
                    "action": a.finding.action,
                    "actor": a.actor,
                    "who": who_acts(a, self.names),
                }
                for a in self.actions
            ],
        }

    def to_text(self) -> str:
        """A readable plain-text report: the headline, the three things to do, then the
        findings grouped by kind, most urgent first."""
        lines = [f"Coalition gaps: {self.map_name} ({self.today.isoformat()})", ""]
        lines += [f"  {figure.label}: {figure.value}" for figure in self.headline]
        lines.append("")
        if self.actions:
            lines += ["This month: the three things to do", ""]
            for i, a in enumerate(self.actions, start=1):
                lines += [
                    f"{i}. {a.finding.title}",
                    f"   What to do: {a.finding.action}",
                    f"   Who should act: {who_acts(a, self.names)}",
                    "",
                ]
        if not self.findings:
            lines.append("No gaps found: every check passed.")
        for g in self.groups:
            lines += [f"[{g.severity.value.upper()}] {group_title(g)}", ""]
            for i, f in enumerate(g.items, start=1):
                lines += [
                    f"  {i}. [{f.severity.value.upper()}] {f.title}",
                    f"     {f.explanation}",
                    f"     What to do: {f.action}",
                    "",
                ]
        return "\n".join(lines).rstrip() + "\n"


def _headline(figures: dict[str, int | float]) -> tuple[Figure, ...]:
    shown = {
        "perspectives_covered": (
            f"{figures['perspectives_covered']} of {figures['perspectives_listed']}"
        ),
        "cross_perspective_ties": f"{round(100 * figures['cross_perspective_ties'])}%",
        "key_person_risks": str(figures["key_person_risks"]),
        "relationships_needing_investment": str(figures["relationships_needing_investment"]),
    }
    return tuple(Figure(key, MEASURES[key].name, shown[key], explain(key)) for key in HEADLINE)


#: The steps of :func:`analyse`, in order, as a progress indicator names them.
STEPS: tuple[str, ...] = (
    "Counting the routes through each person",
    "Counting perspectives and headline figures",
    "Checking who the coalition depends on",
    "Finding relationships to invest in",
    "Ranking who to bring in next",
    "Looking for silos and brokers",
    "Finding clusters of closely tied people",
    "Checking the data",
)


def analyse(
    m: Map,
    settings: Settings | None = None,
    *,
    today: date,
    progress: Callable[[float, str], None] | None = None,
    max_betweenness_work: int = EXACT_WORK,
) -> GapReport:
    """Run every analysis on ``m`` and gather the findings, most urgent first.

    The tie graph is built once and shared by every analysis. Betweenness is exact unless
    the map is large (see :func:`mapping.analysis.betweenness.estimate_betweenness`
    and ``max_betweenness_work``); the report says which. ``progress``, if given, is called
    before each step with the share done (0 to 1) and the step's name (:data:`STEPS`), and
    with ``(1.0, "Done")`` at the end.

    >>> from mapping.model import Stakeholder
    >>> report = analyse(Map("M", stakeholders=(Stakeholder("a", "Ann", coalition=True),)),
    ...                  today=date(2026, 1, 1))
    >>> report.figures["stakeholders"], [f.code for f in report.findings][:1]
    (1, ['coverage.patient-voice'])
    >>> report.betweenness_method
    'exact'
    """
    s = settings or Settings()
    steps = iter(enumerate(STEPS))

    def step() -> None:
        i, label = next(steps)
        if progress is not None:
            progress(i / len(STEPS), label)

    with shared_tie_graph(m) as G:
        step()
        estimate = estimate_betweenness(G, max_work=max_betweenness_work)
        between = estimate.values
        step()
        figures = whatif.headline_figures(
            m,
            today,
            high_influence=s.high_influence,
            strong_tie=s.strong_tie,
            stale_months=s.stale_months,
        )
        found: list[Finding] = []
        conflicted = investment.in_conflict_with_coalition(m, s.high_influence)
        found += coverage.findings(G, high_influence=s.high_influence, in_conflict=conflicted)
        step()
        risks = resilience.key_person_risks(G)
        found += resilience.findings(G, risks=risks)
        step()
        found += investment.findings(
            m,
            today,
            high_influence=s.high_influence,
            strong_tie=s.strong_tie,
            stale_months=s.stale_months,
            limit=None,
        )
        step()
        ranked = recruitment.candidates(G)
        found += recruitment.findings(G, top=s.recruit_top)
        step()
        found += silos.findings(G)
        positions = brokerage.broker_positions(G, between)
        found += brokerage.findings(G, positions=positions)
        found += influence.findings(G, high=s.high_influence, betweenness_values=between)
        needs = investment.investment_needs(
            m, today, s.high_influence, s.strong_tie, s.stale_months
        )
        reported = {g.id for g in needs.key_players} | conflicted
        found += grid.findings(
            G, high_influence=s.high_influence, high_interest=s.high_interest, reported=reported
        )
        step()
        clusters = communities.communities(G)
        whole = not resilience.pieces(G).is_fragmented
        found += communities.findings(G, found=clusters, whole_pieces=whole)
        step()
        found += quality.findings(m, today, stale_months=s.stale_months)
        ranked_findings = tuple(sort_findings(dedupe(found)))
        groups = tuple(group_findings(ranked_findings))
        report = GapReport(
            map_name=m.name,
            today=today,
            figures=figures,
            headline=_headline(figures),
            findings=ranked_findings,
            coverage=tuple(coverage.perspective_coverage(G)),
            key_people=tuple(r for r in risks if r.is_high_risk),
            candidates=tuple(ranked[: s.recruit_top]),
            tie_matrix=silos.tie_matrix(G),
            ei=tuple(silos.ei_by_perspective(G)),
            ei_overall=silos.ei_overall(G),
            broker_positions=tuple(positions),
            grid_rows=grid.grid_rows(G, s.high_influence, s.high_interest),
            communities=tuple(clusters),
            betweenness_method=estimate.method,
            betweenness_note=estimate.note,
            groups=groups,
            actions=tuple(top_actions(groups)),
            names=m.names(),
        )
    if progress is not None:
        progress(1.0, "Done")
    return report
