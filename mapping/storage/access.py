"""Access: who may see and change each map (owner, editor, viewer).

Every map has an owner (whoever created it) and can be shared with named colleagues as a
viewer (reads and exports) or an editor (also changes it). :func:`role_of` is the single
place access is decided; :func:`can` says what a role allows. Without sign-in the app runs in
single-user mode: the user is ``None`` and holds every map as its owner.

Sharing, deleting and restoring a map add a line to the activity log
(:mod:`mapping.storage.activity`, whose names this module still offers): words that never
name a stakeholder, so an erasure is recorded as "erasure of 1 stakeholder from map 3".

Deleting a map keeps its access list beside its history (``deleted_with`` names the last
snapshot, as in :mod:`mapping.storage.history`), so only its owners see it among the deleted maps.
The tables are made by the store's migration ``0002_access``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection

from mapping.errors import MappingError, NotFoundError, ValidationError
from mapping.model import Map
from mapping.storage import history
from mapping.storage.actions import copy_actions
from mapping.storage.activity import AuditEntry, audit_log, audit_table, record, record_in
from mapping.storage.schema import map_access_table
from mapping.storage.settings import copy_map_settings, map_settings_table
from mapping.storage.store import MapInfo, Store, maps_table, unique_name

__all__ = [
    "OWNER",
    "EDITOR",
    "VIEWER",
    "ROLES",
    "SHARE_ROLES",
    "PERMISSIONS",
    "AccessDenied",
    "Member",
    "AuditEntry",
    "map_access_table",
    "audit_table",
    "normalise_email",
    "can",
    "role_of",
    "require",
    "maps_visible_to",
    "members",
    "create_map",
    "new_map_name",
    "claim",
    "share",
    "unshare",
    "duplicate_map",
    "delete_map",
    "deleted_maps_visible_to",
    "restore_deleted_map",
    "purge_deleted_map",
    "record",
    "record_in",
    "audit_log",
]

OWNER, EDITOR, VIEWER = "owner", "editor", "viewer"
ROLES = (OWNER, EDITOR, VIEWER)
#: The roles an owner can give a colleague.
SHARE_ROLES = (VIEWER, EDITOR)
#: What each role may do. "view" covers reading, reports and exports; "edit" every change
#: to the map, its snapshots, notes and raters' views; "share", "delete" and "erase" (a
#: person from the map and all its history) are the owner's.
PERMISSIONS: dict[str, frozenset[str]] = {
    VIEWER: frozenset({"view"}),
    EDITOR: frozenset({"view", "edit"}),
    OWNER: frozenset({"view", "edit", "share", "delete", "erase"}),
}
_ACTIONS = frozenset().union(*PERMISSIONS.values())
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


class AccessDenied(MappingError):
    """The signed-in user may not do this to this map."""


@dataclass(frozen=True)
class Member:
    """One person's access to a map."""

    email: str
    role: str


def _now() -> datetime:
    return datetime.now(UTC)


def normalise_email(email: str) -> str:
    """The address as access is keyed on: trimmed and in one case.

    >>> normalise_email("  Alice.Smith@NHS.net ")
    'alice.smith@nhs.net'
    >>> normalise_email("alice")
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: 'alice' is not an email address; type it as name@organisation.nhs.uk.
    """
    value = str(email).strip().casefold()
    if not _EMAIL.match(value) or len(value) > 320:
        msg = (
            f"{str(email).strip()!r} is not an email address; type it as name@organisation.nhs.uk."
        )
        raise ValidationError(msg)
    return value


def can(role: str | None, action: str) -> bool:
    """Whether ``role`` (``None``: no access at all) allows ``action``.

    >>> can("viewer", "view"), can("viewer", "edit"), can("editor", "edit")
    (True, False, True)
    >>> can("editor", "share"), can("owner", "erase"), can(None, "view")
    (False, True, False)
    """
    if action not in _ACTIONS:
        msg = f"Unknown action {action!r}; use one of {', '.join(sorted(_ACTIONS))}."
        raise ValueError(msg)
    return role is not None and action in PERMISSIONS.get(role, frozenset())


def _map_exists(conn: Connection, map_id: int) -> bool:
    return (
        conn.execute(select(maps_table.c.id).where(maps_table.c.id == map_id)).first() is not None
    )


def role_of(store: Store, map_id: int, email: str | None, *, lock: bool = False) -> str | None:
    """The role ``email`` holds on the map, or ``None``: the one place access is decided.

    ``email=None`` is single-user mode (no sign-in configured): the only user holds every
    existing map as its owner. A map that does not exist gives ``None``. With ``lock``
    (inside a transaction that goes on to write) the access row is locked until it ends, so
    an owner taking the access away waits for the write, or the write sees it gone
    (PostgreSQL; SQLite lets one writer in at a time anyway).

    >>> store = Store("sqlite://")
    >>> map_id = create_map(store, Map(name="Discharge"), "alice@example.org")
    >>> role_of(store, map_id, "Alice@example.org"), role_of(store, map_id, "bob@example.org")
    ('owner', None)
    >>> share(store, map_id, "alice@example.org", "bob@example.org", "viewer")
    >>> role_of(store, map_id, "bob@example.org"), role_of(store, map_id, None)
    ('viewer', 'owner')
    """
    t = map_access_table
    with store.transaction() as conn:
        if email is None:
            return OWNER if _map_exists(conn, map_id) else None
        query = select(t.c.role).where(
            t.c.map_id == map_id, t.c.user_email == normalise_email(email)
        )
        role = conn.execute(query.with_for_update() if lock else query).scalar()
    return role if role in ROLES else None


def require(
    store: Store, map_id: int, email: str | None, action: str, *, lock: bool = False
) -> str:
    """The user's role on the map, read from the database now, or ``AccessDenied`` if it
    does not allow ``action`` (``lock``: see :func:`role_of`)."""
    role = role_of(store, map_id, email, lock=lock)
    if can(role, action) and role is not None:
        return role
    if role is None:
        msg = "You do not have access to this map; ask its owner to share it with you."
    elif action == "edit":
        msg = "You can view this map but not change it; ask its owner to make you an editor."
    else:
        msg = f"Only the map's owner can {action} it; you are one of its {role}s."
    raise AccessDenied(msg)


def maps_visible_to(store: Store, email: str | None) -> list[MapInfo]:
    """The maps the user may open, most recently changed first (every map in single-user mode)."""
    maps = store.list_maps()
    if email is None:
        return maps
    t = map_access_table
    with store.transaction() as conn:
        ids: set[int] = set(
            conn.execute(
                select(t.c.map_id).where(
                    t.c.user_email == normalise_email(email), t.c.map_id.is_not(None)
                )
            ).scalars()
        )
    return [info for info in maps if info.id in ids]


def members(store: Store, map_id: int) -> list[Member]:
    """Everyone with access to the map: owners first, then editors, then viewers, by address."""
    t = map_access_table
    with store.transaction() as conn:
        rows = conn.execute(select(t.c.user_email, t.c.role).where(t.c.map_id == map_id)).all()
    people = [Member(row.user_email, row.role) for row in rows]
    return sorted(people, key=lambda p: (ROLES.index(p.role), p.email))


def _grant(conn: Connection, map_id: int, email: str, role: str) -> None:
    t = map_access_table
    conn.execute(delete(t).where(t.c.map_id == map_id, t.c.user_email == email))
    conn.execute(insert(t).values(map_id=map_id, user_email=email, role=role, granted_at=_now()))


def claim(store: Store, map_id: int, email: str | None) -> None:
    """Make ``email`` the owner of a map nobody holds yet (a map just created or restored).

    Refuses (``AccessDenied``) a map that already has an owner: maps are handed over by
    sharing, never taken. Does nothing in single-user mode.
    """
    if email is None:
        return
    owner = normalise_email(email)
    t = map_access_table
    with store.transaction() as conn:
        if not _map_exists(conn, map_id):
            msg = f"There is no map with id {map_id}; it may have been deleted."
            raise NotFoundError(msg)
        held = conn.execute(select(t.c.id).where(t.c.map_id == map_id).limit(1)).first()
        if held is not None:
            msg = "This map already belongs to someone; ask its owner to share it with you."
            raise AccessDenied(msg)
        _grant(conn, map_id, owner, OWNER)
        record_in(conn, owner, "create", map_id, f"created map {map_id}")


def new_map_name(store: Store, name: str, email: str | None) -> str:
    """The name a new map called ``name`` gets: numbered if one of the user's maps has it
    already ("My coalition 2"), "My coalition" if blank (see :func:`mapping.storage.store.unique_name`).

    >>> store = Store("sqlite://")
    >>> _ = create_map(store, Map(name="My coalition"), None)
    >>> new_map_name(store, "My coalition", None), new_map_name(store, "", "bob@example.org")
    ('My coalition 2', 'My coalition')
    """
    return unique_name(name, (info.name for info in maps_visible_to(store, email)))


def create_map(store: Store, m: Map, email: str | None) -> int:
    """Store a new map owned by ``email`` and return its id; a name one of the user's maps
    has already is numbered (:func:`new_map_name`)."""
    with store.transaction():
        named = dataclasses.replace(m, name=new_map_name(store, m.name, email))
        map_id = store.create_map(named)
        claim(store, map_id, email)
    return map_id


def duplicate_map(store: Store, map_id: int, email: str | None) -> int:
    """Copy a map the user can edit as "Copy of …" (numbered if taken); the copy is the
    user's own."""
    with store.transaction() as conn:
        require(store, map_id, email, "edit", lock=True)
        name = new_map_name(store, f"Copy of {store.load_map(map_id).name}"[:300], email)
        new_id = store.duplicate_map(map_id, name)
        copy_map_settings(conn, map_id, new_id)
        copy_actions(conn, map_id, new_id)
        claim(store, new_id, email)
    return new_id


def share(store: Store, map_id: int, by: str | None, email: str, role: str) -> None:
    """Let ``email`` view or edit the map; only an owner (``by``) can share it."""
    require(store, map_id, by, "share")
    if role not in SHARE_ROLES:
        msg = f"A map is shared as {' or '.join(SHARE_ROLES)}, not {role!r}."
        raise ValidationError(msg)
    colleague = normalise_email(email)
    if role_of(store, map_id, colleague) == OWNER:
        msg = f"{colleague} owns this map already."
        raise ValidationError(msg)
    with store.transaction() as conn:
        _grant(conn, map_id, colleague, role)
        record_in(conn, by, "share", map_id, f"shared map {map_id} with {colleague} as {role}")


def unshare(store: Store, map_id: int, by: str | None, email: str) -> None:
    """Take a colleague's access away; an owner's access cannot be taken."""
    require(store, map_id, by, "share")
    colleague = normalise_email(email)
    role = role_of(store, map_id, colleague)
    if role is None:
        msg = f"{colleague} has no access to this map."
        raise NotFoundError(msg)
    if role == OWNER:
        msg = f"{colleague} owns this map; an owner's access cannot be taken away."
        raise ValidationError(msg)
    t = map_access_table
    with store.transaction() as conn:
        conn.execute(delete(t).where(t.c.map_id == map_id, t.c.user_email == colleague))
        record_in(conn, by, "unshare", map_id, f"stopped sharing map {map_id} with {colleague}")


def delete_map(store: Store, map_id: int, email: str | None) -> int:
    """Delete a map (owners only), keeping its history and access list; return the snapshot id."""
    t, s = map_access_table, map_settings_table
    with store.transaction() as conn:
        require(store, map_id, email, "delete", lock=True)
        kept = conn.execute(select(t.c.user_email, t.c.role).where(t.c.map_id == map_id)).all()
        # the map's settings wait beside its history, as its access list does
        tuned = conn.execute(select(s.c.id).where(s.c.map_id == map_id)).scalar()
        conn.execute(update(s).where(s.c.map_id == map_id).values(map_id=None))
        sid = history.delete_map_keeping_history(store, map_id)
        conn.execute(update(s).where(s.c.id == tuned).values(deleted_with=sid))
        conn.execute(delete(t).where(t.c.map_id == map_id))
        for row in kept:
            conn.execute(
                insert(t).values(
                    map_id=None,
                    deleted_with=sid,
                    user_email=row.user_email,
                    role=row.role,
                    granted_at=_now(),
                )
            )
        record_in(conn, email, "delete", map_id, f"deleted map {map_id}")
    return sid


def _owns_deleted(store: Store, snapshot_id: int, email: str | None) -> bool:
    if email is None:
        return True
    t = map_access_table
    with store.transaction() as conn:
        role = conn.execute(
            select(t.c.role).where(
                t.c.deleted_with == snapshot_id, t.c.user_email == normalise_email(email)
            )
        ).scalar()
    return role == OWNER


def deleted_maps_visible_to(store: Store, email: str | None) -> list[history.Snapshot]:
    """The deleted maps the user owned (every one in single-user mode), newest first."""
    return [s for s in history.deleted_maps(store) if _owns_deleted(store, s.id, email)]


def _deleted(store: Store, snapshot_id: int, email: str | None) -> None:
    if not _owns_deleted(store, snapshot_id, email):
        msg = "Only the owner of a deleted map can bring it back or forget it."
        raise AccessDenied(msg)


def restore_deleted_map(store: Store, snapshot_id: int, email: str | None) -> int:
    """Bring back a deleted map the user owned, with its history and access list."""
    _deleted(store, snapshot_id, email)
    t = map_access_table
    with store.transaction() as conn:
        new_id = history.restore_deleted_map(store, snapshot_id)
        for table in (t, map_settings_table):
            conn.execute(
                update(table)
                .where(table.c.deleted_with == snapshot_id)
                .values(map_id=new_id, deleted_with=None)
            )
        record_in(conn, email, "restore", new_id, f"restored a deleted map as map {new_id}")
    return new_id


def purge_deleted_map(store: Store, snapshot_id: int, email: str | None) -> None:
    """Forget a deleted map the user owned, with its history and access list, for good."""
    _deleted(store, snapshot_id, email)
    t = map_access_table
    with store.transaction() as conn:
        history.purge_deleted_map(store, snapshot_id)
        for table in (t, map_settings_table):
            conn.execute(delete(table).where(table.c.deleted_with == snapshot_id))
        record_in(conn, email, "purge", None, "forgot a deleted map and its history for good")
