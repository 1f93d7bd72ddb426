"""The user guide's pictures, taken of the real app in headless Chromium on every test run.

They are written to a temporary folder, so a test run changes no tracked file; with
``MAPPING_UPDATE_SCREENSHOTS=1`` (``make screenshots``) they replace ``docs/images/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mapping.storage.settings import save_preference
from mapping.storage.store import Store
from tests.browser import browser_page, require_chromium, running_app, wait_idle
from tests.conftest import ROOT
from tests.demo_store import seed_demo

pytestmark = pytest.mark.browser

IMAGES = ROOT / "docs" / "images"
SIZE = (1280, 900)
#: Where this run writes its pictures (set by the ``pictures`` fixture).
_folder = IMAGES

#: Every picture the guide uses, in the order the guide tells its story.
SHOTS = (
    "welcome",
    "map",
    "stakeholders-form",
    "relationships",
    "gaps-finding",
    "power-interest",
    "what-if",
    "history-changes",
    "import-preview",
    "export",
)


def _settle(page) -> None:
    """Wait until Streamlit is idle and every map on the page has drawn and stopped moving."""
    wait_idle(page)
    for i in range(page.locator("iframe").count()):
        page.frame_locator("iframe").nth(i).locator("canvas").first.wait_for(timeout=30_000)
    for frame in page.frames[1:]:
        if not frame.is_detached() and frame.evaluate("() => !!window.coalitionMap"):
            frame.wait_for_function(
                "() => window.coalitionMap.drawn && window.coalitionMap.frozen", timeout=60_000
            )
    wait_idle(page)
    page.wait_for_timeout(400)  # charts and toasts finish drawing


def _go(page, base: str, path: str) -> None:
    page.goto(f"{base}/{path}")
    wait_idle(page)
    page.locator("[data-testid='stHeading']").first.wait_for(timeout=30_000)
    _settle(page)


def _scroll(page, pixels: int) -> None:
    """Scroll the main area (Streamlit scrolls an element, not the window)."""
    page.mouse.move(800, 500)
    page.mouse.wheel(0, pixels)
    page.wait_for_timeout(400)


def _shoot(page, name: str) -> None:
    page.mouse.move(0, 0)  # no hover effects or tooltips
    page.screenshot(path=_folder / f"{name}.png")


def _take_every_picture(page, base: str) -> None:
    _go(page, base, "start")
    _shoot(page, "welcome")

    _go(page, base, "")
    page.frame_locator("iframe").first.locator("#mynetwork").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -120)")
    _shoot(page, "map")

    _go(page, base, "stakeholders")
    page.locator("[data-testid='stExpander'] summary", has_text="Add a stakeholder").click()
    page.get_by_label("Name *").fill("Dr Asha Patel")
    page.get_by_label("Organisation").fill("Riverside North Primary Care Network")
    page.get_by_label("Role").fill("Clinical director")
    _shoot(page, "stakeholders-form")

    _go(page, base, "relationships")
    page.get_by_role("heading", name="Edit in the table").scroll_into_view_if_needed()
    _shoot(page, "relationships")

    _go(page, base, "gaps")
    finding = page.locator("[data-testid='stMain'] [data-testid='stExpander'] summary")
    finding.nth(1).click()  # if a key person left: the finding with the most to say
    page.get_by_role("button", name="Show on map").first.wait_for()
    _scroll(page, 150)
    _shoot(page, "gaps-finding")

    page.get_by_role("tab", name="Power / interest").click()
    page.get_by_role("tabpanel").locator("[data-testid='stVegaLiteChart']").first.wait_for()
    page.get_by_role("tabpanel").locator(
        "[data-testid='stVegaLiteChart']"
    ).first.scroll_into_view_if_needed()
    _settle(page)
    _shoot(page, "power-interest")

    _go(page, base, "what-if")
    page.get_by_label("Who leaves?").click()
    page.keyboard.type("Priya Raman")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Compare").click()
    _settle(page)
    _scroll(page, 330)  # the figures and the verdict
    _shoot(page, "what-if")

    _go(page, base, "reflect")
    page.get_by_role("radio", name="What changed", exact=True).click()
    page.wait_for_timeout(300)
    _settle(page)
    page.get_by_role("heading", name="In short").scroll_into_view_if_needed()
    _shoot(page, "history-changes")

    _go(page, base, "import-export")
    page.get_by_role("tab", name="Import").click()
    page.locator("input[type=file]").set_input_files(
        ROOT / "sample_data" / "integrated-care-system.json"
    )
    page.get_by_text("Merge into").click()
    page.get_by_role("button", name="Merge into this map").wait_for(timeout=30_000)
    _settle(page)
    _shoot(page, "import-preview")

    _go(page, base, "import-export")
    _shoot(page, "export")


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> Path:
    """Take every picture once for the module; the tests below check what was written."""
    require_chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('docs') / 'docs.db'}"
    seed_demo(url)
    store = Store(url)
    save_preference(store, None, "welcome_dismissed", True)
    store.close()
    global _folder
    update = os.environ.get("MAPPING_UPDATE_SCREENSHOTS") == "1"
    _folder = IMAGES if update else tmp_path_factory.mktemp("pictures")
    _folder.mkdir(parents=True, exist_ok=True)
    for name in SHOTS:
        (_folder / f"{name}.png").unlink(missing_ok=True)
    with (
        running_app(url) as base,
        browser_page(viewport=dict(zip(("width", "height"), SIZE, strict=True))) as (page, _),
    ):
        _take_every_picture(page, base)
    return _folder


@pytest.mark.parametrize("name", SHOTS)
def test_each_guide_picture_is_a_fresh_non_blank_png_of_the_app(pictures, name):
    from PIL import Image

    path = pictures / f"{name}.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(path) as image:
        assert image.size == SIZE
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=SIZE[0] * SIZE[1])
        assert len(colours) > 200, f"{name}.png is nearly blank ({len(colours)} colours)"
        commonest = max(count for count, _ in colours)
        assert commonest < 0.9 * SIZE[0] * SIZE[1], f"{name}.png is mostly one colour"


def test_the_guide_uses_every_picture_and_only_pictures_taken_here():
    import re

    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    used = re.findall(r"!\[[^\]]+\]\(images/([a-z-]+)\.png\)", guide)
    assert sorted(set(used)) == sorted(SHOTS)
