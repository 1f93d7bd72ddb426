"""History, review and several views in the app (AppTest): snapshots, diffs, restores, one-click confirms."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from mapping.changes.ratings import Rating
from mapping.demo.sample import load_sample
from mapping.io import project_json
from mapping.model import Stakeholder
from mapping.storage import history, rating_store, reflections
from mapping.storage.store import Store
from tests.apptest import button, ok, open_sidebar
from tests.conftest import ROOT
from ui.pages.review import SHOWN
from ui.tables import snapshot_reason

PAGES = {
    "history": "ui/pages/history.py",
    "reflect": "ui/pages/reflect.py",
    "review": "ui/pages/review.py",
    "views": "ui/pages/views.py",
    "stakeholders": "ui/pages/stakeholders.py",
    "import-export": "ui/pages/import_export.py",
}


def start(db_url: str, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(PAGES[page]).run()
        ok(at)
    return at


def only_map(db_url: str) -> tuple[Store, int]:
    store = Store(db_url)
    [info] = store.list_maps()
    return store, info.id


def section(at: AppTest, name: str | None, key: str = "history-section") -> None:
    at.segmented_control(key=key).set_value(name).run()
    ok(at)


def add_stakeholder(at: AppTest, name: str) -> None:
    at.session_state["add-stakeholder-open"] = True  # the form, opened
    at.switch_page(PAGES["stakeholders"]).run()
    [field] = [t for t in at.text_input if t.label == "Name *"]
    field.input(name)
    button(at, "Add stakeholder").click().run()
    ok(at)


def test_snapshot_then_edit_then_the_diff_names_the_change(db_url):
    at = start(db_url, "history")
    [name] = [t for t in at.text_input if t.label == "Snapshot name"]
    name.input("Before the board")
    button(at, "Take a snapshot").click().run()
    ok(at)
    store, map_id = only_map(db_url)
    [snap] = history.list_snapshots(store, map_id)
    assert snap.name == "Before the board" and not snap.automatic

    add_stakeholder(at, "Olu Adeyemi")
    at.switch_page(PAGES["reflect"]).run()  # opens on what changed since the last snapshot
    ok(at)
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "1 stakeholder added: Olu Adeyemi" in text
    assert "Perspectives with a coalition member" in text
    labels = [b.label for b in at.get("download_button")]
    assert {"Change report (Markdown)", "Changes (JSON)"} <= set(labels)
    assert "Download this table (CSV)" in labels, "the table of changed people"


def test_restore_from_the_page_is_exact_and_can_be_undone(db_url):
    at = start(db_url, "history")
    button(at, "Take a snapshot").click().run()
    store, map_id = only_map(db_url)
    [snap] = history.list_snapshots(store, map_id)
    add_stakeholder(at, "Olu Adeyemi")
    edited = store.load_map(map_id)

    at.switch_page(PAGES["history"]).run()
    ok(at)
    button(at, "Restore this snapshot…").click().run()
    button(at, "Yes, restore").click().run()
    ok(at)
    assert project_json.dumps(store.load_map(map_id)) == history.snapshot_text(store, snap.id)
    latest = history.list_snapshots(store, map_id)[0]
    assert latest.reason == history.RESTORE
    assert history.snapshot_map(store, latest.id) == edited

    undo = [b for b in at.sidebar.button if b.label.startswith("Undo: restore snapshot")]
    assert undo, [b.label for b in at.sidebar.button]
    undo[0].click().run()
    ok(at)
    assert store.load_map(map_id) == edited


def test_view_a_snapshot_shows_its_map_and_findings_as_they_were(db_url):
    at = start(db_url, "history")
    button(at, "Take a snapshot").click().run()
    at.toggle(key=f"snap-view-{only_map(db_url)[1]}").set_value(True).run()
    ok(at)
    assert any("as it was at" in s.value for s in at.subheader)
    assert any(e.label.startswith(("HIGH", "MEDIUM", "LOW", "INFO")) for e in at.expander)


def test_merging_an_import_takes_an_automatic_snapshot_first(db_url):
    at = start(db_url, "import-export")
    store, map_id = only_map(db_url)
    before = store.load_map(map_id)
    extra = Stakeholder("new-1", "Imported Person", "Somewhere", perspective="clinical")
    incoming = before.with_stakeholders((*before.stakeholders, extra))
    at.file_uploader[0].set_value(
        ("more.coalition.json", project_json.dumps(incoming).encode(), "application/json")
    ).run()
    ok(at)
    [target] = [r for r in at.radio if r.label == "Where should it go?"]
    target.set_value(target.options[1]).run()
    button(at, "Merge into this map").click().run()
    ok(at)
    assert any(s.name == "Imported Person" for s in store.load_map(map_id).stakeholders)
    [snap] = history.list_snapshots(store, map_id)
    assert snap.reason == history.IMPORT and snap.name == "Before import more.coalition.json"
    assert history.snapshot_map(store, snap.id) == before


def test_deleting_a_map_keeps_a_snapshot_and_restores_with_its_history(db_url):
    at = start(db_url)
    store, map_id = only_map(db_url)
    reflections.add_reflection(store, map_id, "Keep this note")
    open_sidebar(at)
    button(at, "Delete this map…", sidebar=True).click().run()
    button(at, "Yes, delete", sidebar=True).click().run()
    ok(at)
    assert store.list_maps() == []
    [gone] = history.deleted_maps(store)
    assert gone.reason == history.DELETION and gone.map_name == load_sample().name
    restore = [b for b in at.sidebar.button if b.label.startswith("Restore deleted map")]
    restore[0].click().run()
    ok(at)
    [info] = store.list_maps()
    assert store.load_map(info.id) == load_sample()
    assert [n.text for n in reflections.list_reflections(store, info.id)] == ["Keep this note"]


def test_table_edits_in_bulk_or_deleting_rows_are_snapshotted_first():
    single = {
        "edited_rows": {0: {"Name": "Ann", "Role": "x"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    assert snapshot_reason(single) is None
    assert snapshot_reason({"edited_rows": {0: {}}, "added_rows": [{}], "deleted_rows": []}) == (
        history.BULK_EDIT
    )
    assert snapshot_reason({"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}) == (
        history.DELETION
    )


def test_trends_chart_every_snapshot_and_now(db_url):
    at = start(db_url, "history")
    button(at, "Take a snapshot").click().run()
    section(at, "Trends")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 6


def test_reflection_log_adds_searches_and_chooses_notes_for_reports(db_url):
    at = start(db_url, "reflect")
    section(at, "Reflection log", "reflect-section")
    [prompt] = [s for s in at.selectbox if s.label.startswith("Prompt")]
    prompt.set_value(reflections.PROMPTS[0])
    [author] = [r for r in at.radio if r.label == "Written as"]
    author.set_value("the team")
    [note] = [t for t in at.text_area if t.label == "Note"]
    note.input("Invest in the council link before March.")
    button(at, "Add note").click().run()
    ok(at)
    store, map_id = only_map(db_url)
    [saved] = reflections.list_reflections(store, map_id)
    assert (saved.author, saved.prompt, saved.in_report) == (
        "the team",
        reflections.PROMPTS[0],
        False,
    )
    assert saved.written_on == date.today()
    at.checkbox(key=f"note-report-{saved.id}").check().run()
    ok(at)
    assert reflections.list_reflections(store, map_id, in_report=True)[0].id == saved.id
    at.text_input(key="note-search").input("nothing like this").run()
    assert any(i.value == "No notes match." for i in at.info)


def test_an_empty_note_is_refused_keeping_what_was_chosen_then_saved_and_the_form_emptied(
    db_url,
):
    at = start(db_url, "reflect")
    section(at, "Reflection log", "reflect-section")
    store, map_id = only_map(db_url)
    [author] = [r for r in at.radio if r.label == "Written as"]
    author.set_value("the team")
    button(at, "Add note").click().run()
    assert not at.exception, at.exception
    assert any("The note is empty" in e.value for e in at.error)
    assert reflections.list_reflections(store, map_id) == []
    [author] = [r for r in at.radio if r.label == "Written as"]
    assert author.value == "the team", "what was chosen is kept for correcting"
    [note] = [t for t in at.text_area if t.label == "Note"]
    note.input("Ask the <b>council</b> lead to co-chair.")
    button(at, "Add note").click().run()
    ok(at)
    [saved] = reflections.list_reflections(store, map_id)
    assert (saved.text, saved.author) == ("Ask the <b>council</b> lead to co-chair.", "the team")
    assert not at.error
    [note] = [t for t in at.text_area if t.label == "Note"]
    assert note.value == "", "a saved note empties the form for the next one"


def test_needs_review_confirms_the_most_overdue_tie_in_one_click(db_url):
    at = start(db_url, "review")
    store, map_id = only_map(db_url)
    confirm = [b for b in at.button if b.label == "Mark as confirmed today"]
    assert len(confirm) == SHOWN, f"one button per item listed: the sample has more than {SHOWN}"
    button(at, f"Show {SHOWN} more").click().run()
    assert len([b for b in at.button if b.label == "Mark as confirmed today"]) == 2 * SHOWN
    confirm = [b for b in at.button if b.label == "Mark as confirmed today"]
    first = next(b for b in confirm if b.key.startswith("confirm-relationship-"))
    rid = first.key.removeprefix("confirm-relationship-")
    first.click().run()
    ok(at)
    [tie] = [r for r in store.load_map(map_id).relationships if r.id == rid]
    assert tie.last_confirmed == date.today()
    assert not any(b.key == first.key for b in at.button), "a confirmed tie has no button"
    assert len([b for b in at.button if b.label == "Mark as confirmed today"]) == 2 * SHOWN - 1


def test_a_confirmed_row_keeps_its_place_until_the_page_is_opened_again(db_url):
    at = start(db_url, "review")
    store, map_id = only_map(db_url)
    first = store.load_map(map_id)

    def rows() -> list[str]:
        return [m.value for m in at.markdown if "\n" in m.value]

    before = rows()
    buttons = [b for b in at.button if b.label == "Mark as confirmed today"]
    buttons[0].click().run()
    ok(at)
    after = rows()
    assert len(after) == len(before), "no row moves up under the pointer"
    assert after[0].startswith(before[0].split("\n")[0]) and after[0].endswith(":green[done]")
    assert after[1:] == before[1:]
    assert len([b for b in at.button if b.label == "Mark as confirmed today"]) == SHOWN - 1
    assert any("Confirmed today" in m.value or "Next review" in m.value for m in at.markdown)
    # a second click where the first was confirms nothing else: the next row is the next one
    next(b for b in at.button if b.label == "Mark as confirmed today").click().run()
    ok(at)
    again = rows()
    assert again[0] == after[0] and again[1].endswith(":green[done]") and again[2:] == before[2:]
    saved = store.load_map(map_id)
    changed = [a for a, b in zip(saved.relationships, first.relationships, strict=True) if a != b]
    changed += [a for a, b in zip(saved.stakeholders, first.stakeholders, strict=True) if a != b]
    assert len(changed) == 2, "two clicks, two different rows confirmed"
    # opened again from another page: the confirmed rows are gone, the next ones move up
    at.switch_page(PAGES["history"]).run()
    at.switch_page(PAGES["review"]).run()
    ok(at)
    assert rows()[0] == before[2]


def test_several_views_show_disagreement_and_apply_agreed_values(db_url):
    at = start(db_url, "views")
    store, map_id = only_map(db_url)
    m = store.load_map(map_id)
    ceo = next(
        s
        for s in m.stakeholders
        if s.influence >= 4 and s.stance.value not in ("unknown", "neutral")
    )
    for rater, stance in (("Clinical lead", "supporter"), ("Council", "opposed")):
        [name] = [t for t in at.text_input if t.label == "Your name or role *"]
        name.input(rater)
        [who] = [s for s in at.selectbox if s.label == "Stakeholder"]
        who.set_value(ceo.id)
        [pick] = [s for s in at.selectbox if s.label == "Stance"]
        pick.set_value(stance)
        button(at, "Save this view").click().run()
        ok(at)
    assert rating_store.list_ratings(store, map_id) == [
        Rating("Clinical lead", ceo.id, "stance", "supporter"),
        Rating("Council", ceo.id, "stance", "opposed"),
    ]
    text = "\n".join(x.value for x in at.markdown).replace("\\", "")
    assert "Clinical lead says **supporter**" in text and "Council says **opposed**" in text
    apply = [b for b in at.button if b.label.startswith("Apply agreed values")]
    apply[0].click().run()
    ok(at)
    assert store.load_map(map_id).stakeholder(ceo.id).stance.value == "neutral"
    [snap] = history.list_snapshots(store, map_id)
    assert snap.reason == history.BULK_EDIT
    assert history.snapshot_map(store, snap.id).stakeholder(ceo.id).stance == ceo.stance


def test_the_days_first_change_keeps_the_map_as_it_was_once(db_url):
    at = start(db_url)
    store, map_id = only_map(db_url)
    before = store.load_map(map_id)
    assert history.list_snapshots(store, map_id) == []
    add_stakeholder(at, "Olu Adeyemi")
    add_stakeholder(at, "Bea Ncube")
    [daily] = history.list_snapshots(store, map_id)
    assert (daily.reason, daily.name) == (history.DAILY, "Before add Olu Adeyemi")
    assert history.snapshot_map(store, daily.id) == before
    names = {s.name for s in store.load_map(map_id).stakeholders}
    assert {"Olu Adeyemi", "Bea Ncube"} <= names
    # "what changed" compares against it without anyone having taken a snapshot
    at.switch_page(PAGES["reflect"]).run()
    ok(at)
    assert any("2 stakeholders added" in m.value for m in at.markdown), [
        m.value for m in at.markdown
    ][:8]
    store.close()


def test_a_second_click_on_the_section_shown_keeps_it(db_url):
    at = start(db_url, "reflect")
    section(at, "Activity", key="reflect-section")
    section(at, None, key="reflect-section")  # Streamlit's control would unselect it
    assert at.segmented_control(key="reflect-section").value == "Activity"
    at.switch_page(PAGES["history"]).run()
    section(at, "Trends")
    section(at, None)
    assert at.segmented_control(key="history-section").value == "Trends"
