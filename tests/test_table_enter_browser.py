"""Enter ends a typed table edit at once, in the real browser (ui/table_enter.py)."""

from __future__ import annotations

import pytest

from mapping.demo.sample import load_sample
from mapping.storage.store import Store
from tests.browser import browser_page, require_chromium, running_app, wait_idle

pytestmark = pytest.mark.browser

#: A name with markup, quotes and an accent: typed into the table, stored as typed.
NEW_NAME = '<b>Helen</b> "Ash" O\'Néil'


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    require_chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('enter') / 'enter.db'}"
    store = Store(url)
    store.create_map(load_sample())
    store.close()
    with running_app(url) as base:
        yield base, url


@pytest.fixture
def page(app):
    base, _ = app
    with browser_page(viewport={"width": 1366, "height": 768}) as (page, _requests):
        page.goto(f"{base}/stakeholders")
        page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
        wait_idle(page)
        page.wait_for_function("window.__coalitionEnterReady > 0")  # the page's Enter handling
        yield page


def _names(url: str) -> list[str]:
    store = Store(url)
    try:
        return [s.name for s in store.load_map(store.list_maps()[0].id).stakeholders]
    finally:
        store.close()


def _type_into_a_name(page, row: int, text: str) -> None:
    """Open the Name cell of the table's ``row`` (0 the first), replace its text with
    ``text`` and press Enter, then wait for the run that the edit starts to end."""
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.dblclick(box["x"] + 60, box["y"] + 35 * (row + 1) + 17)  # rows of 35 pixels
    cell = page.locator("textarea.gdg-input")
    cell.wait_for(state="visible", timeout=10_000)
    cell.fill(text)
    page.wait_for_function("t => document.activeElement.value === t", arg=text)
    page.keyboard.press("Enter")
    wait_idle(page)


def test_enter_saves_a_typed_edit_at_once_and_closes_the_editor(app, page):
    _, url = app
    before = _names(url)
    _type_into_a_name(page, 1, NEW_NAME)
    assert page.evaluate("window.__coalitionEnterEnded") == 1  # ended by the page, not held
    assert not page.evaluate("window.__coalitionEnterOff")
    assert page.locator("textarea.gdg-input").count() == 0
    after = _names(url)
    assert after[1] == NEW_NAME
    assert after[:1] + after[2:] == before[:1] + before[2:]  # nobody else changed


def test_when_the_editor_ignores_the_press_outside_enter_is_handed_back(app, page):
    """Should a later Streamlit not close its editor on a press outside, the Enter goes to
    the editor as it came: the edit is still saved, and Enter is left alone from then on."""
    _, url = app
    # the page's press outside (not a real one) never reaches the editor's listener
    page.evaluate(
        "window.addEventListener('pointerdown', (e) => { if (!e.isTrusted) e.stopPropagation(); },"
        " {capture: true})"
    )
    _type_into_a_name(page, 2, "Handed back")
    assert page.evaluate("window.__coalitionEnterOff") is True
    assert not page.evaluate("window.__coalitionEnterEnded")
    assert _names(url)[2] == "Handed back"
    _type_into_a_name(page, 3, "Left alone")  # Enter as Streamlit handles it
    assert _names(url)[3] == "Left alone"
    assert not page.evaluate("window.__coalitionEnterEnded")
