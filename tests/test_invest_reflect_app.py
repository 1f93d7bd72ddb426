"""The "Relationships to invest in" and "Reflect" pages (AppTest), on hand-made maps."""

from __future__ import annotations

from datetime import date, timedelta

from streamlit.testing.v1 import AppTest

from mapping.changes.ratings import Rating
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.wording import long_date
from mapping.storage import actions, activity, rating_store, reflections
from mapping.storage.store import Store
from mapping.storage.writes import MapWrites
from tests.apptest import button, ok, open_cards
from tests.conftest import ROOT

INVEST, REFLECT, GAPS = "ui/pages/invest.py", "ui/pages/reflect.py", "ui/pages/gaps.py"
TODAY = date.today()
LONG_AGO = TODAY - timedelta(days=800)
LATELY = TODAY - timedelta(days=30)


def investing_map() -> Map:
    """A coalition of two; a sceptical chief executive tied to it only weakly and one way; a
    director in conflict with the GP; a voluntary sector lead whose ties are stale or weak."""
    people = (
        Stakeholder("lead", "Lena Hart", perspective="commissioner", influence=5,
                    stance="champion", coalition=True),
        Stakeholder("gp", "Dr Gus Pike", perspective="clinical", influence=4,
                    stance="supporter", coalition=True),
        Stakeholder("ceo", "Cara Stone", perspective="provider", influence=5, stance="sceptic"),
        Stakeholder("dir", "Dev Rao", perspective="local authority & social care",
                    influence=4, stance="opposed"),
        Stakeholder("vcs", "Vi Moss", perspective="voluntary & community sector", influence=4,
                    stance="supporter"),
        Stakeholder("pat", "Pat Quinn", perspective="patient & carer", influence=2),
    )  # fmt: skip
    ties = (
        Relationship("t1", "lead", "ceo", "collaborates", 2, directed=True, last_confirmed=LATELY),
        Relationship("t6", "gp", "pat", "reports to", 2, directed=True, last_confirmed=LATELY),
        Relationship("t2", "gp", "dir", "conflict", 4, last_confirmed=LATELY),
        Relationship("t3", "lead", "vcs", "collaborates", 4, last_confirmed=LONG_AGO),
        Relationship("t4", "vcs", "pat", "collaborates", 1, last_confirmed=LATELY),
        Relationship("t5", "lead", "gp", "collaborates", 5, last_confirmed=LATELY),
    )
    return Map("Investing", stakeholders=people, relationships=ties)


def app_on(db_url: str, m: Map, page: str) -> tuple[AppTest, Store, int]:
    """The app on a database holding only ``m``, opened on ``page``."""
    store = Store(db_url)
    map_id = store.create_map(m)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    ok(at)
    at.switch_page(page).run()
    ok(at)
    return at, store, map_id


def shown_rows(at: AppTest) -> list[dict]:
    [frame] = at.dataframe
    return frame.value.to_dict("records")


EXPECTED = [
    {
        "Rank": 1,
        "Urgency": "High",
        "Person": "Dr Gus Pike",
        "With": "Dev Rao",
        "Why it needs investment": "in conflict with a coalition member (intensity 4 of 5)",
        "Who should act": "Dr Gus Pike",
    },
    {
        "Rank": 2,
        "Urgency": "High",
        "Person": "Cara Stone",
        "With": "Lena Hart",
        "Why it needs investment": "influential (5 of 5) and sceptic; weak (strength 2 of 5) "
        "and one-way only (Lena Hart to Cara Stone)",
        "Who should act": "Lena Hart",
    },
    {
        "Rank": 3,
        "Urgency": "Medium",
        "Person": "Lena Hart",
        "With": "Vi Moss",
        "Why it needs investment": f"last confirmed {long_date(LONG_AGO)}",
        "Who should act": "Lena Hart",
    },
    {
        "Rank": 4,
        "Urgency": "Medium",
        "Person": "Dr Gus Pike",
        "With": "Pat Quinn",
        "Why it needs investment": "weak (strength 2 of 5)",  # reports to: one way by nature
        "Who should act": "Dr Gus Pike",
    },
    {
        "Rank": 5,
        "Urgency": "Low",
        "Person": "Vi Moss",
        "With": "Pat Quinn",
        "Why it needs investment": "weak (strength 1 of 5)",
        "Who should act": "the map's owner (you)",
    },
]


def test_the_invest_page_ranks_every_relationship_with_reason_and_who_acts(db_url):
    at, store, _ = app_on(db_url, investing_map(), INVEST)
    assert [h.value for h in at.header] == ["Relationships to invest in"]
    assert shown_rows(at) == EXPECTED
    text = "\n".join(m.value for m in at.markdown)
    assert "**5 relationships need investment**." in text
    labels = [b.label for b in at.get("download_button")]
    assert "Download this table (CSV)" in labels
    store.close()


def test_the_invest_page_filters_by_reason_and_perspective(db_url):
    at, store, _ = app_on(db_url, investing_map(), INVEST)
    at.multiselect(key="invest-reason").set_value(["Weak"]).run()
    ok(at)
    assert [r["Rank"] for r in shown_rows(at)] == [2, 4, 5]
    at.multiselect(key="invest-reason").set_value(["One-way"]).run()
    assert [r["Rank"] for r in shown_rows(at)] == [2]
    at.multiselect(key="invest-perspective").set_value(["clinical"]).run()
    ok(at)
    assert not at.dataframe
    assert any("None with these filters" in i.value for i in at.info)
    at.multiselect(key="invest-reason").set_value([]).run()
    assert shown_rows(at) == [EXPECTED[0], EXPECTED[3]]
    store.close()


def test_plan_this_adds_the_chosen_relationship_to_the_engagement_plan(db_url):
    at, store, map_id = app_on(db_url, investing_map(), INVEST)
    at.selectbox(key="invest-pick").set_value(("ceo", "lead")).run()
    ok(at)
    button(at, "Plan this").click().run()
    ok(at)
    [a] = actions.list_actions(store, map_id)
    assert (a.finding_code, a.actor, a.with_whom) == ("investment.key-player", "lead", ("ceo",))
    store.close()


def test_the_invest_page_says_so_when_nothing_needs_investment(db_url):
    people = (
        Stakeholder("a", "Ann", influence=5, stance="champion", coalition=True),
        Stakeholder("b", "Bo", influence=4, stance="supporter", coalition=True),
    )
    tie = Relationship("r", "a", "b", strength=5, last_confirmed=LATELY)
    at, store, _ = app_on(db_url, Map("Calm", stakeholders=people, relationships=(tie,)), INVEST)
    assert not at.dataframe
    assert any("No relationship needs investment now" in s.value for s in at.success)
    store.close()


def test_the_gaps_pages_investment_card_links_to_the_list(db_url):
    at, store, _ = app_on(db_url, investing_map(), GAPS)
    open_cards(at)
    links = [p.proto.page for p in at.get("page_link")]
    assert any(link.endswith("invest") or "invest" in link for link in links), links
    store.close()


# --- Reflect ------------------------------------------------------------------------------------


def test_reflect_on_a_map_with_no_snapshot_says_what_to_do(db_url):
    at, store, _ = app_on(db_url, investing_map(), REFLECT)
    [info] = at.info
    assert info.value.startswith("No snapshot of this map yet")
    assert "before the first change of each day" in info.value
    store.close()


def test_reflect_shows_what_changed_since_the_last_snapshot_and_the_activity(db_url):
    store = Store(db_url)
    map_id = store.create_map(investing_map())
    writer = MapWrites(store, map_id, None)
    writer.take_snapshot("Before the board")
    m = store.load_map(map_id)
    writer.save_map(m.with_stakeholders((*m.stakeholders, Stakeholder("new", "Olu Adeyemi"))))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(REFLECT).run()
    ok(at)
    text = "\n".join(x.value for x in at.markdown).replace("\\", "")
    assert "1 stakeholder added: Olu Adeyemi" in text
    at.segmented_control(key="reflect-section").set_value("Activity").run()
    ok(at)
    assert [(r["Who"], r["What"]) for r in shown_rows(at)] == [
        ("single user", "Added 1 stakeholder"),
        ("single user", "Took a snapshot"),
    ]
    store.close()


def test_reflect_shows_the_widest_disagreements_and_links_to_several_views(db_url):
    store = Store(db_url)
    map_id = store.create_map(investing_map())
    for rating in (
        Rating("Clinical lead", "ceo", "stance", "supporter"),
        Rating("Council", "ceo", "stance", "opposed"),
        Rating("Council", "vcs", "influence", 2),
        Rating("ICB", "vcs", "influence", 4),
    ):
        rating_store.save_rating(store, map_id, rating)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(REFLECT).run()
    at.segmented_control(key="reflect-section").set_value("Where views differ").run()
    ok(at)
    lines = [x.value.replace("\\", "") for x in at.markdown if x.value.startswith("- ")]
    assert lines == [
        "- **Cara Stone**, stance: Clinical lead says **supporter**; Council says **opposed**.",
        "- **Vi Moss**, influence: ICB says **4**; Council says **2**.",
    ]
    assert [p.label for p in at.get("page_link")][-1] == "See the agreed values on Several views"
    store.close()


def test_a_note_of_the_reflection_log_can_be_edited(db_url):
    store = Store(db_url)
    map_id = store.create_map(investing_map())
    note = reflections.add_reflection(store, map_id, "Ask Vi")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(REFLECT).run()
    at.segmented_control(key="reflect-section").set_value("Reflection log").run()
    ok(at)
    button(at, "Edit note").click().run()
    ok(at)
    at.text_area(key=f"note-text-{note}").input("Ask Vi to co-chair the board")
    button(at, "Save note").click().run()
    ok(at)
    [saved] = reflections.list_reflections(store, map_id)
    assert saved.text == "Ask Vi to co-chair the board"
    assert activity.audit_log(store, map_id)[0].summary == "edited a reflection note"
    assert "Ask Vi to co-chair the board" in [m.value.replace("\\", "") for m in at.markdown]
    store.close()


def test_the_activity_log_shows_twenty_lines_a_page_newest_first(db_url):
    store = Store(db_url)
    map_id = store.create_map(investing_map())
    for i in range(25):
        activity.record(store, None, "edit", map_id, f"change number {i}")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(REFLECT).run()
    at.segmented_control(key="reflect-section").set_value("Activity").run()
    ok(at)
    first = [r["What"] for r in shown_rows(at)]
    assert first == [f"Change number {i}" for i in range(24, 4, -1)]
    [page] = at.number_input
    assert page.label == "Page (of 2)"
    page.set_value(2).run()
    ok(at)
    assert [r["What"] for r in shown_rows(at)] == [f"Change number {i}" for i in range(4, -1, -1)]
    store.close()


def test_on_the_sample_the_list_holds_every_investment_finding_of_the_gaps_page(db_url):
    from mapping.analysis.gaps import analyse
    from mapping.demo.sample import load_sample

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(INVEST).run()
    ok(at)
    report = analyse(load_sample(), today=TODAY)
    [group] = [g for g in report.groups if g.kind.key == "investment"]
    listed = shown_rows(at)
    assert len(listed) == len(group.items)
    assert [r["Rank"] for r in listed] == list(range(1, len(listed) + 1))
    urgency = [r["Urgency"] for r in listed]
    assert urgency == sorted(urgency, key=["High", "Medium", "Low"].index)
