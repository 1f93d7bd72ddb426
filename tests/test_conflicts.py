"""No lost edits: two people saving the same map at once, on both databases."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from mapping.changes.conflicts import conflict_message, describe_conflict, merge_maps
from mapping.errors import ConflictError
from mapping.model import Map, Relationship, Stakeholder
from mapping.storage import history
from mapping.storage.store import Store


def with_person(m: Map, sid: str, **changes) -> Map:
    return m.with_stakeholders(
        tuple(replace(s, **changes) if s.id == sid else s for s in m.stakeholders)
    )


def with_tie(m: Map, rid: str, **changes) -> Map:
    return m.with_relationships(
        tuple(replace(r, **changes) if r.id == rid else r for r in m.relationships)
    )


# --- what the message says -------------------------------------------------------------------


def test_a_field_changed_on_both_sides_is_named_with_both_values(small_map):
    mine = with_person(small_map, "cat", stance="supporter", notes="Met on Monday")
    theirs = with_person(small_map, "cat", stance="opposed", notes="Met on Monday")
    assert describe_conflict(small_map, mine, theirs) == [
        "Cat Jones (cat), stance: yours 'supporter', theirs 'opposed' (it was 'sceptic')."
    ]


def test_changes_on_one_side_only_or_the_same_on_both_are_not_conflicts(small_map):
    mine = with_person(small_map, "cat", stance="supporter")
    theirs = with_person(small_map, "ann", influence=3)
    assert describe_conflict(small_map, mine, theirs) == []
    assert describe_conflict(small_map, mine, mine) == []
    assert describe_conflict(small_map, small_map, theirs) == []


def test_ties_map_details_and_places_are_compared_too(small_map):
    base = replace(small_map, positions={"ann": (0.0, 0.0)})
    mine = replace(
        with_tie(base, "r2", strength=4, directed=False),
        description="Ours",
        positions={"ann": (1.0, 1.0)},
    )
    theirs = replace(
        with_tie(base, "r2", strength=1, directed=False),
        description="Theirs",
        positions={"ann": (2.0, 2.0)},
    )
    assert describe_conflict(base, mine, theirs) == [
        "The map, description: yours 'Ours', theirs 'Theirs' (it was 'Six people').",
        "The tie Ann Clark – Cat Jones (r2), strength: yours 4, theirs 1 (it was 2).",
        "Ann Clark's place on the map: you both moved it.",
    ]


def test_a_record_deleted_on_one_side_and_changed_on_the_other(small_map):
    mine = with_person(small_map, "fay", stance="supporter", coalition=True)
    theirs = small_map.with_stakeholders(tuple(s for s in small_map.stakeholders if s.id != "fay"))
    assert describe_conflict(small_map, mine, theirs) == [
        "Fay Brown (fay): they deleted this person; you changed its stance, coalition."
    ]
    assert describe_conflict(small_map, theirs, mine) == [
        "Fay Brown (fay): you deleted this person; they changed its stance, coalition."
    ]


def test_long_values_are_shortened_and_blank_ones_named(small_map):
    mine = with_person(small_map, "ann", notes="x" * 200)
    theirs = with_person(small_map, "ann", notes="y")
    [line] = describe_conflict(small_map, mine, theirs)
    assert line.startswith("Ann Clark (ann), notes: yours 'xxxx") and "…" in line
    assert line.endswith("theirs 'y' (it was (blank)).")
    assert len(line) < 250


def test_the_message_says_what_they_changed_when_nothing_clashes(small_map):
    mine = with_person(small_map, "cat", stance="supporter")
    theirs = with_tie(with_person(small_map, "ann", influence=3), "r1", strength=5)
    text = conflict_message("Small test map", 1, 2, small_map, mine, theirs)
    assert "changed by someone else since you opened it (version 1 → 2)" in text
    assert "They changed 1 person and 1 tie; none of the fields you changed." in text
    assert text.endswith("Reload the map to see their version, then make your change again.")


# --- two sessions on one database ------------------------------------------------------------


@pytest.fixture
def sessions(database_url, small_map):
    """Two people's sessions (two stores, as two app processes) on the same database."""
    first, second = Store(database_url), Store(database_url)
    map_id = first.create_map(small_map)
    yield first, second, map_id
    first.close()
    second.close()


def test_the_second_save_of_a_changed_record_is_refused_with_both_values(sessions, small_map):
    alice, bob, map_id = sessions
    base_a, version_a = alice.load_map(map_id), alice.version(map_id)
    base_b, version_b = bob.load_map(map_id), bob.version(map_id)
    assert version_a == version_b == 1

    bob_map = with_person(base_b, "cat", stance="opposed")
    assert bob.save_map(map_id, bob_map, expected_version=version_b, base=base_b) == 2
    alice_map = with_person(base_a, "cat", stance="supporter")
    with pytest.raises(ConflictError) as caught:
        alice.save_map(map_id, alice_map, expected_version=version_a, base=base_a)
    message = str(caught.value)
    assert "changed by someone else since you opened it (version 1 → 2)" in message
    assert "- Cat Jones (cat), stance: yours 'supporter', theirs 'opposed' (it was 'sceptic')." in (
        message
    )
    # Bob's edit stands; nothing of Alice's was written
    assert alice.load_map(map_id) == bob_map
    assert alice.version(map_id) == 2


def test_a_refused_save_keeps_no_snapshot_either(sessions, small_map):
    alice, bob, map_id = sessions
    bob.save_map(map_id, with_person(small_map, "ann", influence=2), expected_version=1)
    with pytest.raises(ConflictError, match="influence: yours 4, theirs 2"):
        history.save_with_snapshot(
            alice,
            map_id,
            with_person(small_map, "ann", influence=4),
            expected_version=1,
            base=small_map,
            reason=history.BULK_EDIT,
            name="Before edit table",
        )
    assert history.list_snapshots(bob, map_id) == []


def test_a_save_without_a_base_still_refuses(sessions, small_map):
    alice, bob, map_id = sessions
    bob.rename_map(map_id, "Bob's name")
    with pytest.raises(ConflictError, match=r"version 1 → 2\), so your change was not saved"):
        alice.save_map(map_id, small_map, expected_version=1)
    assert bob.load_map(map_id).name == "Bob's name"


def race(stores: dict[str, Store], map_id: int, version: int, base: Map, edits: dict) -> dict:
    """Each store saves its edit of ``base`` at the same moment; what each save returned."""
    results: dict[str, object] = {}
    barrier = threading.Barrier(len(stores))

    def save(who: str) -> None:
        barrier.wait()
        try:
            results[who] = history.save_with_snapshot(
                stores[who],
                map_id,
                edits[who],
                expected_version=version,
                base=base,
                reason=history.BULK_EDIT,
                name=f"Before {who}'s edit",
            )
        except ConflictError as err:
            results[who] = err

    threads = [threading.Thread(target=save, args=(who,)) for who in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_simultaneous_saves_let_exactly_one_win(sessions):
    """Two threads, two stores, the same version: one save wins, the other is told."""
    alice, bob, map_id = sessions
    for n in range(6):
        version = alice.version(map_id)
        base = alice.load_map(map_id)
        edits = {
            "alice": with_person(base, "dan", notes=f"Alice, round {n}"),
            "bob": with_person(base, "dan", notes=f"Bob, round {n}"),
        }
        results = race({"alice": alice, "bob": bob}, map_id, version, base, edits)
        winners = [who for who, r in results.items() if isinstance(r, int)]
        losers = [r for r in results.values() if isinstance(r, ConflictError)]
        assert len(winners) == 1 and len(losers) == 1, results
        [winner] = winners
        assert results[winner] == version + 1
        assert alice.load_map(map_id) == edits[winner]
        assert "notes: yours" in str(losers[0])
        # only the winner's automatic snapshot was kept
        snaps = history.list_snapshots(alice, map_id)
        assert snaps[0].name == f"Before {winner}'s edit"
        assert len(snaps) == n + 1


def test_a_tie_added_by_one_and_its_person_deleted_by_the_other(sessions, small_map):
    alice, bob, map_id = sessions
    bob.save_map(
        map_id,
        small_map.with_stakeholders(tuple(s for s in small_map.stakeholders if s.id != "fay")),
        expected_version=1,
    )
    with_fay_tie = small_map.with_relationships(
        (*small_map.relationships, Relationship("r9", "ann", "fay"))
    )
    with pytest.raises(ConflictError, match="They changed 1 person; none of the fields"):
        alice.save_map(map_id, with_fay_tie, expected_version=1, base=small_map)
    # the deleted person is not brought back by the refused save
    assert [s.id for s in alice.load_map(map_id).stakeholders] == [
        "ann",
        "bob",
        "cat",
        "dan",
        "eve",
    ]


# --- combining changes that do not clash -----------------------------------------------------


def test_changes_to_different_records_and_fields_are_combined(small_map):
    base = replace(small_map, positions={"ann": (0.0, 0.0), "bob": (1.0, 1.0)})
    mine = replace(
        with_tie(with_person(base, "cat", stance="supporter"), "r1", strength=5),
        description="Mine",
        positions={"ann": (5.0, 5.0), "bob": (1.0, 1.0)},
    )
    mine = mine.with_stakeholders((*mine.stakeholders, Stakeholder("gus", "Gus Hale")))
    theirs = replace(
        with_person(base, "ann", influence=2),
        name="Their name",
        positions={"ann": (0.0, 0.0), "bob": (9.0, 9.0)},
    )
    theirs = theirs.with_relationships(
        (*theirs.relationships, Relationship("r6", "eve", "fay", "advises"))
    )
    merged = merge_maps(base, mine, theirs)
    assert (merged.name, merged.description) == ("Their name", "Mine")
    people = {s.id: s for s in merged.stakeholders}
    assert people["cat"].stance.value == "supporter" and people["ann"].influence == 2
    assert [s.id for s in merged.stakeholders][-1] == "gus"
    ties = {r.id: r for r in merged.relationships}
    assert ties["r1"].strength == 5 and "r6" in ties
    assert merged.positions == {"ann": (5.0, 5.0), "bob": (9.0, 9.0)}


def test_combining_with_no_change_on_one_side_gives_the_other(small_map):
    mine = with_person(small_map, "cat", stance="supporter")
    assert merge_maps(small_map, mine, small_map) == mine
    assert merge_maps(small_map, small_map, mine) == mine
    assert merge_maps(small_map, mine, mine) == mine


def test_deletions_on_either_side_are_kept(small_map):
    mine = small_map.with_stakeholders(tuple(s for s in small_map.stakeholders if s.id != "fay"))
    theirs = small_map.with_relationships(small_map.relationships[1:])
    merged = merge_maps(small_map, mine, theirs)
    assert "fay" not in {s.id for s in merged.stakeholders}
    assert [r.id for r in merged.relationships] == ["r2", "r3", "r4", "r5"]


def test_clashing_changes_are_not_combined(small_map):
    mine = with_person(small_map, "cat", stance="supporter")
    theirs = with_person(small_map, "cat", stance="opposed")
    with pytest.raises(ConflictError, match="yours 'supporter', theirs 'opposed'"):
        merge_maps(small_map, mine, theirs)


def test_changes_that_break_a_rule_together_are_not_combined(small_map):
    mine = small_map.with_relationships(
        (*small_map.relationships, Relationship("r9", "ann", "fay"))
    )
    theirs = small_map.with_stakeholders(tuple(s for s in small_map.stakeholders if s.id != "fay"))
    with pytest.raises(ConflictError, match=r"cannot be combined: .*unknown stakeholder 'fay'"):
        merge_maps(small_map, mine, theirs)
