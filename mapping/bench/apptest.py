"""Streamlit page reruns, timed with AppTest on ``app.py`` over a database holding the map.

An edit is saved to the database the way a page saves one (a new version of the map), then
the page is run again: that rerun is what a user waits for after changing something.
Streamlit is imported only here, and only when the measurement runs.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from mapping.model import Map, Stance
from mapping.storage.store import DATABASE_URL_VARIABLE, Store

__all__ = ["APP", "PAGES", "apptest_missing", "stance_edit", "page_reruns"]

APP = Path(__file__).resolve().parent.parent.parent / "app.py"
#: Pages timed: the map (layout and drawing) and the coalition gaps (the whole analysis).
PAGES = {"map": "ui/pages/map_view.py", "gaps": "ui/pages/gaps.py"}
_STANCES = (Stance.SUPPORTER, Stance.NEUTRAL)


def apptest_missing() -> str | None:
    """Why the app cannot be run here (``None`` when it can).

    >>> apptest_missing() is None or isinstance(apptest_missing(), str)
    True
    """
    if not APP.exists():
        return f"the app's script {APP} is not here (run the benchmark from a checkout)"
    try:
        import streamlit.testing.v1  # noqa: F401
    except ImportError:
        return "Streamlit is not installed"
    return None


def stance_edit(m: Map, i: int) -> Map:
    """The map with one person's stance changed: the edit a user makes most often.

    >>> from mapping.demo.synthetic import synthetic_map
    >>> m = synthetic_map(3)
    >>> stance_edit(m, 0).stakeholders[0].stance != stance_edit(m, 1).stakeholders[0].stance
    True
    """
    people = list(m.stakeholders)
    people[0] = replace(people[0], stance=_STANCES[i % 2])
    return replace(m, stakeholders=tuple(people))


def _median_rerun(at, store: Store, map_id: int, m: Map, repeats: int, offset: int) -> float:
    times = []
    for i in range(max(1, repeats)):
        current = store.version(map_id)
        store.save_map(map_id, stance_edit(m, offset + i), expected_version=current)
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
        _check(at)
    return float(statistics.median(times))


def _check(at) -> None:
    if at.exception:
        msg = f"The app failed during the benchmark: {at.exception[0].value}"
        raise RuntimeError(msg)


def page_reruns(
    m: Map, folder: Path, repeats: int, timeout_s: float, log: Callable[[str], None]
) -> dict[str, float]:
    """Seconds for: each page's rerun after a stance edit, and the map page's rerun with no
    change. The first run of each page (cold caches) is not timed."""
    from streamlit.testing.v1 import AppTest

    url = f"sqlite:///{folder / 'bench-app.db'}"
    store = Store(url)
    map_id = store.create_map(m)
    saved = os.environ.get(DATABASE_URL_VARIABLE)
    os.environ[DATABASE_URL_VARIABLE] = url
    out: dict[str, float] = {}
    try:
        at = AppTest.from_file(str(APP), default_timeout=timeout_s)
        at.run()
        _check(at)
        for offset, (name, script) in enumerate(PAGES.items()):
            log(f"    app: {name} page")
            at.switch_page(script).run()
            _check(at)
            out[f"rerun_{name}_edit"] = _median_rerun(at, store, map_id, m, repeats, 100 * offset)
            if name == "map":
                times = []
                for _ in range(max(1, repeats)):
                    started = time.perf_counter()
                    at.run()
                    times.append(time.perf_counter() - started)
                out["rerun_no_change"] = float(statistics.median(times))
    finally:
        if saved is None:
            os.environ.pop(DATABASE_URL_VARIABLE, None)
        else:
            os.environ[DATABASE_URL_VARIABLE] = saved
        store.close()
    return out
