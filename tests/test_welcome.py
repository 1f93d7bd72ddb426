"""The first-run welcome: its three starts, the guided path, putting it away and back."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from mapping.demo.sample import load_sample
from mapping.storage.settings import preferences
from mapping.storage.store import Store
from tests.conftest import ROOT


def start() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, label: str):
    [button] = [b for b in at.button if b.label == label]
    return button


def test_welcome_greets_a_first_time_user_on_the_map(db_url):
    at = start()
    assert any("Welcome to Coalition Mapper" in m.value for m in at.markdown)
    labels = {b.label for b in at.button}
    assert {
        "Explore the sample system",
        "Start a blank map",
        "Import a spreadsheet or Kumu file",
    } <= labels


def test_start_a_blank_map(db_url):
    at = start()
    _button(at, "Start a blank map").click().run()
    assert not at.exception
    names = [i.name for i in Store(db_url).list_maps()]
    assert "My coalition" in names
    assert at.header[0].value == "Stakeholders"
    assert any("No stakeholders yet" in i.value for i in at.info)


def test_explore_the_sample_reuses_the_sample_map(db_url):
    at = start()
    _button(at, "Explore the sample system").click().run()
    assert not at.exception
    infos = Store(db_url).list_maps()
    assert [i.name for i in infos] == [load_sample().name]


def test_import_start_goes_to_the_import_page(db_url):
    at = start()
    _button(at, "Import a spreadsheet or Kumu file").click().run()
    assert at.header[0].value == "Import & export"


def test_welcome_can_be_put_away_and_found_again(db_url):
    at = start()
    _button(at, "Put the welcome away").click().run()
    assert not any("Welcome to Coalition Mapper" in m.value for m in at.markdown)
    assert preferences(Store(db_url), None) == {"welcome_dismissed": True}
    at.switch_page("ui/pages/start.py").run()
    assert any("Welcome to Coalition Mapper" in m.value for m in at.markdown)
    _button(at, "Show the welcome on the map page again").click().run()
    assert preferences(Store(db_url), None) == {}


def test_guided_path_ticks_off_steps_as_the_map_grows(db_url):
    at = start()
    steps = [m.value for m in at.markdown if "radio_button_unchecked" in m.value]
    # The sample map already has people, ties and a coalition: only the gaps step is open.
    assert len(steps) == 1 and "Coalition gaps" in steps[0]
