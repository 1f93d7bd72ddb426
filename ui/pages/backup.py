"""Backup of everything: every map with its history as one file, and restoring such a file."""

from __future__ import annotations

from datetime import date

import streamlit as st

from mapping.errors import MappingError
from mapping.storage import backup
from ui import auth, cache, state
from ui.runner import run
from ui.text import md

BESIDE = "Add its maps beside the ones here"
REPLACE = "Replace everything here with the backup"


def page(cur: state.Current | None) -> None:
    del cur  # the backup is of every map, not the current one
    st.header("Backup of everything")
    if auth.user() is not None:
        st.info(
            "With sign-in on, a backup of everything would hold every user's maps, so it is "
            "made by whoever runs the server, from the command line: "
            "`python -m mapping backup FILE` and `python -m mapping restore FILE`."
        )
        return
    st.markdown(
        "One file holds every map with its snapshots, reflection notes and raters' views, "
        "the maps deleted but not yet forgotten, and the settings. Keep it somewhere safe: "
        "it holds everyone's private notes."
    )
    _download("Download a backup of everything")
    st.subheader("Restore a backup")
    upload = st.file_uploader(
        "Choose a backup file",
        type=["json"],
        key="backup-upload",
        help="A file made here or by `python -m mapping backup FILE`. Larger files than the "
        "upload limit can be restored from the command line.",
    )
    if upload is None:
        return
    data = upload.getvalue()
    try:
        summary = backup.read_backup(data)
    except MappingError as err:
        st.error(
            f"{md(upload.name)} cannot be restored, and nothing was changed:\n\n"
            + "\n".join(f"- {md(line)}" for line in str(err).splitlines())
        )
        return
    made = f", made {md(summary.made_at[:16].replace('T', ' '))} UTC" if summary.made_at else ""
    st.markdown(f"This backup{made} holds {summary}.")
    how = st.radio("How should it come back?", [BESIDE, REPLACE], key="backup-how")
    replace = how == REPLACE
    if replace:
        st.warning(
            "Every map here, with its snapshots, notes and ratings, and the settings, will be "
            "replaced by the backup. Keep a backup of what is here now first."
        )
        _download("Download a backup of what is here now", key="backup-before")
        sure = st.checkbox("I understand that everything here is replaced", key="backup-sure")
    else:
        sure = True
    if st.button("Restore the backup", type="primary", disabled=not sure):
        restored = backup.restore_backup(state.store(), data, replace=replace)
        cache.forget(state.store().url)  # every kept map, drawing and report of the database
        st.session_state.pop("undo", None)
        state.select(restored.map_ids[0] if restored.map_ids else None)
        st.session_state["flash"] = f"Restored {restored} from {upload.name}."
        st.rerun()


def _download(label: str, key: str = "backup-now") -> None:
    """A button that makes the backup file when pressed (not on every rerun)."""
    st.download_button(
        label,
        lambda: backup.backup(state.store()),
        file_name=f"coalition-mapper-backup-{date.today().isoformat()}.json",
        mime="application/json",
        icon=":material/backup:",
        key=key,
        on_click="ignore",
    )


if __name__ == "__main__":
    run(page, "Backup of everything", needs_map=False)
