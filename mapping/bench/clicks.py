"""What a user feels: from a click in a real browser to a settled page.

The app is started as ``make run`` starts it (``streamlit run serve.py``) on a fresh SQLite
database holding one map, and driven by Playwright in Debian's Chromium. Each step is timed
in the page itself, from the input event to the moment the server's "script finished"
message and everything before it have been drawn, with the app's ``data-test-script-state``
back at "notRunning" (see :mod:`mapping.bench.click_tab`); the bytes the server sends over
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
from pathlib import Path
from typing import Any

from mapping.bench.browser import CHROMIUM, CHROMIUM_ARGS
from mapping.bench.click_actions import action_rows, edit_grid
from mapping.bench.click_tab import ClickRow, Tab, make_row, series

__all__ = [
    "EDITOR_FLOOR",
    "FLOOR_APP",
    "FIRST_VISITS",
    "measure_clicks",
    "click_table",
    "click_targets",
]

ROOT = Path(__file__).resolve().parents[2]

#: Streamlit's floor: two pages, each a title and a small table; and a third whose table
#: can be edited, for Streamlit's own cost of an edit in a table.
FLOOR_APP = """
import pandas as pd
import streamlit as st

def page(title):
    def show():
        st.title(title)
        st.dataframe(pd.DataFrame({"name": list("abcde"), "value": range(5)}))
    return show

def editor():
    st.title("Edit")
    data = pd.DataFrame({"name": list("abcdefgh"), "value": range(8)})
    st.data_editor(data, key="edit", num_rows="dynamic", hide_index=True)

st.navigation(
    [st.Page(page("One"), title="One", url_path="one"),
     st.Page(page("Two"), title="Two", url_path="two"),
     st.Page(editor, title="Edit", url_path="edit")]
).run()
"""

#: The row of Streamlit's own cost of an edit in a table (its editor holds an edit 150 ms
#: before sending it), set beside the floor like every other row.
EDITOR_FLOOR = "Streamlit's own: edit a cell of a small table"

#: Pages whose first visit in a session is shown on a row of its own: the map (which loads
#: its library then) and the analysis (which must be ready before it is asked for).
FIRST_VISITS = ("Map", "Coalition gaps")


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


def _sidebar_link(page: Any, index: int) -> Any:
    """The sidebar's ``index``-th page link (the default page's link has no path of its own,
    so links are taken by place, not by address)."""
    return page.locator("[data-testid='stSidebarNav'] a").nth(index)


def _clicker(page: Any, index: int) -> Callable[[], None]:
    def click() -> None:
        _sidebar_link(page, index).click()

    return click


def _away(tab: Tab, index: int) -> Callable[[], None]:
    """Go to another page first (by its link), so that each click really switches page."""

    def go() -> None:
        tab.timed(_clicker(tab.page, index))

    return go


def _floor(browser: Any, repeats: int) -> tuple[float, list[float], list[int]]:
    """Streamlit's floor (the median page switch, ms), and the times and bytes of edits
    in a table of the floor app."""
    with tempfile.TemporaryDirectory(prefix="coalition-floor-") as folder:
        script = Path(folder) / "floor.py"
        script.write_text(FLOOR_APP, encoding="utf-8")
        with _served(script, None, Path(folder)) as base:
            tab = Tab(browser, base)
            try:
                tab.open()  # the first page; a deep link to "one" would be "not found"
                times: list[float] = []
                for i in range(repeats * 2):
                    took, _ = tab.timed(_clicker(tab.page, 1 if i % 2 == 0 else 0))
                    times.append(took)
                tab.timed(_clicker(tab.page, 2))
                edits, sizes = edit_grid(tab, repeats)
                return statistics.median(times), edits, sizes
            finally:
                tab.close()


def _map_steps(tab: Tab, map_name: str, repeats: int, floor: float) -> list[ClickRow]:
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
            times, sizes = series(tab, _clicker(page, index), repeats, _away(tab, elsewhere))
            if title in FIRST_VISITS:
                first = ClickRow(map_name, f"{step}, first visit", times[0], times[0],
                                 sizes[0] / 1024, floor)  # fmt: skip
                rows.append(first)
            rows.append(make_row(map_name, step, times, sizes, floor))
        except Exception as err:  # a page that does not settle is reported, not fatal
            rows.append(ClickRow(map_name, step, None, None, None, floor, str(err)[:80]))
    rows += action_rows(tab, map_name, repeats, floor)
    return rows


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
            floor, edits, sizes = _floor(browser, repeats)
            for people in maps:
                name = "sample (52 people)" if people is None else f"{people:,} people"
                rows.append(make_row(name, EDITOR_FLOOR, edits, sizes, floor))
                with tempfile.TemporaryDirectory(prefix="coalition-clicks-") as folder:
                    url = _database(Path(folder), people)
                    with _served(ROOT / "serve.py", url, ROOT) as base:
                        tab = Tab(browser, base)
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


def _limit(map_name: str) -> float:
    """How many times Streamlit's floor a step may take (issue 18): 1.5 on the sample map,
    2 on a larger one."""
    return 1.5 if map_name.startswith("sample") else 2.0


def click_targets(rows: Sequence[ClickRow]) -> list[str]:
    """The browser targets as rows of the Targets table (People, Target, Reached, met).

    >>> rows = [ClickRow("sample (52 people)", "Open Map", 150.0, 200.0, 20.0, 100.0),
    ...         ClickRow("sample (52 people)", "Open Coalition gaps, first visit", 600.0,
    ...                  600.0, 9.0, 100.0),
    ...         ClickRow("sample (52 people)", "Add a stakeholder", 300.0, 400.0, 9.0, 100.0)]
    >>> print("\\n".join(click_targets(rows)))
    | sample | Page switches within 1.5× Streamlit's floor (median) | 1 of 1; slowest Map 1.5× | met |
    | sample | Common actions within 1.5× Streamlit's floor (median) | 0 of 1; slowest Add a stakeholder 3.0× | not met |
    | sample | Coalition gaps under 500 ms, even on a first visit | 600 ms | not met |
    | sample | A revisit of the Map page sends under 50 KiB | 20.0 KiB | met |
    """
    lines = []
    for map_name in dict.fromkeys(r.map for r in rows):
        mine = [r for r in rows if r.map == map_name and r.ratio is not None]
        people = map_name.split()[0]
        limit = _limit(map_name)
        switches = [r for r in mine if r.step.startswith("Open ") and "first visit" not in r.step]
        actions = [r for r in mine if not r.step.startswith(("Open ", "Streamlit's"))]
        for kind, chosen in (("Page switches", switches), ("Common actions", actions)):
            if not chosen:
                continue
            met = sum(1 for r in chosen if (r.ratio or 0) <= limit)
            worst = max(chosen, key=lambda r: r.ratio or 0)
            lines.append(
                f"| {people} | {kind} within {limit:g}× Streamlit's floor (median) | "
                f"{met} of {len(chosen)}; slowest {worst.step.removeprefix('Open ')} "
                f"{worst.ratio:.1f}× | {'met' if met == len(chosen) else 'not met'} |"
            )
        gaps = [r.median_ms for r in mine if r.step.startswith("Open Coalition gaps")]
        if gaps:
            slowest = max(g for g in gaps if g is not None)
            lines.append(
                f"| {people} | Coalition gaps under 500 ms, even on a first visit | "
                f"{slowest:.0f} ms | {'met' if slowest < 500 else 'not met'} |"
            )
        revisit = [r.kib for r in mine if r.step == "Open Map" and r.kib is not None]
        if revisit:
            lines.append(
                f"| {people} | A revisit of the Map page sends under 50 KiB | "
                f"{revisit[0]:.1f} KiB | {'met' if revisit[0] < 50 else 'not met'} |"
            )
    return lines
