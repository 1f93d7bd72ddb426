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

#: Times each run from the last input to the settled page, in the page's own clock.
#:
#: A run is over when the server's "script finished" message (a small ForwardMsg whose field
#: 6 is 0 for a whole run or 3 for a fragment's; 2, "finished early for a rerun", means
#: another run follows) has arrived and Streamlit has drawn what came before it. The app's
#: ``data-test-script-state`` alone misses runs quicker than a frame: "running" is then
#: never drawn.
_WATCH = """
(() => {
    const st = (window.__bench = {
        runs: 0, inputAt: -1, endedAt: -1, finishedAt: -1, messageAt: -1,
        startedAfterInput: false,
    });
    const BUSY = ["running", "rerunRequested"];
    // the value of a ForwardMsg's field 6 (script_finished), or -1: its top-level fields read
    const finished = (bytes) => {
        let at = 0;
        const varint = () => {
            let value = 0, shift = 0, byte;
            do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; }
            while (byte & 0x80 && at < bytes.length);
            return value;
        };
        while (at < bytes.length) {
            const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
            if (wire === 0) { const value = varint(); if (field === 6) return value; }
            else if (wire === 2) { const length = varint(); at += length; }
            else if (wire === 1) at += 8;
            else if (wire === 5) at += 4;
            else return -1;
        }
        return -1;
    };
    const Socket = window.WebSocket;
    window.WebSocket = function (...args) {
        const socket = new Socket(...args);
        socket.addEventListener("message", (event) => {
            st.messageAt = performance.now();
            const data = event.data;
            if (!(data instanceof ArrayBuffer) || data.byteLength > 256) return;
            const status = finished(new Uint8Array(data));
            if (status === 0 || status === 3) {
                st.runs += 1;
                // drawn once the messages before it are: the next frame after them
                const arrived = performance.now();
                requestAnimationFrame(() => setTimeout(() => {
                    st.finishedAt = arrived; st.endedAt = Math.max(st.endedAt, performance.now());
                }, 0));
            }
        });
        return socket;
    };
    window.WebSocket.prototype = Socket.prototype;
    Object.assign(window.WebSocket, Socket);
    new MutationObserver((changes) => {
        for (const c of changes) {
            const now = c.target.getAttribute("data-test-script-state");
            if (BUSY.includes(now) && !BUSY.includes(c.oldValue) && st.inputAt >= 0) {
                st.startedAfterInput = true;
            }
            if (now === "notRunning" && c.oldValue !== now && st.finishedAt > st.inputAt) {
                st.endedAt = Math.max(st.endedAt, performance.now());
            }
        }
    }).observe(document, {
        subtree: true, attributes: true, attributeOldValue: true,
        attributeFilter: ["data-test-script-state"],
    });
    // An input while the script runs is taken up by that run (Streamlit restarts it), so
    // it counts as started.
    const input = (st.input = () => {
        const app = document.querySelector("[data-testid='stApp']");
        st.inputAt = performance.now(); st.endedAt = -1; st.finishedAt = -1;
        st.startedAfterInput = !!app && BUSY.includes(app.getAttribute("data-test-script-state"));
    });
    // on the window and before any of the page's own listeners: an input the page stops
    // (Enter ending a table edit, ui/table_enter.py) is still timed from the key
    for (const type of ["pointerdown", "keydown"]) window.addEventListener(type, input, true);
})();
"""

_SETTLED = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const st = window.__bench;
    return !!app && app.getAttribute("data-test-connection-state") === "CONNECTED"
        && app.getAttribute("data-test-script-state") === "notRunning"
        && st.finishedAt > st.inputAt && st.endedAt > st.inputAt;
}"""

_STARTED = """() => {
    const st = window.__bench;
    return st.startedAfterInput || st.messageAt > st.inputAt || st.finishedAt > st.inputAt;
}"""

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
