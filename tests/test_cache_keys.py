"""Kept drawings, layouts and reports belong to one stored state of one map of one database,
and go when the map is deleted or a person erased."""

from __future__ import annotations

import gc
import pickle
import re
from dataclasses import replace
from datetime import date

from streamlit.testing.v1 import AppTest

from mapping.changes.view import ViewFilter
from mapping.demo.sample import load_sample
from mapping.model import Map
from mapping.storage import access, history
from mapping.storage.store import Store
from tests.apptest import open_sidebar
from tests.conftest import ROOT, make_small_map
from ui import cache, state
from ui.pages.map_view import map_html, positions_for
from ui.reports import gap_report

MAP_PAGE = "ui/pages/map_view.py"
TODAY = date(2025, 3, 1)


def current(url: str, map_id: int) -> state.Current:
    """The map as the app's pages get it (``ui.state.current`` without a session)."""
    stamp = Store(url).stamp(map_id)
    m = state._load(url, map_id, stamp)
    return state.Current(map_id, stamp[0], m, stamp=stamp)


def drawn(cur: state.Current) -> str:
    return map_html(cur.key, "force", ViewFilter(), (), (), TODAY, 6, cur.map)


def holds(value: object, text: str) -> bool:
    """Whether ``text`` is anywhere in ``value`` (its strings, tables, nested objects)."""
    return text.encode("utf-8") in pickle.dumps(value)


def kept_with(url: str, text: str) -> list[str]:
    """The registered caches holding ``text`` in an entry of the database at ``url``."""
    return [
        name
        for name, kept in cache.CACHES.items()
        if any(holds(value, text) for value in kept.values(url))
    ]


def drawing(at: AppTest) -> str:
    """The map page's drawn HTML."""
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    [frame] = at.get("iframe")
    return frame.proto.srcdoc


def test_a_new_map_that_reuses_a_deleted_maps_id_is_drawn_as_itself(db_url):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(MAP_PAGE).run()
    old = load_sample()
    assert old.stakeholders[0].name in drawing(at)
    store = Store(db_url)
    [info] = store.list_maps()
    access.delete_map(store, info.id, None)  # not through the app: nothing is forgotten
    new = make_small_map()
    assert access.create_map(store, new, None) == info.id  # SQLite reuses the id
    at.run()
    html = drawing(at)
    assert all(s.name in html for s in new.stakeholders)
    assert not any(s.name in html for s in old.stakeholders)


def test_drawing_layout_and_report_of_a_reused_id_are_the_new_maps(db_url):
    store = Store(db_url)
    old = load_sample()
    old_id = access.create_map(store, old, None)
    before = current(db_url, old_id)
    assert old.stakeholders[0].name in drawn(before)
    assert set(positions_for(before.key, "force", before.map)) == {s.id for s in old.stakeholders}
    assert gap_report(before, TODAY).map_name == old.name
    access.delete_map(store, old_id, None)
    new = make_small_map()
    assert access.create_map(store, new, None) == old_id
    cur = current(db_url, old_id)
    assert cur.version == before.version and cur.key != before.key
    html = drawn(cur)
    assert all(s.name in html for s in new.stakeholders)
    assert not any(s.name in html for s in old.stakeholders)
    assert set(positions_for(cur.key, "force", cur.map)) == {s.id for s in new.stakeholders}
    report = gap_report(cur, TODAY)
    assert report.map_name == new.name
    assert not any(holds(report, s.name) for s in old.stakeholders)


def test_deleting_a_map_in_the_sidebar_forgets_everything_kept_of_it(db_url):
    store = Store(db_url)
    map_id = access.create_map(store, make_small_map(), None)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(MAP_PAGE).run()
    drawings = cache.CACHES["map drawings"]
    at.run()  # Streamlit runs the page's file again: what it kept stays
    assert cache.CACHES["map drawings"] is drawings and len(drawings.values(db_url)) == 1
    assert kept_with(db_url, "Cat Jones")
    open_sidebar(at)
    [ask] = [b for b in at.sidebar.button if b.label == "Delete this map…"]
    ask.click().run()
    [yes] = [b for b in at.sidebar.button if b.label == "Yes, delete"]
    yes.click().run()
    assert not at.exception, at.exception
    assert not store.list_maps()
    assert kept_with(db_url, "Cat Jones") == []
    assert not any(kept.values(db_url) for kept in cache.CACHES.values())
    assert access.create_map(store, Map(name="Next"), None) == map_id


def test_an_erased_name_is_in_no_kept_drawing_report_or_comparison(db_url):
    store = Store(db_url)
    map_id = access.create_map(store, make_small_map(), None)
    history.take_snapshot(store, map_id, "Start")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    for page in (MAP_PAGE, "ui/pages/gaps.py", "ui/pages/history.py", "ui/pages/reflect.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
    [show] = [s for s in at.segmented_control if s.label == "Show"]
    show.set_value("What changed").run()
    at.switch_page("ui/pages/stakeholders.py").run()
    at.session_state["erase-open"] = True  # the erasure section, opened
    at.run()
    assert not at.exception, at.exception
    name = "Cat Jones"
    was = current(db_url, map_id).key
    layouts = cache.CACHES["map layouts"]
    assert "cat" in layouts.get(was, "force", 4)  # positions by id, no name
    assert set(kept_with(db_url, name)) >= {
        "stored maps",
        "map drawings",
        "gap reports",
        "snapshot comparisons",
        "snapshot drawings",
        "people on record",
    }
    [who] = [s for s in at.selectbox if s.label == "Person to erase"]
    who.set_value("cat").run()
    [ask] = [b for b in at.button if b.label == "Erase everywhere…"]
    ask.click().run()
    [yes] = [b for b in at.button if b.label == "Yes, erase everywhere"]
    yes.click().run()
    assert not at.exception, at.exception
    assert "cat" not in {s.id for s in store.load_map(map_id).stakeholders}
    assert kept_with(db_url, name) == []
    assert layouts.get(was, "force", 4) is None
    at.switch_page(MAP_PAGE).run()  # drawn again, without them
    assert "Dan Okafor" in drawing(at) and name not in drawing(at)
    assert kept_with(db_url, name) == []


def test_identical_maps_in_two_databases_or_under_two_ids_keep_apart(tmp_path, monkeypatch):
    urls = [f"sqlite:///{tmp_path / name}" for name in ("one.db", "two.db")]
    same = make_small_map()
    ids, keys = [], []
    for url in urls:
        monkeypatch.setenv("MAPPING_DATABASE_URL", url)
        ids.append(access.create_map(Store(url), same, None))
        cur = current(url, ids[-1])
        keys.append(cur.key)
        drawn(cur)
    assert ids[0] == ids[1] and keys[0].digest == keys[1].digest and keys[0] != keys[1]
    # the first database's map is deleted and its id reused: the second's is untouched
    monkeypatch.setenv("MAPPING_DATABASE_URL", urls[0])
    assert cache.forget(urls[0], ids[0]) >= 2  # its stored copy, layout and drawing
    access.delete_map(Store(urls[0]), ids[0], None)
    other = replace(same, name="Other", stakeholders=same.stakeholders[:2], relationships=())
    assert access.create_map(Store(urls[0]), other, None) == ids[0]
    assert re.findall(r"Cat Jones", drawn(current(urls[0], ids[0]))) == []
    drawings = cache.CACHES["map drawings"]
    assert (
        drawings.get(keys[1], "force", ViewFilter(), (), (), TODAY, 6, (), (4, 4), None) is not None
    )
    monkeypatch.setenv("MAPPING_DATABASE_URL", urls[1])
    assert "Cat Jones" in drawn(current(urls[1], ids[1]))
    # a copy in the same database is a map of its own: forgetting one keeps the other's
    # (the store keeps the name as given; the access layer would have named it apart)
    copy = Store(urls[1]).create_map(same)
    twin = current(urls[1], copy)
    assert twin.key.digest == keys[1].digest and twin.key != keys[1]
    drawn(twin)
    cache.forget(urls[1], ids[1])
    assert drawings.get(keys[1], "force", ViewFilter(), (), (), TODAY, 6, (), (4, 4), None) is None
    assert (
        drawings.get(twin.key, "force", ViewFilter(), (), (), TODAY, 6, (), (4, 4), None)
        is not None
    )


def test_every_kept_result_in_the_app_goes_through_one_convention():
    stray = [
        str(path.relative_to(ROOT))
        for path in [ROOT / "app.py", *(ROOT / "ui").rglob("*.py")]
        if re.search(r"st\.cache_data|Recent\(|lru_cache", path.read_text(encoding="utf-8"))
        and path.name != "cache.py"
    ]
    assert stray == []


def test_a_maps_digest_is_worked_out_once_and_an_edit_digests_only_what_it_changed(
    monkeypatch,
):
    """A rerun asks for ``cur.key`` many times, and a save keeps the records it leaves
    alone: each record is digested once while it lives, each map once."""
    from mapping.model import digest

    done = []
    record = digest._record
    monkeypatch.setattr(digest, "_record", lambda r: done.append(r.id) or record(r))
    m = make_small_map()
    first = cache.content_digest(m)
    assert cache.content_digest(m) == first
    assert len(done) == len(m.stakeholders) + len(m.relationships)
    done.clear()
    copy = replace(m)
    assert copy is not m
    assert cache.content_digest(copy) == first, "equal content, equal digest"
    assert done == [], "the same records: none digested again"
    renamed = replace(m.stakeholders[0], name="Someone else")
    edited = replace(m, stakeholders=(renamed, *m.stakeholders[1:]))
    assert cache.content_digest(edited) != first
    assert done == [renamed.id], "only the record the edit changed"
    moved = replace(m, positions={m.stakeholders[0].id: (1.0, 2.0)})
    assert cache.content_digest(moved) not in (first, cache.content_digest(edited))
    # equal content made of new objects: the same digest, every record digested afresh
    rebuilt = replace(m, stakeholders=tuple(replace(s) for s in m.stakeholders))
    assert cache.content_digest(rebuilt) == first
    held = id(copy), id(renamed)
    del copy, edited, renamed
    gc.collect()
    assert not set(held) & digest._KEPT.keys(), "a map or record gone takes its digest with it"
