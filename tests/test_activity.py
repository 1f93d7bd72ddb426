"""The activity log: every write through MapWrites leaves one line, in the same transaction,
counting what changed and naming nobody on the map; the day's first save keeps a snapshot."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from mapping.model import Map, Relationship, Stakeholder, Stance
from mapping.storage import access, activity, erasure, history
from mapping.storage.store import Store
from mapping.storage.writes import MapWrites, start_of_today
from tests.conftest import make_small_map

OWNER, EDITOR, VIEWER = "olive@example.org", "eddie@example.org", "vera@example.org"
ZED = "Zebedee Quux-Farrington"  # a name that appears nowhere else


@pytest.fixture
def shared(store: Store) -> tuple[Store, int]:
    """The small map, owned by Olive, shared with an editor and a viewer."""
    map_id = access.create_map(store, make_small_map(), OWNER)
    access.share(store, map_id, OWNER, EDITOR, access.EDITOR)
    access.share(store, map_id, OWNER, VIEWER, access.VIEWER)
    return store, map_id


def edited(m: Map) -> Map:
    """Two people added, three stances changed, one relationship changed, one added."""
    people = [
        replace(s, stance=Stance.OPPOSED) if s.id in ("cat", "dan", "eve") else s
        for s in m.stakeholders
    ]
    people += [Stakeholder("zed", ZED, perspective="clinical"), Stakeholder("yan", "Yan Li")]
    ties = [replace(r, strength=5) if r.id == "r3" else r for r in m.relationships]
    ties.append(Relationship("r9", "zed", "ann", strength=2, notes=f"{ZED} said no"))
    return replace(m, stakeholders=tuple(people), relationships=tuple(ties))


def test_an_edit_records_one_line_with_the_actor_and_the_counts(shared):
    store, map_id = shared
    before = activity.count_entries(store, map_id)
    MapWrites(store, map_id, EDITOR).save_map(edited(store.load_map(map_id)))
    assert activity.count_entries(store, map_id) == before + 1
    [line] = activity.audit_log(store, map_id, limit=1)
    assert (line.actor, line.action, line.map_id) == (EDITOR, "edit", map_id)
    assert line.summary == (
        "added 2 stakeholders; changed the stances of 3 stakeholders; "
        "added 1 relationship and changed 1"
    )
    assert line.at.tzinfo is not None


def test_a_refused_write_records_nothing(shared):
    store, map_id = shared
    before = activity.audit_log(store, map_id)
    snapshots = history.list_snapshots(store, map_id)
    with pytest.raises(access.AccessDenied):
        MapWrites(store, map_id, VIEWER).save_map(edited(store.load_map(map_id)))
    with pytest.raises(access.AccessDenied):
        MapWrites(store, map_id, VIEWER).add_reflection("mine")
    assert activity.audit_log(store, map_id) == before
    assert history.list_snapshots(store, map_id) == snapshots


def test_a_failed_save_records_nothing(shared):
    store, map_id = shared
    before = activity.audit_log(store, map_id)
    with pytest.raises(Exception, match="someone else"):
        MapWrites(store, map_id, EDITOR).save_map(
            edited(store.load_map(map_id)), expected_version=7
        )
    assert activity.audit_log(store, map_id) == before


def test_an_erased_persons_name_is_in_no_line_of_the_log(shared):
    store, map_id = shared
    writer = MapWrites(store, map_id, OWNER)
    writer.save_map(edited(store.load_map(map_id)))
    m = store.load_map(map_id)
    writer.save_map(
        m.with_stakeholders(
            tuple(replace(s, coalition=True) if s.id == "zed" else s for s in m.stakeholders)
        )
    )
    writer.add_reflection(f"{ZED} will chair the board")
    writer.erase("zed")
    log = activity.audit_log(store, map_id)
    text = " ".join(f"{e.actor} {e.action} {e.summary}" for e in log).casefold()
    for part in ("zebedee", "quux", "farrington", "zed", "chair"):
        assert part not in text, part
    assert log[0].summary == f"erasure of 1 stakeholder from map {map_id}"
    assert [e.summary for e in log[1:4]] == [
        "added a reflection note",
        "changed coalition membership of 1 stakeholder",
        "added 2 stakeholders; changed the stances of 3 stakeholders; "
        "added 1 relationship and changed 1",
    ]


def test_every_kind_of_write_leaves_its_own_line(shared):
    store, map_id = shared
    w = MapWrites(store, map_id, EDITOR)
    sid = w.take_snapshot("Board")
    w.rename_snapshot(sid, "March board")
    w.save_positions({"ann": (1.0, 2.0), "bob": (3.0, 4.0)})
    w.rename("Renamed")
    note = w.add_reflection("A note")
    w.include_in_report(note)
    w.restore_snapshot(sid)
    w.delete_snapshot(sid)
    assert [e.summary for e in activity.audit_log(store, map_id, limit=8)] == [
        "deleted a snapshot",
        "restored a snapshot: changed the map's name, description or vocabularies; "
        "moved 2 people on the map",
        "chose a reflection note for reports",
        "added a reflection note",
        "renamed the map",
        "moved 2 people on the map",
        "renamed a snapshot",
        "took a snapshot",
    ]


def test_the_days_first_save_keeps_a_daily_snapshot_and_later_ones_do_not(shared):
    store, map_id = shared
    m = store.load_map(map_id)
    w = MapWrites(store, map_id, OWNER)
    w.save_map(edited(m), base=m, name="Before add people")
    w.save_map(m)
    [daily] = history.list_snapshots(store, map_id)
    assert (daily.reason, daily.name) == (history.DAILY, "Before add people")
    assert history.snapshot_map(store, daily.id) == m
    assert daily.taken_at >= start_of_today()


def test_a_snapshot_taken_before_today_does_not_count_as_the_days(shared, monkeypatch):
    store, map_id = shared
    history.take_snapshot(store, map_id, "Yesterday")
    store.save_map(map_id, replace(store.load_map(map_id), description="Changed since"))
    tomorrow = start_of_today() + timedelta(days=1)
    monkeypatch.setattr("mapping.storage.writes.start_of_today", lambda: tomorrow)
    MapWrites(store, map_id, OWNER).save_map(edited(store.load_map(map_id)))
    assert [s.reason for s in history.list_snapshots(store, map_id)] == [
        history.DAILY,
        history.MANUAL,
    ]


def test_a_save_with_a_reason_or_without_daily_keeps_no_daily_snapshot(shared):
    store, map_id = shared
    m = store.load_map(map_id)
    MapWrites(store, map_id, OWNER).save_map(edited(m), daily=False)
    assert history.list_snapshots(store, map_id) == []
    MapWrites(store, map_id, OWNER).save_map(m, reason=history.IMPORT, name="Before x.csv")
    assert [s.reason for s in history.list_snapshots(store, map_id)] == [history.IMPORT]


@pytest.mark.parametrize(
    ("change", "summary"),
    [
        (lambda m: m, "saved the map with no change"),
        (lambda m: replace(m, relationships=m.relationships[1:]), "removed 1 relationship"),
        (
            lambda m: m.with_stakeholders(
                tuple(replace(s, influence=1, notes="x") for s in m.stakeholders[:2])
                + m.stakeholders[2:]
            ),
            "changed the influence of 2 stakeholders; edited the details of 2 stakeholders",
        ),
        (
            lambda m: replace(m, description="New"),
            "changed the map's name, description or vocabularies",
        ),
    ],
)
def test_change_summaries_count_kinds(change, summary):
    m = make_small_map()
    assert activity.change_summary(activity.change_counts(m, change(m))) == summary


def test_a_review_date_or_a_confirmation_is_a_detail_or_a_changed_tie():
    m = make_small_map()
    later = m.with_stakeholders(
        tuple(replace(s, review_by=date(2027, 1, 1)) for s in m.stakeholders)
    )
    later = replace(
        later,
        relationships=tuple(replace(r, last_confirmed=date(2027, 1, 1)) for r in m.relationships),
    )
    counts = activity.change_counts(m, later)
    assert (counts.details, counts.ties_changed) == (6, 5)


def test_an_erasure_through_the_module_alone_names_nobody(shared):
    store, map_id = shared
    erasure.erase_stakeholder(store, map_id, "cat", actor=OWNER)
    assert "cat" not in activity.audit_log(store, map_id)[0].summary.replace("erasure", "")
