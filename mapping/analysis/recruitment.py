"""Who to bring in next: non-members ranked by a transparent score, and who should ask them."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import networkx as nx

from mapping.analysis.findings import Finding, Severity
from mapping.analysis.perspectives import UNSPECIFIED
from mapping.analysis.sources import DIJKSTRA_1959, TIMMINS_2015, cite
from mapping.model import Stance
from mapping.model.graph import remembered
from mapping.model.wording import count_of, person_name

__all__ = [
    "METHOD",
    "SOURCE",
    "STANCE_POINTS",
    "GAP_POINTS",
    "MAX_TIE_POINTS",
    "Candidate",
    "candidates",
    "findings",
]

METHOD = (
    "'Start with a coalition of the willing and build outwards' (Timmins 2015) as an "
    "additive score whose parts are shown; the route in is the strongest direct tie, else "
    "Dijkstra's shortest path with tie distance 1 / strength."
)

SOURCE = cite(TIMMINS_2015, DIJKSTRA_1959)

STANCE_POINTS: dict[str, int] = {
    Stance.CHAMPION.value: 4,
    Stance.SUPPORTER.value: 3,
    Stance.NEUTRAL.value: 2,
    Stance.UNKNOWN.value: 2,
    Stance.SCEPTIC.value: 1,
    Stance.OPPOSED.value: 0,
}
"""Points for stance: the willing first, the opposed last."""

GAP_POINTS = 3
"""Points for bringing a perspective that has no coalition member yet."""

MAX_TIE_POINTS = 4
"""Tie points are the summed strength of ties to coalition members / 5, at most this."""


@dataclass(frozen=True)
class Candidate:
    """Someone outside the coalition, their score in parts, and the best way to approach them.

    ``score = stance_points + influence_points + tie_points + gap_points``, where
    influence points are influence - 1 (0 to 4). ``approach_path`` runs from the coalition
    member best placed to ask (``approach_by``) to the candidate: two people for a direct
    tie (``approach_strength`` is its strength), longer for an introduction; empty when no
    one in the coalition can reach them.
    """

    id: str
    name: str
    perspective: str
    stance: str
    influence: int
    score: float
    stance_points: int
    influence_points: int
    tie_points: float
    gap_points: int
    ties_to_coalition: int
    fills_gap: bool
    approach_by: str | None
    approach_path: tuple[str, ...]
    approach_strength: int | None


def candidates(G: nx.Graph) -> list[Candidate]:
    """Everyone outside the coalition, highest score first (then influence, then name).

    Parameters
    ----------
    G : networkx.Graph
        The tie graph (:func:`mapping.model.graph.tie_graph`).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", name="Ann", coalition=True, perspective="clinical", influence=3,
    ...            stance="champion")
    >>> G.add_node("b", name="Bo", coalition=False, perspective="provider", influence=4,
    ...            stance="supporter")
    >>> G.add_edge("a", "b", strength=5, distance=0.2)
    >>> c = candidates(G)[0]
    >>> (c.id, c.score, c.stance_points, c.influence_points, c.tie_points, c.gap_points)
    ('b', 10.0, 3, 3, 1.0, 3)
    >>> c.approach_path
    ('a', 'b')
    """
    return list(remembered(G, "recruitment.candidates", lambda: _candidates(G)))


def _candidates(G: nx.Graph) -> list[Candidate]:
    members = [v for v, c in G.nodes(data="coalition") if c]
    member = set(members)
    covered = {G.nodes[v].get("perspective") for v in members}
    if members:
        _, routes = nx.multi_source_dijkstra(G, members, weight="distance")
    else:
        routes = {}
    out = []
    for v, data in G.nodes(data=True):
        if data.get("coalition", False):
            continue
        stance = str(data.get("stance", Stance.UNKNOWN.value))
        influence = int(data.get("influence", 1))
        perspective = str(data.get("perspective", UNSPECIFIED))
        direct = sorted(
            (
                (
                    -d.get("strength", 1),
                    -G.nodes[u].get("influence", 1),
                    person_name(G, u),
                    u,
                )
                for u, d in G[v].items()
                if u in member
            )
        )
        strengths = [-t[0] for t in direct]
        fills = perspective != UNSPECIFIED and perspective not in covered
        tie_points = min(MAX_TIE_POINTS, sum(strengths) / 5)
        stance_points = STANCE_POINTS.get(stance, STANCE_POINTS[Stance.UNKNOWN.value])
        gap_points = GAP_POINTS if fills else 0
        if direct:
            path: tuple[str, ...] = (direct[0][3], v)
            strength: int | None = strengths[0]
        else:
            path, strength = tuple(routes.get(v, ())), None
        out.append(
            Candidate(
                id=v,
                name=person_name(G, v),
                perspective=perspective,
                stance=stance,
                influence=influence,
                score=stance_points + (influence - 1) + tie_points + gap_points,
                stance_points=stance_points,
                influence_points=influence - 1,
                tie_points=tie_points,
                gap_points=gap_points,
                ties_to_coalition=len(direct),
                fills_gap=fills,
                approach_by=path[0] if path else None,
                approach_path=path,
                approach_strength=strength,
            )
        )
    out.sort(key=lambda c: (-c.score, -c.influence, c.name))
    return out


_STANCE_TEXT = {
    Stance.CHAMPION.value: "a champion of the change",
    Stance.SUPPORTER.value: "a supporter",
    Stance.NEUTRAL.value: "neutral",
    Stance.SCEPTIC.value: "sceptical",
    Stance.OPPOSED.value: "opposed",
    Stance.UNKNOWN.value: "of unknown stance",
}
_INVITE = "invite them in: share the coalition's aims and ask what they would want to shape."
_ASK = {
    Stance.CHAMPION.value: _INVITE,
    Stance.SUPPORTER.value: _INVITE,
    Stance.NEUTRAL.value: "understand what would bring them in, and what they would shape.",
    Stance.SCEPTIC.value: "listen to their doubts first, and what would bring them in.",
    Stance.UNKNOWN.value: "find out where they stand and what they would want to shape.",
}


def _finding(G: nx.Graph, c: Candidate, rank: int) -> Finding:
    who = f"{c.name} ({c.perspective})"
    facts = [
        f"{c.name} is {_STANCE_TEXT.get(c.stance, c.stance)}, with influence {c.influence} of 5"
    ]
    if c.fills_gap:
        facts.append(f"would be the coalition's first voice from the '{c.perspective}' perspective")
    if c.ties_to_coalition:
        facts.append(f"already has {count_of(c.ties_to_coalition, 'tie')} to coalition members")
    explanation = (
        "; ".join(facts) + ". "
        f"Score {c.score:.3g}: {c.stance_points:g} for their stance, {c.influence_points:g} for "
        f"influence, {round(c.tie_points, 1):g} for ties to the coalition and {c.gap_points:g} "
        "for a new perspective."
    )
    if c.approach_strength is not None:
        asker = person_name(G, c.approach_by)
        action = (
            f"Ask {asker}, who has the strongest tie with {c.name} ({c.approach_strength} of "
            f"5), to {_ASK.get(c.stance, _ASK[Stance.UNKNOWN.value])}"
        )
    elif c.approach_path:
        asker = person_name(G, c.approach_by)
        via = " and then ".join(person_name(G, u) for u in c.approach_path[1:-1])
        action = (
            f"Ask {asker} to seek an introduction to {c.name} through {via}, the strongest "
            "chain of relationships from the coalition, then "
            f"{_ASK.get(c.stance, _ASK[Stance.UNKNOWN.value])}"
        )
    else:
        action = (
            f"No one in the coalition has a route to {c.name}: find someone who knows them, "
            "or invite them to an open event."
        )
    path = c.approach_path
    return Finding(
        code="recruitment.candidate",
        severity=Severity.MEDIUM if c.fills_gap else Severity.LOW,
        title=f"Bring in {who} next" if rank == 1 else f"Bring in {who}",
        explanation=explanation,
        action=action,
        stakeholders=(c.id, *path[:-1]),
        ties=tuple(pairwise(path)),
        evidence={
            "rank": rank,
            "score": round(c.score, 2),
            "stance_points": c.stance_points,
            "influence_points": c.influence_points,
            "tie_points": round(c.tie_points, 2),
            "gap_points": c.gap_points,
            "approach_path": list(path),
        },
        actor=c.approach_by,
    )


def findings(G: nx.Graph, *, top: int = 5) -> list[Finding]:
    """The ``top`` people to bring in next, each with who should ask them and how.

    Opposed people are left out: win them over first (see the power/interest grid). With
    no coalition marked, there is no one to build outwards from, and no findings.

    Examples
    --------
    >>> from mapping.model.graph import tie_graph
    >>> from mapping.model import Map, Relationship, Stakeholder
    >>> m = Map("M", stakeholders=(
    ...     Stakeholder("a", "Ann", perspective="clinical", coalition=True),
    ...     Stakeholder("f", "Fay", perspective="patient & carer", stance="supporter")),
    ...     relationships=(Relationship("r1", "a", "f", strength=4),))
    >>> f = findings(tie_graph(m))[0]
    >>> f.title
    'Bring in Fay (patient & carer) next'
    >>> print(f.action)  # doctest: +ELLIPSIS
    Ask Ann, who has the strongest tie with Fay (4 of 5), to invite them in: share ...
    """
    if not any(c for _, c in G.nodes(data="coalition")):
        return []
    chosen = [c for c in candidates(G) if c.stance != Stance.OPPOSED.value][:top]
    return [_finding(G, c, rank) for rank, c in enumerate(chosen, start=1)]
