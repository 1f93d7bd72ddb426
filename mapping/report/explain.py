"""Plain-language explanations of every measure the tool shows, with their sources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mapping.analysis import sources

__all__ = ["MEASURES", "Measure", "explain", "evidence_rows", "tendency"]


@dataclass(frozen=True)
class Measure:
    """What a measure means for a coalition, what to do when it is high or low, and its source.

    ``name`` is the plain words shown on screen; ``technical`` the name the literature uses,
    given behind the ⓘ and on the Methods page ("" when the plain name is the usual one).
    """

    key: str
    name: str
    meaning: str
    high: str
    low: str
    source: str
    technical: str = ""

    def sentence(self) -> str:
        """One short paragraph for a help tooltip: meaning, what to do, technical name, source."""
        known = f" Technical name: {self.technical}." if self.technical else ""
        return f"{self.meaning} High: {self.high} Low: {self.low}{known} Source: {self.source}"

    @property
    def heading(self) -> str:
        """The plain name, then the technical one in brackets (the Methods page).

        >>> MEASURES["betweenness"].heading
        'Bridges between groups (betweenness centrality)'
        """
        return f"{self.name} ({self.technical})" if self.technical else self.name


_MEASURES = (
    Measure(
        "perspectives_covered",
        "Perspectives in the coalition",
        "How many of the perspectives on your map (clinical, patient and carer, commissioner…) "
        "have at least one person in the coalition of the willing.",
        "the coalition sees the system from many sides; keep it that way as people move on.",
        "decisions will be made without some voices: invite someone from each missing "
        "perspective, starting with patients and carers.",
        sources.TIMMINS_2015,
    ),
    Measure(
        "cross_perspective_ties",
        "Ties across perspectives",
        "The share of relationships that join people of two different perspectives.",
        "ideas and trust travel between groups.",
        "groups talk among themselves (silos): broker introductions across the gaps.",
        sources.KRACKHARDT_STERN_1988,
    ),
    Measure(
        "ei_index",
        "Inward- or outward-looking group",
        "For one perspective: (ties outside − ties inside) ÷ all its ties, from −1 (every tie "
        "stays inside) to +1 (every tie goes outside). The size-corrected version compares "
        "with what the group sizes alone would give.",
        "the group is outward-looking and well connected to others.",
        "the group is inward-looking: pair its members with people from other perspectives.",
        sources.KRACKHARDT_STERN_1988,
        "E-I index, size-corrected E-I index",
    ),
    Measure(
        "betweenness",
        "Bridges between groups",
        "How often someone lies on the shortest trusted route between two other people; "
        "strong ties count as shorter routes.",
        "they connect people who would otherwise not hear from each other: win them over "
        "(outside the coalition) or protect them (inside it).",
        "they are not a go-between; that is fine for most people.",
        sources.cite(sources.FREEMAN_1977, sources.BRANDES_2001),
        "betweenness centrality",
    ),
    Measure(
        "constraint",
        "Closed circle",
        "How much someone's contacts already know each other (Burt's structural holes).",
        "most of their contacts are connected to each other, so they hear little that is new "
        "and have little room to broker.",
        "their contacts are in separate circles: they can bridge them and hear early news.",
        sources.BURT_1992,
        "constraint",
    ),
    Measure(
        "effective_size",
        "Reach into separate circles",
        "How many non-overlapping contacts someone has: contacts minus the redundancy among them.",
        "a wide, varied network: a good messenger into several groups.",
        "a close-knit circle: useful for depth, less for reach.",
        sources.cite(sources.BURT_1992, sources.BORGATTI_1997),
        "effective size",
    ),
    Measure(
        "brokerage_roles",
        "Go-between roles",
        "Counts of the go-between positions someone holds, by perspective: coordinator (within "
        "their own group), gatekeeper (lets outsiders into their group), representative "
        "(speaks for their group to others), consultant (links two members of another group), "
        "liaison (links two other groups).",
        "gatekeepers and liaisons control how a perspective hears about the change: engage "
        "them early.",
        "no brokering role: they depend on others to carry messages.",
        sources.GOULD_FERNANDEZ_1989,
        "brokerage roles (coordinator, gatekeeper, representative, consultant, liaison)",
    ),
    Measure(
        "fragmentation",
        "People who cannot reach each other",
        "The share of pairs of people who cannot reach each other through any chain of "
        "relationships (Borgatti's key-player measure).",
        "the network falls apart into separate pieces: build bridges between them.",
        "everyone can reach everyone through someone.",
        sources.BORGATTI_2006,
        "fragmentation",
    ),
    Measure(
        "key_person_risks",
        "People the network depends on",
        "People who hold parts of the network together: coalition members whose departure "
        "would cut other members, or a whole perspective, off from the coalition.",
        "turnover of one person would set the programme back: build a second route now.",
        "the coalition would survive anyone leaving.",
        sources.cite(sources.BORGATTI_2006, sources.HOPCROFT_TARJAN_1973, sources.TIMMINS_2015),
        "key-person risk (articulation points)",
    ),
    Measure(
        "relationships_needing_investment",
        "Relationships to invest in",
        "Key players who are not yet on side and have no strong tie to the coalition, weak or "
        "long-unconfirmed ties to key players, and conflicts between a coalition member and "
        "another member or a key player.",
        "many key relationships are thin: give them time and energy, one at a time.",
        "the key relationships are strong and recently confirmed.",
        sources.TIMMINS_2015,
    ),
    Measure(
        "recruitment_score",
        "Who to bring in next (score)",
        "Stance points + influence − 1 + strength of ties into the coalition (up to 4) + 3 if "
        "they bring a perspective the coalition lacks.",
        "a strong candidate: the named coalition member is best placed to ask them.",
        "not yet: build the relationship first.",
        sources.TIMMINS_2015,
    ),
    Measure(
        "power_interest",
        "Power / interest grid",
        "Influence (power) against interest, in the NHS four sectors: manage closely, keep "
        "satisfied, keep informed, monitor.",
        "high power and high interest: manage closely, involve them in leading the work.",
        "low power, high interest (patients often fall here): keep informed and organise them "
        "to raise their influence.",
        sources.cite(sources.MENDELOW_1991, sources.NHS_STAKEHOLDER_ANALYSIS),
        "Mendelow's power/interest matrix",
    ),
    Measure(
        "communities",
        "Closely tied groups",
        "Groups of people more tied to each other than to the rest (Louvain method, weighted "
        "by strength), compared with their perspectives.",
        "a cluster that mixes many perspectives is a natural place to convene.",
        "a single-perspective cluster may be an echo chamber: bring in other voices.",
        sources.BLONDEL_2008,
        "communities (Louvain method)",
    ),
    Measure(
        "hidden_influence",
        "Influence ratings to check",
        "Rated influence compared with network position: a hidden influencer is rated low but "
        "sits at the heart of the network; a paper tiger is rated high but has few ties.",
        "network position above rating: check whether you under-rate them.",
        "rating above network position: check whether ties are missing from the map.",
        sources.cite(sources.FREEMAN_1977, sources.FREEMAN_1978),
        "hidden influencers and paper tigers (degree and betweenness against rating)",
    ),
    Measure(
        "support_network",
        "Support network",
        "Someone's direct contacts and friends of friends, inside and outside their "
        "organisation, by perspective.",
        "many routes for support and news, across organisations.",
        "few contacts, or all inside one organisation: find allies elsewhere.",
        sources.TIMMINS_2015,
    ),
    Measure(
        "staleness",
        "Stale relationships",
        "Relationships not confirmed within the months set on the Settings page; review-by "
        "dates that have passed. Relationships never confirmed are not stale: they are "
        "counted once, as a data-quality finding.",
        "the map may no longer reflect reality: confirm the oldest first.",
        "the map is up to date.",
        sources.TIMMINS_2015,
    ),
)

MEASURES: dict[str, Measure] = {m.key: m for m in _MEASURES}


def explain(key: str) -> str:
    """The help text for a measure.

    >>> explain("fragmentation").startswith("The share of pairs of people")
    True
    """
    return MEASURES[key].sentence()


def tendency(ei: float | None) -> str:
    """A group's E-I index in words: how inward- or outward-looking it is.

    >>> [tendency(v) for v in (-0.83, -0.3, 0.0, 0.4, 0.9, None)]
    ['mostly inward-looking', 'somewhat inward-looking', 'balanced', \
'somewhat outward-looking', 'mostly outward-looking', 'no ties yet']
    """
    if ei is None:
        return "no ties yet"
    if ei <= -0.5:
        return "mostly inward-looking"
    if ei < -0.2:
        return "somewhat inward-looking"
    if ei <= 0.2:
        return "balanced"
    if ei < 0.5:
        return "somewhat outward-looking"
    return "mostly outward-looking"


#: Plain labels for the evidence behind findings (keys of ``Finding.evidence``).
_LABELS: dict[str, str] = {
    "perspective": "Perspective",
    "perspectives": "Perspectives",
    "stakeholders": "People of this perspective on the map",
    "coalition_members": "Of them in the coalition",
    "highest_member_influence": "Highest influence in the coalition",
    "highest_outside_influence": "Highest influence outside it",
    "ties_into_coalition": "Ties into the coalition",
    "high_influence": "Influence counted as high",
    "invite": "Invite first",
    "patient_perspectives": "Patient or carer perspectives on the map",
    "perspectives_with_stakeholders": "Perspectives with anyone on the map",
    "influence": "Influence (1-5)",
    "stance": "Stance",
    "closest_member": "Closest coalition member",
    "closest_strength": "Strength of that tie (0-5)",
    "strength": "Strength (1-5)",
    "last_confirmed": "Last confirmed",
    "weak": "Weak",
    "stale": "Not confirmed lately",
    "relationships": "Relationships",
    "relationship": "Relationship",
    "fragmentation_before": "Pairs who cannot reach each other now",
    "fragmentation_after": "Pairs who could not, if they left",
    "cut_off_members": "Coalition members cut off",
    "perspectives_lost": "Perspectives cut off",
    "people_separated": "People separated",
    "suggested_tie": "A second route",
    "betweenness": "Share of routes through them",
    "constraint": "Closed circle (0-1)",
    "effective_size": "Separate circles reached",
    "perspectives_reached": "Perspectives they know",
    "rank": "Rank",
    "score": "Score",
    "approach_path": "Route from the coalition",
    "size": "People",
    "dominant": "Main perspective",
    "dominant_share": "Share of the main perspective",
    "ties_inside": "Ties inside the group",
    "count": "How many",
    "external_ties": "Ties to other perspectives",
    "ties": "Ties",
    "intermediaries": "People who could link them",
    "share": "Share",
    "groups": "Groups",
    "pieces": "Separate pieces",
    "alone": "People with no tie",
    "largest": "People in the largest piece",
    "internal_ties": "Ties inside the group",
    "ei": "Inward (−1) to outward (+1)",
    "expected_ei": "Expected from group sizes",
    "size_corrected_ei": "Allowing for group size",
    "subjects": "About",
    "overdue_days": "Days overdue",
    "sector": "Sector",
}

#: Evidence that is a share of something, shown as a rounded percentage.
_SHARES = {"fragmentation_before", "fragmentation_after", "betweenness", "dominant_share", "share"}
#: Evidence only programs need (the JSON keeps it).
_HIDDEN = {"community", "stance_points", "influence_points", "tie_points", "gap_points"}


def _value(key: str, value: Any, names: Mapping[str, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if key in _SHARES:
            return f"{round(100 * value)}%"
        if key.endswith("ei"):
            return f"{value:+.2f}"
        return f"{value:.1f}".removesuffix(".0")
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_value(key, v, names)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        sep = " – " if key in {"suggested_tie"} else (" → " if key == "approach_path" else ", ")
        return sep.join(_value(key, v, names) for v in value)
    return str(value)


def evidence_rows(evidence: Mapping[str, Any], names: Mapping[str, str]) -> list[tuple[str, str]]:
    """The numbers behind a finding as a small two-column table of plain words.

    Ids become names, shares rounded percentages, yes/no for flags, blanks for nothing.

    >>> evidence_rows({"closest_member": "a", "closest_strength": 2, "weak": True,
    ...                "fragmentation_after": 0.8298, "last_confirmed": None}, {"a": "Ann"})
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Closest coalition member', 'Ann'), ('Strength of that tie (0-5)', '2'), ('Weak', 'yes'),
     ('Pairs who could not, if they left', '83%'), ('Last confirmed', '')]
    """
    return [
        (_LABELS.get(k, k.replace("_", " ").capitalize()), _value(k, v, names))
        for k, v in evidence.items()
        if k not in _HIDDEN
    ]
