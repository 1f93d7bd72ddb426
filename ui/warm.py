"""The coalition analysis of each saved version, computed in the background before it is asked
for, so the Coalition gaps page finds it ready even on a first visit.

:func:`gaps_ahead` is called when a session opens a map and after each save or undo. On the
background thread of :func:`ui.cache.ahead` it reads the map as stored, and files its gap
report where ``ui/reports.py`` looks for it (the "gap reports" cache, under the map's key,
the day and the map's settings). A page that asks for the report while it is being computed
waits for it rather than computing it twice; one that asks before the job has started
computes it itself, as it always did.
"""

from __future__ import annotations

from concurrent.futures import Future
from datetime import date

from mapping.analysis.gaps import analyse
from mapping.errors import NotFoundError
from mapping.model import Map
from mapping.storage import settings as stored
from mapping.storage.store import Store
from ui import cache

__all__ = ["REPORTS_CACHE", "gaps_ahead"]

#: The registered cache ``ui/reports.py`` keeps gap reports in (``ui.cache.kept``), and its size.
REPORTS_CACHE = ("gap reports", 32)


class _Moved(Exception):
    """The map was saved again between the job being asked for and it reading the map."""


def gaps_ahead(
    db: Store,
    url: str,
    map_id: int,
    stamp: tuple[int, str],
    today: date | None = None,
) -> Future[None] | None:
    """Compute, in the background, the gap report of map ``map_id`` as stored at ``stamp``
    (``Store.stamp``) in the database ``db`` at ``url``, unless it was asked for already;
    return the job, or ``None`` when there was nothing to do. The job waits for the app to
    be quiet first (see :func:`ui.cache.ahead`)."""
    day = today or date.today()

    def load() -> Map:
        m = db.load_map(map_id)
        if db.stamp(map_id) != stamp:  # saved again meanwhile: the next job has that one
            raise _Moved
        return m

    def job() -> None:
        try:
            settings = stored.map_settings(db, map_id)
            m = cache.stored(url, map_id, stamp, load)
        except (_Moved, NotFoundError):  # saved again, or deleted, since it was asked for
            return
        key = cache.Key(url, map_id, cache.content_digest(m))
        reports = cache.kept(*REPORTS_CACHE)
        with reports.computing(key, day, settings) as needed:
            if needed:
                reports.put(analyse(m, settings, today=day), key, day, settings)

    return cache.ahead(job, once=("gap report", url, map_id, stamp, day))
