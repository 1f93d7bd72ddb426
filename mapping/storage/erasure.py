"""Erasure: remove one person from a map and from all of its history (the right to erasure).

Deleting a stakeholder from the map leaves them in every earlier snapshot, in reflection
notes that name them and in raters' views of them. :func:`erase_stakeholder` removes them
from the live map, from every snapshot of the map (with their relationships and position),
deletes the ratings of them and by them, and replaces their name, as a whole word in any
case, with ``[erased]`` wherever it stays in text: other people's notes, roles and
organisations (never their names), the map's name and description, snapshot names and
reflection notes. All of it happens in one transaction, with an audit line that says an
erasure happened and nothing about whom.

Replacing names is a best effort: initials, nicknames or a job title ("the Chief Executive
of ...") can still point to a person; read the notes after an erasure.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import delete, select, update

from mapping.errors import ConflictError, NotFoundError
from mapping.io import project_json
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.actions import ActionNote, PlannedAction
from mapping.storage import access, history
from mapping.storage.actions import list_actions, store_action
from mapping.storage.store import Store

__all__ = [
    "ERASED",
    "Erasure",
    "scrub",
    "erase_from_map",
    "erase_from_action",
    "people_on_record",
    "erase_stakeholder",
]

#: What a person's name becomes in text that stays.
ERASED = "[erased]"


@dataclass(frozen=True)
class Erasure:
    """What one erasure changed, to tell the user who asked for it (never kept anywhere)."""

    map_changed: bool
    snapshots: int
    notes: int
    ratings: int
    actions: int = 0


def scrub(text: str, names: Iterable[str]) -> str:
    """``text`` with every one of ``names`` (whole words, any case) replaced by ``[erased]``.

    >>> scrub("Ask ann clark; Ann Clarke is someone else.", ["Ann Clark"])
    'Ask [erased]; Ann Clarke is someone else.'
    >>> scrub("Nothing here", [])
    'Nothing here'
    """
    words = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    if not words or not text:
        return text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.I)
    return pattern.sub(ERASED, text)


def _scrub_person(s: Stakeholder, names: list[str]) -> Stakeholder:
    return replace(
        s,
        organisation=scrub(s.organisation, names),
        role=scrub(s.role, names),
        notes=scrub(s.notes, names),
        tags=tuple(scrub(t, names) for t in s.tags),
        custom={k: scrub(v, names) for k, v in s.custom.items()},
    )


def _scrub_tie(r: Relationship, names: list[str]) -> Relationship:
    return replace(
        r,
        how_we_know=scrub(r.how_we_know, names),
        notes=scrub(r.notes, names),
        custom={k: scrub(v, names) for k, v in r.custom.items()},
    )


def erase_from_map(m: Map, stakeholder_id: str, names: Iterable[str]) -> Map:
    """``m`` without the stakeholder, their ties and position, and with ``names`` scrubbed.

    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann Clark"),
    ...     Stakeholder("b", "Bo Li", notes="Close to Ann Clark")),
    ...     relationships=(Relationship("r", "a", "b"),))
    >>> out = erase_from_map(m, "a", ["Ann Clark"])
    >>> [(s.name, s.notes) for s in out.stakeholders], out.relationships
    ([('Bo Li', 'Close to [erased]')], ())
    """
    names = list(names)
    kept = m.with_stakeholders(s for s in m.stakeholders if s.id != stakeholder_id)
    return replace(
        kept,
        name=scrub(kept.name, names),
        description=scrub(kept.description, names),
        stakeholders=tuple(_scrub_person(s, names) for s in kept.stakeholders),
        relationships=tuple(_scrub_tie(r, names) for r in kept.relationships),
    )


def erase_from_action(a: PlannedAction, stakeholder_id: str, names: Iterable[str]) -> PlannedAction:
    """``a`` without the stakeholder (as who acts, with whom, in an expected change) and with
    ``names`` scrubbed from its text and notes thread (authors too).

    >>> from datetime import date
    >>> from mapping.model.actions import STANCE, Expected
    >>> a = PlannedAction("x", "Ann Clark meets Bo", actor="a", with_whom=("b",),
    ...     expected=(Expected(STANCE, "a", "neutral"), Expected(STANCE, "b", "neutral")),
    ...     notes=(ActionNote(date(2026, 3, 2), "Ann Clark", "Spoke to Ann Clark"),))
    >>> out = erase_from_action(a, "a", ["Ann Clark"])
    >>> out.what, out.actor, [e.person for e in out.expected], out.notes[0].text
    ('[erased] meets Bo', '', ['b'], 'Spoke to [erased]')
    """
    names = list(names)
    subject = a.finding_subject
    if stakeholder_id in re.split(r"[;|~]", subject):
        subject = ""  # the finding named them: it can no longer be recognised
    return replace(
        a,
        what=scrub(a.what, names) or ERASED,
        actor="" if a.actor == stakeholder_id else a.actor,
        colleague=scrub(a.colleague, names),
        with_whom=tuple(p for p in a.with_whom if p != stakeholder_id),
        expected=tuple(e for e in a.expected if stakeholder_id not in (e.person, e.other)),
        finding_subject=subject,
        finding_title=scrub(a.finding_title, names),
        notes=tuple(
            ActionNote(n.on, scrub(n.author, names), scrub(n.text, names)) for n in a.notes
        ),
        outcome=scrub(a.outcome, names),
    )


def _snapshots(store: Store, map_id: int) -> list[tuple[int, str, str, Map]]:
    t = history.snapshots_table
    with store.transaction() as conn:
        rows = conn.execute(
            select(t.c.id, t.c.name, t.c.map_name, t.c.content)
            .where(t.c.map_id == map_id)
            .order_by(t.c.id)
        ).all()
    return [(row.id, row.name, row.map_name, project_json.loads(row.content)) for row in rows]


def people_on_record(store: Store, map_id: int) -> dict[str, str]:
    """Everyone the map or its snapshots hold: id -> latest name (the live map's first).

    People deleted from the map but still in snapshots are listed too, so they can be erased.
    """
    found = {s.id: s.name for s in store.load_map(map_id).stakeholders}
    for _sid, _name, _map_name, m in reversed(_snapshots(store, map_id)):
        for s in m.stakeholders:
            found.setdefault(s.id, s.name)
    return found


def erase_stakeholder(
    store: Store,
    map_id: int,
    stakeholder_id: str,
    *,
    actor: str | None = None,
    expected_version: int | None = None,
) -> Erasure:
    """Erase one person from the map and all its history in one transaction (owners only).

    ``actor`` is the signed-in user (``None`` in single-user mode). With
    ``expected_version``, refuse (``ConflictError``) if the map was saved in between.

    >>> from mapping.storage.reflections import add_reflection, list_reflections
    >>> store = Store("sqlite://")
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann Clark"), Stakeholder("b", "Bo")))
    >>> map_id = store.create_map(m)
    >>> _ = history.take_snapshot(store, map_id, "Before Ann Clark joined")
    >>> _ = add_reflection(store, map_id, "Ann Clark is wavering")
    >>> erase_stakeholder(store, map_id, "a")
    Erasure(map_changed=True, snapshots=1, notes=1, ratings=0, actions=0)
    >>> [s.name for s in store.load_map(map_id).stakeholders]
    ['Bo']
    >>> list_reflections(store, map_id)[0].text
    '[erased] is wavering'
    >>> access.audit_log(store, map_id)[0].summary
    'erasure of 1 stakeholder from map 1'
    """
    access.require(store, map_id, actor, "erase")
    refl = history.reflections_table
    ratings = history.ratings_table
    snaps_table = history.snapshots_table
    with store.transaction() as conn:
        version = store.version(map_id)
        if expected_version is not None and version != expected_version:
            msg = (
                "The map was changed by someone else since you opened it; reload it and try again."
            )
            raise ConflictError(msg)
        live = store.load_map(map_id)
        snaps = _snapshots(store, map_id)
        names = {s.name for s in live.stakeholders if s.id == stakeholder_id}
        for *_, m in snaps:
            names.update(s.name for s in m.stakeholders if s.id == stakeholder_id)
        if not names:
            msg = f"Nobody with id {stakeholder_id!r} is on this map or in its snapshots."
            raise NotFoundError(msg)
        words = sorted(names)
        new_live = erase_from_map(live, stakeholder_id, words)
        map_changed = new_live != live
        if map_changed:
            store.save_map(map_id, new_live, expected_version=version)
        changed_snapshots = 0
        for sid, name, map_name, m in snaps:
            erased = erase_from_map(m, stakeholder_id, words)
            new_name, new_map_name = scrub(name, words), scrub(map_name, words)
            if (erased, new_name, new_map_name) == (m, name, map_name):
                continue
            changed_snapshots += 1
            content = project_json.dumps(erased)
            conn.execute(
                update(snaps_table)
                .where(snaps_table.c.id == sid)
                .values(
                    name=new_name,
                    map_name=new_map_name,
                    content=content,
                    digest=hashlib.sha256(content.encode("utf-8")).hexdigest(),
                    stakeholders=len(erased.stakeholders),
                    relationships=len(erased.relationships),
                    figures=None,
                )
            )
        notes = conn.execute(
            select(refl.c.id, refl.c.text, refl.c.prompt).where(refl.c.map_id == map_id)
        ).all()
        changed_notes = 0
        for n in notes:
            text, prompt = scrub(n.text, words), scrub(n.prompt, words)
            if (text, prompt) != (n.text, n.prompt):
                changed_notes += 1
                conn.execute(update(refl).where(refl.c.id == n.id).values(text=text, prompt=prompt))
        folded = {n.casefold() for n in words}
        rated = conn.execute(
            select(ratings.c.id, ratings.c.rater, ratings.c.subject).where(
                ratings.c.map_id == map_id
            )
        ).all()
        gone = [
            r.id
            for r in rated
            if r.subject == stakeholder_id or r.rater.strip().casefold() in folded
        ]
        if gone:
            conn.execute(delete(ratings).where(ratings.c.id.in_(gone)))
        changed_actions = 0
        for a in list_actions(store, map_id):
            erased_action = erase_from_action(a, stakeholder_id, words)
            if erased_action != a:
                changed_actions += 1
                store_action(store, map_id, erased_action)
        access.record_in(
            conn, actor, "erasure", map_id, f"erasure of 1 stakeholder from map {map_id}"
        )
    return Erasure(map_changed, changed_snapshots, changed_notes, len(gone), changed_actions)
