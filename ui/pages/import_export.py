"""Import & export: bring maps in with a preview, take them out in open formats."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

import streamlit as st

from mapping.changes.merge import apply_import, plan_import
from mapping.changes.privacy import key_csv, redact
from mapping.drawing.picture import map_svg
from mapping.errors import MappingError
from mapping.io import formats, kumu, project_json, tabular_import, tabular_write
from mapping.io.safety import unportable_characters
from mapping.model import Map
from mapping.report.html import report_html
from mapping.report.pdf import report_pdf
from mapping.storage import access, history
from mapping.storage.actions import list_actions
from mapping.storage.reflections import list_reflections
from mapping.storage.store import check_map
from ui import auth, state
from ui.import_flow import tabular_import_step
from ui.reports import gap_report
from ui.runner import run
from ui.text import md

NEW = "Into a new map"
KUMU_FORMATS = {"kumu-json", "kumu-xlsx"}
KUMU_ROLES = {
    "perspective": "Perspective",
    "stance": "Stance",
    "influence": "Influence",
    "interest": "Interest",
    "organisation": "Organisation",
    "role": "Role",
    "coalition": "In coalition",
    "strength": "Relationship strength",
}


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "map"


def page(cur: state.Current | None) -> None:
    st.header("Import & export")
    if cur is None:  # no map yet (a new user, signed in): importing is a way to start
        st.caption("There is no map to export yet: import a file to start one.")
        _import(None)
        return
    export, bring_in = st.tabs(["Export", "Import"])
    with export:
        _export(cur)
    with bring_in:
        _import(cur)


def _report(cur: state.Current) -> None:
    m = cur.map
    slug = _slug(m.name)
    st.subheader("Coalition report for your board")
    st.caption(
        "The map, headline figures, coverage and power/interest charts, and every finding with "
        "its suggested action, dated today."
    )
    left, right = st.columns(2)
    notes = left.toggle("Include private notes in the report", value=False)
    chosen = list_reflections(state.store(), cur.id, in_report=True)
    reflect = right.toggle(
        f"Include the {len(chosen)} reflections chosen for reports",
        value=bool(chosen),
        disabled=not chosen,
        help="Choose reflections on the Reflect page (Reflection log).",
    )
    today = date.today()
    analysis = gap_report(cur, today)
    texts = [f"{r.written_on:%d %B %Y} ({r.author}): {r.text}" for r in chosen] if reflect else []
    plan = list_actions(state.store(), cur.id)  # "What we agreed and what happened"
    left.download_button(
        "Report as PDF",
        lambda: report_pdf(
            m, analysis, today=today, include_notes=notes, reflections=texts, plan=plan
        ),
        file_name=f"{slug}-coalition-report.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
    )
    right.download_button(
        "Report as a web page (HTML)",
        lambda: report_html(
            m, analysis, today=today, include_notes=notes, reflections=texts, plan=plan
        ).encode("utf-8"),
        file_name=f"{slug}-coalition-report.html",
        mime="text/html",
        icon=":material/article:",
        on_click="ignore",
    )


def _export(cur: state.Current) -> None:
    m = cur.map
    slug = _slug(m.name)
    _report(cur)
    st.subheader("Complete backup")
    st.download_button(
        "Project file (JSON, everything)",
        lambda: project_json.dumps(m).encode("utf-8"),  # made when asked for
        file_name=f"{slug}.coalition.json",
        mime="application/json",
        icon=":material/download:",
        help="Everything, private notes included; opens again in Coalition Mapper exactly as it is.",
        on_click="ignore",
    )
    st.subheader("Share or open in another tool")
    left, right = st.columns(2)
    include_notes = left.toggle(
        "Include notes and private fields",
        value=False,
        help="Notes, 'how we know' and custom fields hold judgements about people.",
    )
    if not include_notes:
        left.caption(
            "Left out of these files: the Notes and How we know columns (blank) and every "
            "custom field. Tick above to include them."
        )
    pseudonymise = right.toggle(
        "Replace names with codes",
        value=False,
        help="Consistent codes (P001…, O01…) for sharing outside the team; the key is a "
        "separate download to keep apart from the file.",
    )
    shared, key = redact(
        m, include_notes=include_notes, include_custom=include_notes, pseudonymise=pseudonymise
    )
    findings = gap_report(cur).findings if not pseudonymise else ()
    awkward = unportable_characters(shared)
    if awkward:
        st.warning(
            "Some text holds characters that GraphML, GEXF and spreadsheets cannot store "
            "(usually pasted control characters): "
            + "; ".join(md(p) for p in awkward[:5])
            + ". Those exports would be refused; the project file keeps everything."
        )
    choices = [f for f in formats.FORMATS if f.writer is not None and f.name != "project"]
    columns = st.columns(3)
    for i, fmt in enumerate(choices):
        columns[i % 3].download_button(
            fmt.label,
            partial(formats.write_file, shared, fmt.name, findings=findings),
            file_name=f"{slug}{fmt.extensions[0]}",
            mime=fmt.media_type,
            icon=":material/download:",
            key=f"export-{fmt.name}",
            disabled=bool(awkward) and fmt.name not in ("node-link", "kumu-json"),
            on_click="ignore",
        )
    columns[len(choices) % 3].download_button(
        "Picture of the map (SVG)",
        lambda: map_svg(shared, today=date.today()).encode("utf-8"),
        file_name=f"{slug}-map.svg",
        mime="image/svg+xml",
        icon=":material/image:",
        on_click="ignore",
    )
    if pseudonymise:
        st.download_button(
            "Key to the codes (CSV) — keep it apart from the shared file",
            partial(key_csv, key),
            file_name=f"{slug}-pseudonym-key.csv",
            mime="text/csv",
            icon=":material/key:",
            on_click="ignore",
        )


def _import(cur: state.Current | None) -> None:
    _templates()
    uploads = st.file_uploader(
        "Choose map files",
        type=["json", "graphml", "gexf", "xlsx", "csv", "zip"],
        accept_multiple_files=True,
        help="Coalition Mapper project file, GraphML, GEXF, Excel, CSV (or a zip of CSVs), "
        "or a Kumu workbook or JSON export. Several CSV files or workbooks (people in one, "
        "relationships in another) are read together as one map.",
    )
    st.caption(
        "You will see what changes before anything is written, and a failed import writes nothing."
    )
    if not uploads:
        return
    files = [(u.name, u.getvalue()) for u in uploads]
    label = " and ".join(name for name, _ in files) if len(files) <= 3 else f"{len(files)} files"
    digest = hashlib.sha256(
        b"".join(hashlib.sha256(n.encode() + d).digest() for n, d in files)
    ).hexdigest()
    try:
        kinds = [formats.detect_format(name, data).name for name, data in files]
    except MappingError as err:
        _refused(label, err)
        return
    tabular = all(k in tabular_import.TABULAR_FORMATS for k in kinds)
    if len(files) > 1 and not tabular:
        _refused(
            label,
            "Only CSV files, zips of CSV files and Excel workbooks can be imported together; "
            "import other files one at a time.",
        )
        return
    into = [NEW]
    if cur is not None and cur.can_edit:
        into.append(f"Merge into {md(repr(cur.map.name))}")
    target = st.radio("Where should it go?", into, horizontal=True, key=f"import-target-{digest}")
    merging = cur if cur is not None and target != NEW else None

    def finish(incoming: Map, remember: Callable[[], None] = lambda: None) -> None:
        if merging is None:
            _into_new_map(label, digest, incoming, remember)
        else:
            _merge(merging, label, incoming, remember)

    if tabular:
        tabular_import_step(label, files, digest, merging.map if merging else None, finish)
        return
    ((name, data),) = files
    try:
        incoming = _read(name, data, kinds[0], merging.map if merging else None)
    except MappingError as err:
        _refused(name, err)
        return
    finish(incoming)


def _merge(cur: state.Current, label: str, incoming: Map, remember: Callable[[], None]) -> None:
    """What merging the file changes, then the button that merges it."""
    plan = plan_import(cur.map, incoming)
    st.text(plan.summary())
    if plan.changes_nothing:
        st.success("This file holds nothing new for this map.")
        return
    new = apply_import(cur.map, plan)
    try:
        check_map(new)  # what saving checks, before the user is offered the button
    except MappingError as err:
        _refused(label, err)
        return
    if st.button("Merge into this map", type="primary"):
        remember()
        state.save(cur, new, f"import {label}", snapshot=history.IMPORT)
        st.rerun()


def _refused(filename: str, err: MappingError | str) -> None:
    st.error(
        f"{md(filename)} cannot be imported:\n\n"
        + "\n".join(f"- {md(line)}" for line in str(err).splitlines())
    )


def _into_new_map(
    filename: str, digest: str, incoming: Map, remember: Callable[[], None] = lambda: None
) -> None:
    """Preview, then create, the new map: once per upload, with exactly the checks that
    creating it makes."""
    db, user = state.store(), auth.user()
    made = st.session_state.setdefault("imported", {}).get(digest)
    visible = {info.id: info for info in state.visible_maps()}
    if made in visible:  # this upload is a map already: say so, never make a second
        st.success(f"Created the map {md(visible[made].name)} from {md(filename)}.")
        if st.session_state.get("map_id") != made and st.button("Open it", type="primary"):
            state.select(made)
            st.rerun()
        return
    named = replace(incoming, name=access.new_map_name(db, incoming.name or filename, user))
    try:
        check_map(named)
    except MappingError as err:
        _refused(filename, err)
        return
    st.markdown(
        f"A new map **{md(named.name)}** with {len(named.stakeholders)} stakeholders and "
        f"{len(named.relationships)} relationships."
    )
    if st.button("Create the map", type="primary", key=f"import-create-{digest}"):
        remember()
        with db.transaction():  # the map and its baseline snapshot, or neither
            new_id = access.create_map(db, named, user)
            history.take_snapshot(db, new_id, f"As imported from {filename}", reason=history.IMPORT)
        st.session_state["imported"][digest] = new_id
        state.select(new_id)
        st.session_state["flash"] = f"Imported {filename} as a new map."
        st.rerun()


def _templates() -> None:
    st.markdown(
        "**Starting from a spreadsheet?** Fill in a template; each column is explained. "
        "Your own files work too: a sheet or file of people needs a Name column, one of "
        "relationships From and To columns."
    )
    left, right = st.columns(2)
    left.download_button(
        "Excel template",
        tabular_write.template_excel,
        file_name="coalition-mapper-template.xlsx",
        mime=formats.get_format("excel").media_type,
        icon=":material/table_view:",
        on_click="ignore",
    )
    right.download_button(
        "CSV templates (zip)",
        tabular_write.template_csv_zip,
        file_name="coalition-mapper-template.zip",
        mime="application/zip",
        icon=":material/folder_zip:",
        on_click="ignore",
    )


def _read(name: str, data: bytes, fmt: str, into: Map | None) -> Map:
    """Read one file that is not a spreadsheet, letting the user map a Kumu file's fields
    first; ``into`` is the map it will be merged into (``None``: a new map)."""
    if fmt in KUMU_FORMATS:
        return _kumu(name, data, into)
    return formats.read_file(name, data)


def _kumu(name: str, data: bytes, into: Map | None) -> Map:
    preview = kumu.inspect_kumu(name, data)
    st.info(
        f"A Kumu {preview.layout} file: {preview.element_rows} elements and "
        f"{preview.connection_rows} connections."
    )
    fields = [f.name for f in (*preview.element_fields, *preview.connection_fields)]
    choices = ["(none)", *dict.fromkeys(fields)]
    # Any: the fields of KumuFields to replace, role -> Kumu field name, and the perspectives
    chosen: dict[str, Any] = {}
    with st.expander("Match Kumu fields to Coalition Mapper's", expanded=True):
        columns = st.columns(2)
        for i, (role, label) in enumerate(KUMU_ROLES.items()):
            suggested = getattr(preview.suggested, role)
            match = next((c for c in choices if c.casefold() == suggested.casefold()), "(none)")
            pick = columns[i % 2].selectbox(
                label, choices, index=choices.index(match), key=f"kumu-{role}-{name}"
            )
            chosen[role] = "" if pick == "(none)" else pick
        samples = {
            f.name: ", ".join(map(str, f.values)) for f in preview.element_fields if f.values
        }
        if chosen["perspective"] in samples:
            field = chosen["perspective"]
            st.caption(f"Values of {md(field)}: {md(samples[field])}")
    if into is not None:  # a merge reads with the map's perspectives; a new map, the file's
        chosen["perspectives"] = into.perspectives
    fields_used = replace(preview.suggested, **chosen)
    result = kumu.import_kumu(name, data, fields_used)
    for note in result.notes:
        st.caption(md(note))
    return result.map


if __name__ == "__main__":
    run(page, "Import & export", needs_map=False)
