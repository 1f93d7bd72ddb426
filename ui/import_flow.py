"""Importing spreadsheets: preview the rows, match unknown values, then create or merge.

One or several CSV files, zips of CSV files and Excel workbooks are read together
(:mod:`mapping.io.tabular_import`). The page shows, in order: the values the map does not
know, each with a choice (suggested, or remembered from the last file of the same shape);
the rows of people and of relationships as tables with each row's problem beside it; the
choice to import the good rows and a download of the refused ones; then the button that
creates the map or merges it. Nothing is written before that button.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from mapping.errors import MappingError
from mapping.io import matching, tabular_import
from mapping.io.records import Record, Refused
from mapping.model import Map
from mapping.model.wording import count_of
from mapping.storage import settings as stored
from ui import auth, state
from ui.text import md, message, plain

__all__ = ["tabular_import_step", "remembered_choices", "remember_choices"]

#: What leaving a value blank means, by kind.
_BLANK_MEANS = {
    "perspective": "other",
    "stance": "unknown",
    "type": "collaborates",
    "coalition": "no",
    "directed": "no (mutual)",
}


def remembered_choices(shape: str) -> dict[str, dict[str, str]]:
    """The choices this user made for the last file of this shape (none yet: empty)."""
    memory = stored.preferences(state.store(), auth.user()).get(matching.MEMORY_KEY)
    return matching.remembered(memory, shape)


def remember_choices(shape: str, choices: matching.Choices) -> None:
    """Keep this user's choices for the next file of this shape (at most 30 shapes)."""
    if not any(choices.values()):
        return
    store, user = state.store(), auth.user()
    memory = stored.preferences(store, user).get(matching.MEMORY_KEY)
    stored.save_preference(
        store, user, matching.MEMORY_KEY, matching.remember(memory, shape, choices)
    )


#: Where the session keeps the rows of the files last uploaded (see :func:`_gathered`).
_GATHERED = "import-gathered"


def _gathered(files: tuple[tuple[str, bytes], ...]) -> tabular_import.Tables:
    """The files' rows, read once for the reruns that each choice makes: kept in this
    session only (an upload is nobody else's), under the digest of the files' names and
    bytes. What reads them (vocabulary, find_unknowns, read_tables, refused_files) only
    reads: choices make new records, so the kept rows are handed out as they are."""
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(hashlib.sha256(name.encode("utf-8")).digest())
        digest.update(hashlib.sha256(data).digest())
    kept = st.session_state.get(_GATHERED)
    if kept is None or kept[0] != digest.hexdigest():
        with st.spinner("Reading the files…"):
            kept = (digest.hexdigest(), tabular_import.gather(files))
        st.session_state[_GATHERED] = kept
    return kept[1]


def _option_label(kind: str, value: str) -> str:
    if value == matching.ADD:
        return "Add it as a new " + ("perspective" if kind == "perspective" else "type")
    if value == matching.BLANK:
        return f"Leave it blank (read as {_BLANK_MEANS[kind]})"
    return plain(value)


def _labeller(kind: str) -> Callable[[str], str]:
    """How the select box for an unknown value of ``kind`` shows each option."""
    return lambda value: _option_label(kind, value)


def _match_step(
    unknowns: Sequence[matching.Unknown],
    perspectives: Sequence[str],
    types: Sequence[str],
    remembered: matching.Choices,
    key: str,
) -> dict[str, dict[str, str]]:
    """A select box for each unknown value; the choices made."""
    choices: dict[str, dict[str, str]] = {}
    if not unknowns:
        return choices
    st.subheader("Values this map does not know")
    st.caption(
        "Say what each value means. The suggestions come from the spelling and common other "
        "names; your choices are remembered for the next file with the same columns and values."
    )
    if any(remembered.values()):
        st.caption("Your choices from the last file like this one are filled in.")
    columns = st.columns(2)
    for i, u in enumerate(unknowns):
        known = list(matching.known_values(u.kind, perspectives, types))
        options = [*known, *([matching.ADD] if u.kind in matching.ADDABLE else []), matching.BLANK]
        wanted = remembered.get(u.kind, {}).get(u.key, u.suggestion)
        if wanted not in options:
            wanted = matching.BLANK
        rows = f"{u.rows} row{'s' if u.rows != 1 else ''}"
        picked = columns[i % 2].selectbox(
            f"{matching.KIND_LABELS[u.kind]} {md(repr(u.value))} ({rows})",
            options,
            index=options.index(wanted),
            format_func=_labeller(u.kind),
            key=f"match-{key}-{u.kind}-{u.key}",
        )
        choices.setdefault(u.kind, {})[u.key] = picked
    return choices


def _rows_table(records: Sequence[Record], problems: dict[tuple[str, str], str]) -> pd.DataFrame:
    """The rows as read, a File column when they come from several, and each row's problem."""
    sources = list(dict.fromkeys(r.source for r in records))
    headers = list(dict.fromkeys(h for r in records for h in r.values))
    rows = []
    for r in records:
        row = {"File": r.source} if len(sources) > 1 else {}
        row["Row"] = r.label
        row.update({h: r.values.get(h, "") for h in headers})
        row["Problem"] = problems.get((r.source, r.label), "")
        rows.append(row)
    return pd.DataFrame(rows)


def _preview(tables: tabular_import.Tables, outcome: tabular_import.Outcome) -> None:
    """Counts, then the people and the relationships as tables with a Problem column."""
    m = outcome.map
    problems = {(r.record.source, r.record.label): r.problem for r in outcome.refused}
    bad = len(outcome.refused)
    st.subheader("Preview")
    st.markdown(
        f"**{count_of(len(m.stakeholders), 'stakeholder')}** and "
        f"**{count_of(len(m.relationships), 'relationship')}** can be imported"
        + (
            f"; **{count_of(bad, 'row')}** {'has' if bad == 1 else 'have'} a problem."
            if bad
            else "."
        )
    )
    if tables.people_are_made:
        st.info(
            "This file holds relationships only: a stakeholder is made for each name it "
            f"mentions, tagged '{tabular_import.ADDED_TAG}' and due for review today, so that "
            "you can fill in who they are."
        )
    for note in tables.notes:
        st.caption(md(note))
    people, ties = st.tabs(
        [f"Stakeholders ({len(tables.people)} rows)", f"Relationships ({len(tables.ties)} rows)"]
    )
    with people:
        if tables.people:
            st.dataframe(_rows_table(tables.people, problems), hide_index=True)
        elif tables.people_are_made:
            made = pd.DataFrame({"Name": [s.name for s in m.stakeholders]})
            st.dataframe(made, hide_index=True)
        else:
            st.caption("No rows of stakeholders.")
    with ties:
        if tables.ties:
            st.dataframe(_rows_table(tables.ties, problems), hide_index=True)
        else:
            st.caption("No rows of relationships.")


def _refused_downloads(tables: tabular_import.Tables, refused: Sequence[Refused]) -> None:
    for i, (filename, content) in enumerate(tabular_import.refused_files(tables, refused)):
        st.download_button(
            f"Download the refused rows of {filename.removesuffix('-refused.csv')} (CSV)",
            content,
            file_name=filename,
            mime="text/csv",
            icon=":material/download:",
            key=f"refused-{i}-{filename}",
            on_click="ignore",
        )


def tabular_import_step(
    label: str,
    files: Sequence[tuple[str, bytes]],
    key: str,
    into: Map | None,
    finish: Callable[[Map, Callable[[], None]], None],
) -> None:
    """Read spreadsheets with the user's choices, preview them, and hand the map to
    ``finish`` (with a callback that remembers the choices, to call on importing) when the
    user accepts the rows that can be read. ``into`` is the map merged into (``None``: a
    new map, whose vocabulary comes from the files and the defaults)."""
    try:
        tables = _gathered(tuple(files))
    except MappingError as err:
        _refused(label, err)
        return
    perspectives, types = tabular_import.vocabulary(tables, into)
    unknowns = tabular_import.find_unknowns(tables, perspectives, types)
    shape = matching.shape_key(tables.all_headers(), unknowns)
    choices = _match_step(unknowns, perspectives, types, remembered_choices(shape), key)
    try:
        outcome = tabular_import.read_tables(tables, into=into, choices=choices, skip_bad_rows=True)
    except MappingError as err:
        _refused(label, err)
        return
    _preview(tables, outcome)
    refused, m = outcome.refused, outcome.map
    good = len(tables.people) + len(tables.ties) - len(refused)
    if refused and good <= 0:
        shown = [f"- {r.record.source}: {r.record.label}: {r.problem}" for r in refused[:10]]
        more = [f"- and {len(refused) - 10} more rows"] if len(refused) > 10 else []
        st.error(
            f"{md(label)} cannot be imported: no row can be read.\n\n"
            + message("\n".join([*shown, *more]))
        )
        _refused_downloads(tables, refused)
        return
    if refused:
        _refused_downloads(tables, refused)
        if not st.checkbox(
            f"Import the {good} good rows and leave out the {len(refused)} with problems",
            key=f"partial-{key}",
            help="Download the refused rows, fix them and import that file into this map.",
        ):
            st.info("Fix the rows marked in the Problem column and upload again, or tick above.")
            return
    finish(m, lambda: remember_choices(shape, choices))


def _refused(label: str, err: MappingError) -> None:
    st.error(
        f"{md(label)} cannot be imported:\n\n"
        + message("\n".join(f"- {line}" for line in str(err).splitlines()))
    )
