"""Importing through the real app in headless Chromium: a Kumu workbook and a broken CSV."""

from __future__ import annotations

import pytest

from mapping.store import Store
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
