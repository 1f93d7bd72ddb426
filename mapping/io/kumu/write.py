"""Export a map in Kumu's import layouts: an .xlsx workbook and a JSON blueprint."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from mapping.io.kumu.tables import META_KEY, META_SHEET, canonical
from mapping.io.safety import check_portable_text, starts_formula
from mapping.model import Map, Relationship, Stakeholder

__all__ = ["ELEMENT_COLUMNS", "CONNECTION_COLUMNS", "write_kumu_xlsx", "write_kumu_json"]

ELEMENT_COLUMNS: tuple[str, ...] = (
    "ID", "Label", "Type", "Description", "Tags", "Organisation", "Role", "Influence",
    "Interest", "Stance", "Coalition", "Review By",
)  # fmt: skip
CONNECTION_COLUMNS: tuple[str, ...] = (
    "ID", "From", "To", "Type", "Strength", "Direction", "Description", "How We Know",
    "Last Confirmed",
)  # fmt: skip
# Kumu's JSON blueprints spell the pre-named fields in lower case.
_JSON_KEYS = {name: name.lower() for name in ("ID", "Label", "Type", "Description", "Tags",
                                              "From", "To", "Direction", "Strength")}  # fmt: skip


def _element(s: Stakeholder) -> dict[str, Any]:
    return {
        "ID": s.id,
        "Label": s.name,
        "Type": s.perspective,
        "Description": s.notes,
        "Tags": list(s.tags),
        "Organisation": s.organisation,
        "Role": s.role,
        "Influence": s.influence,
        "Interest": s.interest,
        "Stance": s.stance.value,
        "Coalition": "Yes" if s.coalition else "No",
        "Review By": s.review_by.isoformat() if s.review_by else "",
    }


def _connection(r: Relationship) -> dict[str, Any]:
    return {
        "ID": r.id,
        "From": r.source,
        "To": r.target,
        "Type": r.type,
        "Strength": r.strength,
        "Direction": "directed" if r.directed else "mutual",
        "Description": r.notes,
        "How We Know": r.how_we_know,
        "Last Confirmed": r.last_confirmed.isoformat() if r.last_confirmed else "",
    }


def _custom_columns(customs: Iterable[Mapping[str, str]], reserved: tuple[str, ...]) -> dict:
    """Custom field name -> column name; names Kumu would read as ours get ``(custom)``.

    >>> _custom_columns([{"Ward": "1", "type": "x"}], ELEMENT_COLUMNS)
    {'Ward': 'Ward', 'type': 'type (custom)'}
    """
    taken = {c.casefold() for c in reserved} | {"perspective"}
    columns: dict[str, str] = {}
    for custom in customs:
        for key in custom:
            if key not in columns:
                clash = canonical(key).casefold() in taken
                columns[key] = f"{key} (custom)" if clash else key
    return columns


def _rows(m: Map) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Element and connection rows, custom fields included, in the map's order."""
    element_custom = _custom_columns((s.custom for s in m.stakeholders), ELEMENT_COLUMNS)
    connection_custom = _custom_columns((r.custom for r in m.relationships), CONNECTION_COLUMNS)
    elements = []
    for s in m.stakeholders:
        row = _element(s)
        row.update({element_custom[k]: v for k, v in s.custom.items()})
        elements.append(row)
    connections = []
    for r in m.relationships:
        row = _connection(r)
        row.update({connection_custom[k]: v for k, v in r.custom.items()})
        connections.append(row)
    return elements, connections


def _put(sheet: Any, row: int, column: int, value: Any) -> None:
    """Write one cell; text is always stored as text, never as a formula."""
    if isinstance(value, list):
        value = "|".join(value)
    if value in ("", None):
        return
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if starts_formula(value):
            cell.quotePrefix = True
    else:
        cell.value = value


def _sheet(book: Any, title: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    sheet = book.create_sheet(title)
    for j, column in enumerate(columns, start=1):
        _put(sheet, 1, j, column)
    for i, row in enumerate(rows, start=2):
        for j, column in enumerate(columns, start=1):
            _put(sheet, i, j, row.get(column))
    sheet.freeze_panes = "A2"


def _all_columns(base: tuple[str, ...], rows: list[dict[str, Any]]) -> list[str]:
    columns = list(base)
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    return columns


def write_kumu_xlsx(m: Map) -> bytes:
    """The map as a Kumu import workbook: ``Elements`` and ``Connections`` sheets.

    Elements carry ``ID``, ``Label``, ``Type`` (the perspective), ``Description`` (notes),
    ``Tags`` (joined with ``|``) and our fields as extra columns, then custom fields;
    connections name elements by ID so that people with the same name stay apart. A sheet
    ``Coalition Mapper (ignore)``, which Kumu skips, keeps the map's name, description and
    vocabularies.

    Formula injection: every text cell is stored as a text cell, never a formula, and text
    starting like a formula (:func:`mapping.io.safety.starts_formula`) carries Excel's quote prefix, the form in
    which Excel itself saves a typed leading apostrophe. Nothing runs when the workbook is
    opened or a cell is edited, yet the value stays exact, so Kumu imports ``+`` and ``-``
    connection types and Markdown lists in descriptions unchanged. A map holding characters
    Excel cannot store raises ``FormatError`` (see :func:`mapping.io.safety.strip_unportable`).

    >>> from mapping.io.kumu.read import read_kumu
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "=Ann"), Stakeholder("b", "Bo")),
    ...         relationships=(Relationship("r1", "a", "b", strength=5),))
    >>> back = read_kumu("m.xlsx", write_kumu_xlsx(m))
    >>> back.stakeholders == m.stakeholders and back.relationships == m.relationships
    True
    """
    import openpyxl

    check_portable_text(m, "Kumu workbook")
    elements, connections = _rows(m)
    book = openpyxl.Workbook()
    book.remove(book.active)
    _sheet(book, "Elements", _all_columns(ELEMENT_COLUMNS, elements), elements)
    _sheet(book, "Connections", _all_columns(CONNECTION_COLUMNS, connections), connections)
    meta = [{"Setting": k, "Value": v} for k, v in _meta(m, "Kumu skips this sheet").items()]
    _sheet(book, META_SHEET, ["Setting", "Value"], meta)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _meta(m: Map, skipped: str) -> dict[str, str]:
    """The map's own settings, which Kumu's layouts have no place for: read back on import."""
    return {
        "About": f"Written by Coalition Mapper; {skipped}.",
        "Name": m.name,
        "Description": m.description,
        "Perspectives": "|".join(m.perspectives),
        "Relationship types": "|".join(m.relationship_types),
    }


def _blueprint_item(row: dict[str, Any]) -> dict[str, Any]:
    item = {}
    for key, value in row.items():
        if value in ("", None, []):
            continue
        item[_JSON_KEYS.get(key, key)] = value
    return item


def write_kumu_json(m: Map) -> str:
    """The map as a Kumu JSON blueprint: ``elements`` and ``connections`` linked by ``id``.

    Keys follow Kumu's blueprint (``label``, ``type``, ``description``, ``tags`` as a list,
    ``from``/``to`` by id, ``direction`` directed or mutual, ``strength``); our own fields and
    custom fields keep their names. Blank values are left out. The map's name, description,
    perspectives, relationship types and positions go under :data:`META_KEY`, which Kumu
    ignores and this project reads back.

    >>> text = write_kumu_json(Map(name="M", stakeholders=(Stakeholder("a", "Ann"),),
    ...                            positions={"a": (1.5, -2.0)}))
    >>> data = json.loads(text)
    >>> data["elements"][0]["label"], data[META_KEY]["Name"], data[META_KEY]["positions"]
    ('Ann', 'M', {'a': [1.5, -2.0]})
    """
    elements, connections = _rows(m)
    meta: dict[str, Any] = _meta(m, "Kumu ignores this entry")
    meta["positions"] = {k: list(v) for k, v in m.positions.items()}
    blueprint = {
        "elements": [_blueprint_item(row) for row in elements],
        "connections": [_blueprint_item(row) for row in connections],
        META_KEY: meta,
    }
    return json.dumps(blueprint, ensure_ascii=False, indent=2) + "\n"
