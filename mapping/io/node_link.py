"""Node-link JSON: the ``networkx.node_link_data`` shape (``edges="links"``), for D3 and Python.

Our files are a directed multigraph: each link's ``key`` is the relationship id and its
``directed`` flag says whether it runs one way; ``networkx.node_link_graph(data,
edges="links")`` reads them as they are. Node fields are the stakeholder's fields (tags a
list, dates ISO, custom fields an object, the position as ``x``/``y``); the ``graph`` object
holds the map's name, description, perspectives and relationship types, and the marker
``"coalition_mapper": 1``. ``read_node_link(write_node_link(m)) == m``.

Other programs' node-link files read too (``edges`` or ``links``): ``name`` or ``label``
becomes the name (the id when there is neither), other attributes become custom fields
(lists and objects as JSON text), unknown perspectives are added.
"""

from __future__ import annotations

import json
from typing import Any

from mapping.errors import FormatError
from mapping.io.budget import DEFAULT_LIMITS, Limits, parse_json
from mapping.io.cells import encode_tags
from mapping.io.graph_records import MARKER, map_settings
from mapping.io.records import Record, records_to_map
from mapping.model import DEFAULT_PERSPECTIVES, DEFAULT_RELATIONSHIP_TYPES, Map
from mapping.model.fields import to_record

__all__ = ["write_node_link", "read_node_link", "node_link_data"]

_NAME_ATTRS = ("name", "label")  # in order of preference


def node_link_data(m: Map) -> dict[str, Any]:
    """The map as node-link data: plain JSON-ready dicts and lists.

    >>> from mapping.model import Stakeholder
    >>> data = node_link_data(Map(name="M", stakeholders=(Stakeholder("a", "Ann"),)))
    >>> data["nodes"][0]["id"], data["nodes"][0]["name"], data["links"]
    ('a', 'Ann', [])
    """
    nodes = []
    for s in m.stakeholders:
        node = to_record(s)
        if s.id in m.positions:
            node["x"], node["y"] = m.positions[s.id]
        nodes.append(node)
    links = []
    for r in m.relationships:
        link = to_record(r)
        # networkx's own order: the ends, then the key (the relationship's id)
        links.append({"source": link.pop("source"), "target": link.pop("target"), **_key(link)})
    graph = map_settings(m)
    return {"directed": True, "multigraph": True, "graph": graph, "nodes": nodes, "links": links}


def _key(link: dict[str, Any]) -> dict[str, Any]:
    """A link's fields with its id first, called ``key`` (a multigraph edge's key)."""
    return {"key": link.pop("id"), **link}


def write_node_link(m: Map) -> str:
    """The map as node-link JSON text (UTF-8 characters kept, indented).

    >>> from mapping.model import Stakeholder, Relationship
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")),
    ...         relationships=(Relationship("r1", "a", "b", directed=True),))
    >>> import networkx as nx
    >>> G = nx.node_link_graph(json.loads(write_node_link(m)), edges="links")
    >>> list(G.edges(keys=True))
    [('a', 'b', 'r1')]
    >>> read_node_link(write_node_link(m)) == m
    True
    """
    return json.dumps(node_link_data(m), ensure_ascii=False, indent=2) + "\n"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _flatten(item: dict[str, Any], skip: set[str]) -> dict[str, str]:
    """Text values of one node or link; tags and custom fields unpacked."""
    out: dict[str, str] = {}
    for key, value in item.items():
        if key in skip:
            continue
        if key == "custom" and isinstance(value, dict):
            out.update({f"custom.{k}": _text(v) for k, v in value.items()})
        elif key == "tags" and isinstance(value, list) and all(isinstance(t, str) for t in value):
            out[key] = encode_tags(value)
        else:
            out[key] = _text(value)
    return out


def _position(item: dict[str, Any]) -> tuple[float, float] | None:
    x, y = item.get("x"), item.get("y")
    if (
        isinstance(x, int | float)
        and isinstance(y, int | float)
        and not {type(x), type(y)} & {bool}
    ):
        return (float(x), float(y))
    return None


def _load(text: str | bytes, filename: str, limits: Limits) -> dict[str, Any]:
    limits.check_bytes(text.encode("utf-8") if isinstance(text, str) else text, filename)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            msg = "The node-link file is not UTF-8 text; save it again as UTF-8 JSON."
            raise FormatError(msg) from None
    try:
        data = parse_json(text, filename, limits)
    except json.JSONDecodeError as err:
        msg = f"The node-link file is not valid JSON (line {err.lineno}, column {err.colno})."
        raise FormatError(msg) from None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        msg = "This is not node-link JSON: it needs a 'nodes' list (and 'links' or 'edges')."
        raise FormatError(msg)
    limits.check_rows(len(data["nodes"]), filename, "nodes")
    links = data.get("links", data.get("edges"))
    limits.check_rows(len(links) if isinstance(links, list) else 0, filename, "links")
    return data


def read_node_link(
    text: str | bytes,
    *,
    filename: str = "map.json",
    name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Map:
    """A map from node-link JSON: ours exactly, or another program's (see module notes).

    Files over ``limits`` (size, nesting depth, nodes, links) are refused before the map is
    built.
    """
    data = _load(text, filename, limits)
    given = data.get("graph")
    graph: dict[str, Any] = given if isinstance(given, dict) else {}
    ours = graph.get(MARKER) == 1
    links = data.get("links", data.get("edges", []))
    if not isinstance(links, list):
        msg = "The node-link file's 'links' must be a list."
        raise FormatError(msg)
    people, positions, order = [], {}, []
    for i, node in enumerate(data["nodes"], start=1):
        if not isinstance(node, dict) or node.get("id") is None:
            msg = f"{filename}: node {i} has no 'id'; every node needs one."
            raise FormatError(msg)
        node_id = _text(node["id"])
        order.append(node_id)
        attrs = _flatten(node, {"id", "x", "y"} if _position(node) else {"id"})
        values = {"ID": node_id, "Name": node_id}
        for attr in _NAME_ATTRS:
            if attrs.get(attr, "").strip():
                values["Name"] = attrs.pop(attr)
                break
        values.update(attrs)
        point = _position(node)
        if point is not None:
            positions[node_id] = point
        people.append(Record(filename, f"Node {node_id!r}", values))
    known = set(order)
    default_directed = bool(data.get("directed", False)) and not ours
    ties = []
    for i, link in enumerate(links, start=1):
        if not isinstance(link, dict):
            msg = f"{filename}: link {i} is not an object."
            raise FormatError(msg)
        ends = [_end(link.get(end), order, known) for end in ("source", "target")]
        values = {"From ID": ends[0], "To ID": ends[1]}
        if ours:
            values["ID"] = _text(link.get("key"))
        elif link.get("id") is not None:
            values["ID"] = _text(link["id"])
        if "directed" not in link:
            values["Directed"] = "true" if default_directed else "false"
        values.update(_flatten(link, {"source", "target", "key", "id"}))
        if not ours and "weight" in values and "strength" not in values:
            values["custom.weight"] = values.pop("weight")
        label = f"Link {values['ID']!r}" if values.get("ID") else f"Link {i}"
        ties.append(Record(filename, label, values))
    types = graph.get("relationship_types")
    return records_to_map(
        people,
        ties,
        name=name or str(graph.get("name") or "Imported map"),
        description=str(graph.get("description") or ""),
        perspectives=graph.get("perspectives") or DEFAULT_PERSPECTIVES,
        relationship_types=DEFAULT_RELATIONSHIP_TYPES if types is None else types,
        add_unknown_perspectives=not ours,
        positions=positions,
        keep_blank_custom=True,
        unit="field",
    )


def _end(value: Any, order: list[str], known: set[str]) -> str:
    """A link end as a node id; D3-style integer positions are read as indexes."""
    text = _text(value)
    if text not in known and isinstance(value, int) and 0 <= value < len(order):
        return order[value]
    return text
