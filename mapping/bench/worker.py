"""One benchmark size, measured in a process of its own: ``python -m mapping.bench.worker``.

It prints one JSON object: seconds per step (medians over the repeats), the peers' times,
how well sampled betweenness agrees with the exact values, peak memory and notes.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from mapping.analysis import betweenness as fast_betweenness
from mapping.analysis import communities
from mapping.analysis.gaps import analyse
from mapping.bench import apptest, browser, peers
from mapping.bench.timing import median_seconds, peak_memory_mb
from mapping.changes.view import ViewFilter, apply_view
from mapping.demo.synthetic import synthetic_map
from mapping.drawing.layout import canvas_scale, spring_layout
from mapping.drawing.render import render_html
from mapping.io.formats import FORMATS, read_file, write_file
from mapping.io.safety import Limits
from mapping.model import Map
from mapping.model.graph import tie_graph
from mapping.storage.store import Store

__all__ = ["Options", "measure", "main"]

TODAY = date(2026, 1, 1)
#: The app draws the whole map up to this many people, else opens on a focused view
#: (``WHOLE_MAP_LIMIT`` of ``ui/pages/map_view.py``, which ``mapping`` cannot import).
WHOLE_MAP_LIMIT = 2000


@dataclass(frozen=True)
class Options:
    """What to measure: repeats, and which optional parts to run."""

    repeats: int = 3
    peers: bool = True
    browser: bool = True
    app: bool = True
    draw_timeout_s: float = 120.0
    pyvis_timeout_s: float = 120.0
    pyvis: bool = True


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _forget() -> None:
    """Empty the content-keyed memos, so each timed run computes from scratch."""
    fast_betweenness._MEMO.clear()
    from mapping.drawing import layout

    layout._MEMO.clear()


def _core(m: Map, o: Options, out: dict[str, Any]) -> dict:
    """Analysis, betweenness, layout, drawing, exports, import and storage."""
    n = len(m.stakeholders)
    _log("    analysis")
    out["analysis"] = median_seconds(lambda: analyse(m, today=TODAY), o.repeats, _forget)
    report = analyse(m, today=TODAY)
    out["betweenness_method"] = report.betweenness_method
    edited = apptest.stance_edit(m, 1)
    out["analysis_ties_unchanged"] = median_seconds(lambda: analyse(edited, today=TODAY), o.repeats)
    out["analysis_peak_mb"] = peak_memory_mb()
    G = tie_graph(m)
    _log("    betweenness and communities")
    out["betweenness"] = median_seconds(
        lambda: fast_betweenness.estimate_betweenness(G), o.repeats, _forget
    )
    estimate = fast_betweenness.estimate_betweenness(G)
    out["betweenness_sources"] = estimate.sources
    out["communities"] = median_seconds(lambda: communities.communities(G), o.repeats)
    _log("    layout and drawing")
    scale = canvas_scale(n)
    out["layout"] = median_seconds(
        lambda: spring_layout(m, seed=42, previous=m.positions, scale=scale), o.repeats, _forget
    )
    where = spring_layout(m, seed=42, previous=m.positions, scale=scale)
    out["html"] = median_seconds(lambda: render_html(m, positions=where, today=TODAY), o.repeats)
    _log("    exports and import")
    for fmt in FORMATS:
        if fmt.writer is not None:
            out[f"export:{fmt.name}"] = median_seconds(partial(write_file, m, fmt), o.repeats)
    data = write_file(m, "csv-zip")
    rows = len(m.stakeholders) + len(m.relationships) + 10
    limits = Limits(
        max_bytes=max(len(data) * 2, 20 * 2**20),
        max_rows=max(rows, 50_000),
        max_unpacked_bytes=max(len(data) * 40, 200 * 2**20),
    )
    if rows > 50_000:
        out.setdefault("notes", []).append(
            "CSV import: the default limit of 50,000 rows per file was raised for this size."
        )
    out["import_csv"] = median_seconds(lambda: read_file("map.zip", data, limits=limits), o.repeats)
    _log("    SQLite")
    with tempfile.TemporaryDirectory(prefix="coalition-bench-") as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.db'}")
        ids: list[int] = []
        out["store_save"] = median_seconds(lambda: ids.append(store.create_map(m)), o.repeats)
        out["store_load"] = median_seconds(lambda: store.load_map(ids[-1]), o.repeats)
        store.close()
    return {"G": G, "where": where, "estimate": estimate}


def _focused(m: Map) -> Map | None:
    """What the app opens on above its limit: the most influential coalition member and
    everyone within one step; ``None`` when it draws the whole map."""
    if len(m.stakeholders) <= WHOLE_MAP_LIMIT:
        return None
    best = max(m.stakeholders, key=lambda s: (s.coalition, s.influence)).id
    return apply_view(m, ViewFilter(focus=best, steps=1))


def _draws(chrome, html: str, o: Options) -> float | None:
    """The median first draw of a page, or ``None`` if any draw ran out of time."""
    ready = "window.coalitionMap && window.coalitionMap.drawn"
    draws = [browser.first_draw(chrome, html, ready, o.draw_timeout_s) for _ in range(o.repeats)]
    done = sorted(d for d in draws if d is not None)
    return done[len(done) // 2] if len(done) == len(draws) else None


def _browser(m: Map, parts: dict, o: Options, out: dict[str, Any]) -> None:
    missing = browser.browser_missing()
    if missing:
        out.setdefault("notes", []).append(f"First draw not measured: {missing}.")
        return
    where = parts["where"]
    with browser.chromium() as chrome:
        _log("    Chromium: our page, whole map")
        out["first_draw"] = _draws(chrome, render_html(m, positions=where, today=TODAY), o)
        out["draw_timeout"] = o.draw_timeout_s
        focused = _focused(m)
        if focused is not None:
            _log("    Chromium: our page, focused view")
            html = render_html(
                focused,
                positions={s.id: where[s.id] for s in focused.stakeholders},
                today=TODAY,
            )
            out["first_draw_focused"] = _draws(chrome, html, o)
            out["focused_people"] = len(focused.stakeholders)
        if o.peers and o.pyvis:
            _log("    Chromium: pyvis defaults (once)")
            page = browser.pyvis_page(parts["G"])
            drawn = browser.first_draw(chrome, page, "window.benchDrawn", o.pyvis_timeout_s)
            out["pyvis_first_draw"] = drawn
            out["pyvis_timeout"] = o.pyvis_timeout_s


def _peers(parts: dict, out: dict[str, Any]) -> None:
    G = parts["G"]
    _log("    NetworkX exact betweenness (once)")
    seconds, scaled, exact = peers.networkx_betweenness(G)
    out["nx_betweenness"] = seconds
    out["nx_scaled"] = scaled
    if exact is not None:
        top, rho = peers.agreement(exact, parts["estimate"].values)
        out["top10_agree"] = top
        out["rank_correlation"] = rho
    _log("    igraph (once)")
    found = peers.igraph_peers(G)
    out["igraph_betweenness"] = found["betweenness"]
    out["igraph_scaled"] = found["betweenness_scaled"]
    out["igraph_communities"] = found["communities"]
    out["igraph_version"] = found["version"]


def measure(n: int, o: Options) -> dict[str, Any]:
    """Every measurement for a synthetic map of ``n`` people (see the module docstring).

    >>> result = measure(12, Options(repeats=1, peers=False, browser=False, app=False))
    >>> result["people"], result["ties"], result["analysis"] > 0
    (12, 33, True)
    """
    m = synthetic_map(n, seed=1)
    out: dict[str, Any] = {"people": n, "ties": len(m.relationships), "notes": []}
    parts = _core(m, o, out)
    if o.peers:
        _peers(parts, out)
    if o.browser:
        _browser(m, parts, o, out)
    if o.app:
        missing = apptest.apptest_missing()
        if missing:
            out["notes"].append(f"Page reruns not measured: {missing}.")
        else:
            _log("    Streamlit reruns (AppTest)")
            with tempfile.TemporaryDirectory(prefix="coalition-bench-") as folder:
                m_app = replace(m, name=f"Benchmark map of {n:,}")
                timeout = max(120.0, o.draw_timeout_s * 2)
                out.update(apptest.page_reruns(m_app, Path(folder), o.repeats, timeout, _log))
    out["peak_mb"] = peak_memory_mb()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Measure one size and print the results as JSON on stdout."""
    parser = argparse.ArgumentParser(prog="python -m mapping.bench.worker")
    parser.add_argument("size", type=int)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-app", action="store_true")
    parser.add_argument("--no-pyvis", action="store_true")
    parser.add_argument("--draw-timeout", type=float, default=120.0)
    parser.add_argument("--pyvis-timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    options = Options(
        repeats=args.repeats,
        peers=not args.no_peers,
        browser=not args.no_browser,
        app=not args.no_app,
        draw_timeout_s=args.draw_timeout,
        pyvis_timeout_s=args.pyvis_timeout,
        pyvis=not args.no_pyvis,
    )
    print(json.dumps(measure(args.size, options)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
