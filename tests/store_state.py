"""Helpers for store tests: everything a database holds, and failures injected half-way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select

from mapping.analysis.headline import figures_with
from mapping.io import project_json
from mapping.storage import history
from mapping.storage.migrations import declared_metadata
from mapping.storage.store import Store

__all__ = ["InjectedFailure", "database_state", "fail_at", "rich_store"]


class InjectedFailure(RuntimeError):
    """The failure a test makes happen in the middle of a write."""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return value


def database_state(store: Store) -> dict[str, Any]:
    """Every row of every table (by key), each map as project JSON, and the snapshot lists."""
    state: dict[str, Any] = {}
    with store.engine.connect() as conn:
        for table in declared_metadata().sorted_tables:
            keys = list(table.primary_key.columns) or list(table.c)
            state[table.name] = [
                tuple(_plain(v) for v in row) for row in conn.execute(select(table).order_by(*keys))
            ]
    maps = store.list_maps()
    state["project JSON"] = {i.id: project_json.dumps(store.load_map(i.id)) for i in maps}
    state["versions"] = {i.id: i.version for i in maps}
    state["snapshot lists"] = {i.id: history.list_snapshots(store, i.id) for i in maps}
    state["deleted maps"] = history.deleted_maps(store)
    return state


@contextmanager
def fail_at(store: Store, statement: str, *, after: int = 0) -> Iterator[list[str]]:
    """Raise ``InjectedFailure`` when the store is about to run the ``after``-th (from 0)
    statement starting with ``statement`` (such as "INSERT INTO relationships"); yields the
    statements run so far, to show how far the write got."""
    seen: list[str] = []

    wanted = statement.upper()

    def before(conn, cursor, sql, parameters, context, executemany):
        text = " ".join(sql.split())
        matching = sum(1 for s in seen if s.upper().startswith(wanted))
        if text.upper().startswith(wanted) and matching == after:
            raise InjectedFailure(f"injected failure before: {text[:60]}")
        seen.append(text)

    event.listen(store.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", before)


def rich_store(store: Store, small_map) -> dict[str, int]:
    """Fill ``store`` with two maps, snapshots, notes, ratings, settings and a deleted map."""
    from dataclasses import replace

    from mapping.changes.ratings import Rating
    from mapping.storage import rating_store, reflections

    first = store.create_map(replace(small_map, positions={"ann": (1.5, -2.0)}))
    second = store.create_map(replace(small_map, name="Second map", description="Zoë’s copy"))
    gone = store.create_map(replace(small_map, name="Deleted one"))
    march = history.take_snapshot(store, first, "March board")
    history.snapshot_figures(store, march, figures_with)
    store.save_map(first, small_map.with_stakeholders(small_map.stakeholders[:4]))
    history.take_snapshot(store, first, reason=history.BULK_EDIT)
    reflections.add_reflection(
        store, first, "Council link weak", author="the team", snapshot_id=march, in_report=True
    )
    reflections.add_reflection(store, second, "Ask Bob <b>now</b>")
    rating_store.save_rating(store, first, Rating("Council", "cat", "stance", "opposed"))
    rating_store.save_rating(store, first, Rating("ICB", "r1", "strength", 4))
    history.take_snapshot(store, gone, "Before it went")
    reflections.add_reflection(store, gone, "Why we stopped")
    rating_store.save_rating(store, gone, Rating("Council", "ann", "influence", 2))
    last = history.delete_map_keeping_history(store, gone)
    store.save_settings({"thresholds": {"high_influence": 4, "strong_tie": 3}, "theme": "dark"})
    return {"first": first, "second": second, "deleted": last, "march": march}
