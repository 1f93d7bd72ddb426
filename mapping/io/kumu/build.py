"""Build a stakeholder map from Kumu rows, accounting for every element and connection."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import product
from pathlib import PurePath

from mapping.errors import ValidationError
from mapping.io.kumu.fields import (
    CONNECTION_ROLES,
    ELEMENT_ROLES,
    KumuFields,
    Scaler,
    make_scaler,
    parse_day,
    parse_flag,
    parse_level,
    parse_number,
    parse_stance,
)
from mapping.io.kumu.notes import ImportNotes, duplicates_note, raise_problems
from mapping.io.kumu.tables import KumuRecord, KumuSource, canonical
from mapping.io.records import stable_id
from mapping.model import (
    DEFAULT_RELATIONSHIP_TYPES,
    Map,
    Relationship,
    Stakeholder,
    Stance,
    validate_map,
)

__all__ = ["KumuImport", "build_map"]


@dataclass(frozen=True)
class KumuImport:
    """An imported map and the account of every row.

    ``connections`` counts connections after a row naming several elements (``A|B``) is split;
    ``len(map.relationships) == connections - duplicate_connections - self_connections``.
    ``merged_elements`` counts element rows that updated an element an earlier row created.
    """

    map: Map
    notes: tuple[str, ...]
    element_rows: int
    merged_elements: int
    connection_rows: int
    connections: int
    duplicate_connections: int
    self_connections: int


class _Vocabulary:
    """An ordered list of names matched without regard to case."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = list(dict.fromkeys(names))
        self._folded = {n.casefold(): n for n in self.names}

    def find(self, name: str) -> str | None:
        return self._folded.get(name.strip().casefold())

    def ensure(self, name: str) -> str:
        found = self.find(name)
        if found is None:
            found = name.strip()
            self.names.append(found)
            self._folded[found.casefold()] = found
        return found


def _first(text: str) -> str:
    return text.split("|")[0].strip() if "|" in text else text


def _headers(fields: KumuFields, source: KumuSource) -> dict[str, str]:
    """Role -> the file's own spelling of the field feeding it ('' when absent)."""
    found = {}
    for role in (*ELEMENT_ROLES, *CONNECTION_ROLES):
        pool = source.connection_fields if role in CONNECTION_ROLES else source.element_fields
        wanted = canonical(getattr(fields, role)).casefold()
        found[role] = next((f for f in pool if wanted and f.casefold() == wanted), "")
    return found


def _scaler(
    records: tuple[KumuRecord, ...], header: str, key: str, fields: KumuFields, notes: ImportNotes
) -> Scaler:
    """The scaler for one field's numbers, noting when it changes them."""
    numbers = []
    for r in records:
        text = r.values.get(header, "")
        if text and fields.lookup(key, text) is None:
            number = parse_number(text)
            if number is not None:
                numbers.append(number)
    scaler = make_scaler(numbers, fields.scale)
    if scaler.rescale or any(n != int(n) or not 1 <= n <= 5 for n in numbers):
        notes.add(scaler.describe(header))
    return scaler


class _Builder:
    """Turns a :class:`KumuSource` into a map, collecting problems and notes."""

    def __init__(self, source: KumuSource, fields: KumuFields) -> None:
        self.source, self.fields = source, fields
        self.roles = _headers(fields, source)
        self.notes, self.problems = ImportNotes(), list[str]()
        self.perspectives = _Vocabulary(fields.perspectives)
        base_types = [t for t in source.meta.get("Relationship types", "").split("|") if t.strip()]
        self.types = _Vocabulary(tuple(base_types) or DEFAULT_RELATIONSHIP_TYPES)
        self.stakeholders: list[Stakeholder] = []
        self.by_id: dict[str, str] = {}
        self.by_label: dict[str, list[str]] = {}
        self.by_fold: dict[str, list[str]] = {}
        self.merged = 0

    # -- values --------------------------------------------------------------------------
    def _text(self, values: dict[str, str], role: str) -> str:
        header = self.roles[role]
        return values.get(header, "") if header else ""

    def _level(
        self, values: dict[str, str], role: str, key: str, scaler: Scaler, where: str
    ) -> int:
        text = self._text(values, role)
        if not text:
            return 3
        level = parse_level(self.fields.lookup(key, text) or text, scaler)
        if level is None:
            self.notes.add(
                f"{self.roles[role]} values that are not a number or a word like High were "
                "set to 3",
                f"{text!r} ({where})",
            )
            return 3
        return level

    def _day(self, values: dict[str, str], role: str, where: str) -> date | None:
        text = self._text(values, role)
        day = parse_day(text) if text else None
        if text and day is None:
            self.notes.add(f"{self.roles[role]} values that are not dates were left blank",
                           f"{text!r} ({where})")  # fmt: skip
        return day

    def _perspective(self, values: dict[str, str], where: str) -> str:
        raw = self._text(values, "perspective")
        if "|" in raw:
            self.notes.add("Elements with several types took the first as perspective", where)
            raw = _first(raw)
        if not raw:
            return self.perspectives.ensure("other")
        target = self.fields.lookup("perspective", raw)
        if target:
            return self.perspectives.ensure(target)
        found = self.perspectives.find(raw)
        if found:
            return found
        if self.fields.unknown_perspectives == "add":
            self.notes.add("New perspectives were added to the map from Kumu", repr(raw))
            return self.perspectives.ensure(raw)
        self.notes.add("Kumu types filed under the perspective 'other'", f"{raw!r} ({where})")
        return self.perspectives.ensure("other")

    def _custom(self, values: dict[str, str], used: set[str]) -> dict[str, str]:
        # The writers add " (custom)" to custom fields named like one of our columns.
        return {k.removesuffix(" (custom)"): v for k, v in values.items() if k not in used}

    # -- elements ------------------------------------------------------------------------
    def elements(self) -> None:
        merged: dict[tuple[str, ...], tuple[str, dict[str, str]]] = {}
        for rec in self.source.elements:
            label = rec.values.get("Label", "")
            if not label:
                self.problems.append(
                    f"{rec.where}: the Label is empty; give the element a label, or delete the row."
                )
                continue
            kid = rec.values.get("ID", "")
            key: tuple[str, ...] = (
                ("id", kid) if kid else ("label", label, rec.values.get("Type", ""))
            )
            if key in merged:
                self.merged += 1
                first, values = merged[key]
                values.update(rec.values)
                self.notes.add(
                    "Rows describing the same element were merged, later values winning",
                    f"{rec.where} updates {first} ({label!r})",
                )
            else:
                merged[key] = (rec.where, dict(rec.values))
        scalers = {
            role: _scaler(self.source.elements, self.roles[role], role, self.fields, self.notes)
            for role in ("influence", "interest")
            if self.roles[role]
        }
        used = {"ID", "Label", "Description", "Tags"} | {self.roles[r] for r in ELEMENT_ROLES}
        for key, (where, values) in merged.items():
            sid = key[1] if key[0] == "id" else stable_id("s", *key[1:])
            stance_text = self._text(values, "stance")
            stance = Stance.UNKNOWN
            if stance_text:
                found = parse_stance(self.fields.lookup("stance", stance_text) or stance_text)
                if found is None:
                    self.notes.add("Unrecognised stances were set to unknown",
                                   f"{stance_text!r} ({where})")  # fmt: skip
                stance = found or Stance.UNKNOWN
            flag_text = self._text(values, "coalition")
            coalition = parse_flag(self.fields.lookup("coalition", flag_text) or flag_text)
            if coalition is None:
                self.notes.add("Coalition values that are not yes or no were read as no",
                               f"{flag_text!r} ({where})")  # fmt: skip
            try:
                person = Stakeholder(
                    id=sid,
                    name=values["Label"],
                    organisation=self._text(values, "organisation"),
                    role=self._text(values, "role"),
                    perspective=self._perspective(values, where),
                    influence=self._level(values, "influence", "influence",
                                          scalers.get("influence", Scaler()), where),
                    interest=self._level(values, "interest", "interest",
                                         scalers.get("interest", Scaler()), where),
                    stance=stance,
                    coalition=bool(coalition),
                    notes=values.get("Description", ""),
                    tags=tuple(values.get("Tags", "").split("|")),
                    review_by=self._day(values, "review_by", where),
                    custom=self._custom(values, used),
                )  # fmt: skip
            except ValidationError as err:
                self.problems.extend(f"{where}: {p}" for p in err.problems)
                continue
            self._index(person)

    def _index(self, person: Stakeholder) -> None:
        self.stakeholders.append(person)
        self.by_id[person.id] = person.id
        self.by_label.setdefault(person.name, []).append(person.id)
        self.by_fold.setdefault(person.name.casefold(), []).append(person.id)

    def _resolve(self, name: str, column: str, where: str) -> list[str] | None:
        if name in self.by_id:
            return [name]
        for table, key in ((self.by_label, name), (self.by_fold, name.casefold())):
            ids = table.get(key, [])
            if len(ids) == 1:
                return ids
            if len(ids) > 1:
                self.problems.append(
                    f"{where}: {column} {name!r} matches {len(ids)} elements with that label; "
                    "give the elements an ID column and use the IDs in From and To."
                )
                return None
        if "|" in name:
            parts = [self._resolve(p.strip(), column, where) for p in name.split("|") if p.strip()]
            return None if any(p is None for p in parts) else [i for p in parts for i in p or []]
        if not self.source.elements:
            self.notes.add("There are no element rows, so elements were made from From and To",
                           repr(name))  # fmt: skip
            self._index(Stakeholder(id=stable_id("s", name, ""), name=name))
            return [self.by_id[stable_id("s", name, "")]]
        self.problems.append(
            f"{where}: {column} {name!r} is not the Label or ID of any element; add a row for it "
            "to the elements sheet, or correct the spelling."
        )
        return None

    # -- connections ---------------------------------------------------------------------
    def connections(self) -> tuple[list[Relationship], int, int, int]:
        scaler = Scaler()
        if self.roles["strength"]:
            scaler = _scaler(self.source.connections, self.roles["strength"], "strength",
                             self.fields, self.notes)  # fmt: skip
        used = {"ID", "From", "To", "Type", "Direction", "Description"}
        used |= {self.roles[r] for r in CONNECTION_ROLES}
        out: list[Relationship] = []
        seen: dict[tuple, str] = {}
        ids: set[str] = set()
        occurrences: Counter[tuple[str, ...]] = Counter()
        expanded = duplicates = loops = untyped = 0
        merged: dict[tuple[str, str], list[str]] = {}  # (source, target): rows merged
        for rec in self.source.connections:
            values, where = rec.values, rec.where
            ends: list[list[str]] = []
            missing = False
            for column in ("From", "To"):
                if not values.get(column):
                    self.problems.append(
                        f"{where}: {column} is empty; name an element there, or delete the row."
                    )
                    missing = True
                    continue
                found = self._resolve(values[column], column, where)
                if found is None:
                    missing = True
                else:
                    ends.append(found)
            if missing:
                continue
            raw_type = values.get("Type", "")
            if "|" in raw_type:
                self.notes.add("Connections with several types took the first", where)
                raw_type = _first(raw_type)
            kind = (self.fields.lookup("relationship_type", raw_type) or raw_type).lower()
            untyped += not kind
            kind = self.types.ensure(kind or "collaborates")
            direction = values.get("Direction", "").casefold()
            if direction not in ("", "directed", "undirected", "mutual"):
                self.notes.add("Directions other than directed, undirected or mutual were read "
                               "as mutual", f"{values['Direction']!r} ({where})")  # fmt: skip
            strength = self._level(values, "strength", "strength", scaler, where)
            directed = direction == "directed"
            how_we_know = self._text(values, "how_we_know")
            last_confirmed = self._day(values, "last_confirmed", where)
            notes = values.get("Description", "")
            custom = self._custom(values, used)
            fields = (kind, strength, directed, how_we_know, last_confirmed, notes, custom)
            for k, (source, target) in enumerate(product(*ends)):
                expanded += 1
                if source == target:
                    loops += 1
                    self.notes.add("Connections from an element to itself were left out", where)
                    continue
                signature = (source, target, *(str(v) for v in fields))
                if self.fields.duplicates == "merge" and signature in seen:
                    duplicates += 1
                    first = seen[signature]
                    table, _, row = first.rpartition(" row ")
                    if table and where.startswith(f"{table} row "):
                        first = f"row {row}"
                    merged.setdefault((source, target), []).append(f"{where} repeats {first}")
                    continue
                seen.setdefault(signature, where)
                rid = values.get("ID", "")
                if rid and k:
                    rid = f"{rid}-{k + 1}"
                if not rid:
                    occurrences[(source, target, kind)] += 1
                    n = occurrences[(source, target, kind)]
                    rid = stable_id("r", source, target, kind, str(n))
                while rid in ids:
                    self.notes.add("Connection IDs used twice were given a suffix", where)
                    rid = f"{rid}-2"
                ids.add(rid)
                out.append(
                    Relationship(
                        id=rid,
                        source=source,
                        target=target,
                        type=kind,
                        strength=strength,
                        directed=directed,
                        how_we_know=how_we_know,
                        last_confirmed=last_confirmed,
                        notes=notes,
                        custom=custom,
                    )
                )
        if merged:
            names = {s.id: s.name for s in self.stakeholders}
            self.notes.add(duplicates_note(names, merged, duplicates))
        if untyped:
            self.notes.add(f"{untyped} connection rows have no Type; they were imported as "
                           "'collaborates'.")  # fmt: skip
        return out, expanded, duplicates, loops


def build_map(source: KumuSource, fields: KumuFields) -> KumuImport:
    """The map these rows describe under this mapping; a ``ValidationError`` lists bad rows."""
    b = _Builder(source, fields)
    b.elements()
    relationships, expanded, duplicates, loops = b.connections()
    if b.problems:
        raise_problems(b.problems, source.name)
    ids = {s.id for s in b.stakeholders}
    name = source.meta.get("Name") or PurePath(source.name).stem.strip() or "Kumu import"
    m = Map(
        name=name,
        description=source.description or source.meta.get("Description", ""),
        perspectives=tuple(b.perspectives.names),
        relationship_types=tuple(b.types.names),
        stakeholders=tuple(b.stakeholders),
        relationships=tuple(relationships),
        positions={k: v for k, v in source.positions.items() if k in ids},
    )
    validate_map(m)
    return KumuImport(
        map=m,
        notes=(*source.notes, *b.notes.lines()),
        element_rows=len(source.elements),
        merged_elements=b.merged,
        connection_rows=len(source.connections),
        connections=expanded,
        duplicate_connections=duplicates,
        self_connections=loops,
    )
