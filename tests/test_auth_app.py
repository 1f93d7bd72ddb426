"""Sign-in and access in the app without a browser (AppTest with a seeded ``st.user``)."""

from __future__ import annotations

import streamlit as st
from streamlit.proto.Dataframe_pb2 import Dataframe as DataframeProto
from streamlit.testing.v1 import AppTest

from mapping.demo.sample import load_sample
from mapping.storage import access, erasure, history, reflections
from tests.conftest import ROOT, make_small_map

ALICE, BOB = "alice@example.org", "bob@example.org"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-secret-of-enough-length",
    "client_id": "coalition-mapper",
    "client_secret": "not-a-secret",
    "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
}


def run(user: dict | None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if user is not None:
        at.secrets["auth"] = AUTH
        at.user = user
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def signed_in(email: str, page: str | None = None) -> AppTest:
    return run({"is_logged_in": True, "email": email, "name": email.split("@")[0]}, page)


def texts(at: AppTest) -> str:
    parts = [m.value for m in (*at.markdown, *at.caption, *at.info, *at.sidebar.caption)]
    return "\n".join(str(p) for p in parts)


def map_choices(at: AppTest) -> list[str]:
    """The names of the maps in the sidebar's picker."""
    if not at.sidebar.selectbox:
        return []
    return [option.rsplit(" (", 1)[0] for option in at.sidebar.selectbox[0].options]


def test_without_auth_the_app_says_it_is_single_user_and_holds_every_map(db_url):
    at = run(None)
    assert "Single-user mode: only this computer can open the app." in texts(at)
    assert not [b for b in at.sidebar.button if b.label == "Sign out"]
    # the first-run sample is there, as before sign-in existed
    assert len(map_choices(at)) == 1


def test_signed_out_users_see_only_the_sign_in_page(db_url, app_store):
    access.create_map(app_store, make_small_map(), ALICE)
    at = run({"is_logged_in": False})
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.sidebar.selectbox
    assert "Small test map" not in texts(at)


def editing_modes(at: AppTest) -> list[int]:
    """How each table on the page can be edited (read-only for ``st.dataframe``)."""
    return [table.proto.editing_mode for table in at.dataframe]


def test_a_signed_in_user_sees_only_their_maps(db_url, app_store):
    access.create_map(app_store, make_small_map(), ALICE)
    at = signed_in(BOB)
    assert map_choices(at) == []
    shown = texts(at).replace("\\", "").replace("\u2060", "")  # without Markdown escapes
    assert "Signed in as" in shown and "bob@example.org" in shown
    at = signed_in(ALICE)
    assert map_choices(at) == ["Small test map"]


def test_a_fresh_database_gets_no_unowned_sample_when_sign_in_is_on(db_url, app_store):
    signed_in(ALICE)
    assert app_store.list_maps() == []


def test_a_map_created_from_the_sidebar_belongs_to_its_creator(db_url, app_store):
    at = signed_in(ALICE)
    [button] = [b for b in at.sidebar.button if b.label == "Load the sample map"]
    button.click().run()
    assert not at.exception, at.exception
    [info] = app_store.list_maps()
    assert info.name == load_sample().name
    assert access.members(app_store, info.id) == [access.Member(ALICE, access.OWNER)]
    assert map_choices(signed_in(BOB)) == []


def test_a_viewer_gets_read_only_pages(db_url, app_store):
    alices = access.create_map(app_store, make_small_map(), ALICE)
    access.share(app_store, alices, ALICE, BOB, access.VIEWER)
    at = signed_in(BOB, "ui/pages/stakeholders.py")
    assert map_choices(at) == ["Small test map"]
    assert any("not change it" in i.value for i in at.sidebar.info)
    assert not [e for e in at.expander if e.label == "Add a stakeholder"]
    assert not [e for e in at.expander if e.label == "Erase a person everywhere"]
    assert editing_modes(at) == [DataframeProto.EditingMode.READ_ONLY]
    assert not [e for e in at.sidebar.expander if e.label.startswith("Share this map")]
    assert not [e for e in at.sidebar.expander if "delete" in e.label.lower()]
    at = signed_in(BOB, "ui/pages/relationships.py")
    assert not [e for e in at.expander if e.label == "Add a relationship"]
    at = signed_in(BOB, "ui/pages/settings.py")
    assert not [f for f in at.text_input if f.label == "Name"]


def test_a_viewer_cannot_add_notes_or_snapshots(db_url, app_store):
    alices = access.create_map(app_store, make_small_map(), ALICE)
    access.share(app_store, alices, ALICE, BOB, access.VIEWER)
    history.take_snapshot(app_store, alices, "Start")
    reflections.add_reflection(app_store, alices, "A note Bob may read")
    at = signed_in(BOB, "ui/pages/history.py")
    assert not [b for b in at.button if b.label.startswith(("Restore", "Delete"))]
    assert not [f for f in at.text_input if f.label == "Snapshot name"]
    at = signed_in(BOB, "ui/pages/reflect.py")
    at.segmented_control[0].set_value("Reflection log").run()
    assert "A note Bob may read" in texts(at)
    assert not [f for f in at.text_area if f.label == "Note"]
    assert not [b for b in at.button if b.label == "Delete note"]


def test_an_editor_can_edit_but_not_share_or_erase(db_url, app_store):
    alices = access.create_map(app_store, make_small_map(), ALICE)
    access.share(app_store, alices, ALICE, BOB, access.EDITOR)
    at = signed_in(BOB, "ui/pages/stakeholders.py")
    assert [e for e in at.expander if e.label == "Add a stakeholder"]
    assert editing_modes(at) == [DataframeProto.EditingMode.DYNAMIC]
    assert not [e for e in at.expander if e.label == "Erase a person everywhere"]
    assert not [e for e in at.sidebar.expander if e.label.startswith("Share this map")]
    assert not [b for b in at.sidebar.button if b.label == "Delete this map…"]


def test_the_owner_shares_from_the_sidebar(db_url, app_store):
    alices = access.create_map(app_store, make_small_map(), ALICE)
    at = signed_in(ALICE)
    [field] = [f for f in at.sidebar.text_input if f.label == "Colleague's email"]
    field.input("Bob@Example.org")
    [share] = [b for b in at.sidebar.button if b.label == "Share"]
    share.click().run()
    assert not at.exception, at.exception
    assert access.role_of(app_store, alices, BOB) == access.VIEWER
    assert map_choices(signed_in(BOB)) == ["Small test map"]


def test_the_owner_erases_a_person_everywhere_from_the_stakeholders_page(db_url, app_store):
    alices = access.create_map(app_store, make_small_map(), ALICE)
    history.take_snapshot(app_store, alices, "Start")
    at = signed_in(ALICE, "ui/pages/stakeholders.py")
    at.session_state["erase-open"] = True  # the section, opened
    at.run()
    [who] = [s for s in at.selectbox if s.label == "Person to erase"]
    who.set_value("cat").run()
    [ask] = [b for b in at.button if b.label == "Erase everywhere…"]
    ask.click().run()
    [yes] = [b for b in at.button if b.label == "Yes, erase everywhere"]
    yes.click().run()
    assert not at.exception, at.exception
    assert "cat" not in {s.id for s in app_store.load_map(alices).stakeholders}
    assert "cat" not in erasure.people_on_record(app_store, alices)
    assert (
        access.audit_log(app_store, alices)[0].summary
        == f"erasure of 1 stakeholder from map {alices}"
    )


def test_a_deleted_map_is_offered_back_only_to_its_owner(db_url, app_store):
    alices = access.create_map(app_store, make_small_map(), ALICE)
    access.share(app_store, alices, ALICE, BOB, access.EDITOR)
    access.delete_map(app_store, alices, ALICE)
    bob = signed_in(BOB)
    assert not [e for e in bob.sidebar.expander if e.label.startswith("Deleted maps")]
    alice = signed_in(ALICE)
    assert [e for e in alice.sidebar.expander if e.label.startswith("Deleted maps (1)")]


def test_a_sign_in_older_than_the_session_limit_is_asked_again(db_url, app_store):
    import time

    access.create_map(app_store, make_small_map(), ALICE)
    fresh = signed_in_at(time.time() - 3600)
    assert map_choices(fresh) == ["Small test map"]
    stale = signed_in_at(time.time() - 13 * 3600)  # SESSION_HOURS is 12
    assert stale.user.get("is_logged_in") is False  # st.logout() was called
    assert map_choices(stale) == []


def signed_in_at(issued: float) -> AppTest:
    return run({"is_logged_in": True, "email": ALICE, "iat": int(issued)})


def test_without_an_email_claim_the_user_principal_name_is_used(db_url, app_store):
    access.create_map(app_store, make_small_map(), ALICE)
    at = run({"is_logged_in": True, "preferred_username": "Alice@Example.org"})
    assert map_choices(at) == ["Small test map"]


def test_an_account_without_any_address_is_told_why_it_cannot_go_on(db_url):
    at = run({"is_logged_in": True, "name": "Service account"})
    assert any("did not give an email address" in e.value for e in at.error)
    assert not at.sidebar.selectbox


def test_sign_in_is_set_up_as_soon_as_a_secrets_file_holds_it(tmp_path):
    from streamlit import config
    from streamlit.runtime.secrets import Secrets

    from ui import auth

    path = tmp_path / "secrets.toml"
    files = config.get_option("secrets.files")
    secrets = st.secrets
    config.set_option("secrets.files", [str(path)])
    st.secrets = Secrets()  # a fresh one, as a server starting on these files holds
    try:
        assert auth.configured() is False
        assert auth.configured() is False  # asked again: kept
        path.write_text('[auth]\nclient_id = "coalition-mapper"\n', encoding="utf-8")
        assert auth.configured() is True
    finally:
        config.set_option("secrets.files", files)
        st.secrets = secrets
