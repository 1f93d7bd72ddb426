"""The engagement plan in the app (AppTest): plan a finding in one click, then complete it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from mapping.model.actions import DONE, IN_PROGRESS
from mapping.storage import actions, history
from mapping.storage.store import Store
from tests.apptest import button, ok
from tests.conftest import ROOT

GAPS, PLAN = "ui/pages/gaps.py", "ui/pages/plan.py"


def start(db_url: str) -> tuple[AppTest, Store, int]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    ok(at)
    store = Store(db_url)
    [info] = store.list_maps()
    return at, store, info.id


def test_plan_a_finding_then_mark_it_done_recording_the_change(db_url):
    at, store, map_id = start(db_url)
    at.switch_page(GAPS).run()
    ok(at)
    button(at, "Plan this").click().run()
    ok(at)
    [a] = actions.list_actions(store, map_id)
    assert a.finding_code and a.due is not None
    # clicking again on the same finding plans nothing new
    button(at, "Plan this").click().run()
    assert len(actions.list_actions(store, map_id)) == 1

    at.switch_page(PLAN).run()
    ok(at)
    assert any(a.what[:40] in m.value for m in at.markdown)
    button(at, "Start").click().run()
    ok(at)
    assert actions.get_action(store, map_id, a.id).status == IN_PROGRESS
    [note] = [t for t in at.text_input if t.label == "Add a note"]
    note.input("Booked a meeting")
    button(at, "Add note").click().run()
    ok(at)
    assert [n.text for n in actions.get_action(store, map_id, a.id).notes] == ["Booked a meeting"]

    before = store.load_map(map_id)
    version = store.version(map_id)
    button(at, "Mark done…").click().run()
    ok(at)
    [what] = [t for t in at.text_area if t.label == "What happened?"]
    what.input("We met and agreed to meet monthly")
    button(at, "Mark done").click().run()
    ok(at)
    done = actions.get_action(store, map_id, a.id)
    assert (done.status, done.outcome) == (DONE, "We met and agreed to meet monthly")
    assert done.expected  # the sample's first finding expects a change on the map
    assert store.version(map_id) == version + 1
    assert store.load_map(map_id) != before
    assert history.list_snapshots(store, map_id)[0].reason == history.BULK_EDIT
    assert any("reached" in m.value for m in at.markdown)
    # one undo puts the map back as it was; the action stays done
    [undo] = [b for b in at.sidebar.button if b.label.startswith("Undo: record what happened")]
    undo.click().run()
    ok(at)
    assert store.load_map(map_id) == before
    assert actions.get_action(store, map_id, a.id).status == DONE


def test_write_an_action_by_hand_and_filter_by_person(db_url):
    at, store, map_id = start(db_url)
    at.switch_page(PLAN).run()
    ok(at)
    assert not at.main.text_area, "the form is sent only once its section is opened"
    at.session_state["plan-write-open"] = True
    at.run()
    m = store.load_map(map_id)
    first, second = m.stakeholders[0], m.stakeholders[1]
    at.text_area(key="plan-what").input("Ask for a seat on the board")
    at.text_input(key="plan-colleague").input("Sam Patel (our team)")
    at.multiselect(key="plan-with").select(second.id)
    at.selectbox(key="plan-kind").set_value("stance")
    at.selectbox(key="plan-person").set_value(second.id)
    at.selectbox(key="plan-stance").set_value("champion")
    button(at, "Add to the plan").click().run()
    ok(at)
    [a] = actions.list_actions(store, map_id)
    assert (a.what, a.actor, a.colleague, a.with_whom) == (
        "Ask for a seat on the board",
        "",
        "Sam Patel (our team)",
        (second.id,),
    )
    assert [(e.kind, e.person, e.value, e.before) for e in a.expected] == [
        ("stance", second.id, "champion", second.stance.value)
    ]
    at.selectbox(key="plan-filter-person").set_value(first.id).run()
    ok(at)
    assert not any("Ask for a seat" in m.value for m in at.markdown)
    at.selectbox(key="plan-filter-person").set_value(second.id).run()
    assert any("Ask for a seat" in m.value for m in at.markdown)
    # the people of open actions can be shown on the map
    button(at, "Show the open actions on the map").click().run()
    ok(at)
    highlight = at.session_state["highlight"]
    assert highlight["title"] == "Open actions" and highlight["stakeholders"] == [second.id]


def test_each_of_the_three_things_to_do_can_be_planned_in_one_click(db_url):
    from datetime import date

    from mapping.analysis.gaps import analyse

    at, store, map_id = start(db_url)
    at.switch_page(GAPS).run()
    ok(at)
    things = analyse(store.load_map(map_id), today=date.today()).actions
    assert len(things) == 3
    at.button(key="three-things-2-plan").click().run()
    ok(at)
    [a] = actions.list_actions(store, map_id)
    assert a.finding_title == things[1].finding.title
