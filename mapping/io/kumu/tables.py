"""Kumu files as plain rows: workbooks, CSV, JSON blueprints and project exports, unified."""

from __future__ import annotations

import contextlib
import json
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

from mapping.errors import FormatError
from mapping.io.budget import parse_json
from mapping.io.safety import DEFAULT_LIMITS, Limits, decode_text
from mapping.io.sheets import csv_rows, open_workbook, sheet_rows

__all__ = ["KumuRecord", "KumuSource", "load_kumu", "cell_text", "canonical"]

META_SHEET = "Coalition Mapper (ignore)"
#: The JSON blueprint's entry for the same settings, and positions.
META_KEY = "coalitionMapper"
_PRENAMED = {
    "id": "ID",
    "label": "Label",
    "type": "Type",
    "element type": "Type",
    "connection type": "Type",
    "description": "Description",
    "tags": "Tags",
    "from": "From",
    "to": "To",
    "direction": "Direction",
}


@dataclass(frozen=True)
class KumuRecord:
    """One element or connection as Kumu field name -> text (blank fields left out)."""

    where: str
    values: dict[str, str]


@dataclass(frozen=True)
class KumuSource:
    """Everything read from one Kumu file, before any field mapping."""

    layout: str
    name: str
    description: str = ""
    elements: tuple[KumuRecord, ...] = ()
    connections: tuple[KumuRecord, ...] = ()
    element_fields: tuple[str, ...] = ()
    connection_fields: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)


def canonical(name: object) -> str:
    """A header as Kumu reads it: trimmed, one space between words, pre-named fields spelt
    Kumu's way (``"element type"`` is ``Type``).

    >>> canonical("\\ufeff label "), canonical("Element  Type"), canonical("Net Worth")
    ('Label', 'Type', 'Net Worth')
    """
    text = " ".join(str(name or "").replace("\ufeff", "").split())
    return _PRENAMED.get(text.casefold(), text)


def cell_text(value: Any) -> str:
    """A spreadsheet or JSON value as trimmed text; whole numbers lose their ``.0``.

    >>> cell_text(4.0), cell_text(0.25), cell_text(datetime(2026, 1, 31)), cell_text(None)
    ('4', '0.25', '2026-01-31', '')
    >>> cell_text(["a", "b"])
    'a|b'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "|".join(t for t in (cell_text(v) for v in value) if t)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value).replace("\ufeff", "").strip()


@dataclass
class _Builder:
    layout: str
    name: str
    limits: Limits
    elements: list[KumuRecord] = field(default_factory=list)
    connections: list[KumuRecord] = field(default_factory=list)
    element_fields: list[str] = field(default_factory=list)
    connection_fields: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, kind: str, record: KumuRecord, headers: list[str]) -> None:
        records = self.elements if kind == "elements" else self.connections
        known = self.element_fields if kind == "elements" else self.connection_fields
        self.limits.check_rows(len(self.elements) + len(self.connections) + 1, self.name)
        records.append(record)
        known.extend(h for h in headers if h not in known)

    def source(self, **extra: Any) -> KumuSource:
        return KumuSource(
            layout=self.layout,
            name=self.name,
            elements=tuple(self.elements),
            connections=tuple(self.connections),
            element_fields=tuple(self.element_fields),
            connection_fields=tuple(self.connection_fields),
            tables=tuple(self.tables),
            notes=tuple(self.notes),
            **extra,
        )


def _kind(headers: list[str]) -> str | None:
    """``elements`` or ``connections`` by the first row, Kumu's way; ``None`` for neither.

    Kumu wants Label (elements) or From and To (connections) first, after an optional ID;
    elsewhere in the row they still count, connections first.

    >>> _kind(["ID", "Label", "To"]), _kind(["Name", "From", "To"]), _kind(["Name"])
    ('elements', 'connections', None)
    """
    lead = headers[1:] if headers[:1] == ["ID"] else headers
    if lead[:1] == ["Label"]:
        return "elements"
    if lead[:2] == ["From", "To"] or ("From" in headers and "To" in headers):
        return "connections"
    if "Label" in headers:
        return "elements"
    return None


def _sections(rows: list[tuple[int, list[str]]]) -> list[list[tuple[int, list[str]]]]:
    """Split rows where two or more blank rows separate tables (Kumu's one-sheet layout)."""
    sections: list[list[tuple[int, list[str]]]] = [[]]
    blanks = 0
    for number, cells in rows:
        if not any(cells):
            blanks += 1
            continue
        if blanks >= 2 and sections[-1] and _kind([canonical(c) for c in cells]):
            sections.append([])
        blanks = 0
        sections[-1].append((number, cells))
    return [s for s in sections if s]


def _read_table(b: _Builder, title: str, label: str, rows: list[tuple[int, list[str]]]) -> None:
    """Add the elements/connections of one sheet (or CSV file) to ``b``."""
    sections = _sections(rows)
    if not sections:
        return
    named = title.strip().casefold()
    for section in sections:
        (_, header_cells), body = section[0], section[1:]
        headers = [canonical(h) for h in header_cells]
        kind = _kind(headers)
        if kind is None:
            shown = ", ".join(h for h in headers if h) or "nothing"
            if named in ("elements", "connections"):
                need = "Label" if named == "elements" else "From and To"
                msg = (
                    f"{label} has no {need} column (its first row holds: {shown}). Kumu needs "
                    f"{need} in the first row; add {'it' if named == 'elements' else 'them'}, "
                    "or add '(ignore)' to the sheet's name to skip it."
                )
                raise FormatError(msg)
            b.notes.append(
                f"{label} was skipped: it is neither an elements sheet (Label in the first row) "
                f"nor a connections sheet (From and To); its first row holds: {shown}."
            )
            continue
        count, stray = 0, []
        for number, cells in body:
            values: dict[str, str] = {}
            for i, text in enumerate(cells):
                header = headers[i] if i < len(headers) else ""
                if text and not header:
                    stray.append(number)
                if not text or not header:
                    continue
                values[header] = f"{values[header]}|{text}" if header in values else text
            if not values:
                continue
            b.add(kind, KumuRecord(f"{label} row {number}", values), [h for h in headers if h])
            count += 1
        b.tables.append(f"{label}: {count} {kind[:-1]} rows")
        if stray:
            rows_text = ", ".join(str(n) for n in sorted(set(stray))[:10])
            b.notes.append(
                f"{label}: cells without a column header were ignored (rows {rows_text}); "
                "give the column a name in the first row to import it."
            )


def _read_xlsx(name: str, data: bytes, limits: Limits) -> KumuSource:
    with warnings.catch_warnings():
        # openpyxl warns about workbook extensions it drops (data validation and the like).
        warnings.simplefilter("ignore", UserWarning)
        return _read_book(name, open_workbook(data, name, limits), limits)


def _read_book(name: str, book: Any, limits: Limits) -> KumuSource:
    b = _Builder("xlsx", name, limits)
    meta: dict[str, str] = {}
    try:
        for sheet in book.worksheets:
            title = sheet.title
            rows = sheet_rows(sheet, f"Sheet {title!r} of {name}", limits, cell_text)
            if title.strip().casefold() == META_SHEET.casefold():
                meta = {r[0]: r[1] for _, r in rows[1:] if len(r) >= 2 and r[0]}
                continue
            if title.strip().casefold() == "loops":
                if any(any(cells) for _, cells in rows[1:]):
                    b.notes.append("Kumu loops are not imported: Coalition Mapper has no loops.")
                continue
            if "(ignore)" in title.casefold():
                if any(any(cells) for _, cells in rows):
                    b.notes.append(f"Sheet {title!r} was skipped: its name says (ignore).")
                continue
            _read_table(b, title, f"Sheet {title!r}", rows)
    finally:
        book.close()
    return b.source(meta=meta)


def _read_csv(name: str, text: str, limits: Limits) -> KumuSource:
    rows = [(n, [cell_text(c) for c in row]) for n, row in csv_rows(text, name, limits)]
    b = _Builder("csv", name, limits)
    _read_table(b, PurePath(name).stem, name, rows)
    return b.source()


def _json_values(where: str, item: Any, names: dict[str, str]) -> dict[str, str]:
    if not isinstance(item, dict):
        msg = f"{where} is not an object with fields; check the JSON."
        raise FormatError(msg)
    values: dict[str, str] = {}
    for key, value in item.items():
        header = canonical(names.get(str(key).casefold(), key))
        text = cell_text(value)
        if header and text and not header.startswith("_"):
            values[header] = text
    return values


def _json_list(data: dict[str, Any], key: str, name: str) -> list[Any]:
    items = data.get(key, [])
    if not isinstance(items, list):
        msg = f"{name}: {key!r} must be a list; check the JSON."
        raise FormatError(msg)
    return items


def _read_blueprint(name: str, data: dict[str, Any], limits: Limits) -> KumuSource:
    b = _Builder("blueprint", name, limits)
    for kind in ("elements", "connections"):
        for i, item in enumerate(_json_list(data, kind, name), start=1):
            where = f"{kind[:-1].capitalize()} {i}"
            values = _json_values(where, item, {})
            if values:
                b.add(kind, KumuRecord(where, values), list(values))
    if _json_list(data, "loops", name):
        b.notes.append("Kumu loops are not imported: Coalition Mapper has no loops.")
    b.tables.extend(
        [f"elements: {len(b.elements)} entries", f"connections: {len(b.connections)} entries"]
    )
    return b.source(**_blueprint_meta(data.get(META_KEY)))


def _blueprint_meta(found: Any) -> dict[str, Any]:
    """The settings and positions this project writes under :data:`META_KEY`, if any."""
    if not isinstance(found, dict):
        return {}
    meta = {k: cell_text(v) for k, v in found.items() if k != "positions" and v is not None}
    positions = {}
    points = found.get("positions")
    for key, point in (points if isinstance(points, dict) else {}).items():
        with contextlib.suppress(TypeError, ValueError):
            x, y = point
            positions[str(key)] = (float(x), float(y))
    return {"meta": meta, "positions": positions}


def _read_project(name: str, data: dict[str, Any], limits: Limits) -> KumuSource:
    b = _Builder("project", name, limits)
    names = {
        str(a.get("name", "")).casefold(): str(a.get("name", ""))
        for a in _json_list(data, "attributes", name)
        if isinstance(a, dict)
    }
    for kind in ("elements", "connections"):
        for i, item in enumerate(_json_list(data, kind, name), start=1):
            if not isinstance(item, dict):
                msg = f"{kind[:-1].capitalize()} {i} of {name} is not an object; check the JSON."
                raise FormatError(msg)
            kid = cell_text(item.get("_id"))
            where = f"{kind[:-1].capitalize()} {i} ({kid})" if kid else f"{kind[:-1]} {i}"
            values = _json_values(where, item.get("attributes") or {}, names)
            values["ID"] = kid
            if kind == "connections":
                source, target = cell_text(item.get("from")), cell_text(item.get("to"))
                if item.get("reversed") is True:
                    source, target = target, source
                    b.notes.append(f"{where} is reversed in Kumu; imported from its arrow's tail.")
                values.update(From=source, To=target, Direction=cell_text(item.get("direction")))
            values = {k: v for k, v in values.items() if v}
            b.add(kind, KumuRecord(where, values), list(values))
    if _json_list(data, "loops", name):
        b.notes.append("Kumu loops are not imported: Coalition Mapper has no loops.")
    b.tables.extend(
        [f"elements: {len(b.elements)} entries", f"connections: {len(b.connections)} entries"]
    )
    maps = [m for m in _json_list(data, "maps", name) if isinstance(m, dict)]
    chosen = next((m for m in maps if m.get("_id") == data.get("defaultMap")), None)
    chosen = chosen or (maps[0] if maps else None)
    positions: dict[str, tuple[float, float]] = {}
    if chosen:
        for node in chosen.get("elements") or []:
            try:
                pos = node["position"]
                positions[str(node["element"])] = (float(pos["x"]), float(pos["y"]))
            except (KeyError, TypeError, ValueError):
                continue
        if positions:
            b.notes.append(f"Positions were taken from the Kumu map {chosen.get('name', '')!r}.")
    return b.source(
        description=cell_text(data.get("description")),
        positions=positions,
        meta={"Name": cell_text(data.get("name"))},
    )


def _read_json(name: str, text: str, limits: Limits) -> KumuSource:
    try:
        parsed = parse_json(text, name, limits)
    except json.JSONDecodeError as err:
        msg = f"{name} is not valid JSON (line {err.lineno}, column {err.colno}): {err.msg}."
        raise FormatError(msg) from None
    if not isinstance(parsed, dict) or not (
        isinstance(parsed.get("elements"), list) or isinstance(parsed.get("connections"), list)
    ):
        msg = (
            f"{name} is JSON but not a Kumu blueprint or project export: Kumu JSON holds "
            "'elements' and 'connections' lists."
        )
        raise FormatError(msg)
    items = [e for e in parsed.get("elements") or [] if isinstance(e, dict)]
    is_project = "maps" in parsed or any(
        "_id" in e and isinstance(e.get("attributes"), dict) for e in items
    )
    read = _read_project if is_project else _read_blueprint
    return read(name, parsed, limits)


def load_kumu(name: str, data: bytes | str, limits: Limits = DEFAULT_LIMITS) -> KumuSource:
    """Read a Kumu file's rows, recognising the layout from its content (then its name).

    Raises ``FormatError`` when the file is none of: an ``.xlsx`` workbook, CSV text, a Kumu
    JSON blueprint or a Kumu project export.

    >>> src = load_kumu("people.csv", b"\\xef\\xbb\\xbfLabel ,Type\\nAnn ,GP\\n\\n")
    >>> src.layout, src.elements[0].values
    ('csv', {'Label': 'Ann', 'Type': 'GP'})
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    limits.check_bytes(data, name)
    if data.startswith(b"PK"):
        source = _read_xlsx(name, data, limits)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        msg = f"{name} is an old .xls workbook; Kumu and Coalition Mapper read .xlsx: save it as .xlsx."
        raise FormatError(msg)
    elif b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        msg = f"{name} is not a Kumu file: upload an .xlsx workbook, a CSV file or Kumu JSON."
        raise FormatError(msg)
    else:
        text = decode_text(data, name)
        if text.lstrip().startswith(("{", "[")):
            source = _read_json(name, text, limits)
        else:
            source = _read_csv(name, text, limits)
    if not source.elements and not source.connections:
        msg = (
            f"{name} holds no Kumu elements or connections. Kumu needs a sheet whose first row "
            "has Label (elements) or From and To (connections)."
        )
        if source.notes:
            msg += " " + " ".join(source.notes)
        raise FormatError(msg)
    return source
