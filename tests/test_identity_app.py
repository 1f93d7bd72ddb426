"""What the user picks is picked by identity, and every create acts once (AppTest).

Streamlit's select boxes send the chosen option's label back, not its position: two options
with the same label are one option to the browser. These tests name maps, snapshots and
people alike and check that what the user picked is what the app acts on.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from mapping.demo.sample import load_sample
from mapping.io import project_json
from mapping.model import Map, Stakeholder
from mapping.storage import access, history, rating_store
from mapping.storage.store import Store
from tests.apptest import button, ok, open_sidebar
from tests.conftest import ROOT, make_small_map

PAGES = {
    "start": "ui/pages/start.py",
    "stakeholders": "ui/pages/stakeholders.py",
    "history": "ui/pages/history.py",
    "reflect": "ui/pages/reflect.py",
    "views": "ui/pages/views.py",
    "import-export": "ui/pages/import_export.py",
}
ALICE = "alice@example.org"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-secret-of-enough-length",
    "client_id": "coalition-mapper",
    "client_secret": "not-a-secret",
    "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
}


def start(page: str | None = None, user: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if user is not None:
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": user, "name": user.split("@")[0]}
    at.run()
    ok(at)
    if page:
        at.switch_page(PAGES[page]).run()
        ok(at)
    return at


def field(at: AppTest, label: str):
    [found] = [t for t in at.text_input if t.label == label]
    return found


def select(at: AppTest, label: str):
    [found] = [s for s in at.selectbox if s.label == label]
    return found


@pytest.fixture
def sample(app_store) -> int:
    """The sample map, made before the app starts (so the app's first run adds none)."""
    return app_store.create_map(load_sample())


def names(app_store: Store) -> list[str]:
    return sorted(info.name for info in app_store.list_maps())


def test_new_maps_get_unique_default_names(app_store):
    first = access.create_map(app_store, Map(name="My coalition"), None)
    second = access.create_map(app_store, Map(name="My coalition"), None)
    third = access.create_map(app_store, Map(name=" my coalition "), None)
    assert [app_store.load_map(i).name for i in (first, second, third)] == [
        "My coalition",
        "My coalition 2",
        "my coalition 3",
    ]
    copies = [access.duplicate_map(app_store, first, None) for _ in range(2)]
    copied = [app_store.load_map(i).name for i in copies]
    assert copied == ["Copy of My coalition", "Copy of My coalition 2"]
    # a name at the length limit keeps within it when numbered
    long_name = "x" * 300
    access.create_map(app_store, Map(name=long_name), None)
    numbered = app_store.load_map(access.create_map(app_store, Map(name=long_name), None)).name
    assert len(numbered) == 300 and numbered.endswith(" 2")
    # each signed-in user's names are their own
    access.create_map(app_store, Map(name="Discharge"), ALICE)
    bob = access.create_map(app_store, Map(name="Discharge"), "bob@example.org")
    assert app_store.load_map(bob).name == "Discharge"


def test_start_a_blank_map_twice_makes_two_named_apart(db_url, app_store):
    at = start("start")
    button(at, "Start a blank map").click().run()
    ok(at)
    at.switch_page(PAGES["start"]).run()
    button(at, "Start a blank map").click().run()
    ok(at)
    assert names(app_store).count("My coalition") == 1
    assert "My coalition 2" in names(app_store)
    # the sidebar's picker shows the new one, by id
    newest = max(info.id for info in app_store.list_maps())
    assert at.sidebar.selectbox[0].value == newest


def test_a_new_person_lands_in_the_same_named_map_on_screen(db_url, app_store):
    for _ in range(2):
        access.create_map(app_store, Map(name="My coalition"), None)
        app_store.rename_map(max(i.id for i in app_store.list_maps()), "My coalition")
    at = start("stakeholders")
    picker = at.sidebar.selectbox[0]
    assert len(set(picker.options)) == len(picker.options), picker.options
    for chosen in sorted(info.id for info in app_store.list_maps()):
        at.sidebar.selectbox[0].set_value(chosen).run()
        ok(at)
        assert at.sidebar.selectbox[0].value == chosen
    shown = at.sidebar.selectbox[0].value
    for person in ("Person C", "Person D"):
        # a browser sends the picker's own value back with every action, as its label
        at.sidebar.selectbox[0].set_value(at.sidebar.selectbox[0].value)
        field(at, "Name *").input(person)
        button(at, "Add stakeholder").click().run()
        ok(at)
    assert [s.name for s in app_store.load_map(shown).stakeholders] == ["Person C", "Person D"]
    assert at.sidebar.selectbox[0].value == shown


def test_deleting_a_same_named_map_asks_on_the_first_click(db_url, app_store):
    for _ in range(2):
        map_id = access.create_map(app_store, Map(name="Twin"), None)
        app_store.rename_map(map_id, "Twin")
    at = start()
    shown = at.sidebar.selectbox[0].value
    open_sidebar(at)
    button(at, "Delete this map…", sidebar=True).click().run()
    button(at, "Yes, delete", sidebar=True).click().run()
    ok(at)
    assert shown not in {info.id for info in app_store.list_maps()}


def test_the_snapshot_picked_is_the_snapshot_compared(db_url, app_store, sample):
    # two snapshots alike in name and minute
    at = start()
    [info] = app_store.list_maps()
    m = app_store.load_map(info.id)
    base = m.with_stakeholders(m.stakeholders[:2])
    app_store.save_map(info.id, base)
    older = history.take_snapshot(app_store, info.id, "Board")
    app_store.save_map(info.id, m.with_stakeholders(m.stakeholders[:3]))
    newer = history.take_snapshot(app_store, info.id, "Board")
    app_store.save_map(info.id, m.with_stakeholders(m.stakeholders[:4]))
    taken = {s.id: s.taken_at for s in history.list_snapshots(app_store, info.id)}
    at.switch_page(PAGES["reflect"]).run()
    at.segmented_control(key="reflect-section").set_value("What changed").run()
    ok(at)
    picker = select(at, "From")
    assert len(set(picker.options)) == len(picker.options), picker.options
    assert taken[older] <= taken[newer]
    picker.set_value(older).run()
    ok(at)
    assert select(at, "From").value == older
    text = "\n".join(str(x.value) for x in (*at.markdown, *at.caption, *at.text))
    assert "2 stakeholders added" in text, text
    select(at, "From").set_value(newer).run()
    text = "\n".join(str(x.value) for x in (*at.markdown, *at.caption, *at.text))
    assert "1 stakeholder added" in text, text


def _upload(at: AppTest, m: Map, filename: str = "board.coalition.json") -> None:
    at.file_uploader[0].set_value((filename, project_json.dumps(m).encode(), "application/json"))
    at.run()


def test_create_the_map_after_an_import_creates_one_map(db_url, app_store, sample):
    at = start("import-export")
    before = len(app_store.list_maps())
    _upload(at, make_small_map())
    ok(at)
    button(at, "Create the map").click().run()
    ok(at)
    assert len(app_store.list_maps()) == before + 1
    created = max(info.id for info in app_store.list_maps())
    assert at.sidebar.selectbox[0].value == created
    # the same upload again: the page says it was created, and no button makes a second
    assert not [b for b in at.button if b.label == "Create the map"]
    assert any("Created" in str(s.value) for s in (*at.success, *at.markdown))
    at.run()
    ok(at)
    assert not [b for b in at.button if b.label == "Create the map"]
    assert len(app_store.list_maps()) == before + 1


def test_the_preview_refuses_what_creation_refuses(db_url, app_store, sample):
    at = start("import-export")
    before = len(app_store.list_maps())
    _upload(at, Map(name="n" * 350, stakeholders=make_small_map().stakeholders))
    assert not [b for b in at.button if b.label == "Create the map"]
    refused = "\n".join(str(e.value) for e in at.error)
    assert "The map" in refused and "300" in refused, refused
    assert len(app_store.list_maps()) == before


def test_the_rater_form_starts_empty_for_the_next_rater(db_url, app_store, sample):
    at = start("views")
    [info] = app_store.list_maps()
    m = app_store.load_map(info.id)
    who = m.stakeholders[0].id
    field(at, "Your name or role *").input("Colleague one")
    select(at, "Influence (1-5)").set_value(4)
    select(at, "Stance").set_value("champion")
    button(at, "Save this view").click().run()
    ok(at)
    assert select(at, "Influence (1-5)").value == "(no view)"
    assert select(at, "Stance").value == "(no view)"
    assert field(at, "Your name or role *").value == ""
    field(at, "Your name or role *").input("Colleague two")
    select(at, "Stance").set_value("sceptic")
    button(at, "Save this view").click().run()
    ok(at)
    given = {(r.rater, r.field): r.value for r in rating_store.list_ratings(app_store, info.id)}
    assert {r for r, _ in given} == {"Colleague one", "Colleague two"}
    assert ("Colleague two", "influence") not in given
    assert ("Colleague one", "influence") in given
    assert all(r.subject == who for r in rating_store.list_ratings(app_store, info.id))


def test_a_signed_in_user_without_maps_can_import_from_the_welcome(db_url, app_store):
    at = start(user=ALICE)
    button(at, "Import a spreadsheet or Kumu file").click().run()
    ok(at)
    assert at.file_uploader, "an uploader on the import page"
    _upload(at, make_small_map())
    ok(at)
    button(at, "Create the map").click().run()
    ok(at)
    [info] = access.maps_visible_to(app_store, ALICE)
    assert info.name == make_small_map().name
    assert access.role_of(app_store, info.id, ALICE) == access.OWNER


def test_people_of_the_same_name_are_told_apart_when_erasing(db_url, app_store, sample):
    at = start()
    [info] = app_store.list_maps()
    m = app_store.load_map(info.id)
    twins = (Stakeholder("sam-1", "Sam Lee"), Stakeholder("sam-2", "Sam Lee"))
    app_store.save_map(info.id, m.with_stakeholders((*m.stakeholders, *twins)))
    at.switch_page(PAGES["stakeholders"]).run()
    ok(at)
    at.session_state["erase-open"] = True  # the section, opened
    at.run()
    picker = select(at, "Person to erase")
    assert len(set(picker.options)) == len(picker.options)
    picker.set_value("sam-2").run()
    assert select(at, "Person to erase").value == "sam-2"


def test_the_sidebar_makes_maps_named_apart(db_url, app_store):
    at = open_sidebar(start())
    for _ in range(2):
        [submit] = [b for b in at.sidebar.button if b.label == "Create map"]
        submit.click().run()
        ok(at)
    assert names(app_store).count("My coalition") == 1 and "My coalition 2" in names(app_store)
    shown = at.sidebar.selectbox[0].value
    assert app_store.load_map(shown).name == "My coalition 2"
    open_sidebar(at)  # the section to rename, duplicate or delete it, there now
    button(at, "Duplicate this map", sidebar=True).click().run()
    ok(at)
    copy = at.sidebar.selectbox[0].value
    assert copy != shown and app_store.load_map(copy).name == "Copy of My coalition 2"
    assert len(set(at.sidebar.selectbox[0].options)) == len(app_store.list_maps())
