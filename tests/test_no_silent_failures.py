"""Nothing fails silently: formula cells are neutralised everywhere text leaves the app, long
notes fit the PDF report, downloads never race the page, and refusals reach the user."""

from __future__ import annotations

import ast
import csv
import io
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from mapping.analysis.gaps import analyse
from mapping.demo.sample import load_sample
from mapping.io import project_json
from mapping.io.safety import neutralise_formula, starts_formula
from mapping.io.tabular_read import read_csv_zip, read_excel
from mapping.io.tabular_write import write_csv_zip, write_excel
from mapping.model import Map, Relationship, Stakeholder
from mapping.report.pdf import report_pdf
from mapping.storage import history
from mapping.storage.store import Store
from tests.conftest import ROOT
from tests.test_gaps_page import choose_tab
from ui import routes

TODAY = date(2026, 1, 15)

# --- Formula cells ----------------------------------------------------------------------------

#: Text -> whether a spreadsheet might run it as a formula.
PAYLOADS = {
    '=HYPERLINK("http://evil","x")': True,
    "+cmd|' /C calc'!A0": True,
    "@SUM(1)": True,
    "-2+3+cmd|' /C calc'!A0": True,
    " =1+1": True,  # a leading space
    "   @SUM(A1)": True,
    "\t=1+1": True,  # tab
    "\r=1+1": True,  # carriage return
    "\n=1+1": True,  # a leading line break
    "\nplain words": True,  # a line break alone is a formula start too (like tab and CR)
    " \n=1+1": True,
    "\u00a0=1+1": True,  # no-break space
    "\u3000=1+1": True,  # ideographic space
    "\u200b=1+1": True,  # zero-width space
    "＝1+1": True,  # full-width signs
    "＋1+A1": True,
    "－A1": True,
    "＠SUM(1)": True,
    " ＝1+1": True,
    "﹦1+1": True,  # small equals sign
    "−A1": True,  # minus sign
    "-3": False,  # plain numbers stay numbers
    "+4.5": False,
    " -3": False,
    "Dr Asha Patel": False,
    "a=b": False,
    "   ": False,
    "": False,
}


@pytest.mark.parametrize(("text", "risky"), PAYLOADS.items())
def test_neutralise_formula_covers_spaces_line_breaks_and_full_width_signs(text, risky):
    assert starts_formula(text) is risky
    assert neutralise_formula(text) == ("'" + text if risky else text)


def _payload_map() -> Map:
    texts = [t for t in PAYLOADS if t.strip()]
    people = tuple(
        Stakeholder(f"p{i}", f"Person {i}", organisation=t, notes=t, custom={"Field": t})
        for i, t in enumerate(texts)
    )
    ties = (Relationship("r0", "p0", "p1", notes=texts[4], how_we_know=texts[14]),)
    return Map(name="＝1+1", description=" =2+2", stakeholders=people, relationships=ties)


def _csv_cells(data: bytes) -> list[str]:
    cells = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                text = archive.read(name).decode("utf-8-sig")
                cells += [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    return cells


def test_no_csv_cell_starts_a_formula_and_every_payload_is_prefixed():
    cells = _csv_cells(write_csv_zip(_payload_map()))
    assert [c for c in cells if starts_formula(c)] == []
    for text, risky in PAYLOADS.items():
        if risky and text.strip():
            assert "'" + text in cells, repr(text)


def test_every_workbook_cell_that_starts_a_formula_has_the_quote_prefix():
    book = openpyxl.load_workbook(io.BytesIO(write_excel(_payload_map())))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and starts_formula(c.value)]
    assert len(risky) >= len([t for t, r in PAYLOADS.items() if r])
    assert [f"{c.parent.title}!{c.coordinate}" for c in risky if not c.quotePrefix] == []
    plain = [c for c in cells if c.value in ("Person 1", "-3")]
    assert plain and not any(c.quotePrefix for c in plain)


def test_csv_round_trip_removes_the_apostrophe_it_added_and_keeps_real_ones():
    m = _payload_map()
    back = read_csv_zip(write_csv_zip(m))
    for before, after in zip(m.stakeholders, back.stakeholders, strict=True):
        assert after.organisation == before.organisation.strip()
        assert after.notes == before.notes.strip()
    assert back.name == "＝1+1"
    assert read_csv_zip(write_csv_zip(back)) == back


def test_excel_round_trip_gives_the_text_back_trimmed_and_unprefixed():
    m = _payload_map()
    back = read_excel(write_excel(m))
    for before, after in zip(m.stakeholders, back.stakeholders, strict=True):
        assert after.organisation == before.organisation.strip()
        assert after.custom.get("Field") == before.custom["Field"].strip()
    assert back.description == "=2+2"


# --- The PDF report -----------------------------------------------------------------------------


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_pdf_report_carries_a_note_three_pages_long_to_its_last_words():
    m = load_sample()
    words = " ".join(f"point{i}" for i in range(2400)) + " and these are the closing words"
    someone = m.stakeholders[0].id
    people = tuple(replace(s, notes=words) if s.id == someone else s for s in m.stakeholders)
    m = replace(m, stakeholders=people)
    report = analyse(m, today=TODAY)
    assert someone in {sid for f in report.findings for sid in f.stakeholders} | {
        r.id for r in report.key_people
    }, "the report names the person, so their note is printed"
    short, _ = _pdf_text(report_pdf(m, report, today=TODAY))
    pages, text = _pdf_text(report_pdf(m, report, today=TODAY, include_notes=True))
    assert pages >= short + 3
    assert "point0 point1" in text and "point2399 and these are the closing words" in text


def test_pdf_report_with_a_name_longer_than_a_page_renders():
    m = load_sample()
    name = " ".join(["Very long name"] * 900) + " ends here"
    people = (replace(m.stakeholders[0], name=name), *m.stakeholders[1:])
    m = replace(m, stakeholders=people)
    _, text = _pdf_text(report_pdf(m, analyse(m, today=TODAY), today=TODAY))
    assert "Very long name ends here" in text


# --- Tables and downloads in the app -----------------------------------------------------------

HOSTILE_NAME = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def deferred(monkeypatch) -> dict[str, Callable[[], bytes]]:
    """File name -> the function a deferred download button would run when clicked."""
    made: dict[str, Callable[[], bytes]] = {}
    add = MediaFileManager.add_deferred

    def record(self, callable_, mimetype, coordinates, file_name=None, **kw):
        made[file_name] = callable_
        return add(self, callable_, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return made


def _hostile_sample(db_url: str) -> int:
    """The sample map, snapshotted, then its first person renamed to a formula."""
    store, m = Store(db_url), load_sample()
    map_id = store.create_map(m)
    history.take_snapshot(store, map_id, "Before the renaming")
    first = replace(m.stakeholders[0], name=HOSTILE_NAME, organisation=" =1+1", notes="＝2+2")
    store.save_map(map_id, replace(m, stakeholders=(first, *m.stakeholders[1:])))
    return map_id


def _app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(routes.PAGES[page][0]).run()
        assert not at.exception, at.exception
    return at


def _downloads(at: AppTest) -> list:
    return list(at.get("download_button")) + list(at.sidebar.get("download_button"))


def test_streamlit_own_table_download_is_turned_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


def test_every_table_offers_the_app_csv_download_with_formulas_neutralised(db_url, deferred):
    _hostile_sample(db_url)
    at = _app("map")
    assert [df for df in at.dataframe if len(df.value)] == [], "sent only when opened"
    at.session_state["map-as-table"] = True  # the text alternative, opened
    at.run()
    shown = [df for df in at.dataframe if len(df.value)]
    buttons = [b for b in _downloads(at) if b.proto.id.endswith("table-csv-people-on-the-map")]
    assert len(shown) == 1 and len(buttons) == 1
    assert buttons[0].proto.ignore_rerun
    rows = list(csv.reader(io.StringIO(deferred["people-on-the-map.csv"]().decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Organisation", "Perspective"]
    assert "'" + HOSTILE_NAME in [r[0] for r in rows]
    assert "' =1+1" in [r[1] for r in rows]
    assert [c for r in rows for c in r if starts_formula(c)] == []


def test_each_table_on_the_gaps_page_has_its_own_download(db_url, deferred):
    _hostile_sample(db_url)
    at = _app("gaps")
    shown = 0
    for label in [tab.label for tab in at.tabs]:
        choose_tab(at, label)  # only the chosen tab is drawn
        tables_shown = [df for df in at.dataframe if len(df.value)]
        table_buttons = [b for b in _downloads(at) if "table-csv-" in b.proto.id]
        assert len(table_buttons) == len(tables_shown), label
        shown += len(tables_shown)
    assert shown >= 5
    made = {name: make for name, make in deferred.items() if name.endswith(".csv")}
    assert {"brokers.csv", "power-interest-grid.csv", "who-to-bring-in.csv"} <= set(made)
    for name, make in made.items():
        cells = [c for r in csv.reader(io.StringIO(make().decode("utf-8-sig"))) for c in r]
        assert [c for c in cells if starts_formula(c)] == [], name


def test_the_stakeholder_table_download_holds_the_stored_rows_neutralised(db_url, deferred):
    _hostile_sample(db_url)
    _app("stakeholders")
    rows = list(csv.reader(io.StringIO(deferred["stakeholders.csv"]().decode("utf-8-sig"))))
    assert "'" + HOSTILE_NAME in rows[1]
    assert [c for r in rows for c in r if starts_formula(c)] == []


@pytest.mark.parametrize("page", list(routes.PAGES))
def test_no_download_button_reruns_the_page(db_url, page):
    _hostile_sample(db_url)
    at = _app(page)
    buttons = _downloads(at)
    if page == "reflect":  # the change report's downloads are in the "What changed" section
        at.segmented_control(key="reflect-section").set_value("What changed").run()
        assert not at.exception, at.exception
        buttons += _downloads(at)
        assert {"Change report (Markdown)", "Changes (JSON)"} <= {b.proto.label for b in buttons}
    assert [b.proto.label for b in buttons if not b.proto.ignore_rerun] == []


def test_every_download_button_in_the_source_passes_on_click_ignore():
    """Buttons drawn only after an upload or a choice are checked here too."""
    missing = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "download_button":
                on_click = {k.arg: k.value for k in node.keywords}.get("on_click")
                if not (isinstance(on_click, ast.Constant) and on_click.value == "ignore"):
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert missing == []


# --- Refusals reach the user as one message ----------------------------------------------------


def _colleague_sets_stance(db_url: str, map_id: int, person: str, stance: str) -> None:
    store = Store(db_url)
    m = store.load_map(map_id)
    people = tuple(replace(s, stance=stance) if s.id == person else s for s in m.stakeholders)
    store.save_map(map_id, replace(m, stakeholders=people), expected_version=store.version(map_id))


def _errors(at: AppTest) -> list[str]:
    """Every error message on the page, the sidebar's included."""
    return [e.value for e in at.error]


def test_undo_after_a_colleague_saved_shows_one_clear_message_and_loses_nothing(db_url):
    map_id = Store(db_url).create_map(load_sample())
    at = _app("stakeholders")
    at.session_state["add-stakeholder-open"] = True  # the form, opened
    at.run()
    [name] = [t for t in at.text_input if t.label == "Name *"]
    name.input("Olu Adeyemi")
    [add] = [b for b in at.button if b.label == "Add stakeholder"]
    add.click().run()
    assert not at.exception and not _errors(at)
    person = load_sample().stakeholders[0].id
    _colleague_sets_stance(db_url, map_id, person, "opposed")

    [undo] = [b for b in at.sidebar.button if b.label.startswith("Undo")]
    undo.click().run()

    assert not at.exception, at.exception
    [message] = _errors(at)
    assert "changed by someone else" in message and "not saved" in message
    assert [e.value for e in at.sidebar.error] == [message], "shown where Undo was clicked"
    kept = Store(db_url).load_map(map_id)
    assert "Olu Adeyemi" in {s.name for s in kept.stakeholders}
    assert kept.stakeholder(person).stance.value == "opposed"


def _edit_a_stale_table(map_id: int, version: int, seen: bytes, edits: dict) -> None:
    """The stakeholder table's on_change, run on the map as this user last saw it."""
    import streamlit as st

    from mapping.changes.edit import apply_stakeholder_edits
    from mapping.io import project_json
    from ui import state, tables

    cur = state.Current(map_id, version, project_json.loads(seen))
    st.session_state["the-editor"] = edits
    tables.save_edits(cur, "stakeholders", apply_stakeholder_edits, "the-editor")
    state.flash()


def test_a_table_edit_that_clashes_with_a_colleague_shows_one_clear_message(db_url):
    store = Store(db_url)
    map_id = store.create_map(load_sample())
    version, seen = store.version(map_id), store.load_map(map_id)
    person = seen.stakeholders[0]
    _colleague_sets_stance(db_url, map_id, person.id, "opposed")
    edits = {"edited_rows": {0: {"Stance": "champion"}}, "added_rows": [], "deleted_rows": []}
    at = AppTest.from_function(
        _edit_a_stale_table,
        args=(map_id, version, project_json.dumps(seen), edits),
        default_timeout=60,
    ).run()

    assert not at.exception, at.exception
    [message] = _errors(at)
    assert "stance" in message and "opposed" in message and "champion" in message
    assert Store(db_url).load_map(map_id).stakeholder(person.id).stance.value == "opposed"
