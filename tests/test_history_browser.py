"""History in a real headless Chromium: snapshot, edit, and see the change and the maps before/after."""

from __future__ import annotations

import time

import pytest

from mapping.changes.ratings import Rating
from mapping.demo.sample import load_sample
from mapping.model import Map, Relationship, Stakeholder
from mapping.storage import history, rating_store, reflections
from mapping.storage.store import Store
from tests.browser import browser_page, outside_requests, require_chromium, running_app, wait_idle

pytestmark = pytest.mark.browser

PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
)


def _drawn_frames(page, count: int) -> list:
    """The frames holding drawn maps, once ``count`` of them are drawn."""
    page.wait_for_function(
        """(n) => Array.from(document.querySelectorAll('iframe'))
            .filter(f => { try { return f.contentWindow.coalitionMap &&
                                        f.contentWindow.coalitionMap.drawn; }
                           catch (e) { return false; } }).length >= n""",
        arg=count,
        timeout=60_000,
    )
    return [
        f
        for f in page.frames
        if f.evaluate("() => !!(window.coalitionMap && window.coalitionMap.drawn)")
    ]


def test_history_page_shows_the_diff_after_an_edit(tmp_path):
    require_chromium()
    url = f"sqlite:///{tmp_path / 'history.db'}"
    store = Store(url)
    map_id = store.create_map(load_sample())
    n = len(load_sample().stakeholders)
    with (
        running_app(url) as base,
        browser_page(viewport={"width": 1400, "height": 1100}) as (page, requests),
    ):
        page.goto(f"{base}/history")
        wait_idle(page)
        page.get_by_label("Snapshot name").fill("Before the board")
        page.get_by_role("button", name="Take a snapshot").click()
        page.get_by_text("Snapshot taken.").wait_for(timeout=30_000)
        wait_idle(page)
        assert [s.name for s in history.list_snapshots(store, map_id)] == ["Before the board"]

        page.goto(f"{base}/stakeholders")
        wait_idle(page)
        page.get_by_text("Add a stakeholder").click()
        page.get_by_label("Name *").fill("Olu Adeyemi")
        page.get_by_role("button", name="Add stakeholder").click()
        # the stored map, not the passing toast, says the edit was saved
        deadline = time.monotonic() + 60
        while "Olu Adeyemi" not in {s.name for s in store.load_map(map_id).stakeholders}:
            assert time.monotonic() < deadline, "the new stakeholder was never saved"
            page.wait_for_timeout(200)
        wait_idle(page)

        page.goto(f"{base}/reflect")  # opens on what changed since the last snapshot
        wait_idle(page)
        page.get_by_text("1 stakeholder added: Olu Adeyemi.").wait_for(timeout=60_000)
        assert page.get_by_text("Perspectives with a coalition member:").count() >= 1

        frames = _drawn_frames(page, 2)
        sizes = sorted(f.evaluate("() => window.coalitionMap.nodes.length") for f in frames)
        assert sizes == [n, n + 1], "the map before and after the edit"
        [after] = [f for f in frames if f.evaluate("() => window.coalitionMap.nodes.length") > n]
        lit = after.evaluate(
            "() => window.coalitionMap.nodes.get().filter(x => x.lit === true).map(x => x.label)"
        )
        assert lit == ["Olu Adeyemi"], "only the added person is emphasised"
        assert outside_requests(requests) == []


def test_history_review_and_views_pages_keep_hostile_names_inert(tmp_path):
    require_chromium()
    people = tuple(
        Stakeholder(f"x{i}", f"{p} {i}", organisation=p, notes=p, coalition=i == 0)
        for i, p in enumerate(PAYLOADS)
    )
    ties = (Relationship("r1", "x0", "x1", notes=PAYLOADS[0]),)
    hostile = Map(
        name=PAYLOADS[0], description=PAYLOADS[1], stakeholders=people, relationships=ties
    )
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    store = Store(url)
    map_id = store.create_map(hostile)
    sid = history.take_snapshot(store, map_id, PAYLOADS[1])
    store.save_map(map_id, hostile.with_stakeholders(people[:1]))
    reflections.add_reflection(
        store, map_id, PAYLOADS[0], prompt=PAYLOADS[1], snapshot_id=sid, in_report=True
    )
    rating_store.save_rating(store, map_id, Rating(PAYLOADS[1], "x0", "stance", "opposed"))
    rating_store.save_rating(store, map_id, Rating(PAYLOADS[0], "x0", "stance", "champion"))
    store.close()
    with running_app(url) as base, browser_page() as (page, requests):
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path, sections in (
            ("history", ("Snapshots", "Trends")),
            ("reflect", ("What changed", "Reflection log", "Where views differ", "Activity")),
            ("review", ()),
            ("views", ()),
        ):
            page.goto(f"{base}/{path}")
            wait_idle(page)
            for name in sections:
                page.get_by_role("radio", name=name).click()
                wait_idle(page)
            assert page.evaluate("window.__pwned") is None, path
            for frame in page.frames:
                assert frame.evaluate("() => window.__pwned") is None, path
        assert dialogs == []
        assert outside_requests(requests) == []
