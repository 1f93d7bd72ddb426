"""The Import tab with spreadsheets: several files, matching unknown values, partial imports."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from mapping.demo.sample import load_sample
from mapping.io import matching
from mapping.io.tabular_import import ADDED_TAG
from mapping.storage import settings
from mapping.storage.store import Store
from tests.conftest import ROOT, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def sample(app_store) -> int:
    """The sample map, made before the app starts (and selected by it)."""
    return app_store.create_map(load_sample())


def start() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("ui/pages/import_export.py").run()
    ok(at)
    return at


def ok(at: AppTest) -> None:
    assert not at.exception, at.exception


def upload(at: AppTest, *files: tuple[str, bytes, str]) -> None:
    at.file_uploader[0].set_value(list(files)).run()
    ok(at)


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def press(at: AppTest, label: str) -> None:
    [found] = [b for b in at.button if b.label == label]
    found.click().run()
    ok(at)


def matcher(at: AppTest, start: str):
    [found] = [s for s in at.selectbox if s.label.replace("\\", "").startswith(start)]
    return found


def newest(app_store: Store):
    return app_store.load_map(max(info.id for info in app_store.list_maps()))


TEAM = workbook(
    {
        "People": [
            ["Name", "Sector", "Influence"],
            ["Ann", "Social care", 4],
            ["Bo", "clinical", "high"],
            ["Cy", "Agency A", 2],
        ],
        "Links": [["Source", "Target", "Strength (1-5)"], ["Ann", "Cy", 5], ["Ann", "Bo", 3]],
    }
)


def test_the_templates_are_on_the_import_tab(db_url):
    at = start()
    labels = [b.label for b in at.get("download_button")]
    assert "Excel template" in labels and "CSV templates (zip)" in labels


def test_a_workbook_is_matched_previewed_and_its_good_rows_imported(db_url, app_store):
    at = start()
    before = len(app_store.list_maps())
    upload(at, ("team.xlsx", TEAM, XLSX))
    social = matcher(at, "Perspective 'Social care' (1 row)")
    assert social.value == "local authority & social care"
    agency = matcher(at, "Perspective 'Agency A' (1 row)")
    assert agency.value == matching.ADD
    people, ties = (d.value for d in at.dataframe)
    assert list(people.columns) == ["Row", "Name", "Sector", "Influence", "Problem"]
    assert list(people["Problem"])[:1] == [""]
    assert people["Problem"][1].startswith("column Influence: 'high' is not a whole number")
    assert ties["Problem"][1].startswith("column Target: 'Bo' is left out of the import")
    assert "Create the map" not in buttons(at), "nothing is offered before the rows are accepted"
    assert [d.label for d in at.get("download_button") if "refused rows" in d.label]
    agency.set_value("clinical").run()
    [partial] = [c for c in at.checkbox if c.label.startswith("Import the 3 good rows")]
    assert partial.label.endswith("leave out the 2 with problems")
    partial.check().run()
    ok(at)
    assert len(app_store.list_maps()) == before, "nothing written before the button"
    press(at, "Create the map")
    m = newest(app_store)
    assert len(app_store.list_maps()) == before + 1
    assert [(s.name, s.perspective) for s in m.stakeholders] == [
        ("Ann", "local authority & social care"),
        ("Cy", "clinical"),
    ]
    assert len(m.relationships) == 1
    memory = settings.preferences(app_store, None)[matching.MEMORY_KEY]
    [kept] = memory.values()
    assert kept["perspective"] == {
        "social care": "local authority & social care",
        "agency a": "clinical",
    }

    again = start()
    upload(again, ("team-2.xlsx", TEAM, XLSX))
    assert matcher(again, "Perspective 'Agency A'").value == "clinical", "remembered"


def test_a_people_file_and_a_links_file_make_one_map(db_url, app_store):
    at = start()
    upload(
        at,
        ("people.csv", b"Name,Influence\nAnn,5\nBo,2\n", "text/csv"),
        ("links.csv", b"From,TO,Weight\nAnn,Bo,4\n", "text/csv"),
    )
    assert not at.error
    press(at, "Create the map")
    m = newest(app_store)
    assert m.name == "Imported map"
    assert [s.influence for s in m.stakeholders] == [5, 2]
    assert [r.strength for r in m.relationships] == [4]


def test_a_relationships_only_file_makes_people_to_review(db_url, app_store):
    at = start()
    upload(at, ("ties.csv", b"Source,Target,Type\nAnn,Bo,funds\nBo,Cy,\n", "text/csv"))
    assert any("relationships only" in i.value for i in at.info)
    press(at, "Create the map")
    m = newest(app_store)
    assert [s.name for s in m.stakeholders] == ["Ann", "Bo", "Cy"]
    assert all(s.tags == (ADDED_TAG,) and s.review_by for s in m.stakeholders)


def test_a_new_maps_perspectives_come_from_the_file_not_the_selected_map(db_url, app_store, sample):
    at = start()
    assert at.session_state["map_id"] == sample
    rows = "".join(f"Person {i},Agency {chr(65 + i % 11)}\n" for i in range(40))
    upload(at, ("agencies.csv", ("Name,Perspective\n" + rows).encode(), "text/csv"))
    assert all(s.value == matching.ADD for s in at.selectbox if s.label.startswith("Perspective"))
    press(at, "Create the map")
    assert newest(app_store).perspectives == tuple(f"Agency {chr(65 + i)}" for i in range(11))


def test_merging_reads_with_the_maps_own_perspectives(db_url, app_store, sample):
    at = start()
    original = load_sample()
    upload(at, ("more.csv", b"Name,Perspective\nZed Newcomer,Voluntary sector\n", "text/csv"))
    [target] = [r for r in at.radio if r.label == "Where should it go?"]
    target.set_value(target.options[1]).run()
    box = matcher(at, "Perspective 'Voluntary sector'")
    assert list(box.options[: len(original.perspectives)]) == list(original.perspectives)
    press(at, "Merge into this map")
    merged = app_store.load_map(sample)
    assert merged.perspectives == original.perspectives
    [zed] = [s for s in merged.stakeholders if s.name == "Zed Newcomer"]
    assert zed.perspective == box.value
