"""Storage in the app (AppTest): two people editing one map, and the backup page."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from mapping.demo.sample import load_sample
from mapping.storage import backup, history
from mapping.storage.store import Store
from tests.apptest import ok
from tests.conftest import ROOT
from tests.store_state import database_state

SETTINGS = "ui/pages/settings.py"
BACKUP = "ui/pages/backup.py"


def session(page: str) -> AppTest:
    """One person's browser session, on ``page``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(page).run()
    ok(at)
    return at


def describe(at: AppTest, *, name: str | None = None, description: str | None = None) -> None:
    """Fill in the map's name and description form and save it."""
    if name is not None:
        next(t for t in at.text_input if t.label == "Name").input(name)
    if description is not None:
        next(t for t in at.text_area if t.label == "What is the change?").input(description)
    next(b for b in at.button if b.label == "Save name and description").click().run()


def only_map(url: str) -> tuple[Store, int]:
    store = Store(url)
    [info] = store.list_maps()
    return store, info.id


def describe_page() -> None:
    """The settings page's name-and-description form, with keyed fields (so a field keeps
    what the user typed when someone else's save changes its starting value)."""
    from dataclasses import replace

    import streamlit as st

    from ui import runner, state

    def page(cur: state.Current) -> None:
        with st.form("about-map"):
            name = st.text_input("Name", value=cur.map.name, key=f"name-{cur.id}")
            description = st.text_area(
                "What is the change?", value=cur.map.description, key=f"about-{cur.id}"
            )
            if st.form_submit_button("Save name and description"):
                new = replace(cur.map, name=name, description=description)
                state.save(cur, new, "describe the map")
                st.rerun()

    runner.run(page, "Describe the map")


def two_sessions(url: str) -> tuple[AppTest, AppTest, Store, int]:
    session(SETTINGS)  # the app's first run puts the sample map in
    store, map_id = only_map(url)
    people = []
    for _ in range(2):
        at = AppTest.from_function(describe_page, default_timeout=90)
        at.session_state["map_id"] = map_id
        at.run()
        ok(at)
        people.append(at)
    return people[0], people[1], store, map_id


def test_two_people_changing_different_fields_keep_both_changes(db_url):
    alice, bob, store, map_id = two_sessions(db_url)
    first = store.load_map(map_id)
    describe(alice, description="Alice's description")
    ok(alice)
    describe(bob, name="Bob's name")  # his form still holds the old description
    ok(bob)
    m = store.load_map(map_id)
    assert (m.name, m.description) == ("Bob's name", "Alice's description")
    assert m.stakeholders == first.stakeholders
    assert store.version(map_id) == 3


def test_two_people_changing_the_same_field_the_second_is_told_both_values(db_url):
    alice, bob, store, map_id = two_sessions(db_url)
    before = store.load_map(map_id).description
    describe(alice, description="Alice's description")
    ok(alice)
    describe(bob, description="Bob's description")
    assert not bob.exception, bob.exception
    [error] = [e.value.replace("\\", "") for e in bob.error]  # user values are escaped
    assert "changed by someone else since you opened it (version 1 → 2)" in error
    assert 'yours "Bob\'s description", theirs "Alice\'s description"' in error
    assert f"(it was '{before[:40]}" in error
    assert store.load_map(map_id).description == "Alice's description"
    assert store.version(map_id) == 2
    # he sees her version now, his text still in the form: saving again is his choice
    describe(bob)
    ok(bob)
    assert store.load_map(map_id).description == "Bob's description"


def test_a_change_right_after_ones_own_is_not_a_conflict(db_url):
    at = session(SETTINGS)
    describe(at, description="First")
    ok(at)
    describe(at, description="Second")
    ok(at)
    store, map_id = only_map(db_url)
    assert store.load_map(map_id).description == "Second"
    assert store.version(map_id) == 3


def test_the_backup_page_restores_a_file_beside_or_in_place(db_url, small_map, tmp_path):
    other = Store(f"sqlite:///{tmp_path / 'other.sqlite'}")
    kept = other.create_map(small_map)
    history.take_snapshot(other, kept, "March")
    data = backup.backup(other)
    other.close()

    at = session(BACKUP)
    assert [b.label for b in at.get("download_button")] == ["Download a backup of everything"]
    at.file_uploader[0].set_value(("everything.json", data, "application/json")).run()
    ok(at)
    assert any("holds 1 map, 1 snapshot, 0 notes and 0 ratings" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Restore the backup").click().run()
    ok(at)
    store = Store(db_url)
    assert sorted(i.name for i in store.list_maps()) == sorted([load_sample().name, small_map.name])

    at.radio[0].set_value("Replace everything here with the backup").run()
    restore = next(b for b in at.button if b.label == "Restore the backup")
    assert restore.disabled, "replacing everything needs the box ticked"
    next(c for c in at.checkbox if "everything here is replaced" in c.label).check().run()
    next(b for b in at.button if b.label == "Restore the backup").click().run()
    ok(at)
    [info] = store.list_maps()
    assert store.load_map(info.id) == small_map
    assert [s.name for s in history.list_snapshots(store, info.id)] == ["March"]
    assert at.sidebar.selectbox[0].value == info.id


def test_a_bad_backup_file_is_refused_on_the_page_and_changes_nothing(db_url):
    at = session(BACKUP)
    store = Store(db_url)
    before = database_state(store)
    bad = json.dumps({"format": "coalition-mapper-backup", "version": 1, "maps": [{}]})
    at.file_uploader[0].set_value(("bad.json", bad.encode(), "application/json")).run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    plain = error.replace("\\", "")  # the page escapes Markdown in the file's name
    assert plain.startswith("bad.json cannot be restored, and nothing was changed")
    assert "- Map 1: created_at None is not a date and time" in plain
    assert not [b for b in at.button if b.label == "Restore the backup"]
    assert database_state(store) == before
