"""The map's library (vis-network), served once by the app and kept by the browser.

The map page is an HTML string in a same-origin frame, sent over the websocket on every
rerun. Carrying vis-network's script and style sheet (about 690 KB) in it made every visit
of the Map page send 400-770 KiB. With ``server.enableStaticServing`` (on in
``.streamlit/config.toml``) Streamlit serves the app's ``static/`` folder at
``/app/static/``: :func:`library_url` copies pyvis's bundled files there once per process
and the drawn page loads them from that path (the frame's document has the app's address, so
the path reaches the app's own server), which the browser keeps between visits. The folder
is named after vis-network's version, so a browser never keeps an older copy by mistake.
Nothing is fetched from the internet: the files come from the installed pyvis.

When static serving is off, or the folder cannot be written, the page carries the library
as before (``None``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import streamlit as st

from mapping.drawing.render import VIS_FOLDER, library_files

__all__ = ["STATIC", "library_url", "copy_library"]

#: The folder Streamlit serves at ``/app/static/``: ``static/`` beside ``app.py``.
STATIC = Path(__file__).resolve().parents[1] / "static"


def copy_library(folder: Path) -> bool:
    """Put vis-network's files in ``folder`` / :data:`VIS_FOLDER`, unless the same files are
    there already; return whether they are there now.

    Each file is written beside its place and renamed into it (a request never finds half a
    file), with the installed file's modification time, which the browser's cache goes by.

    >>> with tempfile.TemporaryDirectory() as d:
    ...     copy_library(Path(d)), sorted(p.name for p in (Path(d) / VIS_FOLDER).iterdir())
    (True, ['vis-network.css', 'vis-network.min.js'])
    """
    target = folder / VIS_FOLDER
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, source in library_files().items():
            place = target / name
            if place.is_file() and place.read_bytes() == source.read_bytes():
                continue
            handle, temporary = tempfile.mkstemp(dir=target, prefix=f".{name}.")
            os.close(handle)
            shutil.copy2(source, temporary)
            os.replace(temporary, place)
    except OSError:
        return False
    return True


@st.cache_resource(show_spinner=False)
def _copied() -> bool:
    """Whether the library is in :data:`STATIC`, copied there once per app process."""
    return copy_library(STATIC)


def library_url() -> str | None:
    """The path the drawn map loads vis-network from (``/app/static/vis-network-9.1.2``,
    below ``server.baseUrlPath`` if set), or ``None`` when the page must carry it."""
    if not st.get_option("server.enableStaticServing") or not _copied():
        return None
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + "/".join(part for part in (base, "app", "static", VIS_FOLDER) if part)
