"""Graph files' nodes and edges as records, and the map settings graph files carry.

Shared by the GraphML and GEXF readers (and, for the settings, node-link JSON). Files from
other programs read too: ``label`` (or ``name``) becomes the name, the node id when there
is neither; unknown attributes become custom fields (blank ones kept); unknown perspectives
are added; a ``weight`` is kept as a custom field (Gephi writes 1.0 for "unweighted"), and
strength is 3 unless a ``strength`` attribute says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from mapping.io.records import Record, records_to_map
from mapping.model import DEFAULT_PERSPECTIVES, DEFAULT_RELATIONSHIP_TYPES, Map

__all__ = ["MARKER", "map_settings", "node_record", "edge_record", "graph_map", "file_stem"]

MARKER = "coalition_mapper"
_NAME_ATTRS = ("name", "label", "full name")  # in order of preference


def map_settings(m: Map) -> dict[str, Any]:
    """The map's own settings, with the marker that says the file is ours.

    >>> map_settings(Map(name="M"))["relationship_types"][:2]
    ['collaborates', 'commissions']
    """
    return {
        MARKER: 1,
        "name": m.name,
        "description": m.description,
        "perspectives": list(m.perspectives),
        "relationship_types": list(m.relationship_types),
    }


def node_record(source: str, node_id: str, values: dict[str, str]) -> Record:
    """A node as a stakeholder record: the id, the name from ``name``/``label``, the rest.

    >>> node_record("t.graphml", "n1", {"Label": "Ann", "ID": "x"}).values
    {'ID': 'n1', 'Name': 'Ann', 'custom.ID': 'x'}
    """
    record: dict[str, str] = {"ID": node_id, "Name": node_id}
    named = {k.strip().lower().replace("_", " "): k for k in values}
    for attr in _NAME_ATTRS:
        if attr in named and values[named[attr]].strip():
            record["Name"] = values.pop(named[attr])
            break
    for key, value in values.items():
        record[key if key not in record else f"custom.{key}"] = value
    return Record(source, f"Node {node_id!r}", record)


def edge_record(
    source: str,
    label: str,
    ends: tuple[str, str, str | None],
    directed: bool,
    values: dict[str, str],
) -> Record:
    """An edge as a relationship record; ``ends`` are source, target and the edge id if any.

    >>> edge_record("t.gexf", "Edge 1", ("a", "b", None), False, {"weight": "1.0"}).values
    {'From ID': 'a', 'To ID': 'b', 'Directed': 'false', 'custom.weight': '1.0'}
    """
    record: dict[str, str] = {
        "From ID": ends[0],
        "To ID": ends[1],
        "Directed": "true" if directed else "false",
    }
    if ends[2] is not None:
        record["ID"] = ends[2]
    weight = next((k for k in values if k.strip().lower() == "weight"), None)
    has_strength = any(k.strip().lower() == "strength" for k in values)
    if weight is not None and has_strength and values[weight] == values.get("strength"):
        del values[weight]
    elif weight is not None:
        values[f"custom.{weight}"] = values.pop(weight)
    for key, value in values.items():
        record[key if key not in record else f"custom.{key}"] = value
    return Record(source, label, record)


def graph_map(
    people: Sequence[Record],
    ties: Sequence[Record],
    settings: Mapping[str, Any],
    fallback: str,
    positions: Mapping[str, tuple[float, float]],
) -> Map:
    """The map of a graph file's records; ``settings`` as :func:`map_settings` writes them.

    Without our perspectives in ``settings`` the file is another program's: unknown
    perspectives are added. ``fallback`` names the map when the settings do not.
    """
    ours = settings.get("perspectives") is not None
    return records_to_map(
        people,
        ties,
        name=str(settings.get("name") or fallback),
        description=str(settings.get("description") or ""),
        perspectives=settings.get("perspectives") or DEFAULT_PERSPECTIVES,
        relationship_types=(
            DEFAULT_RELATIONSHIP_TYPES
            if settings.get("relationship_types") is None
            else settings["relationship_types"]
        ),
        add_unknown_perspectives=not ours,
        positions=positions,
        keep_blank_custom=True,
        unit="attribute",
    )


def file_stem(filename: str) -> str:
    """The file's name without folder and extension, to name the map.

    >>> file_stem("exports/trial network.graphml"), file_stem(".gexf")
    ('trial network', 'Imported map')
    """
    return re.sub(r"\.[A-Za-z0-9]+$", "", filename.rsplit("/", 1)[-1]) or "Imported map"
