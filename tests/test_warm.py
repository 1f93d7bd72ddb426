"""The coalition analysis computed in the background once per saved version, ready before the
Coalition gaps page asks for it (issue 18, item 2)."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date

import pytest

from mapping.analysis.gaps import analyse
from mapping.demo.sample import load_sample
from mapping.model import Stance
from mapping.storage import settings as stored
from ui import cache, warm

DAY = date(2026, 3, 2)


def _report(store, map_id: int):
    stamp = store.stamp(map_id)
    m = cache.stored(store.url, map_id, stamp, lambda: store.load_map(map_id))
    key = cache.Key(store.url, map_id, cache.content_digest(m))
    settings = stored.map_settings(store, map_id)
    return cache.kept(*warm.REPORTS_CACHE).get(key, DAY, settings), key, settings


def test_a_saved_version_is_analysed_in_the_background_once(store):
    map_id = store.create_map(load_sample())
    stamp = store.stamp(map_id)
    job = warm.gaps_ahead(store, store.url, map_id, stamp, today=DAY)
    assert job is not None
    job.result(timeout=120)
    report, _, settings = _report(store, map_id)
    assert report == analyse(store.load_map(map_id), settings, today=DAY)
    # the same stored state again (a rerun): nothing queued
    assert warm.gaps_ahead(store, store.url, map_id, stamp, today=DAY) is None
    cache.forget(store.url, map_id)


def test_the_next_version_gets_its_own_report(store):
    map_id = store.create_map(load_sample())
    warm.gaps_ahead(store, store.url, map_id, store.stamp(map_id), today=DAY).result(120)
    m = store.load_map(map_id)
    first = m.stakeholders[0]
    flipped = replace(
        first, stance=Stance.OPPOSED if first.stance != Stance.OPPOSED else Stance.SUPPORTIVE
    )
    store.save_map(map_id, replace(m, stakeholders=(flipped, *m.stakeholders[1:])))
    warm.gaps_ahead(store, store.url, map_id, store.stamp(map_id), today=DAY).result(120)
    report, _, settings = _report(store, map_id)
    assert report == analyse(store.load_map(map_id), settings, today=DAY)
    cache.forget(store.url, map_id)


def test_a_version_saved_over_before_the_job_runs_is_not_filed_under_the_old_state(store):
    map_id = store.create_map(load_sample())
    old = store.stamp(map_id)
    m = store.load_map(map_id)
    store.save_map(map_id, replace(m, description="changed"))
    warm.gaps_ahead(store, store.url, map_id, old, today=DAY).result(120)
    assert len(cache.kept(*warm.REPORTS_CACHE).values(store.url)) == 0
    cache.forget(store.url, map_id)


def test_the_job_waits_for_the_end_of_the_run_that_asked_for_it(store):
    map_id = store.create_map(load_sample())
    cache.RUNS.started()  # the run that asks
    try:
        job = warm.gaps_ahead(store, store.url, map_id, store.stamp(map_id), today=DAY)
        assert job is not None
        assert not job.done() and _report(store, map_id)[0] is None  # the run still going
    finally:
        cache.RUNS.ended()
    job.result(timeout=120)
    assert _report(store, map_id)[0] is not None
    cache.forget(store.url, map_id)


def test_a_job_waits_until_no_run_of_any_session_is_in_progress():
    """Another session's run (say a colleague's click) holds the job back until it has
    ended and its page has had :data:`cache.QUIET` seconds to be sent and drawn."""
    cache.ahead(lambda: None).result(120)  # earlier tests' jobs out of the way
    began: list[float] = []
    cache.RUNS.started()
    try:
        job = cache.ahead(lambda: began.append(time.monotonic()))
        assert job is not None
        with pytest.raises(TimeoutError):
            job.result(timeout=0.5)
    finally:
        cache.RUNS.ended()
        ended = time.monotonic()
    job.result(timeout=10)
    assert began and began[0] - ended >= cache.QUIET - 0.01


def test_a_map_deleted_before_the_job_runs_is_left_alone(store, caplog):
    map_id = store.create_map(load_sample())
    stamp = store.stamp(map_id)
    cache.RUNS.started()  # the run that asks, and deletes the map
    try:
        job = warm.gaps_ahead(store, store.url, map_id, stamp, today=DAY)
        store.delete_map(map_id)
    finally:
        cache.RUNS.ended()
    job.result(timeout=120)
    assert "Computing ahead failed" not in caplog.text
    assert cache.kept(*warm.REPORTS_CACHE).values(store.url) == []


def test_a_page_asking_while_it_is_computed_waits_for_it_instead_of_computing_it_again():
    reports = cache.kept("waiting example", 2)
    key = cache.Key("sqlite://", 1, "d")
    started, release = threading.Event(), threading.Event()

    def compute() -> None:
        with reports.computing(key, DAY) as needed:
            assert needed
            started.set()
            release.wait(10)
            reports.put("the report", key, DAY)

    worker = threading.Thread(target=compute)
    worker.start()
    started.wait(10)
    with reports.computing(key, DAY) as needed:  # a second job for the same entry
        assert needed is False
    threading.Timer(0.2, release.set).start()
    assert reports.wait(key, DAY, timeout=10) == "the report"
    worker.join()
    del cache.CACHES["waiting example"]


def test_the_gaps_page_and_the_background_analyse_each_version_once_between_them(
    db_url, monkeypatch
):
    from dataclasses import replace as changed

    from streamlit.testing.v1 import AppTest

    from mapping.storage.store import Store
    from tests.conftest import ROOT
    from ui import reports

    # every job queued by earlier tests runs first: only this test's are counted below
    cache.ahead(lambda: None).result(timeout=120)
    runs: list[str] = []
    page, ahead = reports.analyse, warm.analyse

    def by_page(*args, **kwargs):
        runs.append("page")
        return page(*args, **kwargs)

    def in_background(*args, **kwargs):
        runs.append("ahead")
        return ahead(*args, **kwargs)

    monkeypatch.setattr(reports, "analyse", by_page)
    monkeypatch.setattr(warm, "analyse", in_background)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("ui/pages/gaps.py").run()
    at.run()
    assert not at.exception, at.exception
    assert len(runs) == 1, runs
    assert "This month: the three things to do" in [s.value for s in at.subheader]
    store = Store(db_url)
    [info] = store.list_maps()
    store.save_map(info.id, changed(store.load_map(info.id), name="Renamed"))
    at.run()
    at.run()
    assert not at.exception, at.exception
    assert len(runs) == 2, runs
    store.close()
