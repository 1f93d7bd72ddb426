"""Helpers for the AppTest checks of the app's pages (the browser ones are in browser.py)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

__all__ = ["button", "ok", "open_about", "open_cards", "open_sidebar"]


def ok(at: AppTest) -> None:
    """The run raised nothing and showed no error message."""
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def button(at: AppTest, label: str, *, sidebar: bool = False):
    """The first button labelled ``label`` (in the sidebar with ``sidebar``)."""
    found = [b for b in (at.sidebar.button if sidebar else at.button) if b.label == label]
    assert found, f"no button {label!r}: {[b.label for b in at.button]}"
    return found[0]


def open_cards(at: AppTest, page: str = "gaps") -> AppTest:
    """Open every finding card on ``page`` (a card's contents run only while it is open)."""
    return _open_sections(at, f"{page}-card-", "no finding cards on the page")


def open_about(at: AppTest) -> AppTest:
    """Open every "How this is worked out" section drawn (sent only while open, ui/about.py)."""
    return _open_sections(at, "about-", "no method section on the page")


def open_sidebar(at: AppTest) -> AppTest:
    """Open the sidebar's "New map" and rename/duplicate/delete sections (sent only while
    open, ui/sidebar.py)."""
    return _open_sections(at, ("new-map-open", "manage-map-open"), "no map sections in the sidebar")


def _open_sections(at: AppTest, prefix: str | tuple[str, ...], none: str) -> AppTest:
    keys = [k for k in at.session_state.keys() if str(k).startswith(prefix)]  # noqa: SIM118
    assert keys, none
    for k in keys:
        at.session_state[k] = True
    at.run()
    ok(at)
    return at
