"""The thresholds that shape the findings, declared as data with their labels and help.

Each map has its own (stored by :mod:`mapping.storage.settings`); a map nobody has tuned uses
the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from mapping.errors import ValidationError

__all__ = ["SETTING_HELP", "SETTING_LABELS", "Settings"]


@dataclass(frozen=True)
class Settings:
    """Thresholds that shape the findings; every field is documented in ``SETTING_HELP``.

    >>> Settings().stale_months
    12
    """

    stale_months: int = 12
    high_influence: int = 4
    strong_tie: int = 3
    high_interest: int = 4
    recruit_top: int = 5

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                msg = (
                    f"Setting '{SETTING_LABELS[f.name]}' must be a whole number of at least 1, "
                    f"got {value!r}."
                )
                raise ValidationError(msg)
        for name in ("high_influence", "strong_tie", "high_interest"):
            if getattr(self, name) > 5:
                msg = f"Setting '{SETTING_LABELS[name]}' is on the 1-5 scale; choose 1 to 5."
                raise ValidationError(msg)

    def to_dict(self) -> dict[str, int]:
        """Plain values, for storing."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Settings:
        """Settings from stored values; unknown names are ignored, missing ones default.

        >>> Settings.from_dict({"stale_months": 6, "retired": 1}).stale_months
        6
        """
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


SETTING_LABELS: dict[str, str] = {
    "stale_months": "Stale after (months)",
    "high_influence": "Key player from influence",
    "strong_tie": "Strong tie from strength",
    "high_interest": "High interest from",
    "recruit_top": "Suggestions to bring in",
}

SETTING_HELP: dict[str, str] = {
    "stale_months": "A relationship not confirmed for this many months counts as stale.",
    "high_influence": "Stakeholders rated at least this influence (1-5) count as key players.",
    "strong_tie": "A relationship of at least this strength (1-5) counts as strong.",
    "high_interest": "Stakeholders rated at least this interest (1-5) count as highly interested.",
    "recruit_top": "How many people the 'who to bring in next' list suggests.",
}
