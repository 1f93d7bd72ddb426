"""The file formats Coalition Mapper reads and writes, and dispatch by file name and content.

``.json`` may be a project file (``"format": "coalition-mapper"``), node-link JSON
(``"nodes"``) or a Kumu export (``"elements"``/``"connections"``): the content decides.
``.xlsx`` is a Kumu workbook when it has an ``Elements`` sheet, else our workbook. Writing,
the extension decides; ``.kumu.json``, ``.kumu.xlsx`` and ``.nodelink.json`` pick those
formats, plain ``.json`` and ``.xlsx`` pick ours.

Readers here accept these options, each passed only to the readers that use it: ``name``
(the map's name, overriding the file's), ``limits`` (:class:`mapping.io.safety.Limits`),
``fields`` (Kumu), and for CSV and Excel (read by :mod:`mapping.io.tabular_import`, sheets
and columns recognised by meaning): ``into`` (the map the file will be merged into, whose
vocabulary it is read with; a new map's comes from the file and the defaults),
``perspectives`` (the perspectives to read with, instead), ``choices`` (what each unknown
value means, :mod:`mapping.io.matching`) and ``add_unknown_perspectives``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from mapping.errors import FormatError
from mapping.io import node_link, project_json, tabular_write
from mapping.io.budget import parse_json, read_member
from mapping.io.safety import DEFAULT_LIMITS, Limits, open_zip
from mapping.io.xml import gexf, graphml
from mapping.model import Map

__all__ = [
    "Format",
    "FORMATS",
    "OPTIONS",
    "get_format",
    "format_for",
    "detect_format",
    "read_file",
    "write_file",
]

OPTIONS = (
    "name",
    "perspectives",
    "add_unknown_perspectives",
    "limits",
    "fields",
    "findings",
    "into",
    "choices",
)


@dataclass(frozen=True)
class Format:
    """One file format: how it is named, recognised, read and written.

    ``lossless`` means ``read(write(m)) == m`` for every map.
    """

    name: str
    label: str
    extensions: tuple[str, ...]
    reader: Callable[..., Map] | None
    writer: Callable[..., bytes] | None
    lossless: bool
    media_type: str


def _pick(options: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: options[k] for k in names if k in options}


def _kumu(filename: str, data: bytes, **options: Any) -> Map:
    from mapping.io.kumu import read_kumu  # written separately; imported when needed

    return read_kumu(filename, data, options.get("fields"), **_pick(options, "limits"))


def _write_kumu_xlsx(m: Map, **_: Any) -> bytes:
    from mapping.io.kumu import write_kumu_xlsx

    return write_kumu_xlsx(m)


def _write_kumu_json(m: Map, **_: Any) -> bytes:
    from mapping.io.kumu import write_kumu_json

    return write_kumu_json(m).encode("utf-8")


def _tabular(filename: str, data: bytes, **options: Any) -> Map:
    """A CSV file, zip of CSV files or workbook, read by meaning (no rows left out)."""
    from mapping.io import tabular_import

    tables = tabular_import.gather([(filename, data)], options.get("limits", DEFAULT_LIMITS))
    into = options.get("into")
    if into is None and options.get("perspectives"):
        into = Map(name="", perspectives=tuple(options["perspectives"]))
    return tabular_import.read_tables(
        tables,
        into=into,
        choices=options.get("choices"),
        add_unknown_perspectives=options.get("add_unknown_perspectives", False),
    ).map


FORMATS: tuple[Format, ...] = (
    Format(
        "project",
        "Coalition Mapper project (JSON)",
        (".json",),
        lambda f, d, **o: project_json.loads(d, filename=f, limits=o.get("limits", DEFAULT_LIMITS)),
        lambda m, **o: project_json.dumps(m).encode("utf-8"),
        True,
        "application/json",
    ),
    Format(
        "node-link",
        "Node-link JSON (D3, NetworkX)",
        (".nodelink.json", ".json"),
        lambda f, d, **o: node_link.read_node_link(d, filename=f, **_pick(o, "limits")),
        lambda m, **o: node_link.write_node_link(m).encode("utf-8"),
        True,
        "application/json",
    ),
    Format(
        "kumu-json",
        "Kumu JSON",
        (".kumu.json", ".json"),
        _kumu,
        _write_kumu_json,
        False,
        "application/json",
    ),
    Format(
        "graphml",
        "GraphML (Gephi, yEd, Cytoscape)",
        (".graphml",),
        lambda f, d, **o: graphml.read_graphml(d, filename=f, **_pick(o, "limits")),
        lambda m, **o: graphml.write_graphml(m),
        True,
        "application/graphml+xml",
    ),
    Format(
        "gexf",
        "GEXF 1.3 (Gephi)",
        (".gexf",),
        lambda f, d, **o: gexf.read_gexf(d, filename=f, **_pick(o, "limits")),
        lambda m, **o: gexf.write_gexf(m),
        True,
        "application/gexf+xml",
    ),
    Format(
        "csv",
        "Stakeholders CSV (no relationships)",
        (".csv",),
        _tabular,
        lambda m, **o: tabular_write.write_stakeholders_csv(m),
        False,
        "text/csv",
    ),
    Format(
        "csv-zip",
        "CSV files in a zip (stakeholders, relationships, map)",
        (".zip",),
        _tabular,
        lambda m, **o: tabular_write.write_csv_zip(m),
        False,
        "application/zip",
    ),
    Format(
        "excel",
        "Excel workbook",
        (".xlsx",),
        _tabular,
        lambda m, **o: tabular_write.write_excel(m, o.get("findings", ())),
        False,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    Format(
        "kumu-xlsx",
        "Kumu workbook",
        (".kumu.xlsx", ".xlsx"),
        _kumu,
        _write_kumu_xlsx,
        False,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
)

_BY_NAME = {f.name: f for f in FORMATS}


def get_format(name: str) -> Format:
    """The format called ``name``.

    >>> get_format("gexf").lossless
    True
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        msg = f"Unknown format {name!r}; choose one of: {', '.join(_BY_NAME)}."
        raise FormatError(msg) from None


def format_for(filename: str) -> str:
    """The format to write a file of this name in (the longest matching extension wins).

    >>> format_for("map.graphml"), format_for("map.json"), format_for("map.kumu.xlsx")
    ('graphml', 'project', 'kumu-xlsx')
    """
    lower = filename.lower()
    best: tuple[int, str] | None = None
    for fmt in FORMATS:
        for ext in fmt.extensions:
            if lower.endswith(ext) and (best is None or len(ext) > best[0]):
                best = (len(ext), fmt.name)
    if best is None:
        known = sorted({ext for f in FORMATS for ext in f.extensions})
        msg = f"Cannot tell the format of {filename!r}; use one of: {', '.join(known)}."
        raise FormatError(msg)
    return best[1]


def _json_kind(filename: str, data: bytes, limits: Limits) -> str:
    try:
        value = parse_json(data.decode("utf-8-sig"), filename, limits)
    except (UnicodeDecodeError, json.JSONDecodeError):
        msg = f"{filename} is not valid UTF-8 JSON; export it again."
        raise FormatError(msg) from None
    if isinstance(value, dict):
        if value.get("format") == project_json.FORMAT:
            return "project"
        if isinstance(value.get("nodes"), list):
            return "node-link"
        if "elements" in value or "connections" in value:
            return "kumu-json"
    msg = (
        f"{filename} is JSON but not a map Coalition Mapper knows: not a project file "
        "('format': 'coalition-mapper'), node-link JSON ('nodes' and 'links') or a Kumu "
        "export ('elements' and 'connections')."
    )
    raise FormatError(msg)


def _xlsx_kind(filename: str, data: bytes, limits: Limits) -> str:
    with open_zip(data, filename, limits) as archive:
        try:
            workbook = read_member(archive, "xl/workbook.xml", filename).decode("utf-8", "replace")
        except KeyError:
            msg = f"{filename} is not an Excel workbook (.xlsx); save it again as .xlsx."
            raise FormatError(msg) from None
    sheets = {
        s.strip().casefold() for s in re.findall(r'<(?:\w+:)?sheet [^>]*name="([^"]*)"', workbook)
    }
    return "kumu-xlsx" if "elements" in sheets else "excel"


def detect_format(filename: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> Format:
    """The format of an uploaded file, from its extension and, for JSON and Excel, content.

    Looking at the content is bounded by ``limits`` like reading it (JSON depth, the bytes a
    workbook unpacks to), so an oversized file is refused here with the same message.
    """
    name = format_for(filename)
    if filename.lower().endswith(".json"):
        name = _json_kind(filename, data, limits)
    elif filename.lower().endswith(".xlsx"):
        name = _xlsx_kind(filename, data, limits)
    return _BY_NAME[name]


def read_file(filename: str, data: bytes, **options: Any) -> Map:
    """Read a map from a file's name and bytes, whatever its format.

    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann"),))
    >>> read_file("m.gexf", write_file(m, "gexf")) == m
    True
    >>> read_file("people.csv", b"Name\\nAnn\\n", name="Mine").name
    'Mine'
    """
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        msg = f"read_file() got unknown options {unknown}; it accepts {list(OPTIONS)}."
        raise TypeError(msg)
    limits = options.get("limits", DEFAULT_LIMITS)
    limits.check_bytes(data, filename)
    fmt = detect_format(filename, data, limits)
    if fmt.reader is None:
        msg = f"Coalition Mapper cannot read {fmt.label} files."
        raise FormatError(msg)
    m = fmt.reader(filename, data, **options)
    if options.get("name"):
        m = replace(m, name=options["name"])
    return m


def write_file(m: Map, fmt: str | Format, **options: Any) -> bytes:
    """The map as the bytes of a file in ``fmt`` (a format, its name, or a file name).

    ``findings`` (a sequence of findings) adds a Findings sheet to Excel output.
    """
    if isinstance(fmt, str):
        fmt = _BY_NAME[fmt] if fmt in _BY_NAME else _BY_NAME[format_for(fmt)]
    if fmt.writer is None:
        msg = f"Coalition Mapper cannot write {fmt.label} files."
        raise FormatError(msg)
    return fmt.writer(m, **options)
