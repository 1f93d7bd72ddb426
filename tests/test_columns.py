"""Tests for mapping.io.columns: column synonyms on reading, custom field names on writing."""

from __future__ import annotations

from datetime import date

import pytest

from mapping.io.tabular_read import read_stakeholders_csv
from mapping.io.tabular_write import write_stakeholders_csv
from tests.sample_maps import rich_map


@pytest.mark.parametrize(
    ("header", "value", "field", "expected"),
    [
        ("Label", "Ann", "name", "Ann"),
        ("Organization", "NHS", "organisation", "NHS"),
        ("Org", "NHS", "organisation", "NHS"),
        ("Group", "clinical", "perspective", "clinical"),
        ("Power", "5", "influence", 5),
        ("INTEREST", "1", "interest", 1),
        ("Position", "opposed", "stance", "opposed"),
        ("Member", "y", "coalition", True),
        ("Description", "note", "notes", "note"),
        ("tags", "a|b", "tags", ("a", "b")),
        ("Review_by", "2026-01-02", "review_by", date(2026, 1, 2)),
        ("Influence (1-5)", "2", "influence", 2),
    ],
)
def test_stakeholder_column_synonyms(header, value, field, expected):
    name = "" if field == "name" else "Name,"
    row = "" if field == "name" else "Zed,"
    data = f"{name}{header}\n{row}{value}\n".encode()
    got = getattr(read_stakeholders_csv(data).stakeholders[0], field)
    assert (got.value if field == "stance" else got) == expected


def test_custom_fields_that_look_like_known_columns_are_prefixed():
    header = write_stakeholders_csv(rich_map()).decode("utf-8-sig").splitlines()[0]
    assert header.endswith(",custom.Name,Phone,Team")
