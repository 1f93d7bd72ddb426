"""The app's saved preferences: thresholds and whether the welcome was dismissed."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from mapping.settings import Settings
from ui import state

WELCOME_DISMISSED = "welcome_dismissed"


def _saved() -> dict[str, Any]:
    return state.store().load_settings()


def _update(**changes: Any) -> None:
    values = _saved()
    for key, value in changes.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    state.store().save_settings(values)


def current_settings() -> Settings:
    """Thresholds saved on the Settings page (defaults until someone saves)."""
    return Settings.from_dict(_saved())


def save_settings(settings: Settings | None) -> None:
    """Store thresholds; ``None`` puts them back to their defaults."""
    names = [f.name for f in fields(Settings)]
    _update(**(settings.to_dict() if settings else dict.fromkeys(names)))


def welcome_dismissed() -> bool:
    """Whether someone has put the welcome away (it stays on the Start here page)."""
    return bool(_saved().get(WELCOME_DISMISSED, False))


def dismiss_welcome(dismissed: bool = True) -> None:
    """Put the welcome away, or bring it back."""
    _update(**{WELCOME_DISMISSED: True if dismissed else None})
