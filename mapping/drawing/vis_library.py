"""Where the map page gets vis-network from: pyvis's bundled copy, inlined or served."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from markupsafe import Markup

__all__ = ["LIBRARY_PATH", "VIS_FILES", "VIS_FOLDER", "library_files", "vis_files"]

#: The folder a page names when it loads vis-network instead of carrying it (``library``
#: of :func:`mapping.drawing.render.render_html`): the version is in the name, so a
#: browser's copy never goes stale.
VIS_FOLDER = "vis-network-9.1.2"
#: vis-network's script and style sheet, as named in :data:`VIS_FOLDER`.
VIS_FILES = ("vis-network.min.js", "vis-network.css")
#: A place a page may load the library from: a path on the app's own server.
LIBRARY_PATH = re.compile(r"/(?:[A-Za-z0-9._-]+/)*[A-Za-z0-9._-]+")


def library_files() -> dict[str, Path]:
    """Where pyvis's bundled vis-network files are, by the name a page asks for them by
    (:data:`VIS_FILES`): what an app copies into the folder it serves ``library`` from.

    >>> sorted(library_files()) == sorted(VIS_FILES)
    True
    """
    folder = resources.files("pyvis") / "lib" / "vis-9.1.2"
    return {name: Path(str(folder / name)) for name in VIS_FILES}


@lru_cache(maxsize=1)
def vis_files() -> tuple[Markup, Markup]:
    """vis-network's JS and CSS as bundled with pyvis, checked safe to inline."""
    folder = resources.files("pyvis") / "lib" / "vis-9.1.2"
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "<!--" in js or "</style" in css.lower():
        msg = "pyvis's bundled vis-network cannot be inlined safely; reinstall pyvis 0.3.2."
        raise RuntimeError(msg)
    return Markup(js), Markup(css)
