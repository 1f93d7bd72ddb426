"""Same-named maps in a real headless Chromium: what the user edits or deletes is the map
they see. The browser sends the sidebar picker's label back with every click, so two maps
of one name used to be one option: the first new person was lost and the next went into the
other map, and "Delete this map…" did nothing on its first click.
"""

from __future__ import annotations

import pytest

from mapping.storage.store import Store
from tests.browser import browser_page, require_chromium, running_app, wait_idle

pytestmark = pytest.mark.browser


def _start_blank_map(page, base: str) -> None:
    page.goto(f"{base}/start")
    wait_idle(page)
    page.get_by_role("button", name="Start a blank map").click()
    page.get_by_role("heading", name="Stakeholders").wait_for(timeout=30_000)
    wait_idle(page)


def _add(page, name: str, people: int) -> None:
    field = page.get_by_label("Name *")
    # the form is open on an empty map and stays open after an add, for the next person
    field.wait_for(state="visible", timeout=30_000)
    field.fill(name)
    page.get_by_role("button", name="Add stakeholder").click()
    # the page's own count of the map it shows says the person was added to it
    count = "1 stakeholder" if people == 1 else f"{people} stakeholders"
    page.get_by_text(f"{count}, 0 in the coalition.").wait_for(timeout=30_000)
    wait_idle(page)


def test_edits_and_deletes_land_in_the_same_named_map_on_screen(tmp_path):
    require_chromium()
    url = f"sqlite:///{tmp_path / 'identity.db'}"
    with (
        running_app(url) as base,
        browser_page(viewport={"width": 1400, "height": 1000}) as (page, _requests),
    ):
        page.goto(base)
        wait_idle(page)
        store = Store(url)
        [sample] = store.list_maps()  # a fresh database holds the sample map

        _start_blank_map(page, base)
        _start_blank_map(page, base)
        made = {info.id: info.name for info in store.list_maps() if info.id != sample.id}
        assert sorted(made.values()) == ["My coalition", "My coalition 2"]
        first, second = sorted(made)

        for n, person in enumerate(("Person C", "Person D"), start=1):
            _add(page, person, n)
        assert [s.name for s in store.load_map(second).stakeholders] == ["Person C", "Person D"]
        assert store.load_map(first).stakeholders == ()
        picker = page.locator("[data-testid='stSidebar']").get_by_role("combobox")
        assert picker.input_value() == "My coalition 2 (2 people)"

        # a third blank map, renamed to share its name and its count with the first
        _start_blank_map(page, base)
        third = max(info.id for info in store.list_maps())
        store.rename_map(third, "My coalition")
        page.goto(f"{base}/stakeholders")
        wait_idle(page)
        page.get_by_text("Rename, duplicate or delete").click()
        wait_idle(page)
        page.get_by_role("button", name="Delete this map…").click()
        page.get_by_role("button", name="Yes, delete").wait_for(timeout=30_000)
        wait_idle(page)
        page.get_by_role("button", name="Yes, delete").click()
        page.get_by_text("Deleted 'My coalition'.").wait_for(timeout=30_000)
        wait_idle(page)
        left = {info.id for info in store.list_maps()}
        assert third not in left
        assert {sample.id, first, second} <= left
        store.close()
