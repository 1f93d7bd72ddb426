"""Accessibility in the real browser: axe-core finds nothing serious on any page, and the forms work from the keyboard alone."""

from __future__ import annotations

import pytest

from mapping.changes.edit import relationships_frame
from mapping.demo.sample import load_sample
from mapping.storage.store import Store
from tests.browser import browser_page, require_chromium, running_app, wait_idle
from tests.demo_store import seed_demo
from ui.routes import PAGES

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}

#: Streamlit's own markup that the app cannot change, as (axe rule, CSS selector of the
#: elements it excuses). Nothing else is excused.
STREAMLIT_INTERNAL = {
    # st.navigation with sections (Streamlit 1.67) puts each section's heading <div> and a
    # <div> wrapping its links directly inside the <ul> of the sidebar's page links, so the
    # <li> of a link has no list parent. The pages are still announced as links.
    ("list", '[data-testid="stSidebarNavItems"]'),
    ("listitem", '[data-testid="stSidebarNavItems"] li'),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    require_chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('a11y') / 'a11y.db'}"
    seed_demo(url)
    with running_app(url) as base:
        yield base, url


@pytest.fixture(scope="module")
def browser(app):
    with browser_page(viewport={"width": 1280, "height": 900}) as (page, _requests):
        yield page


def _excused(frame, rule: str, target: str) -> bool:
    return any(
        rule == excused_rule
        and frame.evaluate(
            "([target, selector]) => !!document.querySelector(target)?.matches(selector)",
            [target, selector],
        )
        for excused_rule, selector in STREAMLIT_INTERNAL
    )


def serious_violations(page) -> list[str]:
    """Serious and critical axe-core violations in the page and in every frame (the map)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = []
    for frame in page.frames:
        if frame.is_detached():
            continue
        results = axe.run(frame, options={"resultTypes": ["violations"], "iframes": False})
        for violation in results.response["violations"]:
            if violation["impact"] not in SERIOUS:
                continue
            for node in violation["nodes"]:
                target = node["target"][0]
                if not _excused(frame, violation["id"], target):
                    where = "map frame" if frame != page.main_frame else "page"
                    found.append(
                        f"{where}: {violation['id']} ({violation['help']}) at {target}: "
                        f"{node.get('failureSummary', '')}"
                    )
    return found


def settle(page) -> None:
    """Wait until Streamlit is idle and every map on the page has drawn."""
    wait_idle(page)
    for i in range(page.locator("iframe").count()):
        page.frame_locator("iframe").nth(i).locator("canvas").first.wait_for(timeout=30_000)
    wait_idle(page)


def visit(page, base: str, path: str) -> None:
    """Open a page by its url path and wait until it and any map on it have drawn."""
    page.goto(f"{base}/{'' if path == 'map' else path}")
    wait_idle(page)
    page.locator("[data-testid='stHeading']").first.wait_for(timeout=30_000)
    settle(page)


def test_the_scan_reports_faint_text_and_an_image_without_alternative(browser):
    browser.set_content(
        "<!DOCTYPE html><html lang='en'><head><title>Bad</title></head><body><main>"
        "<p style='color:#bbbbbb'>Faint words</p><img src='data:,'></main></body></html>"
    )
    found = serious_violations(browser)
    assert any(f.startswith("page: color-contrast") for f in found), found
    assert any(f.startswith("page: image-alt") for f in found), found


def open_expanders(page, limit: int = 6) -> None:
    """Open the first few closed expanders of the main area, so that their content is scanned."""
    closed = page.locator("[data-testid='stMain'] details:not([open]) > summary")
    for _ in range(min(limit, closed.count())):
        closed.first.click()
    page.wait_for_timeout(300)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_has_no_serious_accessibility_violation(app, browser, path):
    base, _ = app
    visit(browser, base, path)
    open_expanders(browser)  # opening hides nothing: one scan covers the page and its expanders
    settle(browser)
    assert serious_violations(browser) == []


def test_every_tab_of_the_coalition_gaps_has_no_serious_violation(app, browser):
    base, _ = app
    visit(browser, base, "gaps")
    for tab in browser.get_by_role("tab").all():
        tab.click()
        browser.get_by_role("tabpanel").locator(":visible").first.wait_for()
        browser.wait_for_timeout(500)  # let charts draw
        expanders = browser.get_by_role("tabpanel").locator("[data-testid='stExpander'] summary")
        if expanders.count():
            expanders.first.click()
            settle(browser)  # a finding card's contents are worked out as it opens
        assert serious_violations(browser) == [], tab.inner_text()


@pytest.mark.parametrize(
    ("path", "sections"),
    [
        ("history", ("Snapshots", "Trends")),
        ("reflect", ("What changed", "Reflection log", "Where views differ", "Activity")),
    ],
)
def test_every_section_of_history_and_reflect_has_no_serious_violation(
    app, browser, path, sections
):
    base, _ = app
    visit(browser, base, path)
    for section in sections:
        browser.get_by_role("radio", name=section, exact=True).click()
        browser.wait_for_timeout(300)
        settle(browser)
        browser.wait_for_timeout(500)  # let charts draw
        assert serious_violations(browser) == [], section


@pytest.mark.parametrize(
    ("path", "opened"),
    [
        ("map", ("The map as a table (text alternative)",)),
        ("stakeholders", ("Add a stakeholder",)),
        ("relationships", ("Add a relationship",)),
        ("start", ("Build a map",)),  # a section of the user guide, with its pictures
    ],
)
def test_opened_forms_and_text_alternatives_have_no_serious_violation(app, browser, path, opened):
    base, _ = app
    visit(browser, base, path)
    for label in opened:
        browser.locator("[data-testid='stExpander'] summary", has_text=label).click()
    if path == "map":
        browser.frame_locator("iframe").first.get_by_text("Legend").click()
        browser.get_by_role("button", name="Filter and focus").click()  # a popover
        browser.locator("[data-testid='stPopoverBody']").wait_for()
    # the pointer is moved off the page, so that no help tooltip is caught fading in or out
    browser.mouse.move(0, 0)
    browser.locator(".stTooltipContent").wait_for(state="hidden")
    wait_idle(browser)
    assert serious_violations(browser) == []


def test_the_exported_interactive_map_has_no_serious_violation(browser):
    from mapping.drawing.render import render_html

    browser.set_content(render_html(load_sample(), standalone=True, physics=False))
    browser.wait_for_function("() => window.coalitionMap && window.coalitionMap.drawn")
    browser.get_by_text("The map as a table").click()
    assert browser.locator("#cm-legend[open]").count() == 1
    assert serious_violations(browser) == []


def test_an_import_preview_has_no_serious_violation(app, browser):
    from tests.conftest import ROOT

    base, _ = app
    visit(browser, base, "import-export")
    browser.get_by_role("tab", name="Import").click()
    sample = ROOT / "sample_data" / "integrated-care-system.json"
    browser.locator("input[type=file]").set_input_files(sample)
    browser.get_by_role("button", name="Create the map").wait_for(timeout=30_000)
    assert serious_violations(browser) == []


def _stored_map(url: str):
    store = Store(url)
    try:
        return store.load_map(store.list_maps()[0].id)
    finally:
        store.close()


def _tab_to(page, test: str, limit: int = 120) -> None:
    """Press Tab until the focused element passes the JavaScript ``test``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!({test}); }}"):
            return
    focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"Tab never reached {test}; focus ended on {focused}")


def test_a_stakeholder_can_be_added_with_the_keyboard_alone(app, browser):
    base, db_url = app
    visit(browser, base, "stakeholders")
    _tab_to(browser, "e.tagName === 'SUMMARY' && e.textContent.includes('Add a stakeholder')")
    browser.keyboard.press("Enter")
    _tab_to(browser, "e.tagName === 'INPUT' && e.getAttribute('aria-label') === 'Name *'")
    browser.keyboard.type("Keyboard Kim")
    _tab_to(browser, "e.tagName === 'INPUT' && e.getAttribute('aria-label') === 'Organisation'")
    browser.keyboard.type("Hallam Deaf Forum")
    _tab_to(browser, "e.tagName === 'BUTTON' && e.textContent.trim() === 'Add stakeholder'")
    browser.keyboard.press("Space")
    browser.get_by_text("Saved: add Keyboard Kim").wait_for(timeout=30_000)
    m = _stored_map(db_url)
    [added] = [s for s in m.stakeholders if s.name == "Keyboard Kim"]
    assert added.organisation == "Hallam Deaf Forum"


#: The id of the selected cell in the accessible copy of Streamlit's data grid.
SELECTED_CELL = (
    "(document.querySelector(\"[data-testid='stDataFrame'] [role='gridcell']"
    "[aria-selected='true']\") || {}).id"
)


def _selected_cell(page) -> str | None:
    page.wait_for_function(f"!!{SELECTED_CELL}")
    return page.evaluate(SELECTED_CELL)


def test_a_relationship_can_be_edited_in_the_table_with_the_keyboard_alone(app, browser):
    base, db_url = app
    visit(browser, base, "relationships")
    _tab_to(browser, "e.tagName === 'CANVAS' && e.closest('[data-testid=stDataFrame]')")
    # Glide's accessible grid numbers the columns from 1 (0 is the row marker).
    column = list(relationships_frame(load_sample()).columns).index("How we know") + 1
    browser.keyboard.press("ArrowRight")  # the first arrow selects a cell of the first row
    for _ in range(column + 1):
        now = _selected_cell(browser)
        if now == f"glide-cell-{column}-0":
            break
        browser.keyboard.press("ArrowRight")
        browser.wait_for_function(SELECTED_CELL + " !== " + repr(now))
    assert _selected_cell(browser) == f"glide-cell-{column}-0"
    browser.keyboard.press("Enter")
    browser.wait_for_function("document.activeElement.tagName === 'TEXTAREA'")  # the editor
    browser.keyboard.press("ControlOrMeta+A")
    browser.keyboard.type("Told us at the carers' forum")
    browser.wait_for_function('document.activeElement.value === "Told us at the carers\' forum"')
    browser.wait_for_timeout(300)  # the grid takes the typed value on its next render
    browser.keyboard.press("Enter")
    for _ in range(60):
        browser.wait_for_timeout(500)
        if _stored_map(db_url).relationships[0].how_we_know == "Told us at the carers' forum":
            break
    assert _stored_map(db_url).relationships[0].how_we_know == "Told us at the carers' forum"
