"""First draw in headless Chromium: our map page, and pyvis's defaults on the same graph.

Playwright is imported only when a measurement runs; without it, or without Debian's
``/usr/bin/chromium``, the measurements are skipped with a note. Pages are written to a
temporary folder and opened from disk; every request that would leave the machine is
refused, so pyvis's CDN links fail at once rather than wait on the network.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "browser_missing", "chromium", "first_draw", "pyvis_page"]

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_LOCAL = ("file:", "data:", "blob:", "about:")

#: Appended to pyvis's page: note when vis-network first draws (after its stabilisation).
_PYVIS_PROBE = (
    "<script>network.once('afterDrawing', function () { window.benchDrawn = true; });</script>"
)


def browser_missing() -> str | None:
    """Why Chromium cannot be driven here, or ``None`` when it can.

    >>> browser_missing() is None or isinstance(browser_missing(), str)
    True
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM}"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def first_draw(browser: Any, html: str, ready: str, timeout_s: float) -> float | None:
    """Seconds from opening the page until the JavaScript expression ``ready`` is true;
    ``None`` if it is not within ``timeout_s``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with tempfile.TemporaryDirectory(prefix="coalition-bench-") as folder:
        path = Path(folder) / "map.html"
        path.write_text(html, encoding="utf-8")
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(_LOCAL) else route.abort()
            ),
        )
        try:
            started = time.perf_counter()
            page.goto(path.as_uri(), timeout=timeout_s * 1000)
            page.wait_for_function(ready, timeout=timeout_s * 1000, polling=50)
            return time.perf_counter() - started
        except PlaywrightTimeout:
            return None
        finally:
            context.close()


def pyvis_page(G: nx.Graph) -> str:
    """The graph drawn with pyvis's defaults: physics on, library inlined, names as labels.

    Built from a copy through ``Network.from_nx``, as pyvis's documentation shows; the
    probe that notes the first draw is appended.
    """
    from pyvis.network import Network

    H = nx.Graph()
    H.add_nodes_from((v, {"label": str(d.get("name", v))}) for v, d in G.nodes(data=True))
    H.add_edges_from(G.edges())
    net = Network(cdn_resources="in_line")
    net.from_nx(H)
    html = net.generate_html()
    return html.replace("</body>", _PYVIS_PROBE + "</body>", 1)
