"""GEXF 1.3: exchange maps with Gephi and NetworkX, losslessly.

``read_gexf(write_gexf(m)) == m`` for every valid map: each stakeholder and relationship
field is an attribute (:mod:`mapping.io.xml.common`); custom fields are attributes titled
``custom.<name>``; GEXF has no graph attributes, so the map's name, description,
perspectives and relationship types travel as JSON in ``<meta><description>``. Positions
are ``<position>`` elements (GEXF 1.3, as its schema has it). Directions follow
:mod:`mapping.io.xml.directions`, so NetworkX and Gephi read every tie's direction; an edge of
another program's file may carry its own ``type="directed|undirected|mutual"``.

Files from other programs (GEXF 1.1 to 1.3) read as :mod:`mapping.io.graph_records`
describes: a node's ``label`` is its name, an edge's ``weight`` a custom field, and an
edge ``label`` the custom field ``label`` unless a type attribute is given. XML 1.0 cannot
hold control characters other than tab and line breaks: the writer refuses maps holding
them (:func:`mapping.io.safety.check_portable_text`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any

from mapping.io.cells import json_text_list
from mapping.io.graph_records import (
    MARKER,
    edge_record,
    file_stem,
    graph_map,
    map_settings,
    node_record,
)
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

__all__ = ["write_gexf", "read_gexf"]

GEXF_NS = "http://gexf.net/1.3"


def _attvalues(values: list[tuple[str, str]]) -> list[str]:
    if not values:
        return []
    inner = [element("attvalue", {"for": key, "value": text}) for key, text in values]
    return ["<attvalues>", *inner, "</attvalues>"]


def write_gexf(m: Map) -> bytes:
    """The map as GEXF 1.3 (UTF-8), valid against the GEXF 1.3 schema.

    >>> from mapping.model import Stakeholder, Relationship
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")),
    ...         relationships=(Relationship("r1", "a", "b", strength=5),),
    ...         positions={"a": (1.5, -2.0)})
    >>> read_gexf(write_gexf(m)) == m
    True
    """
    check_portable_text(m, "GEXF")
    node_custom = custom_keys(m.stakeholders)
    edge_custom = custom_keys(m.relationships)
    meta = json.dumps(map_settings(m), ensure_ascii=False)
    directed, edges = edge_plan(m)
    default = "directed" if directed else "undirected"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{GEXF_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{GEXF_NS} '
        f'http://gexf.net/1.3/gexf.xsd" version="1.3">',
        "<meta>",
        element("creator", {}, "Coalition Mapper"),
        element("description", {}, meta),
        "</meta>",
        f'<graph mode="static" defaultedgetype="{default}" idtype="string">',
    ]
    for kind, fields, custom in (
        ("node", NODE_FIELDS, node_custom),
        ("edge", EDGE_FIELDS + (EXTRA_FIELDS if is_mixed(m) else ()), edge_custom),
    ):
        out.append(f'<attributes class="{kind}">')
        for name, _, gtype in fields:
            if name != "label":
                out.append(element("attribute", {"id": name, "title": name, "type": gtype}))
        for i, key in enumerate(custom):
            attrs = {"id": f"c{i}", "title": "custom." + key, "type": "string"}
            out.append(element("attribute", attrs))
        out.append("</attributes>")
    node_key = {k: f"c{i}" for i, k in enumerate(node_custom)}
    out.append(f'<nodes count="{len(m.stakeholders)}">')
    for s in m.stakeholders:
        out.append(element("node", {"id": s.id, "label": s.name}, close=False))
        if s.id in m.positions:
            x, y = m.positions[s.id]
            out.append(element("position", {"x": xs_double(x), "y": xs_double(y)}))
        values = [(n, t) for n, t in node_values(s) if n != "label"]
        values += [(node_key[k], v) for k, v in s.custom.items()]
        out += _attvalues(values)
        out.append("</node>")
    out.append("</nodes>")
    edge_key = {k: f"c{i}" for i, k in enumerate(edge_custom)}
    out.append(f'<edges count="{len(edges)}">')
    for edge in edges:
        r = edge.relationship
        attrs = {
            "id": edge.id,
            "source": edge.source,
            "target": edge.target,
            "weight": str(r.strength),
            "label": r.type,
        }
        out.append(element("edge", attrs, close=False))
        values = [*edge_values(r), *edge.extra, *((edge_key[k], v) for k, v in r.custom.items())]
        out += _attvalues(values)
        out.append("</edge>")
    out += ["</edges>", "</graph>", "</gexf>", ""]
    return "\n".join(out).encode("utf-8")


def _values(item: Any, titles: Mapping[str, str], defaults: Mapping[str, str]) -> dict[str, str]:
    out = dict(defaults)
    for block in children(item, "attvalues"):
        for value in children(block, "attvalue"):
            key = value.get("for", "")
            out[titles.get(key, key)] = value.get("value", "")
    return out


def _settings(root: Any) -> dict[str, Any]:
    """Our settings from ``<meta><description>``, or another program's description."""
    settings: dict[str, Any] = {}
    for meta in children(root, "meta"):
        for desc in children(meta, "description"):
            try:
                found = json.loads(desc.text or "")
            except ValueError:
                found = None
            if isinstance(found, dict) and found.get(MARKER) == 1:
                settings = dict(found)
                for field in ("perspectives", "relationship_types"):
                    settings[field] = json_text_list(json.dumps(found.get(field)))
            elif desc.text and "description" not in settings:
                settings["description"] = desc.text
    return settings


def read_gexf(
    data: bytes,
    *,
    filename: str = "map.gexf",
    name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Map:
    """A map from GEXF (1.1 to 1.3): ours exactly, or another program's (see module notes)."""
    root, graph = parse_graph(data, filename, "gexf", "GEXF", limits)
    settings = _settings(root)
    titles: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    defaults: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for block in children(graph, "attributes"):
        kind = block.get("class", "node")
        for attribute in children(block, "attribute"):
            title = attribute.get("title") or attribute.get("id", "")
            titles.setdefault(kind, {})[attribute.get("id", "")] = title
            for default in children(attribute, "default"):
                defaults.setdefault(kind, {})[title] = default.text or ""
    edge_default = graph.get("defaultedgetype", "undirected") == "directed"
    people, ties, positions = [], [], {}
    for nodes in children(graph, "nodes"):
        for node in children(nodes, "node"):
            node_id = node.get("id", "")
            values = _values(node, titles["node"], defaults["node"])
            if node.get("label") is not None and not values.get("label"):
                values = {"label": node.get("label", ""), **values}
            for place in children(node, "position"):
                with contextlib.suppress(ValueError):
                    positions[node_id] = (float(place.get("x", "")), float(place.get("y", "")))
            people.append(node_record(filename, node_id, values))
    every_edge = [e for block in children(graph, "edges") for e in children(block, "edge")]
    edge_ids = {edge.get("id", "") for edge in every_edge}
    for i, edge in enumerate(every_edge, start=1):
        values = _values(edge, titles["edge"], defaults["edge"])
        if folded_away(values, edge_ids):
            continue
        edge_id = edge.get("id")
        label = f"Edge {edge_id!r}" if edge_id else f"Edge {i}"
        kind = edge.get("type")  # "mutual" (GEXF's own word) runs both ways
        explicit = None if kind is None else kind == "directed"
        directed = read_direction(values, edge_default, explicit)
        if edge.get("weight") is not None:
            values["weight"] = edge.get("weight", "")
        if "type" not in values and edge.get("label"):
            values["custom.label"] = edge.get("label", "")
        ends = (edge.get("source", ""), edge.get("target", ""), edge_id)
        ties.append(edge_record(filename, label, ends, directed, values))
    return graph_map(people, ties, settings, name or file_stem(filename), positions)
