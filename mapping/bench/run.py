"""Run the benchmark: one worker process per size, then the table, printed and written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mapping.bench.browser import browser_missing
from mapping.bench.clicks import click_table, click_targets, measure_clicks
from mapping.bench.command_line import command_line_side_by_side, command_line_table
from mapping.bench.report import machine, markdown, table
from mapping.errors import MappingError

__all__ = ["SIZES", "CLICK_MAPS", "NOTES", "run_benchmark"]

SIZES: tuple[int, ...] = (100, 300, 1000, 5000, 20000)
#: Maps timed click by click in a real browser: the sample map, and 300 people.
CLICK_MAPS: tuple[int | None, ...] = (None, 300)

#: How to read the table; kept with the code that writes it.
NOTES = """
- "(est.)": the peer's exact betweenness was timed from 200 random route starts and scaled
  to everyone (its cost per start is the same); the exact run takes minutes at that size.
- "Analysis again after a stance edit": the same map with one person's stance changed. Our
  betweenness and layout are remembered by a digest of the people, ties and strengths, so an
  edit that leaves the network alone recomputes neither (incremental recomputation).
- Page reruns: AppTest runs `app.py` over a SQLite database holding the map; an edit is
  saved as a new version (a stance change) and the page is run again. The map page keeps
  layouts and drawings per version; the gaps page recomputes the analysis for a new
  version. "No change" reruns with nothing new: everything comes from the caches.
- First draw: from opening the page (from disk) to vis-network's first drawing, positions
  precomputed by our layout (physics settles the picture first, up to 300 people). Above
  2,000 people the app opens on a focused view (the most influential coalition member and
  everyone one step away), timed on its own row. pyvis's defaults (physics on, no
  positions, the whole map) run once and are stopped after the time shown; once stopped,
  larger sizes do not try it.
- "Ours": betweenness and communities run compiled in igraph inside our analysis;
  betweenness is exact up to about 1,400 people and estimated from 600 random route starts
  above, so "igraph exact ÷ ours" compares igraph's exact run with the method we use at
  that size. "Whole analysis" is every check of the gaps report together.
- Betweenness and the whole analysis run in one process (the measuring one), so the "Peak
  memory" rows count all of it.
- Sampled betweenness is compared with NetworkX's exact values where those were computed.
- Clicks: the app as `make run` starts it, in Debian's Chromium at 1366x768, each step timed
  in the page from the input to the moment the server's "script finished" message and
  everything before it have been drawn, with the bytes the server sent meanwhile. The actions are prepared untimed (a form filled, a list
  opened, the mouse pressed on a person) and timed from the input that makes the app work:
  the button, the option chosen, the Enter that ends a cell edit, the release after a drag.
  "Streamlit's floor" is a two-page app with a title and a small table, measured in the
  same browser in the same run, with Streamlit's default settings. The app's own settings
  (`.streamlit/config.toml`) turn off Streamlit's full garbage collection after every run,
  which cost the app 100-170 ms a click with its libraries and kept maps in memory. The
  floor app has a third page with an editable table of eight rows: "Streamlit's own: edit a
  cell of a small table" is what an edit costs there, before any work of ours (Streamlit's
  table editor holds each edit 150 ms before it sends it; in the app, Enter ends a typed
  edit at once, as a click outside the table does, while a ticked box or a choice from a
  list still waits the 150 ms: `ui/table_enter.py`). The targets (issue 18): page switches
  and common actions on the sample map within 1.5× the floor, on 300 people within 2×, the
  Coalition gaps page under 500 ms, a revisit of the Map page under 50 KiB. The floor is
  nearly all the browser's own work and moves with the machine's load (measured between
  about 67 and 107 ms on this machine in different runs) more than the app's steps do, so
  a quiet machine gives larger ratios than a busy one: read the ratios beside the times.
- The command line: the whole `python -m mapping analyse FILE --json` process (start to
  exit, so importing the package and reading the GraphML count) on a synthetic map of 5,000
  people and 25,000 ties, beside igraph's exact betweenness alone on the same graph in the
  same run. The target (issue 18): the whole process faster than igraph's betweenness alone.
- Other work may share the machine: compare the load averages above with its number of
  cores. On a busy machine every time is longer; the ratios to the peers come from the same
  run, on the same graphs, and suffer less.
""".strip()


def _worker(
    size: int, repeats: int, flags: Sequence[str], log: Callable[[str], None]
) -> dict[str, Any]:
    command = [sys.executable, "-m", "mapping.bench.worker", str(size), "--repeats", str(repeats)]
    root = str(Path(__file__).resolve().parent.parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    process = subprocess.Popen(
        [*command, *flags], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stderr is not None and process.stdout is not None
    for line in process.stderr:
        log(line.rstrip())
    output = process.stdout.read()
    if process.wait() != 0 or not output.strip():
        msg = f"The benchmark of {size:,} people failed; see the messages above."
        raise MappingError(msg)
    return json.loads(output.splitlines()[-1])


def run_benchmark(
    sizes: Sequence[int] = SIZES,
    *,
    repeats: int = 3,
    output: Path | None = Path("BENCHMARKS.md"),
    peers: bool = True,
    browser: bool = True,
    app: bool = True,
    pyvis_timeout_s: float = 120.0,
    raw: Path | None = None,
    log: Callable[[str], None] = print,
    clicks: Sequence[int | None] = CLICK_MAPS,
    command_line: int | None = None,
) -> list[dict[str, Any]]:
    """Measure every size, print the table and write ``output`` (unless it is ``None``).

    pyvis's default drawing is not tried again at a larger size once it has run out of
    time. ``raw``, if given, receives the results and the machine's description as JSON.
    ``clicks`` are the maps timed in a real browser from a click to a settled page (``None``
    the sample map, a number a synthetic map of that size; none without ``browser``).
    ``command_line``, if given, is the number of people of the GraphML file the whole
    ``analyse --json`` process is timed on, beside igraph's exact betweenness alone.
    Returns the results, one dictionary per size.
    """
    about = machine()
    results: list[dict[str, Any]] = []
    pyvis = True
    started = time.perf_counter()
    for size in sizes:
        log(f"{size:,} people:")
        flags = ["--pyvis-timeout", str(pyvis_timeout_s)]
        flags += [] if peers else ["--no-peers"]
        flags += [] if browser else ["--no-browser"]
        flags += [] if app else ["--no-app"]
        flags += [] if pyvis else ["--no-pyvis"]
        result = _worker(size, repeats, flags, log)
        if pyvis and peers and browser and "pyvis_timeout" in result:
            if result.get("pyvis_first_draw") is None:
                pyvis = False
        elif not pyvis:
            result.setdefault("notes", []).append(
                "pyvis's default drawing not tried: it ran out of time at a smaller size."
            )
        results.append(result)
    click_section = ""
    browser_targets: list[str] = []
    if browser and clicks:
        missing = browser_missing()
        if missing:
            click_section = f"Not measured: {missing}."
        else:
            log("Clicks in a real browser:")
            floor, rows = measure_clicks(clicks, repeats=max(repeats, 5))
            click_section = click_table(floor, rows)
            browser_targets = click_targets(rows)
            log(click_section)
    cli_section = ""
    if command_line:
        log(f"The command line on {command_line:,} people:")
        cli_section = command_line_table(command_line_side_by_side(command_line))
        log(cli_section)
    about = {
        **about,
        "Load average at the end": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "Benchmark took": f"{(time.perf_counter() - started) / 60:.1f} min",
    }
    settings = f"sizes {', '.join(f'{s:,}' for s in sizes)}; {repeats} repeats"
    log("")
    log(table(results))
    if raw is not None:
        data = {
            "machine": about,
            "settings": settings,
            "results": results,
            "clicks": click_section,
            "command_line": cli_section,
        }
        raw.write_text(json.dumps(data, indent=1), encoding="utf-8")
    if output is not None:
        page = markdown(
            results,
            about,
            settings,
            NOTES,
            clicks=click_section,
            command_line=cli_section,
            more_targets=browser_targets,
        )
        output.write_text(page, encoding="utf-8")
        log(f"\nWrote {output}.")
    return results
