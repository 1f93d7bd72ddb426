"""Real-browser helpers: Debian's Chromium through Playwright, and the app on a loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = {"data", "blob", "about", "file", "chrome-extension"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def require_chromium() -> str:
    """The Chromium binary; skip on a machine without it, fail in CI (CI=true)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing in CI: .ci/run must install Debian's chromium.")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return CHROMIUM


@contextmanager
def browser_page(**context_options: object) -> Iterator[tuple[object, list[str]]]:
    """A Playwright page in headless Chromium, and the list of every URL it requested."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(**context_options)
        context.add_init_script(_WATCH_RUNS)
        page = context.new_page()
        requests: list[str] = []
        console: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on(
            "console",
            lambda m: console.append(f"{m.type}: {m.text}") if m.type in _LOGGED else None,
        )
        try:
            yield page, requests
        except Exception as err:  # say what the page showed when a step failed
            log = "\n".join(console[-20:])
            err.add_note(f"--- the page at {page.url} showed ---\n{_page_text(page)}")
            err.add_note(f"--- its last console errors and warnings ---\n{log}")
            raise
        finally:
            context.close()
            browser.close()


_LOGGED = {"error", "warning"}

#: Counts Streamlit's script runs and notes the last user input, for :func:`wait_idle`.
_WATCH_RUNS = """
(() => {
    const st = (window.__st = { started: 0, startedAtInput: 0, inputAt: -1e9 });
    new MutationObserver((changes) => {
        for (const c of changes) {
            const now = c.target.getAttribute("data-test-script-state");
            if (now === "running" && c.oldValue !== "running") st.started += 1;
        }
    }).observe(document, {
        subtree: true, attributes: true, attributeOldValue: true,
        attributeFilter: ["data-test-script-state"],
    });
    const input = () => { st.inputAt = performance.now(); st.startedAtInput = st.started; };
    // on the window, before the page's own listeners: an input the page stops still counts
    for (const type of ["pointerdown", "keydown", "input"]) {
        window.addEventListener(type, input, true);
    }
})();
"""

#: Idle: connected, not running, and the last input either started a run that has ended or
#: started none within ``quiet`` milliseconds (opening an expander or a tab runs nothing).
_IDLE = """(quiet) => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute("data-test-connection-state") !== "CONNECTED") return false;
    if (app.getAttribute("data-test-script-state") !== "notRunning") return false;
    const st = window.__st;
    return !st || st.started > st.startedAtInput || performance.now() - st.inputAt > quiet;
}"""


#: What the page says about itself that a long page would push out of :func:`_page_text`'s limit.
_MESSAGES = "[data-testid='stAlert'], [data-testid='stException'], [data-testid='stToast']"


def _page_text(page: object, limit: int = 3000) -> str:
    """The state of Streamlit's script run, the page's messages (errors, warnings, toasts) and
    its visible text, for a failure."""
    try:
        app = page.locator("[data-testid='stApp']")
        script, connection = (
            app.get_attribute(f"data-test-{a}-state", timeout=1000)
            for a in ("script", "connection")
        )
        messages = "\n".join(page.locator(_MESSAGES).all_inner_texts()) or "(none)"
        text = page.inner_text("body", timeout=1000)[:limit]
        return f"(script {script}, connection {connection})\nmessages: {messages}\n{text}"
    except Exception as err:  # the page itself is gone
        return f"(unreadable: {err})"


def outside_requests(urls: list[str]) -> list[str]:
    """The URLs that would leave this machine."""
    outside = []
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme in LOCAL_SCHEMES:
            continue
        if parsed.hostname not in LOCAL_HOSTS:
            outside.append(url)
    return outside


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(
    database_url: str, timeout: float = 60, *, port: int | None = None, options: Sequence[str] = ()
) -> Iterator[str]:
    """``streamlit run serve.py`` (the app with its frame protection, as ``make run`` starts
    it) on loopback (a free port unless given), with any more command line ``options``;
    yields the base URL."""
    port = port or free_port()
    env = {**os.environ, "MAPPING_DATABASE_URL": database_url}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", *options,
    ]  # fmt: skip
    # the server's output goes to a file: a pipe nobody reads would stall a server that logs
    # much, and the file's end tells a failed test what the server said
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"The app did not start:\n{_tail(log)}")
                time.sleep(0.3)
            try:
                yield base
            except Exception as err:
                err.add_note(f"--- the server's last output ---\n{_tail(log)}")
                raise
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _tail(log: IO[bytes], size: int = 4000) -> str:
    """The last ``size`` bytes written to ``log``."""
    log.seek(0, os.SEEK_END)
    log.seek(max(0, log.tell() - size))
    return log.read().decode(errors="replace")


def wait_idle(page: object, timeout: float = 30_000, quiet: float = 1000) -> None:
    """Wait until Streamlit has finished the run that the last click or key started.

    Waiting only for "not running" can return before that run has begun; so after an input
    this waits for a run to start and end, or for ``quiet`` milliseconds with none started.
    """
    page.wait_for_function(_IDLE, arg=quiet, timeout=timeout, polling=50)


def drag_first_person(page: object, frame: object, step: tuple[int, int], steps: int) -> None:
    """Press the mouse on the map's first person (in its ``frame``), move it ``steps``
    times by ``step`` pixels, and release it."""
    page.locator("iframe").first.scroll_into_view_if_needed()
    box = page.locator("iframe").first.bounding_box()
    x, y = frame.evaluate(
        """() => {
            const net = window.coalitionMap.network;
            const p = net.canvasToDOM(net.getPositions(['n0']).n0);
            const b = document.getElementById('mynetwork').getBoundingClientRect();
            return [b.left + p.x, b.top + p.y];
        }"""
    )
    mouse = page.mouse
    mouse.move(box["x"] + x, box["y"] + y)
    mouse.down()
    for i in range(1, steps + 1):
        mouse.move(box["x"] + x + step[0] * i, box["y"] + y + step[1] * i)
    mouse.up()
