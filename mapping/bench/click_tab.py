"""One browser tab on the app, timing each step from its input to a settled page.

A script injected into every page notes the last input (a pointer press or a key) and the
moments Streamlit's script starts and stops running (the app's ``data-test-script-state``),
in the page's own clock; the websocket bytes the server sends are counted meanwhile.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ClickRow", "Tab", "make_row", "percentile", "series"]

#: Counts script runs and times them from the last input, in the page's own clock.
_WATCH = """
(() => {
    const st = (window.__bench = { runs: 0, inputAt: -1, endedAt: -1, startedAfterInput: false });
    const BUSY = ["running", "rerunRequested"];
    new MutationObserver((changes) => {
        for (const c of changes) {
            const now = c.target.getAttribute("data-test-script-state");
            // a run asked for ("rerunRequested") counts as started: a run quicker than a
            // frame can go from there to "notRunning" without "running" ever being drawn
            if (BUSY.includes(now) && !BUSY.includes(c.oldValue)) {
                st.runs += 1;
                if (st.inputAt >= 0) st.startedAfterInput = true;
            }
            if (!BUSY.includes(now) && BUSY.includes(c.oldValue)) st.endedAt = performance.now();
        }
    }).observe(document, {
        subtree: true, attributes: true, attributeOldValue: true,
        attributeFilter: ["data-test-script-state"],
    });
    // An input while the script runs is taken up by that run (Streamlit restarts it), so
    // it counts as started.
    const input = (st.input = () => {
        const app = document.querySelector("[data-testid='stApp']");
        st.inputAt = performance.now(); st.endedAt = -1;
        st.startedAfterInput = !!app && BUSY.includes(app.getAttribute("data-test-script-state"));
    });
    for (const type of ["pointerdown", "keydown"]) document.addEventListener(type, input, true);
})();
"""

_SETTLED = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const st = window.__bench;
    return !!app && app.getAttribute("data-test-connection-state") === "CONNECTED"
        && app.getAttribute("data-test-script-state") === "notRunning"
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


class Tab:
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
        self.idle()

    def idle(self) -> None:
        """Wait until the app is connected and its script is not running."""
        self.page.wait_for_function(_IDLE, timeout=60_000, polling=50)

    def timed(self, act: Callable[[], None]) -> tuple[float, int]:
        """Milliseconds from ``act``'s input to the settled page, and bytes received."""
        self.idle()
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


def series(
    tab: Tab, act: Callable[[], None], repeats: int, reset: Callable[[], None] | None = None
) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    for _ in range(repeats):
        if reset is not None:
            reset()
        took, sent = tab.timed(act)
        times.append(took)
        sizes.append(sent)
    return times, sizes


def make_row(map_name: str, step: str, times: list[float], sizes: list[int], floor: float | None):
    return ClickRow(
        map_name,
        step,
        statistics.median(times),
        percentile(times, 0.95),
        statistics.median(sizes) / 1024,
        floor,
    )
