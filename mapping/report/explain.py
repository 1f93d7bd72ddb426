"""Plain-language explanations of every measure the tool shows, with their sources."""

from __future__ import annotations

from dataclasses import dataclass

from mapping.analysis import sources

__all__ = ["MEASURES", "Measure", "explain"]


@dataclass(frozen=True)
class Measure:
    """What a measure means for a coalition, what to do when it is high or low, and its source."""

    key: str
    name: str
    meaning: str
    high: str
    low: str
    source: str

    def sentence(self) -> str:
        """One short paragraph for a help tooltip."""
        return f"{self.meaning} High: {self.high} Low: {self.low} Source: {self.source}"


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
        "E-I index",
        "For one perspective: (ties outside − ties inside) ÷ all its ties, from −1 (every tie "
        "stays inside) to +1 (every tie goes outside). The size-corrected version compares "
        "with what the group sizes alone would give.",
        "the group is outward-looking and well connected to others.",
        "the group is inward-looking: pair its members with people from other perspectives.",
        sources.KRACKHARDT_STERN_1988,
    ),
    Measure(
        "betweenness",
        "Broker score (betweenness)",
        "How often someone lies on the shortest trusted route between two other people; "
        "strong ties count as shorter routes.",
        "they connect people who would otherwise not hear from each other: win them over "
        "(outside the coalition) or protect them (inside it).",
        "they are not a go-between; that is fine for most people.",
        sources.cite(sources.FREEMAN_1977, sources.BRANDES_2001),
    ),
    Measure(
        "constraint",
        "Constraint",
        "How much someone's contacts already know each other (Burt's structural holes).",
        "most of their contacts are connected to each other, so they hear little that is new "
        "and have little room to broker.",
        "their contacts are in separate circles: they can bridge them and hear early news.",
        sources.BURT_1992,
    ),
    Measure(
        "effective_size",
        "Effective size",
        "How many non-overlapping contacts someone has: contacts minus the redundancy among them.",
        "a wide, varied network: a good messenger into several groups.",
        "a close-knit circle: useful for depth, less for reach.",
        sources.cite(sources.BURT_1992, sources.BORGATTI_1997),
    ),
    Measure(
        "brokerage_roles",
        "Brokerage roles",
        "Counts of the go-between positions someone holds, by perspective: coordinator (within "
        "their own group), gatekeeper (lets outsiders into their group), representative "
        "(speaks for their group to others), consultant (links two members of another group), "
        "liaison (links two other groups).",
        "gatekeepers and liaisons control how a perspective hears about the change: engage "
        "them early.",
        "no brokering role: they depend on others to carry messages.",
        sources.GOULD_FERNANDEZ_1989,
    ),
    Measure(
        "fragmentation",
        "Fragmentation",
        "The share of pairs of people who cannot reach each other through any chain of "
        "relationships (Borgatti's key-player measure).",
        "the network falls apart into separate pieces: build bridges between them.",
        "everyone can reach everyone through someone.",
        sources.BORGATTI_2006,
    ),
    Measure(
        "key_person_risks",
        "Key-person risk",
        "Coalition members whose departure would cut other members, or a whole perspective, "
        "off from the coalition (articulation points of the network).",
        "turnover of one person would set the programme back: build a second route now.",
        "the coalition would survive anyone leaving.",
        sources.cite(sources.BORGATTI_2006, sources.HOPCROFT_TARJAN_1973, sources.TIMMINS_2015),
    ),
    Measure(
        "relationships_needing_investment",
        "Relationships to invest in",
        "Key players who are not yet on side and have no strong tie to the coalition, weak or "
        "long-unconfirmed ties to key players, and conflicts between coalition members.",
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
    ),
    Measure(
        "communities",
        "Clusters",
        "Groups of people more tied to each other than to the rest (Louvain method, weighted "
        "by strength), compared with their perspectives.",
        "a cluster that mixes many perspectives is a natural place to convene.",
        "a single-perspective cluster may be an echo chamber: bring in other voices.",
        sources.BLONDEL_2008,
    ),
    Measure(
        "hidden_influence",
        "Hidden influencers and paper tigers",
        "Rated influence compared with network position: a hidden influencer is rated low but "
        "sits at the heart of the network; a paper tiger is rated high but has few ties.",
        "network position above rating: check whether you under-rate them.",
        "rating above network position: check whether ties are missing from the map.",
        sources.cite(sources.FREEMAN_1977, sources.FREEMAN_1978),
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
