"""Frame protection in a real Chromium: another origin cannot frame the app; its own map can.

The app is started as ``make run`` starts it (``streamlit run serve.py``, through
:func:`tests.browser.running_app`). A tiny page server on another loopback port plays the
framing site.
"""

from __future__ import annotations

import re
import socket
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from tests.browser import browser_page, require_chromium, running_app, wait_idle

pytestmark = pytest.mark.browser

POLICY = "frame-ancestors 'self'"


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[str]:
    require_chromium()
    db = tmp_path_factory.mktemp("framing") / "framing.db"
    with running_app(f"sqlite:///{db}") as base:
        yield base


def headers_of(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, url
        return {k.lower(): v for k, v in response.headers.items()}


def test_pages_assets_and_health_carry_the_frame_policy(app):
    with urllib.request.urlopen(f"{app}/", timeout=10) as response:
        page = response.read().decode()
    [script] = re.findall(r'src="\.?/?(static/js/[^"]+\.js)"', page)[:1]
    for url in (f"{app}/", f"{app}/{script}", f"{app}/_stcore/health", f"{app}/stakeholders"):
        headers = headers_of(url)
        assert headers.get("content-security-policy") == POLICY, url
        assert headers.get("x-frame-options") == "SAMEORIGIN", url


def first_line(base: str, host: str, *, websocket: bool) -> str:
    """The status line the app answers with to a request naming ``host`` in its Host header."""
    parsed = urlparse(base)
    path = "/_stcore/stream" if websocket else "/"
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    if websocket:
        lines[2:] = [
            "Connection: Upgrade",
            "Upgrade: websocket",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            f"Origin: http://{host}",
        ]
    with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return s.makefile("rb").readline().decode().strip()


def test_allowed_hosts_refuses_the_websocket_not_the_page(app):
    # What .streamlit/config.toml and docs/deployment.md say allowedHosts does, exactly.
    assert first_line(app, "evil.example", websocket=False).endswith("200 OK")
    assert " 403 " in first_line(app, "evil.example", websocket=True)
    assert " 101 " in first_line(app, "127.0.0.1", websocket=True)


@contextmanager
def framing_site(app_url: str) -> Iterator[str]:
    """A page on another origin framing the app, and a plain page of its own; yields its URL."""
    pages = {
        "/": (
            "<!doctype html><title>Framing site</title>"
            f'<iframe id="app" src="{app_url}/" width="800" height="600"></iframe>'
            '<iframe id="own" src="/plain"></iframe>'
        ),
        "/plain": "<!doctype html><title>Plain</title><p id='plain'>A page of this site</p>",
    }

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path)
            if body is None:
                self.send_error(404)
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_another_origin_cannot_show_the_app_in_a_frame(app):
    with framing_site(app) as site, browser_page() as (page, requests):
        with page.expect_console_message(
            lambda m: "frame-ancestors" in m.text, timeout=30_000
        ) as refused:
            page.goto(f"{site}/", wait_until="load")
        message = refused.value.text
        assert f"Framing '{app}/'" in message and "has been blocked" in message, message
        assert f"{app}/" in requests  # the frame did ask for the app ...
        own = page.frame_locator("#own").locator("#plain")
        assert own.inner_text(timeout=10_000) == "A page of this site"  # ... frames work here
        framed = page.locator("#app").element_handle().content_frame()
        assert not framed.url.startswith(app), framed.url  # an error page, not the app
        assert framed.locator("[data-testid='stApp']").count() == 0


def test_the_apps_own_map_frame_still_draws(app):
    with browser_page() as (page, _requests):
        page.goto(f"{app}/")
        wait_idle(page)
        page.frame_locator("iframe").first.locator("canvas").first.wait_for(timeout=30_000)
        drawn = [
            f
            for f in page.frames
            if f.evaluate("() => !!(window.coalitionMap && window.coalitionMap.drawn)")
        ]
        assert drawn, "no frame holds a drawn map"
        assert drawn[0].evaluate("() => window.coalitionMap.nodes.length") > 0
