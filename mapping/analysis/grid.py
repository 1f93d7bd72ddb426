"""The power/interest grid: the NHS four sectors, with an engagement action for each person."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.perspectives import mentions
from mapping.analysis.sources import MENDELOW_1991, NHS_STAKEHOLDER_ANALYSIS, cite
from mapping.model import Stance
from mapping.model.graph import remembered
from mapping.model.wording import listing, person_name

if TYPE_CHECKING:  # pandas loads only where a table is built (a faster command line)
    import pandas as pd

__all__ = [
    "METHOD",
    "SOURCE",
    "MANAGE_CLOSELY",
    "KEEP_SATISFIED",
    "KEEP_INFORMED",
    "MONITOR",
    "SECTORS",
    "COLUMNS",
    "VOICE_WORDS",
    "sector",
    "engagement_action",
    "GridRow",
    "GridGaps",
    "grid_rows",
    "grid_table",
    "grid",
    "grid_gaps",
    "gap_findings",
    "findings",
]

METHOD = (
    "Mendelow's (1991) power/interest matrix in the NHS four-sector form (manage closely, "
    "keep satisfied, keep informed, monitor), influence standing for power; the action "
    "combines the sector with the person's stance."
)

SOURCE = cite(MENDELOW_1991, NHS_STAKEHOLDER_ANALYSIS)

MANAGE_CLOSELY = "manage closely"
KEEP_SATISFIED = "keep satisfied"
KEEP_INFORMED = "keep informed"
MONITOR = "monitor"
SECTORS: tuple[str, ...] = (MANAGE_CLOSELY, KEEP_SATISFIED, KEEP_INFORMED, MONITOR)
COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "perspective",
    "influence",
    "interest",
    "stance",
    "coalition",
    "sector",
    "action",
)
VOICE_WORDS: tuple[str, ...] = (
    "patient",
    "carer",
    "voluntary",
    "community sector",
    "vcse",
    "third sector",
    "service user",
    "lived experience",
)
"""Words marking a perspective as a patient, carer or voluntary-sector voice."""

_ACTIONS: dict[tuple[str, str], str] = {
    (MANAGE_CLOSELY, "favourable"): (
        "Involve them in leading the work; give them visible ownership and ask them to bring "
        "others with them."
    ),
    (MANAGE_CLOSELY, "neutral"): (
        "Meet regularly; show how the change serves their own goals and invite them to shape it."
    ),
    (MANAGE_CLOSELY, "unknown"): (
        "Meet soon to find out where they stand; until then treat them as a key player."
    ),
    (MANAGE_CLOSELY, "resistant"): (
        "Meet one to one; understand their objections; find a trusted messenger."
    ),
    (KEEP_SATISFIED, "favourable"): (
        "Keep them content with brief, regular updates; call on their influence when it counts."
    ),
    (KEEP_SATISFIED, "neutral"): (
        "Consult them on decisions that touch their interests; avoid surprises."
    ),
    (KEEP_SATISFIED, "unknown"): "Find out where they stand before their influence is needed.",
    (KEEP_SATISFIED, "resistant"): (
        "Address their concerns early and privately so they do not block the work; find a "
        "trusted messenger."
    ),
    (KEEP_INFORMED, "favourable"): (
        "Keep them informed and involved; organise them with others to raise their influence "
        "(patients often fall here)."
    ),
    (KEEP_INFORMED, "neutral"): (
        "Keep them informed; ask for their views and show how they were used."
    ),
    (KEEP_INFORMED, "unknown"): "Ask for their views and keep them informed.",
    (KEEP_INFORMED, "resistant"): (
        "Listen to their concerns and keep them informed: their objections may point to real "
        "problems."
    ),
    (MONITOR, "favourable"): "Keep in touch lightly; ask for their help with specific tasks.",
    (MONITOR, "neutral"): (
        "Monitor with little effort; look again if their influence or interest changes."
    ),
    (MONITOR, "unknown"): (
        "Monitor with little effort; look again if their influence or interest changes."
    ),
    (MONITOR, "resistant"): "Monitor; look again if their influence or interest grows.",
}


def _stance_group(stance: str) -> str:
    if stance in (Stance.CHAMPION.value, Stance.SUPPORTER.value):
        return "favourable"
    if stance in (Stance.SCEPTIC.value, Stance.OPPOSED.value):
        return "resistant"
    return "neutral" if stance == Stance.NEUTRAL.value else "unknown"


def sector(influence: int, interest: int, high_influence: int = 4, high_interest: int = 4) -> str:
    """The grid sector for a rating; ``high_*`` and above count as high.

    Examples
    --------
    >>> sector(5, 2), sector(2, 5), sector(4, 4), sector(3, 3)
    ('keep satisfied', 'keep informed', 'manage closely', 'monitor')
    """
    if influence >= high_influence:
        return MANAGE_CLOSELY if interest >= high_interest else KEEP_SATISFIED
    return KEEP_INFORMED if interest >= high_interest else MONITOR


def engagement_action(where: str, stance: str) -> str:
    """What to do with someone in this sector, given their stance.

    Examples
    --------
    >>> engagement_action("manage closely", "opposed")
    'Meet one to one; understand their objections; find a trusted messenger.'
    """
    return _ACTIONS[(where, _stance_group(str(stance)))]


@dataclass(frozen=True)
class GridRow:
    """One person on the grid: their ratings, sector and engagement action (the row of
    :func:`grid`, in the order of :data:`COLUMNS`)."""

    id: str
    name: str
    perspective: str
    influence: int
    interest: int
    stance: str
    coalition: bool
    sector: str
    action: str


def grid_rows(G: nx.Graph, high_influence: int = 4, high_interest: int = 4) -> tuple[GridRow, ...]:
    """Everyone on the grid, sector by sector, most influential first (see :func:`grid`).

    >>> G = nx.Graph()
    >>> G.add_node("c", name="Cat", perspective="provider", influence=5, interest=3,
    ...            stance="sceptic", coalition=False)
    >>> [(r.name, r.sector) for r in grid_rows(G)]
    [('Cat', 'keep satisfied')]
    """
    key = ("grid", high_influence, high_interest)
    return remembered(G, key, lambda: _grid_rows(G, high_influence, high_interest))


def _grid_rows(G: nx.Graph, high_influence: int, high_interest: int) -> tuple[GridRow, ...]:
    rows = []
    for v, data in G.nodes(data=True):
        influence, interest = int(data.get("influence", 3)), int(data.get("interest", 3))
        stance = str(data.get("stance", Stance.UNKNOWN.value))
        where = sector(influence, interest, high_influence, high_interest)
        rows.append(
            GridRow(
                id=str(v),
                name=str(person_name(G, v)),
                perspective=str(data.get("perspective", "")),
                influence=influence,
                interest=interest,
                stance=stance,
                coalition=bool(data.get("coalition", False)),
                sector=where,
                action=engagement_action(where, stance),
            )
        )
    rows.sort(key=lambda r: (SECTORS.index(r.sector), -r.influence, -r.interest, r.name))
    return tuple(rows)


def grid_table(rows: Sequence[GridRow]) -> pd.DataFrame:
    """Grid rows as a table with the columns :data:`COLUMNS` (imports pandas on first use).

    >>> grid_table(()).shape
    (0, 9)
    """
    import pandas as pd

    table = pd.DataFrame([[getattr(r, c) for c in COLUMNS] for r in rows], columns=list(COLUMNS))
    kinds = {c: "str" for c in COLUMNS}
    kinds.update(influence="int64", interest="int64", coalition="bool")
    return table.astype(kinds)


def grid(G: nx.Graph, high_influence: int = 4, high_interest: int = 4) -> pd.DataFrame:
    """Everyone on the grid: sector and engagement action, sector by sector, most influential first.

    Parameters
    ----------
    G : networkx.Graph
        The tie graph (:func:`mapping.model.graph.tie_graph`); only node ratings are used.
    high_influence, high_interest : int, optional
        Ratings at or above these count as high (default 4 on the 1-5 scale).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; no rows for an empty map. :func:`grid_rows` gives the same
        rows without pandas.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("c", name="Cat", perspective="provider", influence=5, interest=3,
    ...            stance="sceptic", coalition=False)
    >>> grid(G).loc[0, ["name", "sector"]].tolist()
    ['Cat', 'keep satisfied']
    """
    return grid_table(grid_rows(G, high_influence, high_interest))


def _is_voice(perspective: str) -> bool:
    return mentions(perspective, VOICE_WORDS)


def _names(rows: Sequence[GridRow]) -> str:
    return listing([f"{r.name} ({r.perspective})" for r in rows], 5, others=True)


@dataclass(frozen=True)
class GridGaps:
    """What the grid finds: powerful sceptics or opponents outside the coalition whom no
    member is in touch with, and patient, carer and community voices with a strong interest
    but little influence (grid rows, in grid order)."""

    unmanaged: tuple[GridRow, ...] = ()
    voices: tuple[GridRow, ...] = ()


def grid_gaps(
    G: nx.Graph,
    *,
    high_influence: int = 4,
    high_interest: int = 4,
    reported: Collection[str] = (),
) -> GridGaps:
    """The facts behind :func:`findings` (people in ``reported`` are left out of the
    powerful sceptics).

    >>> G = nx.Graph()
    >>> G.add_node("f", name="Fay", perspective="patient & carer", influence=2, interest=5,
    ...            stance="unknown", coalition=False)
    >>> [r.id for r in grid_gaps(G).voices]
    ['f']
    """
    rows = grid_rows(G, high_influence, high_interest)
    members = {v for v, c in G.nodes(data="coalition") if c}
    resistant = (Stance.SCEPTIC.value, Stance.OPPOSED.value)
    unmanaged = tuple(
        r
        for r in rows
        if r.influence >= high_influence
        and r.stance in resistant
        and not r.coalition
        and not (set(G[r.id]) & members)
        and r.id not in reported
    )
    voices = tuple(r for r in rows if r.sector == KEEP_INFORMED and _is_voice(r.perspective))
    return GridGaps(unmanaged=unmanaged, voices=voices)


def findings(
    G: nx.Graph,
    *,
    high_influence: int = 4,
    high_interest: int = 4,
    reported: Collection[str] = (),
) -> list[Finding]:
    """Powerful sceptics no coalition member talks to; patient and community voices to organise.

    People in ``reported`` are left out of the powerful sceptics: the gap report passes those
    another finding already names (an unsecured key player, a conflict with the coalition),
    so the same fact about the same person is said once. The facts come from
    :func:`grid_gaps`; :func:`gap_findings` words them.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("f", name="Fay", perspective="patient & carer", influence=2, interest=5,
    ...            stance="unknown", coalition=False)
    >>> [f.code for f in findings(G)]
    ['grid.organise-voices']
    """
    gaps = grid_gaps(
        G, high_influence=high_influence, high_interest=high_interest, reported=reported
    )
    return gap_findings(gaps)


def gap_findings(gaps: GridGaps) -> list[Finding]:
    """:class:`GridGaps` in words: one finding for the unmanaged opposition, one for the
    voices to organise."""
    out = []
    unmanaged, voices = gaps.unmanaged, gaps.voices
    if len(unmanaged):
        n = len(unmanaged)
        out.append(
            Finding(
                code="grid.unmanaged-opposition",
                severity=Severity.HIGH,
                title=(
                    f"{unmanaged[0].name} is powerful, not on side, and no coalition "
                    "member is in touch"
                    if n == 1
                    else f"{n} powerful sceptics or opponents with no coalition member in touch"
                ),
                explanation=(
                    f"{_names(unmanaged)} {'has' if n == 1 else 'have'} high influence and "
                    f"{'is' if n == 1 else 'are'} sceptical or opposed, yet no one in the "
                    "coalition has a relationship with them. Left alone, they can stall the "
                    "change."
                ),
                action=(
                    "Meet one to one; understand their objections; find a trusted messenger "
                    "(see who to bring in next for the best route)."
                ),
                stakeholders=tuple(r.id for r in unmanaged),
                evidence={"sector": [r.sector for r in unmanaged], "count": n},
            )
        )
    if len(voices):
        n = len(voices)
        out.append(
            Finding(
                code="grid.organise-voices",
                severity=Severity.MEDIUM,
                title=(
                    f"{_names(voices)} has a strong interest but little influence"
                    if n == 1
                    else f"{n} patient, carer and community voices have a strong interest but "
                    "little influence"
                ),
                explanation=(
                    f"{_names(voices)} {'cares' if n == 1 else 'care'} a great deal about the "
                    f"change but {'has' if n == 1 else 'have'} little say in it. Patients and "
                    "communities often fall here."
                ),
                action=(
                    "Organise them to raise their influence: bring them together, give them a "
                    "seat where decisions are made, and support them to speak for others."
                ),
                stakeholders=tuple(r.id for r in voices),
                evidence={"count": n},
            )
        )
    return out
