"""What a user feels: from a click in a real browser to a settled page.

The app is started as ``make run`` starts it (``streamlit run serve.py``) on a fresh SQLite
database holding one map, and driven by Playwright in Debian's Chromium. Each step is timed
in the page itself, from the input event to the moment Streamlit's script stops running
(the app's ``data-test-script-state`` leaves "running"), and the bytes the server sends over
the websocket meanwhile are counted. Streamlit's own floor, a two-page app with a title and
a small table, is measured in the same browser in the same run, and every row is set beside
it.

Each page is visited ``repeats`` times from another page; the first visit of the pages in
:data:`FIRST_VISITS` (the session opened on the default page just before) is also shown on
its own row.

Steps whose control cannot be found (a page laid out differently) are reported as not
measured rather than stopping the run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapping.bench.browser import CHROMIUM, CHROMIUM_ARGS

__all__ = ["ClickRow", "FLOOR_APP", "measure_clicks", "click_table", "percentile"]

ROOT = Path(__file__).resolve().parents[2]

#: Streamlit's floor: two pages, each a title and a small table.
FLOOR_APP = """
import pandas as pd
import streamlit as st

def page(title):
    def show():
        st.title(title)
        st.dataframe(pd.DataFrame({"name": list("abcde"), "value": range(5)}))
    return show

st.navigation(
    [st.Page(page("One"), title="One", url_path="one"),
     st.Page(page("Two"), title="Two", url_path="two")]
).run()
"""

#: Pages whose first visit in a session is shown on a row of its own: the map (which loads
#: its library then) and the analysis (which must be ready before it is asked for).
FIRST_VISITS = ("Map", "Coalition gaps")

#: Counts script runs and times them from the last input, in the page's own clock.
_WATCH = """
(() => {
    const st = (window.__bench = { runs: 0, inputAt: -1, endedAt: -1, startedAfterInput: false });
    new MutationObserver((changes) => {
        for (const c of changes) {
            const now = c.target.getAttribute("data-test-script-state");
            if (now === "running" && c.oldValue !== "running") {
                st.runs += 1;
                if (st.inputAt >= 0) st.startedAfterInput = true;
            }
            if (now !== "running" && c.oldValue === "running") st.endedAt = performance.now();
        }
    }).observe(document, {
        subtree: true, attributes: true, attributeOldValue: true,
        attributeFilter: ["data-test-script-state"],
    });
    const input = () => {
        st.inputAt = performance.now(); st.startedAfterInput = false; st.endedAt = -1;
    };
    for (const type of ["pointerdown", "keydown"]) document.addEventListener(type, input, true);
})();
"""

_SETTLED = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const st = window.__bench;
    return !!app && app.getAttribute("data-test-connection-state") === "CONNECTED"
        && app.getAttribute("data-test-script-state") !== "running"
        && st.startedAfterInput && st.endedAt > st.inputAt;
}"""

_STARTED = (
    "() => window.__bench.startedAfterInput || window.__bench.endedAt > window.__bench.inputAt"
)

_IDLE = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    return !!app && app.getAttribute("data-test-connection-state") === "CONNECTED"
        && app.getAttribute("data-test-script-state") === "notRunning";
}"""


@dataclass(frozen=True)
class ClickRow:
    """One step's timings (milliseconds) and the bytes the server sent for it."""

    map: str
    step: str
    median_ms: float | None
    p95_ms: float | None
    kib: float | None
    floor_ms: float | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """The step's median over Streamlit's floor's."""
        if self.median_ms is None or not self.floor_ms:
            return None
        return self.median_ms / self.floor_ms


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` percentile (nearest rank) of ``values``.

    >>> percentile([1, 2, 3, 4, 100], 0.95), percentile([5.0], 0.95)
    (100, 5.0)
    """
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))
    return ordered[min(rank, len(ordered)) - 1]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _served(script: Path, database_url: str | None, cwd: Path) -> Iterator[str]:
    """``streamlit run script`` on loopback; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if database_url:
        env["MAPPING_DATABASE_URL"] = database_url
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    msg = f"{script.name} did not start for the click benchmark"
                    raise RuntimeError(msg) from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


class _Page:
    """One browser tab on the app, counting the websocket bytes it receives."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1366, "height": 768})
        self.context.add_init_script(_WATCH)
        self.page = self.context.new_page()
        self.received = 0
        self.page.on("websocket", self._watch)
        self.base = base

    def _watch(self, ws: Any) -> None:
        def count(payload: str | bytes) -> None:
            self.received += len(payload)

        ws.on("framereceived", count)

    def open(self, path: str = "") -> None:
        self.page.goto(f"{self.base}/{path}")
        self.page.wait_for_function(_IDLE, timeout=60_000, polling=50)

    def timed(self, act: Callable[[], None]) -> tuple[float, int]:
        """Milliseconds from ``act``'s input to the settled page, and bytes received."""
        self.page.wait_for_function(_IDLE, timeout=60_000, polling=50)
        before = self.received
        for _ in range(3):  # a click on a page still wiring itself up can be lost: again
            act()
            try:
                self.page.wait_for_function(_STARTED, timeout=5_000, polling=20)
                break
            except Exception:
                continue
        try:
            self.page.wait_for_function(_SETTLED, timeout=60_000, polling=20)
        except Exception as err:
            state = self.page.evaluate("() => JSON.stringify(window.__bench)")
            msg = f"the page did not settle ({state} at {self.page.url})"
            raise RuntimeError(msg) from err
        took = self.page.evaluate("() => window.__bench.endedAt - window.__bench.inputAt")
        return float(took), self.received - before

    def close(self) -> None:
        self.context.close()


def _sidebar_link(page: Any, index: int) -> Any:
    """The sidebar's ``index``-th page link (the default page's link has no path of its own,
    so links are taken by place, not by address)."""
    return page.locator("[data-testid='stSidebarNav'] a").nth(index)


def _clicker(page: Any, index: int) -> Callable[[], None]:
    def click() -> None:
        _sidebar_link(page, index).click()

    return click


def _away(tab: _Page, index: int) -> Callable[[], None]:
    """Go to another page first (by its link), so that each click really switches page."""

    def go() -> None:
        tab.timed(_clicker(tab.page, index))

    return go


def _series(
    tab: _Page, act: Callable[[], None], repeats: int, reset: Callable[[], None] | None = None
) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    for _ in range(repeats):
        if reset is not None:
            reset()
        took, sent = tab.timed(act)
        times.append(took)
        sizes.append(sent)
    return times, sizes


def _row(map_name: str, step: str, times: list[float], sizes: list[int], floor: float | None):
    return ClickRow(
        map_name,
        step,
        statistics.median(times),
        percentile(times, 0.95),
        statistics.median(sizes) / 1024,
        floor,
    )


def _floor(browser: Any, repeats: int) -> float:
    with tempfile.TemporaryDirectory(prefix="coalition-floor-") as folder:
        script = Path(folder) / "floor.py"
        script.write_text(FLOOR_APP, encoding="utf-8")
        with _served(script, None, Path(folder)) as base:
            tab = _Page(browser, base)
            try:
                tab.open()  # the first page; a deep link to "one" would be "not found"
                times: list[float] = []
                for i in range(repeats * 2):
                    took, _ = tab.timed(_clicker(tab.page, 1 if i % 2 == 0 else 0))
                    times.append(took)
                return statistics.median(times)
            finally:
                tab.close()


def _map_steps(tab: _Page, map_name: str, repeats: int, floor: float) -> list[ClickRow]:
    page = tab.page
    rows = []
    tab.open()
    titles = [
        text.strip().splitlines()[-1]
        for text in page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    ]
    for index, title in enumerate(titles):
        step = f"Open {title}"
        try:
            elsewhere = 1 if index == 0 else 0
            times, sizes = _series(tab, _clicker(page, index), repeats, _away(tab, elsewhere))
            if title in FIRST_VISITS:
                first = ClickRow(map_name, f"{step}, first visit", times[0], times[0],
                                 sizes[0] / 1024, floor)  # fmt: skip
                rows.append(first)
            rows.append(_row(map_name, step, times, sizes, floor))
        except Exception as err:  # a page that does not settle is reported, not fatal
            rows.append(ClickRow(map_name, step, None, None, None, floor, str(err)[:80]))
    rows.append(_add_stakeholder(tab, map_name, repeats, floor))
    return rows


def _add_stakeholder(tab: _Page, map_name: str, repeats: int, floor: float) -> ClickRow:
    page = tab.page
    step = "Add a stakeholder"
    try:
        tab.open("stakeholders")
        times, sizes = [], []
        for i in range(repeats):
            field = page.get_by_label("Name *").first  # the add form comes first
            if not field.is_visible():
                page.get_by_text("Add a stakeholder").first.click()
                field.wait_for(state="visible", timeout=30_000)
            field.fill(f"Benchmark person {i + 1}")
            took, sent = tab.timed(
                lambda: page.get_by_role("button", name="Add stakeholder").first.click()
            )
            times.append(took)
            sizes.append(sent)
        return _row(map_name, step, times, sizes, floor)
    except Exception as err:
        return ClickRow(map_name, step, None, None, None, floor, str(err)[:80])


def _database(folder: Path, people: int | None) -> str:
    """A SQLite database holding the sample map (``people`` None) or a synthetic map."""
    from mapping.demo.sample import load_sample
    from mapping.demo.synthetic import synthetic_map
    from mapping.storage.store import Store

    url = f"sqlite:///{folder / 'clicks.db'}"
    store = Store(url)
    store.create_map(load_sample() if people is None else synthetic_map(people, seed=1))
    store.close()
    return url


def measure_clicks(
    maps: Sequence[int | None] = (None, 300), repeats: int = 5
) -> tuple[float, list[ClickRow]]:
    """Streamlit's floor (ms) and a row per step for each map: ``None`` is the sample map,
    a number a synthetic map of that many people."""
    from playwright.sync_api import sync_playwright

    rows: list[ClickRow] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            floor = _floor(browser, repeats)
            for people in maps:
                name = "sample (52 people)" if people is None else f"{people:,} people"
                with tempfile.TemporaryDirectory(prefix="coalition-clicks-") as folder:
                    url = _database(Path(folder), people)
                    with _served(ROOT / "serve.py", url, ROOT) as base:
                        tab = _Page(browser, base)
                        try:
                            rows += _map_steps(tab, name, repeats, floor)
                        finally:
                            tab.close()
        finally:
            browser.close()
    return floor, rows


def click_table(floor: float, rows: Sequence[ClickRow]) -> str:
    """The rows as a Markdown table, with each median's ratio to Streamlit's floor.

    >>> print(click_table(200.0, [ClickRow("m", "Open Map", 300.0, 450.0, 12.5, 200.0)]))
    | Map | Step | Median | 95th percentile | Sent (KiB) | ÷ floor |
    |---|---|---|---|---|---|
    | m | Streamlit's floor: switch between two small pages | 200 ms | | | 1.0× |
    | m | Open Map | 300 ms | 450 ms | 12.5 | 1.5× |
    """
    lines = [
        "| Map | Step | Median | 95th percentile | Sent (KiB) | ÷ floor |",
        "|---|---|---|---|---|---|",
    ]
    seen: set[str] = set()
    for r in rows:
        if r.map not in seen:
            seen.add(r.map)
            lines.append(
                f"| {r.map} | Streamlit's floor: switch between two small pages | "
                f"{floor:.0f} ms | | | 1.0× |"
            )
        if r.median_ms is None:
            lines.append(f"| {r.map} | {r.step} | not measured: {r.note} | | | |")
            continue
        ratio = f"{r.ratio:.1f}×" if r.ratio is not None else ""
        lines.append(
            f"| {r.map} | {r.step} | {r.median_ms:.0f} ms | {r.p95_ms:.0f} ms | "
            f"{r.kib:.1f} | {ratio} |"
        )
    return "\n".join(lines)
