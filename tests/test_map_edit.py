"""Work on the map page itself (issue 17, item 5): the chosen person's stance, influence and
coalition membership are edited from the details panel, and a relationship is added with the
small dialog; each is one undoable change stored like any other."""

from __future__ import annotations

from dataclasses import replace

from mapping.model import Stance
from mapping.storage.store import Store
from tests.apptest import ok
from tests.test_map_keeps import PRIYA, map_page


def _choose(at, sid: str):
    [details] = [s for s in at.selectbox if s.label == "Details for"]
    details.set_value(sid).run()
    ok(at)


def _undo(at) -> None:
    [undo] = [b for b in at.sidebar.button if b.label.startswith("Undo")]
    undo.click().run()
    ok(at)


def test_the_details_panel_edits_stance_influence_and_coalition_undoably(db_url):
    at = map_page(db_url)
    store = Store(db_url)
    [info] = store.list_maps()
    before = store.load_map(info.id)
    priya = before.stakeholder(PRIYA)
    assert (priya.stance, priya.influence, priya.coalition) != (Stance.CHAMPION, 5, True)
    _choose(at, PRIYA)
    [stance] = [s for s in at.selectbox if s.label == "Stance"]
    stance.set_value("champion")
    [influence] = [s for s in at.slider if s.label == "Influence (1 to 5)"]
    influence.set_value(5)
    [member] = [c for c in at.checkbox if c.label == "In the coalition"]
    member.set_value(True)
    [save] = [b for b in at.button if b.label == "Save changes"]
    save.click().run()
    ok(at)
    after = store.load_map(info.id)
    changed = replace(priya, stance=Stance.CHAMPION, influence=5, coalition=True)
    assert after.stakeholder(PRIYA) == changed
    others = [s for s in after.stakeholders if s.id != PRIYA]
    assert others == [s for s in before.stakeholders if s.id != PRIYA]
    _undo(at)
    assert store.load_map(info.id).stakeholder(PRIYA) == priya


def test_a_relationship_added_from_the_details_panel_is_stored_and_undone(db_url):
    at = map_page(db_url)
    store = Store(db_url)
    [info] = store.list_maps()
    before = store.load_map(info.id)
    other = next(
        s.id
        for s in before.stakeholders
        if s.id != PRIYA
        and not any({r.source, r.target} == {PRIYA, s.id} for r in before.relationships)
    )
    _choose(at, PRIYA)
    [partner] = [s for s in at.selectbox if s.label == "Add a relationship with"]
    partner.set_value(other).run()
    [open_dialog] = [b for b in at.button if b.label == "Add a relationship…"]
    open_dialog.click().run()
    ok(at)
    [strength] = [s for s in at.slider if s.label.startswith("Strength / trust")]
    strength.set_value(4)
    [add] = [b for b in at.button if b.label == "Add relationship"]
    add.click().run()
    ok(at)
    after = store.load_map(info.id)
    assert len(after.relationships) == len(before.relationships) + 1
    tie = after.relationships[-1]
    assert (tie.source, tie.target, tie.strength, tie.directed) == (PRIYA, other, 4, False)
    _undo(at)
    assert store.load_map(info.id).relationships == before.relationships
