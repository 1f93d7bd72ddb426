"""Reflection notes: dated notes about a map or one of its snapshots, written as me or the team."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, insert, select, update

from mapping.errors import NotFoundError, ValidationError
from mapping.model.wording import long_date
from mapping.storage.history import get_snapshot
from mapping.storage.schema import check_storable, inserted_id, reflections_table
from mapping.storage.store import Store

__all__ = [
    "AUTHORS",
    "PROMPTS",
    "Reflection",
    "add_reflection",
    "list_reflections",
    "include_in_report",
    "delete_reflection",
    "reflections_markdown",
]

AUTHORS = ("me", "the team")
#: Prompts for reflection: the closing questions of the King's Fund report (Timmins 2015).
PROMPTS = (
    "Where are the key relationships which need investment?",
    "What support networks do I have internally and externally?",
    "How do we build in resilience (personal, organisational and system)?",
    "How do I reflect individually and how do we reflect collectively?",
    "How are staff and stakeholders supported to adopt new ways of working?",
    "How are new leaders, throughout the system, supported to become system leaders?",
)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Reflection:
    """A dated note about a map, or about one of its snapshots."""

    id: int
    map_id: int | None
    snapshot_id: int | None
    written_on: date
    written_at: datetime
    author: str
    prompt: str
    text: str
    in_report: bool = False


def _escape(text: str) -> str:
    """User text safe in Markdown: no HTML, links, emphasis or table cells."""
    return "".join("\\" + c if c in "\\`*_[]<>|#" else c for c in text)


def add_reflection(
    store: Store,
    map_id: int,
    text: str,
    *,
    author: str = "me",
    prompt: str = "",
    on: date | None = None,
    snapshot_id: int | None = None,
    in_report: bool = False,
) -> int:
    """Keep a dated note about the map (or one of its snapshots); return its id.

    >>> from mapping.model import Map
    >>> store = Store("sqlite://")
    >>> map_id = store.create_map(Map(name="Discharge"))
    >>> _ = add_reflection(store, map_id, "Ask Priya to chair", author="the team",
    ...                    prompt=PROMPTS[0], on=date(2026, 3, 2))
    >>> [(r.author, r.written_on.isoformat()) for r in list_reflections(store, map_id)]
    [('the team', '2026-03-02')]
    """
    text = str(text).strip()
    if not text:
        msg = "The note is empty; write what you noticed."
        raise ValidationError(msg)
    if author not in AUTHORS:
        msg = f"A note is written as {' or '.join(map(repr, AUTHORS))}, not {author!r}."
        raise ValidationError(msg)
    now = _now()
    row = {
        "map_id": map_id,
        "snapshot_id": snapshot_id,
        "written_on": on or now.astimezone().date(),
        "written_at": now,
        "author": author,
        "prompt": str(prompt).strip(),
        "text": text,
        "in_report": bool(in_report),
    }
    check_storable(reflections_table, [row], lambda _row: "The note")
    with store.transaction() as conn:
        store.version(map_id)
        if snapshot_id is not None and get_snapshot(store, snapshot_id).map_id != map_id:
            msg = "That snapshot belongs to another map; attach the note to this map's snapshots."
            raise ValidationError(msg)
        new_id = inserted_id(conn.execute(insert(reflections_table).values(**row)))
    return new_id


def list_reflections(
    store: Store,
    map_id: int,
    *,
    search: str = "",
    snapshot_id: int | None = None,
    in_report: bool | None = None,
) -> list[Reflection]:
    """The map's notes, newest first.

    ``search`` keeps notes whose text, prompt or author hold every word of it (any case);
    ``snapshot_id`` those about one snapshot; ``in_report`` those chosen (or not) for reports.
    """
    t = reflections_table
    query = select(t).where(t.c.map_id == map_id)
    if snapshot_id is not None:
        query = query.where(t.c.snapshot_id == snapshot_id)
    if in_report is not None:
        query = query.where(t.c.in_report.is_(bool(in_report)))
    query = query.order_by(
        reflections_table.c.written_on.desc(),
        reflections_table.c.written_at.desc(),
        reflections_table.c.id.desc(),
    )
    with store.transaction() as conn:
        rows = conn.execute(query).all()
    words = search.casefold().split()
    notes = []
    for row in rows:
        haystack = f"{row.text}\n{row.prompt}\n{row.author}".casefold()
        if all(w in haystack for w in words):
            notes.append(
                Reflection(
                    id=row.id,
                    map_id=row.map_id,
                    snapshot_id=row.snapshot_id,
                    written_on=row.written_on,
                    written_at=_aware(row.written_at),
                    author=row.author,
                    prompt=row.prompt,
                    text=row.text,
                    in_report=bool(row.in_report),
                )
            )
    return notes


def include_in_report(store: Store, reflection_id: int, chosen: bool = True) -> None:
    """Choose whether a note goes into reports (notes stay out until chosen)."""
    t = reflections_table
    with store.transaction() as conn:
        found = conn.execute(
            update(t).where(t.c.id == reflection_id).values(in_report=bool(chosen))
        ).rowcount
    if not found:
        msg = f"There is no note with id {reflection_id}; it may have been deleted."
        raise NotFoundError(msg)


def delete_reflection(store: Store, reflection_id: int) -> None:
    """Forget a note."""
    with store.transaction() as conn:
        conn.execute(delete(reflections_table).where(reflections_table.c.id == reflection_id))


def reflections_markdown(
    notes: Iterable[Reflection], snapshot_names: Mapping[int, str] | None = None
) -> str:
    """Chosen notes as a Markdown section for the coalition report (empty if none).

    >>> note = Reflection(1, 1, None, date(2026, 3, 2), datetime(2026, 3, 2, tzinfo=UTC),
    ...                   "the team", PROMPTS[0], "Invest in the council link.")
    >>> print(reflections_markdown([note]))
    ## Reflections
    <BLANKLINE>
    - **2 March 2026, the team** — *Where are the key relationships which need investment?* Invest in the council link.
    <BLANKLINE>
    """
    names = snapshot_names or {}
    lines = []
    for n in notes:
        shot = n.snapshot_id
        about = (
            f" (on snapshot {_escape(names[shot])})" if shot is not None and shot in names else ""
        )
        prompt = f"*{_escape(n.prompt)}* " if n.prompt else ""
        text = _escape(" ".join(n.text.split()))
        lines.append(f"- **{long_date(n.written_on)}, {n.author}**{about} — {prompt}{text}")
    return "## Reflections\n\n" + "\n".join(lines) + "\n" if lines else ""
