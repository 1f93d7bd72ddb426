"""The engagement plan: actions from findings, stored per map, measured against the map."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from mapping.analysis.gaps import analyse
from mapping.changes import plan
from mapping.errors import ValidationError
from mapping.io import project_json
from mapping.model import Map, Stakeholder
from mapping.model.actions import (
    COALITION,
    DONE,
    DROPPED,
    IN_PROGRESS,
    STANCE,
    STRENGTH,
    ActionNote,
    Expected,
    PlannedAction,
    is_overdue,
    plan_order,
)
from mapping.storage import access, actions, backup, history
from mapping.storage.access import AccessDenied
from mapping.storage.writes import MapWrites

ALICE, BOB = "alice@example.org", "bob@example.org"
TODAY = date(2026, 3, 2)


def key_player(m):
    """The small map's 'invest in this relationship' finding (Ann Clark – Cat Jones)."""
    found = [f for f in analyse(m, today=TODAY).findings if f.code == "investment.key-player"]
    assert len(found) == 1
    return found[0]


def test_a_finding_becomes_an_action_done_with_its_change_resolved_and_counted(store, small_map):
    map_id = access.create_map(store, small_map, ALICE)
    writer = MapWrites(store, map_id, ALICE)
    f = key_player(small_map)
    a = plan.action_from_finding(f, small_map, today=TODAY, due=date(2026, 4, 1))
    assert (a.what, a.actor, a.with_whom) == (f.action, "ann", ("cat",))
    assert a.expected == (Expected(STRENGTH, "ann", 4, other="cat", before=2),)
    writer.save_action(a)
    assert actions.list_actions(store, map_id) == [a]
    assert plan.is_resolved(a, analyse(small_map, today=TODAY).findings) is False

    # marked done, recording the change on the map: one transaction, a snapshot before it
    done_on = date(2026, 3, 20)
    done = replace(a, status=DONE, done_on=done_on, outcome="We met twice.")
    changed = plan.apply_changes(small_map, done, done_on)
    version = writer.complete_action(done, changed, expected_version=1, base=small_map)
    assert version == 2
    now = store.load_map(map_id)
    tie = next(r for r in now.relationships if {r.source, r.target} == {"ann", "cat"})
    assert (tie.strength, tie.last_confirmed) == (4, done_on)
    shots = history.list_snapshots(store, map_id)
    assert [s.name for s in shots] == [f"Before: {a.what[:200]}"]
    before = history.snapshot_map(store, shots[0].id)

    # did it work: from the snapshot, and from the values kept when it was planned
    for r in (plan.result(done, now, before), plan.result(done, now)):
        assert r.verdict == plan.REACHED
        assert [(m.before, m.after) for m in r.measured] == [(2, 4)]
    findings_now = analyse(now, today=done_on).findings
    assert plan.is_resolved(done, findings_now) is True
    summary = plan.plan_summary(
        [done],
        {done.id: plan.result(done, now)},
        date(2026, 3, 31),
        analyse(small_map, today=TODAY).findings,
        findings_now,
    )
    assert (summary.done_this_quarter, summary.reached, summary.share_reached) == (1, 1, 1.0)
    assert summary.gaps_closed >= 1
    rows = plan.agreed_rows([done], now, date(2026, 3, 31), findings_now)
    assert [(r.who, r.status) for r in rows] == [("Ann Clark", "done 20 March 2026")]
    assert rows[0].happened == (
        "tie Ann Clark – Cat Jones to strength 4: reached (now 4); the finding is resolved; "
        "We met twice."
    )


def test_partly_and_not_reached():
    m = Map(name="M", stakeholders=(Stakeholder("r", "Richard", stance="opposed"),))
    a = PlannedAction(
        "a", "Win Richard", expected=(Expected(STANCE, "r", "neutral", before="opposed"),)
    )
    assert plan.result(a, m).verdict == plan.NOT_REACHED
    sceptic = m.with_stakeholders([Stakeholder("r", "Richard", stance="sceptic")])
    assert plan.result(a, sceptic).verdict == plan.PARTLY
    champion = m.with_stakeholders([Stakeholder("r", "Richard", stance="champion")])
    assert plan.result(a, champion).verdict == plan.REACHED
    join = PlannedAction("b", "Invite", expected=(Expected(COALITION, "r", True, before=False),))
    both = replace(join, expected=join.expected + a.expected)
    assert plan.result(both, sceptic).verdict == plan.PARTLY
    assert plan.result(PlannedAction("c", "Call"), m).verdict == ""


def test_overdue_ordering_at_date_boundaries():
    due = date(2026, 3, 31)
    a = PlannedAction("a", "due today", due=due)
    assert not is_overdue(a, due)
    assert is_overdue(a, date(2026, 4, 1))
    assert not is_overdue(replace(a, status=DONE), date(2026, 4, 1))
    assert not is_overdue(replace(a, status=DROPPED), date(2026, 4, 1))
    assert not is_overdue(replace(a, due=None), date(2099, 1, 1))
    later = PlannedAction("b", "due tomorrow", due=date(2026, 4, 1), status=IN_PROGRESS)
    longest = PlannedAction("c", "long overdue", due=date(2026, 3, 1))
    undated = PlannedAction("d", "someday")
    done = PlannedAction("e", "done", status=DONE, done_on=date(2026, 3, 30))
    dropped = PlannedAction("f", "dropped", status=DROPPED)
    mixed = [undated, done, later, a, dropped, longest]
    assert [x.id for x in plan_order(mixed, due)] == ["c", "a", "b", "d", "e", "f"]
    # a day later, the one due on the 31st is overdue too, still after the longest overdue
    assert [x.id for x in plan_order(mixed, date(2026, 4, 1))] == ["c", "a", "b", "d", "e", "f"]
    assert [x.id for x in plan_order(mixed, date(2026, 4, 2))] == ["c", "a", "b", "d", "e", "f"]
    assert [x.id for x in plan_order([later, a], date(2026, 3, 1))] == ["a", "b"]


def sample_action() -> PlannedAction:
    return PlannedAction(
        "a-1",
        'Meet "Cat" <b>Jones</b>',
        actor="",
        colleague="Sam (our team)",
        with_whom=("cat",),
        due=date(2026, 4, 1),
        expected=(
            Expected(STANCE, "cat", "neutral", before="sceptic"),
            Expected(COALITION, "cat", True, before=False),
            Expected(STRENGTH, "ann", 4, other="cat", before=2),
        ),
        status=IN_PROGRESS,
        finding_code="investment.key-player",
        finding_subject="ann;cat|ann~cat",
        finding_title="Invest",
        notes=(ActionNote(date(2026, 3, 3), "me", "Booked for April; Cat Jones agreed"),),
        created_on=date(2026, 3, 2),
    )


def test_project_json_round_trip_with_actions(small_map):
    a = sample_action()
    text = project_json.dumps(small_map, [a, replace(a, id="a-2", status=DONE)])
    m, actions_read = project_json.loads_plan(text)
    assert m == small_map
    assert actions_read == (a, replace(a, id="a-2", status=DONE))
    assert project_json.loads(text) == small_map
    # a file without a plan reads as an empty one, and writes none
    assert project_json.loads_plan(project_json.dumps(small_map))[1] == ()
    assert "actions" not in json.loads(project_json.dumps(small_map))


def test_a_damaged_action_is_named():
    data = project_json.to_dict(Map(name="M"))
    data["actions"] = [sample_action().to_dict() | {"due": "next week"}]
    with pytest.raises(ValidationError, match="Action 1 of the plan: the due date 'next week'"):
        project_json.plan_from_dict(data)


def test_actions_follow_access_rules(store, small_map):
    map_id = access.create_map(store, small_map, ALICE)
    access.share(store, map_id, ALICE, BOB, "viewer")
    with pytest.raises(AccessDenied):
        MapWrites(store, map_id, BOB).save_action(sample_action())
    assert actions.list_actions(store, map_id) == []
    MapWrites(store, map_id, ALICE).save_action(sample_action())
    assert [e.action for e in access.audit_log(store, map_id)][:1] == ["plan"]
    with pytest.raises(AccessDenied):
        MapWrites(store, map_id, BOB).delete_action("a-1")
    MapWrites(store, map_id, ALICE).delete_action("a-1")
    assert actions.list_actions(store, map_id) == []


def test_backup_round_trip_and_snapshot_restore_keep_actions(store, small_map):
    map_id = store.create_map(small_map)
    actions.store_action(store, map_id, sample_action())
    shot = history.take_snapshot(store, map_id, "Start")
    history.restore_snapshot(store, map_id, shot)
    assert actions.list_actions(store, map_id) == [sample_action()]
    data = backup.backup(store)
    backup.restore_backup(store, data, replace=True)
    (info,) = store.list_maps()
    assert actions.list_actions(store, info.id) == [sample_action()]


def test_erasure_removes_a_person_from_every_action(store, small_map):
    map_id = access.create_map(store, small_map, ALICE)
    a = sample_action()
    other = PlannedAction(
        "a-2",
        "Ask Cat Jones to chair",
        actor="cat",
        with_whom=("ann", "cat"),
        notes=(ActionNote(TODAY, "Cat Jones", "cat jones said yes"),),
        outcome="Cat Jones chaired",
    )
    untouched = PlannedAction("a-3", "Call Bob", actor="bob", with_whom=("dan",))
    for x in (a, other, untouched):
        actions.store_action(store, map_id, x)
    result = MapWrites(store, map_id, ALICE).erase("cat")
    assert result.actions == 2
    kept = {x.id: x for x in actions.list_actions(store, map_id)}
    for x in kept.values():
        assert "cat" not in x.people()
        assert "cat jones" not in json.dumps(x.to_dict()).casefold()
    assert kept["a-1"].expected == ()  # every change it expected was about her
    assert kept["a-1"].finding_subject == ""
    assert kept["a-2"].with_whom == ("ann",)
    assert kept["a-2"].notes[0] == ActionNote(TODAY, "[erased]", "[erased] said yes")
    assert kept["a-3"] == untouched


def test_map_marks_and_report_rows(small_map):
    today = date(2026, 4, 10)
    open_tie = PlannedAction(
        "a-1",
        "Meet Cat",
        actor="ann",
        with_whom=("cat",),
        due=date(2026, 4, 9),
        expected=(Expected(STRENGTH, "cat", 4, other="ann", before=2),),
    )
    stance = PlannedAction(
        "a-2", "Win Dan", colleague="Sam", expected=(Expected(STANCE, "dan", "supporter"),)
    )
    done = PlannedAction(
        "a-3",
        "Bring Eve in",
        actor="dan",
        due=date(2026, 3, 1),
        expected=(Expected(COALITION, "eve", True, before=False),),
        status=DONE,
        done_on=date(2026, 3, 20),
        outcome="Eve came to the board",
    )
    dropped = PlannedAction("a-4", "Call Fay", actor="fay", status=DROPPED, due=date(2026, 1, 1))
    plan_ = [open_tie, stance, done, dropped]
    marks = plan.open_marks(plan_, small_map)
    assert marks.people == {"ann", "cat", "dan"}
    assert marks.ties == {("ann", "cat")}
    eve_in = small_map.with_stakeholders(
        replace(s, coalition=True) if s.id == "eve" else s for s in small_map.stakeholders
    )
    rows = plan.agreed_rows(plan_, eve_in, today)
    assert [(r.what, r.who, r.status, r.overdue) for r in rows] == [
        ("Meet Cat", "Ann Clark", "overdue since 9 April 2026", True),
        ("Bring Eve in", "Dan Okafor", "done 20 March 2026", False),
    ]
    assert rows[1].happened == (
        "Eve Lewis joins the coalition: reached (now in the coalition); Eve came to the board"
    )
    assert plan.agreed_rows(plan_, small_map, today)[1].happened.startswith(
        "Eve Lewis joins the coalition: not reached (now not in the coalition)"
    )


def test_a_duplicated_map_keeps_its_plan(store, small_map):
    map_id = access.create_map(store, small_map, ALICE)
    MapWrites(store, map_id, ALICE).save_action(sample_action())
    copy = MapWrites(store, map_id, ALICE).duplicate()
    assert actions.list_actions(store, copy) == [sample_action()]
    MapWrites(store, copy, ALICE).delete_action("a-1")
    assert actions.list_actions(store, map_id) == [sample_action()]


def test_a_deleted_map_comes_back_with_its_plan(store, small_map):
    map_id = access.create_map(store, small_map, ALICE)
    MapWrites(store, map_id, ALICE).save_action(sample_action())
    last = history.delete_map_keeping_history(store, map_id)
    assert actions.list_actions(store, map_id) == []
    assert history.snapshot_map(store, last) == small_map  # the map reads as it was
    back = history.restore_deleted_map(store, last)
    assert actions.list_actions(store, back) == [sample_action()]
