"""Loose records (spreadsheet rows, graph nodes and edges) into a validated map.

Every tabular and graph reader turns its file into :class:`Record` objects of text values
keyed by column or attribute name, and :func:`records_to_map` reads them all the same way:
columns matched by name or synonym (:mod:`mapping.io.columns`), cells parsed by
:mod:`mapping.io.cells`, every problem collected as ``"<file>: Row N, column X: ...; fix:
..."`` and raised together as one ``ValidationError``: nothing partial is returned.

- Relationships name their endpoints by stakeholder ID or by name (trimmed, any case);
  a ``From ID``/``To ID`` column, when filled in, wins over ``From``/``To``.
- A name may repeat only when an ID column tells the people apart.
- A stakeholder or relationship without an ID gets a stable one made from its content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mapping.errors import ValidationError
from mapping.io.cells import MapVocabulary
from mapping.io.record_people import read_stakeholders
from mapping.io.record_rows import Problems, Record, stable_id
from mapping.io.record_ties import read_relationships
from mapping.model import (
    DEFAULT_PERSPECTIVES,
    DEFAULT_RELATIONSHIP_TYPES,
    Map,
    Stakeholder,
    validate_map,
)

__all__ = ["Record", "Problems", "Refused", "records_to_map", "records_to_partial_map", "stable_id"]


def records_to_map(
    stakeholders: Sequence[Record],
    relationships: Sequence[Record] = (),
    *,
    name: str = "Imported map",
    description: str = "",
    perspectives: Sequence[str] = DEFAULT_PERSPECTIVES,
    relationship_types: Sequence[str] = DEFAULT_RELATIONSHIP_TYPES,
    add_unknown_perspectives: bool = False,
    known: Sequence[Stakeholder] = (),
    positions: Mapping[str, tuple[float, float]] | None = None,
    keep_blank_custom: bool = False,
    unit: str = "column",
) -> Map:
    """Build a whole map from loose records; raise one ``ValidationError`` listing every problem.

    ``known`` are stakeholders already read (relationships may name them). ``unit`` is the
    word for a field in messages ("column", or "attribute" for GraphML and GEXF).

    >>> people = [Record("people.csv", "Row 2", {"Name": "Ann", "Power": "4"}),
    ...           Record("people.csv", "Row 3", {"Name": "Bo", "Power": "high"})]
    >>> records_to_map(people)
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: people.csv: Row 3, column Power: 'high' is not a whole number from 1 to 5; fix: write the influence as 1, 2, 3, 4 or 5 (blank means 3).
    >>> m = records_to_map(people[:1], [Record("ties.csv", "Row 2", {"From": "ann", "To": "Ann"})])
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: ties.csv: Row 2: the relationship joins 'ann' to themselves; fix: a stakeholder cannot have a relationship with themselves.
    """
    problems = Problems()
    vocab = MapVocabulary(perspectives, relationship_types, add_unknown_perspectives)
    people, names, ids, _ = read_stakeholders(
        stakeholders, vocab, unit, keep_blank_custom, problems
    )
    for s in known:
        ids.add(s.id)
        names.setdefault(s.name.casefold(), []).append(s.id)
    ties = read_relationships(relationships, ids, names, vocab, unit, keep_blank_custom, problems)
    if problems:
        raise ValidationError(problems)
    m = Map(
        name=name,
        description=description,
        perspectives=tuple(vocab.perspectives),
        relationship_types=tuple(vocab.types),
        stakeholders=(*known, *people),
        relationships=tuple(ties),
        positions=positions or {},
    )
    validate_map(m)
    return m


@dataclass(frozen=True)
class Refused:
    """A row left out of an import: the record as read (its cells as written) and why."""

    record: Record
    problem: str


def records_to_partial_map(
    stakeholders: Sequence[Record],
    relationships: Sequence[Record] = (),
    **options: Any,
) -> tuple[Map, tuple[Refused, ...]]:
    """The map of the rows that can be read, and every row left out with its problems.

    Takes the options of :func:`records_to_map`. A relationship whose stakeholder's row is
    left out is left out too, saying so. A problem with a whole file (a missing Name, From
    or To column) still raises ``ValidationError``: no row of it could be read.

    >>> people = [Record("p.csv", "Row 2", {"Name": "Ann"}),
    ...           Record("p.csv", "Row 3", {"Name": "Bo", "Power": "high"}),
    ...           Record("p.csv", "Row 4", {"Name": "Cy"})]
    >>> ties = [Record("t.csv", "Row 2", {"From": "Ann", "To": "Cy"}),
    ...         Record("t.csv", "Row 3", {"From": "Ann", "To": "Bo"})]
    >>> m, refused = records_to_partial_map(people, ties)
    >>> [s.name for s in m.stakeholders], len(m.relationships)
    (['Ann', 'Cy'], 1)
    >>> for r in refused:
    ...     print(r.record.source, r.record.label, r.problem)
    p.csv Row 3 column Power: 'high' is not a whole number from 1 to 5; fix: write the influence as 1, 2, 3, 4 or 5 (blank means 3).
    t.csv Row 3 column To: 'Bo' is left out of the import (p.csv, Row 3 has a problem); fix: correct that stakeholder's row, then import this relationship again.
    """
    unit = options.get("unit", "column")
    keep = options.get("keep_blank_custom", False)
    vocab = MapVocabulary(
        options.get("perspectives", DEFAULT_PERSPECTIVES),
        options.get("relationship_types", DEFAULT_RELATIONSHIP_TYPES),
        options.get("add_unknown_perspectives", False),
    )
    people_problems = Problems()
    _, names, ids, read_from = read_stakeholders(stakeholders, vocab, unit, keep, people_problems)
    for s in options.get("known", ()):
        ids.add(s.id)
        names.setdefault(s.name.casefold(), []).append(s.id)
    left_out = {
        sid: f"{record.source}, {record.label} has a problem"
        for sid, record in read_from.items()
        if record in people_problems.rows
    }
    tie_problems = Problems()
    read_relationships(relationships, ids, names, vocab, unit, keep, tie_problems, left_out)
    whole = people_problems.whole_file + tie_problems.whole_file
    if whole:
        raise ValidationError(whole)
    bad = {**people_problems.rows, **tie_problems.rows}
    m = records_to_map(
        [r for r in stakeholders if r not in bad],
        [r for r in relationships if r not in bad],
        **options,
    )
    refused = tuple(
        Refused(r, "; ".join(bad[r])) for r in (*stakeholders, *relationships) if r in bad
    )
    return m, refused
