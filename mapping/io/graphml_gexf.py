"""GraphML and GEXF: exchange maps with Gephi, yEd, Cytoscape and NetworkX, losslessly.

Both writers emit the XML themselves (NetworkX's writers refuse ``None`` and lists, and its
GEXF 1.3 writer produces files its own schema rejects), and both readers parse with
``defusedxml``. ``read(write(m)) == m`` for every valid map: each stakeholder and relationship
field is an attribute; custom fields are attributes named ``custom.<name>``; tags are
``a|b`` (a JSON list when a tag holds ``|``); dates are ISO; the map's name, description,
perspectives and relationship types travel as graph data (GraphML) or as JSON in the
``<meta><description>`` (GEXF, which has no graph attributes).

GraphML ids and attribute names must be XML NMTOKENs, so other characters are written as
``_xHHHH_`` (the XmlConvert convention) and decoded on reading. The file's default
direction is "directed" when every relationship runs one way, else "undirected"; edges that
differ carry ``directed="true|false"`` (GraphML) or ``type="directed|undirected"`` (GEXF).
NetworkX refuses such mixed files (it has no mixed graphs); Gephi and yEd read them. Positions are
``x``/``y`` node data (GraphML) or ``<position>`` (GEXF 1.3, as its schema has it).

Files from other programs read too: ``label`` (or ``name``) becomes the name, the node id
when there is neither; unknown attributes become custom fields; unknown perspectives are
added; a ``weight`` is kept as a custom field (Gephi writes 1.0 for "unweighted"), and
strength is 3 unless a ``strength`` attribute says otherwise. Nested graphs and hyperedges
are ignored. XML 1.0 cannot hold control characters other than tab and line breaks:
writers refuse maps holding them (:func:`mapping.io.safety.check_portable_text`).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from mapping.errors import FormatError
from mapping.io.csv_excel import Record, encode_tags, records_to_map
from mapping.io.safety import DEFAULT_LIMITS, Limits, check_portable_text, parse_xml
from mapping.model import DEFAULT_PERSPECTIVES, DEFAULT_RELATIONSHIP_TYPES, Map

__all__ = [
    "write_graphml",
    "read_graphml",
    "write_gexf",
    "read_gexf",
    "to_nmtoken",
    "from_nmtoken",
]

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
MARKER = "coalition_mapper"

# (attribute name, GraphML type, GEXF type) in the order written.
_NODE_FIELDS = (
    ("label", "string", "string"),
    ("organisation", "string", "string"),
    ("role", "string", "string"),
    ("perspective", "string", "string"),
    ("influence", "int", "integer"),
    ("interest", "int", "integer"),
    ("stance", "string", "string"),
    ("coalition", "boolean", "boolean"),
    ("tags", "string", "string"),
    ("review_by", "string", "string"),
    ("notes", "string", "string"),
)
_EDGE_FIELDS = (
    ("type", "string", "string"),
    ("strength", "int", "integer"),
    ("how_we_know", "string", "string"),
    ("last_confirmed", "string", "string"),
    ("notes", "string", "string"),
)
_NAME_ATTRS = ("name", "label", "full name")  # in order of preference

# --- Names and values ---------------------------------------------------------------------

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


def from_nmtoken(token: str) -> str:
    """The text :func:`to_nmtoken` encoded."""
    return re.sub(r"_x([0-9A-F]{4,6})_", lambda m: chr(int(m.group(1), 16)), token)


def _value(value: Any) -> str | None:
    """Text of a field value; ``None`` when there is nothing to write."""
    if value is None or value == "" or value == ():
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return encode_tags(value)
    return str(value)


def _number(x: float) -> str:
    """A float as xs:double text that reads back to the same float."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "INF" if x > 0 else "-INF"
    return repr(x)


def _node_values(s: Any) -> Iterator[tuple[str, str]]:
    for name, _, _ in _NODE_FIELDS:
        value = (
            s.stance.value if name == "stance" else getattr(s, "name" if name == "label" else name)
        )
        text = _value(value)
        if text is not None:
            yield name, text


def _edge_values(r: Any) -> Iterator[tuple[str, str]]:
    for name, _, _ in _EDGE_FIELDS:
        text = _value(getattr(r, name))
        if text is not None:
            yield name, text


def _settings(m: Map) -> dict[str, Any]:
    return {
        MARKER: 1,
        "name": m.name,
        "description": m.description,
        "perspectives": list(m.perspectives),
        "relationship_types": list(m.relationship_types),
    }


# --- A tiny XML writer that escapes everything XML would otherwise normalise ---------------


def _esc_text(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _esc_attr(text: str) -> str:
    return _esc_text(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


def _tag(name: str, attrs: Mapping[str, str], text: str | None = None, close: bool = True) -> str:
    inner = "".join(f' {k}="{_esc_attr(v)}"' for k, v in attrs.items())
    if text is not None:
        return f"<{name}{inner}>{_esc_text(text)}</{name}>"
    return f"<{name}{inner}/>" if close else f"<{name}{inner}>"


def _all_directed(m: Map) -> bool:
    """Whether every relationship runs one way: then the file's default is "directed".

    Only edges that differ from the default carry their own direction, so NetworkX (which
    refuses mixed graphs) reads every map whose ties are all mutual or all one-way.
    """
    return bool(m.relationships) and all(r.directed for r in m.relationships)


def _custom_keys(items: Any) -> list[str]:
    return list(dict.fromkeys(k for item in items for k in item.custom))


# --- GraphML ------------------------------------------------------------------------------


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
    node_custom = _custom_keys(m.stakeholders)
    edge_custom = _custom_keys(m.relationships)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{GRAPHML_NS} '
        f'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for name in ("name", "description", "perspectives", "relationship_types"):
        out.append(
            _tag(
                "key", {"id": f"g.{name}", "for": "graph", "attr.name": name, "attr.type": "string"}
            )
        )
    for kind, fields, custom in (
        ("node", _NODE_FIELDS, node_custom),
        ("edge", _EDGE_FIELDS, edge_custom),
    ):
        for name, gtype, _ in fields:
            out.append(
                _tag(
                    "key",
                    {"id": f"{kind[0]}.{name}", "for": kind, "attr.name": name, "attr.type": gtype},
                )
            )
        for i, key in enumerate(custom):
            out.append(
                _tag(
                    "key",
                    {
                        "id": f"{kind[0]}.c{i}",
                        "for": kind,
                        "attr.name": "custom." + to_nmtoken(key),
                        "attr.type": "string",
                    },
                )
            )
        if kind == "node":
            for axis in ("x", "y"):
                out.append(
                    _tag(
                        "key",
                        {
                            "id": f"n.{axis}",
                            "for": "node",
                            "attr.name": axis,
                            "attr.type": "double",
                        },
                    )
                )
    all_directed = _all_directed(m)
    default = "directed" if all_directed else "undirected"
    out.append(f'<graph id="G" edgedefault="{default}">')
    settings = _settings(m)
    out.append(_tag("data", {"key": "g.name"}, m.name))
    if m.description:
        out.append(_tag("data", {"key": "g.description"}, m.description))
    for name in ("perspectives", "relationship_types"):
        text = json.dumps(settings[name], ensure_ascii=False)
        out.append(_tag("data", {"key": f"g.{name}"}, text))
    node_key = {k: f"n.c{i}" for i, k in enumerate(node_custom)}
    for s in m.stakeholders:
        out.append(_tag("node", {"id": to_nmtoken(s.id)}, close=False))
        out += [_tag("data", {"key": f"n.{n}"}, text) for n, text in _node_values(s)]
        out += [_tag("data", {"key": node_key[k]}, v) for k, v in s.custom.items()]
        if s.id in m.positions:
            for axis, value in zip(("x", "y"), m.positions[s.id], strict=True):
                out.append(_tag("data", {"key": f"n.{axis}"}, _number(value)))
        out.append("</node>")
    edge_key = {k: f"e.c{i}" for i, k in enumerate(edge_custom)}
    for r in m.relationships:
        attrs = {
            "id": to_nmtoken(r.id),
            "source": to_nmtoken(r.source),
            "target": to_nmtoken(r.target),
        }
        if r.directed != all_directed:
            attrs["directed"] = "true" if r.directed else "false"
        out.append(_tag("edge", attrs, close=False))
        out += [_tag("data", {"key": f"e.{n}"}, text) for n, text in _edge_values(r)]
        out += [_tag("data", {"key": edge_key[k]}, v) for k, v in r.custom.items()]
        out.append("</edge>")
    out += ["</graph>", "</graphml>", ""]
    return "\n".join(out).encode("utf-8")


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child.tag) == name]


def _json_list(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


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


def _node_record(source: str, node_id: str, values: dict[str, str]) -> Record:
    record: dict[str, str] = {"ID": node_id, "Name": node_id}
    named = {k.strip().lower().replace("_", " "): k for k in values}
    for attr in _NAME_ATTRS:
        if attr in named and values[named[attr]].strip():
            record["Name"] = values.pop(named[attr])
            break
    for key, value in values.items():
        record[key if key not in record else f"custom.{key}"] = value
    return Record(source, f"Node {node_id!r}", record)


def _edge_record(
    source: str,
    label: str,
    ends: tuple[str, str, str | None],
    directed: bool,
    values: dict[str, str],
) -> Record:
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


def _build(
    people: list[Record],
    ties: list[Record],
    settings: Mapping[str, Any],
    fallback: str,
    positions: dict[str, tuple[float, float]],
) -> Map:
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


def _stem(filename: str) -> str:
    return re.sub(r"\.[A-Za-z0-9]+$", "", filename.rsplit("/", 1)[-1]) or "Imported map"


def read_graphml(
    data: bytes,
    *,
    filename: str = "map.graphml",
    name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Map:
    """A map from GraphML: ours exactly, or another program's (see the module notes)."""
    root = parse_xml(data, filename, limits)
    if _local(root.tag) != "graphml":
        msg = f"{filename} is not GraphML (its root element is <{_local(root.tag)}>)."
        raise FormatError(msg)
    graphs = _children(root, "graph")
    if not graphs:
        msg = f"{filename} holds no <graph>; export the network again as GraphML."
        raise FormatError(msg)
    graph = graphs[0]
    names: dict[str, str] = {}
    defaults: dict[str, dict[str, str]] = {"graph": {}, "node": {}, "edge": {}}
    for key in _children(root, "key"):
        kid = key.get("id", "")
        names[kid] = from_nmtoken(key.get("attr.name") or kid)
        for default in _children(key, "default"):
            for kind in defaults:
                if key.get("for", "all") in (kind, "all"):
                    defaults[kind][names[kid]] = default.text or ""

    def values_of(element: Any, kind: str) -> dict[str, str]:
        out = dict(defaults[kind])
        for item in _children(element, "data"):
            key = item.get("key", "")
            out[names.get(key, from_nmtoken(key))] = item.text or ""
        return out

    settings: dict[str, Any] = {}
    graph_values = values_of(graph, "graph")
    for field in ("name", "description"):
        if field in graph_values:
            settings[field] = graph_values[field]
    for field in ("perspectives", "relationship_types"):
        settings[field] = _json_list(graph_values.get(field))
    edge_default = graph.get("edgedefault", "directed") == "directed"
    people, ties, positions = [], [], {}
    for node in _children(graph, "node"):
        node_id = from_nmtoken(node.get("id", ""))
        values = values_of(node, "node")
        point = _split_position(values)
        if point is not None:
            positions[node_id] = point
        people.append(_node_record(filename, node_id, values))
    for i, edge in enumerate(_children(graph, "edge"), start=1):
        edge_id = edge.get("id")
        label = f"Edge {from_nmtoken(edge_id)!r}" if edge_id else f"Edge {i}"
        directed = edge.get("directed")
        ends = (
            from_nmtoken(edge.get("source", "")),
            from_nmtoken(edge.get("target", "")),
            from_nmtoken(edge_id) if edge_id else None,
        )
        is_directed = edge_default if directed is None else directed in ("true", "1")
        ties.append(_edge_record(filename, label, ends, is_directed, values_of(edge, "edge")))
    return _build(people, ties, settings, name or _stem(filename), positions)


# --- GEXF ---------------------------------------------------------------------------------


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
    node_custom = _custom_keys(m.stakeholders)
    edge_custom = _custom_keys(m.relationships)
    meta = json.dumps(_settings(m), ensure_ascii=False)
    all_directed = _all_directed(m)
    default = "directed" if all_directed else "undirected"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{GEXF_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{GEXF_NS} '
        f'http://gexf.net/1.3/gexf.xsd" version="1.3">',
        "<meta>",
        _tag("creator", {}, "Coalition Mapper"),
        _tag("description", {}, meta),
        "</meta>",
        f'<graph mode="static" defaultedgetype="{default}" idtype="string">',
    ]
    for kind, fields, custom in (
        ("node", _NODE_FIELDS, node_custom),
        ("edge", _EDGE_FIELDS, edge_custom),
    ):
        out.append(f'<attributes class="{kind}">')
        for name, _, gtype in fields:
            if name != "label":
                out.append(_tag("attribute", {"id": name, "title": name, "type": gtype}))
        for i, key in enumerate(custom):
            out.append(
                _tag("attribute", {"id": f"c{i}", "title": "custom." + key, "type": "string"})
            )
        out.append("</attributes>")
    node_key = {k: f"c{i}" for i, k in enumerate(node_custom)}
    out.append(f'<nodes count="{len(m.stakeholders)}">')
    for s in m.stakeholders:
        out.append(_tag("node", {"id": s.id, "label": s.name}, close=False))
        if s.id in m.positions:
            x, y = m.positions[s.id]
            out.append(_tag("position", {"x": _number(x), "y": _number(y)}))
        values = [(n, t) for n, t in _node_values(s) if n != "label"]
        values += [(node_key[k], v) for k, v in s.custom.items()]
        out += _attvalues(values)
        out.append("</node>")
    out.append("</nodes>")
    edge_key = {k: f"c{i}" for i, k in enumerate(edge_custom)}
    out.append(f'<edges count="{len(m.relationships)}">')
    for r in m.relationships:
        attrs = {
            "id": r.id,
            "source": r.source,
            "target": r.target,
            "weight": str(r.strength),
            "label": r.type,
        }
        if r.directed != all_directed:
            attrs["type"] = "directed" if r.directed else "undirected"
        out.append(_tag("edge", attrs, close=False))
        values = list(_edge_values(r)) + [(edge_key[k], v) for k, v in r.custom.items()]
        out += _attvalues(values)
        out.append("</edge>")
    out += ["</edges>", "</graph>", "</gexf>", ""]
    return "\n".join(out).encode("utf-8")


def _attvalues(values: list[tuple[str, str]]) -> list[str]:
    if not values:
        return []
    inner = [_tag("attvalue", {"for": key, "value": text}) for key, text in values]
    return ["<attvalues>", *inner, "</attvalues>"]


def _gexf_values(
    element: Any, titles: Mapping[str, str], defaults: Mapping[str, str]
) -> dict[str, str]:
    out = dict(defaults)
    for block in _children(element, "attvalues"):
        for item in _children(block, "attvalue"):
            key = item.get("for", "")
            out[titles.get(key, key)] = item.get("value", "")
    return out


def read_gexf(
    data: bytes,
    *,
    filename: str = "map.gexf",
    name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Map:
    """A map from GEXF (1.1 to 1.3): ours exactly, or another program's (see module notes)."""
    root = parse_xml(data, filename, limits)
    if _local(root.tag) != "gexf":
        msg = f"{filename} is not GEXF (its root element is <{_local(root.tag)}>)."
        raise FormatError(msg)
    graphs = _children(root, "graph")
    if not graphs:
        msg = f"{filename} holds no <graph>; export the network again as GEXF."
        raise FormatError(msg)
    graph = graphs[0]
    settings: dict[str, Any] = {}
    for meta in _children(root, "meta"):
        for desc in _children(meta, "description"):
            try:
                found = json.loads(desc.text or "")
            except ValueError:
                found = None
            if isinstance(found, dict) and found.get(MARKER) == 1:
                settings = dict(found)
                for field in ("perspectives", "relationship_types"):
                    settings[field] = _json_list(json.dumps(found.get(field)))
            elif desc.text and "description" not in settings:
                settings["description"] = desc.text
    titles: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    defaults: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for block in _children(graph, "attributes"):
        kind = block.get("class", "node")
        for attribute in _children(block, "attribute"):
            title = attribute.get("title") or attribute.get("id", "")
            titles.setdefault(kind, {})[attribute.get("id", "")] = title
            for default in _children(attribute, "default"):
                defaults.setdefault(kind, {})[title] = default.text or ""
    edge_default = graph.get("defaultedgetype", "undirected") == "directed"
    people, ties, positions = [], [], {}
    for nodes in _children(graph, "nodes"):
        for node in _children(nodes, "node"):
            node_id = node.get("id", "")
            values = _gexf_values(node, titles["node"], defaults["node"])
            if node.get("label") is not None and not values.get("label"):
                values = {"label": node.get("label", ""), **values}
            for place in _children(node, "position"):
                with contextlib.suppress(ValueError):
                    positions[node_id] = (float(place.get("x", "")), float(place.get("y", "")))
            people.append(_node_record(filename, node_id, values))
    for edges in _children(graph, "edges"):
        for i, edge in enumerate(_children(edges, "edge"), start=1):
            edge_id = edge.get("id")
            label = f"Edge {edge_id!r}" if edge_id else f"Edge {i}"
            kind = edge.get("type")
            directed = edge_default if kind is None else kind == "directed"
            values = _gexf_values(edge, titles["edge"], defaults["edge"])
            if edge.get("weight") is not None:
                values["weight"] = edge.get("weight", "")
            if "type" not in values and edge.get("label"):
                values["custom.label"] = edge.get("label", "")
            ends = (edge.get("source", ""), edge.get("target", ""), edge_id)
            ties.append(_edge_record(filename, label, ends, directed, values))
    return _build(people, ties, settings, name or _stem(filename), positions)
