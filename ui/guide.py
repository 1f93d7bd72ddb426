"""The user guide (docs/guide.md) inside the app, pictures included: it needs no web access."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from ui.sections import opened

#: The guide, with its pictures in ``images/`` beside it.
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "guide.md"

_IMAGE = re.compile(r"^!\[(?P<alt>[^\]]+)\]\((?P<src>images/[\w.-]+\.png)\)\s*$")
_RELATIVE_LINK = re.compile(r"\[([^\]]+)\]\((?!https?:)[^)]+\)")


@dataclass(frozen=True)
class Section:
    """One ``##`` section of the guide: its heading and its Markdown."""

    title: str
    body: str


def sections(text: str) -> list[Section]:
    """The guide split at its ``##`` headings; the first section (title ``""``) is the opening.

    >>> [(s.title, s.body) for s in sections("# Guide\\nHello.\\n## One\\nA.\\n## Two\\nB.")]
    [('', 'Hello.'), ('One', 'A.'), ('Two', 'B.')]
    """
    found: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        if line.startswith("## "):
            found.append((line[3:].strip(), []))
        elif not line.startswith("# "):
            found[-1][1].append(line)
    return [Section(title, "\n".join(lines).strip()) for title, lines in found]


def pieces(body: str) -> list[tuple[str, str, str]]:
    """A section as ``("text", markdown, "")`` and ``("image", path, alt)`` pieces in order.

    Links to other files become their text (the app cannot open them); web links stay.

    >>> pieces("See [settings](settings.md).\\n![The map](images/map.png)\\nDone.")
    [('text', 'See settings.', ''), ('image', 'images/map.png', 'The map'), ('text', 'Done.', '')]
    """
    out: list[tuple[str, str, str]] = []
    text: list[str] = []

    def flush() -> None:
        joined = "\n".join(text).strip()
        if joined:
            out.append(("text", _RELATIVE_LINK.sub(r"\1", joined), ""))
        text.clear()

    for line in body.splitlines():
        found = _IMAGE.match(line)
        if found:
            flush()
            out.append(("image", found["src"], found["alt"]))
        else:
            text.append(line)
    flush()
    return out


def show_guide(path: Path = GUIDE) -> None:
    """The guide's opening, then one expander per section, with its pictures (sent when
    the section is opened)."""
    if not path.exists():
        st.info("The user guide is in docs/guide.md beside the app.")
        return
    parts = sections(path.read_text(encoding="utf-8"))
    for kind, value, _alt in pieces(parts[0].body):
        if kind == "text":
            st.markdown(value)
    for i, section in enumerate(parts[1:]):
        # a section's text and pictures are sent only while it is open: the page stays light
        with opened(section.title, f"guide-{i}", icon=":material/menu_book:") as shown:
            if not shown:
                continue
            for kind, value, alt in pieces(section.body):
                if kind == "text":
                    st.markdown(value)
                elif (path.parent / value).exists():
                    st.image(str(path.parent / value), caption=alt, alt=alt, output_format="PNG")
                else:
                    st.caption(f"Picture not taken yet: {alt}")
