"""The app in a real headless Chromium: add a stakeholder, see the map, stay offline."""

from __future__ import annotations

import pytest

from mapping.store import Store
from tests.browser import browser_page, outside_requests, require_chromium, running_app, wait_idle

pytestmark = pytest.mark.browser


def test_add_stakeholder_and_see_the_map_with_no_outside_request(tmp_path):
    require_chromium()
    db_url = f"sqlite:///{tmp_path / 'browser.db'}"
    with running_app(db_url) as base, browser_page() as (page, requests):
        page.goto(f"{base}/stakeholders")
        wait_idle(page)
        page.get_by_text("Add a stakeholder").click()
        page.get_by_label("Name *").fill("Olu Adeyemi <script>window.__pwned=1</script>")
        page.get_by_label("Organisation").fill("Hallam Carers Network")
        page.get_by_role("button", name="Add stakeholder").click()
        page.get_by_text("Saved: add Olu Adeyemi").wait_for(timeout=30_000)
        wait_idle(page)

        store = Store(db_url)
        m = store.load_map(store.list_maps()[0].id)
        assert any(s.organisation == "Hallam Carers Network" for s in m.stakeholders)

        page.goto(f"{base}/map")
        wait_idle(page)
        frame = page.frame_locator("iframe").first
        frame.locator("canvas").first.wait_for(timeout=30_000)
        count = page.frames[-1].evaluate("window.coalitionMap.nodes.length")
        assert count == len(m.stakeholders)
        assert page.evaluate("window.__pwned") is None
        assert outside_requests(requests) == []
