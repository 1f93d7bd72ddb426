"""Safety of files that come in and go out: size limits, text decoding, XML, formulas.

Reading
    Uploads are capped by :class:`Limits` (bytes, rows, columns, cells, JSON depth and the
    unpacked size of a zip or workbook; see :mod:`mapping.io.budget`) with a message saying
    what to do. XML is parsed with ``defusedxml``: entity declarations (the "billion
    laughs" bomb) and external references are refused.
Writing
    A name like ``=HYPERLINK(...)`` must never run as a formula. CSV writers pass text cells
    through :func:`neutralise_formula` (a leading apostrophe) and CSV readers through
    :func:`restore_formula`, which removes exactly that apostrophe: text that already starts
    with apostrophes before a formula start (``'=x``) gets one more, so a genuine leading
    apostrophe survives and every text comes back as it was. Workbook writers (Excel, Kumu)
    store every text as a text cell, never a formula, and give the cells
    :func:`neutralise_formula` would change Excel's quote prefix (``quotePrefix``), which
    keeps the value exact (workbook readers undo nothing).
    XML 1.0 cannot hold most control characters; :func:`check_portable_text` refuses them
    with the list of fields to fix, and :func:`strip_unportable` removes them for the user.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields, replace
from typing import Any
from xml.etree import ElementTree

import defusedxml
import defusedxml.ElementTree as SafeET

from mapping.errors import FormatError
from mapping.io.budget import DEFAULT_LIMITS, Limits, open_zip
from mapping.model import Map

__all__ = [
    "Limits",
    "DEFAULT_LIMITS",
    "FORMULA_START",
    "starts_formula",
    "neutralise_formula",
    "restore_formula",
    "decode_text",
    "parse_xml",
    "open_zip",
    "unportable_characters",
    "check_portable_text",
    "strip_unportable",
]

# A number such as -3 or +4.5 is safe in a spreadsheet (it stays a number); anything else
# starting with one of these characters may run as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
# Spaces (any Unicode space, and the invisible ones) a spreadsheet may skip before a sign.
_LEADING_SPACE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]*")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet might run ``text`` as a formula.

    True for text starting with ``= + - @``, tab, carriage return or line break, also after
    leading spaces of any kind, and for the full-width and small forms of the signs
    (``＝ ＋ － ＠``, which some spreadsheets read as their ASCII twins). Plain numbers
    (``-3``, ``+4.5``) are not formulas.

    >>> [starts_formula(t) for t in (" =1", "\\n=1", "＝1", "\\u3000@A1", "-3", " +4.5", "a=b")]
    [True, True, True, True, False, False, False]
    """
    if text.startswith(("\t", "\r", "\n")):
        return True
    lead = _LEADING_SPACE.match(text)  # always matches, if only the empty string
    body = text[lead.end() :] if lead else text
    if not body:
        return False
    sign = unicodedata.normalize("NFKC", body[0])
    if sign not in FORMULA_START and body[0] != "\u2212":  # U+2212 is the minus sign
        return False
    return not _PLAIN_NUMBER.fullmatch(body.rstrip())


def neutralise_formula(text: str) -> str:
    """Prefix a single quote to text a spreadsheet would run as a formula.

    Follows OWASP's advice for cells starting with ``= + - @``, tab or carriage return, and
    goes further (see :func:`starts_formula`): a line break, spaces before a sign and the
    full-width signs count too. Plain signed numbers (``-3``, ``+4.5``) are left alone: they
    are not formulas, and prefixing them would turn a number into text.

    >>> neutralise_formula("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_formula("-3"), neutralise_formula("- first point"), neutralise_formula("Ann")
    ('-3', "'- first point", 'Ann')
    >>> neutralise_formula(" =1+1"), neutralise_formula("＝1+1")
    ("' =1+1", "'＝1+1")

    Text whose leading apostrophes come before a formula start gets one more, so that
    :func:`restore_formula` can tell it from a neutralised formula; other apostrophes stay:

    >>> neutralise_formula("'=x"), neutralise_formula("'quoted'")
    ("''=x", "'quoted'")
    """
    return "'" + text if starts_formula(text.lstrip("'")) else text


def restore_formula(text: str) -> str:
    """The text :func:`neutralise_formula` was given: one leading apostrophe removed when the
    rest is text it would have neutralised; anything else unchanged.

    ``restore_formula(neutralise_formula(t)) == t`` for every text ``t``.

    >>> restore_formula("'=SUM(1)"), restore_formula("''=x"), restore_formula("'++")
    ('=SUM(1)', "'=x", '++')
    >>> restore_formula("'quoted'"), restore_formula("'-3"), restore_formula("=x")
    ("'quoted'", "'-3", '=x')
    """
    if text.startswith("'") and starts_formula(text.lstrip("'")):
        return text[1:]
    return text


_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a zip archive or an Excel workbook (.xlsx)",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old-style Office file (.xls or .doc)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}


def decode_text(data: bytes, what: str) -> str:
    """Text from the bytes of an uploaded text file, whatever Excel saved it as.

    UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark, and Windows-1252
    (then Latin-1) as fallbacks. Binary files are refused with a ``FormatError``.

    >>> decode_text("Zoë".encode("cp1252"), "x.csv")
    'Zoë'
    >>> decode_text(b"\\xef\\xbb\\xbfName", "x.csv")
    'Name'
    >>> decode_text(b"%PDF-1.7 ...", "notes.csv")
    Traceback (most recent call last):
    ...
    mapping.errors.FormatError: notes.csv is a PDF document, not a text file; save the sheet as CSV (comma-separated values) and upload that.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            msg = (
                f"{what} is {kind}, not a text file; save the sheet as CSV "
                "(comma-separated values) and upload that."
            )
            raise FormatError(msg)
    if b"\x00" in data[:8192]:
        msg = (
            f"{what} is not a text file (it contains binary data); save the sheet as CSV "
            "(comma-separated values) and upload that."
        )
        raise FormatError(msg)
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 0x20 and c not in "\t\n\r")
    if sample and controls > len(sample) // 100:
        msg = (
            f"{what} does not look like text (it holds many control characters); save the "
            "sheet as CSV (comma-separated values) and upload that."
        )
        raise FormatError(msg)
    return text


#: Encodings in which a DOCTYPE is spelt with the same bytes as in ASCII.
_ASCII_LIKE = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"}
_DECLARED = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")


def _without_dtd(data: bytes) -> bool:
    """Whether the document surely has no DOCTYPE: in an ASCII-like encoding (no NUL byte,
    no UTF-16 byte order mark, no other declared encoding) and without the bytes
    ``<!DOCTYPE``. Only such a document skips the slower entity-checking parser.

    >>> _without_dtd(b"<graphml/>"), _without_dtd(b'<!DOCTYPE x []><x/>')
    (True, False)
    >>> _without_dtd('<?xml version="1.0" encoding="utf-16"?><x/>'.encode("utf-16"))
    False
    """
    head = data[:4096]
    if b"\x00" in head or data.startswith((b"\xfe\xff", b"\xff\xfe")):
        return False
    declared = _DECLARED.match(head)
    if declared and declared.group(1).decode("ascii").lower() not in _ASCII_LIKE:
        return False
    return b"<!DOCTYPE" not in data


def parse_xml(data: bytes, what: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """The root element of an XML document, parsed safely.

    Entity declarations, external entities, oversized files and more elements than
    ``limits.cell_budget`` (counted on the bytes, before parsing) are refused with a
    ``FormatError``. Depth needs no limit: the parser and the tree it builds do not recurse.

    >>> parse_xml(b"<graphml><graph/></graphml>", "map.graphml").tag
    'graphml'
    >>> bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    >>> parse_xml(bomb, "map.graphml")
    Traceback (most recent call last):
    ...
    mapping.errors.FormatError: map.graphml declares XML entities, which Coalition Mapper refuses for safety (they can expand into gigabytes or read other files). Export the file again without a DOCTYPE section.
    """
    limits.check_bytes(data, what)
    elements = data.count(b"<") - data.count(b"</") - data.count(b"<!") - data.count(b"<?")
    if elements > limits.cell_budget:
        msg = (
            f"{what} holds about {elements:,} XML elements; Coalition Mapper reads at most "
            f"{limits.cell_budget:,}. Split the map into smaller files, or export it without "
            "the attributes you do not need."
        )
        raise FormatError(msg)
    try:
        if _without_dtd(data):  # no DOCTYPE, so no entity can be declared: the C parser
            return ElementTree.fromstring(data)
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True)
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        msg = (
            f"{what} declares XML entities, which Coalition Mapper refuses for safety (they "
            "can expand into gigabytes or read other files). Export the file again without "
            "a DOCTYPE section."
        )
        raise FormatError(msg) from None
    except SafeET.ParseError as err:
        line, column = err.position
        msg = (
            f"{what} is not well-formed XML (line {line}, column {column + 1}); "
            "export it again from the program that made it."
        )
        raise FormatError(msg) from None
    except (ValueError, LookupError) as err:  # an encoding the XML parser cannot read
        msg = (
            f"{what} is in a text encoding Coalition Mapper cannot read as XML ({err}); "
            "save or export it again as UTF-8."
        )
        raise FormatError(msg) from None


def _unportable(c: str) -> bool:
    code = ord(c)
    if code < 0x20:
        return c not in "\t\n\r"
    return 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)


def _texts(m: Map) -> list[tuple[str, str]]:
    """(where, text) for every piece of text in the map."""
    out = [("The map's name", m.name), ("The map's description", m.description)]
    out += [(f"Perspective {p!r}", p) for p in m.perspectives]
    out += [(f"Relationship type {t!r}", t) for t in m.relationship_types]
    for kind, items in (("Stakeholder", m.stakeholders), ("Relationship", m.relationships)):
        for item in items:
            label = getattr(item, "name", item.id)
            for f in fields(item):
                value = getattr(item, f.name)
                if f.name == "tags":
                    out += [(f"{kind} {label!r}, tag", tag) for tag in value]
                elif f.name == "custom":
                    for key, text in value.items():
                        out += [(f"{kind} {label!r}, custom field name", key)]
                        out += [(f"{kind} {label!r}, custom field {key!r}", text)]
                elif isinstance(value, str):
                    out.append((f"{kind} {label!r}, {f.name.replace('_', ' ')}", value))
    return out


def unportable_characters(m: Map) -> list[str]:
    """Where the map holds characters XML 1.0 (GraphML, GEXF, Excel) cannot store.

    Those are control characters other than tab, line feed and carriage return, lone
    surrogates, and U+FFFE/U+FFFF. They usually arrive by pasting from another program.

    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann", notes="bell\\x07"),))
    >>> unportable_characters(m)
    ["Stakeholder 'Ann', notes: holds the control character U+0007."]
    """
    problems = []
    for where, text in _texts(m):
        bad = sorted({c for c in text if _unportable(c)})
        if bad:
            codes = ", ".join(f"U+{ord(c):04X}" for c in bad)
            noun = "character" if len(bad) == 1 else "characters"
            problems.append(f"{where}: holds the control {noun} {codes}.")
    return problems


def check_portable_text(m: Map, fmt: str) -> None:
    """Refuse to write ``m`` as ``fmt`` if it holds characters XML 1.0 cannot store."""
    problems = unportable_characters(m)
    if problems:
        head = (
            f"{fmt} files cannot hold some characters in this map; remove them (the import "
            "page can do it for you) or export as project JSON, which keeps everything."
        )
        raise FormatError("\n".join([head, *problems]))


def _clean(text: str) -> str:
    return "".join(c for c in text if not _unportable(c))


def strip_unportable(m: Map) -> Map:
    """A copy of ``m`` without the characters :func:`unportable_characters` reports.

    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M\\x0b", stakeholders=(Stakeholder("a", "Ann\\x00"),))
    >>> clean = strip_unportable(m)
    >>> clean.name, clean.stakeholders[0].name, unportable_characters(clean)
    ('M', 'Ann', [])
    """

    def item(obj: Any) -> Any:
        changes: dict[str, Any] = {}
        for f in fields(obj):
            value = getattr(obj, f.name)
            if f.name == "tags":
                changes["tags"] = tuple(_clean(t) for t in value)
            elif f.name == "custom":
                changes["custom"] = {_clean(k): _clean(v) for k, v in value.items()}
            elif isinstance(value, str):
                changes[f.name] = _clean(value)
        return replace(obj, **changes)

    return replace(
        m,
        name=_clean(m.name),
        description=_clean(m.description),
        perspectives=tuple(_clean(p) for p in m.perspectives),
        relationship_types=tuple(_clean(t) for t in m.relationship_types),
        stakeholders=tuple(item(s) for s in m.stakeholders),
        relationships=tuple(item(r) for r in m.relationships),
        positions={_clean(k): v for k, v in m.positions.items()},
    )
