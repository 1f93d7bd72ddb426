"""GraphML: exchange maps with Gephi, yEd, Cytoscape and NetworkX, losslessly.

``read_graphml(write_graphml(m)) == m`` for every valid map: each stakeholder and
relationship field is node or edge data (:mod:`mapping.io.xml.common`); custom fields are
keys named ``custom.<name>``; the map's name, description, perspectives and relationship
types travel as graph data; positions are ``x``/``y`` node data.

GraphML ids and attribute names must be XML NMTOKENs, so other characters are written as
``_xHHHH_`` (the XmlConvert convention) and decoded on reading. The file's edge
direction follows :mod:`mapping.io.xml.directions`, so NetworkX, igraph, Gephi and yEd all read
it with every tie's direction kept. Files from other programs may still give an edge its own
``directed="true|false"``; it is read as such.

Files from other programs read as :mod:`mapping.io.graph_records` describes; key defaults
apply; nested graphs and hyperedges are ignored. XML 1.0 cannot hold control characters
other than tab and line breaks: the writer refuses maps holding them
(:func:`mapping.io.safety.check_portable_text`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from mapping.io.cells import json_text_list
from mapping.io.graph_records import edge_record, file_stem, graph_map, map_settings, node_record
from mapping.io.safety import DEFAULT_LIMITS, Limits, check_portable_text
from mapping.io.xml.common import (
    EDGE_FIELDS,
    NODE_FIELDS,
    XSI_NS,
    children,
    custom_keys,
    edge_values,
    element,
    node_values,
    parse_graph,
    xs_double,
)
from mapping.io.xml.directions import EXTRA_FIELDS, edge_plan, folded_away, is_mixed, read_direction
from mapping.model import Map

__all__ = ["write_graphml", "read_graphml", "to_nmtoken", "from_nmtoken"]

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"

_NMTOKEN_SAFE = re.compile(r"[A-Za-z0-9.:\-]")


def to_nmtoken(text: str) -> str:
    """``text`` as an XML NMTOKEN, other characters written as ``_xHHHH_``.

    >>> to_nmtoken("Ann Clark"), to_nmtoken("s-1f3a"), to_nmtoken("a_xb")
    ('Ann_x0020_Clark', 's-1f3a', 'a_x005F_xb')
    >>> from_nmtoken(to_nmtoken("Zoë_x 1")) == "Zoë_x 1"
    True
    """
    out = []
    for i, c in enumerate(text):
        if _NMTOKEN_SAFE.match(c) or (c == "_" and text[i + 1 : i + 2] != "x"):
            out.append(c)
        else:
            out.append(f"_x{ord(c):04X}_")
    return "".join(out)


_ESCAPED = re.compile(r"_x([0-9A-F]{4,6})_")


def from_nmtoken(token: str) -> str:
    """The text :func:`to_nmtoken` encoded (most tokens hold no escape: returned at once)."""
    if "_x" not in token:
        return token
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), token)


def _keys(node_custom: list[str], edge_custom: list[str], mixed: bool) -> list[str]:
    """The ``<key>`` declarations: graph settings, node and edge fields, custom fields, x/y,
    and the direction data of a map with both one-way and mutual ties."""
    graph_keys = ("name", "description", "perspectives", "relationship_types")
    out = [
        element("key", {"id": f"g.{n}", "for": "graph", "attr.name": n, "attr.type": "string"})
        for n in graph_keys
    ]
    for kind, fields, custom in (
        ("node", NODE_FIELDS, node_custom),
        ("edge", EDGE_FIELDS + (EXTRA_FIELDS if mixed else ()), edge_custom),
    ):
        for name, gtype, _ in fields:
            attrs = {"id": f"{kind[0]}.{name}", "for": kind, "attr.name": name, "attr.type": gtype}
            out.append(element("key", attrs))
        for i, key in enumerate(custom):
            attrs = {
                "id": f"{kind[0]}.c{i}",
                "for": kind,
                "attr.name": "custom." + to_nmtoken(key),
                "attr.type": "string",
            }
            out.append(element("key", attrs))
        if kind == "node":
            for axis in ("x", "y"):
                attrs = {"id": f"n.{axis}", "for": "node", "attr.name": axis, "attr.type": "double"}
                out.append(element("key", attrs))
    return out


def write_graphml(m: Map) -> bytes:
    """The map as GraphML 1.0 (UTF-8), valid against the GraphML schema.

    >>> from mapping.model import Stakeholder, Relationship
    >>> m = Map(name="M", stakeholders=(Stakeholder("a b", "Ann", tags=("x",)),
    ...         Stakeholder("c", "Cy", custom={"Team name": "North"})),
    ...         relationships=(Relationship("r1", "a b", "c", directed=True),))
    >>> read_graphml(write_graphml(m)) == m
    True
    """
    check_portable_text(m, "GraphML")
    node_custom = custom_keys(m.stakeholders)
    edge_custom = custom_keys(m.relationships)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{GRAPHML_NS} '
        f'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
        *_keys(node_custom, edge_custom, is_mixed(m)),
    ]
    directed, edges = edge_plan(m)
    default = "directed" if directed else "undirected"
    out.append(f'<graph id="G" edgedefault="{default}">')
    settings = map_settings(m)
    out.append(element("data", {"key": "g.name"}, m.name))
    if m.description:
        out.append(element("data", {"key": "g.description"}, m.description))
    for name in ("perspectives", "relationship_types"):
        text = json.dumps(settings[name], ensure_ascii=False)
        out.append(element("data", {"key": f"g.{name}"}, text))
    node_key = {k: f"n.c{i}" for i, k in enumerate(node_custom)}
    for s in m.stakeholders:
        out.append(element("node", {"id": to_nmtoken(s.id)}, close=False))
        out += [element("data", {"key": f"n.{n}"}, text) for n, text in node_values(s)]
        out += [element("data", {"key": node_key[k]}, v) for k, v in s.custom.items()]
        if s.id in m.positions:
            for axis, value in zip(("x", "y"), m.positions[s.id], strict=True):
                out.append(element("data", {"key": f"n.{axis}"}, xs_double(value)))
        out.append("</node>")
    edge_key = {k: f"e.c{i}" for i, k in enumerate(edge_custom)}
    for edge in edges:
        r = edge.relationship
        attrs = {
            "id": to_nmtoken(edge.id),
            "source": to_nmtoken(edge.source),
            "target": to_nmtoken(edge.target),
        }
        out.append(element("edge", attrs, close=False))
        values = [*edge_values(r), *edge.extra]
        out += [element("data", {"key": f"e.{n}"}, text) for n, text in values]
        out += [element("data", {"key": edge_key[k]}, v) for k, v in r.custom.items()]
        out.append("</edge>")
    out += ["</graph>", "</graphml>", ""]
    return "\n".join(out).encode("utf-8")


def _split_position(values: dict[str, str]) -> tuple[float, float] | None:
    """Take numeric ``x`` and ``y`` out of ``values`` as a position."""
    keys = {k.lower(): k for k in values}
    if "x" not in keys or "y" not in keys:
        return None
    try:
        point = (float(values[keys["x"]]), float(values[keys["y"]]))
    except ValueError:
        return None
    del values[keys["x"]], values[keys["y"]]
    return point


def read_graphml(
    data: bytes,
    *,
    filename: str = "map.graphml",
    name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Map:
    """A map from GraphML: ours exactly, or another program's (see the module notes)."""
    root, graph = parse_graph(data, filename, "graphml", "GraphML", limits)
    names: dict[str, str] = {}
    defaults: dict[str, dict[str, str]] = {"graph": {}, "node": {}, "edge": {}}
    for key in children(root, "key"):
        kid = key.get("id", "")
        names[kid] = from_nmtoken(key.get("attr.name") or kid)
        for default in children(key, "default"):
            for kind in defaults:
                if key.get("for", "all") in (kind, "all"):
                    defaults[kind][names[kid]] = default.text or ""

    def values_of(owner: Any, kind: str) -> dict[str, str]:
        out = dict(defaults[kind])
        for entry in children(owner, "data"):
            key = entry.get("key", "")
            out[names[key] if key in names else from_nmtoken(key)] = entry.text or ""
        return out

    settings: dict[str, Any] = {}
    graph_values = values_of(graph, "graph")
    for field in ("name", "description"):
        if field in graph_values:
            settings[field] = graph_values[field]
    for field in ("perspectives", "relationship_types"):
        settings[field] = json_text_list(graph_values.get(field))
    edge_default = graph.get("edgedefault", "directed") == "directed"
    people, ties, positions = [], [], {}
    for node in children(graph, "node"):
        node_id = from_nmtoken(node.get("id", ""))
        values = values_of(node, "node")
        point = _split_position(values)
        if point is not None:
            positions[node_id] = point
        people.append(node_record(filename, node_id, values))
    edges = children(graph, "edge")
    edge_ids = {from_nmtoken(edge.get("id", "")) for edge in edges}
    for i, edge in enumerate(edges, start=1):
        edge_id = edge.get("id")
        values = values_of(edge, "edge")
        if folded_away(values, edge_ids):
            continue
        label = f"Edge {from_nmtoken(edge_id)!r}" if edge_id else f"Edge {i}"
        own = edge.get("directed")
        explicit = None if own is None else own in ("true", "1")
        ends = (
            from_nmtoken(edge.get("source", "")),
            from_nmtoken(edge.get("target", "")),
            from_nmtoken(edge_id) if edge_id else None,
        )
        is_directed = read_direction(values, edge_default, explicit)
        ties.append(edge_record(filename, label, ends, is_directed, values))
    return graph_map(people, ties, settings, name or file_stem(filename), positions)
