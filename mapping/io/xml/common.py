"""What the GraphML and GEXF writers and readers share: fields, value text, a tiny XML writer.

Both writers emit the XML themselves (NetworkX's writers refuse ``None`` and lists, and its
GEXF 1.3 writer produces files its own schema rejects); both readers parse with
``defusedxml`` through :func:`mapping.io.safety.parse_xml`. Each stakeholder and
relationship field is an attribute; tags are ``a|b`` (a JSON list when a tag holds ``|``);
dates are ISO; blank values are left out.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from mapping.errors import FormatError
from mapping.io.cells import encode_tags
from mapping.io.safety import DEFAULT_LIMITS, Limits, parse_xml
from mapping.model import Relationship, Stakeholder
from mapping.model.fields import field_types

__all__ = [
    "XSI_NS",
    "NODE_FIELDS",
    "EDGE_FIELDS",
    "field_text",
    "xs_double",
    "node_values",
    "edge_values",
    "custom_keys",
    "element",
    "local_name",
    "children",
    "parse_graph",
]

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

#: (GraphML type, GEXF type) of a field by its declared type; anything else is text.
_XML_TYPES: dict[Any, tuple[str, str]] = {int: ("int", "integer"), bool: ("boolean", "boolean")}


def _declared(
    kind: type[Stakeholder] | type[Relationship], kept_apart: set[str]
) -> tuple[tuple[str, str, str], ...]:
    """(attribute name, GraphML type, GEXF type) of each field written as an attribute, in the
    dataclass's order: the name is ``label``; ``kept_apart`` are written otherwise (the node
    or edge id, the ends, the direction, the custom fields)."""
    return tuple(
        ("label" if name == "name" else name, *_XML_TYPES.get(hint, ("string", "string")))
        for name, hint in field_types(kind).items()
        if name not in kept_apart
    )


NODE_FIELDS = _declared(Stakeholder, {"id", "custom"})
EDGE_FIELDS = _declared(Relationship, {"id", "source", "target", "directed", "custom"})


def field_text(value: Any) -> str | None:
    """Text of a field value; ``None`` when there is nothing to write.

    >>> field_text(True), field_text(date(2026, 1, 31)), field_text(("a", "b")), field_text("")
    ('true', '2026-01-31', 'a|b', None)
    """
    if value is None or value == "" or value == ():
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return encode_tags(value)
    return str(value)


def xs_double(x: float) -> str:
    """A float as xs:double text that reads back to the same float.

    >>> xs_double(0.1), xs_double(float("-inf")), xs_double(float("nan"))
    ('0.1', '-INF', 'NaN')
    """
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "INF" if x > 0 else "-INF"
    return repr(x)


def node_values(s: Stakeholder) -> Iterator[tuple[str, str]]:
    """(attribute, text) of a stakeholder's filled-in fields, the name as ``label``."""
    for name, _, _ in NODE_FIELDS:
        text = field_text(getattr(s, "name" if name == "label" else name))
        if text is not None:
            yield name, text


def edge_values(r: Relationship) -> Iterator[tuple[str, str]]:
    """(attribute, text) of a relationship's filled-in fields (ends and direction aside)."""
    for name, _, _ in EDGE_FIELDS:
        text = field_text(getattr(r, name))
        if text is not None:
            yield name, text


def custom_keys(items: Iterable[Stakeholder | Relationship]) -> list[str]:
    """Every custom field name in use, in order of first use."""
    return list(dict.fromkeys(k for item in items for k in item.custom))


# --- A tiny XML writer that escapes everything XML would otherwise normalise ---------------


def _esc_text(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _esc_attr(text: str) -> str:
    return _esc_text(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


def element(
    name: str, attrs: Mapping[str, str], text: str | None = None, close: bool = True
) -> str:
    """One XML element as text: empty, with text, or (``close=False``) its start tag.

    >>> element("data", {"key": "n.notes"}, "a\\r\\nb & c")
    '<data key="n.notes">a&#13;\\nb &amp; c</data>'
    >>> element("node", {"id": 'say "hi"\\t'}, close=False)
    '<node id="say &quot;hi&quot;&#9;">'
    """
    inner = "".join(f' {k}="{_esc_attr(v)}"' for k, v in attrs.items())
    if text is not None:
        return f"<{name}{inner}>{_esc_text(text)}</{name}>"
    return f"<{name}{inner}/>" if close else f"<{name}{inner}>"


# --- Reading ---------------------------------------------------------------------------------


def local_name(tag: Any) -> str:
    """An element's tag without its namespace (comments and the like give "")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: Any, name: str) -> list[Any]:
    """The child elements called ``name``, in any namespace.

    >>> from xml.etree.ElementTree import fromstring
    >>> root = fromstring('<g xmlns:y="urn:y"><node/><y:node/><nodes/><!-- c --></g>')
    >>> [child.tag for child in children(root, "node")]
    ['node', '{urn:y}node']
    """
    suffix = "}" + name  # as local_name, without splitting every tag (files of 100,000)
    return [
        child
        for child in element
        if isinstance(tag := child.tag, str) and (tag == name or tag.endswith(suffix))
    ]


def _count_tags(data: bytes, tag: bytes, stop: int) -> int:
    """How many ``<tag`` start tags (any namespace prefix) ``data`` holds, up to ``stop``.

    >>> _count_tags(b'<nodes><node id="a"/><y:node/><nodeX/></nodes>', b"node", 10)
    2
    """
    found = 0
    for _ in re.finditer(rb"<(?:[\w.-]+:)?" + tag + rb"[\s/>]", data):
        found += 1
        if found >= stop:
            break
    return found


def parse_graph(
    data: bytes, filename: str, root_name: str, fmt: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[Any, Any]:
    """The root element and first ``<graph>`` of a file that must be ``<root_name>`` XML.

    Nodes and edges over ``limits.max_rows`` are counted on the bytes and refused before the
    XML is parsed.

    >>> root, graph = parse_graph(b"<gexf><graph/></gexf>", "m.gexf", "gexf", "GEXF")
    >>> local_name(root.tag), local_name(graph.tag)
    ('gexf', 'graph')
    >>> parse_graph(b"<gexf/>", "m.gexf", "gexf", "GEXF")
    Traceback (most recent call last):
    ...
    mapping.errors.FormatError: m.gexf holds no <graph>; export the network again as GEXF.
    """
    limits.check_bytes(data, filename)
    for tag, noun in ((b"node", "nodes"), (b"edge", "edges")):
        limits.check_rows(_count_tags(data, tag, limits.max_rows + 1), filename, noun)
    root = parse_xml(data, filename, limits)
    if local_name(root.tag) != root_name:
        msg = f"{filename} is not {fmt} (its root element is <{local_name(root.tag)}>)."
        raise FormatError(msg)
    graphs = children(root, "graph")
    if not graphs:
        msg = f"{filename} holds no <graph>; export the network again as {fmt}."
        raise FormatError(msg)
    return root, graphs[0]
