"""The benchmark's table (sizes across, steps down) and a description of the machine."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Mapping, Sequence
from datetime import datetime
from importlib import metadata
from typing import Any

from mapping.bench.browser import CHROMIUM

__all__ = ["ROWS", "TARGETS", "machine", "seconds", "table", "targets", "markdown"]

#: (key, label): the rows of the table; ``export:`` rows are added for every format.
ROWS: tuple[tuple[str, str], ...] = (
    ("ties", "Relationships"),
    ("import_csv", "Import from CSV (zip of CSV files)"),
    ("store_save", "Save to SQLite"),
    ("store_load", "Load from SQLite"),
    ("analysis", "Whole coalition analysis"),
    ("analysis_ties_unchanged", "Analysis again after a stance edit (ties unchanged)"),
    ("betweenness", "of which betweenness (ours)"),
    ("betweenness_how", "Betweenness method"),
    ("communities", "Communities (Louvain, igraph compiled)"),
    ("layout", "Layout (force-directed)"),
    ("html", "Map HTML"),
    ("analysis_and_html", "Analysis + map HTML"),
    ("rerun_map_edit", "Map page rerun after an edit (AppTest)"),
    ("rerun_gaps_edit", "Gaps page rerun after an edit (AppTest)"),
    ("rerun_no_change", "Map page rerun, no change (AppTest)"),
    ("first_draw", "First draw of the whole map, headless Chromium (ours)"),
    ("first_draw_focused", "First draw of the focused view the app opens on"),
    ("nx_betweenness", "Peer: NetworkX exact betweenness"),
    ("igraph_betweenness", "Peer: igraph exact betweenness"),
    ("igraph_communities", "Peer: igraph communities (multilevel)"),
    ("pyvis_first_draw", "Peer: pyvis default physics, first draw"),
    ("ratio_nx", "Betweenness: NetworkX exact ÷ ours"),
    ("ratio_igraph", "Betweenness: igraph exact ÷ ours"),
    ("ratio_analysis_igraph", "Whole analysis ÷ igraph exact betweenness"),
    ("ratio_communities", "Communities: ours ÷ igraph"),
    ("ratio_draw", "First draw: pyvis default ÷ ours"),
    ("top10_agree", "Top-10 brokers shared with exact"),
    ("rank_correlation", "Rank correlation with exact (Spearman)"),
    ("analysis_peak_mb", "Peak memory after analysis (MB)"),
    ("peak_mb", "Peak memory, whole run of this size (MB)"),
)


#: The targets of issues 4 and 7: (people, what, key, limit); ``key`` may be a function of a
#: size's results giving the measured value and the limit it must stay under.
TARGETS: tuple[tuple[int, str, str, float], ...] = (
    (300, "Whole analysis plus map HTML under 150 ms", "analysis_and_html", 0.15),
    (300, "Map page rerun after an edit under 300 ms", "rerun_map_edit", 0.3),
    (300, "Gaps page rerun after an edit under 300 ms", "rerun_gaps_edit", 0.3),
    (1000, "First draw (1,000 people) under 1.5 s", "first_draw", 1.5),
    (5000, "Whole analysis under 2 s", "analysis", 2.0),
    (5000, "Whole analysis faster than igraph's exact betweenness alone", "vs_igraph", 1.0),
    (5000, "First draw of the whole map under 5 s", "first_draw", 5.0),
    (20000, "Whole analysis under 30 s (the report has a progress callback)", "analysis", 30.0),
    (20000, "Peak memory under 2 GB (whole run of the size)", "peak_gb", 2.0),
    (20000, "The app opens on a focused view, drawn under 5 s", "first_draw_focused", 5.0),
)


def _measured(r: Mapping[str, Any], key: str) -> float | None:
    if key == "analysis_and_html":
        if r.get("analysis") is None or r.get("html") is None:
            return None
        return r["analysis"] + r["html"]
    if key == "vs_igraph":
        if not r.get("analysis") or not r.get("igraph_betweenness"):
            return None
        return r["analysis"] / r["igraph_betweenness"]
    if key == "peak_gb":
        return None if r.get("peak_mb") is None else r["peak_mb"] / 1024
    return r.get(key)


def targets(results: Sequence[Mapping[str, Any]]) -> str:
    """Each target at a measured size, what was reached, and whether it was met.

    >>> print(targets([{"people": 300, "analysis": 0.1, "html": 0.02}]).splitlines()[2])
    | 300 | Whole analysis plus map HTML under 150 ms | 120 ms | met |
    """
    by_size = {r["people"]: r for r in results}
    lines = ["| People | Target | Reached | |", "| ---: | --- | ---: | --- |"]
    for people, what, key, limit in TARGETS:
        r = by_size.get(people)
        value = None if r is None else _measured(r, key)
        if r is None or value is None:
            continue
        if key == "vs_igraph":
            shown = f"{value:.2f} × igraph"
        elif key == "peak_gb":
            shown = f"{value:.2f} GB"
        else:
            shown = seconds(value)
        lines.append(f"| {people:,} | {what} | {shown} | {'met' if value < limit else 'not met'} |")
    return "\n".join(lines) if len(lines) > 2 else ""


def seconds(value: float | None) -> str:
    """A duration for the table: milliseconds below 1 s, else seconds.

    >>> seconds(0.0123), seconds(2.5), seconds(None)
    ('12 ms', '2.50 s', '—')
    """
    if value is None:
        return "—"
    if value < 1:
        return f"{1000 * value:.0f} ms"
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "—"
    return f"{a / b:.1f}×" if a / b < 100 else f"{a / b:.0f}×"


def _cell(key: str, r: Mapping[str, Any]) -> str:
    value = r.get(key)
    if key == "ties":
        return f"{value:,}"
    if key == "betweenness_how":
        if r.get("betweenness_method") == "sampled":
            return f"sampled, {r.get('betweenness_sources', 0):,} starts"
        return "exact" if "betweenness_method" in r else "—"
    if key == "analysis_and_html":
        both = (r.get("analysis") or 0) + (r.get("html") or 0)
        return seconds(both) if "analysis" in r and "html" in r else "—"
    if key == "pyvis_first_draw" and "pyvis_timeout" in r and value is None:
        return f"> {r['pyvis_timeout']:.0f} s (stopped)"
    if key == "first_draw" and "draw_timeout" in r and value is None:
        return f"> {r['draw_timeout']:.0f} s (stopped)"
    if key == "first_draw_focused" and value is not None:
        return f"{seconds(value)} ({r.get('focused_people', 0):,} people)"
    if key in ("nx_betweenness", "igraph_betweenness") and value is not None:
        scaled = r.get("nx_scaled" if key.startswith("nx") else "igraph_scaled")
        return seconds(value) + (" (est.)" if scaled else "")
    if key == "ratio_nx":
        return _ratio(r.get("nx_betweenness"), r.get("betweenness"))
    if key == "ratio_igraph":
        return _ratio(r.get("igraph_betweenness"), r.get("betweenness"))
    if key == "ratio_analysis_igraph":
        return _ratio(r.get("analysis"), r.get("igraph_betweenness"))
    if key == "ratio_communities":
        return _ratio(r.get("communities"), r.get("igraph_communities"))
    if key == "ratio_draw":
        draw = r.get("pyvis_first_draw")
        if draw is None and "pyvis_timeout" in r and r.get("first_draw"):
            return f"> {r['pyvis_timeout'] / r['first_draw']:.0f}×"
        return _ratio(draw, r.get("first_draw"))
    if value is None:
        return "—"
    if key.endswith("_mb"):
        return f"{value:,.0f}"
    if isinstance(value, str):
        return value
    if key == "top10_agree":
        return f"{value} of 10"
    if key == "rank_correlation":
        return f"{value:.3f}"
    return seconds(float(value))


def table(results: Sequence[Mapping[str, Any]]) -> str:
    """The results as a Markdown table: one column per size.

    >>> print(table([{"people": 10, "ties": 50, "analysis": 0.01}]).splitlines()[0])
    | Step | 10 people |
    """
    exports = sorted({k for r in results for k in r if k.startswith("export:")})
    rows = list(ROWS)
    at = [k for k, _ in rows].index("analysis_and_html") + 1
    rows[at:at] = [(k, f"Export: {k.split(':', 1)[1]}") for k in exports]
    head = "| Step | " + " | ".join(f"{r['people']:,} people" for r in results) + " |"
    rule = "| --- |" + " ---: |" * len(results)
    lines = [head, rule]
    for key, label in rows:
        cells = [_cell(key, r) for r in results]
        if all(c == "—" for c in cells) and key != "ties":
            continue
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kb = int(f.readline().split()[1])
        return f"{kb / 2**20:.1f} GB"
    except (OSError, ValueError, IndexError):
        return "unknown"


def _chromium() -> str:
    if not CHROMIUM.exists():
        return "not installed"
    try:
        done = subprocess.run(
            [str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
        return done.stdout.strip() or "installed"
    except (OSError, subprocess.TimeoutExpired):
        return "installed"


def machine() -> dict[str, str]:
    """What the numbers were measured on.

    >>> "CPU cores" in machine()
    True
    """
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {
        "Date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "System": platform.platform(),
        "CPU": _cpu(),
        "CPU cores": str(os.cpu_count()),
        "Memory": _memory_gb(),
        "Load average at the start (1, 5, 15 min)": load,
        "Python": platform.python_version(),
        "Libraries": ", ".join(
            f"{p} {_version(p)}"
            for p in ("networkx", "numpy", "scipy", "pandas", "streamlit", "pyvis", "igraph")
        ),
        "Chromium": _chromium(),
    }


def markdown(
    results: Sequence[Mapping[str, Any]],
    about: Mapping[str, str],
    settings: str,
    notes: str,
    *,
    clicks: str = "",
    command_line: str = "",
    more_targets: Sequence[str] = (),
) -> str:
    """The whole BENCHMARKS.md page (``clicks``: the table of clicks in a real browser;
    ``command_line``: the whole ``analyse --json`` process beside igraph's betweenness;
    ``more_targets``: rows of the Targets table measured elsewhere, the browser's)."""
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m mapping bench`); rerun it to refresh. Seeded "
        "synthetic maps (`mapping/demo/synthetic.py`): eight perspectives of uneven size, 80% of "
        "ties inside a perspective, strengths 1-5, five relationships per person, a few "
        "well-connected people. Times are medians of several runs unless marked; each size "
        "runs in a process of its own, so its peak memory is its own.",
        "",
        f"Settings: {settings}.",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in about.items()],
        "",
        "## Results",
        "",
        table(results),
        "",
    ]
    if clicks:
        lines += ["## In a real browser: from a click to a settled page", "", clicks, ""]
    if command_line:
        lines += ["## The command line at scale", "", command_line, ""]
    reached = targets(results)
    if reached or more_targets:
        header = "| People | Target | Reached | |\n| ---: | --- | ---: | --- |"
        lines += ["## Targets", "", "\n".join([reached or header, *more_targets]), ""]
    if notes:
        lines += ["## Notes", "", notes.strip(), ""]
    extra = [f"- {r['people']:,} people: {n}" for r in results for n in r.get("notes", [])]
    if extra:
        lines += ["## Skipped or adjusted", "", *extra, ""]
    return "\n".join(lines)
