"""Importing through the real app in headless Chromium: a Kumu workbook, a broken CSV, and a
People/Links workbook matched, partly imported and drawn."""

from __future__ import annotations

import pytest

from mapping.storage.store import Store
from tests.browser import browser_page, outside_requests, require_chromium, running_app, wait_idle

pytestmark = pytest.mark.browser


def test_kumu_workbook_becomes_a_new_map_and_a_bad_csv_writes_nothing(tmp_path, shared_dir):
    require_chromium()
    url = f"sqlite:///{tmp_path / 'import.db'}"
    bad = tmp_path / "stakeholders.csv"
    bad.write_text("Name,Perspective,Influence\nAnn,clinical,9\n", encoding="utf-8")
    with (
        running_app(url) as base,
        browser_page(viewport={"width": 1400, "height": 1000}) as (
            page,
            requests,
        ),
    ):
        page.goto(f"{base}/import-export")
        wait_idle(page)
        page.get_by_role("tab", name="Import").click()
        page.locator("input[type=file]").set_input_files(str(bad))
        wait_idle(page)
        page.get_by_text("stakeholders.csv cannot be imported").wait_for(timeout=30_000)
        assert page.get_by_text("Row 2").count() >= 1
        store = Store(url)
        assert len(store.list_maps()) == 1, "the failed import wrote nothing"

        page.goto(f"{base}/import-export")  # a fresh uploader (it collects several files)
        wait_idle(page)
        page.get_by_role("tab", name="Import").click()
        page.locator("input[type=file]").set_input_files(
            str(shared_dir / "fixtures" / "kumu" / "paypal-mafia.xlsx")
        )
        wait_idle(page)
        page.get_by_text("A Kumu").first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Create the map").click()
        page.get_by_text("Imported paypal-mafia.xlsx as a new map").wait_for(timeout=30_000)
        sizes = sorted(info.stakeholders for info in store.list_maps())
        assert 34 in sizes
        assert outside_requests(requests) == []


def _drawn_people(page) -> int:
    """How many people the drawn map on the page holds, once one is drawn."""
    ready = "(m) => !!(m && m.drawn)"
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('iframe')].some((f) => {{
            try {{ return ({ready})(f.contentWindow.coalitionMap); }} catch (e) {{ return false; }}
        }})""",
        timeout=60_000,
    )
    for frame in page.frames:
        try:
            if frame.evaluate(f"() => ({ready})(window.coalitionMap)"):
                return frame.evaluate("() => window.coalitionMap.nodes.get().length")
        except Exception:  # a frame replaced by a rerun meanwhile
            continue
    raise AssertionError("no drawn map")


def test_a_people_and_links_workbook_is_matched_partly_imported_and_drawn(tmp_path):
    import openpyxl

    require_chromium()
    url = f"sqlite:///{tmp_path / 'workbook.db'}"
    book = tmp_path / "team.xlsx"
    wb = openpyxl.Workbook()
    people = wb.active
    people.title = "People"
    for row in (["Name", "Sector"], ["Ann", "Social care"], ["Bo", "Agency X"], ["", "clinical"]):
        people.append(row)
    links = wb.create_sheet("Links")
    for row in (["Source", "Target", "Strength (1-5)"], ["Ann", "Bo", 4], ["Ann", "Zed", 2]):
        links.append(row)
    wb.save(book)
    with (
        running_app(url) as base,
        browser_page(viewport={"width": 1400, "height": 1200}) as (page, requests),
    ):
        page.goto(f"{base}/import-export")
        wait_idle(page)
        page.get_by_role("tab", name="Import").click()
        page.locator("input[type=file]").set_input_files(str(book))
        wait_idle(page)
        page.get_by_text("Values this map does not know").wait_for(timeout=30_000)
        page.get_by_label("Perspective 'Agency X' (1 row)").click()
        page.get_by_role("option", name="clinical", exact=True).click()
        wait_idle(page)
        store = Store(url)
        before = len(store.list_maps())
        page.get_by_text("Import the 3 good rows and leave out the 2 with problems").click()
        wait_idle(page)
        page.get_by_role("button", name="Create the map").click()
        page.get_by_text("Imported team.xlsx as a new map").wait_for(timeout=30_000)
        assert len(store.list_maps()) == before + 1
        m = store.load_map(max(info.id for info in store.list_maps()))
        assert [(s.name, s.perspective) for s in m.stakeholders] == [
            ("Ann", "local authority & social care"),
            ("Bo", "clinical"),
        ]
        assert [r.strength for r in m.relationships] == [4]
        page.goto(f"{base}/")
        wait_idle(page)
        assert _drawn_people(page) == 2
        assert outside_requests(requests) == []
