"""Import Kumu files as stakeholder maps, with a preview for choosing how fields map."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from mapping.errors import ValidationError
from mapping.io.kumu.build import KumuImport, build_map
from mapping.io.kumu.fields import KumuFields, suggest_fields
from mapping.io.kumu.tables import KumuRecord, load_kumu
from mapping.io.safety import DEFAULT_LIMITS, Limits
from mapping.model import Map

__all__ = ["FieldSummary", "KumuPreview", "inspect_kumu", "import_kumu", "read_kumu"]

_MAX_VALUES = 8


@dataclass(frozen=True)
class FieldSummary:
    """One Kumu field: how many rows fill it, how many distinct values, the commonest values."""

    name: str
    filled: int
    distinct: int
    values: tuple[str, ...]


@dataclass(frozen=True)
class KumuPreview:
    """What a Kumu file holds, for the user to check and map fields before importing."""

    layout: str
    tables: tuple[str, ...]
    element_rows: int
    connection_rows: int
    element_fields: tuple[FieldSummary, ...]
    connection_fields: tuple[FieldSummary, ...]
    suggested: KumuFields
    notes: tuple[str, ...]
    problems: tuple[str, ...]


def _summaries(records: tuple[KumuRecord, ...], names: tuple[str, ...]) -> tuple[FieldSummary, ...]:
    out = []
    for name in names:
        counts = Counter(r.values[name] for r in records if name in r.values)
        common = tuple(v for v, _ in counts.most_common(_MAX_VALUES))
        out.append(FieldSummary(name, sum(counts.values()), len(counts), common))
    return tuple(out)


def inspect_kumu(name: str, data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> KumuPreview:
    """What a Kumu file holds and the suggested field mapping, without importing it.

    ``problems`` lists what would stop an import with the suggested mapping.

    >>> p = inspect_kumu("team.csv", b"Label,Type,Stance\\nAnn,GP,Ally\\nBo,Council,\\n")
    >>> p.layout, p.element_rows, p.suggested.perspective, p.suggested.stance
    ('csv', 2, 'Type', 'Stance')
    >>> p.suggested.value_maps["perspective"]
    {'council': 'local authority & social care', 'gp': 'clinical'}
    """
    source = load_kumu(name, data, limits)
    suggested = suggest_fields(source)
    try:
        build_map(source, suggested)
        problems: tuple[str, ...] = ()
    except ValidationError as err:
        problems = err.problems
    return KumuPreview(
        layout=source.layout,
        tables=source.tables,
        element_rows=len(source.elements),
        connection_rows=len(source.connections),
        element_fields=_summaries(source.elements, source.element_fields),
        connection_fields=_summaries(source.connections, source.connection_fields),
        suggested=suggested,
        notes=source.notes,
        problems=problems,
    )


def import_kumu(
    name: str, data: bytes, fields: KumuFields | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> KumuImport:
    """Import a Kumu workbook, CSV, JSON blueprint or project export, with notes on every row.

    ``name`` is the file's name (its stem names the map unless the file names it). Without
    ``fields`` the mapping :func:`suggest_fields` offers is used. Raises ``FormatError`` for a
    file that is not Kumu's, or larger than ``limits``, and ``ValidationError`` listing every
    row that cannot be imported.

    Notes
    -----
    - Elements match on ``ID``, else on Label and Type, as in Kumu; a later row with the same
      key updates the element. Connections name elements by ID or Label (any case).
    - Each connection row is a connection; ``A|B`` in From or To makes one per pair. A
      connection repeating an earlier one exactly is imported once and named in the notes;
      ``KumuFields(duplicates="keep")`` keeps every row, as Kumu itself does.
    - Strength, Influence and Interest: numbers become 1-5 as ``KumuFields.scale`` says
      (``auto``: round and clip when the file keeps to 1-5, else stretch the file's range onto
      1-5); words such as Low/High count; blank or unreadable is 3.
    - Direction ``directed`` is directed; ``mutual``, ``undirected`` and blank (Kumu's
      default) are mutual. A connection without a Type is ``collaborates``; new types are
      added to the map's relationship types in lower case.
    - The perspective comes from ``value_maps``, else a perspective of the same name (any
      case), else a new perspective or ``other`` (``KumuFields.unknown_perspectives``).
    - Description becomes notes, Tags become tags, every other field a custom field (text;
      several values joined with ``|``). Positions come from a project export's default map.

    >>> csv = b"From,To,Type\\nAnn,Bo|Cy,Funds\\nAnn,Bo,Funds\\n"
    >>> result = import_kumu("ties.csv", csv)
    >>> result.connections, result.duplicate_connections, len(result.map.relationships)
    (3, 1, 2)
    >>> sorted(s.name for s in result.map.stakeholders), result.map.relationships[0].type
    (['Ann', 'Bo', 'Cy'], 'funds')
    """
    source = load_kumu(name, data, limits)
    return build_map(source, fields or suggest_fields(source))


def read_kumu(
    name: str, data: bytes, fields: KumuFields | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> Map:
    """The map in a Kumu file; see :func:`import_kumu` for the notes on how rows were read."""
    return import_kumu(name, data, fields, limits=limits).map
