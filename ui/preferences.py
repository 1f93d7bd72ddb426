"""The app's saved settings, read once per run."""

from __future__ import annotations

from mapping.settings import Settings
from ui import state


def current_settings() -> Settings:
    """Thresholds saved on the Settings page (defaults until someone saves)."""
    return Settings.from_dict(state.store().load_settings())
