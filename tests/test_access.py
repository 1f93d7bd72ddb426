"""Who may see and change each map: owners, editors, viewers, single-user mode, the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from mapping.errors import NotFoundError, ValidationError
from mapping.model import Map
from mapping.storage import access, history
from mapping.storage.access import EDITOR, OWNER, VIEWER, AccessDenied, Member, can
from mapping.storage.store import Store

ALICE, BOB, CAROL = "alice@example.org", "bob@example.org", "carol@example.org"


@pytest.fixture
def alices(store, small_map):
    return access.create_map(store, small_map, ALICE)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (VIEWER, {"view"}),
        (EDITOR, {"view", "edit"}),
        (OWNER, {"view", "edit", "share", "delete", "erase"}),
        (None, set()),
        ("admin", set()),
    ],
)
def test_can_is_a_table_of_roles_and_actions(role, allowed):
    actions = ["view", "edit", "share", "delete", "erase"]
    assert {a for a in actions if can(role, a)} == allowed


def test_can_refuses_an_unknown_action():
    with pytest.raises(ValueError, match="Unknown action 'publish'"):
        can(OWNER, "publish")


def test_the_creator_owns_the_map_and_nobody_else_sees_it(store, alices):
    assert access.role_of(store, alices, ALICE) == OWNER
    assert access.role_of(store, alices, BOB) is None
    assert [i.id for i in access.maps_visible_to(store, ALICE)] == [alices]
    assert access.maps_visible_to(store, BOB) == []
    assert access.members(store, alices) == [Member(ALICE, OWNER)]


def test_email_case_and_spaces_do_not_matter(store, alices):
    assert access.role_of(store, alices, "  ALICE@Example.org ") == OWNER


def test_sharing_as_viewer_lets_bob_see_but_not_change(store, alices):
    access.share(store, alices, ALICE, "Bob@Example.org", VIEWER)
    assert access.role_of(store, alices, BOB) == VIEWER
    assert [i.id for i in access.maps_visible_to(store, BOB)] == [alices]
    assert access.require(store, alices, BOB, "view") == VIEWER
    with pytest.raises(AccessDenied, match="view this map but not change it"):
        access.require(store, alices, BOB, "edit")


def test_an_editor_can_change_but_not_share_delete_or_erase(store, alices):
    access.share(store, alices, ALICE, BOB, EDITOR)
    assert access.require(store, alices, BOB, "edit") == EDITOR
    for action in ("share", "delete", "erase"):
        with pytest.raises(AccessDenied, match=f"Only the map's owner can {action} it"):
            access.require(store, alices, BOB, action)
    with pytest.raises(AccessDenied):
        access.share(store, alices, BOB, CAROL, VIEWER)
    assert access.role_of(store, alices, CAROL) is None


def test_sharing_again_changes_the_role_and_unsharing_takes_access_away(store, alices):
    access.share(store, alices, ALICE, BOB, VIEWER)
    access.share(store, alices, ALICE, BOB, EDITOR)
    access.share(store, alices, ALICE, CAROL, VIEWER)
    assert access.members(store, alices) == [
        Member(ALICE, OWNER),
        Member(BOB, EDITOR),
        Member(CAROL, VIEWER),
    ]
    access.unshare(store, alices, ALICE, BOB)
    assert access.role_of(store, alices, BOB) is None
    assert access.maps_visible_to(store, BOB) == []


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        (BOB, OWNER, "shared as viewer or editor, not 'owner'"),
        ("bob", VIEWER, "'bob' is not an email address"),
        (ALICE, VIEWER, "owns this map already"),
    ],
)
def test_sharing_refuses_bad_roles_addresses_and_the_owner(store, alices, email, role, message):
    with pytest.raises(ValidationError, match=message):
        access.share(store, alices, ALICE, email, role)


def test_the_owner_cannot_be_unshared_and_strangers_are_not_found(store, alices):
    with pytest.raises(ValidationError, match="owner's access cannot be taken away"):
        access.unshare(store, alices, ALICE, ALICE)
    with pytest.raises(NotFoundError, match="has no access"):
        access.unshare(store, alices, ALICE, CAROL)


def test_single_user_mode_holds_every_map_as_owner(store, small_map):
    first = store.create_map(small_map)
    second = access.create_map(store, Map(name="Second"), None)
    assert access.role_of(store, first, None) == OWNER
    assert {i.id for i in access.maps_visible_to(store, None)} == {first, second}
    assert access.members(store, second) == []
    assert access.role_of(store, 999, None) is None


def test_a_map_nobody_holds_can_be_claimed_once(store, small_map):
    orphan = store.create_map(small_map)
    assert access.maps_visible_to(store, ALICE) == []
    access.claim(store, orphan, ALICE)
    assert access.role_of(store, orphan, ALICE) == OWNER
    with pytest.raises(AccessDenied, match="already belongs to someone"):
        access.claim(store, orphan, BOB)
    assert access.role_of(store, orphan, BOB) is None


def test_a_duplicate_belongs_to_whoever_made_it(store, alices):
    access.share(store, alices, ALICE, BOB, EDITOR)
    copy = access.duplicate_map(store, alices, BOB)
    assert access.members(store, copy) == [Member(BOB, OWNER)]
    access.share(store, alices, ALICE, CAROL, VIEWER)
    with pytest.raises(AccessDenied):
        access.duplicate_map(store, alices, CAROL)


def test_a_deleted_map_is_seen_and_restored_only_by_its_owner(store, alices):
    access.share(store, alices, ALICE, BOB, EDITOR)
    with pytest.raises(AccessDenied):
        access.delete_map(store, alices, BOB)
    sid = access.delete_map(store, alices, ALICE)
    assert access.maps_visible_to(store, ALICE) == []
    assert [s.id for s in access.deleted_maps_visible_to(store, ALICE)] == [sid]
    assert access.deleted_maps_visible_to(store, BOB) == []
    with pytest.raises(AccessDenied, match="Only the owner of a deleted map"):
        access.restore_deleted_map(store, sid, BOB)
    back = access.restore_deleted_map(store, sid, ALICE)
    # the access list came back with the map
    assert access.role_of(store, back, ALICE) == OWNER
    assert access.role_of(store, back, BOB) == EDITOR


def test_forgetting_a_deleted_map_forgets_its_access_list(store, alices):
    sid = access.delete_map(store, alices, ALICE)
    access.purge_deleted_map(store, sid, ALICE)
    assert access.deleted_maps_visible_to(store, ALICE) == []
    assert history.deleted_maps(store) == []
    with store.engine.begin() as conn:
        rows = conn.execute(access.map_access_table.select()).all()
    assert rows == []


def test_a_new_map_reusing_a_deleted_id_is_not_shared_with_the_old_people(store, alices):
    access.share(store, alices, ALICE, BOB, VIEWER)
    store.delete_map(alices)  # deleted outside the app: the access rows go with the map
    reused = store.create_map(Map(name="Someone else's"))
    assert access.role_of(store, reused, BOB) is None
    assert access.role_of(store, reused, ALICE) is None


def test_the_audit_trail_records_who_did_what_newest_first(store, alices):
    access.share(store, alices, ALICE, BOB, VIEWER)
    access.unshare(store, alices, ALICE, BOB)
    log = access.audit_log(store, alices)
    assert [(e.actor, e.action) for e in log] == [
        (ALICE, "unshare"),
        (ALICE, "share"),
        (ALICE, "create"),
    ]
    assert log[1].summary == f"shared map {alices} with {BOB} as viewer"
    assert all(e.at.tzinfo is not None for e in log)
    access.record(store, None, "export", alices, "exported the map")
    assert access.audit_log(store)[0].actor == "single user"


def test_the_migrations_make_the_access_and_audit_tables(store):
    names = set(inspect(store.engine).get_table_names())
    assert {"map_access", "audit"} <= names
    columns = {c["name"] for c in inspect(store.engine).get_columns("audit")}
    assert columns == {"id", "at", "actor", "action", "map_id", "summary"}


def test_migration_0002_adds_and_removes_the_tables_on_a_baseline_database(tmp_path):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    from mapping.storage import migrations

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    migrations.upgrade(engine, migrations.BASELINE)
    assert not {"map_access", "audit"} & set(inspect(engine).get_table_names())
    Store(url).close()  # opening the store upgrades it
    assert {"map_access", "audit"} <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), migrations.declared_metadata())
    mine = [d for d in diff if "map_access" in repr(d) or "'audit'" in repr(d)]
    assert mine == []
    with engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), migrations.BASELINE)
    assert not {"map_access", "audit"} & set(inspect(engine).get_table_names())
    engine.dispose()
