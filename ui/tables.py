"""Editable tables: a canonical copy in the store, edits applied in an ``on_change`` callback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from mapping import history
from mapping.errors import MappingError
from mapping.model import Map
from ui import state
from ui.text import md


def editable_table(
    cur: state.Current,
    kind: str,
    frame: pd.DataFrame,
    apply: Callable[[Map, dict[str, Any]], Map],
    column_config: dict[str, Any],
) -> None:
    """Show ``frame`` in a data editor whose edits are applied to the map and saved.

    The editor's key carries the map version, so after a save it starts again from the
    stored data (the canonical copy); an invalid edit is shown with its message, kept in
    the table for correction, and nothing of it is saved. A viewer gets a read-only table.
    """
    if not cur.can_edit:  # a viewer sees the table but cannot change it
        st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config)
        return
    key = f"{kind}-editor-{cur.id}-{cur.version}"
    error_key = f"{kind}-error-{cur.id}"

    def on_change() -> None:
        edits = st.session_state[key]
        try:
            new = apply(cur.map, edits)
        except MappingError as err:
            st.session_state[error_key] = str(err)
            return
        st.session_state.pop(error_key, None)
        if new != cur.map:
            state.save(cur, new, f"edit {kind} table", snapshot=snapshot_reason(edits))

    st.data_editor(
        frame,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=column_config,
        on_change=on_change,
    )
    if error_key in st.session_state:
        lines = [line.removeprefix("- ") for line in st.session_state[error_key].splitlines()]
        st.error(
            "Nothing was saved from that edit:\n\n"
            + "\n".join(f"- {md(line)}" for line in lines if line.strip())
        )


def snapshot_reason(edits: dict[str, Any]) -> str | None:
    """Why a table edit needs an automatic snapshot first: a deletion, or rows changed in bulk.

    >>> snapshot_reason({"edited_rows": {0: {"Name": "Ann"}}, "added_rows": [], "deleted_rows": []})
    >>> snapshot_reason({"edited_rows": {0: {}, 3: {}}, "added_rows": [], "deleted_rows": []})
    'bulk edit'
    >>> snapshot_reason({"edited_rows": {}, "added_rows": [], "deleted_rows": [2]})
    'deletion'
    """
    if edits.get("deleted_rows"):
        return history.DELETION
    rows = len(edits.get("edited_rows") or {}) + len(edits.get("added_rows") or [])
    return history.BULK_EDIT if rows > 1 else None
