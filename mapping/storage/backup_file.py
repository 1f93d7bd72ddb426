"""The backup file: its format, and reading and checking one before anything is written.

:func:`read_plan` parses a backup and collects every problem it has (each naming the map,
snapshot, note or rating and the field), so a restore either writes all of it or nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from mapping.changes.ratings import Rating
from mapping.errors import FormatError, MappingError, ValidationError
from mapping.io import project_json
from mapping.model import Map
from mapping.model.settings import Settings
from mapping.storage.history import REASONS, ratings_table, reflections_table, snapshots_table
from mapping.storage.reflections import AUTHORS
from mapping.storage.schema import check_storable, settings_table

__all__ = ["FORMAT", "VERSION", "BackupSummary", "Group", "Plan", "read_plan"]

FORMAT = "coalition-mapper-backup"
VERSION = 1


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds (or what a restore added), for messages.

    >>> print(BackupSummary(maps=2, snapshots=1, reflections=0, ratings=3))
    2 maps, 1 snapshot, 0 notes and 3 ratings
    """

    maps: int
    snapshots: int
    reflections: int
    ratings: int
    deleted_maps: int = 0
    settings: int = 0
    made_at: str = ""
    #: Ids of the maps as restored (empty when only read).
    map_ids: tuple[int, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        def count(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        parts = [
            count(self.maps, "map", "maps"),
            count(self.snapshots, "snapshot", "snapshots"),
            count(self.reflections, "note", "notes"),
            count(self.ratings, "rating", "ratings"),
        ]
        if self.deleted_maps:
            parts.append(count(self.deleted_maps, "deleted map", "deleted maps"))
        return ", ".join(parts[:-1]) + " and " + parts[-1]


class _Checker:
    """Collects every problem of a backup file, each naming where it is."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def object(self, where: str, value: Any) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        self.fail(where, "should be a JSON object")
        return {}

    def items(self, where: str, value: Any, key: str) -> list[Any]:
        found = value.get(key, [])
        if isinstance(found, list):
            return found
        self.fail(where, f"{key} should be a list")
        return []

    def text(self, where: str, row: dict, key: str, *, blank: bool = True) -> str:
        value = row.get(key)
        if not isinstance(value, str) or (not blank and not value.strip()):
            self.fail(where, f"{key} should be {'text' if blank else 'non-empty text'}")
            return ""
        return value

    def whole(self, where: str, row: dict, key: str, *, optional: bool = False) -> int | None:
        value = row.get(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"{key} should be a whole number, not {value!r}")
            return None
        return value

    def moment(self, where: str, row: dict, key: str) -> datetime:
        try:
            value = datetime.fromisoformat(str(row.get(key)))
        except ValueError:
            self.fail(where, f"{key} {row.get(key)!r} is not a date and time")
            return datetime.now(UTC)
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)

    def day(self, where: str, row: dict, key: str) -> date:
        try:
            return date.fromisoformat(str(row.get(key)))
        except ValueError:
            self.fail(where, f"{key} {row.get(key)!r} is not a date (YYYY-MM-DD)")
            return date.today()


@dataclass
class Group:
    """One map (or one deleted map's history), checked and ready to be written."""

    where: str
    map: Map | None
    header: dict[str, Any]
    snapshots: list[dict[str, Any]]
    reflections: list[dict[str, Any]]
    ratings: list[dict[str, Any]]
    deleted_with: int | None = None


@dataclass
class Plan:
    """A whole backup, checked: its maps and deleted maps' history, and the settings."""

    groups: list[Group]
    settings: dict[str, Any]
    made_at: str

    def summary(self, map_ids: Iterable[int] = ()) -> BackupSummary:
        live = [g for g in self.groups if g.map is not None]
        return BackupSummary(
            maps=len(live),
            snapshots=sum(len(g.snapshots) for g in self.groups),
            reflections=sum(len(g.reflections) for g in self.groups),
            ratings=sum(len(g.ratings) for g in self.groups),
            deleted_maps=sum(1 for g in self.groups if g.deleted_with is not None),
            settings=len(self.settings),
            made_at=self.made_at,
            map_ids=tuple(map_ids),
        )


def _history(check: _Checker, where: str, data: dict) -> tuple[list, list, list]:
    snapshots, reflections, ratings = [], [], []
    for i, raw in enumerate(check.items(where, data, "snapshots")):
        at = f"{where}, snapshot {i + 1}"
        row = check.object(at, raw)
        content = check.text(at, row, "content")
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        if row.get("digest") not in (None, digest):
            check.fail(at, "its content does not match its checksum; the file is damaged")
        try:
            kept = project_json.loads(content)
        except MappingError as err:
            check.fail(at, f"the map it keeps cannot be read ({' '.join(str(err).split())})")
            kept = Map(name="?")
        reason = row.get("reason")
        if reason not in REASONS:
            check.fail(at, f"reason {reason!r} is not one of {', '.join(REASONS)}")
        snapshots.append(
            {
                "old_id": check.whole(at, row, "id"),
                "name": check.text(at, row, "name", blank=False).strip(),
                "reason": reason,
                "taken_at": check.moment(at, row, "taken_at"),
                "map_version": check.whole(at, row, "map_version", optional=True),
                "map_name": kept.name,
                "stakeholders": len(kept.stakeholders),
                "relationships": len(kept.relationships),
                "content": content,
                "digest": digest,
                "figures": row.get("figures"),
            }
        )
    for i, raw in enumerate(check.items(where, data, "reflections")):
        at = f"{where}, note {i + 1}"
        row = check.object(at, raw)
        author = row.get("author")
        if author not in AUTHORS:
            check.fail(at, f"author {author!r} is not one of {', '.join(AUTHORS)}")
        reflections.append(
            {
                "snapshot_id": check.whole(at, row, "snapshot_id", optional=True),
                "written_on": check.day(at, row, "written_on"),
                "written_at": check.moment(at, row, "written_at"),
                "author": author,
                "prompt": check.text(at, row, "prompt"),
                "text": check.text(at, row, "text", blank=False),
                "in_report": bool(row.get("in_report", False)),
            }
        )
    for i, raw in enumerate(check.items(where, data, "ratings")):
        at = f"{where}, rating {i + 1}"
        row = check.object(at, raw)
        values = [check.text(at, row, k) for k in ("rater", "subject", "field", "value")]
        try:
            Rating(*values)
        except (ValidationError, ValueError, TypeError) as err:
            check.fail(at, " ".join(str(err).split()))
        ratings.append(
            {
                **dict(zip(("rater", "subject", "field", "value"), values, strict=True)),
                "rated_at": check.moment(at, row, "rated_at"),
            }
        )
    return snapshots, reflections, ratings


def _label(text: str) -> Callable[[dict[str, Any]], str]:
    """A row label for :func:`check_storable` that names the row ``text``."""
    return lambda _row: text


def _storable(check: _Checker, group: Group) -> None:
    """The rows fit their columns (the same rules as everywhere else in the store)."""
    for table, rows, noun in (
        (snapshots_table, group.snapshots, "snapshot"),
        (reflections_table, group.reflections, "note"),
        (ratings_table, group.ratings, "rating"),
    ):
        for i, row in enumerate(rows):
            try:
                check_storable(table, [row], _label(f"{group.where}, {noun} {i + 1}"))
            except ValidationError as err:
                check.problems.extend(err.problems)


def _thresholds(check: _Checker, where: str, value: Any) -> dict[str, int] | None:
    """A map's own thresholds, checked (``None``: the defaults, as in older backups)."""
    if not value:
        return None
    if not isinstance(value, dict):
        check.fail(where, "settings should be a JSON object")
        return None
    try:
        return Settings.from_dict(value).to_dict()
    except (MappingError, TypeError) as err:
        check.fail(where, str(err))
        return None


def read_plan(data: bytes | str) -> Plan:
    """Parse and check the whole file; ``FormatError`` or ``ValidationError`` listing problems."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            msg = "The backup is not UTF-8 text; is it really a Coalition Mapper backup?"
            raise FormatError(msg) from None
    try:
        document = json.loads(data)
    except json.JSONDecodeError as err:
        msg = f"The backup is not valid JSON (line {err.lineno}, column {err.colno}): {err.msg}."
        raise FormatError(msg) from None
    except RecursionError:
        msg = "The backup nests its data too deeply to read; is it a Coalition Mapper backup?"
        raise FormatError(msg) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        msg = "This file is not a Coalition Mapper backup (its format is not "
        msg += f"{FORMAT!r}); to bring in a single map, use Import instead."
        raise FormatError(msg)
    if document.get("version") != VERSION:
        msg = f"This backup is version {document.get('version')!r}; this app reads version "
        msg += f"{VERSION}. Restore it with the version of the app that made it."
        raise FormatError(msg)
    check = _Checker()
    groups = []
    for i, raw in enumerate(check.items("The backup", document, "maps")):
        entry = check.object(f"Map {i + 1}", raw)
        name = (entry.get("project") or {}).get("map", {}).get("name") if entry else None
        where = f"Map {i + 1} ({name!r})" if isinstance(name, str) else f"Map {i + 1}"
        try:
            m = project_json.from_dict(entry.get("project"))
        except MappingError as err:
            check.problems.extend(f"{where}: {p}" for p in getattr(err, "problems", [str(err)]))
            m = None
        try:
            plan = project_json.plan_from_dict(entry.get("project"))
        except MappingError as err:
            check.problems.extend(f"{where}: {p}" for p in getattr(err, "problems", [str(err)]))
            plan = ()
        header: dict[str, Any] = {
            "old_id": check.whole(where, entry, "id"),
            "version": check.whole(where, entry, "version"),
            "created_at": check.moment(where, entry, "created_at"),
            "updated_at": check.moment(where, entry, "updated_at"),
        }
        if header["version"] is not None and header["version"] < 1:
            check.fail(where, "version should be 1 or more")
        header["actions"] = plan
        header["settings"] = _thresholds(check, where, entry.get("settings") if entry else None)
        # a map that cannot be read still counts as one; the problems stop the restore
        groups.append(Group(where, m or Map(name="?"), header, *_history(check, where, entry)))
    for i, raw in enumerate(check.items("The backup", document, "deleted")):
        where = f"Deleted map {i + 1}"
        entry = check.object(where, raw)
        group = Group(where, None, {}, *_history(check, where, entry))
        group.deleted_with = check.whole(where, entry, "deleted_with", optional=True)
        groups.append(group)
    snapshot_ids = [s["old_id"] for g in groups for s in g.snapshots]
    if len(set(snapshot_ids)) != len(snapshot_ids):
        check.fail("The backup", "two snapshots have the same id; the file is damaged")
    for g in groups:
        _storable(check, g)
        for i, note in enumerate(g.reflections):
            if note["snapshot_id"] is not None and note["snapshot_id"] not in snapshot_ids:
                check.fail(f"{g.where}, note {i + 1}", "it is about a snapshot not in the file")
        if g.deleted_with is not None and g.deleted_with not in snapshot_ids:
            check.fail(g.where, "its last snapshot is not in the file")
    settings = document.get("settings", {})
    if not isinstance(settings, dict):
        check.fail("The backup", "settings should be a JSON object")
        settings = {}
    try:
        rows = [{"key": k, "value": v} for k, v in settings.items()]
        check_storable(settings_table, rows, lambda row: f"The setting {row['key'][:40]!r}")
    except ValidationError as err:
        check.problems.extend(err.problems)
    if check.problems:
        raise ValidationError(check.problems)
    return Plan(groups, settings, str(document.get("made_at", "")))
