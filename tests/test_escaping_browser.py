"""In a real browser: user text with Markdown, link, image, colour and right-to-left override
payloads shows as typed on every page, in error messages and in an upload's file name.

The payloads' images and links point at a listener on a free loopback port of this computer
that records every request: a payload that became an image would be fetched from it.
``test_hostile.py`` sends HTML and ``javascript:`` payloads through the same pages and
checks that nothing runs or leaves the machine; this file checks what the pages draw.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mapping.storage.store import Store
from tests.browser import browser_page, free_port, require_chromium, running_app, wait_idle
from tests.test_escaping import RLO, payloads, store_hostile_map
from ui.routes import PAGES
from ui.text import FSI, PDI, WJ

pytestmark = pytest.mark.browser

#: Everything a payload could have made of itself, in every frame of the page: links and
#: images (or frames, sources, styles) with the listener's address, links made of a plain
#: e-mail or web address, text coloured by a
#: ``:red[…]`` directive, bold text or an override left in rendered Markdown.
_FOUND = """(port) => {
    const address = `127.0.0.1:${port}`;
    const attributes = ["href", "src", "srcset", "data", "poster", "action", "style"];
    const pointing = [...document.querySelectorAll("*")].filter((e) =>
        attributes.some((a) => (e.getAttribute(a) || "").includes(address))
        || /^(mailto:|https?:\\/\\/www\\.nhs)/.test(e.getAttribute("href") || ""));
    const markdown = [...document.querySelectorAll("[data-testid='stMarkdownContainer']")];
    return {
        pointing: pointing.map((e) => e.outerHTML.slice(0, 200)),
        coloured: markdown.flatMap((m) => [...m.querySelectorAll(
            ".stMarkdownColoredText, [style*='color']")])
            .filter((e) => e.textContent.includes("RED")).map((e) => e.outerHTML),
        bold: markdown.flatMap((m) => [...m.querySelectorAll("b, strong")])
            .filter((e) => e.textContent === "bold").map((e) => e.outerHTML),
        reversed: markdown.filter((m) => m.textContent.includes("\\u202e"))
            .map((m) => m.textContent.slice(0, 200)),
        failed: [...document.querySelectorAll("[data-testid='stException']")]
            .map((e) => e.textContent.slice(0, 500)),
    };
}"""


@contextmanager
def listener() -> Iterator[tuple[int, list[str]]]:
    """An HTTP server on a free loopback port, and the list of paths anyone asked it for."""
    asked: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], asked
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    require_chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('escaping') / 'escaping.db'}"
    with listener() as (port, asked):
        map_id = store_hostile_map(url, port)
        with running_app(url) as base:
            yield base, url, map_id, port, asked


def seen(page) -> str:
    """Every text of the page (hidden tabs and closed expanders too), as a reader sees it."""
    text = page.evaluate("() => document.body.textContent")
    return text.replace(WJ, "").replace(FSI, "").replace(PDI, "")


def inert(page, port: int, asked: list[str], requests: list[str], where: str) -> None:
    """Nothing on the page is a link, image or colour from a payload, nor fetched one."""
    from playwright.sync_api import Error as PlaywrightError

    for frame in page.frames:
        try:
            found = frame.evaluate(_FOUND, port)
        except PlaywrightError as err:  # a frame replaced by the last rerun
            if "detached" in str(err):
                continue
            raise
        assert found == {
            "pointing": [], "coloured": [], "bold": [], "reversed": [], "failed": []
        }, where  # fmt: skip
    assert [u for u in requests if f"127.0.0.1:{port}" in u] == [], where
    assert asked == [], where


def test_every_page_shows_the_payloads_as_typed(app):
    base, _, _, port, asked = app
    texts = payloads(port)
    shown = []
    with browser_page(viewport={"width": 1400, "height": 1000}) as (page, requests):
        for path in PAGES:
            page.goto(f"{base}/{path}")
            wait_idle(page)
            inert(page, port, asked, requests, path)
            if path in ("map", "gaps", "my-network", "review", "views"):
                shown.append(seen(page))
                assert texts["image"] in shown[-1], path
        page.goto(f"{base}/reflect")
        wait_idle(page)
        for section in ("What changed", "Where views differ", "Activity", "Reflection log"):
            page.get_by_role("radio", name=section).click()
            wait_idle(page)
            inert(page, port, asked, requests, f"reflect: {section}")
        assert texts["image"] in seen(page)
    for name, text in texts.items():
        assert text.replace(RLO, "") in "".join(shown), name
    assert asked == []


def test_an_uploaded_files_name_shows_as_typed(app, tmp_path):
    base, _, _, port, asked = app
    name = f"{payloads(port)['image']} {payloads(port)['colour']}.csv"
    with browser_page() as (page, requests):
        page.goto(f"{base}/import-export")
        wait_idle(page)
        page.get_by_role("tab", name="Import").click()
        page.locator("input[type='file']").set_input_files(
            {"name": name, "mimeType": "text/csv", "buffer": b"\x00\x01 not a map"}
        )
        page.get_by_text("cannot be imported").wait_for(timeout=30_000)
        wait_idle(page)
        inert(page, port, asked, requests, "upload")
        assert f"{name} cannot be imported" in seen(page)


def test_a_save_conflict_quotes_the_other_value_as_typed(app):
    base, url, map_id, port, asked = app
    theirs = f"{payloads(port)['link']} {payloads(port)['image']} {payloads(port)['colour']}"
    with browser_page() as (page, requests):
        page.goto(f"{base}/settings")
        wait_idle(page)
        store = Store(url)  # someone else renames the map while the page is open
        before = store.load_map(map_id)
        store.save_map(map_id, replace(before, name=theirs))
        store.close()
        try:
            page.get_by_label("Name", exact=True).fill("My own name")
            page.get_by_role("button", name="Save name and description").click()
            page.get_by_text("changed by someone else").wait_for(timeout=30_000)
            wait_idle(page)
            inert(page, port, asked, requests, "conflict")
            assert theirs in seen(page)
        finally:
            store = Store(url)
            store.save_map(map_id, replace(store.load_map(map_id), name=before.name))
            store.close()
