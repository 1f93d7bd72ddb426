"""One checked write path: every change to a map checks the user's role when it is made;
thresholds belong to each map, the welcome to each user."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, insert, text
from streamlit.testing.v1 import AppTest

from mapping.analysis.gaps import analyse
from mapping.changes.ratings import Rating
from mapping.errors import NotFoundError
from mapping.model.settings import Settings
from mapping.storage import access, history, migrations, rating_store, reflections
from mapping.storage.settings import map_settings, preferences, store_map_settings
from mapping.storage.store import Store
from mapping.storage.writes import MapWrites
from tests.conftest import ROOT, make_small_map
from tests.fixtures.make_schema_0001 import PATH as FIXTURE
from tests.test_auth_app import AUTH
from tests.test_migrations import copy_fixture_into

OWNER, EDITOR, VIEWER, REVOKED = (
    "olive@example.org",
    "eddie@example.org",
    "vera@example.org",
    "rex@example.org",
)
TODAY = date(2026, 3, 1)


@pytest.fixture
def shared(database_url):
    """A map owned by Olive, with an editor, a viewer and a former editor; a snapshot, a note
    and a rater's view already kept."""
    store = Store(database_url)
    map_id = access.create_map(store, make_small_map(), OWNER)
    access.share(store, map_id, OWNER, EDITOR, access.EDITOR)
    access.share(store, map_id, OWNER, VIEWER, access.VIEWER)
    access.share(store, map_id, OWNER, REVOKED, access.EDITOR)
    access.unshare(store, map_id, OWNER, REVOKED)
    sid = history.take_snapshot(store, map_id, "March board")
    note = reflections.add_reflection(store, map_id, "Council link weak")
    rating_store.save_rating(store, map_id, Rating("Council", "cat", "stance", "opposed"))
    yield store, map_id, sid, note
    store.close()


def everything(store: Store) -> tuple:
    """All a write could change, as plain values."""
    maps = [(i.id, i.name, i.version) for i in store.list_maps()]
    per_map = [
        (
            store.load_map(i),
            [(s.id, s.name) for s in history.list_snapshots(store, i)],
            [(n.id, n.text, n.in_report) for n in reflections.list_reflections(store, i)],
            rating_store.list_ratings(store, i),
            map_settings(store, i),
            access.members(store, i),
        )
        for i, *_ in maps
    ]
    return maps, per_map, len(access.audit_log(store))


# Every change to a map, as the page makes it: (what, the change, the action it needs).
WRITES = {
    "map save": (
        lambda w, s, n: w.save_map(replace(make_small_map(), name="Mine now")),
        "edit",
    ),
    "positions save": (lambda w, s, n: w.save_positions({"ann": (10.0, 20.0)}), "edit"),
    "rename": (lambda w, s, n: w.rename("Renamed"), "edit"),
    "duplicate": (lambda w, s, n: w.duplicate(), "edit"),
    "snapshot take": (lambda w, s, n: w.take_snapshot("Mine"), "edit"),
    "snapshot rename": (lambda w, s, n: w.rename_snapshot(s, "Renamed"), "edit"),
    "snapshot delete": (lambda w, s, n: w.delete_snapshot(s), "edit"),
    "snapshot restore": (lambda w, s, n: w.restore_snapshot(s), "edit"),
    "reflection add": (lambda w, s, n: w.add_reflection("Mine"), "edit"),
    "reflection edit": (lambda w, s, n: w.edit_reflection(n, "Changed"), "edit"),
    "reflection include": (lambda w, s, n: w.include_in_report(n, True), "edit"),
    "reflection delete": (lambda w, s, n: w.delete_reflection(n), "edit"),
    "rating save": (
        lambda w, s, n: w.save_ratings([Rating("ICB", "cat", "stance", "supporter")]),
        "edit",
    ),
    "rating delete": (lambda w, s, n: w.delete_ratings(rater="Council"), "edit"),
    "settings save": (lambda w, s, n: w.save_settings(Settings(stale_months=3)), "edit"),
    "settings reset": (lambda w, s, n: w.save_settings(None), "edit"),
    "erasure": (lambda w, s, n: w.erase("cat"), "erase"),
    "share": (lambda w, s, n: w.share("new@example.org", access.VIEWER), "share"),
    "unshare": (lambda w, s, n: w.unshare(VIEWER), "share"),
    "delete": (lambda w, s, n: w.delete(), "delete"),
}


@pytest.mark.parametrize("who", [VIEWER, REVOKED])
@pytest.mark.parametrize("write", list(WRITES))
def test_a_viewer_or_revoked_editor_is_refused_every_write_and_nothing_is_written(
    shared, write, who
):
    store, map_id, sid, note = shared
    before = everything(store)
    change, _ = WRITES[write]
    with pytest.raises(access.AccessDenied):
        change(MapWrites(store, map_id, who), sid, note)
    assert everything(store) == before


@pytest.mark.parametrize("write", list(WRITES))
def test_an_editor_may_make_every_change_but_the_owners(shared, write):
    store, map_id, sid, note = shared
    before = everything(store)
    change, action = WRITES[write]
    if action != "edit":
        with pytest.raises(access.AccessDenied, match="Only the map's owner"):
            change(MapWrites(store, map_id, EDITOR), sid, note)
        assert everything(store) == before
        change(MapWrites(store, map_id, OWNER), sid, note)
    else:
        change(MapWrites(store, map_id, EDITOR), sid, note)
    assert everything(store) != before


def test_the_role_is_read_when_writing_not_when_the_writer_was_made(shared):
    store, map_id, _, note = shared
    writer = MapWrites(store, map_id, EDITOR)
    writer.include_in_report(note, True)
    access.unshare(store, map_id, OWNER, EDITOR)
    with pytest.raises(access.AccessDenied, match="do not have access"):
        writer.include_in_report(note, False)
    assert reflections.list_reflections(store, map_id)[0].in_report is True


def test_a_writer_cannot_reach_another_maps_snapshots_or_notes(shared):
    store, _, sid, note = shared
    other = access.create_map(store, make_small_map(), EDITOR)  # Eddie owns this one
    mine = MapWrites(store, other, EDITOR)
    for change in (
        lambda: mine.delete_snapshot(sid),
        lambda: mine.rename_snapshot(sid, "Gone"),
        lambda: mine.restore_snapshot(sid),
        lambda: mine.delete_reflection(note),
        lambda: mine.include_in_report(note, True),
    ):
        before = everything(store)
        with pytest.raises(NotFoundError, match="on this map"):
            change()
        assert everything(store) == before


def test_single_user_mode_writes_as_the_owner(database_url):
    store = Store(database_url)
    map_id = store.create_map(make_small_map())
    MapWrites(store, map_id, None).save_settings(Settings(recruit_top=9))
    assert map_settings(store, map_id).recruit_top == 9
    store.close()


# --- thresholds belong to a map ------------------------------------------------------------


def findings(store: Store, map_id: int) -> list[tuple[str, str]]:
    report = analyse(store.load_map(map_id), map_settings(store, map_id), today=TODAY)
    return [(f.code, f.title) for f in report.findings]


def test_changing_one_maps_thresholds_leaves_another_maps_findings_alone(database_url):
    store = Store(database_url)
    a = access.create_map(store, make_small_map(), OWNER)
    b = access.create_map(store, make_small_map(), OWNER)
    before_a, before_b = findings(store, a), findings(store, b)
    MapWrites(store, a, OWNER).save_settings(Settings(high_influence=1, strong_tie=5))
    assert findings(store, a) != before_a
    assert findings(store, b) == before_b
    assert map_settings(store, b) == Settings()
    store.close()


def test_a_viewer_cannot_change_a_maps_thresholds(shared):
    store, map_id, *_ = shared
    MapWrites(store, map_id, EDITOR).save_settings(Settings(stale_months=6))
    with pytest.raises(access.AccessDenied, match="not change it"):
        MapWrites(store, map_id, VIEWER).save_settings(Settings(stale_months=1))
    assert map_settings(store, map_id) == Settings(stale_months=6)
    assert access.audit_log(store, map_id)[0].summary == f"set the thresholds of map {map_id}"


def test_a_maps_thresholds_go_with_its_copy_and_its_deletion_and_restore(shared):
    store, map_id, *_ = shared
    tuned = Settings(stale_months=6, recruit_top=8)
    MapWrites(store, map_id, OWNER).save_settings(tuned)
    copy = MapWrites(store, map_id, EDITOR).duplicate()
    assert map_settings(store, copy) == tuned
    sid = MapWrites(store, map_id, OWNER).delete()
    assert map_settings(store, map_id) == Settings()
    back = access.restore_deleted_map(store, sid, OWNER)
    assert map_settings(store, back) == tuned
    assert map_settings(store, copy) == tuned


# --- the migration carries the app-wide values into every map and user ----------------------


def test_the_upgrade_gives_every_map_the_old_app_wide_thresholds(database_url):
    copy_fixture_into(database_url)  # the first released schema, thresholds kept app-wide
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO maps (name, description, perspectives, relationship_types, "
                "positions, version, created_at, updated_at) VALUES ('Second', '', '[]', '[]', "
                "'{}', 1, '2026-02-01 10:00:00', '2026-02-01 10:00:00')"
            )
        )
        conn.execute(text("INSERT INTO settings VALUES ('welcome_dismissed', 'true')"))
        conn.execute(text("INSERT INTO settings VALUES ('recruit_top', '8')"))
    engine.dispose()
    store = Store(database_url)
    carried = Settings(stale_months=12, high_influence=4, strong_tie=4, recruit_top=8)
    assert [map_settings(store, i.id) for i in store.list_maps()] == [carried, carried]
    assert preferences(store, None) == {"welcome_dismissed": True}
    # a map made after the upgrade starts from the defaults
    assert map_settings(store, store.create_map(make_small_map())) == Settings()
    store.close()


def test_the_upgrade_gives_the_welcome_flag_to_every_known_user(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE, path)
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    migrations.upgrade(engine, "0002_access")
    with engine.begin() as conn:
        conn.execute(
            insert(access.map_access_table).values(
                map_id=1, user_email=OWNER, role="owner", granted_at=datetime.now(UTC)
            )
        )
        conn.execute(text("INSERT INTO settings VALUES ('welcome_dismissed', 'true')"))
    engine.dispose()
    store = Store(url)
    assert preferences(store, OWNER) == preferences(store, None) == {"welcome_dismissed": True}
    assert preferences(store, EDITOR) == {}
    store.close()


# --- the app writes only through the checked path ------------------------------------------


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'writes.db'}"
    monkeypatch.setenv("MAPPING_DATABASE_URL", url)
    store = Store(url)
    yield store
    store.close()


def signed_in(email: str | None, page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if email is not None:
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": email, "name": email.split("@")[0]}
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("revoke", "message"), [(True, "do not have access"), (False, "not change it")]
)
def test_an_editor_whose_access_went_while_the_page_was_open_cannot_tick_a_note(
    app_db, revoke, message
):
    store = app_db
    map_id = access.create_map(store, make_small_map(), OWNER)
    access.share(store, map_id, OWNER, EDITOR, access.EDITOR)
    note = reflections.add_reflection(store, map_id, "Council link weak")
    at = signed_in(EDITOR, "ui/pages/reflect.py")
    at.segmented_control(key="reflect-section").set_value("Reflection log").run()
    assert not at.exception and not at.error
    if revoke:  # the owner takes the access away, or makes them a viewer
        access.unshare(store, map_id, OWNER, EDITOR)
    else:
        access.share(store, map_id, OWNER, EDITOR, access.VIEWER)
    at.checkbox(key=f"note-report-{note}").check().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error if message in e.value], [e.value for e in at.error]
    assert reflections.list_reflections(store, map_id)[0].in_report is False


def test_a_viewer_sees_the_thresholds_read_only(app_db):
    store = app_db
    map_id = access.create_map(store, make_small_map(), OWNER)
    access.share(store, map_id, OWNER, VIEWER, access.VIEWER)
    store_map_settings(store, map_id, Settings(stale_months=7))
    at = signed_in(VIEWER, "ui/pages/settings.py")
    assert not [b for b in at.button if b.label == "Save thresholds"]
    [table] = [d for d in at.dataframe if "Setting" in d.value.columns]
    values = dict(zip(table.value["Setting"], table.value["Value"], strict=True))
    assert values["Stale after (months)"] == 7


def test_the_settings_page_saves_the_current_maps_thresholds_only(app_db):
    store = app_db
    a = store.create_map(make_small_map())
    b = store.create_map(replace(make_small_map(), name="Other map"))
    at = signed_in(None, "ui/pages/settings.py")
    shown = at.session_state["map_id"]
    [stale] = [n for n in at.number_input if n.label == "Stale after (months)"]
    stale.set_value(6)
    [save] = [b for b in at.button if b.label == "Save thresholds"]
    save.click().run()
    assert not at.exception and not at.error
    other = b if shown == a else a
    assert map_settings(store, shown).stale_months == 6
    assert map_settings(store, other) == Settings()
    # every page's analysis reads the map's own: the review page says so
    at.switch_page("ui/pages/review.py").run()
    assert any("6 months after" in c.value for c in at.caption)


def test_the_welcome_is_put_away_for_one_user_only(app_db):
    store = app_db
    access.create_map(store, make_small_map(), OWNER)
    at = signed_in(OWNER, "ui/pages/map_view.py")
    [away] = [b for b in at.button if b.label == "Put the welcome away"]
    away.click().run()
    assert preferences(store, OWNER) == {"welcome_dismissed": True}
    assert preferences(store, EDITOR) == preferences(store, None) == {}


def test_a_backup_keeps_each_maps_thresholds(database_url):
    from mapping.errors import ValidationError
    from mapping.storage.backup import backup, restore_backup

    store = Store(database_url)
    a = store.create_map(make_small_map())
    store.create_map(replace(make_small_map(), name="Other map"))
    store_map_settings(store, a, Settings(stale_months=6))
    data = backup(store)
    restore_backup(store, data, replace=True)
    by_name = {i.name: map_settings(store, i.id) for i in store.list_maps()}
    assert by_name == {make_small_map().name: Settings(stale_months=6), "Other map": Settings()}
    broken = data.replace(b'"stale_months": 6', b'"stale_months": 0')
    with pytest.raises(ValidationError, match="Stale after"):
        restore_backup(store, broken, replace=True)
    store.close()
