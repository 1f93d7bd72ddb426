"""The map's library (vis-network) served once by the app instead of carried by every drawing
(issue 18, item 1); the standalone page still carries it and opens offline."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from mapping.demo.sample import load_sample
from mapping.drawing.render import VIS_FILES, VIS_FOLDER, library_files, render_html
from mapping.drawing.vis_library import vis_files
from mapping.errors import ValidationError
from mapping.model import Map, Stakeholder
from mapping.storage.store import Store
from tests.browser import browser_page, require_chromium, running_app, wait_idle
from ui.assets import copy_library

LIBRARY = f"/app/static/{VIS_FOLDER}"
SMALL = Map(name="M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")))


def test_a_page_given_the_library_path_loads_it_instead_of_carrying_it():
    js, css = vis_files()
    carried = render_html(SMALL)
    loaded = render_html(SMALL, library=LIBRARY)
    assert js in carried and css in carried
    assert js[:2000] not in loaded and css[:2000] not in loaded
    assert f'<script src="{LIBRARY}/vis-network.min.js"></script>' in loaded
    assert f'<link rel="stylesheet" href="{LIBRARY}/vis-network.css">' in loaded
    # everything else is the same page
    assert len(carried) - len(loaded) > 600_000


def test_the_standalone_page_always_carries_the_library():
    js, css = vis_files()
    page = render_html(SMALL, standalone=True, library=LIBRARY)
    assert js in page and css in page
    assert "/app/static" not in page


@pytest.mark.parametrize(
    "bad",
    [
        "https://cdn.example.org/vis",
        "//cdn.example.org/vis",
        'x"><script>alert(1)</script>',
        "",
    ],
)
def test_only_a_plain_path_on_the_apps_own_server_is_taken(bad):
    with pytest.raises(ValidationError, match="library must be a path on the app's own server"):
        render_html(SMALL, library=bad)


def test_the_library_is_copied_byte_for_byte_and_once(tmp_path):
    assert copy_library(tmp_path)
    folder = tmp_path / VIS_FOLDER
    for name, source in library_files().items():
        assert (folder / name).read_bytes() == source.read_bytes()
    stamps = {name: (folder / name).stat().st_mtime_ns for name in VIS_FILES}
    assert copy_library(tmp_path)  # the same files: nothing written again
    assert {name: (folder / name).stat().st_mtime_ns for name in VIS_FILES} == stamps
    assert sorted(p.name for p in folder.iterdir()) == sorted(VIS_FILES)


def test_a_folder_that_cannot_be_written_leaves_the_page_carrying_it(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert copy_library(blocked) is False


@pytest.mark.browser
def test_the_map_draws_with_the_served_library_and_a_revisit_sends_little(tmp_path: Path):
    require_chromium()
    url = f"sqlite:///{tmp_path / 'library.db'}"
    store = Store(url)
    store.create_map(load_sample())
    store.close()
    with (
        running_app(url) as base,
        browser_page(viewport={"width": 1366, "height": 768}) as (
            page,
            requests,
        ),
    ):
        received = [0]
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived", lambda p: received.__setitem__(0, received[0] + len(p))
            ),
        )
        page.goto(f"{base}/stakeholders")
        wait_idle(page)
        sizes = []
        for _ in range(2):
            before = received[0]
            page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Map").first.click()
            wait_idle(page)
            frame = page.locator("iframe").first.element_handle().content_frame()
            frame.wait_for_function(  # drawn by the library loaded from the app's server
                "() => !!(window.coalitionMap && window.coalitionMap.drawn)"
                " && typeof vis.Network === 'function'",
                timeout=30_000,
            )
            sizes.append(received[0] - before)
            srcdoc = page.locator("iframe").first.get_attribute("srcdoc") or ""
            assert f"{LIBRARY}/vis-network.min.js" in srcdoc
            assert len(srcdoc) < 300_000  # the library alone is about 690 KB
            page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Stakeholders").click()
            wait_idle(page)
        first, second = sizes
        assert first < 300 * 1024, sizes
        assert second < 50 * 1024, sizes
        assert any(f"{LIBRARY}/vis-network.min.js" in r for r in requests)
        with urllib.request.urlopen(f"{base}{LIBRARY}/vis-network.min.js") as response:
            assert response.headers["Content-Type"].startswith(
                ("text/javascript", "application/javascript")
            )
            assert response.read() == library_files()["vis-network.min.js"].read_bytes()
