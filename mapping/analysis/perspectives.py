"""The map's perspectives: their order, the catch-all 'other', and the patient voice."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from mapping.model.graph import remembered

__all__ = [
    "UNSPECIFIED",
    "PATIENT_WORDS",
    "node_perspective",
    "perspective_lookup",
    "perspectives_of",
    "present_perspectives",
    "mentions",
    "is_patient_perspective",
]

UNSPECIFIED = "other"
"""The catch-all perspective (``Stakeholder``'s default): it fills no gap and is never a
perspective cut off or out of reach, and the data-quality check reports it as missing."""

#: Words that mark a perspective as the patient, carer or service-user voice.
PATIENT_WORDS: tuple[str, ...] = ("patient", "carer", "service user", "lived experience")


def node_perspective(G: nx.Graph, n: object) -> str:
    """A person's perspective, :data:`UNSPECIFIED` when none is recorded.

    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"perspective": "clinical"}), "b"])
    >>> node_perspective(G, "a"), node_perspective(G, "b")
    ('clinical', 'other')
    """
    return G.nodes[n].get("perspective", UNSPECIFIED)


def perspective_lookup(G: nx.Graph) -> dict[object, str]:
    """Everyone's perspective at once (:func:`node_perspective` of each person), for loops
    over many ties; shared while ``G`` is the shared tie graph, so read-only.

    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"perspective": "clinical"}), "b"])
    >>> perspective_lookup(G)
    {'a': 'clinical', 'b': 'other'}
    """
    return remembered(
        G,
        "perspective lookup",
        lambda: {n: p for n, p in G.nodes(data="perspective", default=UNSPECIFIED)},
    )


def perspectives_of(G: nx.Graph) -> list[str]:
    """The map's perspectives in order, then any perspective only a stakeholder names.

    >>> G = nx.Graph(perspectives=("clinical", "provider"))
    >>> G.add_node("a", perspective="public health")
    >>> perspectives_of(G)
    ['clinical', 'provider', 'public health']
    """
    listed = tuple(G.graph.get("perspectives", ()))
    held = perspective_lookup(G).values()
    return list(remembered(G, "perspective order", lambda: tuple(dict.fromkeys([*listed, *held]))))


def present_perspectives(G: nx.Graph) -> list[str]:
    """Perspectives someone on the map holds, but not the catch-all: map order, then A-Z.

    >>> G = nx.Graph(perspectives=("clinical", "provider", "other"))
    >>> G.add_nodes_from([("a", {"perspective": "provider"}), ("b", {"perspective": "other"}),
    ...                   ("c", {"perspective": "arts"}), ("d", {"perspective": "clinical"})])
    >>> present_perspectives(G)
    ['clinical', 'provider', 'arts']
    """
    found = {p for _, p in G.nodes(data="perspective") if p and p != UNSPECIFIED}
    listed = [p for p in G.graph.get("perspectives", ()) if p in found]
    return listed + sorted(found - set(listed))


def mentions(perspective: str, words: Iterable[str]) -> bool:
    """Whether a perspective's name contains any of these words, ignoring case.

    >>> mentions("Voluntary & Community Sector", ("voluntary", "charity"))
    True
    """
    text = perspective.casefold()
    return any(word in text for word in words)


def is_patient_perspective(perspective: str) -> bool:
    """Whether a perspective speaks for patients, carers or service users.

    >>> is_patient_perspective("Patient & carer"), is_patient_perspective("public health")
    (True, False)
    """
    return mentions(perspective, PATIENT_WORDS)
