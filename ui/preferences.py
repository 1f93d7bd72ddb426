"""Settings as the pages see them: the current map's thresholds, and the user's preferences.

Thresholds belong to a map (:func:`mapping.storage.settings.map_settings`): every page's analysis
reads the current map's, and they are changed only through :func:`ui.state.writes`, which
checks the user may change the map. Whether the welcome was put away belongs to the
signed-in user (the single local user when sign-in is off).
"""

from __future__ import annotations

import streamlit as st

from mapping.model.settings import Settings
from mapping.storage import settings as stored
from ui import auth, state

WELCOME_DISMISSED = "welcome_dismissed"


def current_settings(map_id: int | None = None) -> Settings:
    """The thresholds of ``map_id`` (default: this session's current map); the defaults
    when there is no map or nobody has changed them."""
    chosen = st.session_state.get("map_id") if map_id is None else map_id
    if chosen is None:
        return Settings()
    return stored.map_settings(state.store(), chosen)


def save_settings(cur: state.Current, settings: Settings | None) -> None:
    """Store the current map's thresholds; ``None`` puts them back to their defaults.

    Refuses (``AccessDenied``) a user who may not change the map, by their role now.
    """
    state.writes(cur).save_settings(settings)


def welcome_dismissed() -> bool:
    """Whether this user has put the welcome away (it stays on the Start here page)."""
    return bool(stored.preferences(state.store(), auth.user()).get(WELCOME_DISMISSED, False))


def dismiss_welcome(dismissed: bool = True) -> None:
    """Put the welcome away for this user, or bring it back."""
    stored.save_preference(state.store(), auth.user(), WELCOME_DISMISSED, dismissed or None)
