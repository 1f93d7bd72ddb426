"""Sign-in end to end: a local OpenID Connect provider, the app and headless Chromium.

The tests start ``oidc-provider-mock`` on loopback, write a temporary ``secrets.toml`` whose
``[auth]`` section points at it (passed with ``--secrets.files``, so the repository's own
``.streamlit`` folder is never touched), and sign in through the provider's form as Alice or
Bob, each in a browser context of their own (separate cookies).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest

from mapping.storage import access
from mapping.storage.store import Store
from tests.browser import (
    CHROMIUM_ARGS,
    free_port,
    outside_requests,
    require_chromium,
    running_app,
    wait_idle,
)
from tests.conftest import make_small_map

pytestmark = pytest.mark.browser

ALICE, BOB = "alice@example.org", "bob@example.org"
ALICES_MAP = "Alice's discharge programme"
# The mock provider's own login form styles itself from a CDN; the app must make no such call.
PROVIDER_CSS = "cdn.jsdelivr.net"


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    oidc_provider_mock = pytest.importorskip(
        "oidc_provider_mock", reason="pip install -r requirements-dev.txt"
    )
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@contextmanager
def app_with_sign_in(tmp_path, issuer: str, timeout: float = 60) -> Iterator[tuple[str, str]]:
    """``streamlit run app.py`` with ``[auth]`` pointing at the provider; yields (base, db url)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "{base}/oauth2callback"\n'
        'cookie_secret = "a-cookie-secret-only-for-these-tests-0123456789"\n'
        'client_id = "coalition-mapper"\n'
        'client_secret = "a-client-secret-only-for-these-tests"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    db_url = f"sqlite:///{tmp_path / 'auth.db'}"
    options = ["--secrets.files", str(secrets)]
    with running_app(db_url, timeout, port=port, options=options) as running:
        yield running, db_url


@pytest.fixture(scope="module")
def app(tmp_path_factory, issuer) -> Iterator[tuple[str, str]]:
    require_chromium()
    with app_with_sign_in(tmp_path_factory.mktemp("auth"), issuer) as running:
        yield running


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def person(browser, base: str, issuer: str, email: str) -> Iterator[tuple[object, list[str]]]:
    """A fresh browser context (no cookies) signed in as ``email`` through the provider."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.route(
        "**/*",
        lambda route: route.abort() if PROVIDER_CSS in route.request.url else route.continue_(),
    )
    try:
        page.goto(base)
        wait_idle(page)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{issuer}/**", timeout=30_000)
        page.fill("input[name=sub]", email)
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(f"{base}/**", timeout=30_000)
        page.get_by_text("Signed in as").wait_for(timeout=30_000)
        wait_idle(page)
        yield page, requests
    finally:
        context.close()


def sidebar(page) -> str:
    """The sidebar's text as read, without the invisible word joiners that keep an e-mail
    address from becoming a link."""
    return page.locator("[data-testid='stSidebar']").inner_text().replace("\u2060", "")


def test_a_visitor_who_has_not_signed_in_sees_only_the_sign_in_page(app, browser):
    base, db_url = app
    store = Store(db_url)
    access.create_map(store, replace(make_small_map(), name=ALICES_MAP), ALICE)
    store.close()
    page = browser.new_page()
    for path in ("", "stakeholders", "gaps", "import-export"):
        page.goto(f"{base}/{path}")
        wait_idle(page)
        assert page.get_by_role("button", name="Sign in").count() == 1
        body = page.locator("body").inner_text()
        assert ALICES_MAP not in body
        assert "Current map" not in body
    page.close()


def test_bob_cannot_see_alices_map_until_she_shares_it_and_then_only_reads_it(
    tmp_path, issuer, browser
):
    require_chromium()
    with app_with_sign_in(tmp_path, issuer) as (base, db_url):
        with person(browser, base, issuer, ALICE) as (alice, alice_requests):
            assert "Signed in as alice@example.org" in sidebar(alice)
            alice.get_by_text("New map", exact=True).click()
            alice.get_by_label("Name of the new map").fill(ALICES_MAP)
            alice.get_by_label("Name of the new map").press("Enter")  # submits the form
            alice.get_by_role("heading", name=ALICES_MAP).wait_for(timeout=30_000)
            wait_idle(alice)
            store = Store(db_url)
            [info] = store.list_maps()
            assert access.members(store, info.id) == [access.Member(ALICE, access.OWNER)]
            assert [u for u in outside_requests(alice_requests) if PROVIDER_CSS not in u] == []

        with person(browser, base, issuer, BOB) as (bob, _):
            assert "Signed in as bob@example.org" in sidebar(bob)
            assert "There are no maps yet" in sidebar(bob)
            for path in ("", "stakeholders", "history", "import-export"):
                bob.goto(f"{base}/{path}")
                wait_idle(bob)
                assert ALICES_MAP not in bob.locator("body").inner_text(), path
            assert access.maps_visible_to(store, BOB) == []

        with person(browser, base, issuer, ALICE) as (alice, _):
            alice.get_by_text("Share this map").click()
            alice.get_by_label("Colleague's email").fill(BOB)
            alice.get_by_label("Colleague's email").press("Enter")  # submits the form
            wait_idle(alice)
            alice.get_by_text("as viewer.").wait_for(timeout=30_000)  # the toast
        assert access.role_of(store, info.id, BOB) == access.VIEWER
        store.save_map(info.id, replace(make_small_map(), name=ALICES_MAP))

        with person(browser, base, issuer, BOB) as (bob, _):
            bob.get_by_role("heading", name=ALICES_MAP).wait_for(timeout=30_000)
            assert "shared it with you as a viewer" in sidebar(bob)
            bob.goto(f"{base}/stakeholders")
            wait_idle(bob)
            body = bob.locator("body").inner_text()
            assert "6 stakeholders, 3 in the coalition." in body
            assert "Add a stakeholder" not in body
            assert "Erase a person everywhere" not in body
            assert "Share this map" not in sidebar(bob)
            assert "Rename" not in sidebar(bob)
            bob.goto(f"{base}/history")
            wait_idle(bob)
            assert bob.get_by_role("button", name="Take a snapshot").count() == 0
        store.close()


def test_signing_out_ends_the_session_at_the_provider_and_returns_to_sign_in(app, issuer, browser):
    base, _ = app
    with person(browser, base, issuer, BOB) as (bob, _):
        bob.get_by_role("button", name="Sign out").click()
        # Streamlit sends the browser to the provider's end-session endpoint (RP logout)
        bob.wait_for_url(f"{issuer}/oauth2/end_session**", timeout=30_000)
        bob.get_by_role("button", name="End session").click()
        bob.wait_for_url(f"{base}/**", timeout=30_000)
        wait_idle(bob)
        bob.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
        assert "Signed in as" not in bob.locator("body").inner_text()


def test_without_sign_in_the_app_says_it_is_single_user(tmp_path, browser):
    require_chromium()
    with running_app(f"sqlite:///{tmp_path / 'single.db'}") as base:
        page = browser.new_page()
        page.goto(base)
        wait_idle(page)
        assert "Single-user mode: only this computer can open the app." in sidebar(page)
        assert page.get_by_role("button", name="Sign in").count() == 0
        page.close()
