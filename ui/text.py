"""Show user text as typed: escaping for Streamlit's Markdown."""

from __future__ import annotations

_MARKDOWN = set("\\`*_{}[]()#+-.!|<>~$:")


def md(text: object) -> str:
    """Escape every Markdown and HTML-significant character of ``text``.

    >>> md("<b>Dr *Asha*</b> 100% [x](y)")
    '\\\\<b\\\\>Dr \\\\*Asha\\\\*\\\\</b\\\\> 100% \\\\[x\\\\]\\\\(y\\\\)'
    """
    return "".join("\\" + c if c in _MARKDOWN else c for c in str(text))
