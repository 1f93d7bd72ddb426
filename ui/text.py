"""Show user text as typed: escaping for Streamlit's Markdown.

Streamlit renders Markdown (with HTML off) in ``st.markdown``, ``st.caption``, messages,
headings, and in the labels, options and help texts of widgets. Text people typed — names,
organisations, notes, map names, file names, and the messages that quote them — goes through
:func:`md` before it reaches one of those: every character that means something to Markdown,
to GitHub's extensions (tables, strikethrough, links written as plain addresses) or to
Streamlit's own (``:red[…]`` colours, ``:smile:`` emoji, ``:material/…:`` icons, ``$`` maths)
is escaped; the invisible characters that reorder text (U+202E and its kind) cannot reverse
the words after the text, and text written right to left is isolated from its surroundings.
"""

from __future__ import annotations

import re
import unicodedata

_MARKDOWN = frozenset("\\`*_{}[]()#+-.!|<>~$:&=")

#: First Strong Isolate and Pop Directional Isolate: the text between them is laid out on
#: its own, and its direction cannot reach the text around it (Unicode Bidirectional
#: Algorithm, rules X5c and X6a), nor decide the direction of the paragraph.
FSI, PDI = "\u2068", "\u2069"

#: Word joiner: invisible, and enough to stop a plain address or an emoji code being
#: recognised as one (both must start at a space, punctuation, or a ``:``).
WJ = "\u2060"

#: Invisible characters that set or change the direction of text.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE RLE PDF LRO RLO
    "\u2066\u2067\u2068\u2069"  # LRI RLI FSI PDI
    "\u200e\u200f\u061c"  # LRM RLM ALM
)
_ISOLATE_START = frozenset("\u2066\u2067\u2068")
_EMBEDDING_START = frozenset("\u202a\u202b\u202d\u202e")
PDF = "\u202c"
_RIGHT_TO_LEFT = frozenset(("R", "AL"))
#: Where a paragraph of the Bidirectional Algorithm ends (class B), and Markdown's lines.
_PARAGRAPH_END = re.compile("(\r\n|[\n\r\x1c\x1d\x1e\x85\u2029])")

#: Where GitHub-flavoured Markdown would make a link of plain text, and Streamlit an emoji
#: or icon: a word joiner goes before the address, before the ``@`` of an e-mail address
#: (its name must touch the ``@``) or after the colon.
_ADDRESS = re.compile(r"(?i)(https?://|www\.)")
_EMAIL = re.compile(r"@(?=[-\w]+\.[-\w])")
_SHORTCODE = re.compile(r":(?=[\w/+-]+:)")


def md(text: object) -> str:
    """``text`` as typed, ready for any Streamlit sink that renders Markdown.

    Escapes every Markdown- and HTML-significant character, so that links, images, HTML,
    emphasis, headings, tables and Streamlit's ``:colour[…]`` show as the characters typed:

    >>> md("<b>Dr *Asha*</b> 100% [x](y)")
    '\\\\<b\\\\>Dr \\\\*Asha\\\\*\\\\</b\\\\> 100% \\\\[x\\\\]\\\\(y\\\\)'
    >>> md(":red[Ann] & ![i](x.png)")
    '\\\\:red\\\\[Ann\\\\] \\\\& \\\\!\\\\[i\\\\]\\\\(x\\\\.png\\\\)'

    Plain addresses, e-mail addresses and emoji codes get an invisible word joiner so that
    they stay text (GitHub's Markdown would link them even escaped):

    >>> md("see www.nhs.uk or ann@nhs.net :smile:") == (
    ...     "see \\u2060www\\\\.nhs\\\\.uk or ann\\u2060@nhs\\\\.net \\\\:\\u2060smile\\\\:"
    ... )
    True

    Direction controls that a line never closes (an override such as U+202E with no
    U+202C after it, a stray closing isolate) are dropped: they would reverse or reorder
    the words after the name, even inside a sentence that quotes it. Lines still holding
    right-to-left letters or controls are isolated (FSI … PDI), so that they cannot decide
    the direction of the text around them either:

    >>> md("\\u202eevil left") == "evil left"
    True
    >>> md("a\\u2069\\u202eb\\u202c\\u2067c\\nمرحبا") == (
    ...     "\\u2068a\\u202eb\\u202cc\\u2069\\n\\u2068مرحبا\\u2069"
    ... )
    True
    >>> md("Ann Smith")
    'Ann Smith'
    """
    shown = _ADDRESS.sub(WJ + r"\1", str(text))
    if "@" in shown:
        shown = _EMAIL.sub(WJ + "@", shown)
    shown = _SHORTCODE.sub(":" + WJ, shown)
    escaped = "".join("\\" + c if c in _MARKDOWN else c for c in shown)
    return "".join(_isolate(part) for part in _PARAGRAPH_END.split(escaped))


def message(text: object) -> str:
    """A message that quotes user text (an error's, say), escaped but keeping its shape.

    Paragraphs stay paragraphs, lines stay lines and lines starting ``- `` stay list items;
    everything else is :func:`md`:

    >>> print(message("Rows refused:\\n\\n- Row 2: [x](y)\\n- Row 3: **b**\\nFix them."))
    Rows refused\\:
    <BLANKLINE>
    - Row 2\\: \\[x\\]\\(y\\)
    - Row 3\\: \\*\\*b\\*\\*
    Fix them\\.
    >>> message("one\\ntwo")
    'one  \\ntwo'
    """
    out = []
    for line in str(text).splitlines():
        if line.startswith("- "):
            out.append("- " + md(line[2:]))
        elif not line.strip():
            out.append("")
        else:
            if out and out[-1] and not out[-1].startswith("- "):
                out[-1] += "  "  # a line break inside the paragraph
            out.append(md(line))
    return "\n".join(out)


def plain(text: object) -> str:
    """``text`` for a sink that shows plain text (select box and multiselect options, which
    Streamlit does not render as Markdown): not escaped, only made safe for its direction
    as :func:`md` does.

    >>> plain("Dr *Asha*") == "Dr *Asha*"
    True
    >>> plain("\\u202eevil") + " (3 people)" == "evil (3 people)"
    True
    >>> plain("مرحبا") + " (3 people)" == "\\u2068مرحبا\\u2069 (3 people)"
    True
    """
    return "".join(_isolate(part) for part in _PARAGRAPH_END.split(str(text)))


def _isolate(line: str) -> str:
    """One line with its unclosed direction controls dropped, isolated if it holds
    right-to-left letters or (closed) controls.

    Closing follows the Unicode Bidirectional Algorithm: a PDF (U+202C) closes the last
    embedding or override opened inside the innermost isolate, a PDI (U+2069) the innermost
    isolate and everything opened inside it.

    >>> _isolate("plain") == "plain"
    True
    >>> _isolate("\\u2066x\\u202ey\\u2069z\\u202c") == "\\u2068\\u2066x\\u202ey\\u2069z\\u2069"
    True
    """
    if not _directional(line):
        return line
    dropped: set[int] = set()
    opened: list[tuple[int, bool]] = []  # (where, is an isolate)
    for i, c in enumerate(line):
        if c in _EMBEDDING_START or c in _ISOLATE_START:
            opened.append((i, c in _ISOLATE_START))
        elif c == PDF:
            if opened and not opened[-1][1]:
                opened.pop()
            else:  # nothing to close, or it would close an isolate: ignored by the algorithm
                dropped.add(i)
        elif c == PDI:
            if any(isolate for _, isolate in opened):
                while not opened.pop()[1]:
                    pass
            else:
                dropped.add(i)
    dropped.update(i for i, _ in opened)
    kept = "".join(c for i, c in enumerate(line) if i not in dropped)
    return FSI + kept + PDI if _directional(kept) else kept


def _directional(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters or direction controls."""
    return any(c in BIDI_CONTROLS or unicodedata.bidirectional(c) in _RIGHT_TO_LEFT for c in text)
