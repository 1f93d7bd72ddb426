"""The published sources the analyses cite, one reference each, for each module's ``SOURCE``."""

from __future__ import annotations

__all__ = [
    "BLONDEL_2008",
    "BORGATTI_1997",
    "BORGATTI_2006",
    "BRANDES_2001",
    "BURT_1992",
    "DIJKSTRA_1959",
    "FREEMAN_1977",
    "FREEMAN_1978",
    "GOULD_FERNANDEZ_1989",
    "HOPCROFT_TARJAN_1973",
    "KRACKHARDT_STERN_1988",
    "MENDELOW_1991",
    "NHS_STAKEHOLDER_ANALYSIS",
    "TIMMINS_2015",
    "cite",
]

BLONDEL_2008 = (
    "Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast unfolding "
    "of communities in large networks. Journal of Statistical Mechanics, P10008."
)
BORGATTI_1997 = (
    "Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures. "
    "Connections 20(1), 35-38."
)
BORGATTI_2006 = (
    "Borgatti, S. P. (2006). Identifying sets of key players in a social network. "
    "Computational and Mathematical Organization Theory 12(1), 21-34."
)
BRANDES_2001 = (
    "Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal of "
    "Mathematical Sociology 25(2), 163-177."
)
BURT_1992 = (
    "Burt, R. S. (1992). Structural Holes: The Social Structure of Competition. Harvard "
    "University Press."
)
DIJKSTRA_1959 = (
    "Dijkstra, E. W. (1959). A note on two problems in connexion with graphs. Numerische "
    "Mathematik 1, 269-271."
)
FREEMAN_1977 = (
    "Freeman, L. C. (1977). A set of measures of centrality based on betweenness. "
    "Sociometry 40(1), 35-41."
)
FREEMAN_1978 = (
    "Freeman, L. C. (1978). Centrality in social networks: conceptual clarification. Social "
    "Networks 1(3), 215-239."
)
GOULD_FERNANDEZ_1989 = (
    "Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal approach to "
    "brokerage in transaction networks. Sociological Methodology 19, 89-126."
)
HOPCROFT_TARJAN_1973 = (
    "Hopcroft, J. & Tarjan, R. (1973). Algorithm 447: efficient algorithms for graph "
    "manipulation. Communications of the ACM 16(6), 372-378."
)
KRACKHARDT_STERN_1988 = (
    "Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises: an "
    "experimental simulation. Social Psychology Quarterly 51(2), 123-140."
)
MENDELOW_1991 = (
    "Mendelow, A. (1991). Stakeholder mapping. Proceedings of the 2nd International "
    "Conference on Information Systems, Cambridge, MA."
)
NHS_STAKEHOLDER_ANALYSIS = (
    "NHS England and NHS Improvement (n.d.). Stakeholder analysis. Online library of Quality, "
    "Service Improvement and Redesign (QSIR) tools."
)
TIMMINS_2015 = (
    "Timmins, N. (2015). The practice of system leadership: being comfortable with chaos. "
    "The King's Fund."
)


def cite(*references: str) -> str:
    """Several references as one ``SOURCE`` string, in the order given.

    Examples
    --------
    >>> cite(FREEMAN_1977, BURT_1992).startswith("Freeman, L. C. (1977)")
    True
    """
    return " ".join(references)
