"""Snapshots, deleted maps, reflection notes and raters' views kept in a real store (both databases)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import inspect, text

from mapping.analysis.headline import figures_with, headline_figures
from mapping.changes.diff import diff_maps
from mapping.changes.ratings import Rating
from mapping.errors import NotFoundError, ValidationError
from mapping.io import project_json
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.settings import Settings
from mapping.storage import history, rating_store, reflections
from mapping.storage.store import Store


@pytest.fixture
def map_id(store, small_map):
    return store.create_map(small_map)


def edited(m: Map) -> Map:
    people = tuple(replace(s, stance="supporter") if s.id == "cat" else s for s in m.stakeholders)
    people += (Stakeholder("gus", "Gus Hale", perspective="patient & carer"),)
    ties = (*m.relationships[1:], Relationship("r9", "ann", "gus", strength=4))
    return replace(
        m, name="Renamed", stakeholders=people, relationships=ties, positions={"ann": (1, 2)}
    )


def test_restore_returns_the_map_to_the_snapshot_byte_for_byte(store, map_id, small_map):
    positioned = replace(small_map, positions={"ann": (10.5, -3.0), "bob": (0.0, 7.25)})
    store.save_map(map_id, positioned)
    sid = history.take_snapshot(store, map_id, "Before the board")
    kept = history.snapshot_text(store, sid)
    assert kept == project_json.dumps(positioned)
    store.save_map(map_id, edited(positioned))
    assert project_json.dumps(store.load_map(map_id)) != kept

    version = history.restore_snapshot(store, map_id, sid, expected_version=store.version(map_id))
    assert project_json.dumps(store.load_map(map_id)) == kept
    assert version == store.version(map_id)
    # the restore is itself undoable: the edited map was kept first
    latest = history.list_snapshots(store, map_id)[0]
    assert latest.reason == history.RESTORE and latest.automatic
    assert history.snapshot_map(store, latest.id) == edited(positioned)
    history.restore_snapshot(store, map_id, latest.id)
    assert store.load_map(map_id) == edited(positioned)


def test_snapshot_then_change_then_diff_gives_exactly_the_change(store, map_id, small_map):
    sid = history.take_snapshot(store, map_id, "Before")
    store.save_map(map_id, edited(small_map))
    d = diff_maps(history.snapshot_map(store, sid), store.load_map(map_id))
    assert (d.added, d.removed) == (("gus",), ())
    assert [(c.id, c.field, c.before, c.after) for c in d.changes] == [
        ("cat", "stance", "sceptic", "supporter")
    ]
    assert [t.id for t in d.gained] == ["r9"] and [t.id for t in d.lost] == ["r1"]
    assert not (d.strengthened or d.weakened or d.tie_changes)


def test_snapshots_are_listed_newest_first_with_their_details(store, map_id, small_map):
    first = history.take_snapshot(store, map_id, "  One  ")
    store.save_map(map_id, edited(small_map))
    second = history.take_snapshot(store, map_id)
    snaps = history.list_snapshots(store, map_id)
    assert [s.id for s in snaps] == [second, first]
    assert snaps[1].name == "One" and snaps[1].reason == history.MANUAL
    assert snaps[0].name.startswith("Snapshot of ")
    assert (snaps[1].stakeholders, snaps[1].relationships) == (6, 5)
    assert (snaps[0].stakeholders, snaps[0].map_name, snaps[0].map_version) == (7, "Renamed", 2)
    assert snaps[0].taken_at.tzinfo is not None


def test_an_automatic_snapshot_of_an_unchanged_map_is_not_taken_twice(store, map_id):
    a = history.take_snapshot(store, map_id, reason=history.BULK_EDIT)
    b = history.take_snapshot(store, map_id, reason=history.IMPORT)
    c = history.take_snapshot(store, map_id, "By hand")
    assert a == b != c
    assert len(history.list_snapshots(store, map_id)) == 2


def test_a_snapshot_of_the_map_as_the_user_saw_it(store, map_id, small_map):
    sid = history.take_snapshot(
        store, map_id, "Before import x.csv", reason=history.IMPORT, m=edited(small_map)
    )
    assert history.snapshot_map(store, sid) == edited(small_map)
    assert history.get_snapshot(store, sid).name == "Before import x.csv"


def test_snapshot_requests_are_checked(store, map_id, small_map):
    with pytest.raises(ValidationError, match="Unknown snapshot reason"):
        history.take_snapshot(store, map_id, reason="whim")
    with pytest.raises(ValidationError, match="at most 300"):
        history.take_snapshot(store, map_id, "x" * 301)
    with pytest.raises(NotFoundError):
        history.take_snapshot(store, 999)
    other = store.create_map(replace(small_map, name="Other"))
    sid = history.take_snapshot(store, other)
    with pytest.raises(ValidationError, match="belongs to another map"):
        history.restore_snapshot(store, map_id, sid)
    with pytest.raises(NotFoundError, match="no snapshot"):
        history.get_snapshot(store, 12345)


def test_rename_and_delete_a_snapshot_keeps_notes_about_it(store, map_id):
    sid = history.take_snapshot(store, map_id, "Old name")
    history.rename_snapshot(store, sid, "March board")
    assert history.get_snapshot(store, sid).name == "March board"
    note = reflections.add_reflection(store, map_id, "Council link weak", snapshot_id=sid)
    history.delete_snapshot(store, sid)
    assert history.list_snapshots(store, map_id) == []
    [kept] = reflections.list_reflections(store, map_id)
    assert (kept.id, kept.snapshot_id) == (note, None)


def test_snapshot_figures_are_those_of_its_map_on_the_day_it_was_taken(store, map_id, small_map):
    sid = history.take_snapshot(store, map_id)
    day = history.get_snapshot(store, sid).taken_at.date()
    assert history.snapshot_figures(store, sid, figures_with) == headline_figures(small_map, day)
    strict = Settings(stale_months=1, strong_tie=5)
    expected = headline_figures(small_map, day, stale_months=1, strong_tie=5)
    assert history.snapshot_figures(store, sid, figures_with, strict) == expected
    assert (
        history.snapshot_figures(store, sid, figures_with, strict) == expected
    )  # read back when kept


def test_deleting_a_map_keeps_its_history_until_forgotten(store, map_id, small_map):
    manual = history.take_snapshot(store, map_id, "Kept")
    note = reflections.add_reflection(store, map_id, "Worth keeping", author="the team")
    rating_store.save_rating(store, map_id, Rating("Council", "cat", "stance", "opposed"))
    last = history.delete_map_keeping_history(store, map_id)

    assert store.list_maps() == []
    [gone] = history.deleted_maps(store)
    assert (gone.id, gone.reason, gone.map_id, gone.map_name) == (
        last,
        history.DELETION,
        None,
        small_map.name,
    )
    assert history.snapshot_map(store, last) == small_map

    # a new map that reuses the old id does not inherit the old history
    newcomer = store.create_map(Map(name="Newcomer"))
    assert history.list_snapshots(store, newcomer) == []
    assert reflections.list_reflections(store, newcomer) == []
    assert rating_store.list_ratings(store, newcomer) == []

    back = history.restore_deleted_map(store, last)
    assert store.load_map(back) == small_map
    assert {s.id for s in history.list_snapshots(store, back)} == {manual, last}
    assert [n.id for n in reflections.list_reflections(store, back)] == [note]
    assert rating_store.list_ratings(store, back) == [Rating("Council", "cat", "stance", "opposed")]
    assert history.deleted_maps(store) == []


def test_purging_a_deleted_map_forgets_everything_of_it(store, map_id):
    history.take_snapshot(store, map_id, "Kept")
    reflections.add_reflection(store, map_id, "Note")
    rating_store.save_rating(store, map_id, Rating("A", "cat", "influence", 2))
    last = history.delete_map_keeping_history(store, map_id)
    history.purge_deleted_map(store, last)
    assert history.deleted_maps(store) == []
    with store.engine.begin() as conn:
        for table in ("snapshots", "reflections", "ratings"):
            assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == 0
    with pytest.raises(NotFoundError):
        history.restore_deleted_map(store, last)


def test_only_the_last_snapshot_of_a_deleted_map_restores_it(store, map_id):
    sid = history.take_snapshot(store, map_id)
    with pytest.raises(ValidationError, match="not the last snapshot of a deleted map"):
        history.restore_deleted_map(store, sid)


def test_tables_are_created_in_a_database_made_before_they_existed(database_url, small_map):
    url = database_url
    old = Store(url)
    map_id = old.create_map(small_map)
    with old.engine.begin() as conn:
        # as made by a release from before history and migrations
        for table in ("ratings", "reflections", "snapshots", "alembic_version"):
            conn.execute(text(f"DROP TABLE {table}"))
    old.close()
    store = Store(url)
    assert not store.fresh
    history.ensure_tables(store)
    assert {"snapshots", "reflections", "ratings"} <= set(inspect(store.engine).get_table_names())
    assert history.list_snapshots(store, map_id) == []
    store.close()


def test_reflections_are_dated_searchable_and_chosen_for_reports(store, map_id):
    sid = history.take_snapshot(store, map_id, "March")
    a = reflections.add_reflection(
        store,
        map_id,
        "The council link depends on Dan alone.",
        author="the team",
        prompt=reflections.PROMPTS[2],
        on=date(2026, 3, 2),
        snapshot_id=sid,
    )
    b = reflections.add_reflection(
        store, map_id, "I lean on Ann for everything.", on=date(2026, 4, 1)
    )
    assert [n.id for n in reflections.list_reflections(store, map_id)] == [b, a]
    assert [n.id for n in reflections.list_reflections(store, map_id, search="COUNCIL dan")] == [a]
    assert [n.id for n in reflections.list_reflections(store, map_id, search="resilience")] == [a]
    assert [n.id for n in reflections.list_reflections(store, map_id, search="team")] == [a]
    assert reflections.list_reflections(store, map_id, search="nobody") == []
    assert [n.id for n in reflections.list_reflections(store, map_id, snapshot_id=sid)] == [a]

    assert reflections.list_reflections(store, map_id, in_report=True) == []
    reflections.include_in_report(store, a)
    chosen = reflections.list_reflections(store, map_id, in_report=True)
    assert [n.id for n in chosen] == [a]
    text_out = reflections.reflections_markdown(chosen, {sid: "March"})
    assert "2 March 2026, the team" in text_out and "(on snapshot March)" in text_out
    assert "Ann" not in text_out, "only chosen notes reach the report"
    reflections.delete_reflection(store, b)
    assert [n.id for n in reflections.list_reflections(store, map_id)] == [a]


def test_reflection_input_is_checked(store, map_id, small_map):
    with pytest.raises(ValidationError, match="empty"):
        reflections.add_reflection(store, map_id, "   ")
    with pytest.raises(ValidationError, match="'me' or 'the team'"):
        reflections.add_reflection(store, map_id, "x", author="them")
    other = store.create_map(replace(small_map, name="Other"))
    sid = history.take_snapshot(store, other)
    with pytest.raises(ValidationError, match="another map"):
        reflections.add_reflection(store, map_id, "x", snapshot_id=sid)
    with pytest.raises(NotFoundError):
        reflections.include_in_report(store, 999)


def test_reflection_markdown_escapes_user_text():
    note = reflections.Reflection(
        1, 1, None, date(2026, 1, 5), None, "me", "", "<img src=x onerror=alert(1)> [link](x)"
    )
    out = reflections.reflections_markdown([note])
    assert re.search(r"(?<!\\)[<>\[]", out) is None, "every <, > and [ is escaped"
    assert "\\<img" in out and "\\[link\\]" in out
    assert reflections.reflections_markdown([]) == ""


def test_a_rater_replacing_their_view_keeps_one_rating(store, map_id):
    rating_store.save_rating(store, map_id, Rating("Council", "cat", "stance", "opposed"))
    rating_store.save_rating(store, map_id, Rating("ICB", "cat", "stance", "supporter"))
    rating_store.save_rating(store, map_id, Rating("council", "cat", "stance", "neutral"))
    rating_store.save_rating(store, map_id, Rating("Council", "r1", "strength", 2))
    assert rating_store.list_ratings(store, map_id) == [
        Rating("ICB", "cat", "stance", "supporter"),
        Rating("council", "cat", "stance", "neutral"),
        Rating("Council", "r1", "strength", 2),
    ]
    assert rating_store.raters(store, map_id) == ["ICB", "council"]
    assert rating_store.delete_ratings(store, map_id, rater="COUNCIL") == 2
    assert rating_store.delete_ratings(store, map_id, subject="cat") == 1
    assert rating_store.list_ratings(store, map_id) == []


def test_raters_are_matched_in_any_case_alike_on_both_databases(store, map_id):
    """SQL lower() folds only ASCII on SQLite; the store compares cases itself."""
    rating_store.save_rating(store, map_id, Rating("Élodie Ørsted", "cat", "stance", "opposed"))
    rating_store.save_rating(store, map_id, Rating("ÉLODIE ØRSTED", "cat", "stance", "neutral"))
    assert rating_store.list_ratings(store, map_id) == [
        Rating("ÉLODIE ØRSTED", "cat", "stance", "neutral")
    ]
    rating_store.save_rating(store, map_id, Rating("élodie ørsted", "r1", "strength", 4))
    assert rating_store.raters(store, map_id) == ["ÉLODIE ØRSTED"]
    assert rating_store.delete_ratings(store, map_id, rater="Élodie Ørsted ") == 2
    assert rating_store.list_ratings(store, map_id) == []


def test_a_snapshot_with_the_longest_name_can_still_be_restored(store, map_id, small_map):
    sid = history.take_snapshot(store, map_id, "N" * 300)
    store.save_map(map_id, edited(small_map))
    history.restore_snapshot(store, map_id, sid)
    assert store.load_map(map_id) == small_map
    safety = history.list_snapshots(store, map_id)[0]
    assert safety.reason == history.RESTORE
    assert len(safety.name) == 300 and safety.name.startswith("Before restoring 'NNN")
    assert safety.name.endswith("N…")
