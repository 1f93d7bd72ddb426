"""Sample maps the import and export tests share: every field filled, awkward text and ids."""

from __future__ import annotations

from datetime import date

from mapping.model import DEFAULT_PERSPECTIVES, Map, Relationship, Stakeholder

__all__ = ["rich_map", "awkward_map", "MAPS"]


def rich_map() -> Map:
    """Every field filled in, custom fields that collide with column names, awkward text."""
    people = (
        Stakeholder(
            "s-1",
            "Zoë O'Neill",
            "NA",
            'Chair, "Carers" forum',
            "patient & carer",
            2,
            5,
            "champion",
            True,
            notes="Line one\nline two, with comma",
            tags=("carers", "a|b", "north"),
            review_by=date(2026, 3, 1),
            custom={"Name": "clash", "Phone": "001 234", "Team": "East"},
        ),
        Stakeholder(
            "s-2",
            "Dr Ravi Shah",
            "City PCN",
            "GP",
            "primary care network",
            4,
            3,
            "sceptic",
            False,
            custom={"Team": "North"},
        ),
        Stakeholder("007", "Ravi Shah", "", "", "other", 1, 1, "unknown", False),
    )
    ties = (
        Relationship(
            "r-1",
            "s-1",
            "s-2",
            "informal trust",
            5,
            directed=False,
            how_we_know="Seen at the forum",
            last_confirmed=date(2025, 12, 24),
            notes="Semi;colon",
            custom={"Channel": "email"},
        ),
        Relationship("r-2", "s-2", "007", "reports to", 2, directed=True),
    )
    return Map(
        name="Rich map",
        description="Everything, once",
        perspectives=(*DEFAULT_PERSPECTIVES, "primary care network"),
        relationship_types=("collaborates", "informal trust", "reports to", "conflict"),
        stakeholders=people,
        relationships=ties,
    )


def awkward_map() -> Map:
    """Ids and field names XML would choke on, text XML would normalise, positions."""
    people = (
        Stakeholder(
            "Ann Clark #1",
            "Ann <Clark> & co",
            notes='  two\r\nlines\tand "quotes"  ',
            tags=("x y", "[draft]"),
            custom={"Job title": "", "über/field": "ü"},
        ),
        Stakeholder("_x0041_", "Bo\u2028Li", organisation=" spaced ", custom={"": "blank key"}),
        Stakeholder("3", "Cy"),
    )
    ties = (
        Relationship(
            "tie 1",
            "Ann Clark #1",
            "_x0041_",
            "the  odd type",
            1,
            directed=True,
            custom={"k": "v\nw"},
        ),
        Relationship("tie 2", "3", "Ann Clark #1"),
    )
    return Map(
        name="Ünïcode map",
        description="\n leading and trailing \n",
        relationship_types=("the  odd type", "collaborates"),
        stakeholders=people,
        relationships=ties,
        positions={"Ann Clark #1": (1e-300, -2.5), "3": (float("inf"), 0.0)},
    )


MAPS = {
    "empty": lambda: Map(name="Empty"),
    "one person": lambda: Map(name="One", stakeholders=(Stakeholder("a", "Ann"),)),
    "rich": rich_map,
    "awkward": awkward_map,
}
