"""A database for browser tests and screenshots: the sample map with some history behind it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from mapping.changes.edit import add_relationship
from mapping.changes.ratings import Rating
from mapping.demo.sample import load_sample
from mapping.model import Stance
from mapping.storage import history, rating_store, reflections
from mapping.storage.store import Store

#: Who joins the coalition between the snapshot and now.
RECRUITED = "s40"  # Bernard O'Sullivan, Riverside Carers' Centre
#: Who is rated differently by two colleagues on the Several views page.
RATED = "s08"  # Richard Hale


def seed_demo(url: str) -> int:
    """Store the sample map, a snapshot of it, then a few changes, views and a note.

    Returns the map's id. The snapshot is "Before the March board"; since then a patient and
    carer champion joined the coalition and a tie to them was recorded, so History shows
    what changed and Trends has two points.
    """
    store = Store(url)
    try:
        m = load_sample()
        map_id = store.create_map(m)
        snapshot = history.take_snapshot(store, map_id, "Before the March board")
        joined = replace(
            m,
            stakeholders=tuple(
                replace(s, coalition=True, stance=Stance.CHAMPION) if s.id == RECRUITED else s
                for s in m.stakeholders
            ),
        )
        joined = add_relationship(
            joined,
            source="s28",
            target=RECRUITED,
            type="collaborates",
            strength=4,
            last_confirmed=date.today(),
            how_we_know="Discharge working group",
        )
        store.save_map(map_id, joined, expected_version=store.version(map_id))
        for rater, stance in (("Clinical lead", "sceptic"), ("Programme manager", "supporter")):
            rating_store.save_rating(store, map_id, Rating(rater, RATED, "stance", stance))
        reflections.add_reflection(
            store,
            map_id,
            "Carers now have a voice in the coalition; ask Bernard to co-chair the next workshop.",
            prompt=reflections.PROMPTS[0],
            snapshot_id=snapshot,
            in_report=True,
        )
        return map_id
    finally:
        store.close()
