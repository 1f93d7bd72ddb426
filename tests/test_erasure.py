"""The right to erasure: one person gone from the map, every snapshot, note and rating, at once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

import pytest

from mapping.analysis.headline import figures_with
from mapping.changes.ratings import Rating
from mapping.errors import ConflictError, NotFoundError
from mapping.model import Map, Relationship, Stakeholder
from mapping.storage import access, erasure, history, migrations, rating_store, reflections
from mapping.storage.store import Store

ALICE, BOB = "alice@example.org", "bob@example.org"
NAME = "Cat Jones"


@pytest.fixture
def recorded(store, small_map):
    """Cat Jones on the live map, in two snapshots, three notes and ratings of and by her."""
    described = replace(small_map, description=f"Win over {NAME} at Eastside")
    map_id = access.create_map(store, described, ALICE)
    first = history.take_snapshot(store, map_id, "Start")
    people = tuple(
        replace(s, notes="Ask cat jones first") if s.id == "ann" else s
        for s in described.stakeholders
    )
    store.save_map(map_id, replace(described, stakeholders=people, positions={"cat": (1, 2)}))
    second = history.take_snapshot(store, map_id, f"After meeting {NAME}")
    reflections.add_reflection(store, map_id, f"{NAME} is wavering", snapshot_id=first)
    reflections.add_reflection(store, map_id, "CAT JONES agreed to chair; Cat Jonesy did not")
    reflections.add_reflection(store, map_id, "Nothing about her here")
    rating_store.save_rating(store, map_id, Rating("Council", "cat", "stance", "opposed"))
    rating_store.save_rating(store, map_id, Rating("Council", "bob", "stance", "supporter"))
    rating_store.save_rating(store, map_id, Rating(NAME, "ann", "stance", "champion"))
    return map_id, first, second


def everything_in(store: Store) -> str:
    """Every value of every table the app declares, one row a line."""
    with store.engine.connect() as conn:
        return "\n".join(
            f"{table.name}: {tuple(row)!r}"
            for table in migrations.declared_metadata().sorted_tables
            for row in conn.execute(table.select().order_by(*table.primary_key.columns))
        )


def names_her(text: str) -> bool:
    """Whether ``text`` holds her name as whole words, in any case."""
    return re.search(r"(?<!\w)cat jones(?!\w)", text, re.IGNORECASE) is not None


def test_erasure_removes_the_person_from_the_map_and_all_its_history(store, recorded):
    map_id, first, second = recorded
    assert names_her(everything_in(store))

    result = erasure.erase_stakeholder(store, map_id, "cat", actor=ALICE)

    assert result == erasure.Erasure(map_changed=True, snapshots=2, notes=2, ratings=2)
    live = store.load_map(map_id)
    assert [s.id for s in live.stakeholders] == ["ann", "bob", "dan", "eve", "fay"]
    assert {(r.source, r.target) for r in live.relationships} == {
        ("ann", "bob"),
        ("ann", "dan"),
        ("dan", "eve"),
    }
    assert live.positions == {}
    assert live.stakeholder("ann").notes == "Ask [erased] first"
    assert live.description == "Win over [erased] at Eastside"
    for sid in (first, second):
        kept = history.snapshot_map(store, sid)
        assert "cat" not in {s.id for s in kept.stakeholders}
        assert len(kept.stakeholders) == 5 and len(kept.relationships) == 3
    assert history.get_snapshot(store, second).name == "After meeting [erased]"
    notes = sorted(n.text for n in reflections.list_reflections(store, map_id))
    assert notes == [
        "Nothing about her here",
        "[erased] agreed to chair; Cat Jonesy did not",
        "[erased] is wavering",
    ]
    assert rating_store.list_ratings(store, map_id) == [
        Rating("Council", "bob", "stance", "supporter")
    ]
    assert not names_her(everything_in(store))


def test_the_audit_line_says_an_erasure_happened_and_nothing_about_whom(store, recorded):
    map_id, *_ = recorded
    erasure.erase_stakeholder(store, map_id, "cat", actor=ALICE)
    entry = access.audit_log(store, map_id)[0]
    assert (entry.actor, entry.action, entry.map_id) == (ALICE, "erasure", map_id)
    assert entry.summary == f"erasure of 1 stakeholder from map {map_id}"
    everything = " ".join(
        f"{e.actor} {e.action} {e.summary}" for e in access.audit_log(store)
    ).casefold()
    assert "cat" not in everything.replace("erasure", "")
    assert "jones" not in everything


def test_snapshots_stay_whole_after_an_erasure(store, recorded):
    map_id, first, _ = recorded
    erasure.erase_stakeholder(store, map_id, "cat", actor=ALICE)
    snap = history.get_snapshot(store, first)
    text = history.snapshot_text(store, first)
    assert snap.digest == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert (snap.stakeholders, snap.relationships) == (5, 3)
    assert history.snapshot_figures(store, first, figures_with)["stakeholders"] == 5
    history.restore_snapshot(store, map_id, first)
    assert "cat" not in {s.id for s in store.load_map(map_id).stakeholders}


def test_a_person_already_deleted_from_the_map_can_still_be_erased(store, recorded):
    map_id, first, _ = recorded
    m = store.load_map(map_id)
    store.save_map(map_id, m.with_stakeholders(s for s in m.stakeholders if s.id != "cat"))
    assert erasure.people_on_record(store, map_id)["cat"] == NAME
    result = erasure.erase_stakeholder(store, map_id, "cat", actor=ALICE)
    assert result.snapshots == 2
    assert "cat" not in erasure.people_on_record(store, map_id)
    assert "cat" not in {s.id for s in history.snapshot_map(store, first).stakeholders}


def test_people_on_record_prefer_the_live_name(store, recorded):
    map_id, *_ = recorded
    m = store.load_map(map_id)
    people = tuple(
        replace(s, name="Catherine Jones") if s.id == "cat" else s for s in m.stakeholders
    )
    store.save_map(map_id, replace(m, stakeholders=people))
    on_record = erasure.people_on_record(store, map_id)
    assert on_record["cat"] == "Catherine Jones"
    assert len(on_record) == 6


def test_every_name_the_person_had_is_scrubbed(store, recorded):
    map_id, *_ = recorded
    m = store.load_map(map_id)
    people = tuple(
        replace(s, name="Catherine Jones") if s.id == "cat" else s for s in m.stakeholders
    )
    store.save_map(map_id, replace(m, stakeholders=people))
    reflections.add_reflection(store, map_id, "Catherine Jones, formerly Cat Jones, said yes")
    erasure.erase_stakeholder(store, map_id, "cat", actor=ALICE)
    texts = [n.text for n in reflections.list_reflections(store, map_id)]
    assert "[erased], formerly [erased], said yes" in texts


def test_only_an_owner_can_erase(store, recorded):
    map_id, *_ = recorded
    access.share(store, map_id, ALICE, BOB, "editor")
    with pytest.raises(access.AccessDenied, match="Only the map's owner can erase it"):
        erasure.erase_stakeholder(store, map_id, "cat", actor=BOB)
    assert "cat" in {s.id for s in store.load_map(map_id).stakeholders}


def test_an_unknown_person_is_refused(store, recorded):
    map_id, *_ = recorded
    with pytest.raises(NotFoundError, match="Nobody with id 'zed'"):
        erasure.erase_stakeholder(store, map_id, "zed", actor=ALICE)


def test_a_stale_version_is_refused_and_nothing_is_erased(store, recorded):
    map_id, *_ = recorded
    old = store.version(map_id)
    store.rename_map(map_id, "Renamed")
    with pytest.raises(ConflictError):
        erasure.erase_stakeholder(store, map_id, "cat", actor=ALICE, expected_version=old)
    assert "cat" in {s.id for s in store.load_map(map_id).stakeholders}


def test_a_failure_part_way_leaves_everything_as_it_was(store, recorded, monkeypatch):
    map_id, *_ = recorded
    before = everything_in(store)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(access, "record_in", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        erasure.erase_stakeholder(store, map_id, "cat", actor=ALICE)
    assert everything_in(store) == before


def test_other_maps_are_left_alone(store, recorded, small_map):
    map_id, *_ = recorded
    other = access.create_map(store, small_map, ALICE)
    reflections.add_reflection(store, other, f"{NAME} on the other map")
    erasure.erase_stakeholder(store, map_id, "cat", actor=ALICE)
    assert "cat" in {s.id for s in store.load_map(other).stakeholders}
    assert reflections.list_reflections(store, other)[0].text == f"{NAME} on the other map"


def test_a_namesake_keeps_their_name():
    m = Map(
        name="M",
        stakeholders=(
            Stakeholder("a", "Sam Lee", notes="The GP"),
            Stakeholder("b", "Sam Lee", notes="The councillor, not Sam Lee the GP"),
        ),
        relationships=(Relationship("r", "a", "b"),),
    )
    out = erasure.erase_from_map(m, "a", ["Sam Lee"])
    assert [(s.id, s.name, s.notes) for s in out.stakeholders] == [
        ("b", "Sam Lee", "The councillor, not [erased] the GP")
    ]


def test_erase_from_map_does_not_change_its_input(small_map):
    before = repr(small_map)
    erasure.erase_from_map(small_map, "cat", [NAME])
    assert repr(small_map) == before


def test_single_user_mode_erases_and_audits_as_the_single_user(store, small_map):
    map_id = store.create_map(small_map)
    erasure.erase_stakeholder(store, map_id, "cat")
    assert access.audit_log(store, map_id)[0].actor == "single user"
