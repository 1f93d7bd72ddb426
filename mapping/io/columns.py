"""The columns of our stakeholder and relationship spreadsheets: names, synonyms and help.

Columns are matched by name, case-insensitively, ignoring a bracketed note such as
``(1-5)`` and treating ``_`` and ``-`` as spaces, and by the common synonyms listed with each
column. A header starting ``custom.`` is always a custom field; the writers add that prefix
to any custom field name that could be read as one of our columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mapping.io.safety import neutralise_formula

__all__ = [
    "Column",
    "STAKEHOLDER_COLUMNS",
    "RELATIONSHIP_COLUMNS",
    "CUSTOM_PREFIX",
    "normalise_header",
    "match_columns",
    "custom_headers",
]

CUSTOM_PREFIX = "custom."
#: The column a file of refused rows carries each row's problem in; reading ignores it, so
#: the fixed file imports as it is.
PROBLEM_COLUMN = "Problem to fix"


@dataclass(frozen=True)
class Column:
    """A column our spreadsheets write, the other names it is read by, and its help text."""

    field: str
    header: str
    synonyms: tuple[str, ...]
    help: str


STAKEHOLDER_COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "ID",
        ("stakeholder id", "key"),
        "Optional. A code that never changes; leave blank and one is made up.",
    ),
    Column(
        "name",
        "Name",
        ("label", "full name", "stakeholder", "stakeholder name", "person", "node"),
        "Required. The person's name.",
    ),
    Column("organisation", "Organisation", ("organization", "org"), "Where they work."),
    Column("role", "Role", ("job title", "job"), "Their job or role."),
    Column(
        "perspective",
        "Perspective",
        ("group", "sector", "category"),
        "Which view of the system they bring; one of the map's perspectives (Map sheet).",
    ),
    Column("influence", "Influence", ("power",), "1 (little) to 5 (decisive); blank means 3."),
    Column(
        "interest",
        "Interest",
        ("interest level",),
        "1 (none) to 5 (central to them); blank means 3.",
    ),
    Column(
        "stance",
        "Stance",
        ("position", "attitude"),
        "champion, supporter, neutral, sceptic, opposed or unknown (blank).",
    ),
    Column(
        "coalition",
        "Coalition",
        ("in coalition", "member", "coalition member", "in the coalition"),
        "yes if they are in the coalition of the willing; blank means no.",
    ),
    Column("tags", "Tags", (), "Labels separated by | (for example: primary care|north)."),
    Column("review_by", "Review by", ("review",), "Date to look at this person again."),
    Column("notes", "Notes", ("description",), "Anything else; private to the map."),
)

RELATIONSHIP_COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "ID",
        ("relationship id", "key"),
        "Optional. A code that never changes; leave blank and one is made up.",
    ),
    Column(
        "source_id",
        "From ID",
        ("source id",),
        "The ID of the stakeholder it starts from; when filled in it wins over From.",
    ),
    Column(
        "source",
        "From",
        ("source", "from name", "source name", "start"),
        "The stakeholder it starts from: ID or name.",
    ),
    Column(
        "target_id",
        "To ID",
        ("target id",),
        "The ID of the stakeholder it goes to; when filled in it wins over To.",
    ),
    Column(
        "target",
        "To",
        ("target", "to name", "target name", "end"),
        "The stakeholder it goes to: ID or name.",
    ),
    Column(
        "type",
        "Type",
        (
            "relationship",
            "relationship type",
            "label",
            "kind",
            "link type",
            "tie type",
            "edge type",
        ),
        "collaborates, commissions, funds, reports to, advises, informal trust, "
        "conflict, or a type of your own; blank means collaborates.",
    ),
    Column(
        "strength",
        "Strength",
        ("trust", "weight", "strength of relationship", "tie strength"),
        "1 (weak) to 5 (strong and trusted); blank means 3.",
    ),
    Column(
        "directed",
        "Directed",
        ("direction",),
        "yes if it runs one way (From to To); blank or no means mutual.",
    ),
    Column(
        "how_we_know", "How we know", ("source of information",), "Where this knowledge comes from."
    ),
    Column(
        "last_confirmed",
        "Last confirmed",
        ("confirmed",),
        "Date the relationship was last confirmed, as YYYY-MM-DD.",
    ),
    Column("notes", "Notes", ("description",), "Anything else; private to the map."),
)


def normalise_header(header: str) -> str:
    """Header as matched: lower case, no brackets, ``_``/``-`` as spaces.

    >>> normalise_header("  Influence (1-5) "), normalise_header("how_we_know")
    ('influence', 'how we know')
    """
    text = re.sub(r"\s*\(.*\)\s*$", "", header.strip())
    return " ".join(re.sub(r"[_\-]+", " ", text).lower().split())


def match_columns(headers: Sequence[str], columns: Sequence[Column]) -> dict[str, str]:
    """Field -> header; the first header with the best-ranked name wins.

    >>> match_columns(["Power", "Full name", "Name", "custom.Role"], STAKEHOLDER_COLUMNS)
    {'name': 'Name', 'influence': 'Power'}
    """
    found: dict[str, str] = {}
    normalised = [
        (h, normalise_header(h)) for h in headers if not h.lower().startswith(CUSTOM_PREFIX)
    ]
    for column in columns:
        for name in (normalise_header(column.header), *column.synonyms):
            header = next((h for h, n in normalised if n == name), None)
            if header is not None and header not in found.values():
                found[column.field] = header
                break
    return found


def custom_headers(keys: Sequence[str], columns: Sequence[Column]) -> dict[str, str]:
    """Custom field name -> header; prefixed with ``custom.`` when it could be misread.

    >>> custom_headers(["Phone", "Name", "=x", "Column B"], STAKEHOLDER_COLUMNS)
    {'Phone': 'Phone', 'Name': 'custom.Name', '=x': 'custom.=x', 'Column B': 'custom.Column B'}
    """
    taken = {normalise_header(c.header) for c in columns} | {n for c in columns for n in c.synonyms}
    out = {}
    for key in keys:
        plain = (
            key
            and key == key.strip()
            and normalise_header(key) not in taken
            and not key.lower().startswith(CUSTOM_PREFIX)
            and neutralise_formula(key) == key
            and not re.fullmatch(r"Column [A-Z]+|.* \(\d+\)", key)
        )
        out[key] = key if plain else CUSTOM_PREFIX + key
    return out
