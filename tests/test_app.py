"""The app without a browser (Streamlit's AppTest): every page, first run, one interaction."""

from __future__ import annotations

from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from mapping.demo.sample import load_sample
from mapping.model import Map
from mapping.model.graph import tie_graph
from mapping.storage.store import Store
from tests.apptest import ok, open_sidebar
from tests.conftest import ROOT
from tests.test_gaps_page import choose_tab

PAGE_FILES = {
    "start": "ui/pages/start.py",
    "map": "ui/pages/map_view.py",
    "stakeholders": "ui/pages/stakeholders.py",
    "relationships": "ui/pages/relationships.py",
    "gaps": "ui/pages/gaps.py",
    "invest": "ui/pages/invest.py",
    "plan": "ui/pages/plan.py",
    "what-if": "ui/pages/what_if.py",
    "my-network": "ui/pages/my_network.py",
    "reflect": "ui/pages/reflect.py",
    "history": "ui/pages/history.py",
    "review": "ui/pages/review.py",
    "views": "ui/pages/views.py",
    "import-export": "ui/pages/import_export.py",
    "settings": "ui/pages/settings.py",
    "backup": "ui/pages/backup.py",
    "methods": "ui/pages/methods.py",
}


def start(db_url: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_first_run_loads_the_sample_map(db_url):
    at = start(db_url)
    store = Store(db_url)
    [info] = store.list_maps()
    assert info.name == load_sample().name
    assert info.stakeholders == len(load_sample().stakeholders)
    assert at.sidebar.selectbox[0].value == info.id


@pytest.mark.parametrize("path", list(PAGE_FILES))
def test_every_page_runs_without_error(db_url, path):
    at = start(db_url)
    at.switch_page(PAGE_FILES[path]).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.header or at.subheader, "each page shows a heading"


def test_add_stakeholder_through_the_form_stores_it_and_puts_it_in_the_graph(db_url):
    at = start(db_url)
    at.session_state["add-stakeholder-open"] = True  # the form, opened
    at.switch_page(PAGE_FILES["stakeholders"]).run()
    name = 'Priya <b>Shah</b> & "Co"'
    [field] = [t for t in at.text_input if t.label == "Name *"]
    field.input(name)
    [organisation] = [t for t in at.text_input if t.label == "Organisation"]
    organisation.input("Hallam Hospice")
    [coalition] = [c for c in at.checkbox if c.label == "In the coalition of the willing"]
    coalition.check()
    [submit] = [b for b in at.button if b.label == "Add stakeholder"]
    submit.click().run()
    assert not at.exception, at.exception
    store = Store(db_url)
    [info] = store.list_maps()
    m = store.load_map(info.id)
    [added] = [s for s in m.stakeholders if s.name == name]
    assert added.organisation == "Hallam Hospice" and added.coalition
    G = tie_graph(m)
    assert G.nodes[added.id]["name"] == name and G.nodes[added.id]["coalition"] is True


def test_the_add_form_is_sent_only_while_open_and_stays_open_for_the_next_person(db_url):
    """The sample map has people: the form starts shut, and is not sent then."""
    at = start(db_url)
    at.switch_page(PAGE_FILES["stakeholders"]).run()
    assert [e.label for e in at.expander if e.label == "Add a stakeholder"]
    assert not [t for t in at.text_input if t.label == "Name *"]
    assert not [b for b in at.button if b.label == "Add stakeholder"]
    at.session_state["add-stakeholder-open"] = True  # opened
    at.run()
    for person in ("Ann Lee", "Bo Chen"):
        [name] = [t for t in at.text_input if t.label == "Name *"]
        assert name.value == ""
        name.input(person)
        [submit] = [b for b in at.button if b.label == "Add stakeholder"]
        submit.click().run()
        assert not at.exception and not at.error
    m = Store(db_url).load_map(Store(db_url).list_maps()[0].id)
    assert [s.name for s in m.stakeholders[-2:]] == ["Ann Lee", "Bo Chen"]
    at.switch_page(PAGE_FILES["map"]).run()
    at.switch_page(PAGE_FILES["stakeholders"]).run()
    assert not [t for t in at.text_input if t.label == "Name *"], "shut again, as every section"


def test_the_add_forms_of_an_empty_map_start_open(db_url):
    Store(db_url).create_map(Map(name="Blank", perspectives=("commissioner",)))
    at = start(db_url)
    blank = max(info.id for info in Store(db_url).list_maps())
    at.sidebar.selectbox[0].set_value(blank).run()
    at.switch_page(PAGE_FILES["stakeholders"]).run()
    [name] = [t for t in at.text_input if t.label == "Name *"]
    name.input("First Person")
    [submit] = [b for b in at.button if b.label == "Add stakeholder"]
    submit.click().run()
    assert [t for t in at.text_input if t.label == "Name *"], "still open for the next person"
    assert not at.exception and not at.error


def test_invalid_form_shows_message_saves_nothing_and_keeps_what_was_typed(db_url):
    at = start(db_url)
    at.session_state["add-stakeholder-open"] = True  # the form, opened
    at.switch_page(PAGE_FILES["stakeholders"]).run()
    before = Store(db_url).load_map(Store(db_url).list_maps()[0].id)
    [organisation] = [t for t in at.text_input if t.label == "Organisation"]
    organisation.input("Hallam Hospice")
    [submit] = [b for b in at.button if b.label == "Add stakeholder"]
    submit.click().run()
    assert any("the name is empty" in e.value for e in at.error)
    after = Store(db_url).load_map(Store(db_url).list_maps()[0].id)
    assert after == before
    [organisation] = [t for t in at.text_input if t.label == "Organisation"]
    assert organisation.value == "Hallam Hospice", "the entry refused is kept for correcting"
    # corrected, it is saved, and the form is empty for the next person
    [name] = [t for t in at.text_input if t.label == "Name *"]
    name.input("Ann Lee")
    [submit] = [b for b in at.button if b.label == "Add stakeholder"]
    submit.click().run()
    assert not at.error
    saved = Store(db_url).load_map(Store(db_url).list_maps()[0].id)
    assert [(s.name, s.organisation) for s in saved.stakeholders[len(before.stakeholders) :]] == [
        ("Ann Lee", "Hallam Hospice")
    ]
    assert [t.value for t in at.text_input if t.label in ("Name *", "Organisation")] == ["", ""]


def test_the_same_entry_sent_again_at_once_is_a_second_click_and_saves_nothing(db_url, monkeypatch):
    """A double click sends the entry twice before the page has emptied the form: once saved."""
    from ui import forms

    at = start(db_url)
    at.session_state["add-relationship-open"] = True  # the form, opened
    at.switch_page(PAGE_FILES["relationships"]).run()
    store = Store(db_url)
    map_id = store.list_maps()[0].id
    before = store.load_map(map_id)
    a, b = before.stakeholders[0].id, before.stakeholders[1].id

    def send() -> None:
        [source] = [x for x in at.selectbox if x.label == "From *"]
        source.set_value(a)
        [target] = [x for x in at.selectbox if x.label == "To *"]
        target.set_value(b)
        [submit] = [x for x in at.button if x.label == "Add relationship"]
        submit.click().run()
        ok(at)

    send()
    send()  # the same entry again, as the second click of a double click sends it
    assert len(store.load_map(map_id).relationships) == len(before.relationships) + 1
    [source] = [x for x in at.selectbox if x.label == "From *"]
    assert source.value is None, "the form is empty for the next entry"
    monkeypatch.setattr(forms, "REPEAT_S", 0.0)
    send()  # the same entry sent on purpose, later: a relationship of its own
    assert len(store.load_map(map_id).relationships) == len(before.relationships) + 2


def test_add_relationship_form_keeps_a_refused_entry_and_saves_it_corrected(db_url):
    at = start(db_url)
    at.session_state["add-relationship-open"] = True  # the form, opened
    at.switch_page(PAGE_FILES["relationships"]).run()
    store = Store(db_url)
    map_id = store.list_maps()[0].id
    before = store.load_map(map_id)
    first = before.stakeholders[0].id
    other = next(
        s.id
        for s in before.stakeholders[1:]
        if not any({r.source, r.target} == {first, s.id} for r in before.relationships)
    )
    [source] = [b for b in at.selectbox if b.label == "From *"]
    source.set_value(first)
    [how] = [t for t in at.text_input if t.label == "How we know"]
    how.input("seen at the <b>discharge</b> board")
    [submit] = [b for b in at.button if b.label == "Add relationship"]
    submit.click().run()
    assert at.error, "a relationship needs both ends"
    assert store.load_map(map_id) == before
    [how] = [t for t in at.text_input if t.label == "How we know"]
    assert how.value == "seen at the <b>discharge</b> board", "the refused entry is kept"
    [target] = [b for b in at.selectbox if b.label == "To *"]
    target.set_value(other)
    [submit] = [b for b in at.button if b.label == "Add relationship"]
    submit.click().run()
    assert not at.error and not at.exception
    after = store.load_map(map_id)
    tie = after.relationships[-1]
    assert len(after.relationships) == len(before.relationships) + 1
    assert (tie.source, tie.target) == (first, other)
    assert tie.how_we_know == "seen at the <b>discharge</b> board"
    [how] = [t for t in at.text_input if t.label == "How we know"]
    assert how.value == "", "the form is empty for the next relationship"


def test_create_then_delete_map_asks_for_confirmation(db_url):
    at = start(db_url)
    shut = [t.label for t in at.sidebar.text_input] + [b.label for b in at.sidebar.button]
    assert "Name of the new map" not in shut and "Delete this map…" not in shut, "sent only open"
    open_sidebar(at)
    [name] = [t for t in at.sidebar.text_input if t.label == "Name of the new map"]
    name.input("Frailty programme")
    [create] = [b for b in at.sidebar.button if b.label == "Create map"]
    create.click().run()
    store = Store(db_url)
    assert sorted(i.name for i in store.list_maps())[0] == "Frailty programme"
    [delete] = [b for b in at.sidebar.button if b.label == "Delete this map…"]
    delete.click().run()
    assert len(store.list_maps()) == 2, "nothing is deleted before confirmation"
    [yes] = [b for b in at.sidebar.button if b.label == "Yes, delete"]
    yes.click().run()
    assert [i.name for i in store.list_maps()] == [load_sample().name]
    [restore] = [b for b in at.sidebar.button if b.label.startswith("Restore deleted map")]
    restore.click().run()
    assert len(store.list_maps()) == 2


def test_every_page_is_in_exactly_one_sidebar_section():
    from ui.routes import PAGES, SECTIONS

    listed = [path for paths in SECTIONS.values() for path in paths]
    assert sorted(listed) == sorted(PAGES)
    assert set(PAGE_FILES) == set(PAGES)


def test_gaps_page_analyses_once_per_saved_version_with_progress(db_url, monkeypatch):
    from ui import reports, warm

    steps: list[str] = []
    runs: list[int] = []
    real = reports.analyse

    def counted(*args, progress, **kwargs):
        runs.append(1)

        def seen(share: float, step: str) -> None:
            steps.append(step)
            progress(share, step)  # the page's progress bar takes every step

        return real(*args, progress=seen, **kwargs)

    monkeypatch.setattr(reports, "analyse", counted)
    # nothing computed ahead (tests/test_warm.py): the page computes it, with its bar
    monkeypatch.setattr(warm, "gaps_ahead", lambda *args, **kwargs: None)
    at = start(db_url)
    at.switch_page(PAGE_FILES["gaps"]).run()
    at.run()
    assert not at.exception, at.exception
    assert len(runs) == 1, "a rerun without an edit recomputes nothing"
    assert steps[-1] == "Done" and len(steps) > 5
    assert not at.get("progress"), "the bar goes once the analysis is done"
    store = Store(db_url)
    [info] = store.list_maps()
    m = store.load_map(info.id)
    store.save_map(info.id, replace(m, name="Renamed"))
    at.run()
    assert len(runs) == 2, "a new version is analysed again"


def test_brokers_tab_says_whether_betweenness_is_exact(db_url):
    at = start(db_url)
    at.switch_page(PAGE_FILES["gaps"]).run()
    brokers = choose_tab(at, "Bridges")  # only the chosen tab is drawn
    assert any(c.value.startswith("Betweenness is exact") for c in brokers.caption)
    assert not brokers.info  # the sample map is small: nothing is estimated


def test_brokers_tab_states_the_error_of_an_estimate_on_a_large_map(db_url):
    from mapping.demo.synthetic import synthetic_map

    Store(db_url).create_map(synthetic_map(1600, seed=2))  # above exact betweenness's limit
    at = start(db_url)
    at.switch_page(PAGE_FILES["gaps"]).run()
    assert not at.exception, at.exception
    brokers = choose_tab(at, "Bridges")  # only the chosen tab is drawn
    [note] = [i.value for i in brokers.info]
    assert note.startswith("Betweenness is estimated") and "600 of the 1,600 people" in note
    assert "percentage points" in note
