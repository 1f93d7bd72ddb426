"""The drawn map's text alternatives: a described picture, landmarks, and the map as a table."""

from __future__ import annotations

import re
from html import escape

import pytest

from mapping.drawing.render import render_html
from mapping.model import Map, Relationship, Stakeholder, Stance

HOSTILE = "<script>window.__pwned=1</script>"


@pytest.fixture
def two_people() -> Map:
    return Map(
        name="Discharge",
        stakeholders=(
            Stakeholder("a", "Ann Lee", organisation="ICB", stance=Stance.CHAMPION, coalition=True,
                        notes="private: thinks the CEO is wrong"),
            Stakeholder("b", HOSTILE, organisation="Council", influence=5),
        ),
        relationships=(Relationship("r1", "a", "b", "funds", 4, directed=True),),
    )  # fmt: skip


def _table(page: str) -> str:
    found = re.search(r'<details class="cm-table".*?</details>', page, re.S)
    assert found, "no table in the page"
    return found.group(0)


def test_the_exported_page_holds_the_map_as_a_table_of_people_and_ties(two_people):
    table = _table(render_html(two_people, standalone=True))
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    cells = [re.findall(r"<(?:td|th)[^>]*>(?:<bdi>)?(.*?)(?:</bdi>)?</t[dh]>", r) for r in rows]
    assert cells[0] == [
        "Name", "Organisation", "Role", "Perspective", "Stance", "Influence", "Interest",
        "In the coalition",
    ]  # fmt: skip
    assert cells[1][0] == "Ann Lee" and cells[1][4] == "champion" and cells[1][-1] == "yes"
    assert cells[2][0] == escape(HOSTILE) and cells[2][5] == "5" and cells[2][-1] == "no"
    assert cells[3] == ["From", "To", "Type", "Strength (1-5)", "Last confirmed"]
    assert cells[4] == ["Ann Lee", escape(HOSTILE), "funds (one-way)", "4", "never"]


def test_the_table_shows_only_the_fields_chosen_and_never_notes(two_people):
    page = render_html(two_people, standalone=True, include_fields=("notes", "stance"))
    table = _table(page)
    assert "Organisation" not in table and "ICB" not in table
    assert "private: thinks" not in table  # notes stay in the tooltip, if chosen, not the table
    assert '<th scope="col">Stance</th>' in table


def test_the_map_in_the_app_leaves_the_table_to_the_page_around_it(two_people):
    assert 'class="cm-table"' not in render_html(two_people)


@pytest.mark.parametrize("standalone", [True, False])
def test_the_picture_is_described_and_the_page_has_a_main_landmark_and_a_heading(
    two_people, standalone
):
    page = render_html(two_people, standalone=standalone)
    assert "<main>" in page and "</main>" in page
    assert re.search(r"<h1[ >]", page)
    [label] = re.findall(r'<div id="mynetwork" role="img" aria-label="([^"]+)"', page)
    assert label.startswith("Network map of Discharge: 2 stakeholders and 1 tie.")
    assert "table" in label
    assert 'aria-label="Download PNG picture of the map">Download PNG</button>' in page


def test_a_hostile_map_name_stays_text_in_the_description(two_people):
    from dataclasses import replace

    page = render_html(replace(two_people, name=HOSTILE))
    assert HOSTILE not in page
    assert f'aria-label="Network map of {escape(HOSTILE)}' in page
