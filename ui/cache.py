"""Results kept between reruns, shared by every session: one key, one way to forget them.

Every drawing, layout, analysis and report the app keeps is filed under a :class:`Key` (the
database's URL, the map's id and a digest of the map's content) and whatever else shapes it
(layout, view, settings, day). A map that reuses a deleted map's id, the same map in another
database, or the map after an edit never finds another's entries. The digest is computed once
per map object, when a result about it is first asked for (:func:`content_digest`): a rerun
that shows an edit and asks for no kept result does not pay for it.

Each cache here is registered by name, so one call, :func:`forget`, drops every entry of a map
(in every state) from all of them: after a deletion, a purge, a restore or an erasure, no
drawing or report still shows what was removed.

>>> drawings = kept("example", 2)
>>> a = Key("sqlite:///a.db", 1, "d1")
>>> drawings.put("drawing of d1", a, "force")
>>> drawings.get(a, "force"), drawings.get(Key("sqlite:///b.db", 1, "d1"), "force")
('drawing of d1', None)
>>> forget("sqlite:///a.db", 1), drawings.get(a, "force")
(1, None)
>>> del CACHES["example"]

A result can be computed ahead of the visit that shows it (:func:`ahead`): the job runs on
one background thread, marks the entry it is computing (:meth:`MapCache.computing`), and a
page that asks for that entry meanwhile waits for it (:meth:`MapCache.wait`) instead of
computing it a second time.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Callable, Collection, Hashable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, ParamSpec, TypeVar

import streamlit as st

from mapping.model import Map
from mapping.model.digest import map_digest
from mapping.recent import Recent

__all__ = [
    "CACHES",
    "RUNS",
    "Key",
    "MapCache",
    "ahead",
    "cached",
    "content_digest",
    "forget",
    "kept",
    "stored",
]

T = TypeVar("T")
P = ParamSpec("P")

#: Every cache the app keeps, by name: what :func:`forget` reaches.
CACHES: dict[str, MapCache[Any]] = {}


@dataclass(frozen=True)
class Key:
    """One stored state of one map in one database: what a kept result is about."""

    url: str
    map_id: int
    #: :func:`content_digest` of the map in this state.
    digest: str


def content_digest(m: Map) -> str:
    """The digest of the map's content (:func:`mapping.model.digest.map_digest`): worked out
    once for each map object, and after an edit only for what the edit changed.

    >>> content_digest(Map(name="A")) == content_digest(Map(name="A")) != content_digest(Map(name="B"))
    True
    """
    return map_digest(m)


#: What a result is filed under: database URL, map id, content digest and the other parts.
_Entry = tuple[str, int, str | None, Hashable]


def _hashable(parts: tuple[object, ...]) -> Hashable:
    """``parts`` as a dictionary key: itself, or its text when it holds a list."""
    try:
        hash(parts)
    except TypeError:
        return repr(parts)
    return parts


class MapCache(Generic[T]):
    """Results of one kind by :class:`Key` and parts, up to ``size`` of them (the least
    recently used goes first), registered in :data:`CACHES` as ``name``.

    Use :func:`kept` to get one: Streamlit runs a page's file afresh on every rerun, and
    the cache must outlive it.
    """

    def __init__(self, name: str, size: int) -> None:
        self.name = name
        self._kept: Recent[_Entry, tuple[T]] = Recent(size)
        #: Entries being computed ahead, each with the event set when it is done.
        self._computing: dict[_Entry, threading.Event] = {}
        self._lock = threading.Lock()
        CACHES[name] = self

    def _find(self, url: str, map_id: int, digest: str | None, parts: tuple) -> tuple[T] | None:
        return self._kept.get((url, map_id, digest, _hashable(parts)))

    def _keep(self, value: T, url: str, map_id: int, digest: str | None, parts: tuple) -> None:
        self._kept.put((url, map_id, digest, _hashable(parts)), (value,))

    def get(self, key: Key, *parts: object) -> T | None:
        """The result kept for ``key`` and ``parts``, or ``None``."""
        found = self._find(key.url, key.map_id, key.digest, parts)
        return None if found is None else found[0]

    def put(self, value: T, key: Key, *parts: object) -> None:
        """Keep ``value`` for ``key`` and ``parts``."""
        self._keep(value, key.url, key.map_id, key.digest, parts)

    @contextmanager
    def computing(self, key: Key, *parts: object) -> Iterator[bool]:
        """Mark the entry for ``key`` and ``parts`` as being computed while the block runs;
        the block is told whether it is needed (``False`` when the entry is kept already or
        computed elsewhere at the moment). Whoever :meth:`wait` s for it is let go when the
        block ends, whether it kept a result or failed.

        >>> reports = kept("computing example", 2)
        >>> k = Key("sqlite://", 1, "d")
        >>> with reports.computing(k, "day") as needed:
        ...     reports.put("report", k, "day") if needed else None
        >>> with reports.computing(k, "day") as needed:
        ...     needed
        False
        >>> reports.wait(k, "day")
        'report'
        >>> del CACHES["computing example"]
        """
        entry = (key.url, key.map_id, key.digest, _hashable(parts))
        with self._lock:
            busy = entry in self._computing or self._find(*entry[:3], parts) is not None
            done = threading.Event()
            if not busy:
                self._computing[entry] = done
        try:
            yield not busy
        finally:
            if not busy:
                with self._lock:
                    self._computing.pop(entry, None)
                done.set()

    def wait(self, key: Key, *parts: object, timeout: float = 120.0) -> T | None:
        """Like :meth:`get`, but first wait (up to ``timeout`` seconds) for the entry if it is
        being computed ahead."""
        entry = (key.url, key.map_id, key.digest, _hashable(parts))
        with self._lock:
            done = self._computing.get(entry)
        if done is not None:
            done.wait(timeout)
        return self.get(key, *parts)

    def drop(self, url: str, map_id: int | None = None, digests: Collection[str] = ()) -> int:
        """Forget the entries of map ``map_id`` and those about content with one of
        ``digests`` (every entry of the database with neither); return how many went."""

        def about(entry: _Entry) -> bool:
            where, which, digest, _ = entry
            if where != url:
                return False
            if map_id is None and not digests:
                return True
            return which == map_id or digest in digests

        return self._kept.drop(about)

    def values(self, url: str | None = None) -> list[T]:
        """Every result kept (of the database at ``url`` only, if given), the least recently
        used first."""
        return [value for (where, *_), (value,) in self._kept.items() if url in (None, where)]

    def __len__(self) -> int:
        return len(self._kept)


def kept(name: str, size: int) -> MapCache[Any]:
    """The registered cache called ``name``, made (holding up to ``size``) on first use."""
    found = CACHES.get(name)
    return found if found is not None else MapCache(name, size)


def cached(
    name: str, size: int, spinner: str | None = None
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Keep a function's results in a registered cache, as ``st.cache_data`` would.

    The first argument is the :class:`Key`; the others are part of the entry's key unless
    their name starts with ``_`` (the map itself and what follows from it, which the key
    already tells). ``spinner`` is shown while the function runs. Results are shared, not
    copied: callers must not change them.
    """

    def wrap(function: Callable[P, T]) -> Callable[P, T]:
        results: MapCache[T] = kept(name, size)
        signature = inspect.signature(function)

        @wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            (_, key), *rest = bound.arguments.items()
            parts = tuple(value for arg, value in rest if not arg.startswith("_"))
            found = results.get(key, *parts)
            if found is None:
                if spinner:
                    with st.spinner(spinner):
                        found = function(*args, **kwargs)
                else:
                    found = function(*args, **kwargs)
                results.put(found, key, *parts)
            return found

        return run

    return wrap


#: The longest a background job waits for the app to be quiet (seconds).
QUIET_AT_MOST = 2.0

#: A background job starts once no run of the app is in progress, in any session, and the
#: last one ended (and the job was given) this long ago (seconds): time for the run that
#: asked for it to begin (a callback asks before its run), end, and for the server to send
#: its page and the browser to draw it, without the job holding the interpreter meanwhile.
QUIET = 0.3


class _Runs:
    """The runs of the app in progress in every session, and when the last one ended."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._active = 0
        self._ended = 0.0

    def started(self) -> None:
        with self._changed:
            self._active += 1

    def ended(self) -> None:
        with self._changed:
            self._active = max(0, self._active - 1)
            self._ended = time.monotonic()
            self._changed.notify_all()

    def wait_quiet(self, since: float, at_most: float) -> bool:
        """Wait until no run is in progress and both the last run's end and ``since`` are
        :data:`QUIET` seconds ago, at most ``at_most`` seconds; return whether it is so."""
        deadline = time.monotonic() + at_most
        with self._changed:
            while True:
                now = time.monotonic()
                calm = now - max(self._ended, since)
                if self._active == 0 and calm >= QUIET:
                    return True
                if now >= deadline:
                    return False
                wait = deadline - now if self._active else QUIET - calm
                self._changed.wait(min(wait, deadline - now))


#: Every session's runs (``ui.state.one_run`` marks them).
RUNS = _Runs()

#: The one thread that computes results ahead of the visits that show them.
_AHEAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coalition-ahead")
_log = logging.getLogger(__name__)


#: The ``once`` of the jobs handed to :func:`ahead` lately: a rerun does not queue them again.
_ASKED: Recent[Hashable, bool] = Recent(256)


def ahead(job: Callable[[], None], once: Hashable | None = None) -> Future[None] | None:
    """Run ``job`` on the background thread, after the jobs given before it; a job that fails
    is logged, and the page that wanted its result computes it in the usual way. A job given
    with the same ``once`` as one given lately is not run again (``None`` is returned). The
    job first waits (at most :data:`QUIET_AT_MOST` seconds) until no run is in progress in
    any session, the run that asked for it included, and the app has been quiet for
    :data:`QUIET` seconds (:data:`RUNS`), so that the job and a page do not share the
    processor.

    ``job`` must not call Streamlit: it runs outside any session. It files its results with
    :meth:`MapCache.computing` and :meth:`MapCache.put`.

    >>> ahead(lambda: None, once="example").result() is None, ahead(print, once="example")
    (True, None)
    """
    if once is not None:
        if _ASKED.get(once):
            return None
        _ASKED.put(once, True)

    given = time.monotonic()

    def guarded() -> None:
        RUNS.wait_quiet(given, QUIET_AT_MOST)
        try:
            job()
        except Exception:  # the visit computes it instead, and says why if it fails again
            _log.exception("Computing ahead failed")

    return _AHEAD.submit(guarded)


_STORED: MapCache[Map] = kept("stored maps", 64)


def stored(url: str, map_id: int, stamp: tuple[int, str], load: Callable[[], Map]) -> Map:
    """The map in the stored state ``stamp`` (``Store.stamp``): read with ``load`` once per
    stored state, then kept."""
    found = _STORED._find(url, map_id, None, stamp)
    if found is not None:
        return found[0]
    m = load()
    _STORED._keep(m, url, map_id, None, stamp)
    return m


def forget(url: str, map_id: int | None = None, *, digests: Collection[str] = ()) -> int:
    """Drop from every registered cache each entry of map ``map_id`` in the database at
    ``url``, in any state, and each entry about content with one of ``digests`` (a deleted
    map, whose id is gone, by its snapshots' digests); with neither, every entry of that
    database. Returns how many entries went."""
    return sum(cache.drop(url, map_id, digests) for cache in list(CACHES.values()))
