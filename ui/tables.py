"""Tables: read-only ones with a safe CSV download, and editable ones whose edits are saved.

Streamlit's own table toolbar would download cells such as ``=HYPERLINK(...)`` raw, to run
as formulas when the file is opened; the app turns that download off
(``client.disableDataExport`` in ``.streamlit/config.toml``) and offers its own under each
table instead, written like every export (:func:`mapping.io.tabular_write.write_table_csv`).
Editable tables keep a canonical copy in the store and apply edits in an ``on_change``
callback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from mapping.errors import MappingError
from mapping.io.tabular_write import write_table_csv
from mapping.model import Map
from mapping.storage import history
from ui import state
from ui.boundary import refusing
from ui.table_enter import enter_ends_edits
from ui.text import md

__all__ = ["table", "csv_download", "table_csv", "editable_table", "save_edits", "snapshot_reason"]


def table(
    data: Any,
    name: str,
    *,
    column_config: Mapping[str, Any] | None = None,
    hide_index: bool = True,
    **kwargs: Any,
) -> None:
    """Show ``data`` as a read-only table with a download of the same rows as CSV.

    ``name`` names the file (``name.csv``) and keys the button: unique on a page.
    Other keyword arguments go to ``st.dataframe``.
    """
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    st.dataframe(frame, hide_index=hide_index, column_config=column_config, **kwargs)
    csv_download(frame, name, column_config)


def csv_download(frame: pd.DataFrame, name: str, column_config: Mapping[str, Any] | None) -> None:
    """A small button downloading ``frame`` as :func:`table_csv` writes it.

    The file is made when the button is clicked, and the click does not rerun the page:
    a rerun could drop the file before the browser fetched it.
    """
    if frame.empty:
        return
    name = "-".join(name.split())
    st.download_button(
        "Download this table (CSV)",
        lambda: table_csv(frame, column_config),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"table-csv-{name}",
        on_click="ignore",
        type="tertiary",
        icon=":material/download:",
    )


def table_csv(frame: pd.DataFrame, column_config: Mapping[str, Any] | None = None) -> bytes:
    """The rows of ``frame`` as CSV, with the column names and hidden columns the table shows.

    >>> frame = pd.DataFrame({"id": ["a"], "Name": ["@SUM(1)"], "score": [0.5]})
    >>> table_csv(frame, {"id": None, "score": {"label": "Score"}}).decode("utf-8-sig")
    "Name,Score\\r\\n'@SUM(1),0.5\\r\\n"
    """
    config = dict(column_config or {})
    shown = [c for c in frame.columns if not (c in config and config[c] is None)]
    headers = [_label(c, config.get(c)) for c in shown]
    cells = frame[shown].astype(object)
    rows = cells.where(frame[shown].notna(), None).to_numpy().tolist()
    return write_table_csv(headers, rows)


def _label(column: object, config: Any) -> str:
    if isinstance(config, str):
        return config
    if isinstance(config, Mapping) and config.get("label"):
        return str(config["label"])
    return str(column)


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
    the table for correction, and nothing of it is saved; a save refused (a colleague
    changed the same cell) is shown at the top of the page. A viewer gets a read-only
    table. Either way the stored rows can be downloaded as CSV.
    """
    if not cur.can_edit:  # a viewer sees the table but cannot change it
        table(frame, kind, column_config=column_config, width="stretch")
        return
    key = f"{kind}-editor-{cur.id}-{cur.version}"
    st.data_editor(
        frame,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=column_config,
        on_change=save_edits,
        args=(cur, kind, apply, key),
    )
    error_key = _error_key(cur, kind)
    if error_key in st.session_state:
        lines = [line.removeprefix("- ") for line in st.session_state[error_key].splitlines()]
        st.error(
            "Nothing was saved from that edit:\n\n"
            + "\n".join(f"- {md(line)}" for line in lines if line.strip())
        )
    csv_download(frame, kind, column_config)
    enter_ends_edits(f"{kind}-enter")  # last: it draws nothing but takes a gap


def _error_key(cur: state.Current, kind: str) -> str:
    return f"{kind}-error-{cur.id}"


@refusing
def save_edits(
    cur: state.Current, kind: str, apply: Callable[[Map, dict[str, Any]], Map], key: str
) -> None:
    """The editor's ``on_change``: apply the edits held under ``key`` and save the map.

    An edit the map refuses stays in the table with its message below it; a save refused
    because a colleague changed the same field meanwhile becomes the page's error message
    (see :func:`ui.boundary.refusing`), and the table starts again from what is stored.
    """
    edits = st.session_state[key]
    try:
        new = apply(cur.map, edits)
    except MappingError as err:
        st.session_state[_error_key(cur, kind)] = str(err)
        return
    st.session_state.pop(_error_key(cur, kind), None)
    if new != cur.map:
        state.save(cur, new, f"edit {kind} table", snapshot=snapshot_reason(edits))


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
