"""The app's pages: their url paths, titles and icons, and the sidebar's sections.

Running a page is :func:`ui.runner.run`; the error boundary is :mod:`ui.boundary`.
"""

from __future__ import annotations

import streamlit as st

# url path -> (page script, title, icon)
PAGES: dict[str, tuple[str, str, str]] = {
    "start": ("ui/pages/start.py", "Start here", ":material/waving_hand:"),
    "map": ("ui/pages/map_view.py", "Map", ":material/hub:"),
    "stakeholders": ("ui/pages/stakeholders.py", "Stakeholders", ":material/groups:"),
    "relationships": ("ui/pages/relationships.py", "Relationships", ":material/share:"),
    "gaps": ("ui/pages/gaps.py", "Coalition gaps", ":material/troubleshoot:"),
    "invest": ("ui/pages/invest.py", "Relationships to invest in", ":material/handshake:"),
    "plan": ("ui/pages/plan.py", "Engagement plan", ":material/checklist:"),
    "what-if": ("ui/pages/what_if.py", "What if", ":material/alt_route:"),
    "my-network": ("ui/pages/my_network.py", "My network", ":material/person_pin:"),
    "reflect": ("ui/pages/reflect.py", "Reflect", ":material/self_improvement:"),
    "history": ("ui/pages/history.py", "History", ":material/history:"),
    "review": ("ui/pages/review.py", "Needs review", ":material/event_upcoming:"),
    "views": ("ui/pages/views.py", "Several views", ":material/diversity_3:"),
    "import-export": ("ui/pages/import_export.py", "Import & export", ":material/swap_vert:"),
    "settings": ("ui/pages/settings.py", "Settings", ":material/tune:"),
    "backup": ("ui/pages/backup.py", "Backup of everything", ":material/backup:"),
    "methods": ("ui/pages/methods.py", "Methods", ":material/menu_book:"),
}


# Sidebar sections, in order, and the pages each holds.
SECTIONS: dict[str, tuple[str, ...]] = {
    "Build the map": ("start", "map", "stakeholders", "relationships"),
    "Find the gaps": ("gaps", "invest", "plan", "what-if", "my-network"),
    "Over time": ("reflect", "history", "review", "views"),
    "Share and set up": ("import-export", "settings", "backup", "methods"),
}


def navigation() -> dict[str, list[st.Page]]:
    """Every page, in its sidebar section: made once per session (each ``st.Page`` looks
    its script up on disk), as one session runs one page at a time."""
    kept = st.session_state.get(_NAVIGATION)
    if kept is None:
        kept = {title: [page(path) for path in paths] for title, paths in SECTIONS.items()}
        st.session_state[_NAVIGATION] = kept
    return kept


_NAVIGATION = "navigation-pages"


def page(path: str) -> st.Page:
    """The ``st.Page`` for a url path of :data:`PAGES`."""
    script, title, icon = PAGES[path]
    return st.Page(script, title=title, icon=icon, url_path=path, default=path == "map")


def show_on_map(title: str, stakeholders: list[str], ties: list[list[str]]) -> None:
    """Highlight people and ties on the map page and go there."""
    st.session_state["highlight"] = {"title": title, "stakeholders": stakeholders, "ties": ties}
    st.switch_page(page("map"))
